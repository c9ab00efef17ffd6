"""Production: behind a reverse proxy that terminates TLS (docs/deployment.md).

Required from the environment: SECRET_KEY, ALLOWED_HOSTS, WAGTAILADMIN_BASE_URL.
OVI_HTTPS=0 is for `make serve` only (plain HTTP on 127.0.0.1, no proxy): it turns
off the HTTPS redirect, HSTS and secure-only cookies, which `check --deploy` then
reports.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set in the environment for production.")
if not os.environ.get("WAGTAILADMIN_BASE_URL"):
    raise ImproperlyConfigured(
        "WAGTAILADMIN_BASE_URL must be set in the environment for production "
        "(the site's public address, used in workflow e-mails and admin links)."
    )

DEBUG = False

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

HTTPS = os.environ.get("OVI_HTTPS", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = HTTPS
# /healthz and /readyz are probed over plain HTTP inside the cluster.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
X_FRAME_OPTIONS = "DENY"
OVI_DEMO_NOTICE = os.environ.get("OVI_DEMO_NOTICE", "0") == "1"
# Django's own admin is off unless asked for (docs/security.md).
OVI_DJANGO_ADMIN = os.environ.get("OVI_DJANGO_ADMIN", "0") == "1"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ovi@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# One line per request to standard output, for the service manager's journal.
LOGGING["loggers"]["portal"] = {"handlers": ["console"], "level": "INFO"}
