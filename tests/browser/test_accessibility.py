"""Accessibility of every public page type (tests/browser/pages.py) in fi/sv/en, for
an anonymous visitor and a signed-in professional, in Chromium:

- axe-core's WCAG 2.0/2.1 A and AA rules find no violation;
- nothing scrolls sideways at 320 CSS pixels (reflow, WCAG 1.4.10);
- the borders of form controls have 3:1 contrast with what is behind them (1.4.11);
- Finnish and Swedish pages give no control an English name.

The demo content is loaded once for the module into a live server of its own (see
`site`); each page state is measured once and the four checks read the result, so
a failing check names every page, rule and element at fault in its message. The
per-page summary is written to the terminal at the end of the module, so the CI
log has it without -s.
"""

import time
from dataclasses import dataclass, field

import pytest

from tests.browser import checks, pages
from tests.browser.conftest import load_demo_content, module_live_site
from tests.browser.keyboard import BUDGET

pytestmark = pytest.mark.browser

STATES = pages.page_states()
STATE_IDS = [f"{key}-{language}-{user}" for key, language, user in STATES]
TRANSLATED_STATES = [state for state in STATES if state[1] != "en"]


@dataclass
class Site:
    url: str
    paths: dict
    session_cookie: tuple
    results: dict = field(default_factory=dict)


@pytest.fixture(scope="module")
def site(request, django_db_setup, django_db_blocker):
    """The demo and a signed-in professional, loaded once behind a live server for
    this module only (module_live_site in tests/browser/conftest.py)."""
    checks.require_axe()
    loaded = {}

    def load():
        load_demo_content()
        loaded["cookie"] = pages.create_professional()
        loaded["paths"] = {
            (page_type.key, language): page_type.locate(language)
            for page_type in pages.PAGE_TYPES
            for language in pages.LANGUAGES
        }

    site = None
    with module_live_site(django_db_blocker, load) as server:
        site = Site(server.url, loaded["paths"], loaded["cookie"])
        yield site
    _report(request, site)


def _report(request, site):
    """Keep the per-page summary for the end of the run (pytest_terminal_summary in
    tests/browser/conftest.py writes it, captured output or not)."""
    if site is None or not site.results:
        return
    checks.SUMMARY.append(
        f"accessibility: {len(site.results)} page states, axe-core {checks.axe_version()} {checks.AXE_TAGS}"
    )
    for state in STATES:
        if state in site.results:
            checks.SUMMARY.append(_summary(*state, site.results[state]))


def _summary(key, language, user, result):
    if "error" in result:
        return f"  {result['path']} [{language}, {user}] ERROR {result['error']}"
    overflow = result["overflow"]["scrollWidth"] - result["overflow"]["clientWidth"]
    return (
        f"  {result['path']} [{language}, {user}] {result['status']}: "
        f"{sum(v['count'] for v in result['axe'])} axe violations, "
        f"{'+' + str(overflow) + ' px sideways' if overflow > 0 else 'fits'} at 320 px, "
        f"{len(result['contrast']['failures'])}/{result['contrast']['checked']} controls under 3:1, "
        f"{result['seconds']:.1f} s"
    )


@pytest.fixture(scope="module")
def contexts(browser, site):
    """One browser context (and tab) per language and user, made when first needed."""
    made = {}

    def tab_for(language, user):
        if (language, user) not in made:
            locale = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}[language]
            context = browser.new_context(locale=locale, viewport=checks.WIDE)
            checks.add_axe(context)
            if user == pages.PROFESSIONAL:
                name, value = site.session_cookie
                context.add_cookies([{"name": name, "value": value, "url": site.url}])
            made[language, user] = context.new_page()
        return made[language, user]

    yield tab_for
    for tab in made.values():
        tab.context.close()


def measure(site, contexts, key, language, user):
    """Open the page state once and measure everything the checks look at."""
    state = (key, language, user)
    if state in site.results:
        return site.results[state]
    page_type = pages.BY_KEY[key]
    path = site.paths[key, language]
    tab = contexts(language, user)
    started = time.monotonic()
    result = {"path": path}
    try:
        tab.set_viewport_size(checks.WIDE)
        response = tab.goto(site.url + path)
        if page_type.act is not None:
            page_type.act(tab)
            path = result["path"] = tab.url.removeprefix(site.url) + " (after submit)"
        result["status"] = response.status
        result["lang"] = tab.locator("html").get_attribute("lang")
        result["axe"] = checks.run_axe(tab)
        result["contrast"] = tab.evaluate(checks.CONTRAST_JS)
        result["names"] = checks.accessible_names(tab)
        tab.set_viewport_size(checks.NARROW)
        result["overflow"] = tab.evaluate(checks.OVERFLOW_JS)
    except Exception as error:  # reported by every check of this state
        result["error"] = f"{type(error).__name__}: {error}"
    result["seconds"] = time.monotonic() - started
    site.results[state] = result
    print(_summary(key, language, user, result))
    return result


def _measured(site, contexts, key, language, user):
    result = measure(site, contexts, key, language, user)
    if "error" in result:
        pytest.fail(f"{result['path']} [{language}, {user}]: {result['error']}")
    return result


def test_the_demo_is_in_the_test_database(site, db):
    """Also what makes pytest-django create the test database for this module: it
    does so only when a collected test asks for `db`. The other tests must not: a
    `db` test holds a transaction open, and on SQLite (IMMEDIATE transactions, see
    portal/settings/base.py) that is the write lock, which the live server's
    writes (a session, a failed sign-in) would wait for."""
    from portal.models import HomePage

    assert HomePage.objects.live().count() == len(pages.LANGUAGES)
    assert len(site.paths) == len(pages.PAGE_TYPES) * len(pages.LANGUAGES)


@pytest.mark.parametrize("key, language, user", STATES, ids=STATE_IDS)
def test_page_answers_in_its_language(site, contexts, key, language, user):
    result = _measured(site, contexts, key, language, user)
    expected = pages.BY_KEY[key].expected_status(user)
    assert (result["status"], result["lang"]) == (expected, language), result["path"]


@pytest.mark.parametrize("key, language, user", STATES, ids=STATE_IDS)
def test_axe_finds_no_wcag_a_or_aa_violation(site, contexts, key, language, user):
    result = _measured(site, contexts, key, language, user)
    violations = [
        f"{v['id']} ({v['impact']}, {v['count']}×: {v['help']}) at {'; '.join(v['nodes'])}"
        for v in result["axe"]
    ]
    assert not violations, f"{result['path']} [{language}, {user}]:\n  " + "\n  ".join(violations)


@pytest.mark.parametrize("key, language, user", STATES, ids=STATE_IDS)
def test_nothing_scrolls_sideways_at_320_px(site, contexts, key, language, user):
    result = _measured(site, contexts, key, language, user)
    overflow = result["overflow"]
    assert overflow["scrollWidth"] <= overflow["clientWidth"], (
        f"{result['path']} [{language}, {user}] is {overflow['scrollWidth']} px wide in a "
        f"{overflow['clientWidth']} px window; sticking out: {', '.join(overflow['offenders'])}"
    )


@pytest.mark.parametrize("key, language, user", STATES, ids=STATE_IDS)
def test_form_controls_stand_out_from_their_background(site, contexts, key, language, user):
    result = _measured(site, contexts, key, language, user)
    failures = result["contrast"]["failures"]
    assert not failures, f"{result['path']} [{language}, {user}]:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize(
    "key, language, user", TRANSLATED_STATES, ids=[f"{k}-{lang}-{u}" for k, lang, u in TRANSLATED_STATES]
)
def test_finnish_and_swedish_pages_name_nothing_in_english(site, contexts, key, language, user):
    result = _measured(site, contexts, key, language, user)
    english = _measured(site, contexts, key, "en", user)
    leaked = checks.english_names(result["names"], english["names"], language)
    assert not leaked, f"{result['path']} [{language}, {user}] has English names: {leaked}"


# Keyboard journeys at 360 px (issue 16: at most 25 presses each, with the skip links) --


def _phone_tab(browser, site, professional=False):
    from tests.browser.keyboard import PHONE

    context = browser.new_context(locale="fi-FI", viewport=PHONE)
    if professional:
        name, value = site.session_cookie
        context.add_cookies([{"name": name, "value": value, "url": site.url}])
    return context.new_page()


def test_resident_reaches_the_phone_number_of_their_door_by_keyboard(browser, site):
    """Home → the life situation → postal code → the first door's phone number."""
    from tests.browser.keyboard import Keyboard

    tab = _phone_tab(browser, site)
    try:
        tab.goto(site.url + site.paths["home", "fi"])
        keys = Keyboard(tab, budget=2 * BUDGET)  # counted on past the budget, to report the count
        keys.skip_towards(".situation-links a", "a life situation")
        keys.enter_and_wait()
        keys.skip_towards("main input[name=postal_code]", "the postal code field")
        keys.type(pages.LIPERI_POSTAL_CODE)
        keys.enter_and_wait()
        keys.skip_towards('.your-door .door a[href^="tel:"]', "the door's phone number")
        print("resident:", keys.describe())
        assert keys.active("element.closest('.your-door .door') !== null")
        assert keys.count <= BUDGET, keys.describe()
    finally:
        tab.context.close()


def test_professional_reaches_a_contact_person_from_search_by_keyboard(browser, site):
    """The header search → a service in the results → its contact person's number."""
    from tests.browser.keyboard import Keyboard

    tab = _phone_tab(browser, site, professional=True)
    try:
        tab.goto(site.url + site.paths["home", "fi"])
        keys = Keyboard(tab, budget=2 * BUDGET)  # counted on past the budget, to report the count
        keys.tab_until("element.matches('header input[name=q]')", "the search box")
        keys.type("etsivä nuorisotyö")
        keys.enter_and_wait()
        keys.skip_towards('main a[href*="/palvelu/"]', "a service in the results")
        keys.enter_and_wait()
        keys.skip_towards('.contact a[href^="tel:"], .contact a[href^="mailto:"]', "a contact person")
        print("professional:", keys.describe())
        assert keys.count <= BUDGET, keys.describe()
    finally:
        tab.context.close()
