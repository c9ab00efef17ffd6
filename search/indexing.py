"""Whole-index operations behind `manage.py search_index rebuild|check|repair`."""

from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from . import service
from .analysers import analyser_signature, get_analyser, install_vocabulary, refresh_analysers
from .analysis import LANGUAGES
from .documents import SearchDocument, iter_all_documents
from .engines.base import PreparedDocument
from .engines.database import DatabaseEngine
from .engines.elasticsearch import ElasticsearchUnavailable
from .models import PendingIndexUpdate, SearchEntry
from .vocabulary import rebuild_vocabulary

BATCH = 500


@dataclass
class RebuildReport:
    documents: int = 0
    elasticsearch_index: str | None = None
    elasticsearch_error: str | None = None


def _splitter_vocabulary(documents):
    """Every base form in the documents, per language: the compound splitter's
    dictionary, so a compound is split by parts that other documents use."""
    vocabulary = {language: set() for language in LANGUAGES}
    for document in documents:
        for mapping in (document.title, document.text, document.professional_text):
            for language, text in (mapping or {}).items():
                if language in vocabulary and text:
                    for word in get_analyser(language).words(text):
                        vocabulary[language].update(word.lemmas)
    return vocabulary


def rebuild(progress=None):
    """Re-index every registered document: the database engine in one
    transaction (readers keep the old index until it commits), then a new
    Elasticsearch index swapped in behind the alias.

    `progress(done, total)` is called as documents are indexed.
    """

    # One document per key (the last one wins, as when it is indexed twice).
    documents = list({document.key: document for document in iter_all_documents()}.values())
    total = len(documents)
    report = RebuildReport(documents=total)
    first_pending = PendingIndexUpdate.objects.order_by("-id").values_list("id", flat=True).first() or 0

    # Pass 1: learn the vocabulary, so that pass 2 splits compounds with it.
    refresh_analysers()
    for language, terms in _splitter_vocabulary(documents).items():
        install_vocabulary(language, terms)

    engine = DatabaseEngine()
    # Document counts per term, per language: (public, all fields); written once at the end.
    public_counts = {language: Counter() for language in LANGUAGES}
    total_counts = {language: Counter() for language in LANGUAGES}
    with transaction.atomic():
        engine.clear()
        for start in range(0, total, BATCH):
            for vocabulary in engine.load(documents[start : start + BATCH]):
                for language, (public_terms, all_terms) in vocabulary.items():
                    public_counts[language].update(public_terms)
                    total_counts[language].update(all_terms)
            if progress:
                progress(min(start + BATCH, total), total)
        # One "document" holding every count: rebuild_vocabulary adds Counters up.
        rebuild_vocabulary(
            [{language: (public_counts[language], total_counts[language]) for language in LANGUAGES}]
        )
    engine.update_statistics()
    refresh_analysers()

    elasticsearch = service.elasticsearch_engine()
    if elasticsearch is not None:
        try:
            report.elasticsearch_index = elasticsearch.rebuild(_prepared_entries())
            # Everything queued before the rebuild is in the new index now.
            PendingIndexUpdate.objects.filter(id__lte=first_pending).delete()
        except ElasticsearchUnavailable as error:
            report.elasticsearch_error = str(error)
    service.index_changed.send(sender=None, keys=None)
    return report


def _prepared_entries():
    for entry in SearchEntry.objects.order_by("id").iterator(chunk_size=500):
        yield _prepared_entry(entry)


def _prepared_entry(entry):

    return PreparedDocument(
        document=SearchDocument.from_dict(entry.document),
        terms=entry.terms,
        attributes=entry.attributes,
        content_hash=entry.content_hash,
        data=entry.document,
    )


@dataclass
class CheckReport:
    missing: list = field(default_factory=list)  # registered, not indexed
    stale: list = field(default_factory=list)  # indexed with an older content hash
    extra: list = field(default_factory=list)  # indexed, no longer registered
    elasticsearch: dict | None = None  # same three lists for Elasticsearch vs the database, or {"error"}
    pending_updates: int = 0

    @property
    def ok(self):
        es = self.elasticsearch or {}
        return not (
            self.missing
            or self.stale
            or self.extra
            or self.pending_updates
            or es.get("error")
            or es.get("missing")
            or es.get("stale")
            or es.get("extra")
        )


def check():
    """Compare the index with what the registry sources have now (content hashes)."""
    signature = analyser_signature()
    registered = {document.key: document.content_hash(signature) for document in iter_all_documents()}
    indexed = dict(SearchEntry.objects.values_list("key", "content_hash"))
    report = CheckReport(
        missing=sorted(set(registered) - set(indexed)),
        extra=sorted(set(indexed) - set(registered)),
        stale=sorted(key for key in set(registered) & set(indexed) if registered[key] != indexed[key]),
        pending_updates=PendingIndexUpdate.objects.count(),
    )
    elasticsearch = service.elasticsearch_engine()
    if elasticsearch is not None:
        try:
            stored = elasticsearch.stored_hashes()
        except ElasticsearchUnavailable as error:
            report.elasticsearch = {"error": str(error)}
        else:
            report.elasticsearch = {
                "missing": sorted(set(indexed) - set(stored)),
                "extra": sorted(set(stored) - set(indexed)),
                "stale": sorted(key for key in set(indexed) & set(stored) if indexed[key] != stored[key]),
            }
    return report


def repair():
    """Bring the index in line with the registry and Elasticsearch with the
    database: index what is missing or stale, drop what is extra, replay the
    queue. Returns the CheckReport it started from."""
    report = check()
    wanted = set(report.missing) | set(report.stale)
    if wanted:
        service.index_documents(d for d in iter_all_documents() if d.key in wanted)
    if report.extra:
        service.delete_documents(report.extra)
    service.replay_pending()
    elasticsearch = service.elasticsearch_engine()
    es = report.elasticsearch or {}
    if elasticsearch is not None and not es.get("error"):
        try:
            keys = (set(es.get("missing", [])) | set(es.get("stale", []))) - set(report.extra)
            if keys:
                elasticsearch.index_prepared(
                    [_prepared_entry(entry) for entry in SearchEntry.objects.filter(key__in=keys)]
                )
            if es.get("extra"):
                elasticsearch.delete(es["extra"])
        except ElasticsearchUnavailable:
            pass  # the next repair tries again; the database engine serves meanwhile
    return report
