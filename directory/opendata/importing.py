"""What every directory import shares.

An import runs in two steps inside one database transaction:

1. *Read and check.* The format's reader (hsds_import, ptv) turns each record of
   the files into a plan: plain data with every reference (organisation,
   location, municipality, vocabulary term) named by its key. A record that
   cannot be read, or names something unknown, is rejected with a reason; its
   dependants (the locations of a rejected organisation, the services at a
   rejected location) are rejected with it. Nothing is written in this step.
2. *Write.* When no record was rejected, or `skip_invalid` was asked for, the
   valid plans are written: each record is compared with what is stored and
   saved only when something differs, so an identical re-run reports everything
   unchanged and touches no `updated_at`.

Malformed files (not JSON, or not the expected top-level shape) stop the import
before step 1 with an ImportFileError. Either way a failed import writes nothing.
"""

import datetime
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction

from directory import audit
from directory.models import (
    Language,
    LifeSituation,
    Location,
    Municipality,
    Organisation,
    PostalCode,
    Sector,
    Service,
    ServiceAtLocation,
    ServiceChannel,
    ServiceClass,
    TargetGroup,
    WellbeingCounty,
)
from directory.validators import validate_latitude, validate_longitude
from search.localization import LANGUAGE_CODES

# Vocabularies a service (or organisation) refers to by key, with the Service
# relation that holds them.
VOCABULARIES = {
    "sector": (Sector, "slug", "sectors"),
    "target_group": (TargetGroup, "slug", "target_groups"),
    "life_situation": (LifeSituation, "slug", "life_situations"),
    "service_class": (ServiceClass, "code", "service_classes"),
}

RULE_FIELDS = ("weekday", "opens", "closes", "valid_from", "valid_to")
EXCEPTION_FIELDS = ("date_from", "date_to", "closed", "opens", "closes", "label_fi", "label_sv", "label_en")


class ImportFileError(Exception):
    """A file that cannot be imported at all: missing, not JSON, or the wrong shape."""


class RecordError(Exception):
    """Why one record cannot be imported."""


# Report -------------------------------------------------------------------------------------------


@dataclass
class Rejection:
    kind: str  # "organisation", "service", "channel", ...
    index: int  # 1-based position in its file
    uid: str  # the record's id as given ("" when it has none)
    reason: str
    source: str = ""  # file name

    def __str__(self):
        where = f"{self.source}: " if self.source else ""
        ident = f" (id {self.uid})" if self.uid else ""
        return f"{where}{self.kind} {self.index}{ident}: {self.reason}"


@dataclass(frozen=True)
class RecordRef:
    """Where a record came from, to name it in the report."""

    kind: str
    index: int
    uid: str = ""
    source: str = ""

    def reject(self, report, reason):
        report.rejected.append(Rejection(self.kind, self.index, self.uid, reason, self.source))

    def __str__(self):
        return str(Rejection(self.kind, self.index, self.uid, "", self.source)).removesuffix(": ")


class Report:
    OUTCOMES = ("created", "updated", "unchanged")

    def __init__(self):
        self.counts = {}
        self.rejected = []
        self.notes = []
        self.written = False

    def count(self, kind, outcome):
        self.counts.setdefault(kind, dict.fromkeys(self.OUTCOMES, 0))[outcome] += 1

    def total(self, outcome):
        return sum(counts[outcome] for counts in self.counts.values())

    def as_dict(self):
        return {
            "written": self.written,
            "counts": self.counts,
            "rejected": [str(rejection) for rejection in self.rejected],
            "notes": list(self.notes),
        }

    def lines(self):
        lines = []
        for kind, counts in self.counts.items():
            lines.append(f"{kind}: " + ", ".join(f"{counts[o]} {o}" for o in self.OUTCOMES))
        totals = ", ".join(f"{self.total(o)} {o}" for o in self.OUTCOMES)
        lines.append(f"Total: {totals}, {len(self.rejected)} rejected")
        if self.rejected:
            lines.append("Rejected:")
            lines.extend(f"  {rejection}" for rejection in self.rejected)
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  {note}" for note in self.notes)
        if not self.written:
            lines.append("Nothing was written.")
        return lines


# Reading files ------------------------------------------------------------------------------------


def load_json(path):
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise ImportFileError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path}: not UTF-8 text ({error.reason})") from None
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ImportFileError(f"{path}: not valid JSON ({where}: {error.msg})") from None
    except RecursionError:
        raise ImportFileError(f"{path}: not valid JSON (nested too deeply)") from None
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror})") from None


def read_list(path, what, page_key):
    """The records of a file: a JSON list, or a page object holding the list under
    `page_key` (HSDS `contents`, PTV `itemList`)."""
    data = load_json(path)
    if isinstance(data, dict) and isinstance(data.get(page_key), list):
        data = data[page_key]
    if not isinstance(data, list):
        raise ImportFileError(f"{path}: expected a JSON list of {what} (or a page object with '{page_key}')")
    return data


# Progress -----------------------------------------------------------------------------------------


def progress(items, label, stream=None, total=None):
    """Yield `items`; on a terminal, draw a progress bar as they go."""
    items = list(items) if total is None else items
    total = len(items) if total is None else total
    if stream is None or not _is_terminal(stream) or not total:
        yield from items
        return
    width = 30
    for done, item in enumerate(items, 1):
        yield item
        filled = width * done // total
        stream.write(f"\r{label:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        stream.flush()
    stream.write("")


def _is_terminal(stream):
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# Plans --------------------------------------------------------------------------------------------


@dataclass
class HoursPlan:
    """Opening hours as the models store them. mode "" means none given."""

    mode: str = ""
    closed_on_public_holidays: bool = True
    notes: dict = field(default_factory=dict)
    rules: list = field(default_factory=list)  # (weekday, opens, closes, valid_from, valid_to)
    exceptions: list = field(default_factory=list)  # EXCEPTION_FIELDS order

    def owner_fields(self):
        return {
            "hours_mode": self.mode,
            "closed_on_public_holidays": self.closed_on_public_holidays,
            **{f"hours_note_{code}": self.notes.get(code, "") for code in LANGUAGE_CODES},
        }


@dataclass
class TermPlan:
    taxonomy: str  # a VOCABULARIES key
    code: str
    names: dict  # language -> name; only the languages given are written
    descriptions: dict = field(default_factory=dict)
    parent_code: str = ""
    position: int = 0  # sort order of a newly created term


@dataclass
class OrganisationPlan:
    ref: RecordRef
    uid: object
    fields: dict
    sectors: list | None = field(default_factory=list)  # None: leave the stored ones
    municipality: str = ""  # home municipality code
    parent_uid: object = None


@dataclass
class LocationPlan:
    ref: RecordRef
    uid: object
    organisation_uid: object
    fields: dict
    hours: HoursPlan = field(default_factory=HoursPlan)


@dataclass
class ChannelPlan:
    uid: object
    fields: dict
    hours: HoursPlan = field(default_factory=HoursPlan)


@dataclass
class SalPlan:
    uid: object
    location_uid: object
    fields: dict
    hours: HoursPlan = field(default_factory=HoursPlan)


@dataclass
class ServicePlan:
    ref: RecordRef
    uid: object
    organisation_uid: object
    fields: dict
    # relation name -> keys (vocabulary codes, language codes, area codes); a
    # relation without an entry is left as it is
    keys: dict = field(default_factory=dict)
    channels: list = field(default_factory=list)
    sals: list = field(default_factory=list)
    # Children the file refers to but does not describe: left as they are.
    keep_uids: set = field(default_factory=set)
    updated_at: datetime.datetime | None = None
    last_verified_on: datetime.date | None = None


@dataclass
class Batch:
    terms: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    services: list = field(default_factory=list)


# Reference data -----------------------------------------------------------------------------------


class Reference:
    """Geography, languages and vocabularies by the keys files use."""

    def __init__(self):
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.counties = {c.code: c for c in WellbeingCounty.objects.all()}
        self.postal_codes = {p.code: p for p in PostalCode.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.vocab = {
            taxonomy: {getattr(obj, key): obj for obj in model.objects.all()}
            for taxonomy, (model, key, _relation) in VOCABULARIES.items()
        }

    def municipality(self, code):
        code = str(code or "").strip()
        found = self.municipalities.get(code.zfill(3)) if code.isdigit() else None
        if found is None:
            raise RecordError(f"municipality code {code or '(empty)'} unknown")
        return found

    def postal_code(self, code):
        code = str(code or "").strip()
        if code not in self.postal_codes:
            raise RecordError(f"postal code {code or '(empty)'} unknown")
        return self.postal_codes[code]

    def county(self, code):
        if code not in self.counties:
            raise RecordError(f"wellbeing services county code {code} unknown")
        return self.counties[code]


# Checks -------------------------------------------------------------------------------------------


def check_fields(model, fields):
    """Run each model field's own checks (length, choices, e-mail and URL syntax) on
    the values a plan would write; raise RecordError naming the first bad field."""
    for name, value in fields.items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # foreign keys by attname (organisation_id): checked as references
        if model_field.is_relation:
            continue
        try:
            model_field.clean(value, None)
        except ValidationError as error:
            raise RecordError(f"{name}: {' '.join(error.messages)}") from None


def coordinate(value, validator):
    """A WGS84 decimal degree, six decimals, checked to be in Finland."""
    if value is None:
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise RecordError(f"coordinate {value!r} is not a number") from None
    try:
        validator(number)
    except ValidationError as error:
        raise RecordError(" ".join(error.messages)) from None
    return number


def latitude(value):
    return coordinate(value, validate_latitude)


def longitude(value):
    return coordinate(value, validate_longitude)


def check_references(batch, reference, report):
    """Reject records that name an organisation, location or term the batch and the
    database do not have, and everything that depends on a rejected record.
    Returns the batch of records still valid."""
    terms = {(t.taxonomy, t.code) for t in batch.terms}
    # A record rejected here or while reading is not there for others to lean on,
    # even when an older version of it is in the database.
    known_org_uids = set(Organisation.objects.values_list("uid", flat=True)) - _rejected_uids(
        report, "organisation"
    )

    organisations = {plan.uid: plan for plan in batch.organisations}
    changed = True
    while changed:  # an organisation whose parent was rejected goes too, and so on
        changed = False
        for uid, plan in list(organisations.items()):
            reason = None
            if (
                plan.parent_uid
                and plan.parent_uid not in organisations
                and plan.parent_uid not in known_org_uids
            ):
                reason = f"parent organisation {plan.parent_uid} unknown or rejected"
            missing = [
                code
                for code in plan.sectors or []
                if code not in reference.vocab["sector"] and ("sector", code) not in terms
            ]
            if missing:
                reason = f"sector {', '.join(missing)} unknown"
            if reason:
                plan.ref.reject(report, reason)
                del organisations[uid]
                changed = True
    valid_orgs = set(organisations) | (known_org_uids - {p.uid for p in batch.organisations})

    locations = {}
    for plan in batch.locations:
        if plan.organisation_uid not in valid_orgs:
            plan.ref.reject(report, f"organisation {plan.organisation_uid} unknown or rejected")
        else:
            locations[plan.uid] = plan
    known_location_uids = (
        set(Location.objects.values_list("uid", flat=True))
        - {p.uid for p in batch.locations}
        - _rejected_uids(report, "location", "channel")
    )
    valid_locations = set(locations) | known_location_uids

    services = []
    for plan in batch.services:
        try:
            if plan.organisation_uid not in valid_orgs:
                raise RecordError(f"organisation {plan.organisation_uid} unknown or rejected")
            for sal in plan.sals:
                if sal.location_uid not in valid_locations:
                    raise RecordError(f"location {sal.location_uid} unknown or rejected")
            for taxonomy, (_model, _key, relation) in VOCABULARIES.items():
                missing = [
                    code
                    for code in plan.keys.get(relation, [])
                    if code not in reference.vocab[taxonomy] and (taxonomy, code) not in terms
                ]
                if missing:
                    raise RecordError(f"{taxonomy.replace('_', ' ')} {', '.join(missing)} unknown")
        except RecordError as error:
            plan.ref.reject(report, str(error))
            continue
        services.append(plan)
    return Batch(
        terms=batch.terms,
        organisations=list(organisations.values()),
        locations=list(locations.values()),
        services=services,
    )


def _rejected_uids(report, *kinds):
    uids = set()
    for rejection in report.rejected:
        if rejection.kind.startswith(kinds) and rejection.uid:
            try:
                uids.add(uuid.UUID(rejection.uid))
            except ValueError:
                pass
    return uids


# Writing ------------------------------------------------------------------------------------------


def upsert(model, uid, fields, m2m=None):
    """Create or update the record with this uid; save only when something differs.
    Every write is recorded in the audit trail (directory.audit): the changed field
    names and the links made and removed."""
    obj = model.objects.filter(uid=uid).first()
    created = obj is None
    if created:
        obj = model(uid=uid)
    dirty = created
    changed_fields = []
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            dirty = True
            changed_fields.append(name.removesuffix("_id"))
    links = {}
    for name, wanted in (m2m or {}).items():
        current = [] if created else list(getattr(obj, name).all())
        if {item.pk for item in current} != {item.pk for item in wanted}:
            # Parental (modelcluster) relations: set before save(), which writes them.
            getattr(obj, name).set(wanted)
            links[name] = audit.link_changes(current, wanted)
            dirty = True
    if dirty:
        obj.save()
        if created:
            audit.record(obj, audit.IMPORT_CREATE, links=links)
        else:
            audit.record(obj, audit.IMPORT_EDIT, fields=changed_fields, links=links)
    return obj, "created" if created else ("updated" if dirty else "unchanged")


def _row_key(row):
    return tuple("" if value is None else str(value) for value in row)


def sync_rows(owner, related_name, fields, wanted):
    """Make the owner's child rows exactly `wanted` (tuples of `fields`), in any order.
    Returns whether anything was written."""
    relation = owner._meta.get_field(related_name)
    model, key = relation.related_model, relation.field.name
    rows = model.objects.filter(**{key: owner})
    current = sorted((tuple(getattr(row, name) for name in fields) for row in rows), key=_row_key)
    wanted = sorted(wanted, key=_row_key)
    if current == wanted:
        return False
    rows.delete()
    model.objects.bulk_create(
        [
            model(**{key: owner}, sort_order=order, **dict(zip(fields, values)))
            for order, values in enumerate(wanted)
        ]
    )
    return True


def sync_hours(owner, hours):
    changed = sync_rows(owner, owner.weekly_hours_name, RULE_FIELDS, list(hours.rules))
    changed |= sync_rows(owner, owner.hours_exceptions_name, EXCEPTION_FIELDS, list(hours.exceptions))
    if changed:
        audit.record(owner, audit.IMPORT_EDIT, fields=[owner.weekly_hours_name, owner.hours_exceptions_name])
    return changed


def _combine(outcome, changed):
    return "updated" if changed and outcome == "unchanged" else outcome


def write_terms(terms, reference, report, stream=None):
    for plan in progress(terms, "terms", stream):
        model, key, _relation = VOCABULARIES[plan.taxonomy]
        obj = model.objects.filter(**{key: plan.code}).first()
        created = obj is None
        if created:
            obj = model(**{key: plan.code})
            if hasattr(obj, "sort_order"):
                obj.sort_order = plan.position
        dirty = created
        values = {f"name_{code}": name for code, name in plan.names.items() if name}
        if hasattr(obj, "description_fi"):
            values.update({f"description_{code}": text for code, text in plan.descriptions.items() if text})
        changed_fields = []
        for name, value in values.items():
            if getattr(obj, name) != value:
                setattr(obj, name, value)
                dirty = True
                changed_fields.append(name)
        if dirty:
            obj.save()
            if created:
                audit.record(obj, audit.IMPORT_CREATE)
            else:
                audit.record(obj, audit.IMPORT_EDIT, fields=changed_fields)
        reference.vocab[plan.taxonomy][plan.code] = obj
        report.count("taxonomy term", "created" if created else ("updated" if dirty else "unchanged"))
    classes = reference.vocab["service_class"]
    for plan in terms:
        if plan.taxonomy == "service_class" and plan.parent_code in classes:
            obj, parent = classes[plan.code], classes[plan.parent_code]
            if obj.parent_id != parent.pk:
                obj.parent = parent
                obj.save(update_fields=["parent"])
                audit.record(obj, audit.IMPORT_EDIT, fields=["parent"])


def write_batch(batch, reference, report, stream=None):
    write_terms(batch.terms, reference, report, stream)

    organisations, outcomes = {}, {}
    for plan in progress(batch.organisations, "organisations", stream):
        fields = dict(plan.fields)
        fields["municipality_id"] = (
            reference.municipality(plan.municipality).pk if plan.municipality else None
        )
        m2m = (
            {}
            if plan.sectors is None
            else {"sectors": [reference.vocab["sector"][code] for code in plan.sectors]}
        )
        organisations[plan.uid], outcomes[plan.uid] = upsert(Organisation, plan.uid, fields, m2m)
    for plan in batch.organisations:  # parents once every organisation exists
        org = organisations[plan.uid]
        parent = None
        if plan.parent_uid:
            parent = organisations.get(plan.parent_uid) or Organisation.objects.get(uid=plan.parent_uid)
        if org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            org.save(update_fields=["parent", "updated_at"])
            audit.record(org, audit.IMPORT_EDIT, fields=["parent"])
            outcomes[plan.uid] = _combine(outcomes[plan.uid], True)
        report.count("organisation", outcomes[plan.uid])

    def organisation_pk(uid):
        return organisations[uid].pk if uid in organisations else Organisation.objects.get(uid=uid).pk

    locations = {}
    for plan in progress(batch.locations, "locations", stream):
        fields = {
            "organisation_id": organisation_pk(plan.organisation_uid),
            **plan.fields,
            **plan.hours.owner_fields(),
        }
        location, outcome = upsert(Location, plan.uid, fields)
        locations[plan.uid] = location
        report.count("location", _combine(outcome, sync_hours(location, plan.hours)))

    def location_pk(uid):
        return locations[uid].pk if uid in locations else Location.objects.get(uid=uid).pk

    for plan in progress(batch.services, "services", stream):
        fields = {"organisation_id": organisation_pk(plan.organisation_uid), **plan.fields}
        if plan.last_verified_on is not None:
            fields["last_verified_on"] = plan.last_verified_on
        service, outcome = upsert(Service, plan.uid, fields, _service_relations(plan, reference))
        changed = _write_channels(service, plan) | _write_sals(service, plan, location_pk)
        outcome = _combine(outcome, changed)
        if plan.updated_at is not None and outcome != "unchanged":
            # The source's own modification time, so exporting again gives the same file.
            Service.objects.filter(pk=service.pk).update(updated_at=plan.updated_at)
        report.count("service", outcome)


def _service_relations(plan, reference):
    """The relations the plan gives keys for; the others are left as they are."""
    lookups = {
        relation: reference.vocab[taxonomy].__getitem__
        for taxonomy, (_m, _k, relation) in VOCABULARIES.items()
    }
    lookups.update(
        languages=reference.languages.__getitem__,
        municipalities=reference.municipality,
        counties=reference.county,
        postal_codes=reference.postal_code,
    )
    return {relation: [lookups[relation](key) for key in keys] for relation, keys in plan.keys.items()}


def _write_channels(service, plan):
    wanted = {channel.uid for channel in plan.channels} | plan.keep_uids
    stale = ServiceChannel.objects.filter(service=service).exclude(uid__in=wanted)
    changed = _delete_recorded(stale)
    for channel in plan.channels:
        fields = {"service_id": service.pk, **channel.fields, **channel.hours.owner_fields()}
        obj, outcome = upsert(ServiceChannel, channel.uid, fields)
        changed |= outcome != "unchanged"
        changed |= sync_hours(obj, channel.hours)
    return changed


def _write_sals(service, plan, location_pk):
    # Stale ones go first: a new uid for the same service and location would
    # otherwise break the one-per-pair constraint.
    wanted = {sal.uid for sal in plan.sals} | plan.keep_uids
    stale = ServiceAtLocation.objects.filter(service=service).exclude(uid__in=wanted)
    changed = _delete_recorded(stale)
    for sal in plan.sals:
        fields = {
            "service_id": service.pk,
            "location_id": location_pk(sal.location_uid),
            **sal.fields,
            **sal.hours.owner_fields(),
        }
        obj, outcome = upsert(ServiceAtLocation, sal.uid, fields)
        changed |= outcome != "unchanged"
        changed |= sync_hours(obj, sal.hours)
    return changed


def _delete_recorded(queryset):
    """Delete the records, each recorded in the audit trail first. Returns whether there were any."""
    records = list(queryset)
    for obj in records:
        audit.record(obj, audit.IMPORT_DELETE, deleted=True)
    if records:
        queryset.model.objects.filter(pk__in=[obj.pk for obj in records]).delete()
    return bool(records)


# Running ------------------------------------------------------------------------------------------


def run_import(read, *, skip_invalid=False, stream=None):
    """Run an import: `read(reference, report, stream)` returns a Batch of plans
    (rejecting what it cannot read). Everything happens in one transaction;
    nothing is written when a record was rejected, unless `skip_invalid`."""
    report = Report()
    with transaction.atomic():
        reference = Reference()
        batch = read(reference, report, stream)
        batch = check_references(batch, reference, report)
        if report.rejected and not skip_invalid:
            return report
        write_batch(batch, reference, report, stream)
        report.written = True
    return report
