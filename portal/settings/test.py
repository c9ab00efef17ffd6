from .base import *  # noqa: F403
from .base import DATABASES, REDIS_URL, VAR_DIR

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# A file-backed SQLite test database (not :memory:) so tests can close the
# connection and really lose the database, as /readyz must notice.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

VAR_DIR.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "test-media"

# The page cache in memory, emptied before every test (tests/conftest.py); with
# REDIS_URL (as .ci/run sets for the PostgreSQL suite) the shared Redis cache of
# base.py is used instead, so the same tests run against a real cache server.
if not REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ovi-tests"}
    }

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Index update tasks run at once, in the test's process, when the transaction
# commits (django_capture_on_commit_callbacks(execute=True) in a `db` test): the
# tests see what a worker would have done without running one. The database
# backend itself is tested with a real `db_worker --batch` in
# tests/search/test_index_updates.py.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}

# A real OpenID Connect provider for the single sign-on tests (tests/portal/test_oidc.py):
# django-oauth-toolkit (the `test` extra), installed and migrated in tests only and
# mounted only by the tests' own URLconf (tests/portal/oidc_provider.py).
INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
