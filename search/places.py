"""Places typed into a query (docs/search.md, "Places in the query").

"päiväkoti kuopio", "velkaneuvonta Turussa", "familjerådgivning i Åbo",
"kuopiolaisille", "neuvola 80100": a municipality's name in any inflected form
(Finnish or Swedish), a demonym made of it (-lainen/-läinen) or a postal code in
the query becomes the "serves my area" place of the search instead of text to
match. The gazetteer is the directory's (search.contracts.PLACES.place_names);
the query's words are analysed by the Finnish and Swedish analysers
(search.analysers) and their base forms compared with the names (normalised as
the analysers normalise), so inflections are matched by morphology, never by
lists of forms.

What is left alone: a query naming two different places (which one was meant?),
a word the Finnish morphology reads as a common word too (lowercase "salossa" is
also a form of "salko"; "Salossa" with a capital is the town), names of fewer
than three letters as written ("II" in "tyypin II diabetes"; "Iissä" is Ii), and
an unknown postal code.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass

from . import contracts
from .analysers import analyser_signature, get_analyser
from .analysis import TOKEN, normalise

# Residents' names for the people of a place: kuopiolainen, liperiläinen
# (lahtelainen: the stem's final e is the i of Lahti).
DEMONYM = re.compile(r"^(.{2,}?)(?:lainen|läinen)$")
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
# Prepositions that only say "in/at" before a place: dropped with it ("i Åbo").
PLACE_PREPOSITIONS = frozenset({"i", "på", "från", "in", "at", "near"})
MIN_NAME_LETTERS = 3
NAME_LANGUAGES = ("fi", "sv")


@dataclass(frozen=True)
class PlaceInQuery:
    """A place found in a query: a municipality code or a postal code, the words
    as typed, and the query without them."""

    municipality: str = ""
    postal_code: str = ""
    words: str = ""
    text: str = ""


_lock = threading.Lock()
_gazetteers = {}  # (id of the names, analysers) -> (names, {key: {codes}}, [(keys per token, code)])


def _keys_of_name_token(token, language):
    """A name's word as the query's words are compared: normalised (case, accents)
    as the analysers normalise, with and without its hyphens (the analysers give
    "mänttä-vilppulassa" the base form "mänttävilppula"). Not the name's own base
    forms: names are in their base form already, and a name analysed as a word is
    often a common one (Virrat → virta, Kaarina → kaari, Vanda → vänja)."""
    return {token, token.replace("-", "")}


def _gazetteer():
    """The analysed gazetteer: single words by each of their keys, names of
    several words (Koski Tl) as a key set per word, and the keys that are names of
    districts (see _district_read_as_common_word). Built again when the provider
    hands out new names (it memoises them per content) or the analysers change."""
    places = contracts.get(contracts.PLACES)
    names = places.place_names()
    if not names:
        return {}, [], frozenset()
    districts = places.district_names()
    key = (id(names), id(districts), analyser_signature())
    cached = _gazetteers.get(key)
    if cached is not None and cached[0] is names:
        return cached[1], cached[2], cached[3]
    single, multi, district_keys = {}, [], set()
    for gazetteer, is_district in ((names, False), (districts, True)):
        for code, named in gazetteer.items():
            if code not in names:  # a district of a municipality the directory does not have
                continue
            for language, name in named:
                tokens = TOKEN.findall(normalise(name))
                if not tokens:
                    continue
                if len(tokens) == 1:
                    for word_key in _keys_of_name_token(tokens[0], language):
                        single.setdefault(word_key, set()).add(code)
                        if is_district:
                            district_keys.add(word_key)
                else:
                    multi.append((tuple(frozenset(_keys_of_name_token(t, language)) for t in tokens), code))
    district_keys = frozenset(district_keys)
    with _lock:
        _gazetteers.clear()
        _gazetteers[key] = (names, single, multi, district_keys)
    return single, multi, district_keys


# Voikko's word classes of proper names; any other class of a word is a common word.
PROPER_NAME_CLASSES = frozenset({"paikannimi", "sukunimi", "etunimi", "nimi"})


def _district_read_as_common_word(token):
    """A district's name typed in lower case that is also a common word ("kalliolla":
    on a rock; "rantakylässä": in a lakeside village) is read as the word; with a
    capital (Kalliossa, Rantakylässä), or when it can only be a name (hervannassa),
    it is the place. Without Voikko's word classes, any word the morphology knows
    counts as a common word."""
    morphology = get_analyser("fi").morphology
    word_classes = getattr(morphology, "word_classes", None)
    if word_classes is None:
        return morphology.is_known(token)
    return bool(word_classes(token) - PROPER_NAME_CLASSES)


def _word_keys(token):
    """What a query word may name: as written, its base forms in Finnish and
    Swedish, and the place of a demonym."""
    keys = {token}
    for language in NAME_LANGUAGES:
        keys.update(get_analyser(language).word(token).lemmas)
    for base in list(keys):
        match = DEMONYM.match(base)
        if match:
            stem = match.group(1)
            keys.add(stem)
            if stem.endswith("e"):
                keys.add(stem[:-1] + "i")
    return keys


def _is_common_word_too(token, code, single):
    """The Finnish morphology knows the word and gives it base forms that name no
    place as well (salossa: salo and salko)."""
    word = get_analyser("fi").word(token)
    if not word.known:
        return False
    for lemma in word.lemmas:
        demonym = DEMONYM.match(lemma)
        if code in single.get(lemma, ()) or (demonym and code in single.get(demonym.group(1), ())):
            continue
        return True
    return False


def find_place(text, resolve_postal_code=None):
    """The one place the query names, or None (no place, or several)."""
    raw = unicodedata.normalize("NFKC", text or "")
    spans = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(raw)]
    tokens = [normalise(word) for _, _, word in spans]
    single, multi, district_keys = _gazetteer()
    found = []  # (first token, last token, kind, code)
    # A district's name stays in the words as well: "perhekeskus Rantakylässä" finds
    # Rantakylä's own family centre first, the rest of Joensuu's after it.
    district_tokens = set()
    for index, (token, (_, _, written)) in enumerate(zip(tokens, spans, strict=True)):
        if POSTAL_CODE.fullmatch(token):
            if resolve_postal_code is not None and resolve_postal_code(token):
                found.append((index, index, "postal_code", token))
            continue
        if not token or token.isdigit():
            continue
        keys = _word_keys(token)
        codes = set().union(*(single.get(key, set()) for key in keys))
        if len(codes) != 1:
            continue
        (code,) = codes
        if len(written) < MIN_NAME_LETTERS and token in single:
            continue  # "II", "ii": too short to tell from an abbreviation
        if not written[:1].isupper() and _is_common_word_too(token, code, single):
            continue
        naming = {key for key in keys if code in single.get(key, ())}
        if naming <= district_keys:
            if not written[:1].isupper() and _district_read_as_common_word(token):
                continue
            district_tokens.add(index)
        found.append((index, index, "municipality", code))
    for index in range(len(tokens)):
        for keys_per_token, code in multi:
            end = index + len(keys_per_token)
            if end <= len(tokens) and all(
                keys & _word_keys(tokens[index + offset]) for offset, keys in enumerate(keys_per_token)
            ):
                found = [item for item in found if not (index <= item[0] <= end - 1)]
                found.append((index, end - 1, "municipality", code))
    if not found or len({(kind, code) for _, _, kind, code in found}) > 1:
        return None
    drop = set()
    for first, last, _, _ in found:
        if first in district_tokens:
            continue
        drop.update(range(first, last + 1))
        if first > 0 and tokens[first - 1] in PLACE_PREPOSITIONS:
            drop.add(first - 1)
    kind, code = found[0][2], found[0][3]
    words = " ".join(spans[i][2] for first, last, _, _ in found for i in range(first, last + 1))
    rest = " ".join(spans[i][2] for i in range(len(spans)) if i not in drop)
    return PlaceInQuery(
        municipality=code if kind == "municipality" else "",
        postal_code=code if kind == "postal_code" else "",
        words=words,
        text=rest,
    )
