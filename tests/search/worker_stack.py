"""A database of its own for the tests that run real `db_worker` processes, with
the demo content and the production task backend (tests/search/worker_settings.py).

SQLite: a file in a temporary OVI_VAR_DIR (WAL, as in production). PostgreSQL:
a fresh database on the server of DATABASE_URL, dropped afterwards. The test
process reads the task table with plain SQL; everything else happens in child
processes (manage.py, tests/search/worker_script.py), each with its own
connection, as a worker and a web server would have.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
TASK_TABLE = "django_tasks_database_dbtaskresult"


def on_postgresql():
    return DATABASE_URL.startswith(("postgres://", "postgresql://"))


def require_vendor(vendor):
    """Skip (or fail, under OVI_REQUIRE_POSTGRES=1) a vendor this run does not test."""
    if os.environ.get("ELASTICSEARCH_URL"):
        pytest.skip(
            "the embedded default runs without Elasticsearch; the SQLite and PostgreSQL runs cover it"
        )
    if vendor == "sqlite" and DATABASE_URL:
        pytest.skip("the suite runs on PostgreSQL; the SQLite run (make test) covers SQLite")
    if vendor == "postgresql" and not on_postgresql():
        if os.environ.get("OVI_REQUIRE_POSTGRES") == "1":
            pytest.fail("OVI_REQUIRE_POSTGRES=1 but DATABASE_URL is not a PostgreSQL URL")
        pytest.skip("DATABASE_URL does not point at PostgreSQL (start one with .ci/postgres.sh)")


class Stack:
    def __init__(self, vendor, var_dir):
        self.vendor = vendor
        self.var_dir = Path(var_dir)
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.search.worker_settings",
            "OVI_VAR_DIR": str(self.var_dir),
            "PYTHONPATH": str(ROOT),
        }
        # Never the Elasticsearch of the caller: load_demo would rebuild its index.
        for name in ("OVI_TEST_SQLITE_TIMEOUT", "ELASTICSEARCH_URL", "OVI_SEARCH_ES_ALIAS"):
            self.env.pop(name, None)
        self.workers = []
        if vendor == "postgresql":
            self.db_name = f"ovi_worker_{uuid.uuid4().hex[:10]}"
            self.server_url = DATABASE_URL
            parts = urlsplit(DATABASE_URL)
            self.env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.db_name}"))
            self._admin(f'CREATE DATABASE "{self.db_name}"')
        else:
            self.env.pop("DATABASE_URL", None)
            self.path = self.var_dir / "ovi.sqlite3"

    # --- set up and tear down ---------------------------------------------------

    def prepare(self):
        self.manage("migrate", "--noinput", timeout=300)
        self.manage("load_demo", timeout=300)

    def close(self):
        for process in self.workers:
            if process.poll() is None:
                process.kill()
                process.wait()
        if self.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    def _admin(self, statement):
        import psycopg

        with psycopg.connect(self.server_url, autocommit=True) as connection:
            connection.execute(statement)

    # --- processes ---------------------------------------------------------------

    def manage(self, *args, timeout=120, **env):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )

    def script(self, *args, timeout=600, **env):
        completed = subprocess.run(
            [sys.executable, "-m", "tests.search.worker_script", *map(str, args)],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert completed.returncode == 0, completed.stderr[-3000:]
        return json.loads(completed.stdout.strip().splitlines()[-1])

    def start_worker(self, *args, log_name="worker.log", **env):
        """A long-running `db_worker` (the production command), logging to var_dir/log_name."""
        log = open(self.var_dir / log_name, "a")  # noqa: SIM115 - the process writes it until it ends
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--verbosity",
                "1",
                *args,
            ],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)
        return process

    @staticmethod
    def stop_worker(process, timeout=30):
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=timeout)

    def log(self, name="worker.log"):
        path = self.var_dir / name
        return path.read_text() if path.exists() else ""

    # --- reading the database ------------------------------------------------------

    def sql(self, query, params=()):
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.env["DATABASE_URL"], autocommit=True) as connection:
                return connection.execute(query.replace("?", "%s"), params).fetchall()
        connection = sqlite3.connect(self.path, timeout=30)
        try:
            return connection.execute(query, params).fetchall()
        finally:
            connection.close()

    def task_counts(self):
        return dict(self.sql(f"SELECT status, COUNT(*) FROM {TASK_TABLE} GROUP BY status"))

    def task_status(self, task_id):
        # django-tasks-db stores UUIDs without dashes on SQLite (a char(32) column).
        value = task_id if self.vendor == "postgresql" else uuid.UUID(task_id).hex
        rows = self.sql(f"SELECT status FROM {TASK_TABLE} WHERE id = ?", (value,))
        return rows[0][0] if rows else None

    def wait_until(self, condition, timeout, interval=0.2, message="condition"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(interval)
        raise AssertionError(f"timed out after {timeout} s waiting for {message}")

    def wait_for_empty_queue(self, timeout):
        def empty():
            counts = self.task_counts()
            return not counts.get("READY") and not counts.get("RUNNING")

        self.wait_until(empty, timeout, interval=0.5, message=f"the queue to drain ({self.task_counts()})")
