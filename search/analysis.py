"""The text analysis pipeline, the same for every engine.

text -> normalise -> tokenise -> per word: base forms (lemmatise or stem) and,
in Finnish, compound parts -> index terms (documents) or query groups (queries).

Engines never analyse text themselves: they store and match the terms made
here, so SQLite, PostgreSQL and Elasticsearch find the same documents for the
same words. This module is plain Python (no Django); the Django side (which
backend is configured, the indexed vocabulary, editable synonyms) is wired in
search/analysers.py.
"""

import re
import unicodedata
import weakref
from dataclasses import dataclass, field

from .morphology import Analysis, Part
from .wordlists import FINNISH_CORE_WORDS, STOPWORDS

LANGUAGES = ("fi", "sv", "en")

# Letters Finnish and Swedish keep as they are; every other accented letter is
# folded to its base letter (é -> e, š -> s) so loanwords match either way.
KEPT_LETTERS = frozenset("åäö")
TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# Compound parts shorter than these are not trusted: a four-letter word picked
# up from some document ("pala", "veri") would otherwise cut "palaveri" in two.
MIN_CORE_PART = 3
MIN_LEARNED_PART = 5
MIN_SPLIT_WORD = 6
# Swedish compounds are split over the index vocabulary too; their parts are
# words the Swedish lemmatiser knows (familje|rådgivnings|central), so shorter
# ones (barn, vård) can be trusted.
COMPOUND_LANGUAGES = ("fi", "sv")
MIN_SWEDISH_PART = 4

# Typo tolerance: one edit, only for words at least this long.
TYPO_MIN_LENGTH = 4
MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 20


# --- normalising and tokenising ---------------------------------------------


class _FoldTable(dict):
    """A str.translate table that folds accents other than å ä ö, each
    character worked out the first time it is seen (translate then runs in C:
    normalising every word of every result's snippet is on a search's path)."""

    def __missing__(self, code):
        char = chr(code)
        if char in KEPT_LETTERS or char.isascii():
            folded = char
        else:
            decomposed = unicodedata.normalize("NFD", char)
            folded = "".join(c for c in decomposed if not unicodedata.combining(c)) or char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def normalise(text):
    """NFKC, casefold, fold accents other than å ä ö, punctuation to spaces.

    Hyphens survive only inside words ("sote-keskus"); the dangling hyphen of
    "sosiaali- ja terveyspalvelut" becomes a space.
    """
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = text.translate(_FOLD)
    return " ".join(TOKEN.findall(text))


def tokenise(text):
    return TOKEN.findall(normalise(text))


# Coordinated compounds with a suspended hyphen share their last part:
# "mielenterveys- ja päihdepalvelut" are mielenterveyspalvelut and
# päihdepalvelut, "Mödra- och barnrådgivningen" is mödrarådgivning too.
CONJUNCTIONS = frozenset("ja tai sekä eli och eller samt and or".split())
_WORD_WITH_HYPHEN = re.compile(r"([^\W_]+(?:-[^\W_]+)*)(-?)")
_BETWEEN_COORDINATED = re.compile(r"^[\s,]*$")


def suspended_hyphen_pairs(text):
    """[(first part as written, compound it shares a last part with)] of a text.

    "sosiaali-, terveys- ja pelastuspalvelut" gives (sosiaali,
    pelastuspalvelut) and (terveys, pelastuspalvelut). Words are normalised.
    """
    text = unicodedata.normalize("NFKC", text or "").casefold().translate(_FOLD)
    pairs, pending, previous_end = [], [], 0
    for match in _WORD_WITH_HYPHEN.finditer(text):
        word, dangling = match.group(1), match.group(2)
        between = text[previous_end : match.start()]
        previous_end = match.end()
        if pending and not _BETWEEN_COORDINATED.match(between):
            pending = []  # something else came in between: no coordination
        if dangling and not text[match.end() : match.end() + 1].isalnum():
            pending.append(word.replace("-", ""))
        elif pending and word in CONJUNCTIONS:
            continue
        else:
            pairs.extend((first, word) for first in pending)
            pending = []
    return pairs


# --- per-word analysis -------------------------------------------------------


@dataclass(frozen=True)
class WordTerms:
    """What one word of text stands for."""

    surface: str  # the normalised word as written
    lemmas: tuple[str, ...]  # base forms; several when the word is ambiguous
    spans: tuple[str, ...] = ()  # compound parts and runs of parts ("mielenterveys", "palvelu")
    splits: tuple[tuple[str, str], ...] = ()  # two-way splits of the compound, for queries
    known: bool = True  # the morphology recognised the word

    @property
    def terms(self):
        """Every index term of the word: base forms first, then compound parts."""
        seen = dict.fromkeys(self.lemmas)
        seen.update(dict.fromkeys(self.spans))
        return tuple(seen)


def compound_spans(parts):
    """All runs of consecutive parts, each ending in its base form.

    mielen|terveys|palvelu -> mieli, terveys, palvelu, mielenterveys,
    terveyspalvelu (the whole word is the lemma and is not repeated here).
    """
    n = len(parts)
    spans = []
    for start in range(n):
        for end in range(start, n):
            if start == 0 and end == n - 1:
                continue
            span = "".join(part.surface for part in parts[start:end]) + parts[end].lemma
            if span not in spans:
                spans.append(span)
    return spans


def _span(parts):
    return "".join(part.surface for part in parts[:-1]) + parts[-1].lemma


def compound_splits(parts):
    return [(_span(parts[:k]), _span(parts[k:])) for k in range(1, len(parts))]


class Analyser:
    """Analysis for one language.

    `morphology` is a backend from search.morphology; `vocabulary` is the set of
    terms seen in indexed documents, which the Finnish compound splitter uses
    as its dictionary together with the core domain words.
    """

    def __init__(self, language, morphology, vocabulary=frozenset()):
        self.language = language
        self.morphology = morphology
        self.stopwords = STOPWORDS.get(language, frozenset())
        self.splits_compounds = language in COMPOUND_LANGUAGES
        self.core_words = FINNISH_CORE_WORDS if language == "fi" else frozenset()
        self.vocabulary = vocabulary
        self._cache = {}

    @property
    def signature(self):
        return f"{self.language}:{self.morphology.name}"

    # Words ---------------------------------------------------------------

    def word(self, token):
        cached = self._cache.get(token)
        if cached is None:
            cached = self._analyse_word(token)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[token] = cached
        return cached

    def _analyse_word(self, token):
        if token.isdigit():
            return WordTerms(token, (token,))
        analyses = self.morphology.analyse(token)
        known = bool(analyses) and self.morphology.is_known(token)
        if "-" in token and not known:
            return self._analyse_hyphenated(token)
        if not analyses:
            analyses = [Analysis(token)]
        if token in self.core_words and all(a.lemma != token for a in analyses):
            # A core domain word is its own base form, whatever a lemmatiser
            # guesses (simplemma turns "työ" into something else).
            analyses = [Analysis(token)] + list(analyses)
        lemmas, spans, splits = [], [], []
        for analysis in analyses:
            lemma = analysis.lemma.replace("-", "")
            parts = list(analysis.parts)
            if (
                not parts
                and self.splits_compounds
                and not (known and self.morphology.name.startswith("voikko"))
            ):
                # No structure from the morphology (simplemma, or a word Voikko
                # does not know): try the dictionary splitter, on the base form
                # first, then on the word as written.
                if known:
                    # A word the lemmatiser knows: only its base form is split
                    # (splitting the inflected form could read "neuvolasta" as
                    # neuvo + lasta).
                    parts = self.split_compound(lemma) or []
                else:
                    # An unknown word: rebuild the base form from known parts
                    # ("työparimallissa" -> työpari|malli -> "työparimalli")
                    # rather than trust the lemmatiser's guess. (A Swedish guess
                    # is not split: "handledre" is no hand|leda.)
                    parts = self.split_compound(token) or []
                    if not parts and self.language == "fi":
                        parts = self.split_compound(lemma) or []
                    if parts:
                        lemma = _span(parts)
            _add(lemmas, lemma)
            for span in compound_spans(parts):
                _add(spans, span)
            for split in compound_splits(parts):
                _add(splits, split)
        spans = [span for span in spans if span not in lemmas]
        return WordTerms(token, tuple(lemmas), tuple(spans), tuple(splits), known)

    def _analyse_hyphenated(self, token):
        pieces = [self.word(piece) for piece in token.split("-") if piece]
        parts = [Part(piece.surface, piece.lemmas[0]) for piece in pieces]
        lemma = "".join(piece.surface for piece in pieces[:-1]) + pieces[-1].lemmas[0]
        spans = compound_spans(parts)
        for piece in pieces:
            for term in piece.terms:
                _add(spans, term)
        spans = [span for span in spans if span != lemma]
        return WordTerms(token, (lemma,), tuple(spans), tuple(compound_splits(parts)), False)

    def _known_part(self, segment, final):
        """The base form of a compound part, or None if the segment is not one."""
        if self.language != "fi":
            return self._known_swedish_part(segment, final)
        min_length = MIN_CORE_PART if segment in self.core_words else MIN_LEARNED_PART
        if len(segment) >= min_length and (segment in self.core_words or segment in self.vocabulary):
            return segment
        if len(segment) < MIN_CORE_PART:
            return None
        # An inflected last part ("mallissa") or a genitive first part
        # ("mielen", "lasten"): ask the morphology for its base form.
        if (final or segment.endswith("n")) and self.morphology.is_known(segment):
            for analysis in self.morphology.analyse(segment):
                lemma = analysis.lemma
                if lemma in self.core_words or (len(lemma) >= MIN_LEARNED_PART and lemma in self.vocabulary):
                    return lemma
        return None

    def _known_swedish_part(self, segment, final):
        """A Swedish part: a word the lemmatiser knows, as written or in a
        combining form (familje, rådgivnings, hälso, skol) or inflected as the
        last part (centralen). A first part's base form must be in the index
        vocabulary too (the lemmatiser knows many short words that would cut
        words wrongly); the last part, the head, may be any word of at least
        MIN_LEARNED_PART letters it knows. The vocabulary alone is not enough:
        the Swedish columns also hold the Finnish fallback texts' terms."""
        if len(segment) < MIN_SWEDISH_PART or segment in self.stopwords:
            return None
        if not self.morphology.is_known(segment):
            return None
        if segment in self.vocabulary:
            return segment
        for analysis in self.morphology.analyse(segment):
            lemma = analysis.lemma
            if len(lemma) < MIN_SWEDISH_PART or lemma in self.stopwords:
                continue
            if lemma in self.vocabulary or (final and len(lemma) >= MIN_LEARNED_PART):
                return lemma
        return None

    def split_compound(self, word):
        """Split a Finnish or Swedish compound into known parts, fewest parts first.

        Returns [Part] (at least two) or None. Dictionary-driven: the core
        domain words plus every term of the indexed documents.
        """
        if not self.splits_compounds or len(word) < MIN_SPLIT_WORD or not word.isalpha():
            return None
        memo = {}

        def best(start):
            # Fewest parts covering word[start:], the last of them "final".
            if start in memo:
                return memo[start]
            result = None
            rest = word[start:]
            lemma = self._known_part(rest, final=True)
            if lemma is not None:
                result = [Part(rest, lemma)]
            # Shortest head first, so that among equally short splits the
            # last part (the head of a Finnish compound) is the longest:
            # päihde|työntekijä rather than päihdetyö|tekijä.
            for end in range(start + MIN_CORE_PART, len(word) - MIN_CORE_PART + 1):
                head = self._known_part(word[start:end], final=False)
                if head is None:
                    continue
                tail = best(end)
                if tail is not None and (result is None or len(tail) + 1 < len(result)):
                    result = [Part(word[start:end], head)] + tail
            memo[start] = result
            return result

        # At the start the whole word is not an answer: we want its parts.
        result = None
        for end in range(MIN_CORE_PART, len(word) - MIN_CORE_PART + 1):
            head = self._known_part(word[:end], final=False)
            tail = best(end) if head is not None else None
            if tail is not None and (result is None or len(tail) + 1 < len(result)):
                result = [Part(word[:end], head)] + tail
        if result and self.language != "fi":
            result = self._expand_parts(result)
        return result

    def _expand_parts(self, parts):
        """A Swedish first part that is a compound of its own (familjerådgivnings|
        central) in its parts (familje|rådgivnings|central), so that every part
        is an index term. (Finnish parts come whole from Voikko or the core words.)"""
        expanded = []
        for part in parts[:-1]:
            inner = self.split_compound(part.lemma) if len(part.lemma) >= 2 * MIN_SWEDISH_PART else None
            written = "".join(p.surface for p in inner[:-1]) if inner else ""
            if inner and part.surface.startswith(written) and len(part.surface) > len(written):
                expanded.extend(inner[:-1])
                expanded.append(Part(part.surface[len(written) :], inner[-1].lemma))
            else:
                expanded.append(part)
        return expanded + parts[-1:]

    # Texts ---------------------------------------------------------------

    def words(self, text):
        """WordTerms of every non-stopword in the text, in order.

        A word is a stop word as written ("ja") or when every base form it
        may have is one ("olen" -> olla, "en" -> ei, "is" -> be)."""
        words = []
        for token in tokenise(text):
            if token in self.stopwords:
                continue
            word = self.word(token)
            if word.lemmas and all(lemma in self.stopwords for lemma in word.lemmas):
                continue
            words.append(word)
        return words

    def index_terms(self, text):
        """The terms to index for a text: base forms and compound parts of each
        word, repeated as often as the words are (term frequency counts), and
        the compounds that suspended hyphens imply."""
        terms = []
        for word in self.words(text):
            terms.extend(word.terms)
        for first, compound, implied in self.coordinated_compounds(text):
            # Only what the two written words do not already give: the shared
            # last part is written once ("sosiaali- ja terveysasema" has one "asema").
            given = set(first.terms) | set(compound.terms)
            terms.extend(term for term in implied.terms if term not in given)
        return terms

    def prefix_terms(self, text):
        """Words as written plus their base forms: what autocomplete matches
        a typed prefix against ("lapse" is a prefix of "lapset", not of "lapsi")."""
        terms = []
        words = self.words(text) + [implied for _, _, implied in self.coordinated_compounds(text)]
        for word in words:
            _add(terms, word.surface.replace("-", ""))
            for lemma in word.lemmas:
                _add(terms, lemma)
        return terms

    def coordinated_compounds(self, text):
        """[(first part, compound, implied compound)] as WordTerms, for each
        compound a suspended hyphen stands for: "mielenterveys- ja
        päihdepalvelujen" implies mielenterveyspalvelu."""
        if "-" not in (text or ""):
            return []
        compounds = []
        for first, compound in suspended_hyphen_pairs(text):
            rest = self.shared_part(compound)
            if rest:
                compounds.append((self.word(first), self.word(compound), self.word(first + rest)))
        return compounds

    def shared_part(self, compound):
        """The base form of a compound without its first part, or None:
        päihdepalvelujen -> palvelu, barnrådgivningen -> rådgivning."""
        word = self.word(compound)
        if word.splits:
            return word.splits[0][1]
        if self.language == "fi":
            return None  # Finnish: not a compound the analysis knows
        # Not split (English has no compound splitter; a Swedish compound of
        # parts the index does not know): the longest ending of the base form
        # that is a word of its own.
        lemma = word.lemmas[0]
        for start in range(MIN_CORE_PART - 1, len(lemma) - MIN_LEARNED_PART + 1):
            if self.morphology.is_known(lemma[start:]):
                return lemma[start:]
        return None


def _add(items, item):
    if item and item not in items:
        items.append(item)


# --- synonyms ----------------------------------------------------------------


@dataclass(frozen=True)
class SynonymSet:
    """Phrases that mean the same thing; each phrase is a string of words.

    Two-way (`one_way` False): any phrase in a query finds all of them. One way
    (the residents' vocabulary): `terms`, the words residents type, each find
    themselves and `phrases`, the words the services use; a query with one of
    `phrases` is not widened by the residents' words."""

    phrases: tuple[str, ...]
    terms: tuple[str, ...] = ()
    one_way: bool = False

    @property
    def triggers(self):
        """The phrases that, found in a query, expand to the set."""
        return self.terms if self.one_way else self.phrases

    def expansions(self, trigger):
        """The phrases a query's `trigger` phrase expands to."""
        return (trigger, *self.phrases) if self.one_way else self.phrases


def _split_phrases(text):
    return tuple(dict.fromkeys(p.strip() for p in re.split(r"[,;\n]", text or "") if p.strip()))


def parse_synonym_sets(rows):
    """rows: [(term, "syn1, syn2 ...")] or [(term, synonyms, one_way)] ->
    [SynonymSet]. Two-way rows: the term and its synonyms mean the same. One-way
    rows: the term (several phrases may be separated by commas) finds the
    synonyms, not the other way round."""
    sets = []
    for row in rows:
        term, synonyms = row[0], row[1]
        one_way = bool(row[2]) if len(row) > 2 else False
        if one_way:
            terms, phrases = _split_phrases(term), _split_phrases(synonyms)
            if terms and phrases:
                sets.append(SynonymSet(phrases, terms=terms, one_way=True))
            continue
        phrases = tuple(
            dict.fromkeys(p.strip() for p in [term, *_split_phrases(synonyms)] if p and p.strip())
        )
        if len(phrases) > 1:
            sets.append(SynonymSet(phrases))
    return sets


# --- queries -----------------------------------------------------------------


@dataclass
class QueryGroup:
    """One unit of a query that a matching document must satisfy.

    `alternatives` is an OR of AND-conjunctions of terms: the word's base forms,
    the two halves of its compound, synonyms, and typo corrections.
    """

    words: tuple[str, ...]  # the normalised words of the query this group stands for
    alternatives: list[tuple[str, ...]] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)  # typo corrections used
    splits: set = field(default_factory=set)  # alternatives that are the halves of a compound
    # The word as it should have been written, per correction term
    # ("perheneuvolsta" -> {"perheneuvola": "perheneuvolasta"}): did-you-mean offers it.
    corrected_forms: dict = field(default_factory=dict)
    corrected: set = field(default_factory=set)  # alternatives added by typo correction

    def add(self, terms, split=False):
        terms = tuple(dict.fromkeys(t for t in terms if t))
        if terms and terms not in self.alternatives:
            self.alternatives.append(terms)
            if split:
                self.splits.add(terms)

    def add_correction(self, terms, form, split=False):
        """A typo correction: the terms the corrected word stands for (its base
        form, or the halves of a compound), and the word as written correctly."""
        terms = tuple(dict.fromkeys(t for t in terms if t))
        if not terms:
            return
        if terms not in self.alternatives:
            self.add(terms, split=split)
            self.corrected.add(terms)
        # else: the lemmatiser's guess for the word as typed (is_guess), now
        # confirmed by a neighbour it knows ("ansökningr" -> ansökningar).
        for term in terms:
            if term not in self.corrections:
                self.corrections.append(term)
        # Keyed by the one term (did-you-mean prefers the commonest), or by the
        # halves of a compound, which count as no document of their own.
        self.corrected_forms.setdefault(" ".join(terms), form)

    @property
    def exact_alternatives(self):
        """The alternatives that are the word's own analyses, not typo corrections."""
        corrections = {(correction,) for correction in self.corrections} | self.corrected
        return [alternative for alternative in self.alternatives if alternative not in corrections]

    def found_as_typed(self, present):
        """Whether one of the word's own analyses has all its terms in `present`."""
        return any(all(term in present for term in alternative) for alternative in self.exact_alternatives)

    def found_whole(self, present):
        """found_as_typed, not counting the halves of a compound found apart: a long
        word the index knows only in pieces may be a typo of one it knows whole
        ("seniorineuvona" is seniori + neuvo to the morphology, but was meant as
        "seniorineuvonta")."""
        return any(
            all(term in present for term in alternative)
            for alternative in self.exact_alternatives
            if alternative not in self.splits
        )

    @property
    def terms(self):
        """Every term that appears in any alternative."""
        return {term for alternative in self.alternatives for term in alternative}

    @property
    def highlight_terms(self):
        """Terms whose words a snippet marks: not the halves of a compound,
        or a search for "perhekeskus" would mark every "perhe"."""
        return {
            term
            for alternative in self.alternatives
            if alternative not in self.splits
            for term in alternative
        }


# Synonym phrases analysed, per analyser: the residents' vocabulary has about a
# thousand phrases a language, and every word of a query is tried against them.
_phrase_cache = weakref.WeakKeyDictionary()
PHRASE_CACHE_SIZE = 20_000


def _phrase_lemmas(analyser, phrase):
    cache = _phrase_cache.get(analyser)
    if cache is None:
        cache = _phrase_cache[analyser] = {}
    lemmas = cache.get(phrase)
    if lemmas is None:
        if len(cache) > PHRASE_CACHE_SIZE:
            cache.clear()
        lemmas = cache[phrase] = tuple(frozenset(word.lemmas) for word in analyser.words(phrase))
    return lemmas


def _phrase_conjunction(analyser, phrase):
    return tuple(word.lemmas[0] for word in analyser.words(phrase))


def build_query(analyser, text, synonym_sets=(), known_terms=None):
    """Turn a user's query into QueryGroups for the engines.

    `known_terms(set_of_terms) -> set` answers which terms exist in the index
    (for the user's visibility); it drives typo tolerance. Without it no typo
    correction is attempted.
    """
    # A search box query, not a document: long pastes are cut.
    words = analyser.words(text[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
    groups = []
    index = 0
    while index < len(words):
        group, consumed = _synonym_group(analyser, words, index, synonym_sets)
        if group is None:
            word = words[index]
            group = QueryGroup((word.surface,))
            _add_word_alternatives(group, word)
            consumed = 1
        groups.append(group)
        index += consumed
    if known_terms is not None:
        for group in groups:
            if len(group.words) == 1:
                correct_typos(analyser, group, known_terms)
    return groups


def _add_word_alternatives(group, word):
    for lemma in word.lemmas:
        group.add((lemma,))
    for left, right in word.splits:
        group.add((left, right), split=True)


def _synonym_group(analyser, words, index, synonym_sets):
    """If a synonym phrase starts at words[index], the group for that phrase
    (the phrase itself or what it expands to) and how many words it covers.
    The longest phrase found wins ("lapsi ei mene kouluun" over "koulu"); every
    set with a phrase of that length at this place adds its expansions."""
    by_first_lemma = _trigger_index(analyser, synonym_sets)
    best, matches = 0, []
    for lemma in words[index].lemmas:
        for phrase_words, synonym_set, phrase in by_first_lemma.get(lemma, ()):
            length = len(phrase_words)
            if length < best or index + length > len(words) or (synonym_set, phrase) in matches:
                continue
            candidate = words[index : index + length]
            if all(not lemmas.isdisjoint(word.lemmas) for lemmas, word in zip(phrase_words, candidate)):
                if length > best:
                    best, matches = length, []
                matches.append((synonym_set, phrase))
    if not matches:
        return None, 0
    candidate = words[index : index + best]
    group = QueryGroup(tuple(word.surface for word in candidate))
    if best == 1:
        _add_word_alternatives(group, candidate[0])
    for synonym_set, phrase in sorted(matches, key=lambda match: synonym_sets.index(match[0])):
        for other in synonym_set.expansions(phrase):
            group.add(_phrase_conjunction(analyser, other))
    return group, best


_trigger_indexes = weakref.WeakKeyDictionary()


def _trigger_index(analyser, synonym_sets):
    """{lemma: [(phrase lemmas, set, phrase)]} of the sets' trigger phrases by
    the lemmas of their first word, made once per analyser and list of sets."""
    cached = _trigger_indexes.get(analyser)
    if cached is not None and cached[0] is synonym_sets:
        return cached[1]
    index = {}
    for synonym_set in synonym_sets:
        for phrase in synonym_set.triggers:
            phrase_words = _phrase_lemmas(analyser, phrase)
            if phrase_words:
                for lemma in phrase_words[0]:
                    index.setdefault(lemma, []).append((phrase_words, synonym_set, phrase))
    _trigger_indexes[analyser] = (synonym_sets, index)
    return index


ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"


def edits1(word):
    """Every string one edit (delete, transpose, replace, insert) from word."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in ALPHABET]
    inserts = [a + c + b for a, b in splits for c in ALPHABET]
    return set(deletes + transposes + replaces + inserts) - {word}


# Written without Finnish or Swedish letters ("ylojarvi" for Ylöjärvi): the
# letters a plain keyboard puts in their place, per language. Words with more
# such letters than the limit are left alone (the variants grow as a power).
PLAIN_LETTERS = {"fi": {"a": "ä", "o": "ö"}, "sv": {"a": "äå", "o": "ö"}}
MAX_PLAIN_LETTERS = 6


def diacritic_variants(word, language):
    """The word with some of its plain letters as ä, ö (and å in Swedish),
    other than the word itself: ylojarvi -> ylöjärvi, ylöjarvi, ylojärvi."""
    letters = PLAIN_LETTERS.get(language)
    if not letters:
        return set()
    positions = [index for index, char in enumerate(word) if char in letters]
    if not positions or len(positions) > MAX_PLAIN_LETTERS:
        return set()
    variants = {word}
    for index in positions:
        variants |= {v[:index] + letter + v[index + 1 :] for v in variants for letter in letters[word[index]]}
    variants.discard(word)
    return variants


# Typos inside long compounds ("perheneuvolsta", "familjerådgivnigscentral"):
# from this length the parts around the typo are split exactly and the part
# with the typo is corrected alone.
COMPOUND_TYPO_MIN_LENGTH = 10


def correct_typos(analyser, group, known_terms):
    """Forgive one typo in a word that matches nothing in the index.

    Only words of at least TYPO_MIN_LENGTH letters whose analyses are all
    unknown to the index, tried in this order until one step finds terms the
    index has (each becomes an extra alternative, with the word as it should
    have been written for did-you-mean):

    1. the word's one-edit neighbours and its spellings with ä, ö, å for a, o
       (diacritic_variants), and those of its base forms, that are index terms;
    2. an inflected word ("neuvolasa", "psychologsts"): the neighbours the
       morphology knows, through their base forms;
    3. a compound the morphology does not know ("familjerådgivnigscentralen"):
       its other parts split exactly, the part with the typo one edit from a
       known part (fuzzy_compound).
    """
    surface = group.words[0]
    if len(surface) < TYPO_MIN_LENGTH or surface.isdigit():
        return
    present = known_terms(group.terms)
    guessed = False
    if any(
        all(term in present for term in alternative)
        for alternative in group.alternatives
        if alternative not in group.splits
    ):
        if not is_guess(analyser, surface):
            return
        # Found only through the lemmatiser's guess for an unknown word
        # ("ansökningr" -> ansökning): a neighbour it knows is a better answer.
        guessed = True
    neighbours = edits1(surface) | diacritic_variants(surface, analyser.language)
    forms = {candidate: candidate for candidate in neighbours}
    from_lemma = {}  # a neighbour of a base form -> that base form
    for term in {alt[0] for alt in group.alternatives if len(alt) == 1} - {surface}:
        if len(term) >= TYPO_MIN_LENGTH:
            for candidate in edits1(term) | diacritic_variants(term, analyser.language):
                forms.setdefault(candidate, None)
                from_lemma.setdefault(candidate, term)
    found = known_terms(set(forms))
    if found:
        for term in sorted(found):
            form = forms[term] or _inflected_like(surface, from_lemma[term], term)
            form = form or _form_of(analyser, neighbours, term)
            group.add_correction((term,), form or term)
            if form:
                _add_compound_halves(analyser, group, form, known_terms)
        return
    # An inflected word with a typo ("neuvolasa", "paihdepalveluihin"): its
    # neighbours may be inflected forms the morphology knows; match their
    # base forms.
    lemmas = {}
    for candidate in sorted(neighbours):
        if analyser.morphology.is_known(candidate):
            for analysis in analyser.morphology.analyse(candidate):
                lemmas.setdefault(analysis.lemma.replace("-", ""), candidate)
    found = known_terms(set(lemmas))
    if found:
        for term in sorted(found):
            group.add_correction((term,), lemmas[term])
            _add_compound_halves(analyser, group, lemmas[term], known_terms)
        return
    if len(surface) >= COMPOUND_TYPO_MIN_LENGTH and analyser.splits_compounds and not guessed:
        for corrected in fuzzy_compound(analyser, surface):
            word = analyser.word(corrected)
            lemmas_found = known_terms(set(word.lemmas))
            if lemmas_found:
                for lemma in word.lemmas:
                    if lemma in lemmas_found:
                        group.add_correction((lemma,), corrected)
            _add_compound_halves(analyser, group, corrected, known_terms)


def _add_compound_halves(analyser, group, form, known_terms):
    """The corrected word's compound halves the index has, as alternatives:
    the typo finds what the word written correctly finds."""
    word = analyser.word(form)
    if not word.splits:
        return
    halves = known_terms({term for split in word.splits for term in split})
    for left, right in word.splits:
        if left in halves and right in halves:
            group.add_correction((left, right), form, split=True)


def is_guess(analyser, surface):
    """Whether the word's analysis is only the lemmatiser's guess: a Swedish or
    English word it does not know and no compound of known parts, whose base
    forms come from simplemma's greedy mode ("ansökningr" -> ansökning,
    "handledre" -> handleda)."""
    if analyser.language == "fi":
        return False
    word = analyser.word(surface)
    return not word.known and not word.splits and any(lemma != surface for lemma in word.lemmas)


def _inflected_like(surface, lemma, corrected):
    """The corrected base form with the typed word's ending, when the typed
    word is its base form plus an ending ("familjerådgivningscentjalen", base
    form guessed "familjerådgivningscentjal", corrected
    "familjerådgivningscentral" -> "familjerådgivningscentralen")."""
    if surface.startswith(lemma) and surface != lemma:
        return corrected + surface[len(lemma) :]
    return None


def _form_of(analyser, neighbours, lemma):
    """The neighbour of the typed word whose base form is `lemma` (the word as
    it should have been written), or None."""
    for candidate in sorted(neighbours):
        if analyser.morphology.is_known(candidate) and any(
            analysis.lemma == lemma for analysis in analyser.morphology.analyse(candidate)
        ):
            return candidate
    return None


MAX_FUZZY_SEGMENTS = 12


def fuzzy_compound(analyser, word):
    """Corrections of a compound with one typo in one of its parts: the words
    (as written) that split exactly into known parts when the one segment
    with the typo is replaced by a known part one edit away.

    The word is split exactly from the start (heads) and from the end (tails,
    the last part inflected); only a segment between a split point of each
    is edited, so the cost is a few segments' one-edit neighbours, never the
    whole vocabulary. The corrections with the fewest parts win."""
    n = len(word)
    heads = {0}  # positions where known non-final parts end, from the start
    for end in range(MIN_CORE_PART, n + 1):
        if any(
            start in heads and analyser._known_part(word[start:end], final=False)
            for start in range(0, end - MIN_CORE_PART + 1)
        ):
            heads.add(end)
    tails = {n}  # positions from which known parts reach the end (the last one final)
    for start in range(n - MIN_CORE_PART, -1, -1):
        if any(
            analyser._known_part(word[start:end], final=end == n)
            for end in range(start + MIN_CORE_PART, n + 1)
            if end in tails
        ):
            tails.add(start)
    segments = sorted(
        ((a, b) for a in heads for b in tails if a < b and (a, b) != (0, n)),
        key=lambda ab: ab[1] - ab[0],
    )[:MAX_FUZZY_SEGMENTS]
    corrections = {}  # corrected word -> its number of parts
    for a, b in segments:
        segment = word[a:b]
        if len(segment) < MIN_CORE_PART:
            continue
        for candidate in sorted(edits1(segment)):
            if len(candidate) >= MIN_CORE_PART and analyser._known_part(candidate, final=b == n):
                corrected = word[:a] + candidate + word[b:]
                if corrected not in corrections:
                    parts = analyser.split_compound(corrected)
                    if parts:
                        corrections[corrected] = len(parts)
    # The corrections with the fewest parts: "familjerådgivningscentraloen" is
    # familjerådgivnings|centralen, not familjerådgivnings|central|oren.
    fewest = min(corrections.values(), default=0)
    return [corrected for corrected, count in corrections.items() if count == fewest]


def levenshtein(a, b, limit=None):
    """Damerau-Levenshtein (optimal string alignment) distance; stops early
    and returns limit + 1 once the distance must exceed `limit`."""
    if a == b:
        return 0
    if limit is not None and abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if limit is not None and min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]
