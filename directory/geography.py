"""Loading and looking up the geography reference data."""

import csv
import functools
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.signals import post_delete, post_migrate, post_save

DATA_DIR = Path(__file__).resolve().parent / "data"
# Five ASCII digits: no other script's digits, no trailing newline (fullmatch).
POSTAL_CODE_PATTERN = re.compile(r"[0-9]{5}")


def read_rows(name):
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@functools.cache
def _municipality_centres():
    return {
        row["code"]: (float(row["latitude"]), float(row["longitude"]))
        for row in read_rows("municipality_centres.csv")
    }


def municipality_centre(code):
    """WGS84 (latitude, longitude) of the place a municipality is named after,
    or None: enough to draw municipalities on a map, not to measure distances
    within one."""
    return _municipality_centres().get(code)


def _upsert(model, key, rows):
    """Create or update rows by their code; report how many changed."""
    existing = {getattr(obj, key): obj for obj in model.objects.all()}
    created = updated = 0
    to_create = []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            to_create.append(model(**row))
            created += 1
            continue
        changed = [field for field, value in row.items() if getattr(obj, field) != value]
        if changed:
            for field in changed:
                setattr(obj, field, row[field])
            obj.save(update_fields=changed)
            updated += 1
    model.objects.bulk_create(to_create, batch_size=1000)
    return {"created": created, "updated": updated}


@transaction.atomic
def load_geography(apps=None):
    """Load the committed CSV files. Idempotent; usable from a data migration via `apps`."""
    get = (lambda name: apps.get_model("directory", name)) if apps else _current_model
    Region, County = get("Region"), get("WellbeingCounty")
    Municipality, PostalCode = get("Municipality"), get("PostalCode")

    report = {"regions": _upsert(Region, "code", read_rows("regions.csv"))}
    report["counties"] = _upsert(County, "code", read_rows("wellbeing_counties.csv"))
    regions = dict(Region.objects.values_list("code", "pk"))
    counties = dict(County.objects.values_list("code", "pk"))
    report["municipalities"] = _upsert(
        Municipality,
        "code",
        [
            {
                "code": row["code"],
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "region_id": regions[row["region_code"]],
                "county_id": counties.get(row["county_code"]) if row["county_code"] else None,
            }
            for row in read_rows("municipalities.csv")
        ],
    )
    forget_place_names()  # bulk_create sends no post_save
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    report["postal_codes"] = _upsert(
        PostalCode,
        "code",
        [
            {
                "code": row["postal_code"],
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "municipality_id": municipalities[row["municipality_code"]],
            }
            for row in read_rows("postal_codes.csv")
        ],
    )
    return report


def _current_model(name):
    from directory import models  # noqa: PLC0415 cycle: directory.models.locations imports this module

    return getattr(models, name)


if TYPE_CHECKING:  # the models import this module, so it imports them lazily
    from directory.models import Municipality, PostalCode


@dataclass(frozen=True)
class Place:
    """Where a resident is: always a municipality, and its county when it has one."""

    municipality: "Municipality"
    postal_code: "PostalCode | None" = None

    @property
    def county(self):
        return self.municipality.county

    @property
    def region(self):
        return self.municipality.region


def normalise_postal_code(value):
    value = (value or "").strip().replace(" ", "")
    return value if POSTAL_CODE_PATTERN.fullmatch(value) else None


def place_for_postal_code(value):
    """Municipality and county for a Finnish postal code, or None if unknown or malformed."""
    from directory.models import PostalCode  # noqa: PLC0415 cycle: directory.models.locations imports this module

    code = normalise_postal_code(value)
    if code is None:
        return None
    postal_code = (
        PostalCode.objects.select_related("municipality__county", "municipality__region")
        .filter(code=code)
        .first()
    )
    if postal_code is None:
        return None
    return Place(municipality=postal_code.municipality, postal_code=postal_code)


def place_for_municipality(value):
    """Look a municipality up by official code or by Finnish or Swedish name (any case)."""
    from directory.models import Municipality  # noqa: PLC0415 cycle: directory.models.locations imports this module

    value = (value or "").strip()
    if not value:
        return None
    municipalities = Municipality.objects.select_related("county", "region")
    if "\x00" in value or len(value) > 100:
        return None  # no municipality has such a name (and PostgreSQL refuses NUL in text)
    if value.isascii() and value.isdigit():
        municipality = municipalities.filter(code=value.zfill(3)).first()
    else:
        # SQLite compares only ASCII letters case-insensitively, so fold the case here.
        wanted = value.casefold()
        names = Municipality.objects.values_list("pk", "name_fi", "name_sv")
        pk = next((pk for pk, fi, sv in names if wanted in (fi.casefold(), sv.casefold())), None)
        municipality = municipalities.filter(pk=pk).first() if pk else None
    return Place(municipality=municipality) if municipality else None


def area_for_search(postal_code="", municipality=""):
    """The "serves my area" place of a search as plain data (search imports no app
    models; the directory provides it as search.contracts.PLACES): the municipality
    and county codes, the municipality's name in the active language and its
    approximate centre for distances. None when the place is unknown."""
    place = place_for_postal_code(postal_code) if postal_code else place_for_municipality(municipality)
    if place is None:
        return None
    municipality = place.municipality
    return {
        "municipality": municipality.code,
        "county": municipality.county.code if municipality.county else None,
        "name": municipality.name,
        "point": municipality_centre(municipality.code),
    }


# The gazetteer of places typed into a search query (search.places), kept until a
# municipality is written in this process (connected in DirectoryConfig.ready through
# connect_place_names) and for PLACE_NAMES_SECONDS at most, so that a change made by
# another process (load_geography, another app server) is seen within that time. The
# same object is handed out while it is current, so search keeps its analysis of the
# names as long.
PLACE_NAMES_SECONDS = 600
_place_names = None
_place_names_read_at = 0.0


@functools.cache
def district_names():
    """{municipality code: [(language, name)]} of well-known districts and former
    municipalities (data/districts.csv, data/README.md): Hervanta, Rantakylä,
    Nilsiä. Postal area names are not used for this: they are the post offices',
    the municipality's own name for most districts."""
    districts = {}
    for row in read_rows("districts.csv"):
        named = districts.setdefault(row["municipality_code"], [])
        named.append(("fi", row["name_fi"]))
        if row["name_sv"] and row["name_sv"] != row["name_fi"]:
            named.append(("sv", row["name_sv"]))
    return districts


def place_names():
    """{municipality code: [(language, name)]}: each municipality's Finnish and
    Swedish names."""
    global _place_names, _place_names_read_at
    names = _place_names
    if names is None or time.monotonic() - _place_names_read_at > PLACE_NAMES_SECONDS:
        from directory.models import Municipality  # noqa: PLC0415 cycle: directory.models.locations imports this module

        names = {}
        for code, name_fi, name_sv in Municipality.objects.values_list("code", "name_fi", "name_sv"):
            names[code] = [("fi", name_fi)] + ([("sv", name_sv)] if name_sv and name_sv != name_fi else [])
        _place_names, _place_names_read_at = names, time.monotonic()
    return names


def forget_place_names(**kwargs):
    global _place_names
    _place_names = None


def connect_place_names():
    municipality = "directory.Municipality"  # by its label: the models import this module
    post_save.connect(forget_place_names, sender=municipality, dispatch_uid="directory-place-names-save")
    post_delete.connect(forget_place_names, sender=municipality, dispatch_uid="directory-place-names-delete")
    post_migrate.connect(forget_place_names, dispatch_uid="directory-place-names-migrate")
