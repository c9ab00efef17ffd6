import datetime

import pytest
from bs4 import BeautifulSoup

from models_library.exchange import import_document
from models_library.models import OperatingModelPage
from tests.models_library.factories import document, model_record
from tests.search.content import rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_models(library):
    import_document(
        document(
            model_record(
                "aluetiimi",
                title={"fi": "Aluetiimi", "sv": "Områdesteam", "en": "Area team"},
                topics=["yhteistyo"],
                stage="in_use",
                team="pohjois-karjala",
            ),
            model_record(
                "tyopari",
                title={"fi": "Työparimalli", "sv": "Arbetsparsmodell", "en": "Work pair model"},
                topics=["yhteistyo", "palveluohjaus"],
                stage="piloting",
                municipalities=["853"],
                wellbeing_counties=["05"],
                team="varsinais-suomi",
            ),
            model_record(
                "ohjaus",
                title={
                    "fi": "Palveluohjauksen malli",
                    "sv": "Servicehandledningsmodell",
                    "en": "Service guidance model",
                },
                topics=["palveluohjaus"],
                stage="in_use",
                municipalities=["297"],
                wellbeing_counties=["13"],
                team="pohjois-savo",
                short_description={"fi": "Yksi yhteydenotto vastaa kaikkiin tarpeisiin."},
            ),
        )
    )
    # The library's free-text search goes through the search index (search analysis).
    rebuild()


def html(response):
    return BeautifulSoup(response.content, "html.parser")


def facet_counts(soup, name):
    counts = {}
    for box in soup.select(f'input[name="{name}"]'):
        label = soup.find("label", attrs={"for": box["id"]})
        counts[box["value"]] = int(label.find(class_="count").get_text().strip("()"))
    return counts


def result_titles(soup):
    return [a.get_text(strip=True) for a in soup.select(".card__title a")]


def test_listing_shows_all_models_with_facet_counts(client, three_models):
    soup = html(client.get("/toimintamallit/"))

    assert result_titles(soup) == ["Aluetiimi", "Palveluohjauksen malli", "Työparimalli"]
    assert facet_counts(soup, "topic") == {"palveluohjaus": 2, "yhteistyo": 2}
    assert facet_counts(soup, "stage") == {"in_use": 2, "piloting": 1}
    assert facet_counts(soup, "county")["05"] == 1


def test_filters_combine_and_counts_follow(client, three_models):
    soup = html(client.get("/toimintamallit/?topic=palveluohjaus&stage=in_use"))

    assert result_titles(soup) == ["Palveluohjauksen malli"]
    # Counts of a facet ignore that facet's own selection, so other options stay reachable.
    assert facet_counts(soup, "stage") == {"in_use": 1, "piloting": 1}
    assert facet_counts(soup, "topic") == {"palveluohjaus": 1, "yhteistyo": 1}
    assert soup.select_one('input[name="topic"][value="palveluohjaus"]').has_attr("checked")


def test_filter_by_county_uses_the_models_area(client, three_models):
    soup = html(client.get("/toimintamallit/?county=13"))

    assert result_titles(soup) == ["Palveluohjauksen malli"]


def test_free_text_search_within_the_library(client, three_models):
    soup = html(client.get("/toimintamallit/?q=tarpeisiin"))

    assert result_titles(soup) == ["Palveluohjauksen malli"]


def test_free_text_search_takes_any_text(client, three_models):
    """The library's box goes through the search analysis: FTS5 / tsquery syntax is just text."""
    for text in ['"', '";--', "\x00", "tarpeisiin*", "a OR b", "NEAR(x y)", "(", "^~\\"]:
        response = client.get("/toimintamallit/", {"q": text})
        assert response.status_code == 200, text


def test_signed_in_users_find_the_restricted_models_they_may_see(client, three_models):
    from wagtail.models import PageViewRestriction

    from tests.directory.factories import UserFactory

    page = OperatingModelPage.objects.get(slug="ohjaus", locale__language_code="fi")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    rebuild()  # a restricted model is not in the index

    assert result_titles(html(client.get("/toimintamallit/?q=tarpeisiin"))) == []
    client.force_login(UserFactory(username="kirjautunut"))
    assert result_titles(html(client.get("/toimintamallit/?q=tarpeisiin"))) == ["Palveluohjauksen malli"]


def test_sorting_by_newest(client, three_models):
    page = OperatingModelPage.objects.get(slug="tyopari", locale__language_code="fi")
    page.modified_on = datetime.date(2026, 6, 1)
    page.save_revision().publish()

    soup = html(client.get("/toimintamallit/?sort=newest"))

    assert result_titles(soup)[0] == "Työparimalli"


def test_unknown_filter_values_and_bad_page_numbers_do_not_fail(client, three_models):
    response = client.get("/toimintamallit/?topic=ei-ole&sort=%27;drop&page=999")

    assert response.status_code == 200
    assert result_titles(html(response)) == []


def test_swedish_listing_shows_swedish_titles_and_links(client, three_models):
    soup = html(client.get("/sv/verksamhetsmodeller/"))

    links = {a.get_text(strip=True): a["href"] for a in soup.select(".card__title a")}
    assert links["Områdesteam"] == "/sv/verksamhetsmodeller/pohjois-karjala/aluetiimi/"


def test_detail_page_shows_process_roles_figures_and_adoptions(client, three_models):
    soup = html(client.get("/toimintamallit/pohjois-karjala/aluetiimi/"))

    steps = soup.select(".timeline__step")
    assert [s.find(class_="timeline__title").get_text(" ", strip=True) for s in steps] == [
        "1 Yhteydenotto",
        "2 Reagointi",
    ]
    assert "3 arkipäivän kuluessa" in steps[1].get_text()
    assert "Asiakasvastaava" in steps[1].find(class_="timeline__meta").get_text()
    assert soup.select_one(".roles dt").get_text(strip=True) == "Asiakasvastaava"
    assert soup.select_one(".figures__value").get_text() == "568"
    assert "Liperi" in soup.select_one("#kayttoonotot").get_text()
    assert [a["href"] for a in soup.select(".section-nav a")][:3] == ["#perustiedot", "#kuvaus", "#prosessi"]


def test_adoptions_are_placed_on_the_map_at_their_municipality(client, library):
    import_document(
        document(
            model_record(
                "kartta",
                team="pohjois-karjala",
                adoptions=[
                    {
                        "area": "Liperi",
                        "municipality": "426",
                        "organisation": "Liperin kunta",
                        "year": 2018,
                        "status": "in_use",
                    },
                    {
                        "area": "Liperi",
                        "municipality": "426",
                        "organisation": "Seurakunta",
                        "year": 2020,
                        "status": "piloting",
                    },
                    {
                        "area": "Joensuu",
                        "municipality": "167",
                        "organisation": "Siun sote",
                        "year": 2021,
                        "status": "in_use",
                    },
                    {
                        "area": "Pohjois-Karjala",
                        "municipality": None,
                        "organisation": "Hyvinvointialue",
                        "year": None,
                        "status": "in_use",
                    },
                ],
            )
        )
    )

    soup = html(client.get("/toimintamallit/pohjois-karjala/kartta/"))

    points = {
        li["data-lat"] + "," + li["data-lon"]: li["data-name"] for li in soup.select("#adoption-points li")
    }
    assert points == {
        "62.53333,29.36667": "Liperi: Liperin kunta, 2018, Käytössä; Seurakunta, 2020, Pilotointi",
        "62.60118,29.76316": "Joensuu: Siun sote, 2021, Käytössä",
    }
    assert soup.select_one("#kayttoonotot [data-directory-map]")["data-points"] == "adoption-points"
    assert (
        "Hyvinvointialue" in soup.select_one("#kayttoonotot table").get_text()
    )  # listed, though not on the map
    assert soup.find("script", src=lambda src: src and src.endswith("directory-map.js"))


def test_model_without_placeable_adoptions_loads_no_map(client, library):
    import_document(
        document(
            model_record(
                "eikarttaa",
                team="pohjois-karjala",
                adoptions=[
                    {
                        "area": "Varsinais-Suomi",
                        "municipality": None,
                        "organisation": "Hyvinvointialue",
                        "year": None,
                        "status": "in_use",
                    },
                ],
            )
        )
    )

    soup = html(client.get("/toimintamallit/pohjois-karjala/eikarttaa/"))

    assert soup.select_one("#kayttoonotot table")
    assert not soup.select("[data-directory-map]")
    assert not soup.find("script", src=lambda src: src and "leaflet" in src)


def test_translation_shows_translated_summary_and_finnish_sections(client, three_models):
    soup = html(client.get("/en/operating-models/pohjois-karjala/aluetiimi/"))

    assert soup.h1.get_text(strip=True) == "Area team"
    assert soup.select_one(".lead").get_text() == "The family gets support from one place."
    body = soup.select_one(".model__body")
    assert body["lang"] == "fi"
    assert "available in Finnish" in body.get_text()
    assert soup.select(".timeline__title")[1].get_text(" ", strip=True) == "2 Reaction"


def test_model_not_reviewed_for_24_months_needs_review(client, three_models):
    page = OperatingModelPage.objects.get(slug="ohjaus", locale__language_code="fi")
    page.last_reviewed = datetime.date.today() - datetime.timedelta(days=800)
    page.save_revision().publish()

    soup = html(client.get(page.url))

    assert (
        "Needs review" in soup.select_one(".badges").get_text()
        or "Vaatii tarkistuksen" in soup.select_one(".badges").get_text()
    )


def test_comparison_shows_models_side_by_side(client, three_models):
    uids = [
        str(p.translation_key)
        for p in OperatingModelPage.objects.filter(
            locale__language_code="fi", slug__in=["aluetiimi", "tyopari"]
        ).order_by("slug")
    ]

    soup = html(client.get("/toimintamallit/vertaa/", {"m": uids}))

    headers = [th.get_text(strip=True) for th in soup.select('thead th[scope="col"]')]
    assert headers == ["Aluetiimi", "Työparimalli"]
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in soup.select("tbody tr")
    }
    assert rows["Kehitysvaihe"] == ["Käytössä", "Pilotointi"]


def test_comparison_needs_two_models(client, three_models):
    response = client.get("/toimintamallit/vertaa/?m=not-a-uuid")

    assert response.status_code == 200
    assert not html(response).select("table")
