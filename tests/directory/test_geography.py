import pytest
from django.utils import translation

from directory.geography import load_geography, place_for_municipality, place_for_postal_code
from directory.models import Municipality, PostalCode, Region, WellbeingCounty

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "postal_code, municipality, county",
    [
        ("83100", "Liperi", "Pohjois-Karjalan hyvinvointialue"),
        ("80100", "Joensuu", "Pohjois-Karjalan hyvinvointialue"),
        ("70100", "Kuopio", "Pohjois-Savon hyvinvointialue"),
        ("33470", "Ylöjärvi", "Pirkanmaan hyvinvointialue"),
        ("20100", "Turku", "Varsinais-Suomen hyvinvointialue"),
        (" 00100 ", "Helsinki", "Helsingin kaupunki"),
    ],
)
def test_postal_code_resolves_to_municipality_and_county(postal_code, municipality, county):
    place = place_for_postal_code(postal_code)

    assert place.municipality.name_fi == municipality
    assert place.county.name_fi == county


@pytest.mark.parametrize("value", ["", "123", "abcde", "00000", "1000000"])
def test_unknown_or_malformed_postal_code_resolves_to_nothing(value):
    assert place_for_postal_code(value) is None


def test_aland_municipality_has_no_county():
    place = place_for_postal_code("22100")  # Mariehamn

    assert place.municipality.name_sv == "Mariehamn"
    assert place.county is None
    assert place.region.name_fi == "Ahvenanmaa"


@pytest.mark.parametrize("value", ["853", "Turku", "åbo", "ÅBO"])
def test_municipality_lookup_by_code_or_name(value):
    assert place_for_municipality(value).municipality.code == "853"


def test_names_follow_the_active_language():
    turku = Municipality.objects.get(code="853")
    with translation.override("sv"):
        assert turku.name == "Åbo"
        assert turku.county.name == "Egentliga Finlands välfärdsområde"
    with translation.override("en"):
        assert turku.region.name == "Southwest Finland"


def test_reference_data_is_complete():
    assert Region.objects.count() == 19
    assert WellbeingCounty.objects.count() == 22
    assert Municipality.objects.count() == 308
    assert (
        Municipality.objects.filter(county__isnull=True).count()
        == Municipality.objects.filter(region__code="21").count()
    )
    assert PostalCode.objects.count() > 3000


def test_reloading_changes_nothing():
    report = load_geography()

    assert all(counts == {"created": 0, "updated": 0} for counts in report.values())


def test_committed_reference_files_are_consistent():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "directory" / "data" / "regenerate.py"
    result = subprocess.run([sys.executable, str(script), "--validate-only"], capture_output=True, text=True)

    assert result.returncode == 0, result.stdout + result.stderr
