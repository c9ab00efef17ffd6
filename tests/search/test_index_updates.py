"""Index updates on change: saving, deleting, publishing and unpublishing
reach the index through the tasks queued when the transaction commits.

The test settings run tasks with the immediate backend, so a commit
(django_capture_on_commit_callbacks(execute=True)) does what a worker would;
tests/search/test_task_worker.py runs the database backend with a real worker.
"""

import datetime
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
from django_tasks.signals import task_enqueued

from directory.models import LocationWeeklyHours, ServiceChannel
from portal.models import StandardPage
from search.models import SearchEntry
from search.signals import paused
from tests.directory.factories import LocationFactory
from tests.search.content import *  # noqa: F403
from tests.search.content import keys, search

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed() as queued:` runs the block as if its transaction committed;
    `queued` lists the (task name, args) queued."""

    @contextmanager
    def commit():
        queued = []

        def record(sender, task_result, **kwargs):
            queued.append((task_result.task.name, task_result.args))

        task_enqueued.connect(record)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                yield queued
        finally:
            task_enqueued.disconnect(record)

    return commit


def indexed(key):
    return SearchEntry.objects.filter(key=key).exists()


def title_of(key, language="fi"):
    return SearchEntry.objects.get(key=key).document["title"][language]


def search_tasks(queued):
    return [entry for entry in queued if entry[0] in ("update_objects", "delete_documents", "replay_pending")]


# Directory records --------------------------------------------------------------------------------


def test_saving_a_service_updates_its_document_and_those_that_show_it(content, committed):
    service = content["service"]
    location_key = f"location:{content['location'].uid}"
    with committed():
        service.name_fi = "Perheiden uusi seepraovi"
        service.save()

    results = search("seepraovi").results
    assert (results[0]["uid"], results[0]["title"]) == (str(service.uid), "Perheiden uusi seepraovi")
    assert location_key in keys("seepraovi")  # the location lists its services
    assert title_of(f"service:{service.uid}") == "Perheiden uusi seepraovi"


def test_a_transaction_queues_one_update_task(content, committed):
    service = content["service"]
    with committed() as queued:
        service.summary_fi = "Apua kaikkeen yhdestä paikasta."
        service.save()
        ServiceChannel.objects.create(
            service=service, kind="chat", label_fi="Chat-seeprakanava", url="https://example.invalid/chat"
        )
        service.save()

    assert [name for name, _ in search_tasks(queued)] == ["update_objects"]
    (items,) = search_tasks(queued)[0][1]
    assert [source for source, _, _ in items].count("directory.service") == 1
    assert f"service:{service.uid}" in keys("seeprakanava")


def test_deleting_a_service_removes_its_document(content, committed):
    service = content["kuopio_service"]
    key = f"service:{service.uid}"
    worker = f"contact_person:{content['kuopio_worker'].uid}"
    assert indexed(key)

    with committed() as queued:
        service.delete()

    # The key went with the task: the service was gone by the time it ran.
    assert ("delete_documents", [[key]]) in search_tasks(queued)
    assert not indexed(key)
    assert key not in keys("matalan kynnyksen vastaanotto")
    # The contact person's document no longer lists the service.
    assert worker not in keys("matalan kynnyksen vastaanotto", professional=True)
    assert worker in keys("päihdetyöntekijä", professional=True)


def test_a_service_that_is_no_longer_active_leaves_the_index(content, committed):
    service = content["service"]
    with committed():
        service.status = "defunct"
        service.save()

    assert not indexed(f"service:{service.uid}")

    with committed():
        service.status = "active"
        service.save()

    assert indexed(f"service:{service.uid}")


def test_opening_hours_rows_update_open_now(content, committed):
    saturday = datetime.datetime(2026, 3, 7, 11, 0, tzinfo=HELSINKI)
    service_key = f"service:{content['service'].uid}"
    assert service_key not in keys("", open_now=True, now=saturday)

    with committed():
        LocationWeeklyHours.objects.create(
            location=content["location"], weekday=5, opens=datetime.time(10), closes=datetime.time(14)
        )

    open_on_saturday = keys("", open_now=True, now=saturday)
    assert service_key in open_on_saturday  # it keeps its location's hours
    assert f"location:{content['location'].uid}" in open_on_saturday


def test_moving_a_service_to_another_location_updates_both_locations(content, committed):
    sal = content["sal"]
    old = content["location"]
    with committed():
        new = LocationFactory(organisation=content["city"], name_fi="Uusi seepratoimipiste")
        sal.location = new
        sal.save()

    found = keys("perheiden yhteinen ovi")
    assert f"location:{new.uid}" in found
    assert f"location:{old.uid}" not in found


def test_contact_person_changes_reach_professional_text_only(content, committed):
    worker = content["kuopio_worker"]
    with committed():
        worker.name = "Zygmunt Seeprakontakti"
        worker.save()

    professional = keys("Seeprakontakti", professional=True)
    assert f"contact_person:{worker.uid}" in professional
    assert f"service:{content['kuopio_service'].uid}" in professional
    assert keys("Seeprakontakti") == []


def test_paused_indexing_queues_nothing(content, committed):
    service = content["service"]
    with committed() as queued, paused():
        service.name_fi = "Tauotettu seepranimi"
        service.save()

    assert search_tasks(queued) == []
    assert title_of(f"service:{service.uid}") == "Perheiden yhteinen ovi"


# Pages ----------------------------------------------------------------------------------------------


def test_publishing_unpublishing_and_deleting_a_page(content, committed):
    home = content["homes"]["fi"]
    with committed():
        draft = StandardPage(title="Kesäleirin seepraohjeet", slug="kesaleiri", live=False)
        page = home.add_child(instance=draft)
    key = f"page:{page.translation_key}"
    assert not indexed(key)  # a draft is not searchable

    with committed():
        page.save_revision().publish()
    assert keys("seepraohjeet")[0] == key
    assert search("seepraohjeet").results[0]["url"] == "/kesaleiri/"

    page = StandardPage.objects.get(pk=page.pk)  # as published
    with committed():
        page.unpublish()
    assert key not in keys("seepraohjeet") and not indexed(key)

    with committed():
        page.save_revision().publish()
    assert keys("seepraohjeet")[0] == key

    with committed() as queued:
        page.delete()
    assert ("delete_documents", [[key]]) in search_tasks(queued)
    assert key not in keys("seepraohjeet") and not indexed(key)


def test_a_page_and_its_translations_are_one_document(content, committed):
    pathway = content["pathway"]
    key = f"pathway:{pathway['fi'].translation_key}"
    assert search("oro för barn", language="sv").results[0]["title"] == "Oro för ett barn eller familjen"

    with committed():
        pathway["sv"].delete()
    # Still there in Finnish; a Swedish search shows the Finnish page.
    assert indexed(key)
    assert search("huoli lapsesta", language="sv").results[0]["url"] == pathway["fi"].url

    with committed():
        pathway["fi"].delete()
    assert not indexed(key)


def test_publishing_a_translation_updates_the_shared_document(content, committed):
    model = content["model"]
    swedish = model.get_translation(content["homes"]["sv"].locale)
    swedish.title = "Områdesteamets zebramodell"
    with committed():
        swedish.save_revision().publish()

    results = search("zebramodell", language="sv").results
    assert [r["uid"] for r in results] == [str(model.translation_key)]
    assert results[0]["title"] == "Områdesteamets zebramodell"
    # Finnish searchers still get the Finnish title.
    assert search("aluetiimin toimintamalli").results[0]["title"] == "Aluetiimin toimintamalli"
