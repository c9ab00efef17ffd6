"""search_engine_status(), which /readyz reports."""

import pytest

from search import service
from search.models import PendingIndexUpdate
from search.status import search_engine_status

from .conftest import require_elasticsearch


@pytest.mark.django_db
def test_database_engine(settings):
    settings.ELASTICSEARCH_URL = ""
    assert search_engine_status() == {"engine": "database", "reachable": True}


@pytest.mark.django_db
def test_unreachable_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9"
    PendingIndexUpdate.objects.create(key="service:x", action="index")
    status = search_engine_status()
    assert status["engine"] == "database" and status["configured_engine"] == "elasticsearch"
    assert status["reachable"] is False and status["error"]
    assert status["pending_updates"] == 1


@pytest.mark.parametrize("engine_name", ["elasticsearch"])
def test_reachable_elasticsearch(indexed, settings):
    status = search_engine_status()
    assert status["engine"] == "elasticsearch" and status["reachable"] is True
    assert status["alias"] == settings.OVI_SEARCH_ES_ALIAS
    assert len(status["indices"]) == 1 and status["mapping_current"] is True
    assert status["documents"] > 0 and status["pending_updates"] == 0
    assert status["cluster_status"] in {"green", "yellow"}
    # While updates wait for Elasticsearch, searches are answered by the database.
    PendingIndexUpdate.objects.create(key="service:x", action="delete")
    assert search_engine_status()["engine"] == "database"
    service.replay_pending()
    assert search_engine_status()["engine"] == "elasticsearch"


def test_elasticsearch_requirement_is_explicit(monkeypatch):
    from . import conftest

    monkeypatch.setattr(conftest, "ELASTICSEARCH_URL", "")
    monkeypatch.setenv("OVI_REQUIRE_ELASTICSEARCH", "1")
    with pytest.raises(pytest.fail.Exception):
        require_elasticsearch()
