"""The search service: which engine answers, and index writes that survive an
Elasticsearch outage.

- No ELASTICSEARCH_URL: the database engine does everything.
- ELASTICSEARCH_URL set: Elasticsearch answers searches. If it cannot be
  reached or answers with an error, the database engine answers instead
  (the result's `engine` says "database"), and for OVI_SEARCH_ES_RETRY_SECONDS
  Elasticsearch is not tried again, so an outage does not slow every request.

Index writes always go to the database engine first, synchronously: it is
the fallback and the source of truth for replays. Writes Elasticsearch could
not take are queued as PendingIndexUpdate rows and replayed by
`replay_pending()` (a task, `search_index repair`, or the first search that
finds Elasticsearch back). A replay sends each queued key's *current*
database entry (or a delete when there is none), so the order of queued
updates does not matter and none is lost. No Elasticsearch error reaches the
caller.

Settings: ELASTICSEARCH_URL, OVI_SEARCH_ES_ALIAS ("ovi-documents"),
OVI_SEARCH_ES_REFRESH (False; True makes writes visible at once),
OVI_SEARCH_ES_REPLICAS (None: the cluster default), OVI_SEARCH_ES_RETRY_SECONDS (10).
"""

import logging
import threading
import time

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from .documents import SearchDocument, get_source
from .engines.base import PreparedDocument
from .engines.database import DatabaseEngine
from .models import PendingIndexUpdate, SearchEntry

logger = logging.getLogger(__name__)

REPLAY_BATCH = 500
# A search that finds queued updates replays at most this many before
# answering; with more still queued it answers from the database instead.
REPLAY_IN_REQUEST = 200

# Sent after documents were written to or removed from the index, once what was
# written can be searched. Whoever caches search answers listens (portal.caching).
index_changed = Signal()

_database_engine = DatabaseEngine()
_elasticsearch_engines = {}
_down_until = {}
_lock = threading.Lock()


def database_engine():
    return _database_engine


def elasticsearch_engine():
    """The Elasticsearch engine for the configured URL, or None."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return None
    alias = getattr(settings, "OVI_SEARCH_ES_ALIAS", None) or "ovi-documents"
    refresh = bool(getattr(settings, "OVI_SEARCH_ES_REFRESH", False))
    replicas = getattr(settings, "OVI_SEARCH_ES_REPLICAS", None)
    key = (url, alias, refresh, replicas)
    with _lock:
        engine = _elasticsearch_engines.get(key)
        if engine is None:
            from .engines.elasticsearch import ElasticsearchEngine

            engine = ElasticsearchEngine(url, alias=alias, refresh=refresh, replicas=replicas)
            _elasticsearch_engines[key] = engine
    return engine


def _retry_seconds():
    return float(getattr(settings, "OVI_SEARCH_ES_RETRY_SECONDS", 10))


def _usable(engine):
    return time.monotonic() >= _down_until.get(engine.url, 0)


def _mark_down(engine, error):
    logger.warning("Elasticsearch at %s unavailable, using the database engine: %s", engine.url, error)
    _down_until[engine.url] = time.monotonic() + _retry_seconds()


def _mark_up(engine):
    _down_until.pop(engine.url, None)


def _unavailable():
    from .engines.elasticsearch import ElasticsearchUnavailable

    return ElasticsearchUnavailable


# --- reading ---------------------------------------------------------------


def search(query):
    """SearchResults for a SearchQuery, from Elasticsearch when configured and
    healthy, from the database otherwise."""
    engine = elasticsearch_engine()
    if engine is not None and _usable(engine):
        try:
            if _catch_up(engine):
                results = engine.search(query)
                _mark_up(engine)
                return results
        except _unavailable() as error:
            _mark_down(engine, error)
    return _database_engine.search(query)


def suggest(prefix, language="fi", professional=False, limit=8):
    engine = elasticsearch_engine()
    if engine is not None and _usable(engine):
        try:
            if _catch_up(engine):
                return engine.suggest(prefix, language, professional, limit)
        except _unavailable() as error:
            _mark_down(engine, error)
    return _database_engine.suggest(prefix, language, professional, limit)


def _catch_up(engine):
    """Replay queued updates before Elasticsearch answers; False when it is
    still behind (the database, which has every update, answers instead)."""
    if not PendingIndexUpdate.objects.exists():
        return True
    _replay(engine, limit=REPLAY_IN_REQUEST)
    return not PendingIndexUpdate.objects.exists()


# --- writing ---------------------------------------------------------------


def index_documents(documents):
    """Add or replace documents in every engine. Never raises for Elasticsearch trouble."""
    documents = [document for document in documents if document is not None]
    if not documents:
        return
    _database_engine.index(documents)
    keys = [document.key for document in documents]
    _write_elasticsearch(
        PendingIndexUpdate.INDEX, keys, lambda engine: engine.index_prepared(_prepared(keys))
    )
    index_changed.send(sender=None, keys=keys)


def delete_documents(keys):
    keys = list(dict.fromkeys(keys))
    if not keys:
        return
    _database_engine.delete(keys)
    _write_elasticsearch(PendingIndexUpdate.DELETE, keys, lambda engine: engine.delete(keys))
    index_changed.send(sender=None, keys=keys)


def update_object(source_name, obj):
    """Index an app object through its registered source (or remove it when
    the source says it must not be searchable). For apps' signal handlers."""
    source = get_source(source_name)
    document = source.document_for(obj)
    if document is None:
        delete_documents([source.key_for(obj)])
    else:
        index_documents([document])


def remove_object(source_name, obj):
    delete_documents([get_source(source_name).key_for(obj)])


def _write_elasticsearch(action, keys, apply):
    engine = elasticsearch_engine()
    if engine is None:
        return
    if _usable(engine) and not PendingIndexUpdate.objects.exists():
        try:
            apply(engine)
            return
        except _unavailable() as error:
            _mark_down(engine, error)
    # Down, or behind with earlier updates: queue this one behind them.
    PendingIndexUpdate.objects.bulk_create([PendingIndexUpdate(key=key, action=action) for key in keys])
    if _usable(engine):
        _replay(engine, limit=REPLAY_IN_REQUEST)


def _prepared(keys):
    """PreparedDocuments from the database entries (already analysed)."""
    entries = SearchEntry.objects.filter(key__in=list(keys))
    return [
        PreparedDocument(
            document=SearchDocument.from_dict(entry.document),
            terms=entry.terms,
            attributes=entry.attributes,
            content_hash=entry.content_hash,
        )
        for entry in entries
    ]


def pending_count():
    return PendingIndexUpdate.objects.count()


def replay_pending(limit=None):
    """Apply queued Elasticsearch updates. Returns how many queued rows were
    settled; 0 when Elasticsearch is not configured or still down. For the
    replay task and `search_index repair`."""
    engine = elasticsearch_engine()
    if engine is None:
        return 0
    return _replay(engine, limit)


def _replay(engine, limit=None):
    settled = 0
    while limit is None or settled < limit:
        batch_size = REPLAY_BATCH if limit is None else min(REPLAY_BATCH, limit - settled)
        rows = list(PendingIndexUpdate.objects.order_by("id")[:batch_size])
        if not rows:
            break
        keys = list(dict.fromkeys(row.key for row in rows))
        prepared = _prepared(keys)
        present = {item.key for item in prepared}
        try:
            engine.index_prepared(prepared)
            engine.delete([key for key in keys if key not in present])
        except _unavailable() as error:
            _mark_down(engine, error)
            break
        _mark_up(engine)
        with transaction.atomic():
            PendingIndexUpdate.objects.filter(id__lte=rows[-1].id, key__in=keys).delete()
        settled += len(rows)
    if settled:
        index_changed.send(sender=None, keys=None)
    return settled
