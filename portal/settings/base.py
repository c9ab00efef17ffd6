"""Settings shared by every environment.

Configuration that differs between deployments comes from the environment:
DATABASE_URL, ELASTICSEARCH_URL, SECRET_KEY, ALLOWED_HOSTS.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent
VAR_DIR = Path(os.environ.get("OVI_VAR_DIR", BASE_DIR / "var"))


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "portal",
    "models_library",
    "directory",
    "search",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.simple_translation",
    "wagtail.contrib.redirects",
    "wagtail.locales",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
]

MIDDLEWARE = [
    "portal.caching.AnonymousCacheMiddleware",
    # Inside the cache: a cached answer reads no restriction at all.
    "portal.middleware.PrivacyScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-step verification (portal/two_factor.py): the session's verified device,
    # then no way past the code page for a session that has not given its code.
    "django_otp.middleware.OTPMiddleware",
    "portal.two_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: turns a lock-out into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.site_shell",
            ],
        },
    },
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'ovi.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must never lose an edit while the task worker writes
    # too: write-ahead logging lets readers and one writer work at once, IMMEDIATE
    # transactions take the write lock at BEGIN (so a transaction never fails
    # half-way on a lock upgrade), and a writer waits up to 20 s for the lock
    # instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
# An index write returns once it can be searched ("wait_for"), so the cached
# search answers that the write invalidates are never made again from the old
# index (portal/caching.py). The task worker does the writes; nobody waits on them.
OVI_SEARCH_ES_REFRESH = os.environ.get("OVI_SEARCH_ES_REFRESH", "1") == "1"
# Replicas of the search index: None keeps the cluster's default (1); a
# single-node Elasticsearch wants 0, a cluster of three 1 or 2.
OVI_SEARCH_ES_REPLICAS = (
    int(os.environ["OVI_SEARCH_ES_REPLICAS"]) if os.environ.get("OVI_SEARCH_ES_REPLICAS") else None
)

# --- Sign-in and login protection (portal/accounts.py, docs/security.md) ---------------
# Professionals sign in on the site (/kirjaudu/, /sv/kirjaudu/, /en/kirjaudu/);
# Wagtail's login-restricted pages and the professional views send them there.
# URL names, so each language gets its own sign-in page.
LOGIN_URL = "login"
WAGTAIL_FRONTEND_LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
# django-axes checks every authenticate() first (the site's sign-in, /admin/login/,
# /django-admin/login/); the model backend then checks the password.
AUTHENTICATION_BACKENDS = [
    "portal.accounts.LoginProtectionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Ten failed sign-ins lock for 15 minutes, counted both per account (from any
# address) and per client address (for any account); a success resets the count.
# While locked even the right password is refused (HTTP 429). A password reset by
# e-mail lifts an account's lock. Attempts are kept in the database (shared by
# every process); successful sign-ins are not logged.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True

# Two-step verification (portal/two_factor.py, docs/security.md): optional per
# account; OVI_REQUIRE_TWO_FACTOR=1 requires it of every account that may use the admin.
OVI_REQUIRE_TWO_FACTOR = os.environ.get("OVI_REQUIRE_TWO_FACTOR", "") == "1"
OTP_TOTP_ISSUER = "Ovi"
AXES_HTTP_RESPONSE_CODE = 429
# The same client address as every other per-address limit (portal/client.py):
# the last X-Forwarded-For hop, only from a trusted proxy (OVI_FORWARDED_ALLOW_IPS).
AXES_CLIENT_IP_CALLABLE = "portal.client.client_address"
AXES_LOCKOUT_CALLABLE = "portal.accounts.lockout_response"
AXES_VERBOSE = False
# Django's own admin (/django-admin/): on in development, off in production unless
# OVI_DJANGO_ADMIN=1 (production.py).
OVI_DJANGO_ADMIN = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: Finnish is the default and is served without a URL prefix;
# Swedish and English live under /sv/ and /en/.
LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", "Suomi"),
    ("sv", "Svenska"),
    ("en", "English"),
]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploaded images and documents. In production the reverse proxy serves MEDIA_URL
# from MEDIA_ROOT (docs/deployment.md); OVI_SERVE_MEDIA=1 lets Django serve it
# for a single server without a proxy in front (make serve).
OVI_SERVE_MEDIA = os.environ.get("OVI_SERVE_MEDIA", "0") == "1"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The shared cache: pages and API answers for anonymous visitors (portal/caching.py),
# and the content generation that invalidates them. Without REDIS_URL it lives in
# files under var/, which every process on one server shares; several app servers
# share a Redis or Valkey server through REDIS_URL.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.WatchingRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ovi"),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ovi"),
            "OPTIONS": {"MAX_ENTRIES": 2_000},
        }
    }
# The door finder's memoized reads (portal.caching.memoized_many(shared=True)) are
# shared through the cache server too, so one process's reads after an edit serve
# every process. Off with the file cache: it would crowd out the stored answers.
OVI_SHARED_MEMO = os.environ.get("OVI_SHARED_MEMO", "1" if REDIS_URL else "0") == "1"
# How long an anonymous answer may be kept at most; clock-dependent content also
# ends at the next minute (portal/caching.py). 0 turns the page cache off.
OVI_PAGE_CACHE_SECONDS = int(os.environ.get("OVI_PAGE_CACHE_SECONDS", "60"))
# What a reverse proxy or CDN may keep (s-maxage). 0: it revalidates every time
# with the ETag. Raise it only when Wagtail's frontend-cache purge is configured.
OVI_PROXY_CACHE_SECONDS = int(os.environ.get("OVI_PROXY_CACHE_SECONDS", "0"))

# Wagtail's frontend-cache purge, for a proxy or CDN that keeps answers
# (OVI_PROXY_CACHE_SECONDS > 0): a published or unpublished page is purged there.
# OVI_FRONTEND_CACHE_URL is the address that takes HTTP PURGE requests (Varnish,
# nginx with a purge module); other CDNs are configured in WAGTAILFRONTENDCACHE
# the same way (docs/deployment.md).
OVI_FRONTEND_CACHE_URL = os.environ.get("OVI_FRONTEND_CACHE_URL", "")
if OVI_FRONTEND_CACHE_URL:
    INSTALLED_APPS.append("wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {
        "proxy": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": OVI_FRONTEND_CACHE_URL,
        }
    }

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Ovi"
# The address in workflow e-mails and admin links; production requires it.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Nothing is loaded from a third-party host, so the policy can be strict.
# Wagtail's admin uses inline scripts and styles, so it is left out of the policy.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
CSP_EXEMPT_PATH_PREFIXES = ("/admin/", "/django-admin/")

# Shown on every page while the site carries the fictional demo data.
OVI_DEMO_NOTICE = os.environ.get("OVI_DEMO_NOTICE", "1") == "1"

# Where to report a vulnerability, served as /.well-known/security.txt (RFC 9116):
# a mailto: or https: address, or a bare e-mail address. Without it the site
# settings' feedback e-mail is used; without either, security.txt answers 404.
OVI_SECURITY_CONTACT = os.environ.get("OVI_SECURITY_CONTACT", "")

# Background tasks (search index updates, search/tasks.py): queued in the database and
# run by `manage.py db_worker` (django-tasks-db); `make run` starts one.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_query_strings": {"()": "portal.logging.RedactQueryStrings"},
        "shorten_database_outages": {"()": "portal.logging.ShortenDatabaseOutages"},
    },
    "formatters": {
        "server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "server": {"class": "logging.StreamHandler", "formatter": "server"},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.server": {
            "handlers": ["server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_query_strings"],
        },
        "django.request": {
            "handlers": ["console"],
            "level": "WARNING",
            "filters": ["redact_query_strings", "shorten_database_outages"],
        },
    },
}

# --- Single sign-on (OpenID Connect, portal/oidc.py, docs/security.md) ----------------
# Off unless a client is configured: OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET, and
# either OIDC_OP_ISSUER (the endpoints come from its discovery document) or the
# endpoints one by one (an explicit one wins over discovery). The provider redirects
# back to https://<site>/oidc/callback/.
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
# The claim (a dotted path for nested claims, e.g. realm_access.roles) that makes a
# user a professional, and the value it must hold (in a list, or as a string);
# without a value any true or non-empty claim does. Synced at every sign-in. Without
# a claim, membership of the professionals group is managed in the admin only.
OIDC_PROFESSIONAL_CLAIM = os.environ.get("OIDC_PROFESSIONAL_CLAIM", "")
OIDC_PROFESSIONAL_CLAIM_VALUE = os.environ.get("OIDC_PROFESSIONAL_CLAIM_VALUE", "")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
# The sign-in page shows the "Sign in with your organisation's account" button only then.
OVI_SSO_ENABLED = bool(
    OIDC_RP_CLIENT_ID
    and OIDC_RP_CLIENT_SECRET
    and (
        OIDC_OP_ISSUER
        or (OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT and OIDC_OP_USER_ENDPOINT)
    )
)
if OVI_SSO_ENABLED:
    # Keep this block after AUTHENTICATION_BACKENDS is set: it adds to that list.
    AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, "portal.oidc.OIDCBackend"]
