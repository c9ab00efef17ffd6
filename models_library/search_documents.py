"""How the operating models library becomes search documents (docs/search.md).

One document per operating model: the Finnish page is canonical and holds the
content; the Swedish and English translations give their own title and short
description, and otherwise show the Finnish sections (as the pages do), so
their text is the translated short description followed by the Finnish body.
A model is a document while its Finnish page is live.

Contact people of a model are professional-only (as on the page): they go
into `professional_text`, never into the public text. Authors are public.

Page privacy (models_library.privacy): a page any view restriction applies to
(its own, an ancestor's, or its Finnish page's) is not indexed at all; a
restriction created, deleted or moved into re-indexes the pages it covers.
"""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from directory.search_documents import COUNTY, MUNICIPALITY, TARGET_GROUP, TOPIC
from models_library import privacy, sections
from models_library.choices import AdoptionStatus, EvidenceLevel, PersonKind, Stage
from models_library.models import DevelopmentTeamPage, OperatingModelPage
from search.documents import DocumentType, Facet, SearchDocument, join_text, register
from search.localization import LANGUAGE_CODES, translations
from search.pages import PAGE, TranslatedPageSource
from search.signals import watch_pages

# The description's sections in the body of the text (models_library.sections).
BODY_FIELDS = sections.field_names(section for section in sections.SECTIONS if section.in_search_body)


# What the library's documents are to search (search.contracts; docs/architecture.md,
# "Where a new document type or facet goes"): the operating models' tab comes first.
OPERATING_MODEL_TYPE = DocumentType(
    "operating_model", _("Operating model"), _("Operating models"), position=10
)
DEVELOPMENT_STAGE = Facet(
    "development_stage",
    _("Development stage"),
    position=70,
    description="Development stages (operating models).",
    example=("established",),
)


def _choice_labels(choices, value):
    labels = {}
    for language in LANGUAGE_CODES:
        with translation.override(language):
            labels[language] = str(choices(value).label) if value in choices.values else value
    return labels


def _person(person):
    return join_text(person.name, person.title, person.organisation)


def _in(obj, field, language):
    """A child row's field in the language (`title_sv`), falling back to the Finnish `title`."""
    if language != "fi":
        value = getattr(obj, f"{field}_{language}", "")
        if value:
            return value
    return getattr(obj, field)


class Facets:
    def __init__(self):
        self.values = {}
        self.labels = {}

    def add(self, facet, value, labels):
        if not value:
            return
        values = self.values.setdefault(facet, [])
        if value not in values:
            values.append(value)
        self.labels.setdefault(facet, {})[value] = {k: v for k, v in labels.items() if v}

    def add_place(self, municipality):
        self.add("municipality", municipality.code, translations(municipality))
        if municipality.county is not None:
            self.add("county", municipality.county.code, translations(municipality.county))


class OperatingModelDocuments(TranslatedPageSource):
    name = "models_library.operating_model"
    type = "operating_model"
    document_types = (OPERATING_MODEL_TYPE,)
    facets = (TOPIC, TARGET_GROUP, DEVELOPMENT_STAGE, COUNTY, MUNICIPALITY)
    model = OperatingModelPage

    def live_pages(self):
        return (
            privacy.public(super().live_pages())
            .select_related("programme")
            .prefetch_related(
                "topics",
                "target_groups",
                "funders",
                "municipalities__county",
                "wellbeing_counties",
                "adoptions__municipality__county",
                "implementers",
                "people",
                "steps",
                "roles",
                "figures",
                "tagged_items__tag",
            )
        )

    def build(self, pages):
        model = pages.get("fi")
        if model is None:
            return None  # the Finnish page holds the content: no model without it
        body = join_text(
            [getattr(model, name) for name in BODY_FIELDS],
            [item.tag.name for item in model.tagged_items.all()],
            model.programme.name_fi if model.programme_id else "",
            [implementer.name for implementer in model.implementers.all()],
            [join_text(adoption.area, adoption.organisation) for adoption in model.adoptions.all()],
            [_person(person) for person in model.people.all() if person.kind == PersonKind.AUTHOR],
            model.evidence_indicators,
        )
        title, text = {}, {}
        for language, page in pages.items():
            title[language] = page.title
            text[language] = join_text(
                page.short_description or model.short_description,
                [
                    join_text(_in(step, "title", language), step.description, step.participants)
                    for step in model.steps.all()
                ],
                [join_text(_in(role, "name", language), role.description) for role in model.roles.all()],
                [f"{figure.value} {_in(figure, 'label', language)}" for figure in model.figures.all()],
                body,
            )
        contacts = join_text(
            [_person(person) for person in model.people.all() if person.kind == PersonKind.CONTACT]
        )

        facets = Facets()
        for topic in model.topics.all():
            facets.add("topic", topic.slug, translations(topic))
        for group in model.target_groups.all():
            facets.add("target_group", group.slug, translations(group))
        facets.add("development_stage", model.stage, _choice_labels(Stage, model.stage))
        evidence = model.evidence_level
        facets.add("evidence_level", evidence, _choice_labels(EvidenceLevel, evidence))
        for funder in model.funders.all():
            facets.add("funder", funder.code, translations(funder))
        for county in model.wellbeing_counties.all():
            facets.add("county", county.code, translations(county))
        # Where it is implemented: the model's municipalities and its adoptions that have not ended.
        for municipality in model.municipalities.all():
            facets.add_place(municipality)
        for adoption in model.adoptions.all():
            if adoption.municipality is not None and adoption.status != AdoptionStatus.ENDED:
                facets.add_place(adoption.municipality)

        return SearchDocument(
            type=self.type,
            uid=str(model.translation_key),
            title=title,
            url=self.urls(pages),
            text=text,
            professional_text={"fi": contacts} if contacts else {},
            facets=facets.values,
            facet_labels=facets.labels,
            area=None,  # a way of working, not a place: it passes "serves my area"
        )


class DevelopmentTeamDocuments(TranslatedPageSource):
    """A development team's (or programme's) page of the library, among the "page" results."""

    name = "models_library.development_team"
    type = "page"
    document_types = (PAGE,)
    model = DevelopmentTeamPage

    def live_pages(self):
        return privacy.public(super().live_pages())

    def build(self, pages):
        return SearchDocument(
            type=self.type,
            uid=self.uid(pages),
            title={language: page.title for language, page in pages.items()},
            url=self.urls(pages),
            text={language: page.intro for language, page in pages.items() if page.intro},
        )


SOURCES = (OperatingModelDocuments(), DevelopmentTeamDocuments())


def register_sources():
    """Register the sources and index their pages when they are published,
    unpublished or deleted, or their privacy changes."""
    for source in SOURCES:
        register(source)
        watch_pages(source.model, source.name)
    privacy.reindex_on_privacy_change(SOURCES)
