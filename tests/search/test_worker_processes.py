"""The embedded default under load: real `manage.py db_worker` processes, admin-like
saves in another process, on SQLite (a WAL file database) and on PostgreSQL
(marked postgres: runs when DATABASE_URL points there, as in CI).

- A worker killed mid-task (SIGKILL) leaves it RUNNING; the next worker takes
  it over once the lease has run out and finishes it.
- The worker outlasts a locked SQLite database / its PostgreSQL connections
  being cut: no exit, no FAILED task.
- Saves every 0.6 s for OVI_CONCURRENCY_SECONDS (45: 75 saves, each of the 13
  targets saved several times) while the worker drains a backlog sized to last
  past the saves: no failed save, no FAILED task, every saved change indexed.
  Set OVI_CONCURRENCY_SECONDS=120 (or more) for a longer soak.
"""

import json
import math
import os
import sqlite3
import threading
import time

import pytest

from .worker_stack import Stack, require_vendor

VENDORS = [pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgres)]
CONCURRENCY_SECONDS = float(os.environ.get("OVI_CONCURRENCY_SECONDS", "45"))
# Lease and heartbeat short enough for a test (production: 60 s and 5 s).
FAST_LEASE = ("--heartbeat", "0.2", "--lease", "2")


@pytest.fixture(scope="module", params=VENDORS)
def stack(request, tmp_path_factory):
    require_vendor(request.param)
    stack = Stack(request.param, tmp_path_factory.mktemp(f"worker-{request.param}"))
    try:
        stack.prepare()
        yield stack
    finally:
        stack.close()


def test_a_task_of_a_killed_worker_is_finished_by_the_next_worker(stack):
    queued = stack.script("slow-update", 4)
    first = stack.start_worker(*FAST_LEASE, log_name="killed.log")
    stack.wait_until(
        lambda: stack.task_status(queued["task"]) == "RUNNING", 60, message="the first worker to start"
    )

    first.kill()  # SIGKILL mid-task: the worker cannot tidy up
    first.wait()
    assert stack.task_status(queued["task"]) == "RUNNING"
    assert not stack.script("indexed", queued["key"], queued["word"])["indexed"]

    second = stack.start_worker(*FAST_LEASE, log_name="killed.log")
    stack.wait_until(
        lambda: stack.task_status(queued["task"]) == "SUCCESSFUL",
        60,
        message="the second worker to finish it",
    )
    assert stack.script("indexed", queued["key"], queued["word"])["indexed"]
    assert "left running by worker" in stack.log("killed.log")
    assert stack.stop_worker(second) == 0


def _interrupt_repeatedly(stack, action, times, every):
    def run():
        for _ in range(times):
            time.sleep(every)
            action()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_the_worker_outlasts_database_errors(stack):
    """SQLite: another connection holds the write lock for 1.5 s, four times, and
    the worker waits at most 0.2 s for a lock, so it meets "database is locked"
    when it claims tasks and in the middle of them. PostgreSQL: the worker's
    connections are terminated (as by a server restart), four times."""
    stack.wait_for_empty_queue(120)
    stack.script("backlog", 1)
    if stack.vendor == "sqlite":
        worker = stack.start_worker(*FAST_LEASE, log_name="errors.log", OVI_TEST_SQLITE_TIMEOUT="0.2")

        def interrupt():
            lock = sqlite3.connect(stack.path, isolation_level=None)
            lock.execute("BEGIN IMMEDIATE")
            time.sleep(1.5)
            lock.execute("COMMIT")
            lock.close()

        expected = "database is locked"
    else:
        worker = stack.start_worker(*FAST_LEASE, log_name="errors.log", OVI_TEST_APP_NAME="ovi-test-worker")

        def interrupt():
            stack.sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = 'ovi-test-worker' AND datname = current_database()"
            )

        expected = "terminat"

    interrupter = _interrupt_repeatedly(stack, interrupt, times=4, every=1.5)
    interrupter.join()
    stack.wait_for_empty_queue(180)

    assert worker.poll() is None, stack.log("errors.log")[-3000:]
    assert expected in stack.log("errors.log")
    assert stack.task_counts().get("FAILED", 0) == 0
    # Still working: a new change is indexed.
    saved = stack.script("enqueue-update")
    stack.wait_until(lambda: stack.script("indexed", saved["key"], saved["word"])["indexed"], 60, interval=1)
    assert stack.stop_worker(worker) == 0


def test_admin_saves_while_the_worker_drains_a_backlog(stack):
    seconds = CONCURRENCY_SECONDS
    stack.wait_for_empty_queue(120)
    # About a task per 75 ms: a backlog the worker is still draining when the saves end.
    stack.script("backlog", math.ceil(seconds / 10))
    worker = stack.start_worker(log_name="concurrency.log")
    edits_file = stack.var_dir / "edits.json"
    started = time.monotonic()

    edits = stack.script("edit", seconds, 0.6, edits_file, timeout=seconds + 300)

    waiting = stack.task_counts().get("READY", 0)
    stack.wait_for_empty_queue(seconds + 300)
    drained = time.monotonic() - started
    verified = stack.script("verify", edits_file)
    print(
        f"{stack.vendor}: {edits['saves']} saves in {seconds:.0f} s, slowest {edits['slowest']:.2f} s; "
        f"{waiting} tasks still waiting when the saves ended; queue empty after {drained:.0f} s; "
        f"{verified['checked']} documents checked"
    )

    assert edits["failed"] == 0, [save for save in json.loads(edits_file.read_text()) if not save["ok"]]
    assert edits["saves"] >= seconds / 0.6 * 0.9
    assert waiting > 0, "the backlog was gone before the saves ended: not a concurrency test"
    assert worker.poll() is None, stack.log("concurrency.log")[-3000:]
    assert stack.task_counts().get("FAILED", 0) == 0
    assert verified["missing"] == [] and verified["not_found"] == []
    assert stack.stop_worker(worker) == 0
