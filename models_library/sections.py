"""The sections of an operating model's description, declared once (issue 14).

A section is one free text of the model (a `TextField` of `OperatingModelPage`,
Finnish only: docs/models-library.md). This tuple is the one list of them, in
the order they are shown, and says for each where it goes:

- the admin panels (`OperatingModelPage.description_panels`, `development_panels`),
- the model page (`OperatingModelPage.section_groups`, looped over by
  `templates/models_library/operating_model_page.html`),
- the export and import format (`models_library.exchange`: the group's key holds
  its sections' texts; docs/operating-models-format.md, the JSON Schema),
- the search document's body (`models_library.search_documents`), Wagtail's admin
  search and the matching of restricted models (`models_library.selectors`),
- the comparison table (`models_library.views.comparison_rows`),
- the publishing rules (`models_library.rules.REQUIRED_TO_PUBLISH`).

The model fields themselves stay literal fields in `models/pages.py`, as
migrations need them; tests/models_library/test_sections.py checks that every
section names a text field of the model and every text field of the model that
belongs to the description is a section here. Adding a section is one field in
`pages.py` (and its migration) and one `Section` here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SectionGroup:
    """A part of the description: a heading of the model page and a key of the export format."""

    key: str  # the key of the export format (docs/operating-models-format.md)
    anchor: str  # the id of its <section> on the model page (Finnish, as the page's other ids)
    heading: Promise  # its <h2> and its entry in "On this page"


DESCRIPTION = SectionGroup("description", "kuvaus", _("Description"))
DEVELOPMENT = SectionGroup("development", "kehittaminen", _("Development path"))
LESSONS = SectionGroup("lessons", "opit", _("Lessons"))
GROUPS = (DESCRIPTION, DEVELOPMENT, LESSONS)

# Where a section is a row of the comparison table: with the description, after the
# area and target groups; or with the results, after the evaluation level.
COMPARE_WITH_DESCRIPTION = "description"
COMPARE_WITH_RESULTS = "results"


@dataclass(frozen=True)
class Section:
    field: str  # the OperatingModelPage TextField, and the key inside its group in the export format
    label: Promise  # its <h3> on the model page and its row label in the comparison
    group: SectionGroup
    required_to_publish: bool = False  # models_library.rules
    compared: str | None = None  # COMPARE_WITH_DESCRIPTION, COMPARE_WITH_RESULTS or None
    admin_search: bool = False  # one of Wagtail's search_fields (the admin's page search)
    in_search_body: bool = True  # part of the search document's text


SECTIONS = (
    Section(
        "core_idea",
        _("Core idea"),
        DESCRIPTION,
        required_to_publish=True,
        compared=COMPARE_WITH_DESCRIPTION,
        admin_search=True,
    ),
    Section(
        "operating_environment",
        _("Operating environment"),
        DESCRIPTION,
        required_to_publish=True,
        compared=COMPARE_WITH_DESCRIPTION,
        admin_search=True,
    ),
    Section(
        "target_group_insight",
        _("Target group and client insight"),
        DESCRIPTION,
        required_to_publish=True,
        compared=COMPARE_WITH_DESCRIPTION,
        admin_search=True,
    ),
    Section(
        "conditions_for_adoption",
        _("Conditions for working and adoption"),
        DESCRIPTION,
        required_to_publish=True,
        compared=COMPARE_WITH_DESCRIPTION,
    ),
    Section("evaluation_results", _("Evaluation results"), DESCRIPTION),
    Section("tips_for_adopters", _("Tips for adopters"), DESCRIPTION),
    Section("starting_point", _("Starting point and needs"), DEVELOPMENT),
    Section("developer_group", _("Developer group and co-development"), DEVELOPMENT),
    Section("intended_change", _("Intended change"), DEVELOPMENT),
    Section("measuring_change", _("Measuring the change"), DEVELOPMENT),
    Section("what_was_tried", _("What was tried"), LESSONS),
    Section(
        "what_was_learned",
        _("What was learned"),
        LESSONS,
        compared=COMPARE_WITH_RESULTS,
        admin_search=True,
    ),
    Section("what_took_root", _("What took root and is worth sharing"), LESSONS),
    Section("effects_on_clients", _("Effects on clients"), LESSONS),
    Section("effects_on_economy", _("Effects on the economy"), LESSONS),
    Section("successes", _("What succeeded"), LESSONS),
)


def in_group(group):
    """The sections of one group, in order."""
    return tuple(section for section in SECTIONS if section.group == group)


def field_names(sections=SECTIONS):
    return tuple(section.field for section in sections)


@dataclass(frozen=True)
class ShownSection:
    """A section of one model as its page shows it: the heading and the text (a LocalizedText)."""

    section: Section
    text: str

    @property
    def label(self):
        return self.section.label


@dataclass(frozen=True)
class ShownGroup:
    group: SectionGroup
    sections: tuple  # of ShownSection, every section of the group (the template skips the empty ones)

    @property
    def anchor(self):
        return self.group.anchor

    @property
    def heading(self):
        return self.group.heading


def shown_groups(model):
    """{group key: ShownGroup} of `model`, each text through `model.texts`, so that a
    Finnish section on a Swedish or English page says it is Finnish (search.localization)."""
    texts = model.texts
    return {
        group.key: ShownGroup(
            group, tuple(ShownSection(section, getattr(texts, section.field)) for section in in_group(group))
        )
        for group in GROUPS
    }
