import pytest

from portal.demo import load_site_shell


@pytest.fixture(autouse=True)
def empty_cache():
    """No answer cached by one test is served in the next (its rows were rolled back)."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def default_language():
    """Every test starts in Finnish, the site's default: a request in another language
    (/sv/..., /en/...) leaves its language active in the thread after the response."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def site_shell(db):
    """The demo site tree: fi/sv/en home pages, standard pages and menus."""
    return load_site_shell()["homes"]


def pytest_collection_modifyitems(items):
    """Run the live-server browser tests last.

    They use transactional_db, which empties every table when a test ends, and
    the reference data loaded by migrations (geography, Wagtail's root page)
    would then be gone for the tests after them.
    """

    def last(item):
        return item.get_closest_marker("browser") is not None or "live_server" in getattr(
            item, "fixturenames", ()
        )

    # Each browser module stays in one piece (pytest-django puts a module's `db` tests
    # ahead of its others), so a module-scoped live site is built once
    # (tests/browser/test_accessibility.py).
    def module(item):
        return getattr(getattr(item, "module", None), "__name__", "")

    first_seen = {}
    for position, item in enumerate(items):
        first_seen.setdefault(module(item), position)
    items.sort(key=lambda item: (last(item), first_seen[module(item)] if last(item) else 0))
