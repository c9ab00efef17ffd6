"""The client's address, one rule for every per-address limit (error reports, the
page of sign-in, password reset and django-axes' login protection).

Behind the reverse proxy the client's address is the last hop of
X-Forwarded-For, which nginx appends; it is trusted only when REMOTE_ADDR is one
of the proxies gunicorn trusts too (OVI_FORWARDED_ALLOW_IPS,
portal/gunicorn_conf.py). A client that talks to Django directly cannot choose
its address by sending the header.
"""

import os

TRUSTED_PROXIES = {
    address.strip()
    for address in os.environ.get("OVI_FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",")
    if address.strip()
}


def client_address(request):
    address = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and address in TRUSTED_PROXIES:
        address = forwarded.split(",")[-1].strip() or address
    return address
