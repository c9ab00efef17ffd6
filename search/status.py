"""What the readiness probe reports about search.

Without ELASTICSEARCH_URL the database engine serves and is always available.
With it, Elasticsearch is probed with a short timeout so a slow cluster
cannot hold up the probe, and the report says what a search would use right
now, the alias and its indices, whether the mapping is current, and how many
index updates wait for Elasticsearch.
"""

from django.conf import settings
from django.db import DatabaseError

PROBE_TIMEOUT_SECONDS = 1.0


def _pending_updates():
    from .models import PendingIndexUpdate

    try:
        return PendingIndexUpdate.objects.count()
    except DatabaseError:
        return None


def search_engine_status():
    if not settings.ELASTICSEARCH_URL:
        return {"engine": "database", "reachable": True}
    from .engines.elasticsearch import ElasticsearchUnavailable
    from .service import elasticsearch_engine

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
