"""The description's sections are declared once (models_library.sections, issue 14):
every place that lists them reads that declaration, so a new section is one field in
the model and one Section, and these tests say so."""

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.db import models
from django.utils import translation

from models_library import exchange, rules, search_documents, sections, selectors, views
from models_library.exchange import import_document
from models_library.models import OperatingModelPage
from tests.models_library.factories import document, model_record

FIELDS = sections.field_names()
# The model's own text fields that are not sections of the description.
NOT_SECTIONS = {"evidence_indicators"}


def group_fields(*groups):
    return [section.field for group in groups for section in sections.in_group(group)]


def test_every_section_is_a_text_field_of_the_model_and_every_text_field_a_section():
    own_text_fields = {
        field.name
        for field in OperatingModelPage._meta.local_fields
        if isinstance(field, models.TextField) and field.name not in NOT_SECTIONS
    }
    assert len(set(FIELDS)) == len(FIELDS), "a section is declared twice"
    for name in FIELDS:
        assert isinstance(OperatingModelPage._meta.get_field(name), models.TextField), name
    assert set(FIELDS) == own_text_fields


def test_every_section_belongs_to_a_group_and_the_groups_keep_the_order():
    assert {section.group for section in sections.SECTIONS} <= set(sections.GROUPS)
    assert list(FIELDS) == group_fields(*sections.GROUPS), "a group's sections must stand together"


def test_the_admin_panels_list_exactly_the_sections():
    def panel_fields(panels):
        return [panel.field_name for panel in panels]

    description = panel_fields(OperatingModelPage.description_panels)
    development = panel_fields(OperatingModelPage.development_panels)
    assert description + development == list(FIELDS)
    assert description == group_fields(sections.DESCRIPTION)


def test_the_admin_search_fields_follow_the_sections():
    searched = {field.field_name for field in OperatingModelPage.search_fields}
    for section in sections.SECTIONS:
        assert (section.field in searched) == section.admin_search, section.field


def test_the_exchange_format_lists_exactly_the_sections_by_group():
    assert list(exchange.SECTIONS) == [group.key for group in sections.GROUPS]
    for group in sections.GROUPS:
        assert list(exchange.SECTIONS[group.key]) == group_fields(group)


def test_the_published_schema_has_exactly_the_sections():
    schema = json.loads((Path(exchange.__file__).parent / "schema" / "operating-models-v1.json").read_text())
    properties = schema["$defs"]["model"]["properties"]
    for group in sections.GROUPS:
        assert list(properties[group.key]["properties"]) == group_fields(group), group.key


def test_the_search_body_the_rules_and_restricted_matching_read_the_sections():
    assert search_documents.BODY_FIELDS == tuple(s.field for s in sections.SECTIONS if s.in_search_body)
    assert rules.REQUIRED_TO_PUBLISH == ("short_description",) + tuple(
        s.field for s in sections.SECTIONS if s.required_to_publish
    )
    assert selectors.RESTRICTED_MATCH_FIELDS[2:] == search_documents.BODY_FIELDS


def test_the_publishing_rules_as_they_were():
    """The declaration keeps the rules of before issue 14."""
    assert rules.REQUIRED_TO_PUBLISH == (
        "short_description",
        "core_idea",
        "operating_environment",
        "target_group_insight",
        "conditions_for_adoption",
    )


@pytest.fixture
def full_model(library):
    texts = {name: {"fi": f"Teksti kentästä {name}."} for name in FIELDS}
    import_document(
        document(
            model_record(
                "kaikki",
                **{
                    group.key: {name: texts[name] for name in group_fields(group)}
                    for group in sections.GROUPS
                },
            )
        )
    )
    return OperatingModelPage.objects.get(slug="kaikki", locale__language_code="fi")


def page_sections(client, page, prefix=""):
    """[(group id, group heading, [(section heading, text, lang)])] of the model page."""
    url = page.url
    if prefix:
        translation_ = page.get_translations().get(locale__language_code=prefix).specific
        url = translation_.url
    soup = BeautifulSoup(client.get(url).content, "html.parser")
    found = []
    for group in sections.GROUPS:
        element = soup.find("section", id=group.anchor)
        texts = [
            (
                h3.get_text(),
                h3.find_next_sibling("div").get_text().strip(),
                h3.find_next_sibling("div").get("lang"),
            )
            for h3 in element.find_all("h3")
        ]
        found.append((group.anchor, element.h2.get_text(), texts))
    return soup, found


@pytest.mark.django_db
def test_the_model_page_shows_every_section_in_order_under_its_group(client, full_model):
    soup, found = page_sections(client, full_model)
    with translation.override("fi"):
        expected = [
            (
                group.anchor,
                str(group.heading),
                [(str(s.label), f"Teksti kentästä {s.field}.", None) for s in sections.in_group(group)],
            )
            for group in sections.GROUPS
        ]
    assert found == expected
    nav = [a["href"] for a in soup.select("nav.section-nav a")]
    assert [f"#{group.anchor}" for group in sections.GROUPS] == [
        h for h in nav if h[1:] in {g.anchor for g in sections.GROUPS}
    ]


@pytest.mark.django_db
def test_on_a_translation_each_section_is_marked_finnish_under_translated_headings(client, full_model):
    _, found = page_sections(client, full_model, "sv")
    with translation.override("sv"):
        headings = [str(s.label) for s in sections.SECTIONS]
    assert [heading for _, _, texts in found for heading, _, _ in texts] == headings
    assert {lang for _, _, texts in found for _, _, lang in texts} == {"fi"}


@pytest.mark.django_db
def test_a_section_added_to_the_declaration_alone_reaches_the_page_and_the_comparison(
    client, full_model, monkeypatch
):
    """The page and the comparison read the declaration when they are shown: a new
    Section (here an existing field declared again, last, compared with the results)
    appears in both without touching the template or the view."""
    extra = sections.Section(
        "tips_for_adopters",
        "Uusi osio",
        sections.LESSONS,
        compared=sections.COMPARE_WITH_RESULTS,
    )
    monkeypatch.setattr(sections, "SECTIONS", sections.SECTIONS + (extra,))

    _, found = page_sections(client, full_model)
    lessons = dict((anchor, texts) for anchor, _, texts in found)[sections.LESSONS.anchor]
    assert lessons[-1] == ("Uusi osio", "Teksti kentästä tips_for_adopters.", None)

    with translation.override("fi"):
        rows = views.comparison_rows([full_model, full_model])
    assert rows[-2]["label"] == "Uusi osio"
    assert rows[-2]["cells"] == ["Teksti kentästä tips_for_adopters."] * 2


@pytest.mark.django_db
def test_the_comparison_rows_are_the_sections_marked_compared(full_model):
    with translation.override("en"):
        labels = [row["label"] for row in views.comparison_rows([full_model])]
        described = [
            str(s.label) for s in sections.SECTIONS if s.compared == sections.COMPARE_WITH_DESCRIPTION
        ]
        results = [str(s.label) for s in sections.SECTIONS if s.compared == sections.COMPARE_WITH_RESULTS]
    assert labels == [
        "Short description",
        "Development stage",
        "Area",
        "Target groups",
        *described,
        "Process",
        "Roles",
        "Key figures",
        "Evaluation level",
        *results,
        "Adoptions",
    ]
    assert described == [
        "Core idea",
        "Operating environment",
        "Target group and client insight",
        "Conditions for working and adoption",
    ]
    assert results == ["What was learned"]
