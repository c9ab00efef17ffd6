"""Word-level morphology backends: word form -> base form(s) and compound parts.

Three kinds were measured (docs/search-analysis.md):

- Voikko (Debian's libvoikko1 + voikko-fi, through the `libvoikko` ctypes
  binding): a real Finnish morphological analyser that also tells where a
  compound's parts are. Best recall; native, so it may be absent.
- simplemma: pure-Python dictionary lemmatiser for fi/sv/en. Always installable,
  the Finnish fallback when Voikko is absent.
- Snowball stemmers through PyStemmer: fast, no dictionary. Measured and
  kept selectable, but not chosen and not a dependency.

Every backend answers `analyse(word)` with a list of `Analysis` (a base form
and, when known, the compound's parts in order). Words passed in are already
normalised (see analysis.normalise).
"""

import ctypes.util
import functools
import re
import threading
from dataclasses import dataclass

WORD_CACHE_SIZE = 200_000


@dataclass(frozen=True)
class Part:
    surface: str  # how the part is written inside the compound ("mielen")
    lemma: str  # its base form ("mieli")


@dataclass(frozen=True)
class Analysis:
    lemma: str
    parts: tuple[Part, ...] = ()  # empty unless the backend knows the compound structure


class SimplemmaMorphology:
    def __init__(self, language):
        import simplemma  # noqa: PLC0415 loaded only where this analyser is configured (its word lists are large)

        self._simplemma = simplemma
        self.language = language
        self.name = f"simplemma-{simplemma.__version__ if hasattr(simplemma, '__version__') else ''}".rstrip(
            "-"
        )

    # The backends live as long as the process (one per language): caching on the
    # method keeps nothing alive that would otherwise be freed.
    @functools.lru_cache(maxsize=WORD_CACHE_SIZE)  # noqa: B019
    def analyse(self, word):
        lemma = self._simplemma.lemmatize(word, lang=self.language).casefold()
        if self.language != "fi" and not self.is_known(word):
            # Swedish and English compounds missing from the dictionary
            # ("familjecentralen"): the greedy mode lemmatises their last part.
            # (For Finnish the compound splitter in search.analysis does this.)
            greedy = self._simplemma.lemmatize(word, lang=self.language, greedy=True).casefold()
            if greedy != lemma:
                return [Analysis(greedy), Analysis(lemma)]
        return [Analysis(lemma)]

    # The backends live as long as the process (one per language): caching on the
    # method keeps nothing alive that would otherwise be freed.
    @functools.lru_cache(maxsize=WORD_CACHE_SIZE)  # noqa: B019
    def is_known(self, word):
        return self._simplemma.is_known(word, lang=self.language)


class SnowballMorphology:
    LANGUAGE_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}

    def __init__(self, language):
        import Stemmer  # noqa: PLC0415 loaded only where this analyser is configured

        self._stemmer = Stemmer.Stemmer(self.LANGUAGE_NAMES[language])
        self._lock = threading.Lock()  # a PyStemmer object is not thread-safe
        self.language = language
        self.name = "snowball"

    # The backends live as long as the process (one per language): caching on the
    # method keeps nothing alive that would otherwise be freed.
    @functools.lru_cache(maxsize=WORD_CACHE_SIZE)  # noqa: B019
    def analyse(self, word):
        with self._lock:
            return [Analysis(self._stemmer.stemWord(word))]

    def is_known(self, word):
        # A stemmer has no dictionary; it cannot tell a typo from a word.
        return False


# "+mielen(mieli)+terve(terve)+ys(+ys)+palvel(palvella)+u(+u)": each segment is
# "+surface" optionally followed by "(base)"; a base that starts with "+" marks a
# derivational suffix of the segment before it.
WORDBASE_SEGMENT = re.compile(r"\+([^+(]*)(?:\(([^)]*)\))?")


def parse_voikko_wordbases(wordbases):
    """Split Voikko's WORDBASES attribute into compound parts.

    Returns ([Part(surface, lemma)], [derived]) where the surfaces concatenate
    to the base form of the whole word. Derivational suffixes stay with their
    root: "terve(terve)+yden(+ys)" is one part, surface "terveyden", first
    guess at its lemma "terveys", derived=True.
    """
    parts = []  # lists [surface, lemma, derived] while building
    for surface, base in WORDBASE_SEGMENT.findall(wordbases or ""):
        surface = surface.casefold()
        if surface == "-":
            continue  # the hyphen of "sote-keskus": a boundary, not a part
        base = base.casefold().replace("=", "")
        if base.startswith("+"):
            if parts:
                # Derivation: the root as written plus the suffix's base form
                # (a first guess; see VoikkoFinnish.analyse).
                root_surface = parts[-1][0]
                parts[-1] = [root_surface + surface, root_surface + base[1:], True]
            continue
        if not base and parts and len(surface) < 4:
            # A short segment without a base ("lai" in kuopio+lai+nen, "v" in
            # vastaa+v+a) continues the part before it.
            parts[-1] = [parts[-1][0] + surface, parts[-1][1] + surface, True]
            continue
        parts.append([surface, base or surface, False])
    parts = [part for part in parts if part[0]]
    if parts:
        # The surfaces spell out the base form of the whole word, so the last
        # part as written is already in its base form.
        parts[-1][1] = parts[-1][0]
    return [Part(surface, lemma) for surface, lemma, _derived in parts], [p[2] for p in parts]


def fewest_parts(analyses):
    """The readings with the fewest compound parts (a plain word counts as one).

    Voikko also reads "perheneuvolasta" as perhe+neuvo+lapsi and perhe+neuvo+
    lasta ("splint") beside perhe+neuvola; "neuvolasta" as neuvo+lapsi beside
    neuvola. The reading with the fewest parts is the one meant (the usual rule
    for Finnish compounds), and the others would index "lapsi" for every text
    about a family counselling clinic."""
    if len(analyses) < 2:
        return analyses
    # A plain reading of a compound's own base form ("perhekeskus" without its
    # parts) is that compound: it does not outrank the reading with the parts.
    compounds = {analysis.lemma for analysis in analyses if analysis.parts}
    analyses = [analysis for analysis in analyses if analysis.parts or analysis.lemma not in compounds]
    least = min(len(analysis.parts) or 1 for analysis in analyses)
    return [analysis for analysis in analyses if (len(analysis.parts) or 1) == least]


class VoikkoFinnish:
    def __init__(self):
        from libvoikko import Voikko  # noqa: PLC0415 optional: needs the system's libvoikko and dictionary

        self._voikko = Voikko("fi")
        # One libvoikko handle must not be used from two threads at once.
        self._lock = threading.Lock()
        self.language = "fi"
        self.name = f"voikko-{self._voikko.getVersion()}"

    # The backends live as long as the process (one per language): caching on the
    # method keeps nothing alive that would otherwise be freed.
    @functools.lru_cache(maxsize=WORD_CACHE_SIZE)  # noqa: B019
    def analyse(self, word):
        with self._lock:
            raw = self._voikko.analyze(word)
        analyses = []
        for item in raw:
            lemma = (item.get("BASEFORM") or "").casefold().replace("-", "")
            if not lemma:
                continue
            parts, derived = parse_voikko_wordbases(item.get("WORDBASES"))
            for index, part in enumerate(parts[:-1]):
                if derived[index]:
                    # "toimi+nta(+ta)": root + suffix base would give "toimita";
                    # the analyser itself knows the derived word ("toiminta",
                    # "terveyden" -> "terveys").
                    parts[index] = Part(part.surface, self._base_form(part.surface) or part.lemma)
            parts = tuple(parts)
            analysis = Analysis(lemma, parts if len(parts) > 1 else ())
            if analysis not in analyses:
                analyses.append(analysis)
        return fewest_parts(analyses)

    @functools.lru_cache(maxsize=WORD_CACHE_SIZE)  # noqa: B019
    def word_classes(self, word):
        """Voikko's word classes of the word's readings ("nimisana", "paikannimi" …)."""
        with self._lock:
            raw = self._voikko.analyze(word)
        return frozenset(item.get("CLASS", "") for item in raw if item.get("CLASS"))

    def _base_form(self, word):
        with self._lock:
            raw = self._voikko.analyze(word)
        return raw[0].get("BASEFORM", "").casefold() if raw else None

    def is_known(self, word):
        return bool(self.analyse(word))


_voikko_probe = None


def voikko_available():
    """True when the libvoikko binding, the native library and the Finnish
    dictionary are all installed. Probed once per process."""
    global _voikko_probe
    if _voikko_probe is None:
        if ctypes.util.find_library("voikko") is None:
            # Checked first: the binding's constructor fails noisily (in its
            # __del__) when the native library is missing.
            _voikko_probe = False
            return False
        try:
            VoikkoFinnish()
        except Exception:  # ImportError, OSError (no .so), VoikkoException (no dictionary)
            _voikko_probe = False
        else:
            _voikko_probe = True
    return _voikko_probe


@functools.cache
def _build(kind, language):
    if kind == "voikko":
        return VoikkoFinnish()
    if kind == "simplemma":
        return SimplemmaMorphology(language)
    if kind == "snowball":
        return SnowballMorphology(language)
    raise ValueError(f"unknown morphology backend {kind!r}")


def resolve_kind(kind, language):
    """Turn the configured backend name into the one that will really run."""
    if kind == "auto":
        # The measured choice (docs/search-analysis.md): Voikko for Finnish
        # when installed, simplemma otherwise and for Swedish and English.
        if language == "fi" and voikko_available():
            return "voikko"
        return "simplemma"
    if kind == "voikko" and not voikko_available():
        return "simplemma"  # configured but not installed here: the embedded default
    return kind


def get_morphology(kind, language):
    return _build(resolve_kind(kind, language), language)
