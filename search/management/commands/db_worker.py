"""manage.py db_worker: django-tasks-db's worker, made to keep going.

Same command name and options as django_tasks_db's (this app comes before
django_tasks_db in INSTALLED_APPS, so this command is the one `manage.py`
runs), plus --heartbeat, --lease and --max-attempts. What it adds:

- Transient database errors never end the worker: Django's OperationalError
  and InterfaceError (SQLite "database is locked", a PostgreSQL connection lost
  or a server restarting). It closes its connections, waits (0.5, 1, 2 … 30 s)
  and goes on.
- A task that raised one of those is put back in the queue, due after the same
  kind of backoff, instead of ending FAILED; after --max-attempts claims
  (OVI_TASKS_MAX_ATTEMPTS, 10) it fails for good. A task's outcome (successful,
  failed, back in the queue) is written again until the database takes it: a
  task a live worker leaves RUNNING would never be recovered.
- A lease: a thread writes this worker's WorkerHeartbeat every --heartbeat
  seconds (OVI_TASKS_HEARTBEAT_SECONDS, 5). On start and then every heartbeat
  interval the worker puts back in the queue the RUNNING tasks claimed more
  than --lease seconds ago (OVI_TASKS_LEASE_SECONDS, 60) by a worker not seen
  for as long: a worker killed mid-task, a machine gone. The lease must be
  well above the heartbeat interval and the clock skew between machines.
- SIGTERM / Ctrl-C stops the worker between tasks and between queries, never
  inside a transaction (upstream exits from the signal handler wherever it is,
  e.g. halfway through claiming a task); a second one forces the exit, and the
  task it cuts short goes back in the queue rather than ending FAILED.

A recovered or retried task runs again from the start. Ours re-read what they
index (search/tasks.py) and Wagtail's (reference index, its search index,
file deletion) are idempotent as well, so a second run is harmless.
"""

import datetime
import logging
import os
import random
import signal
import socket
import threading
import time
from argparse import ArgumentTypeError

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks.base import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import get_exception_traceback, get_module_path
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from search.models import WorkerHeartbeat

logger = logging.getLogger("django_tasks_db.worker")

TRANSIENT_ERRORS = (OperationalError, InterfaceError)
# Heartbeat rows of workers not seen for this long are forgotten.
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)


def is_transient(error: BaseException | None) -> bool:
    """A database error that waiting (and reconnecting) can cure, raised or
    the cause of what was raised."""
    while error is not None:
        if isinstance(error, TRANSIENT_ERRORS):
            return True
        error = error.__cause__
    return False


def backoff(failures: int, limit: float = 30.0) -> float:
    return min(limit, 0.5 * 2 ** (max(failures, 1) - 1))


def reset_connections() -> None:
    """Close this thread's connections so the next query reconnects (a lost
    PostgreSQL connection stays broken; a SQLite one may hold a transaction)."""
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            pass


class WorkerLost(Exception):
    """A task's worker stopped while running it, too many times."""


def recover_abandoned_tasks(lease: float, max_attempts: int, backend_name: str | None = None) -> int:
    """Put back in the queue the RUNNING tasks claimed more than `lease` seconds
    ago by a worker not seen for as long (no heartbeat, or an old one); a task
    whose workers have died `max_attempts` times ends FAILED. Returns how many
    tasks were recovered."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=lease)
    alive = set(WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).values_list("worker_id", flat=True))
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    if backend_name is not None:
        running = running.filter(backend_name=backend_name)
    recovered = 0
    for task in running.only("id", "worker_ids", "started_at", "task_path"):
        worker = task.worker_ids[-1] if task.worker_ids else None
        if worker in alive:
            continue
        # Only if nobody claimed it again since we read it.
        same_claim = DBTaskResult.objects.filter(
            id=task.id, status=TaskResultStatus.RUNNING, started_at=task.started_at
        )
        if len(task.worker_ids) >= max_attempts:
            error = WorkerLost(f"worker {worker} stopped while running it; {len(task.worker_ids)} attempts")
            updated = same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=get_module_path(WorkerLost),
                traceback=get_exception_traceback(error),
            )
        else:
            updated = same_claim.update(status=TaskResultStatus.READY)
        if updated:
            recovered += 1
            logger.warning(
                "Task %s (%s) was left running by worker %s; recovered", task.id, task.task_path, worker
            )
    WorkerHeartbeat.objects.filter(last_seen__lt=now - FORGET_WORKERS_AFTER).delete()
    return recovered


class Heartbeat(threading.Thread):
    """Writes the worker's last_seen every `interval` seconds, on a connection
    of its own, however long the task in the main thread takes."""

    def __init__(self, worker_id: str, interval: float):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopped = threading.Event()

    def beat(self) -> None:
        now = timezone.now()
        if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(last_seen=now):
            WorkerHeartbeat.objects.create(
                worker_id=self.worker_id,
                hostname=socket.gethostname(),
                pid=os.getpid(),
                started=now,
                last_seen=now,
            )

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                try:
                    self.beat()
                except Exception as error:  # never die: a silent heartbeat gets our tasks re-run
                    logger.warning("Worker %s: heartbeat not written (%s)", self.worker_id, error)
                    reset_connections()
        finally:
            reset_connections()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=max(self.interval, 1) * 2)


class Worker(db_worker.Worker):
    def __init__(self, *, heartbeat: float, lease: float, max_attempts: int, **options):
        super().__init__(**options)
        self.heartbeat_interval = heartbeat
        self.lease = lease
        self.max_attempts = max_attempts
        self._next_recovery = 0.0

    def shutdown(self, signum, frame) -> None:
        if not self.running:
            super().shutdown(signum, frame)  # the second signal: exit now
            return
        logger.warning(
            "Received %s - shutting down gracefully... (press Ctrl+C again to force)",
            signal.strsignal(signum),
        )
        self.running = False  # the loop ends at its next check; waits are cut short (_sleep)

    def run(self) -> None:
        logger.info("Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names))
        heartbeat = Heartbeat(self.worker_id, self.heartbeat_interval)
        # The row exists before the first claim, so no other worker takes us for dead.
        self._retrying(heartbeat.beat)
        heartbeat.start()
        try:
            if self.startup_delay and self.interval:
                self._sleep(random.random())  # noqa: S311 - spreads workers that start together
            self._loop()
        finally:
            heartbeat.stop()
            self._forget_heartbeat()

    def _loop(self) -> None:
        failures = 0
        while self.running:
            try:
                self._recover_if_due()
                task_result = self._claim()
                if task_result is not None:
                    self.run_task(task_result)
                failures = 0
            except TRANSIENT_ERRORS as error:
                failures += 1
                delay = backoff(failures)
                logger.warning(
                    "Worker %s: database error (%s); retrying in %.1f s", self.worker_id, error, delay
                )
                reset_connections()
                self._sleep(delay)
                continue
            if self.batch and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Run maximum tasks (%d) on worker=%s - exiting gracefully.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            close_old_connections()
            if self.running and task_result is None:
                self._sleep(self.interval)

    def _sleep(self, seconds: float) -> None:
        """Wait, in short steps, so a shutdown is not held up by a long backoff. (Not an
        Event set by the signal handler: setting one could deadlock on its lock.)"""
        deadline = time.monotonic() + seconds
        while self.running and (remaining := deadline - time.monotonic()) > 0:
            time.sleep(min(remaining, 0.2))

    def _recover_if_due(self) -> None:
        if time.monotonic() < self._next_recovery:
            return
        recover_abandoned_tasks(self.lease, self.max_attempts, self.backend_name)
        self._next_recovery = time.monotonic() + self.heartbeat_interval

    def _claim(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        # The ready tasks are locked for this transaction: keep it short. A locked
        # SQLite database is not "no task" (upstream's reading): --batch would stop early.
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """Run a claimed task and record its outcome; a transient database error
        puts it back in the queue instead of failing it."""
        self.running_task = True
        try:
            try:
                task = db_task_result.task
                task_result = db_task_result.task_result
                backend_type = task.get_backend()
                task_started.send(sender=backend_type, task_result=task_result)
                if task.takes_context:
                    context = TaskContext(task_result=task_result)
                    return_value = task.call(context, *task_result.args, **task_result.kwargs)
                else:
                    return_value = task.call(*task_result.args, **task_result.kwargs)
                self._retrying(db_task_result.set_successful, return_value)
            except (KeyboardInterrupt, SystemExit):
                # Cut short by a second signal: not a failure of the task.
                self._retrying(self._requeue, db_task_result, 0, attempts=2)
                raise
            except BaseException as error:
                attempts = len(db_task_result.worker_ids)
                if is_transient(error) and attempts < self.max_attempts:
                    delay = backoff(attempts, limit=60)
                    logger.warning(
                        "Task %s (%s) hit a database error (%s); attempt %d, retrying in %.1f s",
                        db_task_result.id,
                        db_task_result.task_path,
                        error,
                        attempts,
                        delay,
                    )
                    reset_connections()
                    self._retrying(self._requeue, db_task_result, delay)
                    return
                self._retrying(db_task_result.set_failed, error)
                self._send_finished(db_task_result)
            else:
                self._send_finished(db_task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    @staticmethod
    def _send_finished(db_task_result: DBTaskResult) -> None:
        try:
            task_finished.send(
                sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
            )
        except Exception:
            logger.exception("Task id=%s: task_finished not sent", db_task_result.id)

    @staticmethod
    def _requeue(db_task_result: DBTaskResult, delay: float) -> None:
        changes = {"status": TaskResultStatus.READY}
        if delay:
            changes["run_after"] = timezone.now() + datetime.timedelta(seconds=delay)
        # Only our claim: after a long stall another worker may have recovered it.
        DBTaskResult.objects.filter(
            id=db_task_result.id, status=TaskResultStatus.RUNNING, started_at=db_task_result.started_at
        ).update(**changes)

    def _retrying(self, record, *args, attempts: int | None = None):
        """Call `record` until no transient database error stops it. When the
        worker is stopping (or after `attempts`), give up: the task stays RUNNING
        and the lease hands it to the next worker."""
        failures = 0
        while True:
            try:
                return record(*args)
            except TRANSIENT_ERRORS as error:
                failures += 1
                if (attempts is not None and failures >= attempts) or (not self.running and failures >= 3):
                    raise
                delay = backoff(failures)
                logger.warning(
                    "Worker %s: database error (%s); retrying in %.1f s", self.worker_id, error, delay
                )
                reset_connections()
                self._sleep(delay)

    def _forget_heartbeat(self) -> None:
        """A worker that stops cleanly says so: its tasks (none, normally) need no lease to expire."""
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except DatabaseError:
            pass


def _positive(value: str) -> float:
    number = db_worker.valid_interval(value)
    if number <= 0:
        raise ArgumentTypeError("Must be greater than zero")
    return number


class Command(db_worker.Command):
    help = "Run a database background worker that survives database errors and recovers tasks of dead workers"

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--heartbeat",
            type=_positive,
            default=float(getattr(settings, "OVI_TASKS_HEARTBEAT_SECONDS", 5)),
            help="Seconds between heartbeats and between checks for tasks of dead workers (%(default)r)",
        )
        parser.add_argument(
            "--lease",
            type=_positive,
            default=float(getattr(settings, "OVI_TASKS_LEASE_SECONDS", 60)),
            help="Run a RUNNING task again when its worker has not been seen for this long (%(default)r s)",
        )
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=int(getattr(settings, "OVI_TASKS_MAX_ATTEMPTS", 10)),
            help="Claims of one task (database errors, dead workers) before it ends FAILED (%(default)r)",
        )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        heartbeat,
        lease,
        max_attempts,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning(
                "Warning: --reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            heartbeat=heartbeat,
            lease=lease,
            max_attempts=max_attempts,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                # Only the child process handles signals.
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
