"""Synthetic national-scale data for the search benchmark (bench/search_national.py).

    NationalData(scale=1.0)   # 5,000 operating models, 30,000 services, 100,000 locations,
                              # 20,000 contact people, 2,700 organisations, 2,000 teams

Fixed seed: the same scale gives the same data on every machine, and record i
of a kind is the same at every scale (each record has its own random stream,
seeded by kind and index), so a 0.1 run indexes a subset of the national one.

What is generated, and how it reaches search (see docs/benchmarks.md):

- Operating models are real Wagtail pages (`OperatingModelPage`, Finnish, live,
  with process steps, authors and a contact person, topics, target groups and
  municipalities), made by `create_model_pages()`. They are indexed by the
  registered models_library source, and Wagtail's own search indexes the same
  pages, so both searches run over the same objects.
- Directory records (services, locations, organisations, teams, contact people)
  are `SearchDocument`s made here directly, shaped like the documents of
  directory/search_documents.py (same types, text parts, facets and labels,
  areas, locations, opening hours, visibility; contact people are
  professional-only documents), and served by `NationalDirectorySource`, a
  registered source. No directory rows are created: building 150,000 documents
  through the ORM and visibility functions would measure the directory source,
  not search, and would not fit the time budget. The benchmark therefore covers
  analysis, indexing and querying of such documents, not the cost of building
  them from the database.

Geography is real: municipality codes, names and wellbeing services counties
from directory/data/, postal codes from Posti's list, and each municipality's
centre (directory/data/municipality_centres.csv). Records are spread over
municipalities in proportion to their number of postal codes (a rough proxy
for population), and points are scattered around the municipality centre
(approximate: a normal spread of ~5 km, ~15 km in Lapland, Kainuu and North
Ostrobothnia, kept inside Finland's bounding box). Text is composed from the
domain vocabulary in bench/national_words.py: Finnish first, Swedish for most
records of bilingual municipalities, English for some.
"""

import csv
import random
import re
import uuid
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from bench import national_words as words

SEED = 20261123
NAMESPACE = uuid.UUID("6b0f4a53-3f0e-4c55-9a53-6e0d0b0a7e11")
DATA_DIR = Path(__file__).resolve().parent.parent / "directory" / "data"

# Documents at scale 1.0 (the search issue's national scale, plus the
# organisations and teams those records need).
NATIONAL_COUNTS = {
    "operating_model": 5_000,
    "service": 30_000,
    "location": 100_000,
    "contact_person": 20_000,
    "organisation": 2_700,
    "team": 2_000,
}
LANGUAGES = ("fi", "sv", "en")
FINLAND = {"lat": (59.7, 70.1), "lon": (19.5, 31.6)}
# Wider spread of points in the large northern counties (Pohjois-Pohjanmaa, Kainuu, Lappi).
WIDE_COUNTIES = {"19", "20", "21"}
ENGLISH_SHARE = 0.15
SWEDISH_SHARE_BILINGUAL = 0.9
URL_PATHS = {
    "fi": "/palvelut/{kind}/{uid}/",
    "sv": "/sv/tjanster/{kind}/{uid}/",
    "en": "/en/services/{kind}/{uid}/",
}
URL_KINDS = {"service": "palvelu", "location": "toimipiste", "organisation": "organisaatio", "team": "tiimi"}
MINUTES_PER_DAY = 24 * 60


def scaled_counts(scale):
    return {kind: max(1, round(count * scale)) for kind, count in NATIONAL_COUNTS.items()}


def stable_uid(kind, index):
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{index}"))


def rng_for(kind, index):
    return random.Random(f"{SEED}:{kind}:{index}")


def labels(triple):
    return {language: text for language, text in zip(LANGUAGES, triple) if text}


def weighted_picker(items, weights):
    cumulative = list(accumulate(weights))
    total = cumulative[-1]

    def pick(rng):
        return items[bisect(cumulative, rng.random() * total)]

    return pick


# --- geography ----------------------------------------------------------------------------------


@dataclass
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    county: str
    region: str
    centre: tuple
    postal_codes: list = field(default_factory=list)  # [(code, post office fi, post office sv)]

    @property
    def bilingual(self):
        return self.name_sv != self.name_fi

    @property
    def genitive(self):
        return words.genitive(self.name_fi)


class Geography:
    def __init__(self):
        self.regions = {row["code"]: row for row in _read("regions.csv")}
        self.counties = {row["code"]: row for row in _read("wellbeing_counties.csv")}
        centres = {
            row["code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in _read("municipality_centres.csv")
        }
        self.municipalities = {}
        for row in _read("municipalities.csv"):
            self.municipalities[row["code"]] = Municipality(
                # Åland's municipalities belong to no wellbeing services county: county None.
                row["code"],
                row["name_fi"],
                row["name_sv"],
                row["county_code"] or None,
                row["region_code"],
                centres[row["code"]],
            )
        for row in _read("postal_codes.csv"):
            municipality = self.municipalities.get(row["municipality_code"])
            # Street addresses use area codes (ending in 0), not PO boxes or parcel lockers.
            if municipality is not None and row["postal_code"].endswith("0"):
                municipality.postal_codes.append(
                    (row["postal_code"], row["name_fi"].title(), row["name_sv"].title())
                )
        self.ordered = sorted(self.municipalities.values(), key=lambda m: m.code)
        self.pick_municipality = weighted_picker(
            self.ordered, [max(1, len(m.postal_codes)) for m in self.ordered]
        )
        self.by_county = {}
        for municipality in self.ordered:
            self.by_county.setdefault(municipality.county, []).append(municipality)

    def point(self, rng, municipality):
        spread = 0.14 if municipality.county in WIDE_COUNTIES else 0.045
        lat = min(max(rng.gauss(municipality.centre[0], spread), FINLAND["lat"][0]), FINLAND["lat"][1])
        lon = min(max(rng.gauss(municipality.centre[1], spread * 2), FINLAND["lon"][0]), FINLAND["lon"][1])
        return (round(lat, 5), round(lon, 5))

    def municipality_labels(self, municipality):
        return {"fi": municipality.name_fi, "sv": municipality.name_sv, "en": municipality.name_fi}

    def county_labels(self, code):
        row = self.counties[code]
        return {"fi": row["name_fi"], "sv": row["name_sv"], "en": row["name_en"]}

    def region_genitive(self, municipality):
        return words.genitive(self.regions[municipality.region]["name_fi"])


def _read(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- records --------------------------------------------------------------------------------------


def district_name(rng):
    first = rng.choice(words.DISTRICT_FIRST)
    last = rng.choice(words.DISTRICT_LAST)
    if last == "la":
        last = "la" if words.back_vowels(first) else "lä"
    return first + last


def opening_hours(rng, kind):
    """(intervals in minutes of the week, always open), or None when no hours are given."""
    if kind == words.HOURS_APPOINTMENT or rng.random() < 0.12:
        return None
    if kind == words.HOURS_ALWAYS:
        return ([], True)

    def days(day_numbers, start, end):
        return [(day * MINUTES_PER_DAY + start, day * MINUTES_PER_DAY + end) for day in day_numbers]

    if kind == words.HOURS_LONG:
        return (days(range(5), 6 * 60 + 30, 17 * 60 + 30), False)
    if kind == words.HOURS_EVENING:
        chosen = sorted(rng.sample(range(5), rng.randint(2, 4)))
        intervals = days(chosen, 16 * 60, 20 * 60)
        if rng.random() < 0.3:
            intervals += days([5], 12 * 60, 16 * 60)
        return (intervals, False)
    if kind == "library":
        return (
            days(range(4), 10 * 60, 20 * 60) + days([4], 10 * 60, 17 * 60) + days([5], 10 * 60, 15 * 60),
            False,
        )
    if kind == "sports":
        return (days(range(5), 6 * 60, 21 * 60) + days([5, 6], 9 * 60, 18 * 60), False)
    start, end = rng.choice([(8 * 60, 16 * 60), (9 * 60, 15 * 60), (8 * 60, 15 * 60 + 30)])
    return (days(range(5), start, end), False)


@dataclass
class Organisation:
    index: int
    type: str
    name: str
    name_sv: str
    municipality: Municipality | None
    county: str | None
    whole_country: bool = False
    location_ids: list = field(default_factory=list)
    service_ids: list = field(default_factory=list)
    person_ids: list = field(default_factory=list)
    team_ids: list = field(default_factory=list)


@dataclass
class Location:
    index: int
    kind: str
    municipality: Municipality
    name: str
    name_sv: str
    name_en: str
    street: str
    postal_code: tuple
    point: tuple
    organisation: int
    service_ids: list = field(default_factory=list)
    team_ids: list = field(default_factory=list)


@dataclass
class Service:
    index: int
    kind: dict
    municipality: Municipality
    title: dict
    organisation: int
    location_ids: list
    area: tuple  # (municipality codes, county codes, whole country)
    entry_point: bool
    person_ids: list = field(default_factory=list)
    team_ids: list = field(default_factory=list)


@dataclass
class Person:
    index: int
    name: str
    title: str
    role: str
    expertise: list
    phone: str
    email: str
    service_ids: list
    organisation: int


@dataclass
class Team:
    index: int
    type: str
    municipality: Municipality
    name: dict
    organisation: int
    location: int | None
    service_ids: list
    person_ids: list
    county_wide: bool


class NationalData:
    """All records of one scale; documents are composed from them on demand."""

    def __init__(self, scale=1.0):
        self.scale = scale
        self.counts = scaled_counts(scale)
        self.geo = Geography()
        self.kinds = words.SERVICE_KINDS
        self.pick_kind = weighted_picker(self.kinds, [k["weight"] for k in self.kinds])
        location_kinds = list(words.LOCATION_KINDS)
        self.pick_location_kind = weighted_picker(
            location_kinds, [words.LOCATION_KINDS[k]["share"] for k in location_kinds]
        )
        self._organisations()
        self._locations()
        self._services()
        self._people()
        self._teams()

    # Organisations: every wellbeing services county and municipality, then NGOs,
    # parishes, companies, education providers and state offices.
    def _organisations(self):
        self.organisations = []
        self.county_org = {}
        self.municipality_org = {}
        self.others = {}
        for code, row in sorted(self.geo.counties.items()):
            self.county_org[code] = self._add_org(
                "wellbeing_county", row["name_fi"], row["name_sv"], None, code
            )
        big = sorted(self.geo.ordered, key=lambda m: -len(m.postal_codes))[:107]
        cities = {m.code for m in big}
        for municipality in self.geo.ordered:
            noun_fi, noun_sv = ("kaupunki", "stad") if municipality.code in cities else ("kunta", "kommun")
            org = self._add_org(
                "municipality",
                f"{municipality.genitive} {noun_fi}",
                f"{municipality.name_sv} {noun_sv}",
                municipality,
                municipality.county,
            )
            self.municipality_org[municipality.code] = org
        remaining = max(0, self.counts["organisation"] - len(self.organisations))
        pick_type = weighted_picker(
            ["ngo", "parish", "company", "education_provider", "state"], [60, 15, 15, 7, 3]
        )
        for number in range(remaining):
            rng = rng_for("organisation", number)
            org_type = pick_type(rng)
            municipality = self.geo.pick_municipality(rng)
            slots = self._slots(rng, municipality)
            national = org_type == "ngo" and rng.random() < 0.05
            if org_type == "ngo":
                name = (
                    rng.choice(words.NATIONAL_NGO_NAMES)
                    if national
                    else rng.choice(words.NGO_NAMES).format(**slots)
                )
            elif org_type == "parish":
                name = f"{municipality.genitive} seurakunta"
            elif org_type == "company":
                name = rng.choice(words.COMPANY_NAMES).format(**slots)
            elif org_type == "education_provider":
                name = rng.choice(
                    [
                        "{municipality_gen} ammattiopisto",
                        "{region_gen} koulutuskuntayhtymä",
                        "{municipality_gen} lukio",
                    ]
                ).format(**slots)
            else:
                name = f"Talous- ja velkaneuvonta, {self.geo.regions[municipality.region]['name_fi']}"
            self._add_org(org_type, name, "", municipality, municipality.county, whole_country=national)

    def _add_org(self, org_type, name, name_sv, municipality, county, whole_country=False):
        org = Organisation(
            len(self.organisations), org_type, name, name_sv, municipality, county, whole_country
        )
        self.organisations.append(org)
        if municipality is not None and org_type not in ("municipality",):
            self.others.setdefault((org_type, municipality.code), []).append(org.index)
            self.others.setdefault((org_type, municipality.county), []).append(org.index)
            self.others.setdefault((org_type, None), []).append(org.index)
        return org.index

    def _provider(self, rng, provider_type, municipality):
        if provider_type == "county":
            return self.county_org.get(municipality.county, self.municipality_org[municipality.code])
        if provider_type == "municipality":
            return self.municipality_org[municipality.code]
        for key in (
            (provider_type, municipality.code),
            (provider_type, municipality.county),
            (provider_type, None),
        ):
            candidates = self.others.get(key)
            if candidates:
                return rng.choice(candidates)
        return self.municipality_org[municipality.code]

    def _slots(self, rng, municipality):
        district = district_name(rng)
        return {
            "district": district,
            "district_gen": words.genitive(district),
            "municipality": municipality.name_fi,
            "municipality_sv": municipality.name_sv,
            "municipality_gen": municipality.genitive,
            "region_gen": self.geo.region_genitive(municipality),
            "daycare": rng.choice(words.DAYCARE_NAMES),
            "surname": rng.choice(words.SURNAMES),
        }

    def _locations(self):
        self.locations = []
        self.locations_at = {}  # (municipality code, location kind) -> [location index]
        for index in range(self.counts["location"]):
            rng = rng_for("location", index)
            municipality = self.geo.pick_municipality(rng)
            kind = self.pick_location_kind(rng)
            spec = words.LOCATION_KINDS[kind]
            slots = self._slots(rng, municipality)
            postal = rng.choice(municipality.postal_codes) if municipality.postal_codes else ("00000", "", "")
            location = Location(
                index=index,
                kind=kind,
                municipality=municipality,
                name=rng.choice(spec["names"]).format(**slots),
                name_sv=spec["sv"].format(**slots),
                name_en=spec["en"].format(**slots),
                street=f"{rng.choice(words.STREETS)} {rng.randint(1, 60)}",
                postal_code=postal,
                point=self.geo.point(rng, municipality),
                organisation=self._provider(rng, spec["org"], municipality),
            )
            self.locations.append(location)
            self.locations_at.setdefault((municipality.code, kind), []).append(index)
            self.organisations[location.organisation].location_ids.append(index)

    def _services(self):
        self.services = []
        self.services_in = {}  # municipality code -> [service index]
        for index in range(self.counts["service"]):
            rng = rng_for("service", index)
            kind = self.pick_kind(rng)
            municipality = self.geo.pick_municipality(rng)
            slots = self._slots(rng, municipality)
            location_ids = []
            if kind["place"]:
                candidates = self.locations_at.get((municipality.code, kind["place"]), [])
                if candidates:
                    location_ids = sorted(
                        set(rng.sample(candidates, min(len(candidates), rng.choice([1, 1, 1, 2, 3]))))
                    )
            title = self._service_title(rng, kind, municipality, slots, location_ids)
            area = self._service_area(rng, kind, municipality)
            service = Service(
                index=index,
                kind=kind,
                municipality=municipality,
                title=title,
                organisation=self._provider(rng, kind["provider"], municipality),
                location_ids=location_ids,
                area=area,
                entry_point=rng.random() < kind["entry"],
            )
            self.services.append(service)
            self.services_in.setdefault(municipality.code, []).append(index)
            self.organisations[service.organisation].service_ids.append(index)
            for location_id in location_ids:
                self.locations[location_id].service_ids.append(index)

    def _service_title(self, rng, kind, municipality, slots, location_ids):
        fi, sv, en = kind["name"]
        roll = rng.random()
        if location_ids and roll < 0.3:
            place = self.locations[location_ids[0]]
            title_fi = f"{fi}, {place.name}"
        elif roll < 0.6:
            title_fi = f"{fi}, {municipality.name_fi}"
        elif roll < 0.8:
            title_fi = f"{municipality.genitive} {fi[0].lower() + fi[1:]}"
        else:
            title_fi = f"{slots['district_gen']} {fi[0].lower() + fi[1:]}"
        title = {"fi": title_fi}
        if kind["area"] == words.AREA_NATIONAL:
            title = {"fi": fi}
        if self._has_swedish(rng, municipality, kind):
            title["sv"] = f"{sv}, {municipality.name_sv}" if kind["area"] != words.AREA_NATIONAL else sv
        if rng.random() < ENGLISH_SHARE:
            title["en"] = f"{en}, {municipality.name_fi}" if kind["area"] != words.AREA_NATIONAL else en
        return title

    @staticmethod
    def _has_swedish(rng, municipality, kind=None):
        if kind is not None and kind["area"] == words.AREA_NATIONAL:
            return rng.random() < 0.7
        return municipality.bilingual and rng.random() < SWEDISH_SHARE_BILINGUAL

    def _service_area(self, rng, kind, municipality):
        if kind["area"] == words.AREA_NATIONAL:
            return ([], [], True)
        if kind["area"] == words.AREA_COUNTY and municipality.county and rng.random() < 0.7:
            return ([], [municipality.county], False)
        codes = [municipality.code]
        if rng.random() < 0.15:
            neighbours = self.geo.by_county[municipality.county]
            codes += [m.code for m in rng.sample(neighbours, min(len(neighbours), rng.randint(1, 3)))]
        return (sorted(set(codes)), [], False)

    def _people(self):
        self.people = []
        for index in range(self.counts["contact_person"]):
            rng = rng_for("contact_person", index)
            service_ids = [rng.randrange(len(self.services))]
            if rng.random() < 0.3:
                nearby = self.services_in.get(self.services[service_ids[0]].municipality.code, [])
                service_ids = sorted(set(service_ids + [rng.choice(nearby)]))
            first = self.services[service_ids[0]]
            first_name, surname = rng.choice(words.FIRST_NAMES), rng.choice(words.SURNAMES)
            person = Person(
                index=index,
                name=f"{first_name} {surname}",
                title=rng.choice(first.kind["roles"]),
                role=rng.choice(list(words.CONTACT_ROLE_LABELS)),
                expertise=rng.sample(words.EXPERTISE, 2),
                phone=f"+358 {rng.randint(10, 50)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                email=f"{_ascii(first_name)}.{_ascii(surname)}@example.invalid",
                service_ids=service_ids,
                organisation=first.organisation,
            )
            self.people.append(person)
            for service_id in service_ids:
                self.services[service_id].person_ids.append(index)
            self.organisations[person.organisation].person_ids.append(index)

    def _teams(self):
        self.teams = []
        team_types = list(words.TEAM_TYPE_LABELS)
        for index in range(self.counts["team"]):
            rng = rng_for("team", index)
            municipality = self.geo.pick_municipality(rng)
            team_type = rng.choice(team_types)
            slots = self._slots(rng, municipality)
            names = words.TEAM_NAMES[team_type]
            name = {"fi": names[0].format(**slots)}
            if self._has_swedish(rng, municipality):
                name["sv"] = names[1].format(**slots)
            if rng.random() < ENGLISH_SHARE:
                name["en"] = names[2].format(**slots)
            nearby = self.services_in.get(municipality.code, [])
            service_ids = (
                sorted(set(rng.sample(nearby, min(len(nearby), rng.randint(2, 4))))) if nearby else []
            )
            person_ids = sorted({p for s in service_ids for p in self.services[s].person_ids[:2]})[:6]
            sites = [
                i
                for kind in ("family_centre", "sote_centre", "health_centre", "office")
                for i in self.locations_at.get((municipality.code, kind), [])
            ]
            team = Team(
                index=index,
                type=team_type,
                municipality=municipality,
                name=name,
                organisation=self._provider(rng, "county", municipality),
                location=rng.choice(sites) if sites and rng.random() < 0.8 else None,
                service_ids=service_ids,
                person_ids=person_ids,
                county_wide=rng.random() < 0.1,
            )
            self.teams.append(team)
            self.organisations[team.organisation].team_ids.append(index)
            for service_id in service_ids:
                self.services[service_id].team_ids.append(index)
            if team.location is not None:
                self.locations[team.location].team_ids.append(index)

    # --- documents -------------------------------------------------------------------------------

    def document_count(self):
        return sum(count for kind, count in self.counts.items() if kind != "operating_model")

    def iter_documents(self):
        """Every directory document: services, locations, organisations, teams, contact people."""
        from search.documents import Area, OpenHours, SearchDocument

        self._document_classes = (Area, OpenHours, SearchDocument)
        for service in self.services:
            yield self.service_document(service)
        for location in self.locations:
            yield self.location_document(location)
        for org in self.organisations:
            yield self.organisation_document(org)
        for team in self.teams:
            yield self.team_document(team)
        for person in self.people:
            yield self.person_document(person)

    def _document(self, **kwargs):
        Area, OpenHours, SearchDocument = self._document_classes
        area = kwargs.pop("area", None)
        if area is not None:
            kwargs["area"] = Area(municipalities=area[0], counties=area[1], whole_country=area[2])
        hours = kwargs.pop("open_hours", None)
        if hours is not None:
            kwargs["open_hours"] = OpenHours(intervals=hours[0], always_open=hours[1])
        return SearchDocument(**kwargs)

    @staticmethod
    def _urls(kind, uid, languages):
        return {language: URL_PATHS[language].format(kind=URL_KINDS[kind], uid=uid) for language in languages}

    def _place_facets(self, facets, codes=(), counties=()):
        for code in codes:
            municipality = self.geo.municipalities[code]
            facets.add("municipality", code, self.geo.municipality_labels(municipality))
            if municipality.county:
                facets.add("county", municipality.county, self.geo.county_labels(municipality.county))
        for code in counties:
            facets.add("county", code, self.geo.county_labels(code))

    def _location_line(self, location):
        postal, office_fi, _office_sv = location.postal_code
        return _join(location.name, location.street, f"{postal} {office_fi}")

    def _contact_text(self, person):
        role = words.CONTACT_ROLE_LABELS[person.role][0]
        return _join(person.name, person.title, role, person.expertise, person.phone, person.email)

    def service_document(self, service):
        rng = rng_for("service-text", service.index)
        uid = stable_uid("service", service.index)
        kind = service.kind
        org = self.organisations[service.organisation]
        locations = [self.locations[i] for i in service.location_ids]
        teams = [self.teams[i] for i in service.team_ids]
        body = rng.sample(kind["text"], min(len(kind["text"]), rng.randint(3, 5)))
        generic = rng.sample(words.GENERIC_SERVICE_SENTENCES, rng.randint(2, 4))
        channels = rng.sample(words.CHANNELS, rng.randint(1, 3))
        text = {
            "fi": _join(
                body[0],
                body[1:],
                generic,
                rng.choice(words.ACCESS_SENTENCES),
                org.name,
                kind["class"][1],
                channels,
                [self._location_line(location) for location in locations],
                [team.name["fi"] for team in teams],
            ),
        }
        for language, sentences in (("sv", kind["sv_text"]), ("en", kind["en_text"])):
            if language in service.title:
                text[language] = _join(
                    sentences,
                    org.name_sv if language == "sv" and org.name_sv else org.name,
                    [self._location_line(location) for location in locations],
                )
        professional = {}
        if service.person_ids or rng.random() < 0.5:
            professional["fi"] = _join(
                rng.choice(words.PROFESSIONAL_SENTENCES).format(h=rng.randint(8, 12), h2=rng.randint(13, 15)),
                f"+358 {rng.randint(10, 50)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
                [self._contact_text(self.people[p]) for p in service.person_ids[:4]],
            )
        facets = Facets()
        facets.add("sector", kind["sector"], labels(words.SECTOR_LABELS[kind["sector"]]))
        for group in kind["targets"]:
            facets.add("target_group", group, labels(words.TARGET_GROUP_LABELS[group]))
        for topic in kind["topics"]:
            facets.add("topic", topic, labels(words.TOPIC_LABELS[topic]))
        facets.add("service_class", kind["class"][0], {"fi": kind["class"][1]})
        self._place_facets(facets, [location.municipality.code for location in locations])
        self._place_facets(facets, service.area[0], service.area[1])
        if service.entry_point:
            facets.add("entry_point", "yes", labels(words.ENTRY_POINT_LABEL))
        hours = opening_hours(rng, kind["hours"])
        return self._document(
            type="service",
            uid=uid,
            title=service.title,
            url=self._urls("service", uid, service.title),
            text=text,
            professional_text=professional,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=[location.point for location in locations],
            area=service.area,
            open_hours=hours,
            boost=1.2 if service.entry_point else 1.0,
        )

    def location_document(self, location):
        rng = rng_for("location-text", location.index)
        uid = stable_uid("location", location.index)
        spec = words.LOCATION_KINDS[location.kind]
        services = [self.services[i] for i in location.service_ids]
        org = self.organisations[location.organisation]
        title = {"fi": location.name}
        if self._has_swedish(rng, location.municipality):
            title["sv"] = location.name_sv
        if rng.random() < 0.05:
            title["en"] = location.name_en
        fill = {
            "n": rng.randint(1, 40),
            "m": rng.randint(41, 99),
            "d": rng.choice([50, 100, 200, 300]),
            "street": location.street.split()[0],
            "services": ", ".join(s.kind["name"][0].lower() for s in services[:3]) or "useita palveluja",
        }
        postal, office_fi, office_sv = location.postal_code
        sentences = [
            rng.choice(words.LOCATION_SENTENCES[part]).format(**fill)
            for part in ("description", "transportation", "entrances", "accessibility")
            if rng.random() < 0.75
        ]
        text = {
            "fi": _join(
                location.name,
                location.street,
                f"{postal} {office_fi}",
                org.name,
                [s.title["fi"] for s in services],
                [self.teams[t].name["fi"] for t in location.team_ids],
                sentences,
            )
        }
        if "sv" in title:
            text["sv"] = _join(
                title["sv"],
                location.street,
                f"{postal} {office_sv}",
                org.name_sv or org.name,
                [s.title.get("sv") or s.title["fi"] for s in services],
            )
        facets = Facets()
        self._place_facets(facets, [location.municipality.code])
        facets.add("sector", spec["sector"], labels(words.SECTOR_LABELS[spec["sector"]]))
        for service in services:
            facets.add("sector", service.kind["sector"], labels(words.SECTOR_LABELS[service.kind["sector"]]))
            for topic in service.kind["topics"]:
                facets.add("topic", topic, labels(words.TOPIC_LABELS[topic]))
        return self._document(
            type="location",
            uid=uid,
            title=title,
            url=self._urls("location", uid, title),
            text=text,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=[location.point],
            area=([location.municipality.code], [], False),
            open_hours=opening_hours(rng, spec["hours"]),
        )

    def organisation_document(self, org):
        rng = rng_for("organisation-text", org.index)
        uid = stable_uid("organisation", org.index)
        title = {"fi": org.name}
        if org.name_sv and org.name_sv != org.name:
            title["sv"] = org.name_sv
        if org.type in ("wellbeing_county", "municipality") and rng.random() < 0.5:
            title["en"] = org.name
        type_label = words.ORGANISATION_TYPE_LABELS[org.type]
        locations = [self.locations[i] for i in org.location_ids]
        description = " ".join(
            sentence.format(name=org.name) for sentence in words.ORGANISATION_DESCRIPTIONS[org.type]
        )
        business_id = f"{rng.randint(1000000, 3999999)}-{rng.randint(0, 9)}"
        text = {
            "fi": _join(
                description,
                type_label[0],
                [self._location_line(location) for location in locations],
                [self.teams[t].name["fi"] for t in org.team_ids],
                business_id,
            )
        }
        for language in ("sv", "en"):
            if language in title:
                text[language] = _join(
                    type_label[LANGUAGES.index(language)],
                    [location.name for location in locations],
                    business_id,
                )
        people = [self.people[p] for p in org.person_ids]
        facets = Facets()
        for service_id in org.service_ids:
            sector = self.services[service_id].kind["sector"]
            facets.add("sector", sector, labels(words.SECTOR_LABELS[sector]))
        facets.add("organisation_type", org.type, labels(type_label))
        if org.municipality is not None:
            self._place_facets(facets, [org.municipality.code])
        for location in locations:
            self._place_facets(facets, [location.municipality.code])
        if org.type == "wellbeing_county":
            area = ([], [org.county], False)
            self._place_facets(facets, counties=[org.county])
        elif org.whole_country:
            area = ([], [], True)
        else:
            codes, counties, whole = set(), set(), False
            for service_id in org.service_ids:
                service_area = self.services[service_id].area
                codes.update(service_area[0])
                counties.update(service_area[1])
                whole = whole or service_area[2]
            if org.municipality is not None:
                codes.add(org.municipality.code)
            area = (sorted(codes), sorted(counties), whole)
        return self._document(
            type="organisation",
            uid=uid,
            title=title,
            url=self._urls("organisation", uid, title),
            text=text,
            professional_text={"fi": _join([self._contact_text(p) for p in people])} if people else {},
            facets=facets.values,
            facet_labels=facets.labels,
            locations=[location.point for location in locations],
            area=area,
        )

    def team_document(self, team):
        rng = rng_for("team-text", team.index)
        uid = stable_uid("team", team.index)
        type_label = words.TEAM_TYPE_LABELS[team.type]
        services = [self.services[i] for i in team.service_ids]
        people = [self.people[p] for p in team.person_ids]
        location = self.locations[team.location] if team.location is not None else None
        members = [(self.organisations[s.organisation].name, rng.choice(s.kind["roles"])) for s in services]
        text = {
            "fi": _join(
                type_label[0],
                rng.sample(words.TEAM_DESCRIPTIONS, 2),
                self.organisations[team.organisation].name,
                self._location_line(location) if location else "",
                [s.title["fi"] for s in services],
                [_join(org, role) for org, role in members],
            )
        }
        for language in ("sv", "en"):
            if language in team.name:
                text[language] = _join(
                    type_label[LANGUAGES.index(language)],
                    [s.title.get(language) or s.title["fi"] for s in services],
                )
        facets = Facets()
        facets.add("team_type", team.type, labels(type_label))
        for service in services:
            sector = service.kind["sector"]
            facets.add("sector", sector, labels(words.SECTOR_LABELS[sector]))
        county_wide = team.county_wide and team.municipality.county
        counties = [team.municipality.county] if county_wide else []
        codes = [] if county_wide else [team.municipality.code]
        self._place_facets(facets, codes, counties)
        if location is not None:
            self._place_facets(facets, [location.municipality.code])
        return self._document(
            type="team",
            uid=uid,
            title=team.name,
            url=self._urls("team", uid, team.name),
            text=text,
            professional_text={"fi": _join([_join(p.title, self._contact_text(p)) for p in people])}
            if people
            else {},
            facets=facets.values,
            facet_labels=facets.labels,
            locations=[location.point] if location else [],
            area=(codes, counties, False),
        )

    def person_document(self, person):
        uid = stable_uid("contact_person", person.index)
        services = [self.services[i] for i in person.service_ids]
        org = self.organisations[person.organisation]
        first = services[0]
        places = [self.locations[i] for i in first.location_ids[:1]]
        text = {
            "fi": _join(
                person.title,
                words.CONTACT_ROLE_LABELS[person.role][0],
                person.expertise,
                org.name,
                person.phone,
                person.email,
                [s.title["fi"] for s in services],
                [_join(first.title["fi"], self._location_line(place)) for place in places],
                [self.teams[t].name["fi"] for t in first.team_ids[:1]],
            )
        }
        facets = Facets()
        codes, counties, whole = set(), set(), False
        for service in services:
            sector = service.kind["sector"]
            facets.add("sector", sector, labels(words.SECTOR_LABELS[sector]))
            codes.update(service.area[0])
            counties.update(service.area[1])
            whole = whole or service.area[2]
        for place in places:
            self._place_facets(facets, [place.municipality.code])
        if org.municipality is not None:
            codes.add(org.municipality.code)
        self._place_facets(facets, sorted(codes), sorted(counties))
        facets.add("contact_role", person.role, labels(words.CONTACT_ROLE_LABELS[person.role]))
        first_uid = stable_uid("service", first.index)
        return self._document(
            type="contact_person",
            uid=uid,
            title={"fi": person.name},
            url=self._urls("service", first_uid, ["fi"]),
            text=text,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=[place.point for place in places],
            area=(sorted(codes), sorted(counties), whole),
            visibility="professional",
        )

    # --- operating models ----------------------------------------------------------------------

    def model_records(self):
        """The operating models as plain data for create_model_pages()."""
        seen = set()
        for index in range(self.counts["operating_model"]):
            rng = rng_for("operating_model", index)
            municipality = self.geo.pick_municipality(rng)
            region = self.geo.regions[municipality.region]["name_fi"]
            audience = rng.choice(words.MODEL_AUDIENCES)
            title = f"{rng.choice(words.MODEL_CONCEPTS)} {audience}"
            if title in seen:
                title = f"{title} – {region}"
            if title in seen:
                title = f"{title} {index}"
            seen.add(title)
            fill = {"audience": audience, "region_gen": self.geo.region_genitive(municipality)}
            sections = {}
            for name, sentences in words.MODEL_SECTIONS.items():
                if name == "short_description":
                    sections[name] = rng.choice(sentences).format(**fill)
                elif rng.random() < 0.9:
                    chosen = rng.sample(sentences, min(len(sentences), rng.randint(2, 5)))
                    sections[name] = " ".join(sentence.format(**fill) for sentence in chosen)
            steps = rng.sample(words.MODEL_STEPS, rng.randint(3, 5))
            steps.sort(key=words.MODEL_STEPS.index)
            people = [
                (
                    "author",
                    f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)}",
                    rng.choice(words.MODEL_ROLES),
                    f"{municipality.genitive} kaupunki",
                )
            ]
            people.append(
                (
                    "contact",
                    f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.SURNAMES)}",
                    rng.choice(words.MODEL_ROLES),
                    self.organisations[self._provider(rng, "county", municipality)].name,
                )
            )
            neighbours = self.geo.by_county[municipality.county]
            yield {
                "index": index,
                "uid": stable_uid("operating_model", index),
                "title": title,
                "sections": sections,
                "steps": steps,
                "people": people,
                "municipalities": sorted(
                    {municipality.code} | {m.code for m in rng.sample(neighbours, min(2, len(neighbours)))}
                ),
                "county": municipality.county,
                "stage": rng.choice(
                    ["in_development", "piloting", "in_use", "in_use", "established", "ended"]
                ),
                "evidence_level": rng.choice(
                    ["described", "described", "self_assessed", "peer_reviewed", "evaluated_with_indicators"]
                ),
                "topics": rng.randint(1, 3),
                "target_groups": rng.sample(list(words.TARGET_GROUP_LABELS), rng.randint(1, 2)),
            }


class Facets:
    """Facet values and labels of one document, as the directory's sources collect them."""

    def __init__(self):
        self.values = {}
        self.labels = {}

    def add(self, facet, value, value_labels):
        values = self.values.setdefault(facet, [])
        if value not in values:
            values.append(value)
        self.labels.setdefault(facet, {})[value] = value_labels


def _join(*parts):
    lines = []
    for part in parts:
        if isinstance(part, (list, tuple)):
            lines.extend(str(item) for item in part if item)
        elif part:
            lines.append(str(part))
    return "\n".join(dict.fromkeys(lines))


def _ascii(name):
    return re.sub(r"[^a-z]", "", name.lower().replace("ä", "a").replace("ö", "o").replace("å", "a"))


class NationalDirectorySource:
    """The synthetic directory documents as a registered search source."""

    name = "bench.national_directory"
    # Documents of the apps' types with the apps' facets, which their own sources declare.
    document_types = ()
    facets = ()

    def __init__(self, data):
        self.data = data

    def iter_documents(self):
        return self.data.iter_documents()

    def document_for(self, obj):
        return None  # nothing in the database: documents exist only in a rebuild

    def key_for(self, obj):
        return str(obj)


# --- operating model pages (Django) -----------------------------------------------------------------


def create_model_pages(data, progress=None):
    """Create the operating models as live Finnish OperatingModelPages under the
    library index. Index updates (Ovi's and Wagtail's) are off while creating:
    the benchmark rebuilds both indexes afterwards and times that."""
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils.text import slugify
    from wagtail.models import Locale

    from directory.models import Municipality as MunicipalityModel
    from directory.models import TargetGroup, WellbeingCounty
    from models_library.models import (
        ModelPerson,
        ModelsLibraryIndexPage,
        OperatingModelPage,
        ProcessStep,
        Topic,
    )
    from search.signals import paused

    locale = Locale.objects.get(language_code="fi")
    parent = ModelsLibraryIndexPage.objects.get(locale=locale)
    topics = list(Topic.objects.order_by("slug"))
    target_groups = {group.slug: group for group in TargetGroup.objects.all()}
    municipalities = {m.code: m for m in MunicipalityModel.objects.all()}
    counties = {c.code: c for c in WellbeingCounty.objects.all()}
    dummy_tasks = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    created = 0
    with paused(), override_settings(TASKS=dummy_tasks):
        records = list(data.model_records())
        for start in range(0, len(records), 250):
            with transaction.atomic():
                for record in records[start : start + 250]:
                    rng = random.Random(f"{SEED}:model-page:{record['index']}")
                    page = OperatingModelPage(
                        title=record["title"],
                        slug=f"{slugify(record['title'])[:80]}-{record['index']}",
                        locale=locale,
                        translation_key=record["uid"],
                        live=True,
                        stage=record["stage"],
                        evidence_level=record["evidence_level"],
                        **record["sections"],
                    )
                    page.steps = [
                        ProcessStep(title=title, description=description, sort_order=order)
                        for order, (title, description) in enumerate(record["steps"])
                    ]
                    page.people = [
                        ModelPerson(
                            kind=kind, name=name, title=title, organisation=organisation, sort_order=order
                        )
                        for order, (kind, name, title, organisation) in enumerate(record["people"])
                    ]
                    page.topics = rng.sample(topics, min(len(topics), record["topics"]))
                    page.target_groups = [
                        target_groups[slug] for slug in record["target_groups"] if slug in target_groups
                    ]
                    page.municipalities = [
                        municipalities[code] for code in record["municipalities"] if code in municipalities
                    ]
                    page.wellbeing_counties = (
                        [counties[record["county"]]] if record["county"] in counties else []
                    )
                    parent.add_child(instance=page)
                    created += 1
            if progress:
                progress(created, len(records))
    return created
