"""Places in the query (issue 15, docs/search.md "Places in the query"): a
municipality's name in any inflected form, a demonym or a postal code in `q` is
the place the results serve, not text to match; results are ordered local →
county → the rest; the API's `place` and the page's place chip say which place
was understood, and when nothing local exists, they say so."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from search import indexing
from search.analysers import invalidate_synonyms
from search.params import place_resolver
from search.places import find_place
from search.synonyms import ensure_default_synonyms
from tests.directory.factories import ServiceFactory, municipality

SEARCH = "/api/v1/search"
KUOPIO, TURKU, LIPERI, JOENSUU = "297", "853", "426", "167"


def find(text):
    resolve = place_resolver()
    return find_place(text, resolve_postal_code=lambda code: resolve(postal_code=code))


# --- reading the place out of the words ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "code", "rest"),
    [
        ("päiväkoti kuopio", KUOPIO, "päiväkoti"),
        ("velkaneuvonta Turussa", TURKU, "velkaneuvonta"),
        ("asumisneuvonta liperissä", LIPERI, "asumisneuvonta"),
        ("familjerådgivning i Åbo", TURKU, "familjerådgivning"),
        ("Åbos familjerådgivning", TURKU, "familjerådgivning"),
        ("neuvola kuopiolaisille", KUOPIO, "neuvola"),
        ("joensuulainen perhekeskus", JOENSUU, "perhekeskus"),
        ("Joensuun Ohjaamo", JOENSUU, "Ohjaamo"),
        ("Kuopio", KUOPIO, ""),
    ],
)
def test_an_inflected_municipality_name_or_demonym_is_the_place(text, code, rest):
    found = find(text)

    assert found is not None and found.municipality == code
    assert found.text == rest


TAMPERE, HELSINKI = "837", "091"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("perhekeskus Rantakylässä", JOENSUU),
        ("neuvola hervannassa", TAMPERE),  # only a name: lower case is enough
        ("asumisneuvonta Kalliossa", HELSINKI),
        ("mentalvård i Berghäll", HELSINKI),  # the Swedish name
        ("kotihoito Nilsiässä", KUOPIO),  # a former municipality
    ],
)
def test_a_districts_name_is_its_municipality_and_stays_in_the_words(text, code):
    found = find(text)

    assert found is not None and found.municipality == code
    # The district is searched as words too, so its own services come first.
    assert found.text == text


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["kalliolla kiipeily", "rantakylässä asuminen"])
def test_a_districts_name_typed_as_a_common_word_is_the_word(text):
    # kallio: a rock; rantakylä: a lakeside village. With a capital they are the districts.
    assert find(text) is None


@pytest.mark.django_db
def test_a_postal_code_in_the_words_is_the_place():
    found = find("neuvola 80100")

    assert found.postal_code == "80100" and found.text == "neuvola"
    assert find("neuvola 12345") is None  # no such postal code: left as text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "perheneuvola",  # no place
        "virta",  # a common word; Virrat analysed as a word would be virta
        "multa ja kaari",  # likewise Multia, Kaarina
        "tyypin II diabetes",  # Ii is a municipality; two letters as written are not read as one
        "päiväkoti kuopio joensuu",  # two places: which one?
        "",
    ],
)
def test_words_that_are_no_one_place_are_left_alone(text):
    assert find(text) is None


# --- the directory's content: the examples --------------------------------------------


@pytest.fixture
def places_content(db, settings):
    settings.ELASTICSEARCH_URL = ""
    kuopio, turku, liperi, joensuu = (municipality(code) for code in (KUOPIO, TURKU, LIPERI, JOENSUU))
    made = {
        "kuopio_daycare": ServiceFactory(
            name_fi="Päiväkotipaikan haku, Kuopio",
            summary_fi="Päiväkoti ja varhaiskasvatus lapsellesi Kuopiossa.",
            areas=[kuopio],
        ),
        "joensuu_daycare": ServiceFactory(
            name_fi="Päiväkoti Satakieli",
            summary_fi="Päiväkoti ja varhaiskasvatus.",
            areas=[joensuu],
        ),
        "county_daycare": ServiceFactory(
            name_fi="Päiväkotien erityisopettajat",
            summary_fi="Päiväkoti ja erityinen tuki koko hyvinvointialueella.",
            areas=[kuopio.county],
        ),
        "national_daycare": ServiceFactory(
            name_fi="Päiväkoti-info",
            summary_fi="Valtakunnallinen neuvonta: päiväkoti ja varhaiskasvatus.",
            nationwide=True,
        ),
        "turku_housing": ServiceFactory(
            name_fi="Asumisneuvonta Turku",
            summary_fi="Apua vuokranmaksuun ja asumiseen.",
            areas=[turku],
        ),
        "turku_debt": ServiceFactory(
            name_fi="Talous- ja velkaneuvonta",
            summary_fi="Velkaneuvonta auttaa, kun velat kasvavat.",
            areas=[turku.county],
        ),
        "liperi_youth": ServiceFactory(
            name_fi="Liperin nuorisopalvelut",
            summary_fi="Nuorisotila ja harrastukset.",
            areas=[liperi],
        ),
        # Has "asumisneuvonta" only as the halves of the compound, apart: no local housing advice.
        "liperi_elderly": ServiceFactory(
            name_fi="Liperin ikäihmisten neuvonta",
            summary_fi="Neuvonta ja tuki kotona asumiseen.",
            areas=[liperi],
        ),
        "county_housing": ServiceFactory(
            name_fi="Pohjois-Karjalan asumisneuvonta",
            summary_fi="Asumisneuvonta koko maakunnassa.",
            areas=[liperi.county],
        ),
        "joensuu_housing": ServiceFactory(
            name_fi="Joensuun asumisneuvonta",
            summary_fi="Asumisneuvonta joensuulaisille.",
            areas=[joensuu],
        ),
    }
    ensure_default_synonyms()
    invalidate_synonyms()
    indexing.rebuild()
    return {name: str(service.uid) for name, service in made.items()}


def api(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def uids(body):
    return [r["uid"] for r in body["results"]]


def test_paivakoti_kuopio_puts_kuopios_own_service_first(client, places_content):
    body = api(client, q="päiväkoti kuopio")

    assert body["place"] == {
        "name": "Kuopio",
        "municipality": KUOPIO,
        "county": municipality(KUOPIO).county.code,
        "source": "query",
        "words": "kuopio",
        "local_results": 1,
    }
    found = uids(body)
    # Local, then the county's, then nationwide; Joensuu's day care serves Joensuu only.
    assert found[:3] == [
        places_content["kuopio_daycare"],
        places_content["county_daycare"],
        places_content["national_daycare"],
    ]
    assert places_content["joensuu_daycare"] not in found


def test_velkaneuvonta_turku_finds_the_debt_counselling_that_serves_turku(client, places_content):
    body = api(client, q="velkaneuvonta turku")

    assert body["place"]["municipality"] == TURKU
    assert uids(body)[0] == places_content["turku_debt"]
    assert places_content["turku_housing"] not in uids(body)
    # The same in Swedish on the Swedish API.
    assert api(client, q="velkaneuvonta i Åbo", lang="sv")["place"]["name"] == "Åbo"


def test_asumisneuvonta_liperi_says_nothing_is_local_and_shows_what_serves_liperi(client, places_content):
    body = api(client, q="asumisneuvonta liperi")

    assert body["place"]["municipality"] == LIPERI and body["place"]["local_results"] == 0
    found = uids(body)
    assert found[0] == places_content["county_housing"]
    assert places_content["joensuu_housing"] not in found  # serves Joensuu only

    html = BeautifulSoup(client.get("/haku/", {"q": "asumisneuvonta liperi"}).content, "html.parser")
    note = html.select_one(".search-no-local")
    assert note is not None and "Liperi" in note.get_text()


def test_a_demonym_and_a_postal_code_are_places_too(client, places_content):
    assert api(client, q="päiväkoti kuopiolaisille")["place"]["municipality"] == KUOPIO
    body = api(client, q="asumisneuvonta 80100")
    assert body["place"]["municipality"] == JOENSUU and body["place"]["words"] == "80100"
    assert uids(body)[0] == places_content["joensuu_housing"]


def test_a_place_name_alone_shows_what_serves_the_place(client, places_content):
    body = api(client, q="Liperissä")

    assert body["place"]["municipality"] == LIPERI
    found = uids(body)
    assert set(found) >= {places_content["liperi_youth"], places_content["county_housing"]}
    assert found.index(places_content["liperi_youth"]) < found.index(places_content["county_housing"])
    assert places_content["joensuu_housing"] not in uids(body)


def test_explicit_parameters_win_over_a_place_in_the_words(client, places_content):
    body = api(client, q="päiväkoti kuopio", serves_municipality="Joensuu")

    assert body["place"]["source"] == "parameter" and body["place"]["municipality"] == JOENSUU
    assert body["place"]["words"] is None
    assert places_content["kuopio_daycare"] not in uids(body)  # serves Kuopio, not Joensuu
    # "kuopio" stays a word to match, as when reading places from the words is off.
    assert uids(body) == uids(api(client, q="päiväkoti kuopio", serves_municipality="Joensuu", place="off"))
    assert uids(body)[0] == places_content["joensuu_daycare"]


def test_place_off_searches_the_words_as_text(client, places_content):
    body = api(client, q="päiväkoti kuopio", place="off")

    assert body["place"] is None
    assert uids(body) == [places_content["kuopio_daycare"]]  # the one whose text says Kuopio
    assert client.get(SEARCH, {"q": "x", "place": "on"}).status_code == 400


def test_the_page_shows_a_removable_place_chip(client, places_content):
    html = BeautifulSoup(client.get("/haku/", {"q": "päiväkoti kuopio"}).content, "html.parser")

    chip = html.select_one(".search-place-chip")
    assert "Kuopio" in chip.get_text()
    remove = chip.select_one("a")["href"]
    assert parse_qs(urlsplit(remove).query) == {"q": ["päiväkoti kuopio"], "place": ["off"]}
    assert html.select_one(".search-no-local") is None  # Kuopio has its own

    again = BeautifulSoup(client.get("/haku/" + remove).content, "html.parser")
    assert again.select_one(".search-place-chip") is None
    assert again.select_one("main input[type=search]")["value"] == "päiväkoti kuopio"


def test_the_chip_of_an_explicit_place_removes_the_parameter(client, places_content):
    html = BeautifulSoup(
        client.get("/sv/haku/", {"q": "asumisneuvonta", "serves_municipality": "Joensuu"}).content,
        "html.parser",
    )

    remove = html.select_one(".search-place-chip a")["href"]
    assert parse_qs(urlsplit(remove).query) == {"q": ["asumisneuvonta"]}


# --- local first, on every engine ---------------------------------------------------------------


def tier(document, municipality_code, county_code):
    facets = document.facets
    if municipality_code in facets.get("municipality", []):
        return 0
    if county_code in facets.get("county", []):
        return 1
    return 2


def test_local_first_orders_local_then_county_then_the_rest(indexed):
    area = {"serves_municipality": "426", "serves_county": "pk"}
    documents = {f"{d.type}:{d.uid}": d for d in indexed.source.iter_documents()}
    plain = indexed.keys("", **area)
    ordered = indexed.keys("", local_first=True, **area)

    assert sorted(ordered) == sorted(plain)
    tiers = [tier(documents[key], "426", "pk") for key in ordered]
    assert tiers == sorted(tiers) and tiers[0] == 0 and 1 in tiers and 2 in tiers
    # Within a tier, the order is the search's own.
    for level in (0, 1, 2):
        assert [k for k in ordered if tier(documents[k], "426", "pk") == level] == [
            k for k in plain if tier(documents[k], "426", "pk") == level
        ]
    # Pages are slices of the one order, and tell how many are local.
    pages = [indexed.search("", local_first=True, page=page, page_size=3, **area) for page in (1, 2, 3, 4)]
    assert [f"{r['type']}:{r['uid']}" for p in pages for r in p.results] == ordered[:12]
    assert pages[2].local_count == tiers.count(0) and pages[0].count == len(plain)


def test_did_you_mean_keeps_the_place_the_words_named(client, places_content):
    body = api(client, q="velkanuevonta turussa")

    assert body["place"]["municipality"] == TURKU
    assert body["did_you_mean"] == "velkaneuvonta turussa"
    page = BeautifulSoup(client.get("/haku/", {"q": "velkanuevonta turussa"}).content, "html.parser")
    link = page.select_one(".did-you-mean a")
    assert link is not None and "turussa" in link["href"]
