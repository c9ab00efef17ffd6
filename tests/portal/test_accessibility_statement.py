"""The accessibility statement stays true (Act 306/2019; portal/accessibility.py).

- It has the parts the law and the supervisory authority's model ask for, in fi, sv and en.
- Each known issue it lists still exists: every entry of KNOWN_ISSUES has a check here
  that asserts so. When an issue is fixed its check fails: remove the entry (and its
  check), and the statement no longer claims it.
- It covers every public page type and route: a new Wagtail page model or named route
  fails until it is declared in PAGE_TYPES or ROUTES.
"""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, get_page_models

from portal import accessibility

ROOT = Path(settings.BASE_DIR)
STATEMENT_PATHS = {
    "fi": "/saavutettavuusseloste/",
    "sv": "/sv/tillganglighetsutlatande/",
    "en": "/en/accessibility/",
}


# --- One check per known issue: each asserts that the issue still exists. ---------------


def _finnish_only_content():
    data = json.loads((ROOT / "directory" / "demo" / "directory.json").read_text(encoding="utf-8"))
    missing = [
        (kind, record.get("uid"), name)
        for kind, names in (("services", ("description", "how_to_access")), ("locations", ("entrances",)))
        for record in data[kind]
        for name in names
        if isinstance(record.get(name), dict)
        and record[name].get("fi")
        and not (record[name].get("sv") and record[name].get("en"))
    ]
    assert missing, "every description is translated: remove 'finnish-only-content' from the statement"


def _plain_language_finnish_only():
    fields = {field.name for field in apps.get_model("directory", "LifeSituation")._meta.get_fields()}
    assert "plain_language_fi" in fields
    assert not {"plain_language_sv", "plain_language_en"} & fields, (
        "plain language exists in Swedish or English: update 'plain-language-finnish-only'"
    )


def _attachments_unchecked():
    attachment = apps.get_model("models_library", "ModelAttachment")
    document = attachment._meta.get_field("document").related_model
    checked = [
        field.name
        for field in document._meta.get_fields()
        if "accessib" in field.name or "saavutet" in field.name
    ]
    assert not checked, f"documents carry an accessibility check ({checked}): update 'attachments-unchecked'"


def _admin_not_assessed():
    from django.urls import reverse

    assert reverse("wagtailadmin_home")
    browser_tests = (ROOT / "tests" / "browser").glob("*.py")
    assessed = [
        path.name
        for path in browser_tests
        if "axe" in (text := path.read_text(encoding="utf-8")) and '"/admin/' in text
    ]
    assert not assessed, f"{assessed} runs axe on the admin: update 'admin-not-assessed'"


CHECKS = {
    "finnish-only-content": _finnish_only_content,
    "plain-language-finnish-only": _plain_language_finnish_only,
    "attachments-unchecked": _attachments_unchecked,
    "admin-not-assessed": _admin_not_assessed,
}


def test_every_known_issue_has_a_check_and_every_check_an_issue():
    ids = [issue["id"] for issue in accessibility.KNOWN_ISSUES]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(CHECKS)
    for issue in accessibility.KNOWN_ISSUES:
        assert issue["basis"] in accessibility.BASES
        assert all(issue[language].strip() for language in ("fi", "sv", "en")), issue["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("issue_id", [issue["id"] for issue in accessibility.KNOWN_ISSUES])
def test_known_issue_still_exists(issue_id):
    CHECKS[issue_id]()


# --- Coverage: every public page type and route is declared. ----------------------------


def _route_names(resolver=None, prefix=""):
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if (
            route.lstrip("^").startswith(("admin/", "django-admin/", "static/", "media/"))
            or "__debug__" in route
        ):
            continue
        if isinstance(pattern, URLResolver):
            names |= _route_names(pattern, route)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def _project_page_models():
    return {
        model._meta.label
        for model in get_page_models()
        if model is not Page
        and not model._meta.abstract
        and model._meta.app_label in {"portal", "directory", "models_library", "search"}
    }


def test_every_page_type_is_covered_by_the_statement():
    declared = set(accessibility.PAGE_TYPES)
    models = _project_page_models()
    assert models - declared == set(), "a new page type: declare it in portal/accessibility.py PAGE_TYPES"
    assert declared - models == set(), "a page type is gone: remove it from PAGE_TYPES"
    assert set(accessibility.PAGE_TYPES.values()) <= set(accessibility.SERVICE_PARTS)


def test_every_public_route_is_covered_by_the_statement():
    names = _route_names()
    for label in _project_page_models():
        model = apps.get_model(label)
        if issubclass(model, RoutablePageMixin):
            names |= {f"{label}:{pattern.name}" for pattern in model.get_subpage_urls() if pattern.name}
    declared = set(accessibility.ROUTES)
    assert names - declared == set(), "a new route: declare it in portal/accessibility.py ROUTES"
    assert declared - names == set(), "a route is gone: remove it from ROUTES"
    assert {part for part in accessibility.ROUTES.values() if part} <= set(accessibility.SERVICE_PARTS)


# --- The statement page itself. ------------------------------------------------------------


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_statement_has_the_parts_the_law_requires(client, site_shell, language):
    from wagtail.models import Site

    from portal.models import SiteSettings

    settings_row = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.feedback_email = "saavutettavuus-palaute@example.org"
    settings_row.save()

    response = client.get(STATEMENT_PATHS[language])
    assert response.status_code == 200
    html = soup(response)
    text = html.get_text(" ", strip=True)
    texts = accessibility.TEXTS[language]

    # The service and what it covers.
    for names in accessibility.SERVICE_PARTS.values():
        assert names[language] in text
    # Compliance status: partially compliant.
    assert {"fi": "täyttää osittain", "sv": "uppfyller delvis", "en": "partially complies"}[language] in text
    # The non-accessible content, each with its criterion.
    listed = [item["data-known-issue"] for item in html.select("[data-known-issue]")]
    assert listed == [
        issue["id"]
        for basis in accessibility.BASES
        for issue in accessibility.KNOWN_ISSUES
        if issue["basis"] == basis
    ]
    for issue in accessibility.KNOWN_ISSUES:
        assert issue[language] in text
    # How it was prepared, and when.
    assert "axe-core" in text
    assert html.select_one('time[datetime="2026-12-06"]') is not None
    # Feedback: the e-mail of the site settings and the error report form.
    assert html.select_one('a[href="mailto:saavutettavuus-palaute@example.org"]') is not None
    assert accessibility.REPORT_ERROR_PATH in text
    # The supervisory authority.
    assert texts["authority_name"] in text and texts["authority_unit"] in text
    assert html.select_one('a[href="mailto:saavutettavuus@avi.fi"]') is not None
    assert "0295 016 000" in text
    assert html.select_one(f'a[href="{texts["authority_url"]}"]') is not None
    # Headings in order, no level skipped.
    levels = [int(heading.name[1]) for heading in html.select("main h1, main h2, main h3")]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))


@pytest.mark.django_db
def test_other_standard_pages_do_not_carry_the_statement(client, site_shell):
    html = soup(client.get("/tietoa/"))
    assert html.select_one("[data-known-issue]") is None
