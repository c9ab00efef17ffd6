import pytest

pytestmark = pytest.mark.browser

JOURNEYS = [
    ("fi", "/", "Huoli lapsesta", "Postinumero", "Näytä"),
    ("sv", "/sv/", "Oro", "Postnummer", "Visa"),
    ("en", "/en/", "Worry about a child", "Postal code", "Show"),
]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
@pytest.mark.parametrize("language, home, situation, postal_label, button", JOURNEYS)
def test_resident_reaches_their_door_from_the_home_page(
    browser, demo_server, javascript, language, home, situation, postal_label, button
):
    context = browser.new_context(java_script_enabled=javascript)
    tab = context.new_page()
    tab.goto(demo_server.url + home)

    tab.locator(".situation-links a", has_text=situation).first.click()
    tab.get_by_label(postal_label, exact=False).first.fill("83100")
    tab.locator("form.door-finder button[type=submit]").click()

    tab.wait_for_selector(".door")
    assert tab.locator("html").get_attribute("lang") == language
    assert "postal_code=83100" in tab.url
    assert tab.locator(".door__title").count() >= 1
    assert tab.locator("#next-title").is_visible()
    if language == "fi" and javascript:
        tab.screenshot(path="var/screenshot-pathway.png", full_page=True)
    context.close()
