"""Settings of the processes the worker tests start (tests/search/worker_stack.py):
the test settings with the production task backend, in the database of
OVI_VAR_DIR / DATABASE_URL that the test prepared.

OVI_TEST_SQLITE_TIMEOUT shortens SQLite's lock wait in one process, so a test can
make "database is locked" happen without waiting 20 s. OVI_TEST_APP_NAME names a
process's PostgreSQL connections, so a test can cut off only the worker's.
"""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if os.environ.get("OVI_TEST_SQLITE_TIMEOUT"):
        DATABASES["default"]["OPTIONS"]["timeout"] = float(os.environ["OVI_TEST_SQLITE_TIMEOUT"])
else:
    DATABASES["default"].setdefault("OPTIONS", {})["application_name"] = os.environ.get(
        "OVI_TEST_APP_NAME", "ovi"
    )
