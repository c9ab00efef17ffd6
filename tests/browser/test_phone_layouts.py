"""Phone-first layouts at 360 × 640 (issue 16): the thing the user came for is on
the first screen, the rest follows.

"On the first screen" is measured from the top of <main>, where the skip link
lands: the site header (logo, search, languages, navigation, demo notice) is
above it on every page, and the issue's own measurements ("4.3 screens down")
count from there.
"""

import re

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
SCREEN = PHONE["height"]
JOENSUU_FAMILY_CENTRE = (
    "37cbc3a7-57f6-45fb-b928-0acab2d3e3e4"  # phone, chat and a place, with holiday exceptions
)


@pytest.fixture
def phone(browser):
    context = browser.new_context(locale="fi-FI", viewport=PHONE)
    yield context.new_page()
    context.close()


def below_main(tab, locator):
    """How far down from the top of <main> the element starts, in CSS pixels."""
    main_top = tab.locator("main").bounding_box()["y"]
    return locator.bounding_box()["y"] - main_top


def assert_on_first_screen(tab, locator, what):
    assert locator.is_visible(), what
    offset = below_main(tab, locator)
    assert offset < SCREEN, f"{what} starts {offset:.0f} px below the top of the content"


def no_sideways_scroll(tab):
    return tab.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_search_results_come_first_and_the_filters_wait_behind_a_disclosure(browser, demo_server, phone):
    from search import indexing

    indexing.rebuild()
    phone.goto(demo_server.url + "/haku/?q=perhekeskus&municipality=167&language=fi")

    assert_on_first_screen(phone, phone.locator(".search-result").first, "the first result")
    disclosure = phone.locator("details.filters-disclosure")
    assert disclosure.get_attribute("open") is None
    assert phone.locator("form.filters").is_hidden()
    summary = disclosure.locator("> summary").inner_text()
    assert summary.startswith("Rajaa hakua") and re.search(r"\(2\b", summary), summary
    assert below_main(phone, disclosure) < below_main(phone, phone.locator(".search-result").first)

    # The tabs: one row that scrolls inside its own box; a type with no results is not a link.
    assert no_sideways_scroll(phone)
    tab_rows = {
        round(box["y"]) for box in (item.bounding_box() for item in phone.locator(".search-tabs li").all())
    }
    assert len(tab_rows) == 1
    for link in phone.locator(".search-tabs a").all():
        if link.get_attribute("aria-current") != "page":
            assert "(0)" not in link.inner_text(), link.inner_text()
    assert phone.locator(".search-tabs__empty").count() >= 1  # "Sivut (0)" in the demo

    phone.locator("details.filters-disclosure > summary").click()
    assert phone.locator("form.filters").is_visible()
    assert phone.locator("#search-postal-code").is_visible()

    # A wide screen shows the filters beside the results, without the disclosure's button.
    phone.set_viewport_size({"width": 1280, "height": 800})
    phone.reload()
    assert phone.locator("form.filters").is_visible()
    assert phone.locator("details.filters-disclosure > summary").is_hidden()
    results_box = phone.locator(".search-results").bounding_box()
    assert phone.locator("form.filters").bounding_box()["x"] < results_box["x"]


def test_the_first_model_card_comes_before_the_filters(demo_server, phone):
    phone.goto(demo_server.url + "/toimintamallit/")

    assert_on_first_screen(phone, phone.locator(".card").first, "the first model card")
    assert phone.locator("details.filters-disclosure").get_attribute("open") is None
    assert phone.locator("#library-q").is_hidden()
    assert no_sideways_scroll(phone)


def test_a_door_and_a_service_show_status_and_contact_first_and_the_week_on_request(demo_server, phone):
    from portal.models import PathwayPage

    family = PathwayPage.objects.get(
        life_situation__slug="huoli-lapsesta-tai-perheesta", locale__language_code="fi"
    )
    phone.goto(f"{demo_server.url}{family.url}?municipality=Joensuu")
    door = phone.locator(".your-door > .door").first
    assert_on_first_screen(phone, door.locator(".door__title"), "the door's name")
    assert_on_first_screen(phone, door.locator(".door__status .open-status"), "the door's open status")
    assert_on_first_screen(phone, door.locator("a[href^='tel:']").first, "the door's phone number")
    # The emergency number stays above the door on an acute situation's page.
    assert below_main(phone, phone.locator(".emergency").first) < below_main(phone, door)
    # Each channel's hours under its own name; one channel's exceptions end before the next channel begins.
    channels = door.locator(".channel-hours__item")
    assert channels.count() >= 2
    for index in range(channels.count()):
        item = channels.nth(index)
        assert item.locator(".channel-hours__name").is_visible()
        assert item.locator("details.hours__week").get_attribute("open") is None
        assert item.locator(".hours__table").is_hidden()
    assert no_sideways_scroll(phone)

    phone.goto(f"{demo_server.url}/palvelut/palvelu/{JOENSUU_FAMILY_CENTRE}/")
    assert_on_first_screen(phone, phone.locator("h1"), "the service's name")
    assert_on_first_screen(
        phone, phone.locator(".record__contact a[href^='tel:']").first, "the service's phone number"
    )
    phone_hours = phone.locator(".record__hours .channel-hours__item").first
    today = phone_hours.locator(".hours__today")
    assert today.is_visible() and today.inner_text().startswith("Tänään")
    week = phone_hours.locator("details.hours__week")
    assert week.get_attribute("open") is None and week.locator(".hours__table").is_hidden()
    week.locator("summary").click()
    assert week.locator(".hours__table").is_visible()
    assert week.locator(".hours__table tr").count() == 7
    assert no_sideways_scroll(phone)
