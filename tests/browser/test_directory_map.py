"""The location map in a real browser: Leaflet from npm draws the markers, no tiles,
and nothing breaks the Content-Security-Policy."""

import pytest
from django.contrib.staticfiles import finders

from tests.browser.conftest import module_live_site

pytestmark = pytest.mark.browser

RANTAKYLA_STATION = "f403240e-8623-4192-a829-8c882fa8ff27"  # a location of directory/demo/directory.json


def load_directory_content():
    # Live-server tests empty the tables when they end: load what the page needs.
    from directory.demo import ensure_directory_pages, load_directory_demo
    from directory.geography import load_geography
    from portal.demo import load_site_shell

    load_geography()
    load_directory_demo()
    ensure_directory_pages(load_site_shell()["homes"])


@pytest.fixture(scope="module")
def directory_server(django_db_setup, django_db_blocker):
    """The directory demo behind a live server, loaded once for the module (the
    tests only read it)."""
    with module_live_site(django_db_blocker, load_directory_content) as server:
        yield server


def test_the_directory_demo_is_in_the_test_database(directory_server, db):
    """Also what makes pytest-django create the test database when this module runs
    alone; the module's other tests must not ask for `db` (see module_live_site)."""
    from directory.models import Location

    assert Location.objects.filter(uid=RANTAKYLA_STATION).exists()


@pytest.fixture
def leaflet():
    if not finders.find("directory/vendor/leaflet/leaflet.js"):
        pytest.skip("Leaflet is not installed from npm (make vendor)")


def test_location_map_draws_markers_with_leaflet(leaflet, directory_server, tab):
    problems = []
    # Console errors (a CSP violation is one), except the browser's own favicon probe.
    tab.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" and "favicon" not in (message.location or {}).get("url", "")
            else None
        ),
    )
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on(
        "request",
        lambda request: (
            problems.append(request.url) if not request.url.startswith(directory_server.url) else None
        ),
    )

    tab.goto(f"{directory_server.url}/palvelut/toimipiste/{RANTAKYLA_STATION}/")
    tab.wait_for_selector(".leaflet-marker-icon")

    assert tab.locator(".directory-map__canvas").is_visible()
    assert tab.locator(".leaflet-marker-icon").count() == 1
    assert tab.locator("path.leaflet-interactive").count() >= 1  # other places in Joensuu for context
    assert tab.locator(".leaflet-control-scale").count() == 1
    assert tab.locator(".leaflet-tile").count() == 0
    assert not problems, problems


def test_without_javascript_the_address_and_coordinates_are_text(leaflet, directory_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{directory_server.url}/palvelut/toimipiste/{RANTAKYLA_STATION}/")

    assert "Latolankatu 15" in page.locator(".map-points").inner_text()
    assert not page.locator(".directory-map__canvas").is_visible()
    context.close()


ZOOM_NAMES = {"fi": ("Lähennä", "Loitonna"), "sv": ("Zooma in", "Zooma ut")}
LOCATION_PATHS = {"fi": "/palvelut/toimipiste/{uid}/", "sv": "/sv/tjanster/toimipiste/{uid}/"}


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_map_controls_and_markers_are_named_in_the_page_language(leaflet, directory_server, tab, language):
    tab.goto(directory_server.url + LOCATION_PATHS[language].format(uid=RANTAKYLA_STATION))
    tab.wait_for_selector(".leaflet-marker-icon")

    zoom_in, zoom_out = ZOOM_NAMES[language]
    assert tab.get_by_role("button", name="Zoom in", exact=True).count() == 0
    assert tab.get_by_role("button", name="Zoom out", exact=True).count() == 0
    assert tab.get_by_role("button", name=zoom_in, exact=True).count() == 1
    assert tab.get_by_role("button", name=zoom_out, exact=True).count() == 1
    assert tab.locator(".leaflet-control-zoom-in").get_attribute("title") == zoom_in

    # Every marker a keyboard reaches has a name, and the circles of the places
    # nearby (links in the list beside the map) are named pictures, not tab stops.
    focusable = tab.locator(".directory-map__canvas [tabindex]:not([tabindex='-1'])")
    assert focusable.count() >= 1
    for index in range(focusable.count()):
        element = focusable.nth(index)
        name = (
            element.get_attribute("aria-label")
            or element.get_attribute("title")
            or element.get_attribute("alt")
        )
        assert name, element.evaluate("element => element.outerHTML")
    circles = tab.locator("path.leaflet-interactive")
    assert circles.count() >= 1
    names = [circles.nth(index).get_attribute("aria-label") for index in range(circles.count())]
    assert all(names), names
    assert set(names) <= set(
        tab.locator("#map-context .map-point").evaluate_all("items => items.map(item => item.dataset.name)")
    )
    assert tab.locator("path.leaflet-interactive[tabindex]").count() == 0
