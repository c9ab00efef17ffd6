"""The page privacy rule itself (models_library/privacy.py): which restrictions
apply to a page (its own, its ancestors', its Finnish page's), and who passes
them on the page and in lists. Every output that uses it is checked in
tests/search/test_privacy.py."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.test import RequestFactory
from wagtail.models import Locale, PageViewRestriction

from models_library import privacy
from models_library.exchange import import_document
from models_library.models import DevelopmentTeamPage, OperatingModelPage
from tests.models_library.factories import document, model_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def models(library):
    import_document(
        document(
            model_record("eka-malli", team="pohjois-karjala"),
            model_record("toka-malli", team="pohjois-savo"),
        )
    )
    pages = {}
    for slug in ("eka-malli", "toka-malli"):
        for code in ("fi", "sv", "en"):
            pages[slug, code] = OperatingModelPage.objects.get(slug=slug, locale__language_code=code)
    return pages


def restrict(page, kind, groups=()):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password="salasana")
    restriction.groups.set(groups)
    return restriction


def request_as(user, passed=()):
    request = RequestFactory().get("/")
    request.user = user
    request.session = {PageViewRestriction.passed_view_restrictions_session_key: list(passed)}
    return request


def slugs(queryset):
    return sorted({(page.slug, page.locale.language_code) for page in queryset.select_related("locale")})


def test_without_restrictions_everything_live_is_public(models):
    every = OperatingModelPage.objects.live()
    assert slugs(privacy.public(every)) == slugs(every)
    assert all(privacy.is_public(page) for page in models.values())


def test_a_restriction_on_the_finnish_page_covers_its_translations(models):
    restrict(models["eka-malli", "fi"], "login")

    assert slugs(privacy.public(OperatingModelPage.objects.all())) == [
        ("toka-malli", "en"),
        ("toka-malli", "fi"),
        ("toka-malli", "sv"),
    ]
    for code in ("fi", "sv", "en"):
        page = models["eka-malli", code]
        assert not privacy.is_public(page)
        assert not privacy.can_view(page, request_as(AnonymousUser()))
        assert privacy.can_view(page, request_as(User.objects.create_user(f"u-{code}")))


def test_a_restriction_on_a_translation_covers_that_translation_only(models):
    restrict(models["eka-malli", "sv"], "login")

    public = slugs(privacy.public(OperatingModelPage.objects.all()))
    assert (
        ("eka-malli", "sv") not in public and ("eka-malli", "fi") in public and ("eka-malli", "en") in public
    )


def test_a_restriction_on_an_ancestor_covers_its_subtree_and_the_translations(models):
    team = DevelopmentTeamPage.objects.get(slug="pohjois-savo", locale__language_code="fi")
    restrict(team, "password")

    public = slugs(privacy.public(OperatingModelPage.objects.all()))
    assert not [entry for entry in public if entry[0] == "toka-malli"]
    assert not privacy.is_public(models["toka-malli", "en"])
    # The Swedish team page is as private as the Finnish one.
    assert not privacy.is_public(team.get_translation(Locale.objects.get(language_code="sv")))


def test_who_passes_on_the_page_and_in_lists(models):
    members = Group.objects.create(name="Jäsenet")
    member = User.objects.create_user("jasen")
    member.groups.add(members)
    outsider = User.objects.create_user("ulkopuolinen")
    superuser = User.objects.create_superuser("paakayttaja")
    login = restrict(models["eka-malli", "fi"], "login")
    groups = restrict(models["toka-malli", "fi"], "groups", [members])

    everything = OperatingModelPage.objects.all()
    assert len(privacy.visible(everything, outsider)) == 3  # the login-restricted model's three pages
    assert len(privacy.visible(everything, member)) == 6
    assert len(privacy.visible(everything, superuser)) == 6
    assert len(privacy.visible(everything, None)) == 0
    assert privacy.can_list(models["toka-malli", "sv"], member)
    assert not privacy.can_list(models["toka-malli", "sv"], outsider)
    assert not privacy.can_view(models["toka-malli", "sv"], request_as(outsider))
    assert privacy.can_view(models["toka-malli", "sv"], request_as(member))

    # A password: the page for the session that gave it, never a list.
    login.delete()
    groups.delete()
    password = restrict(models["eka-malli", "fi"], "password")
    passed = request_as(superuser, passed=[password.id])
    assert privacy.can_view(models["eka-malli", "en"], passed)
    assert not privacy.can_view(models["eka-malli", "en"], request_as(superuser))
    assert not privacy.can_list(models["eka-malli", "en"], superuser)
    assert len(privacy.visible(everything, superuser)) == 3


def test_affected_pages_are_the_subtree_and_its_translations(models):
    team = DevelopmentTeamPage.objects.get(slug="pohjois-savo", locale__language_code="fi")
    affected = {
        (page.slug, page.locale.language_code)
        for page in privacy.affected_pages(team).select_related("locale")
    }
    assert {("toka-malli", code) for code in ("fi", "sv", "en")} <= affected
    assert {("pohjois-savo", code) for code in ("fi", "sv", "en")} <= affected
    assert not [entry for entry in affected if entry[0] == "eka-malli"]
