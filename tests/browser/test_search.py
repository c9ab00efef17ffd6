"""Search in a real browser: from the header search box to filtered results, with
and without JavaScript, and the autocomplete by keyboard."""

import re

import pytest

from search import analysers, indexing
from search.documents import register, unregister
from search.synonyms import ensure_default_synonyms
from tests.browser.conftest import assert_demo_is_loaded
from tests.search.corpus import FakeSource

pytestmark = pytest.mark.browser


def test_the_demo_is_in_the_test_database(demo_site, db):
    """Also what makes pytest-django create the test database when this module runs
    alone; the module's other tests must not ask for `db` (see module_live_site)."""
    assert_demo_is_loaded()


@pytest.fixture
def search_server(demo_server, settings):
    """The demo site with the search tests' fake corpus indexed next to whatever the
    apps' own sources give."""
    settings.ELASTICSEARCH_URL = ""
    ensure_default_synonyms()
    analysers.invalidate_synonyms()
    source = register(FakeSource())
    try:
        indexing.rebuild()
        yield demo_server
    finally:
        unregister(source.name)
        analysers.refresh_analysers()


def result_titles(tab):
    return [title.strip() for title in tab.locator(".search-result__title").all_inner_texts()]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_search_from_the_header_and_filter_by_a_facet(browser, search_server, javascript):
    context = browser.new_context(java_script_enabled=javascript, locale="fi-FI")
    tab = context.new_page()
    tab.goto(search_server.url + "/")

    box = tab.locator("header").get_by_role("combobox" if javascript else "searchbox")
    box.fill("neuvola")
    box.press("Enter")
    tab.wait_for_url(re.compile(r"/haku/\?q=neuvola"))

    titles = result_titles(tab)
    assert {"Liperin lastenneuvola", "Joensuun äitiysneuvola"} <= set(titles)
    assert re.search(r"\d+", tab.locator(".search-status[role=status]").inner_text())

    liperi = tab.locator('form.filters input[type=checkbox][name=municipality][value="426"]')
    liperi.check()
    tab.locator("form.filters button[type=submit]").click()
    tab.wait_for_url(re.compile(r"municipality=426"))

    titles = result_titles(tab)
    assert "Liperin lastenneuvola" in titles
    assert "Joensuun äitiysneuvola" not in titles
    assert tab.locator('form.filters input[type=checkbox][name=municipality][value="426"]').is_checked()
    if javascript:
        tab.screenshot(path="var/screenshot-search.png", full_page=True)
    context.close()


def test_autocomplete_by_keyboard(tab, search_server):
    tab.goto(search_server.url + "/")
    box = tab.locator("header").get_by_role("combobox")
    listbox = tab.locator("header [role=listbox]")

    box.focus()
    box.press_sequentially("liperin perhe", delay=30)
    listbox.wait_for(state="visible")
    assert box.get_attribute("aria-expanded") == "true"
    assert box.get_attribute("aria-controls") == listbox.get_attribute("id")
    assert "ehdotusta" in tab.locator("header [role=status]").inner_text()

    box.press("ArrowDown")
    tab.screenshot(path="var/screenshot-search-autocomplete.png")
    active_id = box.get_attribute("aria-activedescendant")
    option = tab.locator(f"#{active_id}")
    assert option.get_attribute("role") == "option"
    assert option.get_attribute("aria-selected") == "true"
    title = option.locator(".combobox__title").inner_text()
    assert title.startswith("Liperin perhe")

    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")  # opens the list again on the first suggestion
    assert listbox.is_visible()

    box.press("Enter")  # takes the suggestion
    assert box.input_value() == title
    assert listbox.is_hidden()
    assert box.get_attribute("aria-activedescendant") is None

    box.press("Enter")  # searches
    tab.wait_for_url(re.compile(r"/haku/\?q=Liperin"))
    assert title in result_titles(tab)[:3]
    assert tab.locator("main #search-q").input_value() == title


def test_a_suggestion_in_another_language_than_the_page_says_so(tab, search_server):
    """A Swedish page suggests a service that has only a Finnish name: its option
    is lang="fi" (a screen reader reads it in Finnish), its type label stays Swedish;
    a suggestion with a Swedish name has no lang of its own."""
    tab.goto(search_server.url + "/sv/")
    box = tab.locator("header").get_by_role("combobox")
    listbox = tab.locator("header [role=listbox]")

    box.focus()
    box.press_sequentially("aikuisten mielen", delay=30)
    listbox.wait_for(state="visible")
    option = listbox.get_by_role("option").filter(has_text="Aikuisten mielenterveyspalvelut")
    assert option.get_attribute("lang") == "fi"
    assert option.locator(".combobox__type").get_attribute("lang") == "sv"
    assert option.locator(".combobox__type").inner_text()  # "Tjänst", in the page's language

    box.fill("")
    box.press_sequentially("familjec", delay=30)
    listbox.get_by_role("option").filter(has_text="Familjec").first.wait_for()
    swedish = [
        option
        for option in listbox.get_by_role("option").all()
        if "familjec" in option.locator(".combobox__title").inner_text().casefold()  # "Åbo familjecenter"
    ]
    assert swedish
    for option in swedish:
        assert option.get_attribute("lang") is None
        assert option.locator(".combobox__type").get_attribute("lang") is None
