"""Liveness and readiness probes.

/healthz answers as long as the process serves requests. /readyz says whether
the database and the search engine can be reached and the static files are
there, and how the task queue fares; a missing database or missing static
files (collectstatic not run, so every page would fail) make the instance
unready (503). Search falls back to the database engine, so an Elasticsearch
outage does not.

Nor does the task worker: no worker alive, or a task waiting longer than
OVI_TASKS_MAX_WAIT_SECONDS, makes the status "degraded" (200, reasons in
`tasks.problems`). The worker is one process beside all the app servers; a 503
would make a load balancer take every app server out because of it, while they
can still serve every page (edits are kept in the queue until a worker runs).
Monitoring should alert on "degraded".
"""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from search.status import search_engine_status, task_queue_status


def database_status(alias="default"):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"reachable": False, "error": error.__class__.__name__}
    return {"reachable": True, "vendor": connections[alias].vendor}


# Assets every public page links to: if they cannot be served, no page can.
ESSENTIAL_STATIC_FILES = ("portal/css/site.css", "directory/vendor/leaflet/leaflet.js")


def static_files_status():
    """Whether the essential static files can be served. With the manifest storage
    of production, `url()` raises for a file that collectstatic did not process."""
    missing = []
    for name in ESSENTIAL_STATIC_FILES:
        try:
            staticfiles_storage.url(name)
        except ValueError:
            missing.append(name)
            continue
        if hasattr(staticfiles_storage, "hashed_files") and not staticfiles_storage.exists(
            staticfiles_storage.stored_name(name)
        ):
            missing.append(name)
    return {"ok": not missing, "missing": missing}


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    database = database_status()
    search = search_engine_status()
    static = static_files_status()
    tasks = task_queue_status()
    ready = database["reachable"] and static["ok"]
    if not ready:
        status = "unready"
    else:
        status = "degraded" if tasks["status"] == "degraded" else "ready"
    body = {"status": status, "database": database, "search": search, "static": static, "tasks": tasks}
    return JsonResponse(body, status=200 if ready else 503)
