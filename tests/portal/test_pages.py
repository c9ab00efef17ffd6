import re

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize(
    "path, lang, heading",
    [
        ("/", "fi", "Ovi – yksi ovi palveluihin"),
        ("/sv/", "sv", "Ovi – en dörr till tjänsterna"),
        ("/en/", "en", "Ovi – one door to services"),
    ],
)
def test_home_page_renders_in_each_language(client, site_shell, path, lang, heading):
    response = client.get(path)

    assert response.status_code == 200
    html = soup(response)
    assert html.html["lang"] == lang
    assert html.h1.get_text(strip=True) == heading
    assert html.find("main", id="main") is not None


@pytest.mark.parametrize(
    "path, heading",
    [
        ("/saavutettavuusseloste/", "Saavutettavuusseloste"),
        ("/sv/tillganglighetsutlatande/", "Tillgänglighetsutlåtande"),
        ("/en/privacy/", "Privacy"),
        ("/tietoa/", "Tietoa Ovesta"),
    ],
)
def test_standard_pages_render(client, site_shell, path, heading):
    response = client.get(path)

    assert response.status_code == 200
    assert soup(response).h1.get_text(strip=True) == heading


def test_language_switcher_keeps_the_page(client, site_shell):
    html = soup(client.get("/saavutettavuusseloste/"))
    switcher = html.find("nav", class_="language-switcher")
    links = {a["hreflang"]: a["href"] for a in switcher.find_all("a")}

    assert links == {
        "fi": "/saavutettavuusseloste/",
        "sv": "/sv/tillganglighetsutlatande/",
        "en": "/en/accessibility/",
    }
    swedish = client.get(links["sv"])
    assert soup(swedish).html["lang"] == "sv"
    assert soup(swedish).h1.get_text(strip=True) == "Tillgänglighetsutlåtande"


def test_language_switcher_marks_the_current_language(client, site_shell):
    html = soup(client.get("/en/"))
    current = html.select('.language-switcher a[aria-current="true"]')

    assert [a["hreflang"] for a in current] == ["en"]


def test_ui_strings_are_translated(client, site_shell):
    finnish = soup(client.get("/"))
    swedish = soup(client.get("/sv/"))
    english = soup(client.get("/en/"))

    assert finnish.find("a", class_="skip-link").get_text(strip=True) == "Siirry sisältöön"
    assert swedish.find("a", class_="skip-link").get_text(strip=True) == "Hoppa till innehållet"
    assert english.find("a", class_="skip-link").get_text(strip=True) == "Skip to content"


def test_header_and_footer_menus_come_from_the_menu_snippets(client, site_shell):
    html = soup(client.get("/en/"))
    footer_links = [a.get_text(strip=True) for a in html.footer.find_all("a")]
    header_links = [a.get_text(strip=True) for a in html.select(".main-nav a")]

    assert footer_links == ["Accessibility statement", "Privacy", "About Ovi"]
    assert header_links == ["About Ovi"]


def test_unpublished_menu_target_is_not_linked(client, site_shell):
    from portal.models import StandardPage

    StandardPage.objects.get(slug="privacy").unpublish()

    footer_links = [a.get_text(strip=True) for a in soup(client.get("/en/")).footer.find_all("a")]
    assert "Privacy" not in footer_links


def test_a_menu_link_shows_the_page_in_the_visitors_language_or_the_page_itself(client, site_shell):
    """A menu item points at one page; each language shows that page's live
    translation, and the page itself where the translation is not live."""
    from portal.models import Menu, MenuItem, StandardPage

    finnish = StandardPage.objects.get(slug="tietoa", locale__language_code="fi")
    swedish = finnish.get_translations().get(locale__language_code="sv")
    for menu in Menu.objects.filter(placement=Menu.HEADER):
        menu.items.all().delete()
        MenuItem.objects.create(menu=menu, link_page=finnish)

    header = [(a.get_text(strip=True), a["href"]) for a in soup(client.get("/sv/")).select(".main-nav a")]
    assert header == [(swedish.title, swedish.url)]

    swedish.unpublish()
    header = [(a.get_text(strip=True), a["href"]) for a in soup(client.get("/sv/")).select(".main-nav a")]
    assert header == [(finnish.title, finnish.url)]


def test_missing_page_is_a_translated_404(client, site_shell):
    response = client.get("/sv/finns-inte/")

    assert response.status_code == 404
    assert "Sidan hittades inte" in response.content.decode()


def test_public_pages_load_nothing_from_other_hosts(client, site_shell):
    response = client.get("/")
    html = soup(response)

    sources = [tag.get("src") for tag in html.find_all(src=True)]
    sources += [tag.get("href") for tag in html.find_all("link", href=True)]
    assert sources, "expected the page to load its stylesheet"
    assert not [url for url in sources if re.match(r"^(https?:)?//", url)]
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_skip_link_targets_main_landmark(client, site_shell):
    html = soup(client.get("/"))
    skip = html.find("a", class_="skip-link")

    assert skip == html.body.find("a")
    assert html.find(id=skip["href"].lstrip("#")).name == "main"
    assert html.find("header") and html.find("footer") and html.find("nav")


def test_stylesheets_are_served(client, site_shell):
    html = soup(client.get("/"))
    stylesheets = [link["href"] for link in html.find_all("link", rel="stylesheet")]

    assert len(stylesheets) == 2
    for href in stylesheets:
        response = client.get(href)
        assert response.status_code == 200, href
        assert b"{" in b"".join(response.streaming_content if response.streaming else [response.content])
