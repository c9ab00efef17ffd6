import pytest

from tests.browser.conftest import assert_demo_is_loaded

pytestmark = pytest.mark.browser


def test_the_demo_is_in_the_test_database(demo_site, db):
    """Also what makes pytest-django create the test database when this module runs
    alone; the module's other tests must not ask for `db` (see module_live_site)."""
    assert_demo_is_loaded()


def test_keyboard_user_can_skip_to_content(tab, demo_server):
    tab.goto(demo_server.url + "/")

    tab.keyboard.press("Tab")
    skip = tab.locator("a.skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box is not None and box["y"] >= 0, "the focused skip link must be on screen"

    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


def test_language_switch_by_keyboard_keeps_the_page(tab, demo_server):
    tab.goto(demo_server.url + "/saavutettavuusseloste/")

    tab.get_by_role("link", name="Svenska").focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url("**/sv/tillganglighetsutlatande/")

    assert tab.locator("html").get_attribute("lang") == "sv"
    assert tab.locator("h1").inner_text() == "Tillgänglighetsutlåtande"


def test_layout_fits_a_phone_screen(browser, demo_server):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(demo_server.url + "/en/accessibility/")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path="var/screenshot-accessibility-mobile.png", full_page=True)
    context.close()
    assert overflow <= 0
