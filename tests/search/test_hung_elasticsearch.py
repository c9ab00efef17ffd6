"""A hung Elasticsearch: a real TCP socket on loopback that accepts connections and
never answers (no mock). Searches give up after OVI_SEARCH_ES_TIMEOUT and the
database answers; the circuit breaker then keeps requests away from it, and when
it lets a trial through, only one request waits for it."""

import socket
import threading
import time

import pytest
from django.db import connection

from search import service
from search.query import SearchQuery


@pytest.fixture
def hung_elasticsearch():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.settimeout(0.05)
    accepted = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])  # and never a byte back
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", accepted
    stop.set()
    thread.join()
    for client in accepted:
        client.close()
    server.close()


def warm_up(settings, url):
    """What a long-running server has done before: a database search (analysers,
    caches) and the Elasticsearch client made; so the timings measure the cut-off."""
    settings.ELASTICSEARCH_URL = ""
    service.search(SearchQuery(text="perhekeskus"))
    settings.ELASTICSEARCH_URL = url
    service.search_engine()
    service.elasticsearch_engine()


def timed(function, *args):
    began = time.monotonic()
    result = function(*args)
    return result, time.monotonic() - began


@pytest.mark.parametrize("engine_name", ["database"])
def test_a_search_falls_back_from_a_hung_elasticsearch_in_well_under_a_second_and_a_half(
    indexed, settings, hung_elasticsearch
):
    url, accepted = hung_elasticsearch
    warm_up(settings, url)
    settings.OVI_SEARCH_ES_RETRY_SECONDS = 60
    service._down_until.clear()

    results, seconds = timed(service.search, SearchQuery(text="perhekeskus"))
    print(f"hung Elasticsearch: the search answered from the database after {seconds:.2f} s")
    assert results.engine == "database" and "service:perhekeskus-liperi" in indexed.keys("perhekeskus")
    assert seconds < 1.2, seconds
    assert len(accepted) == 1  # it really went to the hung server

    # The breaker is open: the next searches and suggestions do not wait at all.
    results, seconds = timed(service.search, SearchQuery(text="perhekeskus"))
    assert results.engine == "database" and seconds < 0.5, seconds
    suggestions, seconds = timed(service.suggest, "perhek")
    assert suggestions and seconds < 0.5, seconds
    assert len(accepted) == 1


# Transactional: the threads read the index through connections of their own.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("engine_name", ["database"])
def test_after_the_pause_one_request_tries_a_hung_elasticsearch_and_the_others_do_not_wait(
    indexed, settings, hung_elasticsearch
):
    url, accepted = hung_elasticsearch
    warm_up(settings, url)
    settings.OVI_SEARCH_ES_RETRY_SECONDS = 60
    engine = service.search_engine()
    service._down_until[engine.url] = time.monotonic() - 1  # the pause is just over
    durations, engines = [], []

    def search():
        try:
            results, seconds = timed(service.search, SearchQuery(text="perhekeskus"))
            durations.append(seconds)
            engines.append(results.engine)
        finally:
            connection.close()  # this thread's own database connection

    threads = [threading.Thread(target=search) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert engines == ["database"] * 6
    assert len(accepted) == 1  # one trial
    assert max(durations) < 1.2 and sorted(durations)[-2] < 0.5, durations
    assert not service._usable(engine)  # the trial failed: open again


@pytest.mark.parametrize("engine_name", ["database"])
def test_queued_updates_do_not_make_a_search_wait_longer_for_a_hung_elasticsearch(
    indexed, settings, hung_elasticsearch
):
    """With updates queued a search first tries to replay them (service._catch_up):
    a ping within the search timeout guards the slower write requests."""
    from search.models import PendingIndexUpdate

    url, accepted = hung_elasticsearch
    warm_up(settings, url)
    service._down_until.clear()
    PendingIndexUpdate.objects.create(key="service:perhekeskus-liperi", action="index")

    results, seconds = timed(service.search, SearchQuery(text="perhekeskus"))

    assert results.engine == "database" and seconds < 1.2, seconds
    assert len(accepted) == 1
    assert PendingIndexUpdate.objects.count() == 1  # still queued for when it answers
