"""The directory demo loader: complete, idempotent, keeps uids, and its doors make sense."""

import json
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction

from directory import presenters
from directory.demo import DEMO_FILE, load_directory_demo
from directory.geography import place_for_municipality, place_for_postal_code
from directory.models import (
    ContactPerson,
    LifeSituation,
    Location,
    Organisation,
    Service,
    ServiceAtLocation,
    ServiceChannel,
    Team,
    TeamMember,
)
from directory.roles import DIRECTORY_ADMINS_GROUP, DIRECTORY_EDITORS_GROUP, PROFESSIONALS_GROUP
from directory.selectors import entry_points, public_service

pytestmark = pytest.mark.django_db

MODELS = (Organisation, Location, Service, ServiceChannel, ServiceAtLocation, ContactPerson, Team)


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The directory demo, loaded once for the module and rolled back after it; each
    test runs in a savepoint of its own (`db`), so no test sees another's writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_directory_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_content, db):
    with open(DEMO_FILE, encoding="utf-8") as handle:
        return json.load(handle)


def snapshot():
    state = {model.__name__: sorted(model.objects.values_list("uid", "updated_at")) for model in MODELS}
    state["members"] = sorted(TeamMember.objects.values_list("pk", "role_fi"))
    state["situations"] = sorted(LifeSituation.objects.values_list("pk", "slug", "name_fi"))
    return state


def test_demo_loads_every_record_of_the_file(demo):
    assert Organisation.objects.count() == len(demo["organizations"])
    assert Location.objects.count() == len(demo["locations"])
    assert Service.objects.count() == len(demo["services"])
    assert ContactPerson.objects.count() == len(demo["contact_people"])
    assert Team.objects.count() == len(demo["teams"])
    assert LifeSituation.objects.filter(slug__in=[s["slug"] for s in demo["life_situations"]]).count() == 6
    assert ServiceAtLocation.objects.count() == sum(len(s["locations"]) for s in demo["services"])
    assert ServiceChannel.objects.count() == sum(len(s["channels"]) for s in demo["services"])


def test_demo_keeps_the_files_uids(demo):
    for key, model in (("organizations", Organisation), ("services", Service), ("teams", Team)):
        assert {str(uid) for uid in model.objects.values_list("uid", flat=True)} == {
            r["uid"] for r in demo[key]
        }


def test_loading_twice_creates_and_changes_nothing(demo):
    before = snapshot()

    report = load_directory_demo()

    assert snapshot() == before
    assert all(counts["created"] == 0 and counts["updated"] == 0 for counts in report.values()), report


def test_loading_repairs_changed_records(demo):
    service = Service.objects.get(uid=uuid.UUID(demo["services"][0]["uid"]))
    service.name_fi = "Muutettu"
    service.save()

    report = load_directory_demo()

    service.refresh_from_db()
    assert service.name_fi == demo["services"][0]["name"]["fi"]
    assert report["services"]["updated"] == 1


def test_demo_creates_the_directory_groups(demo):
    assert set(Group.objects.values_list("name", flat=True)) >= {
        PROFESSIONALS_GROUP,
        DIRECTORY_EDITORS_GROUP,
        DIRECTORY_ADMINS_GROUP,
    }
    assert (
        Group.objects.get(name=DIRECTORY_EDITORS_GROUP).permissions.filter(codename="change_service").exists()
    )


def test_demo_hours_keep_spans_across_midnight_and_exceptions(demo):
    night = ServiceAtLocation.objects.get(service__name_fi="Nuorten yöpäivystys, Joensuun keskusta")

    schedule = night.effective_schedule()

    assert [(r.weekday, r.opens.isoformat(), r.closes.isoformat()) for r in schedule.rules] == [
        (4, "18:00:00", "02:00:00"),
        (5, "18:00:00", "02:00:00"),
    ]
    assert any(e.date_from.isoformat() == "2026-12-31" and not e.closed for e in schedule.exceptions)


DOORS = [
    # Rantakylä's own door comes before the Joensuu-wide one.
    ("huoli-lapsesta-tai-perheesta", "80160", "Rantakylän hyvinvointiasema – perheiden yhteinen ovi"),
    # Tampere has no family door of its own: the Pirkanmaa county door.
    ("huoli-lapsesta-tai-perheesta", "Tampere", "Lapsiperheiden sosiaalipalvelujen neuvonta, Pirkanmaa"),
    # The Hervanta adult door is limited to 33720; elsewhere in Tampere, the county door.
    ("aikuisen-monet-huolet", "33720", "Minun tiimini -palveluohjaus, Hervannan sote-keskus"),
    ("aikuisen-monet-huolet", "33100", "Sosiaalineuvonta työikäisille, Pirkanmaa"),
]


def test_demo_doors(demo):
    # One test for all cases: loading the demo is the expensive part.
    for situation, place, first_door in DOORS:
        where = place_for_postal_code(place) if place.isdigit() else place_for_municipality(place)

        doors = entry_points(situation, where)

        assert doors and doors[0].name_fi == first_door, (situation, place)


def test_demo_professional_data_stays_hidden_from_anonymous_users(demo):
    professional = [s for s in demo["services"] if s.get("professional")]
    planted = [
        s["professional"]["direct_phone"] for s in professional if s["professional"].get("direct_phone")
    ]
    assert planted

    for record in professional[:10]:
        data = presenters.represent_service(public_service(uuid.UUID(record["uid"])), AnonymousUser())
        text = json.dumps(data, default=str, ensure_ascii=False)
        assert "professional" not in data
        assert not [phone for phone in planted if phone in text]
