"""Search documents and the registry the apps fill.

`search` imports no app models. Each app describes how its objects become
`SearchDocument`s in a source object and registers it from its
AppConfig.ready():

    from search.documents import register
    register(ServiceDocuments())

A source has
- `name`: unique, e.g. "directory.service";
- `iter_documents()`: every document the source has now (for rebuild/check);
- `document_for(obj)`: the document for one object, or None when the object
  must not be searchable (unpublished, deleted, hidden);
- `key_for(obj)`: the document key of the object, also when document_for
  returns None, so the index entry can be removed. It must equal
  `document_for(obj).key`, which defaults to "<type>:<uid>".
"""

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field

from .analysis import LANGUAGES
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

# Facets every search can count (the result-type tabs are the `type` facet).
# `type` and `language` are filled in from the document itself.
DEFAULT_FACETS = (
    "type",
    "sector",
    "municipality",
    "county",
    "target_group",
    "topic",
    "development_stage",
    "language",
)
# Labels of these facets are indexed as searchable text, so "päihdetyöntekijä
# Kuopio" finds a service whose municipality facet is Kuopio.
SEARCHABLE_FACETS = ("municipality", "county", "sector", "target_group", "topic")

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

_sources = {}


def register(source):
    """Register (or replace) a document source; see the module docstring."""
    for attribute in ("name", "iter_documents", "document_for", "key_for"):
        if not hasattr(source, attribute):
            raise TypeError(f"a search document source needs {attribute!r}")
    _sources[source.name] = source
    return source


def unregister(name):
    _sources.pop(name, None)


def get_source(name):
    return _sources[name]


def sources():
    return list(_sources.values())


def iter_all_documents():
    for source in sources():
        for document in source.iter_documents():
            if document is not None:
                yield document
