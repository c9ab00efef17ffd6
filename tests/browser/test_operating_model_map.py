"""The operating models' adoptions on a map in a real browser (Leaflet from npm, no
tiles), over a library of its own (not the directory demo of test_directory_map.py)."""

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.browser


@pytest.fixture
def leaflet():
    if not finders.find("directory/vendor/leaflet/leaflet.js"):
        pytest.skip("Leaflet is not installed from npm (make vendor)")


@pytest.fixture
def library_server(live_server, live_database):
    from directory.geography import load_geography
    from directory.reference import ensure_target_groups
    from models_library.demo import ensure_library
    from models_library.exchange import import_document
    from models_library.reference import ensure_funders
    from portal.demo import ensure_menus, ensure_page, load_site_shell
    from tests.models_library.factories import document, model_record

    load_geography()
    ensure_target_groups()
    ensure_funders()
    pages = load_site_shell()
    pages["library"] = ensure_library(pages["homes"], ensure_page)
    ensure_menus(pages)
    import_document(
        document(
            model_record(
                "kartalla",
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
                        "area": "Kuopio",
                        "municipality": "297",
                        "organisation": "Kuopion kaupunki",
                        "year": 2022,
                        "status": "piloting",
                    },
                ],
            )
        )
    )
    return live_server


def test_operating_model_adoptions_are_drawn_on_a_map(leaflet, library_server, tab):
    problems = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on(
        "request",
        lambda request: (
            problems.append(request.url) if not request.url.startswith(library_server.url) else None
        ),
    )

    tab.goto(f"{library_server.url}/toimintamallit/pohjois-karjala/kartalla/")
    tab.wait_for_selector("#kayttoonotot .leaflet-marker-icon")

    assert tab.locator("#kayttoonotot .leaflet-marker-icon").count() == 2
    assert tab.locator("#kayttoonotot .leaflet-tile").count() == 0
    assert tab.locator("#kayttoonotot .directory-map__note").is_visible()
    assert not problems, problems
