"""The visibility rule: professional-only data only for professionals, in every output."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from directory import presenters, serializers, visibility
from directory.roles import DIRECTORY_ADMINS_GROUP
from directory.selectors import location_by_uid, organisation_by_uid, public_service, team_by_uid

from .conftest import RANTAKYLA_MODEL_UID, SECRETS, assert_no_secrets
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def everything_about(scenario, user):
    """Every representation the directory produces of the scenario, as one text."""
    service = public_service(scenario["service"].uid)
    parts = [
        presenters.represent_service(service, user),
        presenters.represent_organisation(organisation_by_uid(scenario["city"].uid), user),
        presenters.represent_organisation(organisation_by_uid(scenario["ngo"].uid), user),
        presenters.represent_location(location_by_uid(scenario["location"].uid), user),
        presenters.represent_team(team_by_uid(scenario["team"].uid), user),
        presenters.service_summary_data(service),
    ]
    return json.dumps(serializers.to_json(parts), ensure_ascii=False)


def test_anonymous_representations_carry_no_professional_data(scenario):
    text = everything_about(scenario, AnonymousUser())

    assert_no_secrets(text)
    assert '"professional"' not in text
    assert "Perheiden yhteinen ovi" in text  # the public data is there


def test_professionals_see_professional_data(scenario, professional):
    service = presenters.represent_service(public_service(scenario["service"].uid), professional)

    assert service["professional"]["referral_instructions"] == SECRETS["referral"]
    assert service["professional"]["consultation_instructions"] == SECRETS["consultation"]
    assert service["professional"]["direct_phone"] == SECRETS["direct_phone"]
    assert [c["name"] for c in service["professional"]["contacts"]] == [SECRETS["contact_name"]]
    assert [c["name"] for c in service["locations"][0]["professional"]["contacts"]] == [
        SECRETS["sal_contact_name"]
    ]
    team = presenters.represent_team(team_by_uid(scenario["team"].uid), professional)
    assert team["professional"]["consultation_instructions"] == SECRETS["team_consultation"]
    assert [m["contact"]["name"] for m in team["professional"]["member_contacts"]] == [
        SECRETS["member_contact_name"]
    ]


def test_professional_data_stays_under_the_professional_key(scenario, professional):
    service = presenters.represent_service(public_service(scenario["service"].uid), professional)
    public_part = {key: value for key, value in service.items() if key != "professional"}
    public_part["locations"] = [
        {key: value for key, value in entry.items() if key != "professional"}
        for entry in service["locations"]
    ]

    assert_no_secrets(json.dumps(serializers.to_json(public_part), ensure_ascii=False))


def test_who_counts_as_a_professional(scenario, editor_of, groups):
    admin = UserFactory(username="hakemistoadmin")
    admin.groups.add(Group.objects.get(name=DIRECTORY_ADMINS_GROUP))
    superuser = UserFactory(username="pääkäyttäjä", is_superuser=True)
    editor = editor_of(scenario["ngo"])
    someone = UserFactory(username="tavallinen")
    inactive = UserFactory(username="lopettanut", is_active=False)
    inactive.groups.add(Group.objects.get(name="professionals"))

    assert visibility.can_see_professional_data(admin)
    assert visibility.can_see_professional_data(superuser)
    assert visibility.can_see_professional_data(editor)
    assert not visibility.can_see_professional_data(someone)
    assert not visibility.can_see_professional_data(inactive)
    assert not visibility.can_see_professional_data(AnonymousUser())
    assert not visibility.can_see_professional_data(None)
    assert_no_secrets(everything_about(scenario, someone))


def test_serializers_produce_json_for_anonymous_and_professional(scenario, professional):
    service = public_service(scenario["service"].uid)

    anonymous = serializers.serialize_service(service, AnonymousUser())
    for_professional = serializers.serialize_service(service, professional)

    json.dumps(anonymous), json.dumps(for_professional)  # JSON-ready as they are
    assert anonymous["uid"] == str(scenario["service"].uid)
    assert "professional" not in anonymous
    assert_no_secrets(json.dumps(anonymous, ensure_ascii=False))
    assert for_professional["professional"]["direct_phone"] == SECRETS["direct_phone"]
    assert anonymous["locations"][0]["location"]["latitude"] == pytest.approx(62.6178)


@pytest.mark.parametrize("kind", ["organisation", "location", "team"])
def test_record_serializers_respect_visibility(scenario, professional, kind):
    record = {
        "organisation": organisation_by_uid(scenario["city"].uid),
        "location": location_by_uid(scenario["location"].uid),
        "team": team_by_uid(scenario["team"].uid),
    }[kind]

    anonymous = serializers.serialize_record(record, AnonymousUser())

    assert anonymous["type"] == kind
    assert_no_secrets(json.dumps(anonymous, ensure_ascii=False))
    if kind != "location":  # a location has no professional-only fields of its own
        assert "professional" in serializers.serialize_record(record, professional)


def test_listing_summaries_are_public_whoever_asks(scenario, professional):
    summaries = serializers.serialize_service_summaries([public_service(scenario["service"].uid)])

    assert summaries[0]["name"] == "Perheiden yhteinen ovi"
    assert_no_secrets(json.dumps(summaries, ensure_ascii=False))


def test_network_map_data_is_for_professionals_only(scenario, professional, operating_models):
    assert presenters.network_map_data(scenario["municipality"], AnonymousUser()) is None

    network = presenters.network_map_data(scenario["municipality"], professional)

    assert [team["name"] for team in network["teams"]] == ["Rantakylän aluetiimi"]
    assert {org["name"] for org in network["organisations"]} == {"Joensuun kaupunki", "Karjalan Perheverkko"}
    assert network["groups"][0]["model"]["uid"] == RANTAKYLA_MODEL_UID
    assert network["groups"][0]["model"]["title"] == "Rantakylän aluetiimi"


def test_open_now_is_unknown_for_services_by_appointment_only(scenario):
    import datetime
    from zoneinfo import ZoneInfo

    from directory.choices import HoursMode

    monday_10 = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
    service = public_service(scenario["service"].uid)
    assert presenters.service_data(service, at=monday_10)["open_now"] is True  # the location's office hours

    location = scenario["location"]
    location.hours_mode = HoursMode.BY_APPOINTMENT
    location.save()
    data = presenters.service_data(public_service(scenario["service"].uid), at=monday_10)

    assert data["open_now"] is None
    assert data["locations"][0]["hours"]["status"]["state"] == "by_appointment"
