"""The site shell's accessibility details (issue 16): the favicon and the SVG logo,
error pages' own titles, the one error convention of the public forms and the
autocomplete's screen-reader text in the page's language."""

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_favicon_is_not_404(client):
    response = client.get("/favicon.ico")

    assert response.status_code in (301, 302)
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content if icon.streaming else [icon.content])[:4] == b"\x00\x00\x01\x00"


def test_pages_name_their_icons(client, site_shell):
    html = soup(client.get("/"))
    icons = {link["href"].rsplit("/", 1)[-1] for link in html.select('link[rel="icon"]')}

    assert icons == {"favicon.ico", "favicon.svg"}


@pytest.mark.parametrize("path", ["/", "/sv/", "/en/"])
def test_header_logo_is_an_svg_named_by_the_site(client, site_shell, path):
    html = soup(client.get(path))
    link = html.select_one(".site-header a[rel=home]")
    svg = link.find("svg")

    assert svg is not None and svg["role"] == "img"
    assert html.find(id=svg["aria-labelledby"]).get_text() == "Ovi"
    # The visible word is the same name, hidden so that the link is named once.
    visible = [
        element for element in link.find_all(True) if element.name not in ("svg", "title", "path", "circle")
    ]
    assert all(element.get("aria-hidden") == "true" for element in visible)
    assert "◧" not in link.get_text()


@pytest.mark.parametrize(
    "path, title",
    [("/ei-ole-olemassa/", "Sivua ei löytynyt – Ovi"), ("/sv/finns-inte/", "Sidan hittades inte – Ovi")],
)
def test_not_found_page_has_its_own_title(client, site_shell, path, title):
    response = client.get(path)

    assert response.status_code == 404
    assert soup(response).title.get_text() == title


def test_password_reset_errors_follow_the_one_convention(client, site_shell):
    response = client.post("/kirjaudu/salasana/", {"email": "ei osoite"})
    html = soup(response)

    field = html.select_one("#id_email")
    assert field["aria-invalid"] == "true"
    assert "id_email_error" in field["aria-describedby"].split()
    assert html.select_one("#id_email_error").get_text(strip=True)
    summary = html.select_one(".error-summary[data-error-summary][autofocus]")
    assert summary.select_one('a[href="#id_email"]') is not None
    assert html.title.get_text().startswith("Virhe: ")


@pytest.mark.parametrize(
    "path, one, many",
    [
        ("/", "{count} ehdotus. Valitse", "{count} ehdotusta. Valitse"),
        ("/sv/", "{count} förslag. Välj", "{count} förslag. Välj"),
        ("/en/", "{count} suggestion. Use", "{count} suggestions. Use"),
    ],
)
def test_suggestion_status_is_in_the_page_language(client, site_shell, path, one, many):
    field = soup(client.get(path)).select_one("input[data-suggest-url]")

    assert field["data-status-one"].startswith(one)
    assert field["data-status-many"].startswith(many)
