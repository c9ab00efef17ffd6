"""One-door pathways over the demo content: doors, fallbacks, steps, privacy."""

import logging

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from directory.visibility import PROFESSIONALS_GROUP
from portal.demo import load_all
from portal.models import PathwayPage

pytestmark = pytest.mark.django_db

CHILD = "huoli-lapsesta-tai-perheesta"


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content, loaded once for the module and rolled back after it.

    Each test still runs in its own savepoint (the `db` fixture), so tests stay isolated.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        load_all()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_content, db):
    return None


def pathway_url(situation, language="fi"):
    return PathwayPage.objects.get(life_situation__slug=situation, locale__language_code=language).url


def html(response):
    return BeautifulSoup(response.content, "html.parser")


def door_names(soup):
    """The nearest doors (not the wider ones shown beneath them)."""
    return [h.get_text(strip=True) for h in soup.select(".your-door > .door .door__title")]


def test_postal_code_and_municipality_give_the_same_local_door(client, demo):
    by_postal_code = html(client.get(pathway_url(CHILD), {"postal_code": "83100"}))
    by_municipality = html(client.get(pathway_url(CHILD), {"municipality": "Liperi"}))

    assert door_names(by_postal_code)
    assert door_names(by_postal_code) == door_names(by_municipality)
    assert "Liperi" in by_postal_code.select_one(".your-door__place").get_text()
    assert not by_postal_code.select(".your-door .notice")  # a local door: no fallback notice


def test_steps_come_from_the_model_the_door_follows(client, demo):
    soup = html(client.get(pathway_url(CHILD), {"postal_code": "83100"}))

    section = soup.find("h2", id="next-title").parent
    assert "Rantakylän aluetiimi" in section.get_text()
    times = [p.get_text(" ", strip=True) for p in section.select(".timeline__time")]
    assert any("3 vuorokauden" in time for time in times), times


def test_county_wide_fallback_when_the_municipality_has_no_door(client, demo):
    soup = html(client.get(pathway_url(CHILD), {"municipality": "Tampere"}))

    assert door_names(soup) == ["Lapsiperheiden sosiaalipalvelujen neuvonta, Pirkanmaa"]
    assert "hyvinvointialueesi" in soup.select_one(".your-door .notice").get_text()


def test_honest_answer_where_nothing_is_registered(client, demo):
    soup = html(client.get(pathway_url(CHILD), {"postal_code": "00100"}))

    assert door_names(soup) == []
    assert soup.title.get_text().startswith("Ovea ei vielä tunneta: Helsinki – ")
    notice = soup.select_one(".your-door .notice").get_text()
    assert "Helsinki" in notice
    assert soup.find("h2", id="alternatives-title"), "alternatives must be offered instead of an empty page"


def test_unknown_postal_code_is_explained(client, demo):
    response = client.get(pathway_url(CHILD), {"postal_code": "12"})

    soup = html(response)
    assert response.status_code == 200
    assert soup.select_one(".field-error").get_text(strip=True)
    field = soup.find("input", attrs={"name": "postal_code"})
    assert field["value"] == "12"
    assert field["aria-invalid"] == "true"
    assert soup.select_one(f"#{field['aria-describedby'].split()[-1]}").get_text(strip=True)
    assert soup.select_one('.error-summary a[href="#postal-code"]') is not None
    assert soup.title.get_text().startswith("Virhe: ")


def test_door_finder_form_leads_to_a_shareable_pathway_address(client, demo):
    index = PathwayPage.objects.get(life_situation__slug=CHILD, locale__language_code="sv").get_parent()

    response = client.get(index.url, {"situation": CHILD, "postal_code": "80100"})

    assert response.status_code == 302
    assert response["Location"] == pathway_url(CHILD, "sv") + "?postal_code=80100"
    assert door_names(html(client.get(response["Location"])))


def test_door_finder_without_a_choice_says_what_is_missing(client, demo):
    index = PathwayPage.objects.get(life_situation__slug=CHILD, locale__language_code="en").get_parent()

    response = client.get(index.url, {"postal_code": "80100"})

    assert response.status_code == 400
    page = html(response)
    assert page.select_one(".error-summary[autofocus]")
    assert page.select_one('.error-summary a[href="#situation-0"]')
    assert page.title.get_text().startswith("Error: ")
    radio = page.select_one("#situation-0")
    assert radio["aria-invalid"] == "true" and page.select_one(f"#{radio['aria-describedby']}")


def test_acute_situations_always_show_the_emergency_numbers(client, demo):
    soup = html(client.get(pathway_url("mielenterveys-ja-paihteet", "en")))

    emergency = soup.select_one(".emergency")
    assert emergency and "112" in emergency.get_text()


def test_nothing_the_resident_types_is_stored_or_logged(client, demo, caplog):
    url = pathway_url(CHILD)
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"postal_code": "83100"})
        client.get("/api/v1/doors", {"situation": CHILD, "postal_code": "83100"})
        logging.getLogger("django.server").info('"GET %s?postal_code=83100 HTTP/1.1" 200', url)

    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert "sessionid" not in response.cookies
    assert "83100" not in caplog.text


def test_professional_part_is_hidden_from_anonymous_visitors(client, demo, django_user_model):
    url = pathway_url(CHILD)
    anonymous = html(client.get(url, {"postal_code": "83100"}))
    assert not anonymous.select(".professionals")

    professional = django_user_model.objects.create_user("nurse", password="pw-not-secret-123")
    professional.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    client.force_login(professional)
    soup = html(client.get(url, {"postal_code": "83100"}))

    section = soup.select_one(".professionals")
    assert section is not None
    assert section.find("h3")


def test_api_returns_the_same_doors_as_the_page(client, demo):
    for language, place in (
        ("fi", {"postal_code": "83100"}),
        ("sv", {"municipality": "Tammerfors"}),
        ("en", {"postal_code": "33470"}),
    ):
        page = html(client.get(pathway_url(CHILD, language), place))
        api = client.get("/api/v1/doors", {"situation": CHILD, "lang": language, **place}).json()

        assert [door["name"] for door in api["doors"]] == door_names(page)
        assert api["place"]["municipality"]["code"]


def test_api_explains_bad_input(client, demo):
    assert client.get("/api/v1/doors", {"situation": "nope", "postal_code": "83100"}).status_code == 400
    missing = client.get("/api/v1/doors", {"situation": CHILD})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "missing_place"
    unknown = client.get("/api/v1/doors", {"situation": CHILD, "postal_code": "00000"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "unknown_postal_code"


def test_api_never_leaks_professional_data_to_anonymous_callers(client, demo):
    body = client.get("/api/v1/doors", {"situation": CHILD, "postal_code": "83100"}).json()

    assert body["doors"]
    assert all("professional" not in door for door in body["doors"])


def test_operating_model_page_links_back_to_its_pathways_and_areas(client, demo):
    from models_library.models import OperatingModelPage

    model = OperatingModelPage.objects.get(slug="rantakylan-aluetiimi", locale__language_code="fi")
    soup = html(client.get(model.url))

    used = soup.select_one("#kaytossa")
    assert used is not None
    assert "Joensuu" in used.get_text()
    assert any(a["href"] == pathway_url(CHILD) for a in used.find_all("a"))


def test_coverage_report_lists_municipalities_without_a_door(client, demo, admin_user):
    client.force_login(admin_user)

    response = client.get("/admin/reports/pathway-coverage/", {"county": "08"})

    assert response.status_code == 200
    rows = {row.th.get_text(strip=True): row for row in html(response).select("tbody tr")}
    assert rows, "the report lists every life situation"
    assert any("Tampere" in row.find_all("td")[0].get_text() for row in rows.values())


def test_entry_point_service_page_links_to_its_pathways(client, demo):
    door_page = html(client.get(pathway_url(CHILD), {"postal_code": "83100"}))
    door_url = door_page.select_one(".door__title a")["href"]

    soup = html(client.get(door_url))

    section = soup.find("h2", id="pathways-title").parent
    assert any(a["href"] == pathway_url(CHILD) for a in section.find_all("a"))


def test_model_links_its_implementing_organisations_to_the_directory(client, demo):
    from models_library.models import OperatingModelPage

    model = OperatingModelPage.objects.get(slug="rantakylan-aluetiimi", locale__language_code="fi")
    soup = html(client.get(model.url))

    facts = soup.select_one("#perustiedot")
    linked = [a.get_text(strip=True) for a in facts.find_all("a")]
    assert "Joensuun kaupunki" in linked
