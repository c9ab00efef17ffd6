"""A base for document sources made of Wagtail pages with translations.

One document per page *and its translations* (Wagtail's `translation_key`
joins them), so a search lists a page once, in the searcher's language when
that translation is live. Apps subclass it in their search_documents.py;
this module knows Wagtail's Page, never an app's page models.

    class PathwayDocuments(TranslatedPageSource):
        name = "portal.pathway"
        type = "pathway"
        document_types = (PATHWAY,)     # a search.contracts.DocumentType
        facets = (TOPIC,)               # search.contracts.Facets its documents have
        model = PathwayPage

        def build(self, pages):          # {language code: live page}
            return SearchDocument(...)
"""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from .analysis import LANGUAGES
from .contracts import DocumentType

# Pages of any app that are searched as plain pages (standard pages and the like): a
# Wagtail notion, so search declares it; the position puts its tab after the apps' own.
PAGE = DocumentType("page", _("Page"), _("Pages"), position=70)


class TranslatedPageSource:
    name = ""
    type = ""
    document_types = ()  # search.contracts.DocumentType
    facets = ()  # search.contracts.Facet
    model = None  # the page class

    def live_pages(self):
        """Every live page of the model (override to select or prefetch)."""
        return self.model.objects.live().select_related("locale")

    def build(self, pages):
        """The document for {language code: live page}, or None."""
        raise NotImplementedError

    def iter_documents(self):
        groups = defaultdict(dict)
        for page in self.live_pages().order_by("path"):
            groups[page.translation_key].setdefault(page.locale.language_code, page)
        for pages in groups.values():
            document = self.build(self._ordered(pages))
            if document is not None:
                yield document

    def translations(self, page):
        """{language code: live page} of the page and its translations."""
        pages = {}
        for candidate in self.live_pages().filter(translation_key=page.translation_key).order_by("path"):
            pages.setdefault(candidate.locale.language_code, candidate)
        return self._ordered(pages)

    def document_for(self, page):
        pages = self.translations(page)
        return self.build(pages) if pages else None

    def key_for(self, page):
        return f"{self.type}:{page.translation_key}"

    def get_object(self, pk):
        """The page with this primary key, live or not, or None: for the index update tasks."""
        return self.model.objects.filter(pk=pk).first()

    @staticmethod
    def _ordered(pages):
        return {language: pages[language] for language in (*LANGUAGES, *sorted(pages)) if language in pages}

    @staticmethod
    def uid(pages):
        """The document's uid: the translations' shared translation_key."""
        return str(next(iter(pages.values())).translation_key)

    @staticmethod
    def urls(pages):
        """{language: URL} of the live translations (relative when the site is the only one)."""
        return {language: page.url for language, page in pages.items() if page.url}
