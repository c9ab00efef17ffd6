import pytest
from django.db import connection


def test_healthz_answers_without_touching_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_database_and_search_engine(client, settings):
    settings.ELASTICSEARCH_URL = ""

    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["database"]["reachable"] is True
    assert body["search"] == {"engine": "database", "reachable": True}


@pytest.mark.django_db
def test_readyz_reports_unreachable_elasticsearch_but_stays_ready(client, settings):
    # Port 9 (discard) is closed on loopback: a real refused connection.
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"

    response = client.get("/readyz")

    assert response.status_code == 200
    search = response.json()["search"]
    assert search["configured_engine"] == "elasticsearch"
    assert search["reachable"] is False
    assert search["engine"] == "database"


@pytest.fixture
def unreachable_database(django_db_blocker):
    """Point the default connection at a database that cannot be opened."""
    with django_db_blocker.unblock():
        original = connection.settings_dict
        connection.close()
        broken = dict(original)
        if connection.vendor == "sqlite":
            broken["NAME"] = "/nonexistent-directory/ovi.sqlite3"
        else:
            broken["HOST"], broken["PORT"] = "127.0.0.1", "9"
        connection.settings_dict = broken
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict = original


def test_readyz_is_503_when_the_database_is_unreachable(client, unreachable_database):
    response = client.get("/readyz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unready"
    assert body["database"]["reachable"] is False


@pytest.mark.django_db
def test_suite_runs_on_the_database_ci_asked_for():
    """Guards the PostgreSQL CI run against silently testing SQLite again."""
    import os

    if os.environ.get("OVI_REQUIRE_POSTGRES") != "1":
        pytest.skip("only meaningful in the PostgreSQL CI run")
    assert connection.vendor == "postgresql"


DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db
def test_readyz_with_tasks_run_in_process_reports_no_worker_to_watch(client):
    body = client.get("/readyz").json()

    assert body["status"] == "ready"
    assert body["tasks"] == {"backend": "ImmediateBackend", "status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_a_live_worker_and_the_backlog(client, settings):
    from django.utils import timezone

    from search.models import WorkerHeartbeat
    from search.tasks import delete_documents

    settings.TASKS = DATABASE_TASKS
    settings.ELASTICSEARCH_URL = ""
    WorkerHeartbeat.objects.create(worker_id="w1", started=timezone.now(), last_seen=timezone.now())
    delete_documents.enqueue(["service:x"])

    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    tasks = body["tasks"]
    assert tasks["status"] == "ok" and tasks["problems"] == []
    assert tasks["workers"] == 1 and tasks["last_heartbeat_age"] < 5
    assert tasks["backlog"] == 1 and 0 <= tasks["oldest_waiting_age"] < 5
    assert tasks["running"] == 0


@pytest.mark.django_db
def test_readyz_is_degraded_but_200_without_a_live_worker(client, settings):
    """The worker is not the app server: a load balancer must not take every app
    server out because it died. "degraded" is for monitoring."""
    import datetime

    from django.utils import timezone

    from search.models import WorkerHeartbeat

    settings.TASKS = DATABASE_TASKS
    long_ago = timezone.now() - datetime.timedelta(minutes=10)
    WorkerHeartbeat.objects.create(worker_id="w1", started=long_ago, last_seen=long_ago)

    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["tasks"]["status"] == "degraded" and body["tasks"]["workers"] == 0
    assert body["tasks"]["last_heartbeat_age"] >= 600
    assert "no task worker alive" in body["tasks"]["problems"][0]


@pytest.mark.django_db
def test_readyz_is_degraded_when_a_task_waits_too_long(client, settings):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from search.models import WorkerHeartbeat
    from search.tasks import delete_documents

    settings.TASKS = DATABASE_TASKS
    settings.OVI_TASKS_MAX_WAIT_SECONDS = 60
    WorkerHeartbeat.objects.create(worker_id="w1", started=timezone.now(), last_seen=timezone.now())
    result = delete_documents.enqueue(["service:x"])
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    tasks = client.get("/readyz").json()["tasks"]

    assert tasks["status"] == "degraded" and tasks["oldest_waiting_age"] >= 300
    assert tasks["problems"] == [f"a task has waited {tasks['oldest_waiting_age']:.0f} s"]
