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
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError

from . import morphology
from .analysis import LANGUAGES, Analyser, build_query, correct_typos, is_guess, parse_synonym_sets
from .documents import searchable_facets
from .models import SearchTerm, Synonym
from .vocabulary import known_terms, near_terms, term_counts

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

    try:
        return frozenset(
            SearchTerm.objects.filter(language=language, total_count__gt=0).values_list("term", flat=True)
        )
    except DatabaseError:
        return frozenset()  # tables not migrated yet


def analyser_signature():
    """Names the analysis in force; part of each entry's content hash, so a
    change of backend (Voikko installed or removed) shows up in `check`."""
    # v2: Voikko's reading with the fewest compound parts; Swedish compounds split.
    return ";".join(f"{language}:{configured_kind(language)}" for language in LANGUAGES) + ";v2"


# --- synonyms ------------------------------------------------------------


def synonym_sets(language):
    cached = _synonyms.get(language)
    if cached is None or time.monotonic() - cached[0] > SYNONYM_TTL_SECONDS:
        try:
            rows = list(Synonym.objects.filter(language=language).values_list("term", "synonyms", "one_way"))
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
    searchable = searchable_facets()
    for language in LANGUAGES:
        title_language = document.source_language(document.title, language)
        title = document.in_language(document.title, language)
        text_language = document.source_language(document.text, language)
        text = document.in_language(document.text, language)
        pro_language = document.source_language(document.professional_text, language)
        pro = document.in_language(document.professional_text, language)
        labels = [
            document.facet_label(facet, value, language) or ""
            for facet in searchable
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

# Cross-language matching (docs/search.md, "Languages of a query"): every
# language's matches count, weighted: the language the query is in (detected
# from the index's vocabulary) fully, the page's language next, the others less.
DETECTED_WEIGHT = 1.0
PREFERRED_WEIGHT = 0.75
OTHER_WEIGHT = 0.5


@dataclass
class LanguageGroups:
    """The query analysed in one language, matched against that language's
    index columns; the matches' scores are multiplied by `weight`.
    `own_text_only`: only documents with content of their own in the language
    (their `language` facet has it) are matched there (see _how_to_match)."""

    language: str
    groups: list
    weight: float = 1.0
    own_text_only: bool = False


@dataclass
class QueryPlan:
    """A query analysed in every language, and which languages to match.

    `language` is the answer's language (the page's, or `lang`): a preference,
    not a filter. `detected` is the language the query is in: the one whose
    index knows most of its words as typed (then with typo corrections), ties
    going to `language`. `strict` and `relaxed` are the languages to match when
    all words must match, or any may: those whose index has the terms at all,
    the detected language first, then the preferred one; a language that could
    only repeat the Finnish match in its untranslated documents is matched in
    its translated ones alone (see _how_to_match)."""

    language: str
    detected: str
    analysed: dict  # {language: [QueryGroup]}
    present: dict  # {language: the terms of its groups that its index has}
    strict: list = field(default_factory=list)  # [LanguageGroups], best first
    relaxed: list = field(default_factory=list)

    @property
    def groups(self):
        """The groups in the detected language (typos, did-you-mean, snippets)."""
        return self.analysed[self.detected]

    def __bool__(self):
        return bool(self.groups)

    @property
    def highlight_terms(self):
        """The terms a snippet marks: those of every language matched."""
        groups = [group for item in self.strict + self.relaxed for group in item.groups] + self.groups
        return set().union(*(group.highlight_terms for group in groups))

    def matched_language(self, document, terms, require_all, professional):
        """The language (of the index columns) in which a SearchDocument with
        these analysed terms (analysers.document_terms) matches, the best
        weighted first; None when it matches in none (a near miss by title)."""
        for item in self.strict if require_all else self.relaxed:
            if item.own_text_only and item.language not in document.content_languages:
                continue
            fields = terms.get(item.language) or {}
            present = set((fields.get("title") or "").split()) | set((fields.get("text") or "").split())
            if professional:
                present |= set((fields.get("pro") or "").split())
            found = [_any_alternative(group, present) for group in item.groups]
            if all(found) if require_all else any(found):
                return item.language
        return None


def _any_alternative(group, present):
    return any(all(term in present for term in alternative) for alternative in group.alternatives)


def plan_query(query):
    """The QueryPlan of a SearchQuery: analysis in every language, synonyms,
    typo tolerance, the query's language and the languages to match."""

    preferred = query.language
    analysed, present = {}, {}
    for language in LANGUAGES:
        groups = build_query(get_analyser(language), query.text, synonym_sets(language))
        analysed[language] = groups
        terms = set().union(*(group.terms for group in groups)) if groups else set()
        present[language] = known_terms(language, terms, query.professional) if terms else set()
    # A word found as typed in some language is not a typo in another: only
    # words no index knows are corrected, in each language's own vocabulary.
    # (Found through the lemmatiser's guess for a word it does not know is not
    # "as typed": analysis.is_guess.)
    known_words = {
        word
        for language, groups in analysed.items()
        for group in groups
        if group.found_whole(present[language])
        and not (len(group.words) == 1 and is_guess(get_analyser(language), group.words[0]))
        for word in group.words
    }
    for language, groups in analysed.items():
        analyser = get_analyser(language)

        def known(terms, language=language):
            return known_terms(language, terms, query.professional)

        for group in groups:
            if len(group.words) == 1 and group.words[0] not in known_words:
                correct_typos(analyser, group, known)
                present[language] |= set(group.corrections)
    detected = detect_language(analysed, present, preferred)
    plan = QueryPlan(language=preferred, detected=detected, analysed=analysed, present=present)
    order = list(dict.fromkeys([detected, preferred, *LANGUAGES]))
    for require_all, chosen in ((True, plan.strict), (False, plan.relaxed)):
        for language in order:
            how = _how_to_match(language, analysed, present, require_all)
            if how is not None:
                weight = _weight(language, detected, preferred)
                chosen.append(LanguageGroups(language, analysed[language], weight, own_text_only=how))
    return plan


def detect_language(analysed, present, preferred):
    """The language whose index knows most words of the query as typed, then
    with typo corrections; ties go to the preferred language, then to the
    order of LANGUAGES."""

    def score(language):
        groups = analysed[language]
        analyser = get_analyser(language)
        # A word found only through the lemmatiser's guess (analysis.is_guess)
        # counts as neither, unless corrected.
        guesses = [len(g.words) == 1 and is_guess(analyser, g.words[0]) for g in groups]
        as_typed = sum(
            len(g.words)
            for g, guess in zip(groups, guesses)
            if not guess and g.found_as_typed(present[language])
        )
        corrected = sum(
            len(g.words)
            for g, guess in zip(groups, guesses)
            if (g.corrections or not guess) and _any_alternative(g, present[language])
        )
        return (as_typed, corrected, language == preferred)

    return max(LANGUAGES, key=score)


def _weight(language, detected, preferred):
    if language == detected:
        return DETECTED_WEIGHT
    return PREFERRED_WEIGHT if language == preferred else OTHER_WEIGHT


def _how_to_match(language, analysed, present, require_all):
    """None when matching the query in this language cannot find anything:
    its index lacks the terms (of every group, or of any group). Else whether
    to match only the documents with content of their own in it (True) or all.

    Every document has Finnish text, and one without text in another language
    has its Finnish text, analysed as Finnish, in that language's columns. So
    when the Finnish query asks for every term this language's query asks for
    (a Finnish word on a Swedish page, a name), matching those documents here
    again would only repeat the Finnish match: they are left out, and the
    language is matched only in the documents translated into it (where
    "psykologi" may be Swedish for psychology). Finnish is always matched in
    full when its index has the terms."""
    groups = analysed[language]
    found = [_any_alternative(group, present[language]) for group in groups]
    if not groups or not (all(found) if require_all else any(found)):
        return None
    if language == "fi":
        return False
    finnish = analysed["fi"]
    finnish_found = [_any_alternative(group, present["fi"]) for group in finnish]
    if not finnish or not (all(finnish_found) if require_all else any(finnish_found)):
        return False
    wanted = [
        {
            alternative
            for alternative in group.alternatives
            if all(term in present[language] for term in alternative)
        }
        for group in groups
    ]
    return len(finnish) == len(groups) and all(
        mine.words == theirs.words and alternatives <= set(theirs.alternatives)
        for mine, theirs, alternatives in zip(groups, finnish, wanted)
    )


def did_you_mean(query, groups, language=None):
    """A corrected query, or None when nothing needs correcting.

    Words corrected by typo tolerance take their best correction; words that
    match nothing in the index take the most common index term within two
    edits. Multi-word synonym phrases are kept as typed. `language`: the
    language the query is in (the detected one; default the query's).
    """

    language = language or query.language
    analyser = get_analyser(language)
    morphology = analyser.morphology
    words = []
    changed = False
    for group in groups:
        if len(group.words) != 1:
            words.extend(group.words)
            continue
        word = group.words[0]
        present = known_terms(language, group.terms, query.professional)
        # A compound the index knows only in halves, for which typo tolerance found a
        # word it knows whole, was probably mistyped ("seniorineuvona").
        mistyped_compound = bool(group.corrected_forms and group.splits and not group.found_whole(present))
        if group.found_as_typed(present) and not (
            group.corrected_forms and (is_guess(analyser, word) or mistyped_compound)
        ):
            words.append(word)
            continue
        if morphology.is_known(word) and not mistyped_compound:
            # A real word is never "corrected" into another one, even when typo
            # tolerance matched its neighbours: "en jaksa enää" must not be
            # offered as "en jaksa elää" ("I can't bear to live").
            words.append(word)
            continue
        if group.corrected_forms:
            # Typo tolerance corrected the word: offer it as it should have been
            # written ("perheneuvolsta" -> "perheneuvolasta"), the correction the
            # most documents have first.
            counts = term_counts(language, set(group.corrected_forms), query.professional)
            best = min(group.corrected_forms.items(), key=lambda item: (-counts.get(item[0], 0), item[1]))
            words.append(best[1])
            changed = changed or best[1] != word
            continue
        candidates = []
        exact = group.exact_alternatives
        for form in dict.fromkeys([word] + [alt[0] for alt in exact if len(alt) == 1]):
            candidates.extend(near_terms(language, form, 2, query.professional))
        if candidates:
            best = min(candidates, key=lambda c: (c[1], -c[2], c[0]))
            words.append(best[0])
            changed = changed or best[0] != word
        else:
            words.append(word)
    return " ".join(words) if changed else None
