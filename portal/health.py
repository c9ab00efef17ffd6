"""Liveness and readiness probes.

/healthz answers as long as the process serves requests. /readyz says whether
the database and the search engine can be reached; only a missing database
makes the instance unready, because search falls back to the database engine.
"""

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search.status import search_engine_status


def database_status(alias="default"):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"reachable": False, "error": error.__class__.__name__}
    return {"reachable": True, "vendor": connections[alias].vendor}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    database = database_status()
    search = search_engine_status()
    ready = database["reachable"]
    body = {"status": "ready" if ready else "unready", "database": database, "search": search}
    return JsonResponse(body, status=200 if ready else 503)
