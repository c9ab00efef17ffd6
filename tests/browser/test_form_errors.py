"""A failed submit in a real browser: the error summary takes the focus, its links
move the focus to the field, and the title starts with the error."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def shell_server(live_server, live_database):
    from portal.demo import load_site_shell

    load_site_shell()
    return live_server


def test_error_summary_takes_the_focus_and_leads_to_the_field(shell_server, tab):
    tab.goto(shell_server.url + "/kirjaudu/salasana/")
    tab.fill("#id_email", "ei osoite")
    tab.get_by_role("button", name="Lähetä linkki").click()
    tab.wait_for_selector(".error-summary")

    assert tab.title().startswith("Virhe: ")
    assert tab.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    tab.locator(".error-summary a").first.click()
    assert tab.evaluate("document.activeElement.id") == "id_email"
    assert tab.locator("#id_email").get_attribute("aria-invalid") == "true"
