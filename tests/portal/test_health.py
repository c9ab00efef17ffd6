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
