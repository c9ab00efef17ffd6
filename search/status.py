"""What the readiness probe reports about search and its task queue.

Without ELASTICSEARCH_URL the database engine serves and is always available.
With it, Elasticsearch is probed with a short timeout so a slow cluster
cannot hold up the probe, and the report says what a search would use right
now, the alias and its indices, whether the mapping is current, and how many
index updates wait for Elasticsearch.

task_queue_status(): the task worker's liveness and the backlog, for the
database task backend (index updates run there).
"""

import datetime

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

from .engines.elasticsearch import ElasticsearchUnavailable
from .models import PendingIndexUpdate, WorkerHeartbeat
from .service import elasticsearch_engine

PROBE_TIMEOUT_SECONDS = 1.0


def _pending_updates():

    try:
        return PendingIndexUpdate.objects.count()
    except DatabaseError:
        return None


def search_engine_status():
    if not settings.ELASTICSEARCH_URL:
        return {"engine": "database", "reachable": True}

    pending = _pending_updates()
    try:
        state = elasticsearch_engine().status(timeout=PROBE_TIMEOUT_SECONDS)
    except ElasticsearchUnavailable as error:
        cause = error.__cause__ or error
        return {
            "engine": "database",
            "configured_engine": "elasticsearch",
            "reachable": False,
            "error": cause.__class__.__name__,
            "pending_updates": pending,
        }
    # Searches use the database while queued updates wait (see service._catch_up).
    return {
        "engine": "elasticsearch" if not pending else "database",
        "configured_engine": "elasticsearch",
        "reachable": True,
        "pending_updates": pending,
        **state,
    }


def task_queue_status() -> dict:
    """The database task queue and its workers: `workers` alive (seen within
    the lease, OVI_TASKS_LEASE_SECONDS), `last_heartbeat_age` (seconds since a
    worker was last seen; None: never), `backlog` (READY tasks due now),
    `oldest_waiting_age` (seconds the longest-waiting of them has waited),
    `running`. `status` is "degraded", with the reasons in `problems`, when no
    worker is alive or a task has waited more than OVI_TASKS_MAX_WAIT_SECONDS
    (300): index updates are then not being made. Other task backends run tasks
    in the process that queues them: {"backend": ..., "status": "ok"}.
    """

    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):
        return {"backend": type(backend).__name__, "status": "ok"}
    now = timezone.now()
    lease = float(getattr(settings, "OVI_TASKS_LEASE_SECONDS", 60))
    max_wait = float(getattr(settings, "OVI_TASKS_MAX_WAIT_SECONDS", 300))
    try:
        ready = DBTaskResult.objects.ready().filter(backend_name=backend.alias)
        backlog = ready.count()
        # A task waits from when it was queued, or from when it became due if deferred.
        waiting_since = [
            ready.filter(run_after=get_date_max()).aggregate(since=Min("enqueued_at"))["since"],
            ready.exclude(run_after=get_date_max()).aggregate(since=Min("run_after"))["since"],
        ]
        running = DBTaskResult.objects.running().filter(backend_name=backend.alias).count()
        heartbeats = WorkerHeartbeat.objects.aggregate(last=Max("last_seen"))
        alive = WorkerHeartbeat.objects.filter(last_seen__gte=now - datetime.timedelta(seconds=lease)).count()
    except DatabaseError as error:
        return {"backend": "database", "status": "unknown", "error": error.__class__.__name__}
    since = min((moment for moment in waiting_since if moment is not None), default=None)
    oldest_age = max(0.0, (now - since).total_seconds()) if since else None
    last = heartbeats["last"]
    last_age = max(0.0, (now - last).total_seconds()) if last else None
    problems = []
    if not alive:
        problems.append("no task worker alive" + (f" (last seen {last_age:.0f} s ago)" if last else ""))
    if oldest_age is not None and oldest_age > max_wait:
        problems.append(f"a task has waited {oldest_age:.0f} s")
    return {
        "backend": "database",
        "status": "degraded" if problems else "ok",
        "problems": problems,
        "workers": alive,
        "last_heartbeat_age": None if last_age is None else round(last_age, 1),
        "backlog": backlog,
        "oldest_waiting_age": None if oldest_age is None else round(oldest_age, 1),
        "running": running,
    }
