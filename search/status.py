"""What the readiness probe reports about search.

The database engine is always available; Elasticsearch is used when
ELASTICSEARCH_URL is set and is probed with a short timeout so a slow cluster
cannot hold up the probe.
"""

import json
import urllib.error
import urllib.request

from django.conf import settings

PROBE_TIMEOUT_SECONDS = 1.0


def search_engine_status():
    url = settings.ELASTICSEARCH_URL
    if not url:
        return {"engine": "database", "reachable": True}
    try:
        with urllib.request.urlopen(
            url.rstrip("/") + "/_cluster/health", timeout=PROBE_TIMEOUT_SECONDS
        ) as response:
            health = json.load(response)
    except (urllib.error.URLError, OSError, ValueError) as error:
        return {
            "engine": "database",
            "configured_engine": "elasticsearch",
            "reachable": False,
            "error": error.__class__.__name__,
        }
    return {
        "engine": "elasticsearch",
        "reachable": True,
        "cluster_status": health.get("status"),
    }
