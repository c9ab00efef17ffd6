"""How the portal's pages become search documents (docs/search.md).

Pathways are written for residents in every language (full Wagtail
translations), so each language's text comes from its own page. Their
wording of the life situation is what residents type ("huoli lapsesta"):
the situation's name (as the `topic` facet, whose labels are indexed), its
description for residents and the plain-language Finnish go into the text.
Notes for professionals go only into `professional_text`.

Standard pages (about, accessibility, privacy) are "page" documents. The home
page is not a document: it is the search page's own start.

Page privacy (models_library.privacy): a page any view restriction applies to
(its own, an ancestor's, or its Finnish page's) is not indexed at all.
"""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from directory.search_documents import TOPIC
from models_library import privacy
from portal.models import PathwayPage, StandardPage
from search.documents import DocumentType, SearchDocument, join_text, register
from search.localization import translations
from search.pages import PAGE, TranslatedPageSource
from search.signals import watch_pages

# Pathways' tab follows the directory's (search.contracts; docs/architecture.md).
PATHWAY_TYPE = DocumentType("pathway", _("Service pathway"), _("Service pathways"), position=60)

# Pathways are the residents' way in: a little above a service with the same words.
PATHWAY_BOOST = 1.1


def stream_text(stream_value):
    """The readable text of a body StreamField (headings, paragraphs, notices)."""
    parts = []
    for block in stream_value:
        value = block.value
        if block.block_type == "heading":
            parts.append(value.get("text"))
        elif block.block_type == "paragraph":
            parts.append(strip_tags(value.source))
        elif block.block_type == "notice":
            parts.extend([value.get("title"), strip_tags(value.get("text").source)])
    return join_text(parts)


class PathwayDocuments(TranslatedPageSource):
    name = "portal.pathway"
    type = "pathway"
    document_types = (PATHWAY_TYPE,)
    facets = (TOPIC,)  # the life situation
    model = PathwayPage

    def live_pages(self):
        return (
            privacy.public(super().live_pages())
            .select_related("life_situation")
            .prefetch_related("default_steps", "rights", "alternatives")
        )

    def build(self, pages):
        title, text, professional_text = {}, {}, {}
        for language, page in pages.items():
            situation = page.life_situation
            title[language] = page.title
            text[language] = join_text(
                page.intro,
                getattr(situation, f"description_{language}", "") or "",
                situation.plain_language_fi if language == "fi" else "",
                [join_text(step.title, step.description, step.time) for step in page.default_steps.all()],
                page.preparation_items,
                [join_text(right.text, right.legal_basis) for right in page.rights.all()],
                [join_text(item.name, item.description, item.phone) for item in page.alternatives.all()],
            )
            if page.professional_notes:
                professional_text[language] = page.professional_notes
        situation = next(iter(pages.values())).life_situation
        return SearchDocument(
            type=self.type,
            uid=self.uid(pages),
            title=title,
            url=self.urls(pages),
            text=text,
            professional_text=professional_text,
            facets={"topic": [situation.slug]},
            facet_labels={"topic": {situation.slug: {k: v for k, v in translations(situation).items() if v}}},
            boost=PATHWAY_BOOST,
        )


class StandardPageDocuments(TranslatedPageSource):
    name = "portal.standard_page"
    type = "page"
    document_types = (PAGE,)
    model = StandardPage

    def live_pages(self):
        return privacy.public(super().live_pages())

    def build(self, pages):
        return SearchDocument(
            type=self.type,
            uid=self.uid(pages),
            title={language: page.title for language, page in pages.items()},
            url=self.urls(pages),
            text={
                language: join_text(page.intro, stream_text(page.body)) for language, page in pages.items()
            },
        )


SOURCES = (PathwayDocuments(), StandardPageDocuments())


def register_sources():
    """Register the sources and index their pages when they are published,
    unpublished or deleted, or their privacy changes."""
    for source in SOURCES:
        register(source)
        watch_pages(source.model, source.name)
    privacy.reindex_on_privacy_change(SOURCES)
