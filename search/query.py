"""What a search asks and what it answers, plus the plain filtering functions
(area, opening hours, distance, facets) the database engine applies in Python.
"""

import math
from dataclasses import dataclass, field, fields
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from .analysis import LANGUAGES, normalise
from .documents import MINUTES_PER_WEEK, facet_names

HELSINKI = ZoneInfo("Europe/Helsinki")
MAX_PAGE_SIZE = 100
RELEVANCE = "relevance"
DISTANCE = "distance"


@dataclass
class SearchQuery:
    text: str = ""
    language: str = "fi"
    # Facet filters: {"municipality": ["167"], "type": ["service"]}. Values of
    # one facet are alternatives (OR); different facets must all hold (AND).
    filters: dict = field(default_factory=dict)
    professional: bool = False  # the user may see professional-only documents and fields
    # "Serves my area": documents whose area covers this municipality or
    # county (or the whole country); documents not tied to a place stay in.
    serves_municipality: str | None = None
    serves_county: str | None = None
    near: tuple[float, float] | None = None  # (lat, lon): distances are reported from here
    # Order by relevance within local (the municipality), then county, then the rest
    # (nationwide, not tied to a place), as the door finder does; needs serves_*.
    local_first: bool = False
    sort: str = RELEVANCE  # or DISTANCE (needs `near`)
    open_now: bool = False
    now: datetime | None = None  # "now" for open_now; defaults to the current time
    page: int = 1
    page_size: int = 20
    # The facets to count: every declared one (search.documents.facets).
    facets: tuple = field(default_factory=facet_names)

    def __post_init__(self):
        self.language = self.language if self.language in ("fi", "sv", "en") else "fi"
        self.page = max(1, int(self.page or 1))
        self.page_size = max(1, min(MAX_PAGE_SIZE, int(self.page_size or 20)))
        self.filters = {
            name: [str(v) for v in values if str(v)] for name, values in (self.filters or {}).items()
        }
        self.filters = {name: values for name, values in self.filters.items() if values}
        if self.sort == DISTANCE and self.near is None:
            self.sort = RELEVANCE

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    @property
    def filters_by_area(self):
        return self.serves_municipality is not None or self.serves_county is not None

    def minute_of_week(self):
        return minute_of_week(self.now or timezone.now())


@dataclass
class SearchResults:
    count: int
    page: int
    page_size: int
    engine: str
    results: list  # [{type, uid, title, url, snippet, score, distance_m}]
    facets: dict  # {name: [{value, label, count}]}
    did_you_mean: str | None = None
    # With SearchQuery.local_first: how many results are local (in or serving the
    # municipality); None otherwise. Not part of as_dict: the API tells it in `place`.
    local_count: int | None = None

    def as_dict(self):
        # Field by field, not dataclasses.asdict: that deep-copies every result
        # and facet bucket (a tenth of a broad search's time), and these are
        # plain dicts and lists already.
        return {
            attribute.name: getattr(self, attribute.name)
            for attribute in fields(self)
            if attribute.name != "local_count"
        }


def minute_of_week(moment):
    """Minutes since Monday 00:00 in Helsinki time (naive datetimes are taken as Helsinki time)."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=HELSINKI)
    local = moment.astimezone(HELSINKI)
    return (local.weekday() * 24 * 60 + local.hour * 60 + local.minute) % MINUTES_PER_WEEK


EARTH_RADIUS_M = 6_371_000


def haversine_m(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def nearest_distance_m(locations, point):
    if not point or not locations:
        return None
    return min(haversine_m(point, location) for location in locations)


# --- filters over a document's attributes (SearchEntry.attributes) ----------


def document_attributes(document):
    """The part of a document filters and facets need (stored in SearchEntry.attributes)."""
    return {
        "titles": {
            language: normalise(document.in_language(document.title, language)) for language in LANGUAGES
        },
        "facets": document.facets,
        "area": None
        if document.area is None
        else {
            "municipalities": document.area.municipalities,
            "counties": document.area.counties,
            "whole_country": document.area.whole_country,
        },
        "locations": [list(point) for point in document.locations],
        "always_open": bool(document.open_hours and document.open_hours.always_open),
        "open_intervals": [list(i) for i in document.open_hours.normalised_intervals()]
        if document.open_hours
        else [],
    }
