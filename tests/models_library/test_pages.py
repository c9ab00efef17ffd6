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
    assert "available in Finnish" in body.get_text()
    assert soup.select(".timeline__title")[1].get_text(" ", strip=True) == "2 Reaction"


@pytest.mark.parametrize(
    "prefix, language", [("/sv/verksamhetsmodeller/", "sv"), ("/en/operating-models/", "en")]
)
def test_a_translation_marks_each_finnish_text_and_nothing_else(client, three_models, prefix, language):
    """WCAG 3.1.2 on a Swedish or English model page: what exists in the page's
    language (headings, step titles, role names) has no lang; each text that falls
    back to Finnish carries lang="fi" itself, not the whole description."""
    soup = html(client.get(prefix + "pohjois-karjala/aluetiimi/"))
    assert soup.html["lang"] == language
    body = soup.select_one(".model__body")

    assert not body.has_attr("lang")
    assert not body.select_one(".notice").has_attr("lang")
    for heading in body.select("h2, h3"):  # the page's own words ("Description", "Core idea")
        assert heading.find_parent(lang="fi") is None, heading
        if "timeline__title" not in heading.get("class", []):
            assert not heading.find_all(attrs={"lang": True}), heading
    description = body.select_one("#kuvaus")
    texts = description.select(".model__text")
    assert [text.get_text(strip=True) for text in texts][:2] == [
        "Yksi yhteydenotto riittää.",
        "Perhekeskus ja koulut.",
    ]
    assert {text.get("lang") for text in texts} == {"fi"}
    assert body.select_one("#opit .model__text")["lang"] == "fi"

    # The process: titles in the page's language; descriptions, time limit text and participants in Finnish.
    titles = body.select(".timeline__title")
    assert not titles[0].find_all(attrs={"lang": True})
    assert [d["lang"] for d in body.select(".timeline__description")] == ["fi", "fi"]
    assert body.find("span", lang="fi", string="3 arkipäivän kuluessa") is not None
    assert body.find("span", lang="fi", string="Perhe ja asiakasvastaava") is not None
    responsible = body.select(".timeline__meta")[0]
    assert responsible.get_text(" ", strip=True).endswith(
        {"sv": "Klientansvarig", "en": "Named responsible worker"}[language]
    )
    assert not responsible.find_all(attrs={"lang": True})

    # Roles: the name translated, what the role does in Finnish.
    role = body.select_one(".roles__item")
    assert not role.dt.find_all(attrs={"lang": True}) and not role.dt.has_attr("lang")
    assert role.dd["lang"] == "fi"

    # A key figure's label: English exists, Swedish falls back to Finnish.
    label = body.select_one(".figures__label")
    if language == "en":
        assert label.get_text() == "contacts" and not label.find_all(attrs={"lang": True})
    else:
        assert label.find("span", lang="fi").get_text() == "yhteydenottoa"
    assert body.find("span", lang="fi", string="Pilotin oma seuranta") is not None

    # An author's job title is Finnish; the page's own labels are not.
    assert body.find("span", lang="fi", string="kehittäjä") is not None
    assert not body.select_one("#perustiedot").dl.has_attr("lang")


def test_the_finnish_page_marks_nothing(client, three_models):
    soup = html(client.get("/toimintamallit/pohjois-karjala/aluetiimi/"))

    assert soup.select(".model__body [lang]") == []


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


def test_library_search_understands_inflections_compounds_and_other_languages(client, three_models):
    """The library's box is the site search restricted to operating models: an
    inflected word, a compound in a case ending and a Swedish title all find
    their model, and the filters and the relevance order still apply."""
    import_document(
        document(
            model_record(
                "kotikaynnit",
                title={
                    "fi": "Neuvolan kotikäynnit",
                    "sv": "Rådgivningens hembesök",
                    "en": "Clinic home visits",
                },
                short_description={
                    "fi": "Terveydenhoitaja ja sosiaaliohjaaja tapaavat lapsiperheitä kotona."
                },
                topics=["palveluohjaus"],
                tags=[],
            )
        )
    )
    rebuild()

    assert "Neuvolan kotikäynnit" in result_titles(html(client.get("/toimintamallit/?q=perheitä")))
    assert result_titles(html(client.get("/toimintamallit/?q=kotikäynneille"))) == ["Neuvolan kotikäynnit"]
    assert result_titles(html(client.get("/toimintamallit/?q=sosiaaliohjaajalle"))) == [
        "Neuvolan kotikäynnit"
    ]
    # A Swedish title on the Finnish library page.
    assert result_titles(html(client.get("/toimintamallit/?q=arbetsparsmodellen"))) == ["Työparimalli"]
    # Filters still narrow what the words found.
    found = result_titles(html(client.get("/toimintamallit/", {"q": "perheitä", "topic": "palveluohjaus"})))
    assert "Neuvolan kotikäynnit" in found and "Aluetiimi" not in found


@pytest.mark.parametrize("prefix", ["/toimintamallit/", "/sv/verksamhetsmodeller/", "/en/operating-models/"])
def test_the_comparison_marks_finnish_cells_and_nothing_in_the_page_language(client, three_models, prefix):
    """WCAG 3.1.2: on a Swedish or English comparison the models' sections (Finnish
    only) carry lang="fi" cell by cell; the row labels and the translated stage names
    carry none. The Finnish comparison marks nothing."""
    uids = [
        str(p.translation_key)
        for p in OperatingModelPage.objects.filter(
            locale__language_code="fi", slug__in=["aluetiimi", "tyopari"]
        ).order_by("slug")
    ]

    soup = html(client.get(prefix + "vertaa/", {"m": uids}))
    table = soup.select_one("table.compare")

    rows = table.select("tbody tr")
    assert rows and not table.tbody.has_attr("lang")
    assert all(not row.th.has_attr("lang") for row in rows)
    if prefix == "/toimintamallit/":
        assert table.select("[lang]") == []
        return
    core_idea = next(
        row for row in rows if row.th.get_text(strip=True) in ("Lösningens grundidé", "Core idea")
    )
    assert [td.get("lang") for td in core_idea.find_all("td")] == ["fi", "fi"]
    stage = next(
        row for row in rows if row.th.get_text(strip=True) in ("Utvecklingsskede", "Development stage")
    )
    assert all(not td.has_attr("lang") for td in stage.find_all("td"))


def test_keywords_are_marked_finnish_on_a_translation(client, three_models):
    page = OperatingModelPage.objects.get(slug="aluetiimi", locale__language_code="fi")
    page.tags.add("perhekeskus", "matala kynnys")
    page.save_revision().publish()

    def keywords(prefix):
        soup = html(client.get(prefix + "pohjois-karjala/aluetiimi/"))
        return soup.select_one("#perustiedot dl").find_all("dd")[-1]

    swedish = keywords("/sv/verksamhetsmodeller/")
    assert swedish["lang"] == "fi" and "perhekeskus" in swedish.get_text()
    assert not keywords("/toimintamallit/").has_attr("lang")
