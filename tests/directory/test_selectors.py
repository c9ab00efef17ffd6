"""Selectors the portal builds on: which services serve a place, the doors, open now."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from directory import hours
from directory.choices import HoursMode, ServiceStatus
from directory.geography import place_for_municipality, place_for_postal_code
from directory.models import PostalCode
from directory.selectors import (
    after_hours_candidates,
    doors_and_help,
    entry_points,
    open_now,
    services_serving,
    teams_in_area,
)

from .factories import (
    ChannelFactory,
    LifeSituationFactory,
    LocationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TeamFactory,
    county,
    municipality,
    office_hours,
    weekly_hours,
)

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
MONDAY_10 = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=HELSINKI)
MONDAY_20 = datetime.datetime(2026, 11, 23, 20, 0, tzinfo=HELSINKI)


def names(queryset):
    return [service.name_fi for service in queryset]


@pytest.fixture
def areas(db):
    """Services for Joensuu, part of Joensuu (Rantakylä), North Karelia, the whole country, and Kuopio."""
    situation = LifeSituationFactory(slug="huoli-lapsesta")
    rantakyla = ServiceFactory(
        name_fi="Rantakylän ovi",
        areas=[municipality("167")],
        is_entry_point=True,
        life_situations=[situation],
    )
    rantakyla.postal_codes.set([PostalCode.objects.get(code="80160")])
    rantakyla.save()
    return {
        "situation": situation,
        "rantakyla": rantakyla,
        "joensuu": ServiceFactory(
            name_fi="Joensuun ovi",
            areas=[municipality("167")],
            is_entry_point=True,
            life_situations=[situation],
        ),
        "county": ServiceFactory(
            name_fi="Maakunnan ovi", areas=[county("14")], is_entry_point=True, life_situations=[situation]
        ),
        "national": ServiceFactory(
            name_fi="Valtakunnallinen ovi", nationwide=True, is_entry_point=True, life_situations=[situation]
        ),
        "kuopio": ServiceFactory(
            name_fi="Kuopion ovi",
            areas=[municipality("297")],
            is_entry_point=True,
            life_situations=[situation],
        ),
        "not_a_door": ServiceFactory(
            name_fi="Joensuun muu palvelu", areas=[municipality("167")], life_situations=[situation]
        ),
        "other_situation": ServiceFactory(
            name_fi="Joensuun toinen ovi", areas=[municipality("167")], is_entry_point=True
        ),
    }


def test_services_serving_a_municipality_most_local_first(areas):
    assert names(services_serving(place_for_municipality("Joensuu"))) == [
        "Joensuun muu palvelu",
        "Joensuun ovi",
        "Joensuun toinen ovi",
        "Rantakylän ovi",  # limited to a postal code area, but a bare municipality cannot rule it out
        "Maakunnan ovi",
        "Valtakunnallinen ovi",
    ]


def test_services_serving_a_municipality_of_the_county(areas):
    assert names(services_serving(municipality("426"))) == ["Maakunnan ovi", "Valtakunnallinen ovi"]  # Liperi


def test_services_serving_a_municipality_outside_the_county(areas):
    assert names(services_serving(place_for_postal_code("70100"))) == ["Kuopion ovi", "Valtakunnallinen ovi"]


def test_postal_code_areas_narrow_a_service_inside_its_municipality(areas):
    in_rantakyla = names(services_serving(place_for_postal_code("80160")))
    in_city_centre = names(services_serving(place_for_postal_code("80100")))

    assert in_rantakyla[0] == "Rantakylän ovi"
    assert "Rantakylän ovi" not in in_city_centre
    assert "Joensuun ovi" in in_city_centre


def test_services_serving_leaves_out_services_residents_cannot_see(areas):
    areas["joensuu"].status = ServiceStatus.INACTIVE
    areas["joensuu"].save()

    assert "Joensuun ovi" not in names(services_serving(municipality("167")))


def test_entry_points_are_ordered_postal_area_municipality_county_country(areas):
    doors = entry_points(areas["situation"], place_for_postal_code("80160"))

    assert names(doors) == ["Rantakylän ovi", "Joensuun ovi", "Maakunnan ovi", "Valtakunnallinen ovi"]
    assert [door.locality for door in doors] == [0, 1, 2, 3]


def test_entry_points_by_slug_and_by_municipality(areas):
    assert names(entry_points("huoli-lapsesta", municipality("426"))) == [
        "Maakunnan ovi",
        "Valtakunnallinen ovi",
    ]
    assert names(entry_points("ei-tallaista", municipality("426"))) == []


def test_entry_points_leave_out_closed_doors(areas):
    areas["joensuu"].status = ServiceStatus.TEMPORARILY_CLOSED
    areas["joensuu"].save()

    assert "Joensuun ovi" not in names(entry_points(areas["situation"], municipality("167")))


def test_entry_points_for_aland_without_a_county(areas):
    assert names(entry_points(areas["situation"], municipality("478"))) == [
        "Valtakunnallinen ovi"
    ]  # Maarianhamina


def test_open_now_for_a_location_and_a_schedule():
    location = office_hours(LocationFactory())

    assert open_now(location, at=MONDAY_10)
    assert not open_now(location, at=MONDAY_20)
    assert open_now(location.schedule(), at=MONDAY_10)


def test_service_at_location_uses_its_own_hours_or_the_locations():
    location = office_hours(LocationFactory())
    with_own_hours = weekly_hours(ServiceAtLocationFactory(location=location), [(0, "16:00", "21:00")])
    without = ServiceAtLocationFactory(location=location)

    assert not open_now(with_own_hours, at=MONDAY_10) and open_now(with_own_hours, at=MONDAY_20)
    assert open_now(without, at=MONDAY_10) and not open_now(without, at=MONDAY_20)


def test_a_service_is_open_when_a_location_or_a_channel_is():
    service = ServiceFactory()
    ServiceAtLocationFactory(
        service=service, location=office_hours(LocationFactory(organisation=service.organisation))
    )
    assert open_now(service, at=MONDAY_10) and not open_now(service, at=MONDAY_20)

    weekly_hours(ChannelFactory(service=service), [(0, "18:00", "22:00")])  # an evening phone line
    assert open_now(service, at=MONDAY_20)

    service.status = ServiceStatus.TEMPORARILY_CLOSED
    service.save()
    assert not open_now(service, at=MONDAY_10)


def test_always_open_and_by_appointment():
    always = ServiceAtLocationFactory(hours_mode=HoursMode.ALWAYS_OPEN)
    booked = weekly_hours(ServiceAtLocationFactory(), [(0, "08:00", "16:00")], mode=HoursMode.BY_APPOINTMENT)

    assert open_now(always, at=MONDAY_20)
    assert not open_now(booked, at=MONDAY_10)
    assert open_now(hours.Schedule(mode=hours.ALWAYS_OPEN))


def test_teams_in_area_by_municipality_postal_code_or_county():
    by_municipality = TeamFactory(name_fi="Kunnan tiimi", areas=[municipality("167")])
    by_county = TeamFactory(name_fi="Maakunnan tiimi", areas=[county("14")])
    by_postal_code = TeamFactory(name_fi="Alueen tiimi")
    by_postal_code.postal_codes.set([PostalCode.objects.get(code="80160")])
    by_postal_code.save()
    TeamFactory(name_fi="Kuopion tiimi", areas=[municipality("297")])

    found = {team.name_fi for team in teams_in_area(municipality("167"))}

    assert found == {by_municipality.name_fi, by_county.name_fi, by_postal_code.name_fi}


@pytest.mark.parametrize("where", ["80160", "80100", "70100", "00100"])
def test_doors_and_help_in_one_query_are_the_entry_points_and_the_after_hours_help(areas, where):
    """The door finder's one round trip (selectors.doors_and_help) gives what entry_points() and
    after_hours_candidates() give, in their order: a help service that is also a door,
    one residents cannot see, one that is not a door, and one of another place included."""
    situation = areas["situation"]
    areas["county"].status = ServiceStatus.TEMPORARILY_CLOSED  # help still, door no more
    areas["county"].save()
    inactive_help = ServiceFactory(name_fi="Suljettu apu", nationwide=True, status=ServiceStatus.INACTIVE)
    situation.after_hours_help.set(
        [areas["national"], areas["county"], areas["not_a_door"], areas["kuopio"], inactive_help]
    )
    place = place_for_postal_code(where)

    found = doors_and_help(situation, place)

    assert [(pk, locality) for pk, locality, is_door, _ in found if is_door] == list(
        entry_points(situation, place).values_list("pk", "locality")
    )
    assert [pk for pk, _, _, is_help in found if is_help] == list(
        after_hours_candidates(situation, place).values_list("pk", flat=True)
    )
    assert any(is_help for *_, is_help in found)
