"""Real-browser tests: Debian's Chromium driven by Playwright.

Playwright's own browser download is not used; the system Chromium is. When it
is missing the tests skip, unless OVI_REQUIRE_BROWSER=1 (as in CI), where a
missing browser is a failure.
"""

import os
from contextlib import contextmanager
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


def require_test_database():
    """Never load into, or flush, a database that is not the test database."""
    from django.db import connection

    test_name = connection.creation._get_test_db_name()
    if connection.settings_dict["NAME"] != test_name:
        raise RuntimeError(
            f"not the test database: {connection.settings_dict['NAME']} (expected {test_name}); "
            "pytest-django sets it up only when a collected test asks for `db`: a module "
            "with a module_live_site has one such test (see module_live_site)"
        )


@contextmanager
def module_live_site(django_db_blocker, load):
    """`load` run once, committed, behind a live server of its own: for a module's
    tests that only read what it loaded (through the browser or the ORM).

    Not pytest-django's live_server: a test that uses it also gets
    transactional_db, which empties every table after each test, so each test
    would load the content again. Here the rows stay until the module ends; then
    the tables are flushed (with post_migrate, so content types and permissions
    come back) as a transactional test would leave them, alike on SQLite and
    PostgreSQL. A test that writes must undo its write itself (a test must not
    see another test's rows).

    pytest-django creates the test database only when a collected test asks for
    `db`: each module using this has one small test that does (and asserts what
    was loaded). No other test may: a `db` test holds a transaction open, and on
    SQLite (IMMEDIATE transactions) that is the write lock the live server's
    writes would wait for.
    """
    from django.core.management import call_command
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = None
        try:
            require_test_database()
            restore_django_rows()
            load()
            server = LiveServer(os.environ.get("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
            server._live_server_modified_settings.enable()
            yield server
        finally:
            if server is not None:
                server._live_server_modified_settings.disable()
                server.stop()
            require_test_database()
            call_command("flush", verbosity=0, interactive=False)
            restore_django_rows()


def load_demo_content():
    # On a database emptied by a live-server test: load_demo restores all it
    # needs (geography, vocabularies, Wagtail's roots).
    from portal.demo import load_all

    load_all()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker):
    """The whole demo behind a live server, loaded once for the module."""
    with module_live_site(django_db_blocker, load_demo_content) as server:
        yield server


def assert_demo_is_loaded():
    """What a module's `db` test (see module_live_site) checks of the demo site."""
    from portal.models import HomePage

    assert HomePage.objects.live().count() == 3  # fi, sv, en


@pytest.fixture
def demo_server(demo_site, django_db_blocker):
    """The module's demo live server; the test may read the database (committed
    rows, no transaction of its own)."""
    with django_db_blocker.unblock():
        yield demo_site


def pytest_terminal_summary(terminalreporter):
    """The accessibility tests' one line per page state (path, language, user, axe
    violations, reflow, control contrast), in the CI log whether or not they fail."""
    from tests.browser.checks import SUMMARY

    if SUMMARY:
        terminalreporter.section("accessibility per page")
        for line in SUMMARY:
            terminalreporter.write_line(line)
