"""Index update tasks (django-tasks), queued by search/signals.py on commit.

Tasks get plain JSON arguments: a source name with a primary key (the source
fetches the object again with `get_object(pk)`, so a task indexes what is in
the database when it runs, however late), or document keys computed when the
object still existed.

The backend is settings.TASKS: the database backend (django-tasks-db) with
`manage.py db_worker` running in production and `make run`; the immediate
backend in tests (portal/settings/test.py).

`replay_pending` sends the updates Elasticsearch could not take (queued as
PendingIndexUpdate rows by search.service) once it is back. An update task
that leaves rows queued (Elasticsearch is down) enqueues one, deferred by
OVI_SEARCH_ES_REPLAY_DELAY seconds (60) where the backend can defer, unless
one is already waiting: however many updates an outage sees, one replay task
waits at a time (two workers racing could each queue one; harmless). It does
not reschedule itself: until Elasticsearch is back the database engine
answers searches, and the next index write, the next search that finds
Elasticsearch up (search.service) or `search_index repair` replays the rest.

Every task re-reads what it indexes, so running one twice is harmless: the
worker (search/management/commands/db_worker.py) retries a task that failed
for a transient database reason and re-queues one a dead worker left running.
"""

import datetime
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from . import service
from .documents import get_source

logger = logging.getLogger(__name__)


@task()
def update_objects(items):
    """Index [source name, pk, key] items: each object through its source
    (`get_object(pk)`, then `document_for`), or remove `key` when the object is
    gone or not searchable. A key some item indexes is not removed by another
    (a deleted translation and the live page share one document)."""
    documents, unwanted = {}, set()
    for source_name, pk, key in items:
        try:
            source = get_source(source_name)
        except KeyError:
            logger.warning("Search source %s is not registered; %s not indexed", source_name, key)
            continue
        obj = source.get_object(pk)
        document = source.document_for(obj) if obj is not None else None
        if document is None:
            unwanted.add(source.key_for(obj) if obj is not None else key)
        else:
            documents[document.key] = document
    service.index_documents(list(documents.values()))
    service.delete_documents(sorted(unwanted - set(documents)))
    _replay_later_if_behind()
    return len(items)


@task()
def delete_documents(keys):
    """Remove documents by the keys computed when their objects were deleted."""
    service.delete_documents(keys)
    _replay_later_if_behind()
    return len(keys)


@task()
def replay_pending():
    """Send queued updates to Elasticsearch; the number of queued rows settled."""
    return service.replay_pending()


def _replay_later_if_behind():
    if service.elasticsearch_engine() is None or not service.pending_count():
        return
    replay = replay_pending
    backend = replay.get_backend()
    if _replay_waiting(backend):
        return
    if backend.supports_defer:
        delay = float(getattr(settings, "OVI_SEARCH_ES_REPLAY_DELAY", 60))
        replay = replay.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    try:
        replay.enqueue()
    except Exception:
        logger.exception("Could not queue the replay of pending Elasticsearch updates")


def _replay_waiting(backend) -> bool:
    """Whether a replay task is already queued and not started (database backend;
    other backends run it at once or keep no queue we can read)."""

    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        backend_name=backend.alias, task_path=replay_pending.module_path, status="READY"
    ).exists()
