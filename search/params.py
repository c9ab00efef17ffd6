"""Reading a search from GET parameters.

`read_search_params` is the one place that turns a query string into a
`SearchQuery`; the search page and GET /api/v1/search both call it, so they
accept the same parameters and reject bad input with the same messages.

`search` imports no app models, yet a search needs two answers only the apps
have: "may this user see professional-only documents?" and "which municipality
and county is this postal code in?". It asks through its contracts
`search.contracts.AUDIENCE` and `search.contracts.PLACES`, which the directory
provides at start-up (docs/architecture.md, "Contracts"). Without the first
nobody is a professional; without the second the "serves my area" parameters are
refused.
"""

import re
from dataclasses import dataclass, field, replace

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import contracts, documents
from .places import find_place
from .query import DISTANCE, MAX_PAGE_SIZE, RELEVANCE, SearchQuery

LANGUAGES = ("fi", "sv", "en")
DEFAULT_LANGUAGE = "fi"


# The result types and facets are those the registered document sources declare
# (search.documents): functions, since the apps register their sources after this
# module is imported.
def result_types():
    """The result types, in the order of the page's tabs."""
    return tuple(t.name for t in documents.document_types() if not t.professional_only)


def professional_result_types():
    """Types only professionals ever get (the whole document is professional-only);
    their tab shows only when there is something in it."""
    return tuple(t.name for t in documents.document_types() if t.professional_only)


def all_result_types():
    return result_types() + professional_result_types()


def filter_facets():
    """Facets a search can be filtered by; each is a repeatable parameter of the same name."""
    return documents.facet_names()


def search_parameters():
    return SINGLE_PARAMETERS + filter_facets()


SORTS = (RELEVANCE, DISTANCE)
# Parameters given at most once. `municipality` is taken by the facet filter
# ("is in this municipality"), so "serves my area" by municipality is
# `serves_municipality`.
SINGLE_PARAMETERS = (
    "q",
    "lang",
    "postal_code",
    "serves_municipality",
    "near",
    "sort",
    "open_now",
    "page",
    "page_size",
    # "off": do not read a place out of the query's words (the page's place chip).
    "place",
)
SUGGEST_PARAMETERS = ("q", "lang")

DEFAULT_PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_SUGGEST_LENGTH = 100
MAX_PLACE_LENGTH = 100
MAX_FILTER_VALUES = 50
# Elasticsearch's default index.max_result_window: deeper pages are refused
# rather than failing over to the database engine.
MAX_RESULT_WINDOW = 10_000
# The deepest page at the largest page size still inside that window, at any page size.
MAX_PAGE = MAX_RESULT_WINDOW // MAX_PAGE_SIZE
# Facet values are codes and slugs (ASCII), as the apps' vocabularies make them.
FACET_VALUE_PATTERN = r"^[A-Za-z0-9_.:/+-]{1,100}$"
FACET_VALUE = re.compile(FACET_VALUE_PATTERN)
# "lat,lon" in decimal degrees, no exponents: latitude -90..90, longitude -180..180.
_LATITUDE = r"-?(90(\.0{1,12})?|[1-8]?[0-9](\.[0-9]{1,12})?)"
_LONGITUDE = r"-?(180(\.0{1,12})?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]{1,12})?)"
NEAR_PATTERN = rf"^{_LATITUDE},{_LONGITUDE}$"
NEAR = re.compile(NEAR_PATTERN)
POSITIVE_INTEGER = re.compile(r"[0-9]{1,7}")
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
PLACE_VALUES = ("", "off")
TRUE_VALUES = ("1", "true")
FALSE_VALUES = ("0", "false", "")


@dataclass
class SearchParams:
    """What a query string asks for, or why it cannot be answered."""

    query: SearchQuery | None  # None when there are errors
    errors: dict = field(default_factory=dict)  # {parameter: [message]}
    values: dict = field(default_factory=dict)  # the single parameters as given (stripped), for forms
    filters: dict = field(default_factory=dict)  # {facet: [value]} as given
    place: dict | None = None  # the resolved "serves my area" place (see the module docstring)
    # True when distances are measured from the place's approximate centre
    # (a postal code or municipality), not from coordinates the client gave.
    distance_from_place: bool = False
    given: bool = False  # any search parameter was given (the page lists results only then)


def user_is_professional(user):
    """The professional flag of a search, decided by the app that provides AUDIENCE."""
    return bool(contracts.get(contracts.AUDIENCE).is_professional(user))


def place_resolver():
    """f(postal_code="", municipality="") -> place or None; None when no app provides PLACES."""
    if not contracts.is_provided(contracts.PLACES):
        return None
    return contracts.get(contracts.PLACES).area_for_search


def read_search_params(params, *, professional, language=None, strict=True, now=None):
    """SearchParams from a QueryDict.

    `language`: the page's active language; None reads (and validates) `lang`.
    `strict`: unknown parameters are errors, and values are taken exactly as the
    OpenAPI document describes them (the API); the page ignores unknown
    parameters and forgives spaces around values and empty values.
    """
    errors = {}

    def error(name, message):
        messages = errors.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    facet_names = filter_facets()
    parameters = SINGLE_PARAMETERS + facet_names
    accepted = parameters if language is None else tuple(p for p in parameters if p != "lang")
    _check_names(params, accepted, strict, error, facet_names)
    if strict:
        _check_exact(params, accepted, error, facet_names)

    values = {name: _single(params, name) for name in accepted if name in SINGLE_PARAMETERS}
    given = any(params.getlist(name) for name in accepted if name != "lang")

    text = values["q"]
    if len(text) > MAX_QUERY_LENGTH:
        error("q", _("Use at most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH})

    if language is None:
        language = values["lang"] or DEFAULT_LANGUAGE
        if language not in LANGUAGES:
            error("lang", _("Use one of: fi, sv, en."))

    filters = {}
    for name in facet_names:
        wanted = list(dict.fromkeys(value.strip() for value in params.getlist(name) if value.strip()))
        if not wanted:
            continue
        filters[name] = wanted
        if len(wanted) > MAX_FILTER_VALUES:
            error(name, _("Give at most %(limit)d values.") % {"limit": MAX_FILTER_VALUES})
        elif name == "type":
            known = all_result_types()
            unknown = [value for value in wanted if value not in known]
            if unknown:
                types = ", ".join(known)
                error(name, _("Unknown type. Use one of: %(types)s.") % {"types": types})
        elif not all(FACET_VALUE.fullmatch(value) for value in wanted):
            error(name, _("Use codes of the letters A–Z, digits and - _ . : / + (at most 100 characters)."))

    page = _positive_integer(values["page"], 1, "page", error)
    page_size = _positive_integer(values["page_size"], DEFAULT_PAGE_SIZE, "page_size", error)
    if page_size is not None and page_size > MAX_PAGE_SIZE:
        error("page_size", _("Use a page size from 1 to %(limit)d.") % {"limit": MAX_PAGE_SIZE})
    if page is not None and page > MAX_PAGE:
        error(
            "page",
            _("Use a page number from 1 to %(limit)d; narrow the search to see more.") % {"limit": MAX_PAGE},
        )

    near = _coordinates(values["near"], error)
    place = _place(values["postal_code"], values["serves_municipality"], error)
    if place is not None:
        place = {**place, "source": "parameter"}
    if values["place"] not in PLACE_VALUES:
        error("place", _("Use off (do not read a place from the words) or leave the parameter out."))
    elif values["place"] != "off" and not (values["postal_code"] or values["serves_municipality"]):
        # Explicit parameters win; without them a place named in the words serves.
        understood = _place_in_query(text)
        if understood is not None:
            place, text = understood

    distance_from_place = False
    if near is None and place is not None and place.get("point"):
        near = tuple(place["point"])
        distance_from_place = True

    sort = values["sort"] or RELEVANCE
    if sort not in SORTS:
        error("sort", _("Use relevance or distance."))
    elif sort == DISTANCE and near is None and "near" not in errors and not _place_errors(errors):
        error(
            "sort",
            _("Sorting by distance needs a place: a postal code, a municipality or coordinates (near)."),
        )

    open_now = values["open_now"] if strict else values["open_now"].lower()
    if open_now not in TRUE_VALUES + FALSE_VALUES:
        error("open_now", _("Use 1 (only places open now) or 0."))

    query = None
    if not errors:
        query = SearchQuery(
            text=text,
            language=language,
            filters=filters,
            professional=professional,
            serves_municipality=place["municipality"] if place else None,
            serves_county=(place.get("county") or None) if place else None,
            near=near,
            local_first=place is not None,
            sort=sort,
            open_now=open_now in TRUE_VALUES,
            now=now or timezone.now(),
            page=page,
            page_size=page_size,
        )
    return SearchParams(
        query=query,
        errors=errors,
        values=values,
        filters=filters,
        place=place,
        distance_from_place=distance_from_place,
        given=given,
    )


def read_suggest_params(params, *, strict=True):
    """(text, language, errors) for GET /api/v1/suggest."""
    errors = {}

    def error(name, message):
        messages = errors.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    _check_names(params, SUGGEST_PARAMETERS, strict, error, ())
    if strict:
        _check_exact(params, SUGGEST_PARAMETERS, error, (), max_query_length=MAX_SUGGEST_LENGTH)
    text = _single(params, "q")
    if len(text) > MAX_SUGGEST_LENGTH:
        error("q", _("Use at most %(limit)d characters.") % {"limit": MAX_SUGGEST_LENGTH})
    language = _single(params, "lang") or DEFAULT_LANGUAGE
    if language not in LANGUAGES:
        error("lang", _("Use one of: fi, sv, en."))
    return text, language, errors


def _check_names(params, accepted, strict, error, facet_names):
    for name in params:
        if name not in accepted:
            if strict:
                error(name, _("Unknown parameter."))
        elif name not in facet_names and len(params.getlist(name)) > 1:
            error(name, _("Give this parameter only once."))


def _check_exact(params, accepted, error, facet_names, max_query_length=MAX_QUERY_LENGTH):
    """The API's values as its OpenAPI document states them: no empty values and no
    spaces around or inside codes, numbers and coordinates; lengths and counts
    of what was sent, before any tidying."""
    for name in params:
        if name not in accepted:
            continue
        raw_values = params.getlist(name)
        if name in facet_names and len(raw_values) > MAX_FILTER_VALUES:
            error(name, _("Give at most %(limit)d values.") % {"limit": MAX_FILTER_VALUES})
        for raw in raw_values:
            if name == "q":
                if len(raw) > max_query_length:
                    error(name, _("Use at most %(limit)d characters.") % {"limit": max_query_length})
            elif name == "serves_municipality":
                if len(raw) > MAX_PLACE_LENGTH:
                    error(name, _("Use at most %(limit)d characters.") % {"limit": MAX_PLACE_LENGTH})
            elif raw == "" or raw != raw.strip() or (name in ("postal_code", "near") and " " in raw):
                error(name, _("Give a value without spaces, or leave the parameter out."))
                break


def _single(params, name):
    values = params.getlist(name)
    return values[-1].strip() if values else ""


def _positive_integer(value, default, name, error):
    if value == "":
        return default
    if not POSITIVE_INTEGER.fullmatch(value) or int(value) < 1:
        error(name, _("Use a whole number of 1 or more."))
        return None
    return int(value)


def _coordinates(value, error):
    """(lat, lon) from "lat,lon" in WGS84 decimal degrees, or None."""
    if value == "":
        return None
    value = value.replace(" ", "")
    if not NEAR.fullmatch(value):
        error("near", _("Give coordinates as latitude,longitude in decimal degrees, e.g. 62.60,29.76."))
        return None
    lat, lon = (float(part) for part in value.split(","))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        error("near", _("Latitude must be from -90 to 90 and longitude from -180 to 180."))
        return None
    return (lat, lon)


def _place_errors(errors):
    return "postal_code" in errors or "serves_municipality" in errors


def keep_place_words(results, place):
    """The results with their did-you-mean given back the place the words named:
    the correction is of the words searched, which were without it, and a link to
    "perhekeskus" for "perhekesus turussa" would lose Turku."""
    place = place or {}
    words = place.get("words") or ""
    if (
        results.did_you_mean
        and place.get("source") == "query"
        and words
        # A district's name is searched as words too: then it is in the correction already.
        and words.casefold() not in results.did_you_mean.casefold()
    ):
        return replace(results, did_you_mean=f"{results.did_you_mean} {words}")
    return results


def _place_in_query(text):
    """(place, the words without it) when the words name one place (search.places), else None."""
    resolve = place_resolver()
    if resolve is None or not text:
        return None
    found = find_place(text, resolve_postal_code=lambda code: resolve(postal_code=code))
    if found is None:
        return None
    if found.postal_code:
        place = resolve(postal_code=found.postal_code)
    else:
        place = resolve(municipality=found.municipality)
    if place is None:
        return None
    return {**place, "source": "query", "words": found.words}, found.text


def _place(postal_code, municipality, error):
    """The "serves my area" place; the postal code wins when both are given (as in the door finder)."""
    if not postal_code and not municipality:
        return None
    name = "postal_code" if postal_code else "serves_municipality"
    resolve = place_resolver()
    if resolve is None:
        error(name, _("Searching by area is not available."))
        return None
    if postal_code:
        compact = postal_code.replace(" ", "")
        if not POSTAL_CODE.fullmatch(compact):
            error(name, _("Give a postal code of five digits."))
            return None
        place = resolve(postal_code=compact)
        if place is None:
            error(name, _("We did not find that postal code. Check the five digits."))
        return place
    if len(municipality) > MAX_PLACE_LENGTH:
        error(name, _("Use at most %(limit)d characters.") % {"limit": MAX_PLACE_LENGTH})
        return None
    place = resolve(municipality=municipality)
    if place is None:
        error(name, _("We did not find that municipality. Check the spelling."))
    return place


# The earlier constants, computed from the registry when read (for scripts and tests
# written against them; search's own code calls the functions).
_COMPUTED = {
    "RESULT_TYPES": result_types,
    "PROFESSIONAL_RESULT_TYPES": professional_result_types,
    "ALL_RESULT_TYPES": all_result_types,
    "FILTER_FACETS": filter_facets,
    "SEARCH_PARAMETERS": search_parameters,
}


def __getattr__(name):
    if name in _COMPUTED:
        return _COMPUTED[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
