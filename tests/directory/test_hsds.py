"""HSDS 3.0 export and import: schema-valid, public only, byte-stable, and a round
trip through an empty database gives the same files."""

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from jsonschema import Draft202012Validator, FormatChecker

from directory.choices import ChannelKind, HoursMode, ServiceStatus
from directory.demo import load_directory_demo
from directory.models import (
    ContactPerson,
    Language,
    LifeSituation,
    Location,
    LocationHoursException,
    Organisation,
    PostalCode,
    Sector,
    Service,
    ServiceAtLocation,
    ServiceChannel,
    ServiceChannelHoursException,
    ServiceClass,
    TargetGroup,
    Team,
    TeamMember,
)
from directory.opendata.importing import progress

from .conftest import RANTAKYLA_MODEL_UID as MODEL_UID
from .conftest import SECRETS, assert_no_secrets
from .factories import ChannelFactory, LocationFactory, ServiceFactory, county, office_hours, weekly_hours

pytestmark = pytest.mark.django_db

SCHEMA_DIR = Path(settings.BASE_DIR).parent / "shared" / "hsds-3.0"
FILE_SCHEMAS = {
    "services.json": "compiled/service.json",
    "organizations.json": "compiled/organization.json",
    "taxonomies.json": "taxonomy.json",
    "taxonomy_terms.json": "taxonomy_term.json",
}


def validator(schema_name):
    path = SCHEMA_DIR / schema_name
    if not path.exists():
        pytest.skip(f"HSDS schemas not found at {SCHEMA_DIR}")
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")), format_checker=FormatChecker())


def schema_errors(schema_name, objects):
    check = validator(schema_name)
    return [
        f"{obj.get('id')}: {'/'.join(map(str, error.absolute_path))}: {error.message}"
        for obj in objects
        for error in check.iter_errors(obj)
    ]


def export(directory):
    call_command("export_hsds", str(directory), stdout=io.StringIO())
    return {name: (Path(directory) / name).read_bytes() for name in FILE_SCHEMAS}


def load(directory, name):
    return json.loads((Path(directory) / name).read_text(encoding="utf-8"))


def import_hsds(directory, *options):
    out = io.StringIO()
    call_command("import_hsds", str(directory), *options, stdout=out)
    return out.getvalue()


def empty_directory():
    """What a freshly migrated database has: reference data and seeded vocabularies only."""
    for model in (TeamMember, Team, ContactPerson, ServiceAtLocation, ServiceChannel, Service, Location):
        model.objects.all().delete()
    Organisation.objects.update(parent=None)
    Organisation.objects.all().delete()
    LifeSituation.objects.all().delete()
    ServiceClass.objects.all().delete()


def attribute_values(obj, taxonomy_name, link_type=None):
    """{term code: value} of an object's attributes in one of Ovi's taxonomies."""
    from directory.opendata.hsds import TAXONOMIES

    taxonomy_id = next(t.id for t in TAXONOMIES if t.code == taxonomy_name)
    return {
        a["taxonomy_term"]["code"]: a.get("value")
        for a in obj.get("attributes", [])
        if a["taxonomy_term"]["taxonomy_id"] == taxonomy_id
        and (link_type is None or a["link_type"] == link_type)
    }


@pytest.fixture
def rich_directory(scenario):
    """The conftest scenario (with every kind of professional-only data) plus every
    kind of public data the export maps."""
    city, ngo, service, location, sal = (scenario[k] for k in ("city", "ngo", "service", "location", "sal"))
    city.business_id = "0201256-6"
    city.municipality = scenario["municipality"]
    city.description_fi = "Kaupungin palvelut."
    city.description_sv = "Stadens tjänster."
    city.website = "https://joensuu.example/"
    city.save()
    city.sectors.set([Sector.objects.get(slug="social_services")])
    city.save()
    ngo.parent = city
    ngo.save()

    parent_class = ServiceClass.objects.create(code="P10", name_fi="Perheet", name_en="Families")
    child_class = ServiceClass.objects.create(code="P10.2", name_fi="Perheneuvonta", parent=parent_class)
    service.summary_sv = "Kort beskrivning."
    service.description_fi = "Pitkä kuvaus."
    service.how_to_access_fi = "Soita tai tule käymään."
    service.charge = "chargeable"
    service.charge_details_fi = "10 euroa käynti."
    service.minimum_age, service.maximum_age = 0, 17
    service.operating_model_uid = MODEL_UID
    service.last_verified_on = datetime.date(2025, 3, 1)
    service.save()
    service.sectors.set([Sector.objects.get(slug="social_services"), Sector.objects.get(slug="health_care")])
    service.target_groups.set([TargetGroup.objects.get(slug="families_with_children")])
    service.service_classes.set([child_class])
    service.languages.set(Language.objects.filter(code__in=["fi", "sv"]))
    service.counties.set([county("12")])
    service.postal_codes.set([PostalCode.objects.get(code="80160")])
    service.save()

    location.description_fi = "Hyvinvointiasema Rantakylässä."
    location.transportation_fi = "Bussi 1."
    location.accessibility_fi = "Esteetön sisäänkäynti."
    location.entrances_fi = "Pääovi pihan puolella."
    location.entrances_en = "Main door on the yard side."
    location.accessibility_url = "https://palvelukartta.example/rantakyla"
    location.street_address_sv = "Latolagatan 15"
    location.save()
    LocationHoursException.objects.create(
        location=location,
        date_from=datetime.date(2026, 6, 19),
        closed=True,
        label_fi="Juhannusaatto",
        label_sv="Midsommarafton",
    )
    LocationHoursException.objects.create(
        location=location,
        date_from=datetime.date(2026, 7, 6),
        date_to=datetime.date(2026, 7, 31),
        closed=False,
        opens=datetime.time(9),
        closes=datetime.time(14),
        label_fi="Kesäaukiolo",
    )
    sal.description_fi = "Ajanvaraus ja neuvonta."
    sal.phone_number = "013 000 1234"
    sal.call_charge = "network"
    sal.email = "neuvonta@joensuu.example"
    sal.save()
    weekly_hours(sal, [(0, "12:00", "15:00")], mode=HoursMode.BY_APPOINTMENT, hours_note_fi="Varaa aika.")

    phone = ChannelFactory(
        service=service,
        kind=ChannelKind.PHONE,
        phone_number="0800 000 111",
        call_charge="free",
        label_fi="Neuvonta",
        label_sv="Rådgivning",
        sort_order=0,
    )
    weekly_hours(phone, [(4, "18:00", "02:00")])
    ServiceChannelHoursException.objects.create(
        channel=phone,
        date_from=datetime.date(2026, 12, 24),
        date_to=datetime.date(2026, 12, 26),
        closed=True,
        label_fi="Joulu",
    )
    ChannelFactory(
        service=service, kind=ChannelKind.EMAIL, phone_number="", email="ovi@joensuu.example", sort_order=1
    )
    chat = ChannelFactory(
        service=service,
        kind=ChannelKind.CHAT,
        phone_number="",
        url="https://chat.joensuu.example/",
        sort_order=2,
    )
    weekly_hours(chat, [], mode=HoursMode.ALWAYS_OPEN)
    ChannelFactory(
        service=service,
        kind=ChannelKind.PHONE,
        phone_number="0600 000 000",
        call_charge="service_number",
        call_charge_details="1,50 €/min",
        sort_order=3,
    )

    national = ServiceFactory(
        organisation=ngo,
        name_fi="Valtakunnallinen tukipuhelin",
        nationwide=True,
        status=ServiceStatus.TEMPORARILY_CLOSED,
    )
    national.life_situations.set([scenario["situation"]])
    national.save()
    other_place = LocationFactory(
        organisation=ngo, name_fi="Järjestön toimisto", street_address_fi="Kauppakatu 1", postal_code="80100"
    )
    office_hours(other_place)
    ServiceFactory(organisation=ngo, name_fi="Lakkautettu palvelu", status=ServiceStatus.DEFUNCT)
    clinic = ServiceFactory(organisation=city, name_fi="Neuvola", areas=[scenario["municipality"]])
    return scenario | {"national": national, "phone": phone, "other_place": other_place, "clinic": clinic}


# Export -------------------------------------------------------------------------------------------


def test_every_exported_object_validates_against_the_hsds_schemas(rich_directory, tmp_path):
    export(tmp_path)
    for name, schema in FILE_SCHEMAS.items():
        objects = load(tmp_path, name)
        assert objects, name
        assert schema_errors(schema, objects) == [], name


def test_export_contains_no_professional_only_data(rich_directory, tmp_path):
    service = rich_directory["service"]
    assert service.referral_instructions_fi == SECRETS["referral"]  # planted, so the check can fail
    assert service.contact_people.filter(name=SECRETS["contact_name"]).exists()
    files = export(tmp_path)
    for content in files.values():
        assert_no_secrets(content.decode("utf-8"))


def test_export_is_byte_stable(rich_directory, tmp_path):
    assert export(tmp_path / "one") == export(tmp_path / "two")


def test_export_maps_the_directory_to_hsds(rich_directory, tmp_path):
    export(tmp_path)
    services = {s["id"]: s for s in load(tmp_path, "services.json")}
    service = services[str(rich_directory["service"].uid)]

    assert str(rich_directory["national"].uid) in services
    assert services[str(rich_directory["national"].uid)]["status"] == "temporarily closed"
    assert all(s["name"] != "Lakkautettu palvelu" for s in services.values())  # not public, not exported

    assert service["name"] == "Perheiden yhteinen ovi"
    assert attribute_values(service, "translation", "name") == {
        "sv": "Familjernas gemensamma dörr",
        "en": "One door for families",
    }
    assert attribute_values(service, "ovi_field")["summary"] == "Lyhyt kuvaus palvelusta."
    assert attribute_values(service, "translation", "summary") == {
        "sv": "Kort beskrivning.",
        "en": "A short description of the service.",
    }
    assert attribute_values(service, "ovi_field")["entry_point"] == "true"
    assert attribute_values(service, "ovi_field")["operating_model"] == str(MODEL_UID)
    assert service["application_process"] == "Soita tai tule käymään."
    assert service["fees_description"] == "10 euroa käynti."
    assert service["cost_options"][0]["currency"] == "EUR" and "amount" not in service["cost_options"][0]
    assert (service["minimum_age"], service["maximum_age"]) == (0, 17)
    assert service["assured_date"] == "2025-03-01"
    assert set(attribute_values(service, "sector")) == {"social_services", "health_care"}
    assert set(attribute_values(service, "target_group")) == {"families_with_children"}
    assert set(attribute_values(service, "life_situation")) == {"huoli-lapsesta"}
    assert set(attribute_values(service, "service_class")) == {"P10.2"}
    assert {lang["code"] for lang in service["languages"]} == {"fi", "sv"}
    areas = {a["attributes"][0]["value"] for a in service["service_areas"]}
    assert areas == {"municipality:167", "county:12", "postal_code:80160"}

    located = next(e for e in service["service_at_locations"] if e["location"]["location_type"] == "physical")
    assert located["phones"][0]["number"] == "013 000 1234"
    assert attribute_values(located, "ovi_field")["email"] == "neuvonta@joensuu.example"
    own_hours = [
        (s["byday"], s["opens_at"], s["closes_at"], s.get("attending_type")) for s in located["schedules"]
    ]
    assert own_hours == [("MO", "12:00", "15:00", "Ajanvarauksella")]
    place = located["location"]
    assert (place["latitude"], place["longitude"]) == (62.6178, 29.8061)
    address = place["addresses"][0]
    assert (address["address_1"], address["postal_code"], address["city"], address["country"]) == (
        "Latolankatu 15",
        "80160",
        "Joensuu",
        "FI",
    )
    assert attribute_values(address, "translation", "address_1") == {"sv": "Latolagatan 15"}
    assert place["accessibility"][0]["details"] == "Pääovi pihan puolella."
    weekly = [s for s in place["schedules"] if s.get("freq")]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("MO,TU,WE,TH,FR", "08:00", "16:00")
    ]
    closed = next(s for s in place["schedules"] if s.get("notes") == "Juhannusaatto")
    assert (closed["valid_from"], closed["valid_to"]) == ("2026-06-19", "2026-06-19")
    assert closed["description"] == "Suljettu"
    summer = next(s for s in place["schedules"] if s.get("notes") == "Kesäaukiolo")
    assert (summer["valid_from"], summer["valid_to"], summer["opens_at"]) == (
        "2026-07-06",
        "2026-07-31",
        "09:00",
    )

    channels = sorted(
        (e for e in service["service_at_locations"] if e["location"]["location_type"] == "virtual"),
        key=lambda e: int(attribute_values(e, "ovi_field")["sort_order"]),
    )
    kinds = [attribute_values(e, "ovi_field")["channel_kind"] for e in channels]
    assert kinds == ["phone", "email", "chat", "phone"]
    phone = channels[0]
    assert phone["location"]["name"] == "Neuvonta"
    assert phone["phones"][0]["number"] == "0800 000 111"
    weekly = [(s["byday"], s["opens_at"], s["closes_at"]) for s in phone["schedules"] if s.get("freq")]
    assert weekly == [("FR", "18:00", "02:00")]
    christmas = next(s for s in phone["schedules"] if s.get("notes") == "Joulu")
    assert (christmas["valid_from"], christmas["valid_to"]) == ("2026-12-24", "2026-12-26")
    assert attribute_values(channels[2], "ovi_field")["hours_mode"] == "always_open"
    assert channels[2]["location"]["url"] == "https://chat.joensuu.example/"
    assert {p["number"] for p in service["phones"]} == {"0800 000 111", "0600 000 000"}
    assert service["email"] == "ovi@joensuu.example"

    orgs = {o["id"]: o for o in load(tmp_path, "organizations.json")}
    city = orgs[str(rich_directory["city"].uid)]
    assert city["organization_identifiers"][0]["identifier"] == "0201256-6"
    assert city["organization_identifiers"][0]["identifier_scheme"] == "FI-PRO"
    assert attribute_values(city, "ovi_field")["municipality"] == "167"
    assert orgs[str(rich_directory["ngo"].uid)]["parent_organization_id"] == str(rich_directory["city"].uid)
    assert {loc["name"] for loc in orgs[str(rich_directory["ngo"].uid)]["locations"]} == {
        "Järjestön toimisto"
    }


# Round trip ---------------------------------------------------------------------------------------


def test_round_trip_of_factory_data_through_an_empty_database_is_identical(rich_directory, tmp_path):
    first = export(tmp_path / "first")
    empty_directory()
    assert not Service.objects.exists()

    output = import_hsds(tmp_path / "first")

    assert "0 rejected" in output
    second = export(tmp_path / "second")
    for name in FILE_SCHEMAS:
        assert second[name] == first[name], name
    # And what the files do not show came back too.
    assert Service.objects.get(uid=rich_directory["service"].uid).summary_sv == "Kort beskrivning."
    assert ServiceClass.objects.get(code="P10.2").parent.code == "P10"
    assert LifeSituation.objects.get(slug="huoli-lapsesta").name_en == "Worry about a child"


def test_round_trip_of_the_demo_directory_is_identical(tmp_path):
    load_directory_demo()
    first = export(tmp_path / "first")
    if SCHEMA_DIR.exists():  # the round trip is checked even where the schemas are not at hand
        for name, schema in FILE_SCHEMAS.items():
            assert schema_errors(schema, load(tmp_path / "first", name)) == [], name
    counts = (Organisation.objects.count(), Location.objects.count(), Service.objects.public().count())
    empty_directory()

    import_hsds(tmp_path / "first")

    assert (Organisation.objects.count(), Location.objects.count(), Service.objects.count()) == counts
    assert not ContactPerson.objects.exists()
    assert export(tmp_path / "second") == first


def test_importing_the_same_files_again_changes_nothing(rich_directory, tmp_path):
    export(tmp_path)
    empty_directory()
    import_hsds(tmp_path)
    stamps = sorted(Service.objects.values_list("uid", "updated_at"))

    output = import_hsds(tmp_path)

    assert "Total: 0 created, 0 updated" in output
    assert sorted(Service.objects.values_list("uid", "updated_at")) == stamps


def test_import_into_the_same_database_keeps_professional_only_data(rich_directory, tmp_path):
    export(tmp_path)
    import_hsds(tmp_path)
    service = Service.objects.get(uid=rich_directory["service"].uid)
    assert service.referral_instructions_fi == SECRETS["referral"]
    assert service.professional_phone == SECRETS["direct_phone"]
    assert service.contact_people.filter(name=SECRETS["contact_name"]).exists()
    assert ServiceAtLocation.objects.get(uid=rich_directory["sal"].uid).contact_people.exists()


def test_import_updates_a_changed_record(rich_directory, tmp_path):
    export(tmp_path)
    services = load(tmp_path, "services.json")
    target = next(s for s in services if s["id"] == str(rich_directory["service"].uid))
    target["name"] = "Perheiden ovi"
    (tmp_path / "services.json").write_text(json.dumps(services), encoding="utf-8")

    output = import_hsds(tmp_path)

    assert "service: 0 created, 1 updated" in output
    assert Service.objects.get(uid=rich_directory["service"].uid).name_fi == "Perheiden ovi"
    assert Service.objects.filter(name_fi__startswith="Perheiden").count() == 1


# Bad input ----------------------------------------------------------------------------------------


def _broken_export(rich_directory, tmp_path):
    export(tmp_path)
    services = load(tmp_path, "services.json")
    orgs = load(tmp_path, "organizations.json")
    bad_service = next(s for s in services if s["id"] == str(rich_directory["service"].uid))
    area = next(a for a in bad_service["service_areas"] if a["attributes"][0]["value"] == "municipality:167")
    area["attributes"][0]["value"] = "municipality:999"
    bad_org = next(o for o in orgs if o["id"] == str(rich_directory["ngo"].uid))
    bad_org["organization_identifiers"] = [
        {
            "id": bad_org["id"],
            "identifier_scheme": "FI-PRO",
            "identifier_type": "Y-tunnus",
            "identifier": "1234567-8",
        },
    ]
    services.append({"id": "not-a-uuid", "name": "Rikki", "status": "active"})
    (tmp_path / "services.json").write_text(json.dumps(services), encoding="utf-8")
    (tmp_path / "organizations.json").write_text(json.dumps(orgs), encoding="utf-8")
    return bad_service, bad_org, len(services)


def test_broken_records_stop_the_import_and_every_rejection_is_listed(rich_directory, tmp_path):
    bad_service, bad_org, count = _broken_export(rich_directory, tmp_path)
    empty_directory()
    out = io.StringIO()

    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_hsds", str(tmp_path), stdout=out)

    assert (
        not Organisation.objects.exists() and not Service.objects.exists() and not Location.objects.exists()
    )
    report = out.getvalue()
    assert f"id {bad_service['id']}): municipality code 999 unknown" in report
    assert "organisation" in report and f"id {bad_org['id']}): business ID 1234567-8 is not valid" in report
    assert f"services.json: service {count} (id not-a-uuid): id: 'not-a-uuid' is not a UUID" in report
    # A service of the rejected organisation is rejected with it, and says why.
    national = rich_directory["national"].uid
    assert f"(id {national}): organisation {bad_org['id']} unknown or rejected" in report


def test_skip_invalid_writes_only_the_valid_records(rich_directory, tmp_path):
    bad_service, bad_org, _count = _broken_export(rich_directory, tmp_path)
    empty_directory()

    output = import_hsds(tmp_path, "--skip-invalid")

    assert Service.objects.filter(uid=rich_directory["clinic"].uid).exists()
    assert Organisation.objects.filter(uid=rich_directory["city"].uid).exists()
    assert Location.objects.filter(uid=rich_directory["location"].uid).exists()
    assert not Organisation.objects.filter(uid=bad_org["id"]).exists()
    assert not Service.objects.filter(uid__in=[bad_service["id"], rich_directory["national"].uid]).exists()
    assert "municipality code 999 unknown" in output
    assert "4 rejected" in output  # the bad service, the bad organisation, its service, the bad id


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "not valid JSON"),
        ('{"services": []}', "expected a JSON list"),
        ('"a string"', "expected a JSON list"),
    ],
)
def test_malformed_files_are_a_clear_error_and_write_nothing(rich_directory, tmp_path, content, message):
    export(tmp_path)
    empty_directory()
    (tmp_path / "services.json").write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        import_hsds(tmp_path)
    assert not Organisation.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="organizations.json: no such file"):
        import_hsds(tmp_path)


# Progress -----------------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty

    def write(self, text, ending="\n"):
        return super().write(text + ending)


def test_progress_bar_is_drawn_only_on_a_terminal():
    terminal, pipe = Terminal(True), Terminal(False)
    assert list(progress(range(3), "services", terminal)) == [0, 1, 2]
    assert list(progress(range(3), "services", pipe)) == [0, 1, 2]
    assert "3/3" in terminal.getvalue() and "#" in terminal.getvalue()
    assert pipe.getvalue() == ""


def test_exported_coordinates_are_numbers_with_six_decimals_at_most(rich_directory, tmp_path):
    rich_directory["location"].latitude = Decimal("62.123456")
    rich_directory["location"].save()
    export(tmp_path)
    place = load(tmp_path, "organizations.json")
    latitudes = [loc["latitude"] for org in place for loc in org["locations"] if "latitude" in loc]
    assert 62.123456 in latitudes


def test_a_plain_hsds_file_from_another_publisher_can_be_imported(db, tmp_path):
    org_id, service_id, place_id = (
        "0b7c2f1e-9d8a-4c3b-8e2f-1a2b3c4d5e60",
        "1c8d3a2f-0e9b-4d4c-9f3a-2b3c4d5e6f71",
        "2d9e4b3a-1f0c-4e5d-8a4b-3c4d5e6f7a82",
    )
    organisations = [{"id": org_id, "name": "Toinen julkaisija", "description": "Kuvitteellinen."}]
    services = [
        {
            "id": service_id,
            "organization_id": org_id,
            "name": "Neuvontapiste",
            "status": "active",
            "url": "https://toinen.example/neuvonta",
            "phones": [{"id": "3e0f5c4b-2a1d-4f6e-9b5c-4d5e6f7a8b93", "number": "013 000 2000"}],
            "service_at_locations": [
                {
                    "id": "4f1a6d5c-3b2e-4a7f-8c6d-5e6f7a8b9ca4",
                    "location": {
                        "id": place_id,
                        "location_type": "physical",
                        "organization_id": org_id,
                        "name": "Neuvontapiste",
                        "addresses": [
                            {
                                "id": "5a2b7e6d-4c3f-4b8a-9d7e-6f7a8b9cadb5",
                                "address_1": "Torikatu 1",
                                "city": "Joensuu",
                                "state_province": "Pohjois-Karjala",
                                "postal_code": "80100",
                                "country": "FI",
                                "address_type": "physical",
                            }
                        ],
                        "schedules": [
                            {
                                "id": "6b3c8f7e-5d4a-4c9b-8e8f-7a8b9cadbec6",
                                "freq": "WEEKLY",
                                "byday": "MO,WE",
                                "opens_at": "10:00",
                                "closes_at": "12:00",
                            }
                        ],
                    },
                }
            ],
        }
    ]
    (tmp_path / "organizations.json").write_text(json.dumps(organisations), encoding="utf-8")
    (tmp_path / "services.json").write_text(json.dumps({"contents": services}), encoding="utf-8")

    import_hsds(tmp_path)

    service = Service.objects.get(uid=service_id)
    assert service.organisation.name_fi == "Toinen julkaisija"
    assert sorted((c.kind, c.phone_number or c.url) for c in service.channels.all()) == [
        ("phone", "013 000 2000"),
        ("web", "https://toinen.example/neuvonta"),
    ]
    place = Location.objects.get(uid=place_id)
    assert (place.municipality.code, place.hours_mode) == ("167", "weekly")
    assert sorted(place.weekly_hours.values_list("weekday", flat=True)) == [0, 2]
