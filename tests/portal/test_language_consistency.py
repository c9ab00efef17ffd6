"""One name per life situation in every place that shows it, and a language
switcher that keeps what the visitor is looking at (issue 16), on the demo."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from directory.models import DirectoryIndexPage, LifeSituation, Location, Organisation, Service, Team
from directory.models.pages import DETAIL_ROUTES
from models_library.models import ModelsLibraryIndexPage, OperatingModelPage
from portal.models import PathwayIndexPage, PathwayPage

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv", "en")
SEARCH = {"fi": "/haku/", "sv": "/sv/haku/", "en": "/en/haku/"}


def soup(response):
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return BeautifulSoup(response.content, "html.parser")


def names_in(language):
    with translation.override(language):
        return {situation.slug: str(situation.name) for situation in LifeSituation.objects.all()}


def switcher(html):
    return {a["hreflang"]: a["href"] for a in html.select(".language-switcher a")}


def page_in(model, language, **filters):
    return model.objects.live().get(locale__language_code=language, **filters)


# One name per life situation ----------------------------------------------------------------


def test_the_demo_has_one_name_per_situation_in_each_language(demo):
    for language in LANGUAGES:
        names = names_in(language)
        assert len(set(names.values())) == len(names) == 6
        for page in (
            PathwayPage.objects.live().filter(locale__language_code=language).select_related("life_situation")
        ):
            assert page.title == names[page.life_situation.slug], (language, page.title)


@pytest.mark.parametrize("language", LANGUAGES)
def test_door_finder_directory_filter_search_facet_and_service_pages_agree(client, demo, language):
    names = names_in(language)

    finder = soup(client.get(page_in(PathwayIndexPage, language).url))
    door_finder = {
        field["value"]: finder.find("label", attrs={"for": field["id"]}).get_text(strip=True)
        for field in finder.select('input[name="situation"]')
    }
    assert door_finder == names

    directory = soup(client.get(page_in(DirectoryIndexPage, language).url))
    directory_filter = {
        option["value"]: option.get_text(strip=True)
        for option in directory.select('select[name="situation"] option')
        if option["value"]
    }
    assert directory_filter == names

    directory_url = page_in(DirectoryIndexPage, language).url
    for slug, name in names.items():
        search = soup(client.get(SEARCH[language], {"topic": slug}))
        field = search.find("input", attrs={"type": "checkbox", "name": "topic", "value": slug})
        label = search.find("label", attrs={"for": field["id"]})
        label.find(class_="count").extract()
        assert label.get_text(strip=True) == name, (language, slug)

        service = Service.objects.public().filter(life_situations__slug=slug).first()
        page = soup(client.get(f"{directory_url}palvelu/{service.uid}/"))
        shown = [
            dt.find_next_sibling("dd").get_text(strip=True)
            for dt in page.select("dl.facts dt")
            if dt.get_text(strip=True) in ("Elämäntilanteet", "Livssituationer", "Life situations")
        ]
        assert shown and name in shown[0].split(", "), (language, slug, shown)


# The language switcher ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, model",
    [("service", Service), ("organisation", Organisation), ("location", Location), ("team", Team)],
)
def test_switcher_keeps_the_directory_record(client, demo, kind, model):
    record = model.objects.filter(uid__in=_public_uids(kind)).first()
    route = f"{DETAIL_ROUTES[kind]}/{record.uid}/"
    bases = {code: page_in(DirectoryIndexPage, code).url for code in LANGUAGES}

    links = switcher(soup(client.get(bases["fi"] + route)))

    assert links == {code: bases[code] + route for code in LANGUAGES}
    swedish = soup(client.get(links["sv"]))
    assert swedish.html["lang"] == "sv"


def _public_uids(kind):
    """Records whose public page answers 200 (a published service's records)."""
    services = Service.objects.filter(status="active", is_entry_point=True)
    if kind == "service":
        return services.values("uid")
    if kind == "organisation":
        return Organisation.objects.filter(services__in=services).values("uid")
    if kind == "location":
        return Location.objects.filter(service_at_locations__service__in=services).values("uid")
    return Team.objects.filter(services__in=services).values("uid")


def test_switcher_keeps_the_door_result_with_its_place_and_moment(client, demo):
    finnish = page_in(PathwayPage, "fi", life_situation__slug="huoli-lapsesta-tai-perheesta")
    query = "postal_code=80100&at=2026-12-07T10%3A00"

    links = switcher(soup(client.get(f"{finnish.url}?{query}")))

    for code in ("sv", "en"):
        translated = finnish.get_translation(
            page_in(PathwayPage, code, life_situation=finnish.life_situation).locale
        )
        assert links[code] == f"{translated.url}?{query}"
    result = soup(client.get(links["sv"]))
    assert result.html["lang"] == "sv"
    assert "80100" in result.select_one(".your-door").get_text()


def test_switcher_keeps_the_door_finder_form(client, demo):
    finder = {code: page_in(PathwayIndexPage, code).url for code in LANGUAGES}
    query = "situation=vauvaperhe&postal_code=80100&change=1"

    links = switcher(soup(client.get(f"{finder['fi']}?{query}")))

    assert links["en"] == f"{finder['en']}?{query}"


def test_switcher_keeps_the_directory_filters(client, demo):
    bases = {code: page_in(DirectoryIndexPage, code).url for code in LANGUAGES}
    query = "situation=vauvaperhe&municipality=167&entry_points=on"

    links = switcher(soup(client.get(f"{bases['sv']}?{query}")))

    assert links == {code: f"{bases[code]}?{query}" for code in LANGUAGES}


def test_switcher_keeps_the_models_listing_filters_and_the_comparison(client, demo):
    bases = {code: page_in(ModelsLibraryIndexPage, code).url for code in LANGUAGES}
    listing = "q=perhekeskus&page=1"

    links = switcher(soup(client.get(f"{bases['fi']}?{listing}")))
    assert links == {code: f"{bases[code]}?{listing}" for code in LANGUAGES}

    models = OperatingModelPage.objects.live().filter(locale__language_code="fi")
    uids = [str(uid) for uid in models.values_list("translation_key", flat=True)[:2]]
    comparison = "&".join(f"m={uid}" for uid in uids)
    links = switcher(soup(client.get(f"{bases['fi']}vertaa/?{comparison}")))
    assert links == {code: f"{bases[code]}vertaa/?{comparison}" for code in LANGUAGES}
    english = soup(client.get(links["en"]))
    assert english.html["lang"] == "en"


def test_switcher_keeps_the_search(client, demo):
    links = switcher(soup(client.get(SEARCH["en"], {"q": "perhekeskus", "topic": "vauvaperhe"})))

    for code in LANGUAGES:
        parts = urlsplit(links[code])
        assert parts.path == SEARCH[code]
        assert "q=perhekeskus" in parts.query and "topic=vauvaperhe" in parts.query
