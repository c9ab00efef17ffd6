"""Publishing rules of the library: what a model needs before it can be published.

Drafts can be saved with anything; publishing (or submitting for review) needs
the core sections written out, key figures that say where they come from, and
no placeholder text anywhere. The admin form (models_library.forms) and the
import (models_library.exchange) both ask this module, so the rules live here
and only here. Every rule has a test in tests/models_library/test_rules.py.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass

from models_library import sections

# The core sections a reader needs to judge whether a model fits them: the short
# description and the sections marked required_to_publish (models_library.sections).
REQUIRED_TO_PUBLISH = ("short_description",) + sections.field_names(
    section for section in sections.SECTIONS if section.required_to_publish
)

# A required section needs at least this many words of letters. Three is the
# shortest genuine answer in the library ("Perhekeskus ja koulut.", "Yksi
# yhteydenotto riittää."): Finnish packs a phrase into one inflected compound,
# so a higher minimum would reject terse real answers and invite padding, while
# one or two words ("Perhekeskus.", "Johdon tuki.") are a label, not a
# description, and "-", "..." or "?" are no words at all.
MIN_WORDS = 3

# A word: a run of at least two letters (digits and punctuation are not words).
WORD = re.compile(r"[^\W\d_]{2,}")


# Placeholder text ------------------------------------------------------------

# Words that name a part of the description itself: "Kuvaus täydentyy",
# "Tiedot lisätään myöhemmin". A genuine sentence has a real subject instead
# ("Palvelusuunnitelmaa täydennetään tarvittaessa").
_META = (
    r"(?:(?:tämä|tätä|tämän|nämä|näitä|näiden)\s+)?"
    r"(?:kuvau\w*|kuvaus|tieto|tiedot|tietoa|tietoja|tiedo\w*|lisätiedo\w*|lisätiedot|teksti\w*"
    r"|sisältö\w*|sisällö\w*|osio\w*|kohta|kohdat|kohtaa|kentt\w*|kentä\w*|lähde|lähteet|lähteitä"
    r"|tulokset|tuloksia|luvut|lukuja|linkit|linkkejä|liitteet|yhteystiedot|arvio\w*)"
)
# Only the words that name the text itself go with "puuttuu": "Tulokset
# puuttuvat, koska pilotti keskeytyi" is an honest result, "Kuvaus puuttuu" is not.
_META_TEXT = r"(?:kuvau\w*|kuvaus|tieto|tiedot|tietoa|teksti\w*|sisältö\w*|sisällö\w*)"
# Time and filler words that may follow a placeholder verb: "Täydentyy syksyllä".
_LATER = (
    r"(?:myöhemmin|vielä|toistaiseksi|tähän|tänne|pian|piakkoin|tarkemmin|jatkossa|lähiaikoina|vasta"
    r"|syksyllä|keväällä|kesällä|talvella|ensi|viikolla|kuussa|vuonna|vuoden|aikana|kuluessa|\d+"
    r"|later|soon)"
)
_WILL_BE_FILLED = (
    r"(?:täydenty(?:y|vät|vä|vää|villä)|täydennetään|täydennä|täydennettävä(?:t|nä)?|täydennämme"
    r"|lisätään|lisäämme|lisättävä(?:t)?|päivitetään|päivittyy|päivittyvät|tulossa"
    rf"|(?:tulee|tulevat)(?=\s+{_LATER}))"
)
_IS_MISSING = r"(?:puuttu(?:u|vat))"
# Between the subject and the verb: a copula, an adverb or an attribute in the
# genitive or elative ("Kuvaus toimintaympäristöstä täydentyy", "Kuvaus on
# vielä tulossa"), at most two of them.
_BETWEEN = r"(?:\s+(?:on|ovat|ei|eivät|vielä|toistaiseksi|myöhemmin|[^\W\d_]+(?:n|sta|stä)))"

# A clause (text between sentence or list punctuation) that says only "this
# will be filled in later" or "this is missing".
_PLACEHOLDER_CLAUSES = (
    (
        "will be filled in later",
        re.compile(
            rf"(?:{_META}{_BETWEEN}{{0,2}}\s+)?(?:{_LATER}\s+)?{_WILL_BE_FILLED}(?:\s+{_LATER}){{0,3}}",
            re.IGNORECASE,
        ),
    ),
    (
        "is missing",
        re.compile(
            rf"(?:{_META_TEXT}{_BETWEEN}{{0,2}}\s+)?(?:{_LATER}\s+)?{_IS_MISSING}(?:\s+{_LATER}){{0,2}}",
            re.IGNORECASE,
        ),
    ),
)
_CLAUSE_BREAK = re.compile(r"[.!?:;,()\[\]{}<>\n\r\t…–—\"“”„»«]+|\s-\s")


@dataclass(frozen=True)
class PlaceholderRule:
    name: str
    pattern: re.Pattern
    examples: tuple  # texts the rule rejects; tests check each


def _rule(name, pattern, *examples):
    return PlaceholderRule(name, re.compile(pattern, re.IGNORECASE), examples)


# The one list of placeholder rules. Text is normalised first (NFKC, soft
# hyphens and zero-width characters dropped, every kind of space made a
# space), so case and spacing tricks do not slip through.
PLACEHOLDER_RULES = (
    _rule(
        "lorem ipsum",
        r"lorem\s*ipsum|\blorem\b|\bipsum\b",
        "Lorem ipsum",
        "Loremipsum",
        "LOREM  IPSUM",
        "lorem",
    ),
    _rule(
        "dolor sit amet",
        r"\bdolor\s*sit(?:\s*amet)?|\bsit\s*amet\b",
        "dolor sit amet",
        "Dolorsitamet",
        "sit amet",
    ),
    _rule(
        "consectetur adipiscing",
        r"\bconsect\s*e?\s*tur\b(?:\s+adipi\w*)?|\badipi\s*s\w*|\beiusmod\b|\bincididunt\b|\blabore\s+et\s+dolore\b",
        "consectetur adipiscing elit",
        "consecte tur adipisicing elit",
        "sed do eiusmod tempor",
    ),
    _rule("TBD", r"\btbd\b", "TBD", "tbd."),
    _rule("TODO", r"\bto-?do\b", "TODO", "todo: kuvaus", "To-do"),
    _rule("XXX", r"\bx{3,}\b", "XXX", "xxxx"),
    _rule("???", r"\?{2,}", "???", "Kuka vastaa??"),
    _rule("placeholder", r"\bplaceholder\b", "placeholder"),
    _rule(
        "write here",
        r"\b(?:kirjoita|täydennä|lisää)\s+(?:\w+\s+)?tähän\b|\bteksti\s+tähän\b",
        "Täydennä tähän",
        "Kirjoita tähän",
        "kirjoita kuvaus tähän",
        "Teksti tähän",
    ),
    # "Tähän tulee kuvaus" is a placeholder; "Tähän tulee kiinnittää huomiota"
    # ("this needs attention") is Finnish: "tulee" followed by a verb (-a/-ä).
    _rule(
        "tähän tulee",
        r"\btähän\s+tulee(?:vat)?\b(?!\s+(?!kuva\b|lista\b|kohta\b)[^\W\d_]+[aä]\b)",
        "Tähän tulee kuvaus",
        "Tähän tulee toimintaympäristön kuvaus.",
        "tähän tulee",
    ),
    _rule(
        "bracketed placeholder",
        r"[\[<{]\s*(?:täydenn\w*|täydenty\w*|lisää|lisätään|kirjoita|tähän|teksti|nimi|otsikko|kuvaus"
        r"|linkki|tbd|todo|xxx|\.{2,}|…)[^\]>}]*[\]>}]",
        "[täydennä]",
        "[Täydennä]",
        "<nimi>",
        "[lisää kuvaus]",
        "[...]",
    ),
)


def normalise_text(text):
    """Text as the rules read it: NFKC, no soft hyphens or zero-width characters, plain spaces."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return re.sub(r"[^\S\n]+", " ", text)


def placeholder_match(text):
    """(rule name, the placeholder phrase) for the first placeholder in `text`, or None."""
    if text is None:
        return None
    if isinstance(text, (list, tuple, set)):
        # A field that cleans to several values, such as tags.
        for item in text:
            match = placeholder_match(item)
            if match:
                return match
        return None
    text = normalise_text(text)
    if not text.strip():
        return None
    if not re.search(r"[^\W_]", text):
        # Only punctuation or symbols: "-", "...", "–", "?".
        return ("no words", text.strip()[:30])
    for rule in PLACEHOLDER_RULES:
        match = rule.pattern.search(text)
        if match:
            return (rule.name, match.group(0).strip())
    for clause in _CLAUSE_BREAK.split(text):
        clause = clause.strip()
        for name, pattern in _PLACEHOLDER_CLAUSES:
            if clause and pattern.fullmatch(clause):
                return (name, clause)
    return None


def find_placeholder(text):
    """The placeholder phrase in `text`, or None."""
    match = placeholder_match(text)
    return match[1] if match else None


def word_count(text):
    return len(WORD.findall(normalise_text(text or "")))


# Required sections -----------------------------------------------------------

MISSING = "missing"
TOO_SHORT = "too_short"


def section_problem(value):
    """MISSING, TOO_SHORT or None for the text of a required section."""
    text = str(value or "").strip()
    if not text:
        return MISSING
    if word_count(text) < MIN_WORDS:
        return TOO_SHORT
    return None


def required_problems(values):
    """{section name: MISSING or TOO_SHORT} for the required sections of `values` (a field → value mapping)."""
    problems = {}
    for name in REQUIRED_TO_PUBLISH:
        problem = section_problem(values.get(name))
        if problem:
            problems[name] = problem
    return problems


def missing_required(values):
    """Names of the required sections that are empty or too short in `values`."""
    return list(required_problems(values))


# Key figures -----------------------------------------------------------------

NOT_A_NUMBER = "not_a_number"
NO_LABEL = "no_label"
NO_SOURCE = "no_source"


def key_figure_problems(value, label, source="", period=""):
    """{field: problem} for one key figure; {} when it can be published.

    A key figure is a number with a label of real words, and a source or a
    period that tells the reader where and when it was counted. (Placeholder
    text in any of them is found by find_placeholder like everywhere else.)
    """
    problems = {}
    if not re.search(r"\d", str(value or "")):
        problems["value"] = NOT_A_NUMBER
    if word_count(label) < 1:
        problems["label"] = NO_LABEL
    source, period = str(source or "").strip(), str(period or "").strip()
    has_source = word_count(source) >= 1
    has_period = word_count(period) >= 1 or bool(re.search(r"\d{4}", period))
    if not has_source and not has_period:
        problems["source"] = NO_SOURCE
    return problems


# Similar titles --------------------------------------------------------------

SIMILAR_TITLE_RATIO = 0.72


def normalise_title(title):
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", "", text)


def title_similarity(first, second):
    a, b = normalise_title(first), normalise_title(second)
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0 if a == b else max(0.8, len(min(a, b, key=len)) / len(max(a, b, key=len)))
    return difflib.SequenceMatcher(None, a, b).ratio()


def similar_models(title, exclude_key=None, candidates=None):
    """Existing operating models whose titles are close to `title`, most similar first."""
    if candidates is None:
        from models_library.models import OperatingModelPage  # noqa: PLC0415 cycle: the models\' admin form (models_library.forms) imports the rules

        candidates = OperatingModelPage.objects.all()
    if exclude_key:
        candidates = candidates.exclude(translation_key=exclude_key)
    best = {}
    for page in candidates.only("id", "title", "translation_key", "url_path"):
        ratio = title_similarity(title, page.title)
        if ratio >= SIMILAR_TITLE_RATIO and ratio > best.get(page.translation_key, (0, None))[0]:
            best[page.translation_key] = (ratio, page)
    return [page for ratio, page in sorted(best.values(), key=lambda item: -item[0])]
