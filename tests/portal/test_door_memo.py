"""The door finder keeps what it reads from the content for anonymous residents until the
content changes (portal.pathways.find_doors, portal.caching.memoized). What depends on the
clock, on an edit or on who asks must still be right on the very next request."""

import pytest
from django.contrib.auth.models import Group

from directory.models import Service
from directory.roles import PROFESSIONALS_GROUP
from directory.services import ensure_directory_groups
from portal.caching import content_changed
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db

ELDERLY = "ikaantyneen-kotona-asuminen"
PLACE = {"municipality": "Kontiolahti"}
SATURDAY_EVENING = "2026-12-05T20:00"
MONDAY_MORNING = "2026-12-07T10:00"


@pytest.fixture
def anonymous_settings(settings):
    settings.OVI_PAGE_CACHE_SECONDS = 0  # the page cache would answer before the view


def doors(client, **params):
    response = client.get("/api/v1/doors", {"situation": ELDERLY, **PLACE, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_open_status_follows_the_moment_asked_about(client, demo, anonymous_settings):
    evening = doors(client, at=SATURDAY_EVENING)
    morning = doors(client, at=MONDAY_MORNING)
    evening_again = doors(client, at=SATURDAY_EVENING)

    assert evening["doors"] and morning["doors"]
    assert evening["door_open"] is False
    assert evening["after_hours"] is not None
    assert morning["door_open"] is True
    assert morning["after_hours"] is None
    assert evening_again["door_open"] is False
    assert evening_again["doors"][0]["open_status"] == evening["doors"][0]["open_status"]


def test_an_edited_door_shows_on_the_next_request(client, demo, anonymous_settings):
    first = doors(client, at=MONDAY_MORNING)["doors"][0]

    service = Service.objects.get(uid=first["uid"])
    service.name_fi = "Kontiolahden uusi yhteinen ovi"
    service.save()

    assert doors(client, at=MONDAY_MORNING)["doors"][0]["name"] == "Kontiolahden uusi yhteinen ovi"


def test_a_door_made_inactive_is_gone_on_the_next_request(client, demo, anonymous_settings):
    first = doors(client, at=MONDAY_MORNING)["doors"][0]

    Service.objects.filter(uid=first["uid"]).update(is_entry_point=False)  # no signal: a bulk update
    content_changed()  # what code that writes outside the ORM's signals must call

    assert first["uid"] not in [door["uid"] for door in doors(client, at=MONDAY_MORNING)["doors"]]


def test_a_professional_never_gets_the_residents_answer_nor_leaves_theirs(client, demo, anonymous_settings):
    resident = doors(client, at=MONDAY_MORNING)
    assert all("professional" not in door for door in resident["doors"])

    ensure_directory_groups()
    user = UserFactory(username="ammattilainen")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    client.force_login(user)
    professional = doors(client, at=MONDAY_MORNING)
    assert any("professional" in door for door in professional["doors"])

    client.logout()
    assert all("professional" not in door for door in doors(client, at=MONDAY_MORNING)["doors"])


def test_each_language_has_its_own_steps(client, demo, anonymous_settings):
    finnish = doors(client, at=MONDAY_MORNING, lang="fi")["next_steps"]["steps"]
    swedish = doors(client, at=MONDAY_MORNING, lang="sv")["next_steps"]["steps"]

    assert finnish and swedish
    assert [step["title"] for step in finnish] != [step["title"] for step in swedish]


ADULT = "aikuisen-monet-huolet"
KUOPIO = {"municipality": "Kuopio"}
PUBLIC_FIELDS = (
    "name",
    "sectors",
    "target_groups",
    "life_situations",
    "service_classes",
    "languages",
    "area",
    "operating_model",
    "teams",
    "locations",
    "channels",
)


def _professional(client):
    ensure_directory_groups()
    user = UserFactory(username="ammattilainen-vertailu")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    client.force_login(user)


def test_a_residents_door_shows_what_a_fresh_read_shows(client, demo, anonymous_settings):
    """Residents' doors are read with the reference tables kept per content generation and
    the operating models resolved for all doors at once; a professional's are read anew.
    The public part of each door is the same, in the same order, memo cold and warm."""
    places = [KUOPIO, PLACE, {"postal_code": "80100"}, {"postal_code": "00100"}]
    situations = [ADULT, ELDERLY]
    asked = [(situation, place) for situation in situations for place in places]

    def public_part(door):
        data = {key: door[key] for key in PUBLIC_FIELDS}
        data["locations"] = [
            {k: v for k, v in loc.items() if k != "professional"} for loc in door["locations"]
        ]
        return data

    def public_doors():
        return [
            [public_part(door) for door in body["doors"] + (body["more_doors"] or {}).get("doors", [])]
            for body in (doors(client, situation=s, at=MONDAY_MORNING, **p) for s, p in asked)
        ]

    cold, warm = public_doors(), public_doors()
    _professional(client)
    fresh = public_doors()

    assert cold == warm == fresh
    terms = [
        door["sectors"] + door["languages"] + door["area"]["municipalities"]
        for answer in fresh
        for door in answer
    ]
    assert any(terms)
    assert any(door["operating_model"] for answer in fresh for door in answer)


def test_a_renamed_term_and_a_retitled_operating_model_show_on_the_next_request(
    client, demo, anonymous_settings
):
    from directory.models import Sector
    from models_library.models import OperatingModelPage

    door = doors(client, situation=ADULT, at=MONDAY_MORNING, **KUOPIO)["doors"][0]
    assert door["sectors"] and door["operating_model"]

    sector = Sector.objects.get(slug=door["sectors"][0]["slug"])
    sector.name_fi = "Uudelleen nimetty toimiala"
    sector.save()
    model = OperatingModelPage.objects.get(
        translation_key=door["operating_model"]["uid"], locale__language_code="fi"
    )
    model.title = "Uudelleen nimetty toimintamalli"
    model.save()

    again = doors(client, situation=ADULT, at=MONDAY_MORNING, **KUOPIO)["doors"][0]
    assert again["uid"] == door["uid"]
    assert "Uudelleen nimetty toimiala" in [term["name"] for term in again["sectors"]]
    assert again["operating_model"]["title"] == "Uudelleen nimetty toimintamalli"


@pytest.fixture
def shared_memo(settings, anonymous_settings):
    settings.OVI_SHARED_MEMO = True


def as_another_process():
    """What this process memoized is gone; the shared cache is all another process has."""
    from portal import caching

    caching._memo.clear()


def test_another_process_answers_from_what_one_process_read(
    client, demo, shared_memo, django_assert_max_num_queries
):
    first = doors(client, at=SATURDAY_EVENING)
    as_another_process()

    # Only the directory's URL routes are read again (3 queries, kept per process).
    with django_assert_max_num_queries(3):
        again = doors(client, at=SATURDAY_EVENING)

    assert again == first
    assert first["doors"] and first["after_hours"] is not None


def test_the_shared_memo_follows_the_content(client, demo, shared_memo):
    first = doors(client, at=MONDAY_MORNING)["doors"][0]
    service = Service.objects.get(uid=first["uid"])
    service.name_fi = "Jaetun muistin uusi nimi"
    service.save()
    as_another_process()

    assert doors(client, at=MONDAY_MORNING)["doors"][0]["name"] == "Jaetun muistin uusi nimi"


def test_code_of_another_release_never_reads_the_shared_memo(client, demo, shared_memo, monkeypatch):
    from portal import caching

    doors(client, at=MONDAY_MORNING)
    as_another_process()
    monkeypatch.setattr(caching, "_fingerprint", "another-release")
    reads = []
    monkeypatch.setattr(caching, "_shared_read", lambda g, keys: reads.append(keys) or {})

    doors(client, at=MONDAY_MORNING)

    assert reads  # it asked, under keys the other release never wrote
    assert all(caching._shared_key("g", key).split(":")[1] == "another-release" for key in reads[0])
