import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page, PageLogEntry, Revision, Site

from portal.models import Menu, MenuItem


def snapshot():
    return {
        "pages": list(Page.objects.order_by("pk").values_list("pk", "title", "live", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "log_entries": PageLogEntry.objects.count(),
        "sites": list(Site.objects.values_list("pk", "root_page_id")),
        "menus": Menu.objects.count(),
        "menu_items": list(MenuItem.objects.order_by("pk").values_list("pk", "link_page_id")),
    }


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """`load_demo` run once for the module on the empty test database, rolled back
    after it; each test runs in a savepoint of its own (`db`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def loaded(loaded_once, db):
    return None


def test_load_demo_is_idempotent(loaded):
    first = snapshot()

    call_command("load_demo", verbosity=0)

    assert snapshot() == first
    assert first["revisions"] > 0


def test_load_demo_builds_the_three_language_trees(loaded):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    languages = sorted(p.locale.language_code for p in home.get_translations(inclusive=True).live())
    assert languages == ["en", "fi", "sv"]
    assert home.locale.language_code == "fi"


def test_load_demo_repairs_changed_demo_content(loaded):
    home = Site.objects.get(is_default_site=True).root_page.specific
    home.title = "Muutettu"
    home.save_revision().publish()

    call_command("load_demo", verbosity=0)

    home.refresh_from_db()
    assert home.title == "Ovi – yksi ovi palveluihin"
