"""Demo content of the service directory.

`load_directory_demo()` loads directory/demo/directory.json (format described in
directory/demo/README.md): life situations by slug, every other record by its uid.
`ensure_directory_pages(homes)` puts the public DirectoryIndexPage under each
language's home page. Both are idempotent: they compare what is there with what
the data wants and write only the differences, so a second run changes nothing
(not even `updated_at`).

Records the file has no uid for get a stable one derived from what identifies them
(uuid5): a service at a location from the two uids, a channel from its service,
type and address.
"""

import datetime
import json
import uuid
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from directory.choices import CallCharge, HoursMode
from directory.models import (
    ContactPerson,
    DirectoryIndexPage,
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
    Team,
    WellbeingCounty,
)
from directory.services import ensure_directory_groups
from directory.validators import is_valid_business_id
from directory.vocabulary_data import load_vocabularies
from search.localization import LANGUAGE_CODES

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "directory.json"
DEMO_NAMESPACE = uuid.UUID("3f6d1f0e-2b7c-4f4e-9a51-6c0d7e2b8a44")


class DemoDataError(ValueError):
    pass


def derived_uid(*parts):
    return uuid.uuid5(DEMO_NAMESPACE, ":".join(str(part) for part in parts))


def _texts(field, value):
    """{"fi": .., "sv": ..} -> {"field_fi": .., "field_sv": .., "field_en": ..}"""
    value = value or {}
    return {f"{field}_{code}": (value.get(code) or "") for code in LANGUAGE_CODES}


def _coordinate(value):
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


def _time(value):
    return datetime.time.fromisoformat(value) if value else None


class Report:
    def __init__(self):
        self.counts = {}

    def add(self, kind, outcome):
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})[outcome] += 1

    def changed(self):
        return any(c["created"] or c["updated"] for c in self.counts.values())


def _upsert(model, lookup, fields, m2m=None):
    """Create or update one record; write only when something differs."""
    obj = model.objects.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    dirty = created
    for name, value in fields.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            dirty = True
    for name, wanted in (m2m or {}).items():
        current = set() if created else {item.pk for item in getattr(obj, name).all()}
        if current != {item.pk for item in wanted}:
            getattr(obj, name).set(wanted)
            dirty = True
    if dirty:
        obj.save()
    return obj, "created" if created else ("updated" if dirty else "unchanged")


def _sync_children(owner, related_name, fields, wanted):
    """Replace the child rows of `owner` when their content differs.

    `wanted` is a list of tuples of the values of `fields`, in order.
    """
    relation = owner._meta.get_field(related_name)
    model, key = relation.related_model, relation.field.name
    rows = list(model.objects.filter(**{key: owner}).order_by("sort_order", "pk"))
    if [tuple(getattr(row, name) for name in fields) for row in rows] == wanted:
        return False
    model.objects.filter(**{key: owner}).delete()
    for order, values in enumerate(wanted):
        model.objects.create(**{key: owner}, sort_order=order, **dict(zip(fields, values)))
    return True


RULE_FIELDS = ("weekday", "opens", "closes")
EXCEPTION_FIELDS = ("date_from", "closed", "opens", "closes", "label_fi", "label_sv", "label_en")


def _hours_fields(hours):
    if not hours:
        return {"hours_mode": HoursMode.NOT_GIVEN, "closed_on_public_holidays": True}
    if hours.get("always_open"):
        mode = HoursMode.ALWAYS_OPEN
    elif hours.get("by_appointment_only"):
        mode = HoursMode.BY_APPOINTMENT
    else:
        mode = HoursMode.WEEKLY
    # Holidays close weekly hours automatically; the data's own exceptions still win.
    return {"hours_mode": mode, "closed_on_public_holidays": mode != HoursMode.ALWAYS_OPEN}


def _sync_hours(owner, hours):
    hours = hours or {}
    rules = [(w["day"], _time(w["opens"]), _time(w["closes"])) for w in hours.get("weekly", [])]
    exceptions = [
        (
            datetime.date.fromisoformat(e["date"]),
            bool(e.get("closed", False)),
            None if e.get("closed") else _time(e.get("opens")),
            None if e.get("closed") else _time(e.get("closes")),
            *(((e.get("note") or {}).get(code) or "") for code in LANGUAGE_CODES),
        )
        for e in hours.get("exceptions", [])
    ]
    changed = _sync_children(owner, owner.weekly_hours_name, RULE_FIELDS, rules)
    changed |= _sync_children(owner, owner.hours_exceptions_name, EXCEPTION_FIELDS, exceptions)
    return changed


def _call_charge(text):
    """The data gives call charges as text; PTV and the UI want a kind."""
    fi = (text or {}).get("fi", "").casefold()
    if not fi:
        return "", ""
    if "maksuton" in fi:
        return CallCharge.FREE, ""
    if "paikallisverkko" in fi or "matkapuhelin" in fi:
        return CallCharge.NETWORK, ""
    return CallCharge.SERVICE_NUMBER, text.get("fi", "")


class Lookups:
    """Reference data by the keys the demo file uses; unknown keys are errors."""

    def __init__(self):
        self.municipalities = {m.code: m for m in Municipality.objects.all()}
        self.counties = {c.code: c for c in WellbeingCounty.objects.all()}
        self.sectors = {s.slug: s for s in Sector.objects.all()}
        self.target_groups = {t.slug: t for t in TargetGroup.objects.all()}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.objects = {}

    def many(self, table, keys, what):
        missing = [key for key in keys if key not in table]
        if missing:
            raise DemoDataError(f"Unknown {what}: {', '.join(missing)}")
        return [table[key] for key in keys]

    def postal_codes(self, codes):
        found = {p.code: p for p in PostalCode.objects.filter(code__in=codes)}
        return self.many(found, codes, "postal codes")

    def get(self, uid):
        try:
            return self.objects[uid]
        except KeyError:
            raise DemoDataError(f"Reference to an unknown record: {uid}") from None


def _load_life_situations(records, report):
    situations = {}
    for order, record in enumerate(records):
        fields = {
            **_texts("name", record["name"]),
            **_texts("description", record.get("description")),
            "plain_language_fi": record.get("plain_language_fi") or "",
            "may_be_acute": bool(record.get("may_be_acute", False)),
            "sort_order": order,
        }
        situations[record["slug"]], outcome = _upsert(LifeSituation, {"slug": record["slug"]}, fields)
        report.add("life_situations", outcome)
    return situations


def _organises(organises, refs):
    """The area whose services the organisation organises: {"county": code, "municipality": code}."""
    county, municipality = organises.get("county"), organises.get("municipality")
    if county:
        county = refs.many(refs.counties, [county], "wellbeing services counties")[0].pk
    if municipality:
        municipality = refs.many(refs.municipalities, [municipality], "municipalities")[0].pk
    return {"organiser_of_county_id": county or None, "organiser_of_municipality_id": municipality or None}


def _load_life_situation_help(records, situations, refs):
    """LifeSituation.after_hours_help, once the services exist."""
    for record in records:
        situation = situations[record["slug"]]
        wanted = [refs.get(uid) for uid in record.get("after_hours_help", [])]
        if {s.pk for s in situation.after_hours_help.all()} != {s.pk for s in wanted}:
            situation.after_hours_help.set(wanted)


def _load_organisations(records, refs, report):
    for record in records:
        if record.get("business_id") and not is_valid_business_id(record["business_id"]):
            raise DemoDataError(f"Invalid business ID {record['business_id']} of {record['uid']}")
        fields = {
            **_texts("name", record["name"]),
            "business_id": record.get("business_id") or "",
            "organisation_type": record["type"],
            "website": record.get("website") or "",
            "email": record.get("email") or "",
            **_organises(record.get("organises") or {}, refs),
        }
        m2m = {"sectors": refs.many(refs.sectors, record.get("sectors", []), "sectors")}
        refs.objects[record["uid"]], outcome = _upsert(
            Organisation, {"uid": uuid.UUID(record["uid"])}, fields, m2m
        )
        report.add("organisations", outcome)
    for record in records:  # parents once everybody exists
        org = refs.objects[record["uid"]]
        parent = refs.get(record["parent"]) if record.get("parent") else None
        if org.parent_id != (parent.pk if parent else None):
            org.parent = parent
            org.save(update_fields=["parent"])


def _load_locations(records, services, refs, report):
    # The file gives no owner for a location: it belongs to the organisation whose
    # service uses it first.
    owners = {}
    for service in services:
        for entry in service.get("locations", []):
            owners.setdefault(entry["location"], service["organization"])
    for record in records:
        if record["uid"] not in owners:
            raise DemoDataError(f"No service uses location {record['uid']}, so it has no organisation")
        fields = {
            "organisation_id": refs.get(owners[record["uid"]]).pk,
            **_texts("name", record["name"]),
            "street_address_fi": record["street_address"],
            "postal_code": record["postal_code"],
            "latitude": _coordinate(record.get("latitude")),
            "longitude": _coordinate(record.get("longitude")),
            **_texts("accessibility", record.get("accessibility")),
            **_texts("entrances", record.get("entrances")),
        }
        location, outcome = _upsert(Location, {"uid": uuid.UUID(record["uid"])}, fields)
        if location.municipality is None or location.municipality.code != record["municipality"]:
            raise DemoDataError(
                f"Postal code {record['postal_code']} is not in municipality {record['municipality']}"
            )
        refs.objects[record["uid"]] = location
        report.add("locations", outcome)


def _service_classes(names):
    classes = []
    for name in names:
        code = slugify(name)[:60]
        service_class, _ = _upsert(ServiceClass, {"code": code}, {"name_fi": name})
        classes.append(service_class)
    return classes


def _uid_or_none(value):
    """The uid of an operating model the file names (models_library/demo's `uid`)."""
    return uuid.UUID(value) if value else None


def _load_services(records, situations, refs, report):
    for record in records:
        areas = record.get("areas", {})
        professional = record.get("professional") or {}
        charge = record.get("charge") or {"type": "free"}
        fields = {
            "organisation_id": refs.get(record["organization"]).pk,
            **_texts("name", record["name"]),
            **_texts("summary", record.get("summary")),
            **_texts("description", record.get("description")),
            **_texts("how_to_access", record.get("how_to_access")),
            "status": record.get("status", "active"),
            "minimum_age": record.get("age_min"),
            "maximum_age": record.get("age_max"),
            "charge": charge["type"],
            **_texts("charge_details", charge.get("details")),
            "nationwide": bool(areas.get("whole_country")),
            "is_entry_point": bool(record.get("entry_point")),
            "operating_model_uid": _uid_or_none(record.get("operating_model")),
            **_texts("referral_instructions", professional.get("referral_instructions")),
            **_texts("consultation_instructions", professional.get("consultation_instructions")),
            "professional_phone": professional.get("direct_phone") or "",
        }
        m2m = {
            "sectors": refs.many(refs.sectors, record.get("sectors", []), "sectors"),
            "target_groups": refs.many(refs.target_groups, record.get("target_groups", []), "target groups"),
            "life_situations": refs.many(situations, record.get("life_situations", []), "life situations"),
            "languages": refs.many(refs.languages, record.get("languages", []), "languages"),
            "service_classes": _service_classes(record.get("service_classes", [])),
            "municipalities": refs.many(
                refs.municipalities, areas.get("municipalities", []), "municipalities"
            ),
            "counties": refs.many(
                refs.counties, areas.get("county_codes", []), "wellbeing services counties"
            ),
            "postal_codes": refs.postal_codes(areas.get("postal_codes", [])),
        }
        service, outcome = _upsert(Service, {"uid": uuid.UUID(record["uid"])}, fields, m2m)
        refs.objects[record["uid"]] = service
        if _load_channels(service, record.get("channels", []), report) and outcome == "unchanged":
            outcome = "updated"
        report.add("services", outcome)


def _load_channels(service, channels, report):
    changed = False
    wanted_uids = []
    seen = {}
    for order, channel in enumerate(channels):
        key = (channel["type"], channel.get("value") or "")
        seen[key] = seen.get(key, 0) + 1
        uid = derived_uid(service.uid, "channel", *key, seen[key])
        wanted_uids.append(uid)
        kind, value = channel["type"], channel.get("value") or ""
        call_charge, call_charge_details = (
            _call_charge(channel.get("call_charge")) if kind == "phone" else ("", "")
        )
        fields = {
            "service_id": service.pk,
            "kind": kind,
            **_texts("label", channel.get("label")),
            "phone_number": value if kind == "phone" else "",
            "email": value if kind == "email" else "",
            "url": value if kind not in ("phone", "email") else "",
            "call_charge": call_charge,
            "call_charge_details": call_charge_details,
            "sort_order": order,
            **_hours_fields(channel.get("hours")),
        }
        obj, outcome = _upsert(ServiceChannel, {"uid": uid}, fields)
        hours_changed = _sync_hours(obj, channel.get("hours"))
        report.add("channels", "updated" if hours_changed and outcome == "unchanged" else outcome)
        changed |= outcome != "unchanged" or hours_changed
    stale = ServiceChannel.objects.filter(service=service).exclude(uid__in=wanted_uids)
    if stale.exists():
        stale.delete()
        changed = True
    return changed


def _load_contact_people(records, services, refs, report):
    services_of = {}
    for service in services:
        for contact in service.get("contacts", []):
            services_of.setdefault(contact, []).append(refs.get(service["uid"]))
    for record in records:
        expertise = record.get("expertise") or []
        fields = {
            "organisation_id": refs.get(record["organization"]).pk,
            "name": record["name"],
            **_texts("title", record.get("title")),
            "role": record.get("role") or "",
            "phone": record.get("phone") or "",
            "email": record.get("email") or "",
            **{
                f"expertise_{code}": "\n".join(item[code] for item in expertise if item.get(code))
                for code in LANGUAGE_CODES
            },
        }
        m2m = {"services": services_of.get(record["uid"], [])}
        refs.objects[record["uid"]], outcome = _upsert(
            ContactPerson, {"uid": uuid.UUID(record["uid"])}, fields, m2m
        )
        report.add("contact_people", outcome)


def _load_services_at_locations(services, refs, report):
    for record in services:
        service = refs.get(record["uid"])
        wanted = []
        for entry in record.get("locations", []):
            location = refs.get(entry["location"])
            uid = derived_uid(service.uid, "at", location.uid)
            wanted.append(uid)
            fields = {
                "service_id": service.pk,
                "location_id": location.pk,
                **_hours_fields(entry.get("hours")),
            }
            m2m = {"contact_people": [refs.get(contact) for contact in entry.get("contacts", [])]}
            sal, outcome = _upsert(ServiceAtLocation, {"uid": uid}, fields, m2m)
            if _sync_hours(sal, entry.get("hours")) and outcome == "unchanged":
                outcome = "updated"
            report.add("services_at_locations", outcome)
        ServiceAtLocation.objects.filter(service=service).exclude(uid__in=wanted).delete()


def _load_teams(records, refs, report):
    for record in records:
        members = record.get("members") or []
        if not members:
            raise DemoDataError(f"Team {record['uid']} has no members")
        area = record.get("area") or {}
        fields = {
            # The file names no coordinating organisation: the first member's is taken.
            "organisation_id": refs.get(members[0]["organization"]).pk,
            **_texts("name", record["name"]),
            **_texts("description", record.get("description")),
            "team_type": record["kind"],
            "operating_model_uid": _uid_or_none(record.get("operating_model")),
        }
        m2m = {
            "municipalities": refs.many(
                refs.municipalities, area.get("municipalities", []), "municipalities"
            ),
            "counties": refs.many(refs.counties, area.get("county_codes", []), "wellbeing services counties"),
            "postal_codes": refs.postal_codes(area.get("postal_codes", [])),
            "services": [refs.get(uid) for uid in record.get("services", [])],
        }
        team, outcome = _upsert(Team, {"uid": uuid.UUID(record["uid"])}, fields, m2m)
        wanted = [
            (
                refs.get(member["organization"]).pk,
                *(((member.get("role") or {}).get(code) or "") for code in LANGUAGE_CODES),
                refs.get(member["contact_person"]).pk if member.get("contact_person") else None,
            )
            for member in members
        ]
        member_fields = ("organisation_id", "role_fi", "role_sv", "role_en", "contact_person_id")
        if _sync_children(team, "members", member_fields, wanted) and outcome == "unchanged":
            outcome = "updated"
        report.add("teams", outcome)


@transaction.atomic
def load_directory_demo(path=DEMO_FILE):
    """Load the demo directory. Returns {kind: {"created", "updated", "unchanged"}}."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if data.get("format") != "ovi.directory-demo":
        raise DemoDataError(f"{path} is not an Ovi directory demo file")
    load_vocabularies()
    ensure_directory_groups()
    report = Report()
    refs = Lookups()
    situations = _load_life_situations(data.get("life_situations", []), report)
    _load_organisations(data.get("organizations", []), refs, report)
    _load_locations(data.get("locations", []), data.get("services", []), refs, report)
    _load_services(data.get("services", []), situations, refs, report)
    _load_life_situation_help(data.get("life_situations", []), situations, refs)
    _load_contact_people(data.get("contact_people", []), data.get("services", []), refs, report)
    _load_services_at_locations(data.get("services", []), refs, report)
    _load_teams(data.get("teams", []), refs, report)
    return report.counts


# Pages -------------------------------------------------------------------------------------

PAGE_KEY = derived_uid("directory-index-page")
PAGES = {
    "fi": {
        "slug": "palvelut",
        "title": "Palvelut",
        "intro": "Sosiaali- ja terveyspalvelut, koulujen ja varhaiskasvatuksen tuki, nuorisopalvelut, "
        "työllisyyspalvelut ja järjestöjen toiminta samassa hakemistossa. Valitse kunta, elämäntilanne "
        "tai toimiala ja löydä paikka, johon voit ottaa ensimmäisenä yhteyttä.",
    },
    "sv": {
        "slug": "tjanster",
        "title": "Tjänster",
        "intro": "Social- och hälsovårdstjänster, stöd inom skolan och småbarnspedagogiken, ungdomstjänster, "
        "sysselsättningstjänster och organisationernas verksamhet i samma katalog. Välj kommun, "
        "livssituation eller sektor och hitta stället du kan kontakta först.",
    },
    "en": {
        "slug": "services",
        "title": "Services",
        "intro": "Social and health services, support in schools and early childhood education, youth "
        "services, employment services and NGO activities in one directory. Choose a municipality, a life "
        "situation or a sector and find the place you can contact first.",
    },
}


def ensure_directory_pages(homes):
    """A published DirectoryIndexPage under each home page ({language: HomePage}),
    sharing one translation key. Idempotent; repairs edited or unpublished pages."""
    pages = {}
    for language, home in homes.items():
        wanted = PAGES[language]
        page = DirectoryIndexPage.objects.filter(translation_key=PAGE_KEY, locale=home.locale).first()
        if page is None:
            page = DirectoryIndexPage(translation_key=PAGE_KEY, locale=home.locale, **wanted)
            home.add_child(instance=page)
            page.save_revision().publish()
        elif not page.live or any(getattr(page, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(page, name, value)
            page.save_revision().publish()
        pages[language] = page
    return pages
