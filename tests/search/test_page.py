"""The search page (/haku/ in every language) through the Django test client:
what a visitor without JavaScript gets."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

from directory.roles import PROFESSIONALS_GROUP
from directory.services import ensure_directory_groups
from search import service
from search.documents import SearchDocument
from tests.directory.factories import UserFactory

PAGES = {"fi": "/haku/", "sv": "/sv/haku/", "en": "/en/haku/"}


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def open_page(client, path="/haku/", params=None, status=200):
    response = client.get(path, params or {})
    assert response.status_code == status, response.status_code
    return soup(response)


def result_titles(html):
    return [h.get_text(strip=True) for h in html.select(".search-result__title")]


def query_of(href):
    return parse_qs(urlsplit(href).query)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_page_answers_in_each_language(client, indexed, language):
    html = open_page(client, PAGES[language], {"q": "Liperi", "type": "service"})

    assert html.html["lang"] == language
    link = next(a for a in html.select(".search-result__title a") if "perhekeskus-liperi" in a["href"])
    expected_title = {"sv": "Familjecentralen i Liperi"}.get(language, "Liperin perhekeskus")
    assert link.get_text(strip=True) == expected_title
    assert link["href"] == {"fi": "/", "sv": "/sv/", "en": "/en/"}[language] + "service/perhekeskus-liperi/"
    # The language switcher keeps the search.
    switcher = {a["hreflang"]: a["href"] for a in html.select(".language-switcher a")}
    assert switcher["sv"].startswith("/sv/haku/?") and "q=Liperi" in switcher["sv"]
    assert switcher["fi"].startswith("/haku/?")


@pytest.mark.parametrize("language, home", [("fi", "/"), ("sv", "/sv/"), ("en", "/en/")])
def test_every_page_has_a_search_box_in_the_header(client, site_shell, language, home):
    html = open_page(client, home)
    form = html.select_one("header form[role=search]")

    assert form["method"] == "get" and form["action"] == PAGES[language]
    field = form.find("input", type="search")
    assert field["name"] == "q"
    assert html.find("label", attrs={"for": field["id"]})
    assert form.find("button", type="submit")
    # Autocomplete is an enhancement: the script is our own file, loaded from this site.
    script = html.find("script", src=re.compile("autocomplete"))
    assert script["src"].startswith("/static/search/") and script.has_attr("defer")
    assert field["data-suggest-url"] == "/api/v1/suggest" and field["data-suggest-lang"] == language


def test_script_and_styles_are_served_under_the_strict_policy(client, site_shell):
    response = client.get("/haku/")
    html = soup(response)

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert not html.select("script:not([src])"), "inline scripts would be blocked"
    assert not html.select("[style]"), "inline styles would be blocked"
    for url in [html.find("script", src=True)["src"]] + [
        link["href"] for link in html.select("link[rel=stylesheet]")
    ]:
        assert url.startswith("/static/")
        assert client.get(url).status_code == 200, url


def test_empty_page_offers_the_form_and_no_results(client, db):
    html = open_page(client)

    field = html.select_one("main form[role=search] input[type=search]")
    assert field["name"] == "q" and html.find("label", attrs={"for": field["id"]})
    assert not html.select(".search-result")
    assert not html.select("header form[role=search]"), "one search box per page"


def test_results_without_javascript(client, indexed):
    html = open_page(client, params={"q": "perhekeskus"})

    status = html.select_one("[role=status]")
    count = int(re.search(r"\d+", status.get_text()).group())
    assert count == len(html.select(".search-result")) > 0
    first = html.select_one(".search-result")
    assert first.select_one(".search-result__title a")["href"]
    assert first.select_one(".badge").get_text(strip=True)
    assert first.select_one(".search-result__snippet mark")
    assert html.select_one("main input[type=search]")["value"] == "perhekeskus"


def test_tabs_count_each_type_and_mark_the_current_one(client, indexed):
    html = open_page(client, params={"q": "Liperi"})
    tabs = [item.select_one("a, .search-tabs__empty") for item in html.select(".search-tabs li")]

    assert len(tabs) == 8  # all + seven types
    assert tabs[0]["aria-current"] == "page"
    counts = [int(re.search(r"\((\d+)\)", tab.get_text()).group(1)) for tab in tabs]
    assert counts[0] == sum(counts[1:]) > 0
    # A type with nothing to show is plain text, not a link to an empty page.
    assert [tab.name == "a" for tab in tabs] == [count > 0 for count in counts]
    service_tab = tabs[2]
    assert query_of(service_tab["href"]) == {"q": ["Liperi"], "type": ["service"]}

    services = open_page(client, params=query_of(service_tab["href"]))
    current = services.select('.search-tabs a[aria-current="page"]')
    assert len(current) == 1 and query_of(current[0]["href"])["type"] == ["service"]
    badges = {b.get_text(strip=True) for b in services.select(".search-result .badge")}
    assert len(badges) == 1
    assert len(services.select(".search-result")) == counts[2]


def test_facet_checkboxes_filter_and_stay_checked(client, indexed):
    html = open_page(client, params={"q": "neuvola"})
    fieldsets = html.select("form.filters fieldset")
    legends = [fieldset.legend.get_text(strip=True) for fieldset in fieldsets]

    assert all(legends)
    box = html.select_one('input[type=checkbox][name=municipality][value="426"]')
    label = html.find("label", attrs={"for": box["id"]})
    assert "Liperi" in label.get_text() and re.search(r"\(\d+\)", label.get_text())
    # Ticking the box and pressing the button sends the filter form.
    form = box.find_parent("form")
    sent = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    assert sent == {"q": "neuvola"}

    filtered = open_page(client, params={**sent, "municipality": "426"})
    assert result_titles(filtered) == ["Liperin lastenneuvola"]
    assert filtered.select_one('input[type=checkbox][name=municipality][value="426"]').has_attr("checked")
    # The search box keeps the filter for the next search.
    kept = filtered.select("main form[role=search] input[type=hidden]")
    assert [(field["name"], field["value"]) for field in kept] == [("municipality", "426")]


def test_serves_my_area_by_postal_code(client, indexed):
    html = open_page(client, params={"postal_code": "83100", "type": "service", "sort": "distance"})

    titles = result_titles(html)
    assert titles[0] in {"Liperin perhekeskus", "Liperin lastenneuvola"}
    assert "Aikuisten mielenterveyspalvelut" not in titles  # Kuopio only
    assert "Valtakunnallinen kriisipuhelin" in titles  # nationwide
    assert "Liperi" in html.select_one(".search-place").get_text()
    assert html.select_one(".search-result__distance")
    assert html.select_one('#search-sort option[value="distance"]').has_attr("selected")


def test_bad_postal_code_is_explained_next_to_the_field(client, indexed):
    response = client.get("/haku/", {"q": "perhe", "postal_code": "00000"})
    html = soup(response)

    assert response.status_code == 400
    summary = html.select_one(".error-summary")
    assert summary.find("a")["href"] == "#search-postal-code"
    assert html.select_one("#search-postal-code_error")
    assert "search-postal-code_error" in html.select_one("#search-postal-code")["aria-describedby"]
    assert html.select_one("#search-postal-code")["value"] == "00000"
    assert not html.select(".search-result")


def test_bad_parameters_from_an_edited_address_are_a_400_page_not_a_crash(client, indexed):
    for params in (
        {"page": "x"},
        {"type": "person"},
        {"near": "a,b"},
        {"sort": "distance"},
        {"q": "x" * 300},
    ):
        response = client.get("/haku/", params)
        assert response.status_code == 400, params
        assert soup(response).select_one(".error-summary li")
    # Parameters the page does not know are ignored.
    assert client.get("/haku/", {"q": "perhe", "utm_source": "x"}).status_code == 200


@pytest.mark.parametrize("language", ["fi", "en"])
def test_words_in_another_language_are_found_on_the_page(client, indexed, language):
    html = open_page(client, PAGES[language], {"q": "familjerådgivning"})
    first = html.select_one(".search-result")
    title = {"fi": "Kuopion perheneuvola", "en": "Kuopio family guidance clinic"}[language]
    assert first.select_one(".search-result__title").get_text(strip=True) == title
    # The Swedish words that matched, marked as Swedish, and a note saying so.
    snippet = first.select_one(".search-result__snippet")
    assert snippet["lang"] == "sv" and snippet.mark.get_text() == "Familjerådgivningen"
    assert first.select_one(".search-result__matched")


def test_did_you_mean_links_to_the_corrected_search(client, indexed):
    html = open_page(client, params={"q": "perhekeskuz", "type": "service"})
    link = html.select_one(".did-you-mean a")

    assert link.get_text(strip=True) == "perhekeskus"
    assert query_of(link["href"]) == {"q": ["perhekeskus"], "type": ["service"]}


def test_pagination_marks_the_current_page_and_keeps_the_search(client, indexed):
    html = open_page(client, params={"q": "palveluohjaus", "page_size": "4", "page": "2"})
    pagination = html.select_one("nav.pagination")

    current = pagination.select('[aria-current="page"]')
    assert len(current) == 1 and "2" in current[0].get_text()
    for link in pagination.find_all("a"):
        assert query_of(link["href"])["q"] == ["palveluohjaus"]
        assert query_of(link["href"])["page_size"] == ["4"]
    assert html.select_one("a[rel=prev]") and html.select_one("a[rel=next]")
    assert html.select_one(".search-results__list")["start"] == "5"


def test_a_page_beyond_the_results_links_back_to_the_first(client, indexed):
    html = open_page(client, params={"q": "palveluohjaus", "page": "40"})

    assert not html.select(".search-result")
    assert query_of(html.select_one(".search-results p a")["href"]) == {"q": ["palveluohjaus"]}


def test_no_results_gives_help(client, indexed):
    html = open_page(client, params={"q": "xyzzyqwerty", "sector": "school"})

    assert "0" in html.select_one("[role=status]").get_text()
    help_box = html.select_one(".search-empty")
    assert help_box.find("li")
    assert query_of(help_box.find("a")["href"]) == {"q": ["xyzzyqwerty"]}  # without the filters


def test_professional_only_results_are_absent_for_anonymous_visitors(client, indexed):
    by_title = open_page(client, params={"q": "erityiskonsultaatio"})
    by_professional_text = open_page(client, params={"q": "takaovinumero"})
    browse = client.get("/haku/", {"sector": "health", "page_size": "100"}).content.decode()

    for html in (by_title, by_professional_text):
        assert not html.select(".search-result")
        assert html.select_one("[role=status]").get_text().split()[0] == "0"
    assert "Päihdetyöntekijän vastaanotto" in browse  # the public part of the service is there
    assert "Erityiskonsultaatio ammattilaisille" not in browse
    assert "takaovinumero" not in browse


def test_professionals_see_professional_results_on_the_page(client, indexed):
    ensure_directory_groups()
    user = UserFactory(username="terveydenhoitaja")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    client.force_login(user)

    html = open_page(client, params={"q": "erityiskonsultaatio"})
    assert "Erityiskonsultaatio ammattilaisille" in result_titles(html)
    snippet = open_page(client, params={"q": "takaovinumero"}).select_one(".search-result__snippet")
    assert snippet.mark.get_text() == "takaovinumero"


def test_professional_only_types_get_a_tab_only_for_professionals(client, indexed):
    service.index_documents(
        [
            SearchDocument(
                type="contact_person",
                uid="kuraattori-henkilo",
                title={"fi": "Kaisa Kuraattori"},
                url={"fi": "/yhteyshenkilo/kuraattori-henkilo/"},
                text={"fi": "Koulukuraattori, Kuopio."},
                visibility="professional",
            )
        ]
    )
    anonymous = open_page(client, params={"q": "kuraattori"})
    ensure_directory_groups()
    user = UserFactory(username="opettaja")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    client.force_login(user)
    professional = open_page(client, params={"q": "kuraattori"})

    assert len(anonymous.select(".search-tabs li")) == 8
    assert "Kaisa Kuraattori" not in result_titles(anonymous)
    tabs = [item.select_one("a, .search-tabs__empty") for item in professional.select(".search-tabs li")]
    assert len(tabs) == 9 and query_of(tabs[-1]["href"])["type"] == ["contact_person"]
    assert "Kaisa Kuraattori" in result_titles(professional)
    counts = [int(re.search(r"\((\d+)\)", tab.get_text()).group(1)) for tab in tabs]
    assert counts[0] == sum(counts[1:])


def test_text_from_documents_is_escaped(client, indexed):
    service.index_documents(
        [
            SearchDocument(
                type="page",
                uid="hostile",
                title={"fi": "Vihamielinen <script>alert(1)</script> otsikko"},
                url={"fi": "javascript:alert(1)"},
                text={"fi": 'Vihamielinen teksti <img src=x onerror="alert(2)"> ja <b>lihava</b>.'},
            )
        ]
    )
    response = client.get("/haku/", {"q": "vihamielinen"})
    html = soup(response)

    result = html.select_one(".search-result")
    assert "<script>alert(1)</script>" in result.select_one(".search-result__title").get_text()
    assert not result.find("script") and not result.find("img") and not result.find("b")
    assert not result.select('a[href^="javascript"]')
    assert result.select_one(".search-result__snippet mark").get_text() == "Vihamielinen"


def test_snippet_sanitiser_lets_only_mark_through():
    from search.presentation import safe_snippet, safe_url

    assert safe_snippet('<b>x</b> <mark>y</mark> &lt;i&gt; <img src=x onerror="a()">') == (
        '&lt;b&gt;x&lt;/b&gt; <mark>y</mark> &lt;i&gt; &lt;img src=x onerror="a()"&gt;'
    )
    assert safe_snippet("<mark>open") == "<mark>open</mark>"
    assert safe_snippet("</mark><mark><mark>a</mark>") == "<mark>a</mark>"
    assert [safe_url(u) for u in ("/fi/x/", "https://a.fi/", "javascript:x", "//evil.example/", "")] == [
        "/fi/x/",
        "https://a.fi/",
        None,
        None,
        None,
    ]
