"""Suomi.fi PTV Open API v11 import: creates, updates without duplicating, converts
ETRS-TM35FIN coordinates, and writes nothing when a record is broken.

The fixtures in data/ptv/ are fictional organisations, services and addresses in
real municipalities, shaped like the Open API's v11 answers."""

import io
import json
import math
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory.models import Location, Organisation, Service, ServiceAtLocation, ServiceChannel, ServiceClass

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "ptv"
ORGANISATIONS, CHANNELS, SERVICES = (
    DATA / "organizations.json",
    DATA / "channels.json",
    DATA / "services.json",
)
CITY = "3f1c9a52-7d4e-4b8a-9c21-5e6f7a8b9c01"
NGO = "8b2d4f60-1a3c-4e5d-8f7a-9b0c1d2e3f02"
FAMILY_SERVICE = "c4a1e2f3-5b6d-4c7e-8f9a-0b1c2d3e4f10"
PEER_SERVICE = "d5b2f3a4-6c7e-4d8f-9a0b-1c2d3e4f5a11"
FAMILY_CENTRE = "a7d4b5c6-8e9f-4a0b-9c2d-3e4f5a6b7c20"


def import_ptv(*files, skip_invalid=False):
    out = io.StringIO()
    options = ["--skip-invalid"] if skip_invalid else []
    call_command("import_ptv", *map(str, files), *options, stdout=out)
    return out.getvalue()


def import_ptv_to(out, *files):
    call_command("import_ptv", *map(str, files), stdout=out)


def counts():
    models = (Organisation, Service, Location, ServiceChannel, ServiceAtLocation)
    return tuple(model.objects.count() for model in models)


def test_import_creates_the_records_with_their_ptv_ids(db):
    output = import_ptv(ORGANISATIONS, CHANNELS, SERVICES)

    for line in ("organisation: 2 created", "service: 2 created", "location: 1 created"):
        assert line in output
    city = Organisation.objects.get(uid=CITY)
    assert (city.name_fi, city.name_sv, city.business_id, city.organisation_type) == (
        "Testilän kaupunki",
        "Testilä stad",
        "1234567-1",
        "municipality",
    )
    assert city.municipality.code == "167"
    assert (city.website, city.email) == ("https://testila.example/", "kirjaamo@testila.example")
    assert Organisation.objects.get(uid=NGO).organisation_type == "ngo"

    service = Service.objects.get(uid=FAMILY_SERVICE)
    assert service.organisation == city
    assert service.summary_sv == "Stöd för barnfamiljer i vardagens bekymmer."
    assert service.how_to_access_fi == "Varaa aika puhelimitse tai verkossa."
    assert service.charge_details_fi == "Käynnit ovat maksuttomia."
    assert [m.code for m in service.municipalities.all()] == ["167"]
    assert sorted(service.languages.values_list("code", flat=True)) == ["fi", "sv"]
    assert "language de unknown" in output
    assert [c.code for c in service.service_classes.all()] == ["P10.2"]
    assert ServiceClass.objects.get(code="P10.2").name_en == "Services for families with children"
    assert [t.slug for t in service.target_groups.all()] == ["families_with_children"]

    channels = {c.kind: c for c in service.channels.all()}
    assert (channels["phone"].phone_number, channels["phone"].call_charge) == ("+358 13 000 1001", "network")
    phone_hours = channels["phone"].weekly_hours.order_by("weekday")
    assert [(r.weekday, r.opens.hour, r.closes.hour) for r in phone_hours] == [
        (day, 9, 11) for day in range(4)
    ]
    assert channels["eservice"].url == "https://testila.example/ajanvaraus"
    assert channels["eservice"].label_en == "Online booking"

    centre = Location.objects.get(uid=FAMILY_CENTRE)
    assert (
        centre.street_address_fi,
        centre.street_address_sv,
        centre.postal_code,
        centre.municipality.code,
    ) == (
        "Esimerkkikatu 20",
        "Exempelgatan 20",
        "80100",
        "167",
    )
    assert centre.organisation == city
    assert sorted(centre.weekly_hours.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    midsummer = centre.hours_exceptions.get(label_fi="Juhannusaatto")
    assert (str(midsummer.date_from), midsummer.closed) == ("2026-06-19", True)
    assert midsummer.label_sv == "Midsommarafton"
    summer = centre.hours_exceptions.get(label_fi="Kesäaukiolo")
    assert (str(summer.date_to), summer.closed, summer.opens.hour) == ("2026-07-31", False, 9)
    at_centre = ServiceAtLocation.objects.get(service=service, location=centre)
    assert (at_centre.phone_number, at_centre.email) == ("+358 13 000 1000", "perhekeskus@testila.example")

    peer = Service.objects.get(uid=PEER_SERVICE)
    assert peer.nationwide
    peer_channels = {c.kind: c for c in peer.channels.all()}
    assert (peer_channels["phone"].phone_number, peer_channels["phone"].call_charge) == (
        "0800 000 000",
        "free",
    )
    night = peer_channels["phone"].weekly_hours.get()
    assert (night.weekday, night.opens.hour, night.closes.hour) == (4, 18, 2)  # Friday, over midnight
    # Linked from the channel's side only:
    assert peer_channels["web"].url == "https://esimerkkiyhdistys.example/vertaistuki"


def test_an_identical_rerun_reports_everything_unchanged_and_duplicates_nothing(db):
    import_ptv(ORGANISATIONS, CHANNELS, SERVICES)
    before = counts()
    stamps = sorted(Service.objects.values_list("uid", "updated_at"))

    output = import_ptv(ORGANISATIONS, CHANNELS, SERVICES)

    assert "Total: 0 created, 0 updated, 6 unchanged, 0 rejected" in output
    assert counts() == before
    assert sorted(Service.objects.values_list("uid", "updated_at")) == stamps


def test_a_changed_record_is_updated_not_duplicated(db):
    import_ptv(ORGANISATIONS, CHANNELS, SERVICES)
    before = counts()

    output = import_ptv(ORGANISATIONS, CHANNELS, DATA / "services_changed.json")

    assert "service: 0 created, 1 updated, 1 unchanged" in output
    assert counts() == before
    summary = Service.objects.get(uid=FAMILY_SERVICE).summary_fi
    assert summary == "Tukea lapsiperheille arjen huoliin – nyt myös iltaisin."


def test_a_rerun_leaves_what_ovi_adds_to_ptv_data_alone(db):
    import_ptv(ORGANISATIONS, CHANNELS, SERVICES)
    service = Service.objects.get(uid=FAMILY_SERVICE)
    service.is_entry_point = True
    service.referral_instructions_fi = "Ammattilaisille: soita suoraan."
    service.save()
    service.sectors.set(service.sectors.model.objects.filter(slug="social_services"))
    service.save()

    import_ptv(ORGANISATIONS, CHANNELS, SERVICES)

    service.refresh_from_db()
    assert service.is_entry_point
    assert service.referral_instructions_fi == "Ammattilaisille: soita suoraan."
    assert [s.slug for s in service.sectors.all()] == ["social_services"]


# Coordinates --------------------------------------------------------------------------------------


def tm35fin_to_geographic(northing, easting):
    """ETRS-TM35FIN -> ETRS89 latitude and longitude by the inverse transverse Mercator
    series of JHS 154 (Krüger's formulas on GRS80), written out here so the import's
    pyproj conversion is checked against an independent computation. ETRS89 and
    WGS84 agree well within a metre."""
    a, f = 6378137.0, 1 / 298.257222101
    k0, lon0, false_easting = 0.9996, math.radians(27), 500000.0
    n = f / (2 - f)
    big_a = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    e = math.sqrt(2 * f - f**2)
    h = (
        n / 2 - 2 * n**2 / 3 + 37 * n**3 / 96 - n**4 / 360,
        n**2 / 48 + n**3 / 15 - 437 * n**4 / 1440,
        17 * n**3 / 480 - 37 * n**4 / 840,
        4397 * n**4 / 161280,
    )
    xi = northing / (big_a * k0)
    eta = (easting - false_easting) / (big_a * k0)
    xi_prime = xi - sum(hj * math.sin(2 * j * xi) * math.cosh(2 * j * eta) for j, hj in enumerate(h, 1))
    eta_prime = eta - sum(hj * math.cos(2 * j * xi) * math.sinh(2 * j * eta) for j, hj in enumerate(h, 1))
    beta = math.asin(math.sin(xi_prime) / math.cosh(eta_prime))
    lon = lon0 + math.asin(math.tanh(eta_prime) / math.cos(beta))
    q = math.asinh(math.tan(beta))
    q_prime = q + e * math.atanh(e * math.tanh(q))
    for _ in range(5):
        q_prime = q + e * math.atanh(e * math.tanh(q_prime))
    return math.degrees(math.atan(math.sinh(q_prime))), math.degrees(lon)


def test_etrs_tm35fin_coordinates_become_wgs84_to_the_metre(db):
    street = json.loads(CHANNELS.read_text(encoding="utf-8"))[0]["addresses"][0]["streetAddress"]
    expected_lat, expected_lon = tm35fin_to_geographic(float(street["latitude"]), float(street["longitude"]))
    # The fixture's point is by Joensuu town hall, in the centre of Joensuu.
    assert abs(expected_lat - 62.601) < 0.002 and abs(expected_lon - 29.763) < 0.002

    import_ptv(ORGANISATIONS, CHANNELS, SERVICES)

    centre = Location.objects.get(uid=FAMILY_CENTRE)
    metres_north = (float(centre.latitude) - expected_lat) * 111_320
    metres_east = (float(centre.longitude) - expected_lon) * 111_320 * math.cos(math.radians(expected_lat))
    assert math.hypot(metres_north, metres_east) < 1.0


# Bad input ----------------------------------------------------------------------------------------


def test_broken_records_write_nothing_and_every_rejection_is_listed(db):
    out = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        import_ptv_to(out, ORGANISATIONS, CHANNELS, DATA / "broken_services.json")

    assert counts() == (0, 0, 0, 0, 0)
    report = out.getvalue()
    unknown_area = "e6c3a4b5-7d8f-4e9a-8b1c-2d3e4f5a6b12"
    assert f"broken_services.json: service 3 (id {unknown_area}): municipality code 999 unknown" in report
    assert "broken_services.json: service 4 (id not-a-ptv-id): id: 'not-a-ptv-id' is not a PTV id" in report
    assert "2 rejected" in report


def test_skip_invalid_writes_only_the_valid_records(db):
    output = import_ptv(ORGANISATIONS, CHANNELS, DATA / "broken_services.json", skip_invalid=True)

    assert {str(uid) for uid in Service.objects.values_list("uid", flat=True)} == {
        FAMILY_SERVICE,
        PEER_SERVICE,
    }
    assert "municipality code 999 unknown" in output and "2 rejected" in output


def test_an_unknown_municipality_in_an_address_rejects_the_location_and_its_services(db, tmp_path):
    channels = json.loads(CHANNELS.read_text(encoding="utf-8"))
    channels[0]["addresses"][0]["streetAddress"]["municipality"]["code"] = "998"
    broken = tmp_path / "channels.json"
    broken.write_text(json.dumps(channels), encoding="utf-8")

    output = import_ptv(ORGANISATIONS, broken, SERVICES, skip_invalid=True)

    assert f"channels.json: channel 1 (id {FAMILY_CENTRE}): municipality code 998 unknown" in output
    assert f"service 1 (id {FAMILY_SERVICE}): service channel {FAMILY_CENTRE} was rejected" in output
    assert not Location.objects.exists()
    assert not Service.objects.filter(uid=FAMILY_SERVICE).exists()
    assert Service.objects.filter(uid=PEER_SERVICE).exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("[{", "not valid JSON"),
        ('{"pageNumber": 1}', "expected a JSON list"),
        ("42", "expected a JSON list"),
    ],
)
def test_malformed_files_are_a_clear_error_and_write_nothing(db, tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        import_ptv(ORGANISATIONS, CHANNELS, SERVICES, bad)
    assert counts() == (0, 0, 0, 0, 0)


def test_an_item_that_is_not_ptv_data_is_rejected(db, tmp_path):
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps([{"id": "x", "title": "not PTV"}]), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_ptv", str(odd), stdout=out)
    assert "odd.json: record 1 (id x): not a PTV organisation, service or service channel" in out.getvalue()
