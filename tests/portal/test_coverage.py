"""The coverage report: whole-municipality doors, partial (postal code) doors, county-wide
doors, stale and inactive-model flags; its CSV export; the professionals' page."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import translation

from directory.choices import ServiceStatus
from directory.models import LifeSituation, Municipality, Service, WellbeingCounty
from directory.spreadsheet import BOM, csv_text, safe_cell
from directory.visibility import PROFESSIONALS_GROUP
from portal.coverage import COUNTY_WIDE, COVERED, MISSING, PARTIAL, county_coverage

pytestmark = pytest.mark.django_db

ADULT = "aikuisen-monet-huolet"
PIRKANMAA = "08"
NORTH_SAVO = "13"


@pytest.fixture
def professional(django_user_model):
    user = django_user_model.objects.create_user("planner", password="x")
    user.groups.add(Group.objects.get_or_create(name=PROFESSIONALS_GROUP)[0])
    return user


def situation_row(county_code, slug):
    county = WellbeingCounty.objects.get(code=county_code)
    return next(row for row in county_coverage(county) if row.situation.slug == slug)


def municipality_row(row, name):
    return next(item for item in row.municipalities if item.municipality.name_fi == name)


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[1:])))


# Counting ------------------------------------------------------------------------------


def test_a_door_for_one_postal_code_area_does_not_cover_the_municipality(demo):
    row = situation_row(PIRKANMAA, ADULT)
    tampere = municipality_row(row, "Tampere")

    assert tampere.status == PARTIAL
    assert tampere.doors == []
    assert [pc.code for p in tampere.partial for pc in p.postal_codes] == ["33720"]
    assert "Hervan" in tampere.partial[0].door.name_fi
    assert tampere.county_wide, "the county door catches the rest of Tampere"
    assert tampere.municipality in row.missing
    assert tampere in row.partial


def test_statuses_of_whole_county_wide_and_missing_municipalities(demo):
    row = situation_row(PIRKANMAA, ADULT)
    assert municipality_row(row, "Ylöjärvi").status == COVERED
    # Municipalities with no door of their own are caught by the county's adult door.
    others = [item for item in row.municipalities if item.municipality.name_fi not in ("Tampere", "Ylöjärvi")]
    assert others and all(item.status == COUNTY_WIDE for item in others)

    savo = situation_row(NORTH_SAVO, "ikaantyneen-kotona-asuminen")
    assert municipality_row(savo, "Kuopio").status == COVERED
    assert {item.status for item in savo.municipalities if item.municipality.name_fi != "Kuopio"} == {MISSING}


def test_a_door_limited_to_postal_codes_of_another_municipality_still_covers_its_listed_one(demo):
    county = WellbeingCounty.objects.get(code=PIRKANMAA)
    ylojarvi = Municipality.objects.get(name_fi="Ylöjärvi")
    kangasala = Municipality.objects.get(name_fi="Kangasala")
    tampere_area = Municipality.objects.get(name_fi="Tampere").postal_codes.get(code="33100")
    door = Service.objects.create(
        name_fi="Koeovi",
        organisation=Service.objects.filter(name_fi__icontains="Hervan").first().organisation,
        status=ServiceStatus.ACTIVE,
        is_entry_point=True,
    )
    door.life_situations.add(LifeSituation.objects.get(slug="vauvaperhe"))
    door.municipalities.add(kangasala, ylojarvi)
    door.postal_codes.add(tampere_area)
    door.save()  # parental relations are written on save

    row = next(r for r in county_coverage(county) if r.situation.slug == "vauvaperhe")

    assert door in municipality_row(row, "Kangasala").doors
    tampere = municipality_row(row, "Tampere")
    assert door not in tampere.doors
    assert [p.door for p in tampere.partial if p.door == door] == [door]


def test_doors_following_an_ended_model_are_flagged(demo):
    from models_library.models import OperatingModelPage

    model = OperatingModelPage.objects.get(slug="posote-20", locale__language_code="fi")
    model.stage = "ended"
    model.save()

    row = situation_row(NORTH_SAVO, ADULT)

    flagged = [item for item in row.inactive_model if item.model["uid"] == model.uid]
    assert flagged
    assert flagged[0].model["stage"] == "ended"

    model.stage = "established"
    model.save()
    assert not [
        item for item in situation_row(NORTH_SAVO, ADULT).inactive_model if item.model["uid"] == model.uid
    ]


# CSV -----------------------------------------------------------------------------------


def test_csv_cells_that_look_like_formulas_are_made_inert():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+358 40 123") == "'+358 40 123"
    assert safe_cell("-x") == "'-x"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("Tampere") == "Tampere"
    assert safe_cell(-3) == -3
    assert safe_cell(None) == ""
    text = csv_text(["a"], [["=cmd|' /C calc'!A0"]])
    assert text.startswith(BOM)
    assert "\"'=cmd|' /C calc'!A0\"" in text or "'=cmd|' /C calc'!A0" in text


def test_wagtail_report_exports_use_the_same_protection():
    from directory.spreadsheet import FormulaSafeCsvMixin

    class Export:
        def preprocess_field_value(self, field, value, export_format):
            return value

    class Report(FormulaSafeCsvMixin, Export):
        pass

    assert Report().preprocess_field_value("title", "=1+1", "csv") == "'=1+1"
    assert Report().preprocess_field_value("title", "=1+1", "xlsx") == "=1+1"  # openpyxl keeps it text


def test_csv_export_has_one_row_per_situation_and_municipality(client, demo, professional):
    client.force_login(professional)

    response = client.get("/kattavuus/08/csv/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    header, *rows = read_csv(response)
    assert len(header) == 12 and all(header)
    county = WellbeingCounty.objects.get(code=PIRKANMAA)
    assert len(rows) == LifeSituation.objects.count() * county.municipalities.count()
    assert {row[5] for row in rows} <= {COVERED, PARTIAL, COUNTY_WIDE, MISSING}
    tampere_adult = next(
        r for r in rows if r[4] == "Tampere" and r[2] == LifeSituation.objects.get(slug=ADULT).name_fi
    )
    assert tampere_adult[5] == PARTIAL
    assert "33720" in tampere_adult[8]
    assert tampere_adult[7] == ""
    assert tampere_adult[9], "county-wide doors are listed"


def test_csv_headers_are_in_the_active_language(client, demo, professional):
    client.force_login(professional)
    with translation.override("en"):
        english = read_csv(client.get("/en/kattavuus/08/csv/"))[0]
    assert english[:6] == [
        "County code",
        "Wellbeing services county",
        "Life situation",
        "Municipality code",
        "Municipality",
        "Status",
    ]
    finnish = read_csv(client.get("/kattavuus/08/csv/"))[0]
    assert finnish[0] != "County code"


def test_csv_export_is_safe_against_formula_injection(client, demo, professional):
    hervanta = Service.objects.filter(name_fi__icontains="Hervan", is_entry_point=True).first()
    hervanta.name_fi = '=HYPERLINK("http://evil.example","x")'
    hervanta.save()
    client.force_login(professional)

    rows = read_csv(client.get("/kattavuus/08/csv/"))

    cells = [cell for row in rows for cell in row if "HYPERLINK" in cell]
    assert cells
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)


# The professionals' page -----------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, demo):
    for url in ("/kattavuus/", "/kattavuus/08/", "/kattavuus/08/csv/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]
        assert "no-store" in response["Cache-Control"]


def test_signed_in_non_professionals_are_refused(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user("resident", password="x"))
    assert client.get("/kattavuus/08/").status_code == 403
    assert client.get("/kattavuus/08/csv/").status_code == 403


def test_professional_sees_the_county_report_privately(client, demo, professional):
    client.force_login(professional)

    response = client.get("/kattavuus/08/")

    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    soup = BeautifulSoup(response.content, "html.parser")
    tables = soup.select("table")
    assert tables and all(table.caption for table in tables)
    assert all(th.get("scope") in ("col", "row") for th in soup.select("th"))
    adult = soup.find(id=f"situation-{ADULT}").find_parent("section")
    tampere = next(tr for tr in adult.select("tbody tr") if tr.th.get_text(strip=True) == "Tampere")
    assert tampere["data-status"] == PARTIAL
    assert "33720" in tampere.get_text()
    assert soup.find("a", href="/kattavuus/08/csv/")


def test_index_lists_counties_and_unknown_county_is_404(client, demo, professional):
    client.force_login(professional)
    soup = BeautifulSoup(client.get("/sv/kattavuus/").content, "html.parser")
    assert soup.find("a", href="/sv/kattavuus/08/")
    assert client.get("/kattavuus/99/").status_code == 404


def test_professional_pathway_result_links_to_the_county_coverage(client, demo, professional):
    from portal.models import PathwayPage

    client.force_login(professional)
    page = PathwayPage.objects.get(life_situation__slug=ADULT, locale__language_code="fi")
    soup = BeautifulSoup(client.get(page.url, {"postal_code": "33720"}).content, "html.parser")
    assert soup.select_one(f'.coverage-link a[href="/kattavuus/08/#situation-{ADULT}"]')

    client.logout()
    soup = BeautifulSoup(client.get(page.url, {"postal_code": "33720"}).content, "html.parser")
    assert not soup.select(".coverage-link")


# The admin report ------------------------------------------------------------------------


def test_admin_report_shows_partial_doors_and_exports_csv(client, demo, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/reports/pathway-coverage/", {"county": PIRKANMAA})

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    rows = soup.select("tbody tr")
    assert rows
    assert any("33720" in row.find_all("td")[1].get_text() for row in rows)
    assert soup.find("a", href="/kattavuus/08/")

    export = client.get("/admin/reports/pathway-coverage/", {"county": PIRKANMAA, "export": "csv"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    assert len(read_csv(export)) > 1


def test_admin_report_requires_the_permission(client, demo, professional):
    client.force_login(professional)
    response = client.get("/admin/reports/pathway-coverage/", {"county": PIRKANMAA, "export": "csv"})
    assert response.status_code in (302, 403)
