import pytest

from tests.browser.conftest import assert_demo_is_loaded

pytestmark = pytest.mark.browser


def test_the_demo_is_in_the_test_database(demo_site, db):
    """Also what makes pytest-django create the test database when this module runs
    alone; the module's other tests must not ask for `db` (see module_live_site)."""
    assert_demo_is_loaded()


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


def _professional_step_sentences():
    from models_library.models import ProcessStep

    return [step.description.split(".")[0] for step in ProcessStep.objects.all() if step.description]


def test_kuopio_door_does_not_use_the_ended_posote_20_and_residents_never_see_professional_steps(
    browser, demo_server
):
    from portal.models import PathwayPage

    adult = PathwayPage.objects.get(life_situation__slug="aikuisen-monet-huolet", locale__language_code="fi")
    general = [step.title for step in adult.default_steps.all()]
    professional_sentences = _professional_step_sentences()
    context = browser.new_context(locale="fi-FI")
    tab = context.new_page()

    tab.goto(f"{demo_server.url}{adult.url}?municipality=Kuopio")
    tab.wait_for_selector(".door")
    next_steps = tab.locator("#next-title").locator("xpath=..")
    text = next_steps.inner_text()
    assert "POSOTE" not in text
    assert all(title in text for title in general), text

    # A door that follows an active model: its steps, with the resident texts only.
    tab.goto(f"{demo_server.url}{adult.url}?municipality=Ylöjärvi")
    tab.wait_for_selector(".door")
    text = tab.locator("#next-title").locator("xpath=..").inner_text()
    assert "Monialaisen tuen tarpeen tunnistaminen" in text
    assert "Kun asioit sote-keskuksessa" in text
    assert tab.locator(".timeline__professional").count() == 0
    page_text = tab.locator("body").inner_text()
    for sentence in professional_sentences:
        assert sentence not in page_text
    context.close()


@pytest.fixture
def nurse(demo_server):
    """A signed-in professional (a Django test client), removed with its session at the
    end: the module's other tests share the demo site and must not see it."""
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from directory.visibility import PROFESSIONALS_GROUP

    user = User.objects.create_user("browser-nurse", password="pw-not-secret-123")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    signed_in = Client()
    signed_in.force_login(user)
    yield signed_in
    signed_in.logout()
    user.delete()


def test_professional_sees_the_resident_and_the_professional_step_texts(browser, demo_server, nurse):
    from django.conf import settings

    from portal.models import PathwayPage

    adult = PathwayPage.objects.get(life_situation__slug="aikuisen-monet-huolet", locale__language_code="fi")
    context = browser.new_context(locale="fi-FI")
    session = nurse.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": demo_server.url}])
    tab = context.new_page()

    tab.goto(f"{demo_server.url}{adult.url}?municipality=Ylöjärvi")
    tab.wait_for_selector(".door")
    text = tab.locator("#next-title").locator("xpath=..").inner_text()
    assert "Kun asioit sote-keskuksessa" in text
    assert "Sote-keskuksen ammattilainen tunnistaa" in text
    assert tab.locator(".timeline__professional").count() == 3
    context.close()


def test_older_person_in_kontiolahti_on_saturday_evening(tab, demo_server):
    """Issue 13: the closed door with its opening time, the help open then, the county door."""
    tab.goto(demo_server.url + "/mista-apua/?situation=ikaantyneen-kotona-asuminen&change=1")
    tab.get_by_label("Apua tarvitsevan henkilön postinumero").fill("81100")
    tab.locator("form.door-finder button[type=submit]").click()
    tab.wait_for_selector(".door")
    assert "Näytetään: 81100 Kontiolahti" in tab.locator(".your-door__place").inner_text()

    tab.goto(tab.url + "&at=2026-12-05T20:00")
    door = tab.locator(".your-door > .door").first
    assert "Kontiolahden ikäihmisten palveluohjaus" in door.locator(".door__title").inner_text()
    status = door.locator(".door__status").inner_text()
    assert "Suljettu" in status and "08:00" in status
    after_hours = tab.locator(".after-hours")
    assert after_hours.is_visible()
    assert "Sosiaalipäivystys, Pohjois-Karjala" in after_hours.inner_text()
    assert "116117" in after_hours.inner_text()
    assert after_hours.locator('a[href="tel:112"]').count() == 1
    assert "Ikäihmisten neuvonta, Pohjois-Karjala" in tab.locator(".more-doors").inner_text()

    # Change the place: back to the filled-in form.
    tab.locator("a.your-door__change").click()
    assert tab.get_by_label("Apua tarvitsevan henkilön postinumero").input_value() == "81100"


def test_nothing_registered_in_inari_gives_the_county_contact(tab, demo_server):
    tab.goto(demo_server.url + "/mista-apua/?situation=ikaantyneen-kotona-asuminen&postal_code=99800")
    notice = tab.locator(".your-door .notice")
    assert "Lapin hyvinvointialue" in notice.inner_text()
    assert notice.locator('a[href="https://lapha.fi"]').count() == 1
