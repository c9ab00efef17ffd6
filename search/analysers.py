"""The Django side of analysis: configured backends, the index vocabulary the
compound splitter learns from, editable synonyms, and the two things every
engine needs from analysis: a document's terms and a query's groups.

Settings:
    OVI_SEARCH_MORPHOLOGY = {"fi": "auto", "sv": "auto", "en": "auto"}
        "auto": Voikko for Finnish when installed, simplemma otherwise;
        or name one of "voikko", "simplemma", "snowball" (PyStemmer).
"""

import threading
import time

from django.conf import settings

from . import morphology
from .analysis import LANGUAGES, Analyser, build_query, parse_synonym_sets
from .documents import SEARCHABLE_FACETS

DEFAULT_MORPHOLOGY = {"fi": "auto", "sv": "auto", "en": "auto"}
VOCABULARY_TTL_SECONDS = 300
SYNONYM_TTL_SECONDS = 60

_lock = threading.Lock()
_analysers = {}  # (language, backend kind) -> (loaded_at, Analyser)
_synonyms = {}  # language -> (loaded_at, [SynonymSet])


def configured_kind(language):
    configured = getattr(settings, "OVI_SEARCH_MORPHOLOGY", None) or {}
    return morphology.resolve_kind(configured.get(language, DEFAULT_MORPHOLOGY[language]), language)


def get_analyser(language):
    """The analyser for a language, with the splitter vocabulary of the index.

    The vocabulary is reloaded every VOCABULARY_TTL_SECONDS (and by
    refresh_analysers()), not on every write: the splitter only needs to know
    the words of the domain, and reloading drops the per-word cache.
    """
    kind = configured_kind(language)
    key = (language, kind)
    cached = _analysers.get(key)
    if cached is None or time.monotonic() - cached[0] > VOCABULARY_TTL_SECONDS:
        with _lock:
            cached = _analysers.get(key)
            if cached is None or time.monotonic() - cached[0] > VOCABULARY_TTL_SECONDS:
                backend = morphology.get_morphology(kind, language)
                analyser = Analyser(language, backend, vocabulary=_load_vocabulary(language))
                cached = (time.monotonic(), analyser)
                _analysers[key] = cached
    return cached[1]


def install_vocabulary(language, terms):
    """Use these terms (plus the core words) as the splitter vocabulary now;
    the rebuild's first pass learns them from all documents."""
    kind = configured_kind(language)
    analyser = Analyser(language, morphology.get_morphology(kind, language), vocabulary=frozenset(terms))
    with _lock:
        _analysers[(language, kind)] = (time.monotonic(), analyser)


def refresh_analysers():
    """Forget cached analysers so the next use reloads the vocabulary."""
    with _lock:
        _analysers.clear()


def _load_vocabulary(language):
    from django.db import DatabaseError

    from .models import SearchTerm

    try:
        return frozenset(
            SearchTerm.objects.filter(language=language, total_count__gt=0).values_list("term", flat=True)
        )
    except DatabaseError:
        return frozenset()  # tables not migrated yet


def analyser_signature():
    """Names the analysis in force; part of each entry's content hash, so a
    change of backend (Voikko installed or removed) shows up in `check`."""
    return ";".join(f"{language}:{configured_kind(language)}" for language in LANGUAGES) + ";v1"


# --- synonyms ------------------------------------------------------------


def synonym_sets(language):
    cached = _synonyms.get(language)
    if cached is None or time.monotonic() - cached[0] > SYNONYM_TTL_SECONDS:
        from django.db import DatabaseError

        from .models import Synonym

        try:
            rows = list(Synonym.objects.filter(language=language).values_list("term", "synonyms"))
        except DatabaseError:
            rows = []
        cached = (time.monotonic(), parse_synonym_sets(rows))
        _synonyms[language] = cached
    return cached[1]


def invalidate_synonyms(**kwargs):
    """Signal receiver: a synonym was saved or deleted in this process.
    Other processes pick the change up within SYNONYM_TTL_SECONDS."""
    _synonyms.clear()


# --- documents -------------------------------------------------------------


def _terms(language, text, method="index_terms"):
    if not text:
        return []
    return getattr(get_analyser(language), method)(text)


def document_terms(document):
    """The analysed terms of a document, per language and field.

    Columns of language L hold the document's L text; where it has none, its
    text in the fallback language (Finnish first), analysed as that language.
    Returns {L: {"title", "text", "pro", "prefix"}} with space-joined terms.
    """
    result = {}
    for language in LANGUAGES:
        title_language = document.source_language(document.title, language)
        title = document.in_language(document.title, language)
        text_language = document.source_language(document.text, language)
        text = document.in_language(document.text, language)
        pro_language = document.source_language(document.professional_text, language)
        pro = document.in_language(document.professional_text, language)
        labels = [
            document.facet_label(facet, value, language) or ""
            for facet in SEARCHABLE_FACETS
            for value in document.facets.get(facet, [])
        ]
        text_terms = _terms(text_language, text) + _terms(language, " ".join(filter(None, labels)))
        result[language] = {
            "title": " ".join(_terms(title_language, title)),
            "text": " ".join(text_terms),
            "pro": " ".join(_terms(pro_language, pro)),
            "prefix": " ".join(_terms(title_language, title, "prefix_terms")),
        }
    return result


def vocabulary_of(terms, visibility):
    """{language: (public terms, all terms)} of one entry's terms."""
    result = {}
    for language, fields in terms.items():
        public = set(fields["title"].split()) | set(fields["text"].split())
        everything = public | set(fields["pro"].split())
        result[language] = (public if visibility == "public" else set(), everything)
    return result


# --- queries ---------------------------------------------------------------


def plan_query(query):
    """The QueryGroups of a SearchQuery: analysis, synonyms, typo tolerance."""
    from .vocabulary import known_terms

    analyser = get_analyser(query.language)

    def known(terms):
        return known_terms(query.language, terms, query.professional)

    return build_query(analyser, query.text, synonym_sets(query.language), known)


def did_you_mean(query, groups):
    """A corrected query, or None when nothing needs correcting.

    Words corrected by typo tolerance take their best correction; words that
    match nothing in the index take the most common index term within two
    edits. Multi-word synonym phrases are kept as typed.
    """
    from .vocabulary import known_terms, near_terms

    morphology = get_analyser(query.language).morphology
    words = []
    changed = False
    for group in groups:
        if len(group.words) != 1:
            words.extend(group.words)
            continue
        word = group.words[0]
        present = known_terms(query.language, group.terms, query.professional)
        if group.found_as_typed(present):
            words.append(word)
            continue
        if morphology.is_known(word):
            # A real word is never "corrected" into another one, even when typo
            # tolerance matched its neighbours: "en jaksa enää" must not be
            # offered as "en jaksa elää" ("I can't bear to live").
            words.append(word)
            continue
        candidates = []
        exact = group.exact_alternatives
        for form in dict.fromkeys([word] + [alt[0] for alt in exact if len(alt) == 1]):
            candidates.extend(near_terms(query.language, form, 2, query.professional))
        if candidates:
            best = min(candidates, key=lambda c: (c[1], -c[2], c[0]))
            words.append(best[0])
            changed = changed or best[0] != word
        else:
            words.append(word)
    return " ".join(words) if changed else None
