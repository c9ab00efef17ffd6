"""Search documents and the registry the apps fill.

`search` imports no app models. Each app describes how its objects become
`SearchDocument`s in a source object and registers it from its
AppConfig.ready():

    from search.documents import register
    register(ServiceDocuments())

`register` is the typed entry point of the contract registry
`search.contracts.DOCUMENT_SOURCES`; a source is a `search.contracts.DocumentSource`:
- `name`: unique, e.g. "directory.service";
- `document_types`: the `DocumentType`s of its documents (a result tab each: name,
  labels, position, professional-only);
- `facets`: the `Facet`s its documents can be filtered by (name, legend, position,
  whether the values' labels are searchable text, the API parameter's description);
- `iter_documents()`: every document the source has now (for rebuild/check);
- `document_for(obj)`: the document for one object, or None when the object
  must not be searchable (unpublished, deleted, hidden);
- `key_for(obj)`: the document key of the object, also when document_for
  returns None, so the index entry can be removed. It must equal
  `document_for(obj).key`, which defaults to "<type>:<uid>".

Search's lists of types and facets (`document_types()`, `facets()` below) are built
from the registered sources, so a new type or facet is declared by one app, in its
source. Search itself declares only the facets every document has (`type`,
`language`) and the Wagtail page type (search.pages.PAGE).
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import contracts
from .analysis import LANGUAGES
from .contracts import DOCUMENT_SOURCES, DocumentType, Facet  # noqa: F401 - DocumentType for the apps
from .localization import in_language


def join_text(*parts):
    """One searchable text from strings and lists of strings: empty ones left
    out, repeated lines once (for the sources' build())."""
    lines = []
    for part in parts:
        if isinstance(part, (list, tuple)):
            lines.extend(str(item) for item in part if item)
        elif part:
            lines.append(str(part))
    return "\n".join(dict.fromkeys(lines))


PUBLIC = "public"
PROFESSIONAL = "professional"
VISIBILITIES = (PUBLIC, PROFESSIONAL)

MINUTES_PER_WEEK = 7 * 24 * 60

# The facets every document has, filled in from the document itself: `type` (the
# result-type tabs) first and `language` last; the apps' sources declare the others.
TYPE_FACET = Facet("type", _("Result type"), position=0)
LANGUAGE_FACET = Facet(
    "language",
    pgettext_lazy("content language", "Language"),
    position=1000,
    description="Languages the content is in (ISO 639 codes).",
    example=("fi",),
    # The documents give no labels for their languages.
    value_labels={"fi": _("Finnish"), "sv": _("Swedish"), "en": _("English")},
)

FACET_NAME = re.compile(r"^[a-z][a-z0-9_]{0,49}$")


@dataclass
class Area:
    """Where a service serves: a resident of any of these places is served."""

    municipalities: list[str] = field(default_factory=list)  # official municipality codes
    counties: list[str] = field(default_factory=list)  # wellbeing services county codes
    whole_country: bool = False

    def covers(self, municipality=None, county=None):
        return (
            self.whole_country
            or (municipality is not None and municipality in self.municipalities)
            or (county is not None and county in self.counties)
        )


@dataclass
class OpenHours:
    """Weekly opening hours as minutes of the week in Europe/Helsinki time.

    Monday 00:00 is 0 and Sunday 24:00 is 10080; each interval is [start, end).
    An interval may run past the end of the week (Sunday 22:00 - Monday 02:00
    is [10000, 10200]); it wraps to the start of the week.
    """

    intervals: list[tuple[int, int]] = field(default_factory=list)
    always_open: bool = False

    def normalised_intervals(self):
        """Intervals inside [0, MINUTES_PER_WEEK), wrapping ones split in two."""
        result = []
        for start, end in self.intervals:
            start, length = int(start), int(end) - int(start)
            if length <= 0:
                continue
            if length >= MINUTES_PER_WEEK:
                return [(0, MINUTES_PER_WEEK)]
            start %= MINUTES_PER_WEEK
            end = start + length
            if end <= MINUTES_PER_WEEK:
                result.append((start, end))
            else:
                result.extend([(start, MINUTES_PER_WEEK), (0, end - MINUTES_PER_WEEK)])
        return result

    def is_open_at(self, minute_of_week):
        if self.always_open:
            return True
        return any(start <= minute_of_week < end for start, end in self.normalised_intervals())


@dataclass
class SearchDocument:
    type: str  # "service", "organisation", "operating_model", "pathway", ...
    uid: str
    title: dict  # {"fi": ..., "sv": ..., "en": ...}; missing languages fall back to Finnish
    url: dict | str = ""  # one URL, or one per language
    text: dict = field(default_factory=dict)  # public body text per language
    professional_text: dict = field(default_factory=dict)  # searchable and shown to professionals only
    facets: dict = field(default_factory=dict)  # {"sector": ["social"], "municipality": ["276"]}
    facet_labels: dict = field(default_factory=dict)  # {"municipality": {"276": {"fi": "Joensuu", ...}}}
    locations: list = field(default_factory=list)  # [(lat, lon)]
    area: Area | None = None  # None: not tied to a place (operating models, pages)
    visibility: str = PUBLIC
    languages: list | None = None  # languages the content is in; default: those with a title or text
    open_hours: OpenHours | None = None
    boost: float = 1.0
    key: str = ""

    def __post_init__(self):
        if isinstance(self.area, dict):
            self.area = Area(**self.area)
        if isinstance(self.open_hours, dict):
            self.open_hours = OpenHours(**self.open_hours)
        if not self.key:
            self.key = f"{self.type}:{self.uid}"
        if self.visibility not in VISIBILITIES:
            raise ValueError(f"visibility must be one of {VISIBILITIES}, not {self.visibility!r}")
        self.uid = str(self.uid)
        self.locations = [(float(lat), float(lon)) for lat, lon in self.locations]
        self.facets = {name: [str(v) for v in _as_list(values)] for name, values in self.facets.items()}
        for name in self.facets:
            if not FACET_NAME.match(name):
                raise ValueError(f"facet name {name!r} must match {FACET_NAME.pattern}")
        self.facets["type"] = [self.type]
        self.facets["language"] = list(self.content_languages)

    @property
    def content_languages(self):
        if self.languages:
            return [language for language in self.languages if language]
        return [
            language for language in LANGUAGES if self.title.get(language) or self.text.get(language)
        ] or ["fi"]

    def in_language(self, mapping, language):
        """A per-language value with the fallbacks every reader uses:
        the language asked for, then Finnish, Swedish, English. The text knows the
        language it is in (search.localization.LocalizedText), so the page can mark it."""
        text = in_language(mapping, language)
        return text if text or isinstance(mapping, str) else ""

    def source_language(self, mapping, language):
        """Which language `in_language` took its value from."""
        if isinstance(mapping, str):
            return language
        for candidate in (language, *LANGUAGES):
            if (mapping or {}).get(candidate):
                return candidate
        return language

    def facet_label(self, facet, value, language):
        label = (self.facet_labels.get(facet) or {}).get(value)
        if label is None:
            return None
        return self.in_language(label, language) or None

    def to_dict(self):
        data = asdict(self)
        data["locations"] = [list(point) for point in self.locations]
        if self.open_hours is not None:
            data["open_hours"]["intervals"] = [list(i) for i in self.open_hours.intervals]
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data)
        data["locations"] = [tuple(point) for point in data.get("locations") or []]
        if data.get("open_hours"):
            hours = dict(data["open_hours"])
            hours["intervals"] = [tuple(i) for i in hours.get("intervals") or []]
            data["open_hours"] = OpenHours(**hours)
        return cls(**data)

    def content_hash(self, analyser_signature=""):
        """Changes when the document or the analysis that indexes it changes."""
        payload = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(f"{analyser_signature}\n{payload}".encode()).hexdigest()


def _as_list(values):
    if values is None:
        return []
    if isinstance(values, (str, int)):
        return [values]
    return list(values)


# --- registry ---------------------------------------------------------------


def register(source: contracts.DocumentSource):
    """Register (or replace) a document source; see the module docstring. A source that
    lacks a member of DocumentSource, or declares a type or facet unlike another source,
    is refused (search.contracts.ContractError, a TypeError)."""
    return contracts.register(DOCUMENT_SOURCES, source)


def unregister(name):
    contracts.unregister(DOCUMENT_SOURCES, name)


def get_source(name):
    return contracts.member(DOCUMENT_SOURCES, name)


def sources():
    return contracts.members(DOCUMENT_SOURCES)


def iter_all_documents():
    for source in sources():
        for document in source.iter_documents():
            if document is not None:
                yield document


# --- what the sources declare ---------------------------------------------------
# Built from the registry when asked (the apps register in AppConfig.ready, after this
# module is imported), and kept until the registry changes.

_catalogue: dict = {"version": None}


def _declared():
    global _catalogue
    if _catalogue["version"] != DOCUMENT_SOURCES.version:
        types, facets = {}, {TYPE_FACET.name: TYPE_FACET, LANGUAGE_FACET.name: LANGUAGE_FACET}
        for source in sources():
            for document_type in source.document_types:
                types.setdefault(document_type.name, document_type)
            for facet in source.facets:
                facets.setdefault(facet.name, facet)

        def by_position(item):
            return (item.position, item.name)

        public = sorted((t for t in types.values() if not t.professional_only), key=by_position)
        professional = sorted((t for t in types.values() if t.professional_only), key=by_position)
        # Replaced whole, so a request in another thread never sees half of it.
        _catalogue = {
            "version": DOCUMENT_SOURCES.version,
            "types": tuple(public + professional),
            "facets": tuple(sorted(facets.values(), key=by_position)),
        }
    return _catalogue


def document_types():
    """Every declared DocumentType: the public ones by position (the page's tabs), then
    the professional-only ones."""
    return _declared()["types"]


def document_type(name):
    """The DocumentType called `name`, or None."""
    return next((t for t in document_types() if t.name == name), None)


def facets():
    """Every facet a search can be filtered by and counts, by position: `type`, the
    sources' facets, `language`."""
    return _declared()["facets"]


def facet(name):
    """The Facet called `name`, or None."""
    return next((f for f in facets() if f.name == name), None)


def facet_names():
    return tuple(f.name for f in facets())


def searchable_facets():
    """Facets whose values' labels are indexed as searchable text."""
    return tuple(f.name for f in facets() if f.searchable)


# The earlier constants, computed from the registry when read.
_COMPUTED = {"DEFAULT_FACETS": facet_names, "SEARCHABLE_FACETS": searchable_facets}


def __getattr__(name):
    if name in _COMPUTED:
        return _COMPUTED[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
