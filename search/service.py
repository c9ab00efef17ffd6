"""The search service: which engine answers, and index writes that survive an
Elasticsearch outage.

- No ELASTICSEARCH_URL: the database engine does everything.
- ELASTICSEARCH_URL set: Elasticsearch answers searches. If it cannot be
  reached or answers with an error, the database engine answers instead
  (the result's `engine` says "database"), and for OVI_SEARCH_ES_RETRY_SECONDS
  Elasticsearch is not tried again, so an outage does not slow every request.
  Searches and suggestions give Elasticsearch OVI_SEARCH_ES_TIMEOUT seconds
  (0.75) per request, connecting included, so a hung node (it accepts
  connections and never answers) costs one request that long per retry
  period: a circuit breaker per URL, shared by the process's threads (`_usable`).

Index writes always go to the database engine first, synchronously: it is
the fallback and the source of truth for replays. Writes Elasticsearch could
not take are queued as PendingIndexUpdate rows and replayed by
`replay_pending()` (a task, `search_index repair`, or the first search that
finds Elasticsearch back), one row per document key. A replay sends each queued key's *current*
database entry (or a delete when there is none), so the order of queued
updates does not matter and none is lost. No Elasticsearch error reaches the
caller. Without ELASTICSEARCH_URL queued rows have nowhere to go (the database
engine is the whole index): `drop_stale_pending()` removes them.

Settings: ELASTICSEARCH_URL, OVI_SEARCH_ES_ALIAS ("ovi-documents"),
OVI_SEARCH_ES_REFRESH (False; True makes writes visible at once),
OVI_SEARCH_ES_REPLICAS (None: the cluster default), OVI_SEARCH_ES_RETRY_SECONDS (10),
OVI_SEARCH_ES_TIMEOUT (0.75).
"""

import logging
import threading
import time

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal

from .documents import SearchDocument
from .engines.base import PreparedDocument
from .engines.database import DatabaseEngine
from .engines.elasticsearch import ElasticsearchEngine, ElasticsearchUnavailable
from .models import PendingIndexUpdate, SearchEntry
from .query import MAX_PAGE_SIZE, SearchQuery

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


def elasticsearch_engine(timeout: float | None = None):
    """The Elasticsearch engine for the configured URL, or None. `timeout`: the
    seconds one request may take (None: the engine's default for writes);
    searches use `search_engine()`."""
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return None
    alias = getattr(settings, "OVI_SEARCH_ES_ALIAS", None) or "ovi-documents"
    refresh = bool(getattr(settings, "OVI_SEARCH_ES_REFRESH", False))
    replicas = getattr(settings, "OVI_SEARCH_ES_REPLICAS", None)
    key = (url, alias, refresh, replicas, timeout)
    with _lock:
        engine = _elasticsearch_engines.get(key)
        if engine is None:
            options = {"timeout": timeout} if timeout else {}
            engine = ElasticsearchEngine(url, alias=alias, refresh=refresh, replicas=replicas, **options)
            _elasticsearch_engines[key] = engine
    return engine


def search_engine():
    """The Elasticsearch engine for what a visitor waits for (searches, suggestions
    and the catch-up before them): requests time out after OVI_SEARCH_ES_TIMEOUT."""
    return elasticsearch_engine(timeout=float(getattr(settings, "OVI_SEARCH_ES_TIMEOUT", 0.75)))


def _retry_seconds():
    return float(getattr(settings, "OVI_SEARCH_ES_RETRY_SECONDS", 10))


# The circuit breaker: _down_until[url] is when Elasticsearch may be tried again.
# One per process and URL, shared by its threads (and by the search and write
# engines of that URL).


def _usable(engine):
    """Whether to call Elasticsearch now. Closed (no failure): yes. Open (a
    failure less than OVI_SEARCH_ES_RETRY_SECONDS ago): no. When the pause is over
    the first caller gets the one trial and the pause is extended for everyone
    else meanwhile: while a hung node keeps that trial waiting for its timeout,
    the other requests are answered by the database at once. The trial's success
    (_mark_up) closes the breaker, its failure (_mark_down) opens it again."""
    now = time.monotonic()
    with _lock:
        until = _down_until.get(engine.url)
        if until is None:
            return True
        if now < until:
            return False
        _down_until[engine.url] = now + _retry_seconds()
        return True


def _mark_down(engine, error):
    logger.warning("Elasticsearch at %s unavailable, using the database engine: %s", engine.url, error)
    with _lock:
        _down_until[engine.url] = time.monotonic() + _retry_seconds()


def _mark_up(engine):
    with _lock:
        _down_until.pop(engine.url, None)


# --- reading ---------------------------------------------------------------


def search(query):
    """SearchResults for a SearchQuery, from Elasticsearch when configured and
    healthy, from the database otherwise."""
    engine = search_engine()
    if engine is not None and _usable(engine):
        try:
            if _catch_up(engine):
                results = engine.search(query)
                _mark_up(engine)
                return results
        except ElasticsearchUnavailable as error:
            _mark_down(engine, error)
    return _database_engine.search(query)


# One search everywhere: lists that search their own records (the admin's
# directory listings) ask for the uids the site search finds, at most this many.
MAX_MATCHING_UIDS = 1000


def matching_uids(text, document_type, language="fi", professional=False, limit=MAX_MATCHING_UIDS):
    """The uids of the documents of one type a text search finds, best first:
    the same analysis as the site search (inflections, compounds, synonyms,
    typos, every language), for lists of records that search within
    themselves. At most `limit`. As on the search page, when no document has
    every word the documents with some of them are returned."""
    uids = []
    page = 1
    while len(uids) < limit:
        results = search(
            SearchQuery(
                text=text,
                language=language,
                filters={"type": [document_type]},
                professional=professional,
                page=page,
                page_size=MAX_PAGE_SIZE,
            )
        )
        uids.extend(result["uid"] for result in results.results)
        if not results.results or page * MAX_PAGE_SIZE >= results.count:
            break
        page += 1
    return list(dict.fromkeys(uids))[:limit]


def suggest(prefix, language="fi", professional=False, limit=8):
    engine = search_engine()
    if engine is not None and _usable(engine):
        try:
            if _catch_up(engine):
                suggestions = engine.suggest(prefix, language, professional, limit)
                _mark_up(engine)
                return suggestions
        except ElasticsearchUnavailable as error:
            _mark_down(engine, error)
    return _database_engine.suggest(prefix, language, professional, limit)


def _catch_up(engine):
    """Replay queued updates before Elasticsearch answers; False when it is
    still behind (the database, which has every update, answers instead).

    Writes may need more than a search's timeout (a refresh, a first index), so
    the replay uses the write engine; a ping within the search timeout comes
    first, so a hung node still costs no more than that."""
    if not PendingIndexUpdate.objects.exists():
        return True
    engine.ping()
    _replay(elasticsearch_engine(), limit=REPLAY_IN_REQUEST)
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


def _write_elasticsearch(action, keys, apply):
    engine = elasticsearch_engine()
    if engine is None:
        return
    # Asked once: _usable() may hand this caller the breaker's one trial.
    usable = _usable(engine)
    if usable and not PendingIndexUpdate.objects.exists():
        try:
            apply(engine)
            _mark_up(engine)
            return
        except ElasticsearchUnavailable as error:
            _mark_down(engine, error)
            usable = False
    # Down, or behind with earlier updates: queue this one behind them.
    _queue(action, keys)
    if usable:
        _replay(engine, limit=REPLAY_IN_REQUEST)


QUEUE_CHUNK = 500


def _queue(action, keys):
    """Queue keys for Elasticsearch, one row per key. A key queued again gets a
    new row, with a higher id: a replay removes only rows up to the last id it
    read (and `rebuild` those up to the last id before it began), so an update
    queued while they were sending is never dropped with the older one."""
    keys = list(dict.fromkeys(keys))
    for start in range(0, len(keys), QUEUE_CHUNK):
        chunk = keys[start : start + QUEUE_CHUNK]
        with transaction.atomic():
            PendingIndexUpdate.objects.filter(key__in=chunk).delete()
            # A concurrent writer may have queued one of these keys since the delete
            # (PostgreSQL): its row is as new as ours would be, so it does.
            PendingIndexUpdate.objects.bulk_create(
                [PendingIndexUpdate(key=key, action=action) for key in chunk], ignore_conflicts=True
            )


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
    settled; 0 when Elasticsearch is still down or not configured (then the rows
    are dropped: drop_stale_pending). For the replay task and `search_index repair`."""
    engine = elasticsearch_engine()
    if engine is None:
        drop_stale_pending()
        return 0
    return _replay(engine, limit)


def clear_pending() -> int:
    """Drop every queued Elasticsearch update; returns how many. For `search_index
    clear-queue`: after a rebuild, or when the Elasticsearch that they wait for is
    gone for good (a rebuild then loads a new one from the database)."""
    count, _by_model = PendingIndexUpdate.objects.all().delete()
    return count


def drop_stale_pending() -> int:
    """Without ELASTICSEARCH_URL the database engine is the whole index and
    queued Elasticsearch updates have nowhere to go (Elasticsearch was removed
    from the configuration): drop them, with a warning. A later Elasticsearch
    needs `search_index rebuild` anyway. Returns how many were dropped."""
    if elasticsearch_engine() is not None:
        return 0
    count = clear_pending()
    if count:
        logger.warning(
            "Dropped %d queued Elasticsearch updates: ELASTICSEARCH_URL is not set, the database "
            "engine is the whole index (run `search_index rebuild` when Elasticsearch returns)",
            count,
        )
    return count


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
        except ElasticsearchUnavailable as error:
            _mark_down(engine, error)
            break
        _mark_up(engine)
        with transaction.atomic():
            PendingIndexUpdate.objects.filter(id__lte=rows[-1].id, key__in=keys).delete()
        settled += len(rows)
    if settled:
        index_changed.send(sender=None, keys=None)
    return settled
