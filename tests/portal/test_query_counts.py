"""The uncached home page and door finder API read the database a bounded number of
times: no query per door, per menu item or per restriction check (issue 11's speed
targets; docs/benchmarks.md). The page cache is off here, so every request is computed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.geography import place_for_postal_code
from directory.models import LifeSituation, ServiceAtLocation
from tests.directory.factories import ChannelFactory, LocationFactory, ServiceFactory, weekly_hours

pytestmark = pytest.mark.django_db

CHILD = "huoli-lapsesta-tai-perheesta"
PLACE = {"postal_code": "83100"}
# What an answer costs at most, whatever the number of doors: the situation, the
# place, the pathway and its steps, the ranked and after-hours service ids, the
# services with their relations (one query per relation), the operating model.
DOORS_MAX_QUERIES = 30
HOME_MAX_QUERIES = 12


@pytest.fixture
def uncached(demo_content, db, settings):
    settings.OVI_PAGE_CACHE_SECONDS = 0


def _doors(client):
    response = client.get("/api/v1/doors", {"situation": CHILD, **PLACE})
    assert response.status_code == 200
    return response.json()


def _add_doors(count):
    """`count` more local entry points for the situation in the place, each with a
    location with opening hours and a phone channel."""
    situation = LifeSituation.objects.get(slug=CHILD)
    municipality = place_for_postal_code(PLACE["postal_code"]).municipality
    for number in range(count):
        service = ServiceFactory(
            name_fi=f"Lisäovi {number}",
            areas=[municipality],
            life_situations=[situation],
            is_entry_point=True,
        )
        location = LocationFactory(organisation=service.organisation, postal_code=PLACE["postal_code"])
        weekly_hours(location, [(day, "08:00", "16:00") for day in range(5)])
        ServiceAtLocation.objects.create(service=service, location=location)
        ChannelFactory(service=service)


def _queries(client):
    with CaptureQueriesContext(connection) as captured:
        body = _doors(client)
    return len(captured.captured_queries), len(body["doors"])


def test_doors_api_query_count_does_not_grow_with_the_doors(client, uncached, django_assert_max_num_queries):
    before, doors_before = _queries(client)
    _add_doors(6)
    after, doors_after = _queries(client)

    assert doors_after >= doors_before + 6
    assert after <= before
    with django_assert_max_num_queries(DOORS_MAX_QUERIES):
        _doors(client)


def test_home_page_query_count_is_bounded(client, uncached, django_assert_max_num_queries):
    # The first request in a language builds its menus (once per content generation).
    for path in ("/", "/en/"):
        assert client.get(path).status_code == 200
    for path in ("/", "/en/"):
        with django_assert_max_num_queries(HOME_MAX_QUERIES):
            assert client.get(path).status_code == 200


def test_menus_follow_a_content_change_at_once(client, uncached):
    """The menus are built once per content generation (portal.caching.memoized): an
    edited menu item shows on the next request."""
    from portal.models import MenuItem

    item = MenuItem.objects.filter(menu__placement="header", menu__locale__language_code="fi").first()
    assert item is not None
    client.get("/")
    item.label = "Seepravalikko"
    item.save()
    assert "Seepravalikko" in client.get("/").content.decode()
