import pytest
from django.core.management import call_command
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


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo", verbosity=0)
    first = snapshot()

    call_command("load_demo", verbosity=0)

    assert snapshot() == first
    assert first["revisions"] > 0


@pytest.mark.django_db
def test_load_demo_builds_the_three_language_trees():
    call_command("load_demo", verbosity=0)

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    languages = sorted(p.locale.language_code for p in home.get_translations(inclusive=True).live())
    assert languages == ["en", "fi", "sv"]
    assert home.locale.language_code == "fi"


@pytest.mark.django_db
def test_load_demo_repairs_changed_demo_content():
    call_command("load_demo", verbosity=0)
    home = Site.objects.get(is_default_site=True).root_page.specific
    home.title = "Muutettu"
    home.save_revision().publish()

    call_command("load_demo", verbosity=0)

    home.refresh_from_db()
    assert home.title == "Ovi – yksi ovi palveluihin"
