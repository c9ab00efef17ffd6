"""The public directory pages, as a visitor and as a professional sees them."""

import re

import pytest
from bs4 import BeautifulSoup

from directory.choices import ServiceStatus
from directory.demo import PAGE_KEY, ensure_directory_pages
from directory.models import DirectoryIndexPage

from .conftest import SECRETS, assert_no_secrets
from .factories import ServiceFactory, county, municipality

pytestmark = pytest.mark.django_db

BASES = {"fi": "/palvelut/", "sv": "/sv/tjanster/", "en": "/en/services/"}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def detail_paths(scenario):
    return {
        "service": f"palvelu/{scenario['service'].uid}/",
        "organisation": f"organisaatio/{scenario['city'].uid}/",
        "location": f"toimipiste/{scenario['location'].uid}/",
        "team": f"tiimi/{scenario['team'].uid}/",
    }


def test_directory_pages_exist_in_three_languages_with_one_translation_key(directory_pages):
    pages = DirectoryIndexPage.objects.filter(translation_key=PAGE_KEY)

    assert sorted((p.locale.language_code, p.slug, p.live) for p in pages) == [
        ("en", "services", True),
        ("fi", "palvelut", True),
        ("sv", "tjanster", True),
    ]


def test_ensuring_the_pages_again_changes_nothing(site_shell, directory_pages):
    before = list(DirectoryIndexPage.objects.order_by("pk").values_list("pk", "latest_revision_id", "live"))

    ensure_directory_pages(site_shell)

    assert (
        list(DirectoryIndexPage.objects.order_by("pk").values_list("pk", "latest_revision_id", "live"))
        == before
    )


def test_ensuring_the_pages_repairs_an_unpublished_page(site_shell, directory_pages):
    directory_pages["sv"].unpublish()

    ensure_directory_pages(site_shell)

    assert DirectoryIndexPage.objects.get(pk=directory_pages["sv"].pk).live


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_browse_page_renders_in_each_language(client, directory_pages, scenario, language):
    response = client.get(BASES[language])

    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == language
    assert html.h1.get_text(strip=True) == directory_pages[language].title
    names = [a.get_text(strip=True) for a in html.select(".cards .card__title a")]
    expected = {
        "fi": "Perheiden yhteinen ovi",
        "sv": "Familjernas gemensamma dörr",
        "en": "One door for families",
    }
    assert names == [expected[language]]
    assert html.find("label", attrs={"for": "id_municipality"}) is not None


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("kind", ["service", "organisation", "location", "team"])
def test_detail_pages_render_in_each_language(client, directory_pages, scenario, language, kind):
    response = client.get(BASES[language] + detail_paths(scenario)[kind])

    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == language
    title = {
        "service": {
            "fi": "Perheiden yhteinen ovi",
            "sv": "Familjernas gemensamma dörr",
            "en": "One door for families",
        },
        "organisation": {"fi": "Joensuun kaupunki", "sv": "Joensuu stad", "en": "City of Joensuu"},
        "location": {
            "fi": "Rantakylän hyvinvointiasema",
            "sv": "Rantakylä välfärdsstation",
            "en": "Rantakylä Wellbeing Station",
        },
        "team": {"fi": "Rantakylän aluetiimi", "sv": "Rantakylä områdesteam", "en": "Rantakylä area team"},
    }[kind]
    assert html.h1.get_text(strip=True) == title[language]
    assert len(html.find_all("h1")) == 1
    assert html.find("nav", class_="breadcrumbs").find("a", href=BASES[language])


def test_unknown_or_closed_down_records_are_not_found(client, directory_pages, scenario):
    assert client.get(BASES["fi"] + "palvelu/00000000-0000-4000-8000-000000000000/").status_code == 404
    scenario["service"].status = ServiceStatus.DEFUNCT
    scenario["service"].save()

    assert client.get(BASES["fi"] + detail_paths(scenario)["service"]).status_code == 404
    assert "Perheiden yhteinen ovi" not in client.get(BASES["fi"]).content.decode()


@pytest.mark.parametrize("kind", ["service", "organisation", "location", "team"])
def test_anonymous_visitors_see_no_professional_data(client, directory_pages, scenario, kind):
    response = client.get(BASES["fi"] + detail_paths(scenario)[kind])

    assert response.status_code == 200
    assert_no_secrets(response.content.decode())
    assert not soup(response).select(".professional")


def test_professionals_see_contacts_and_instructions(client, directory_pages, scenario, professional):
    client.force_login(professional)

    service_page = client.get(BASES["fi"] + detail_paths(scenario)["service"])
    team_page = client.get(BASES["fi"] + detail_paths(scenario)["team"])

    text = service_page.content.decode()
    for key in (
        "referral",
        "consultation",
        "direct_phone",
        "contact_name",
        "contact_email",
        "sal_contact_name",
    ):
        assert SECRETS[key] in text
    assert SECRETS["team_consultation"] in team_page.content.decode()
    assert SECRETS["member_contact_name"] in team_page.content.decode()
    # A page with professional data must not be kept by shared caches.
    assert "private" in service_page["Cache-Control"] and "no-store" in service_page["Cache-Control"]


def test_service_page_shows_hours_access_and_address_without_javascript(client, directory_pages, scenario):
    html = soup(client.get(BASES["en"] + detail_paths(scenario)["service"]))

    place = html.select_one(".places .place")
    assert "Latolankatu 15" in place.get_text()
    assert "80160" in place.get_text()
    # The place's hours: in the opening hours section, under the place's name (the week behind a disclosure).
    hours = html.select_one(".record__hours .channel-hours__item--location")
    assert (
        place.select_one(".place__title").get_text(strip=True)
        in hours.select_one(".channel-hours__name").get_text()
    )
    assert hours.select_one("details.hours__week .hours__table") is not None
    point = html.select_one(".map-point")
    assert (float(point["data-lat"]), float(point["data-lon"])) == (62.6178, 29.8061)
    assert "62.61780" in point.get_text()  # coordinates as text too


def test_browse_filters_by_municipality_postal_code_sector_and_situation(client, directory_pages, scenario):
    ServiceFactory(name_fi="Kuopion palvelu", areas=[municipality("297")])
    ServiceFactory(name_fi="Koko maan palvelu", nationwide=True)

    def names(query):
        return [
            a.get_text(strip=True) for a in soup(client.get(BASES["fi"] + query)).select(".card__title a")
        ]

    assert names("?municipality=167") == ["Perheiden yhteinen ovi", "Koko maan palvelu"]
    assert names("?postal_code=70100") == ["Kuopion palvelu", "Koko maan palvelu"]
    assert names("?situation=huoli-lapsesta") == ["Perheiden yhteinen ovi"]
    assert names("?entry_points=on") == ["Perheiden yhteinen ovi"]
    assert names("?sector=health_care") == []


def test_unknown_postal_code_is_reported_next_to_the_field(client, directory_pages, scenario):
    html = soup(client.get(BASES["en"] + "?postal_code=00000"))

    assert html.select_one(".field-error") is not None
    # One id convention (Django's): the field points at its error, which exists.
    field = html.select_one("#id_postal_code")
    assert field["aria-invalid"] == "true"
    assert "id_postal_code_error" in field["aria-describedby"].split()
    assert html.select_one("#id_postal_code_error").get_text(strip=True)
    summary = html.select_one(".error-summary[data-error-summary]")
    assert summary["tabindex"] == "-1" and summary.has_attr("autofocus")
    assert summary.select_one('a[href="#id_postal_code"]') is not None
    assert html.title.get_text().startswith("Error: ")


def test_browse_pages_through_results_keeping_the_filters(client, directory_pages):
    for number in range(25):
        ServiceFactory(name_fi=f"Palvelu {number:02d}", nationwide=True)

    first = soup(client.get(BASES["fi"] + "?municipality=091"))
    second = soup(client.get(BASES["fi"] + "?municipality=091&page=2"))

    assert len(first.select(".card")) == 20 and len(second.select(".card")) == 5
    next_link = first.select_one('.pagination a[rel="next"]')["href"]
    assert "municipality=091" in next_link and "page=2" in next_link


def test_county_wide_services_are_found_by_a_municipality_of_the_county(client, directory_pages):
    ServiceFactory(name_fi="Pohjois-Karjalan neuvonta", areas=[county("14")])

    html = soup(client.get(BASES["fi"] + "?municipality=426"))  # Liperi

    assert [a.get_text(strip=True) for a in html.select(".card__title a")] == ["Pohjois-Karjalan neuvonta"]


def test_network_map_is_refused_to_anonymous_visitors(client, directory_pages, scenario):
    response = client.get(BASES["fi"] + "verkostokartta/?municipality=167")

    assert response.status_code == 403
    text = response.content.decode()
    assert "Rantakylän aluetiimi" not in text and "Karjalan Perheverkko" not in text
    assert soup(response).html["lang"] == "fi"


def test_network_map_for_professionals_as_svg_and_nested_list(
    client, directory_pages, scenario, professional, operating_models
):
    client.force_login(professional)

    response = client.get(BASES["en"] + "verkostokartta/?municipality=167")

    assert response.status_code == 200
    html = soup(response)
    svg = html.find("svg", class_="network-graph__svg")
    assert svg["role"] == "img" and svg.find("title") and svg.find("desc")
    assert {t.get_text() for t in svg.select(".network-graph__node text")} == {
        "Rantakylän aluetiimi",  # the model the team follows (tests/directory/conftest.py)
        "Rantakylä area team",
        "City of Joensuu",
        "Karjalan Perheverkko",
    }
    assert len(svg.select(".network-graph__edges path")) == 3  # model→team, team→city, team→NGO
    items = [li.get_text(" ", strip=True) for li in html.select("ul.network-list > li")]
    assert any(
        "Rantakylä area team" in item and "Karjalan Perheverkko" in item and "family work" in item
        for item in items
    )
    assert not [s for s in html.find_all(["script"]) if s.get("src") and "network" in s["src"]]


def test_network_map_reports_an_unknown_municipality_at_its_field(
    client, directory_pages, scenario, professional
):
    client.force_login(professional)

    html = soup(client.get(BASES["en"] + "verkostokartta/?municipality=999"))

    field = html.select_one("#id_municipality")
    assert field["aria-invalid"] == "true"
    assert html.select_one(f"#{field['aria-describedby']}").get_text(strip=True)
    assert html.select_one('.error-summary a[href="#id_municipality"]') is not None
    assert html.title.get_text().startswith("Error: ")


def test_professional_browse_page_links_to_network_maps(client, directory_pages, scenario, professional):
    assert soup(client.get(BASES["fi"])).select_one(".professional-link") is None
    client.force_login(professional)

    link = soup(client.get(BASES["fi"])).select_one(".professional-link a")

    assert link["href"] == BASES["fi"] + "verkostokartta/"


def test_directory_pages_load_nothing_from_other_hosts(client, directory_pages, scenario):
    for path in detail_paths(scenario).values():
        html = soup(client.get(BASES["fi"] + path))
        sources = [tag.get("src") for tag in html.find_all(src=True)]
        sources += [tag.get("href") for tag in html.find_all("link", href=True)]
        assert not [url for url in sources if re.match(r"^(https?:)?//", url)]
