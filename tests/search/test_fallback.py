"""Elasticsearch down: the database answers, updates wait in a queue and are
replayed when it is back. 'Down' is a closed port on loopback (127.0.0.1:9),
'back' is the real server again; nothing is mocked."""

import pytest

from search import service, tasks
from search.documents import SearchDocument
from search.models import PendingIndexUpdate
from search.query import SearchQuery

CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture
def engine_name():
    return "elasticsearch"


def new_document(uid, word):
    return SearchDocument(
        type="service", uid=uid, title={"fi": f"{word.capitalize()} palvelu"}, text={"fi": word}
    )


def search(text, **options):
    return service.search(SearchQuery(text=text, page_size=100, **options))


def uids(results):
    return [r["uid"] for r in results.results]


def test_elasticsearch_down_then_back(indexed, settings):
    real_url = settings.ELASTICSEARCH_URL
    service.index_documents([new_document("poistuva", "lumenluonti")])
    assert search("lumenluonti").engine == "elasticsearch"

    settings.ELASTICSEARCH_URL = CLOSED_PORT
    down = search("perhekeskus")
    assert down.engine == "database"
    assert "perhekeskus-liperi" in uids(down)
    assert service.suggest("perhek")  # autocomplete falls back as well

    # Writes while down: no exception, the database has them, Elasticsearch waits.
    service.index_documents([new_document("uusi", "ikkunanpesu")])
    service.delete_documents(["service:poistuva"])
    assert PendingIndexUpdate.objects.count() == 2
    assert uids(search("ikkunanpesu")) == ["uusi"]
    assert search("lumenluonti").count == 0

    settings.ELASTICSEARCH_URL = real_url
    assert service.replay_pending() == 2
    assert PendingIndexUpdate.objects.count() == 0
    back = search("ikkunanpesu")
    assert back.engine == "elasticsearch" and uids(back) == ["uusi"]
    assert search("lumenluonti").count == 0


def test_the_first_search_after_an_outage_catches_up(indexed, settings):
    real_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    service.index_documents([new_document("uusi", "ikkunanpesu")])
    assert PendingIndexUpdate.objects.count() == 1

    settings.ELASTICSEARCH_URL = real_url
    back = search("ikkunanpesu")
    assert back.engine == "elasticsearch" and uids(back) == ["uusi"]
    assert PendingIndexUpdate.objects.count() == 0


def test_queued_updates_replay_the_latest_state_in_any_order(indexed, settings):
    real_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    document = new_document("vaihtuva", "ikkunanpesu")
    service.index_documents([document])
    service.delete_documents([document.key])
    service.index_documents([new_document("vaihtuva", "nurmikonleikkuu")])
    # One queued row per document: the replay sends whatever the database holds then.
    assert PendingIndexUpdate.objects.count() == 1

    settings.ELASTICSEARCH_URL = real_url
    service.replay_pending()
    assert search("ikkunanpesu").count == 0
    assert uids(search("nurmikonleikkuu")) == ["vaihtuva"]


def test_writes_queue_behind_earlier_updates_until_replayed(indexed, settings):
    real_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    service.index_documents([new_document("eka", "ikkunanpesu")])
    settings.ELASTICSEARCH_URL = real_url
    # Elasticsearch is back; this write finds the queue non-empty and replays it first.
    service.index_documents([new_document("toka", "nurmikonleikkuu")])
    assert PendingIndexUpdate.objects.count() == 0
    assert uids(search("ikkunanpesu")) == ["eka"]
    assert uids(search("nurmikonleikkuu")) == ["toka"]


def test_elasticsearch_answering_with_an_error_falls_back(indexed, settings):
    settings.OVI_SEARCH_ES_ALIAS = "test_ovi_no_such_index"
    results = search("perhekeskus")
    assert results.engine == "database"
    assert "perhekeskus-liperi" in uids(results)


def test_an_outage_is_not_retried_on_every_request(indexed, settings):
    real_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    settings.OVI_SEARCH_ES_RETRY_SECONDS = 60
    assert search("perhekeskus").engine == "database"
    engine = service.elasticsearch_engine()
    assert not service._usable(engine)
    settings.ELASTICSEARCH_URL = real_url
    assert search("perhekeskus").engine == "elasticsearch"


def test_index_tasks_while_down_queue_and_the_replay_task_sends_them(indexed, settings):
    """The task path (search/tasks.py, immediate backend in tests): an update
    task during an outage completes, its Elasticsearch write waits in the queue,
    and the replay task sends it once Elasticsearch is back."""
    real_url = settings.ELASTICSEARCH_URL
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    result = tasks.delete_documents.enqueue(["service:perhekeskus-liperi"])
    assert result.status == "SUCCESSFUL"  # no Elasticsearch error reached the task
    assert PendingIndexUpdate.objects.count() == 1  # the replay it queued found Elasticsearch still down
    down = search("perhekeskus")
    assert down.engine == "database" and "perhekeskus-liperi" not in uids(down)

    settings.ELASTICSEARCH_URL = real_url
    service._down_until.clear()
    assert tasks.replay_pending.enqueue().return_value == 1
    assert PendingIndexUpdate.objects.count() == 0
    back = search("perhekeskus")
    assert back.engine == "elasticsearch" and "perhekeskus-liperi" not in uids(back)
