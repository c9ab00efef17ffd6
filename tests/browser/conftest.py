"""Real-browser tests: Debian's Chromium driven by Playwright.

Playwright's own browser download is not used; the system Chromium is. When it
is missing the tests skip, unless OVI_REQUIRE_BROWSER=1 (as in CI), where a
missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then
# refuse database access from the test body, which is synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("OVI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("OVI_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(browser):
    context = browser.new_context(locale="fi-FI")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_database(transactional_db):
    """An empty database for a live-server test, with Django's own rows back.

    A transactional test with serialized_rollback empties the tables at its end
    without running post_migrate, so content types and permissions (which the
    editorial groups need) are gone for the test after it.
    """
    restore_django_rows()


def restore_django_rows():
    """Content types and permissions back in an emptied database, and no content
    type remembered from before (Django caches them by id: a stale id makes every
    new page invalid)."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal

    ContentType.objects.clear_cache()
    if not Permission.objects.exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
        ContentType.objects.clear_cache()


@pytest.fixture
def demo_server(live_server, live_database):
    # Live-server tests empty every table when they end; load_demo restores all
    # it needs (geography, vocabularies, Wagtail's roots) on an empty database.
    from portal.demo import load_all

    load_all()
    return live_server


def pytest_terminal_summary(terminalreporter):
    """The accessibility tests' one line per page state (path, language, user, axe
    violations, reflow, control contrast), in the CI log whether or not they fail."""
    from tests.browser.checks import SUMMARY

    if SUMMARY:
        terminalreporter.section("accessibility per page")
        for line in SUMMARY:
            terminalreporter.write_line(line)
