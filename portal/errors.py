"""The site's answer to an unhandled error (Django's handler500).

A lost database (a restart, a failover, a network cut) is not a bug in the
request: it is answered `503 Service Unavailable` with `Retry-After`, so load
balancers, monitoring and API clients can tell "try again shortly" from "broken",
and residents get a page that says so (and where to call when it is urgent).
Both pages are plain templates that need neither the database nor a request
context, so they render whatever else is down.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30
UNAVAILABLE_ERRORS = (OperationalError, InterfaceError)


def is_database_unavailable(error):
    """Was `error` (or what caused it) losing the database?"""
    return isinstance(error, UNAVAILABLE_ERRORS) or isinstance(
        getattr(error, "__cause__", None), UNAVAILABLE_ERRORS
    )


@requires_csrf_token
def server_error(request):
    if is_database_unavailable(sys.exc_info()[1]):
        response = HttpResponseServerError(loader.get_template("503.html").render())
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    else:
        response = HttpResponseServerError(loader.get_template("500.html").render())
    response["Cache-Control"] = "no-store"
    return response
