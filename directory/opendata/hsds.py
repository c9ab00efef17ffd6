"""Directory records as Open Referral HSDS 3.0 objects: the export files and the
`/api/hsds/` API both come from here.

Public data only. Every text, number and address is taken from the public
representations of directory.presenters (`service_data`, `organisation_data`,
`location_data` with professional=False), once per language. What those dicts
show only as presentation — the full rule set of opening hours (they show this
week's table and today's status) and vocabulary details (a life situation's
description, a service class's broader class) — is read from the same records'
hours.Schedule and from the vocabularies, which hold nothing professional-only.
Contact people, direct numbers and referral or consultation instructions are
never read, so they cannot be written.

Mapping decisions (docs/directory.md, "Open data: HSDS and PTV"):

* `id` is the record's `uid`. Objects Ovi has no uid for (addresses, phones,
  schedules, attributes, taxonomy terms, ...) get a uuid5 derived from what
  identifies them, so the same data always gives the same ids.
* Finnish is the primary language: HSDS fields carry the Finnish text. Swedish
  and English go in `attributes` of the taxonomy "Ovi translations": the term is
  the language, `link_type` names the field, `value` is the text. A translation
  equal to the Finnish text (or missing) is left out; Ovi shows Finnish then.
* Fields HSDS has no place for go in `attributes` of the taxonomy "Ovi fields"
  (term = field name, `value` = the value).
* Sectors, target groups, life situations and service classes are attributes
  linking to terms of their own taxonomies.
* A channel (phone line, e-mail, web page, e-service, chat, remote appointment)
  is a `service_at_location` at a *virtual* location, so it keeps its own
  opening hours; its phone is also listed in the service's `phones`, the first
  web address and e-mail in the service's `url` and `email`.
* Output is deterministic: lists of objects are sorted by id (channels keep
  their order in an `sort_order` field) and files are written with sorted keys.
"""

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Prefetch
from django.utils import translation

from directory import hours as hours_lib
from directory import presenters
from directory.choices import CallCharge, Charge
from directory.models import Location, Municipality, Organisation, Service, ServiceAtLocation
from directory.serializers import to_json
from search.localization import LANGUAGE_CODES, OTHER_LANGUAGES

from .importing import VOCABULARIES, progress

HSDS_NAMESPACE = uuid.UUID("6b0f3c1e-8a4d-4f7b-9c2e-5d1a7e3b9f60")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def derived_id(*parts):
    """A stable uuid5 for something Ovi keeps no uid for."""
    return str(uuid.uuid5(HSDS_NAMESPACE, "/".join("" if part is None else str(part) for part in parts)))


@dataclass(frozen=True)
class Taxonomy:
    code: str
    name: str
    description: str

    @property
    def id(self):
        return derived_id("taxonomy", self.code)

    def as_hsds(self):
        return {"id": self.id, "name": self.name, "description": self.description}


SECTOR = Taxonomy(
    "sector",
    "Ovi: sectors",
    "Administrative sectors of the services and organisations (social services, health care, "
    "school and pupil welfare, youth services, ...). Terms are keyed by slug.",
)
TARGET_GROUP = Taxonomy(
    "target_group", "Ovi: target groups", "Who a service is for. Terms are keyed by slug."
)
LIFE_SITUATION = Taxonomy(
    "life_situation",
    "Ovi: life situations",
    "What a resident starts from (elämäntilanne), such as worry about a child. Terms are keyed by slug.",
)
SERVICE_CLASS = Taxonomy(
    "service_class",
    "Ovi: service classes",
    "Service classes of the national classification used by Suomi.fi (palveluluokitus), keyed by code.",
)
FIELD = Taxonomy(
    "ovi_field",
    "Ovi fields",
    "Fields of the Ovi directory that HSDS 3.0 has no place for. The term is the field, the attribute's "
    "value is the field's value (Finnish where it is text).",
)
TRANSLATION = Taxonomy(
    "translation",
    "Ovi translations",
    "A text of the linked object in another language: the term is the language (ISO 639-1), the "
    "attribute's link_type names the field, its value is the text. The object's own field is in Finnish.",
)
VOCABULARY_TAXONOMIES = (SECTOR, TARGET_GROUP, LIFE_SITUATION, SERVICE_CLASS)
TAXONOMIES = (*VOCABULARY_TAXONOMIES, FIELD, TRANSLATION)

FIELDS = {
    "summary": "Short summary of a service.",
    "entry_point": "'true' when the service is a one door: a place a resident can contact first.",
    "operating_model": "uid of the operating model the service follows in Ovi's models library.",
    "organisation_type": "municipality, wellbeing_county, state, ngo, parish, education_provider or company.",
    "municipality": "Official code of the organisation's home municipality.",
    "area": "An area the service serves: country:FI, county:<code>, municipality:<code> or postal_code:<code>.",
    "channel_kind": "What a virtual location stands for: phone, email, web, eservice, chat or remote.",
    "sort_order": "Position of a channel among the service's channels, 0 first.",
    "email": "E-mail address of a channel or of a service at a location.",
    "call_charge": "What a call costs: free, network (local or mobile network charge) or service_number.",
    "call_charge_details": "Price of a service number call.",
    "hours_mode": "weekly, always_open or by_appointment.",
    "closed_on_public_holidays": "'true' when Finnish public holidays close the weekly hours.",
    "hours_note": "A note on the opening hours.",
    "exception": "'closed' or 'open': the schedule is a dated exception to the weekly hours.",
    "always_open": "'true' on the schedule that stands for 'always open'.",
}
LANGUAGE_NAMES = {"fi": "suomi (Finnish)", "sv": "svenska (Swedish)", "en": "English"}

AREA_KINDS = {
    "country": "Koko maa",
    "county": "Hyvinvointialue",
    "municipality": "Kunta",
    "postal_code": "Postinumeroalue",
}
BY_APPOINTMENT_TEXT = "Ajanvarauksella"
ALWAYS_OPEN_TEXT = "Aina avoinna"
CLOSED_TEXT = "Suljettu"
OTHER_HOURS_TEXT = "Poikkeavat aukioloajat"


def term_id(taxonomy_code, code, language="fi"):
    parts = ["taxonomy", taxonomy_code, "term", code]
    return derived_id(*parts) if language == "fi" else derived_id(*parts, language)


def term(taxonomy, code, name, description="", *, language="fi", parent_code=""):
    obj = {
        "id": term_id(taxonomy.code, code, language),
        "code": code,
        "name": name,
        "description": description or "",
        "language": language,
        "taxonomy": taxonomy.name,
        "taxonomy_id": taxonomy.id,
    }
    if parent_code:
        obj["parent_id"] = term_id(taxonomy.code, parent_code)
    return obj


def field_term(name):
    return term(FIELD, name, name, FIELDS[name])


def translation_term(language):
    return term(TRANSLATION, language, LANGUAGE_NAMES[language])


def attribute(link_entity, link_id, term_obj, link_type, value=None):
    # The embedded term is kept short (taxonomy_terms.json and /api/hsds/taxonomy_terms
    # have the whole term): every attribute repeats it.
    short_term = {key: term_obj[key] for key in ("id", "code", "name", "taxonomy_id")}
    obj = {
        "id": derived_id("attribute", link_id, term_obj["id"], link_type),
        "link_entity": link_entity,
        "link_id": link_id,
        "link_type": link_type,
        "taxonomy_term_id": term_obj["id"],
        "taxonomy_term": {**short_term, "description": ""},
    }
    if value not in (None, ""):
        obj["value"] = value
    return obj


def field_attribute(link_entity, link_id, name, value):
    """An "Ovi fields" attribute, or None for an empty value."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    if value in (None, ""):
        return None
    return attribute(link_entity, link_id, field_term(name), FIELD.code, str(value))


def translation_attributes(link_entity, link_id, field, texts):
    """Swedish and English of `field` where they exist and differ from the Finnish."""
    finnish = texts.get("fi") or ""
    return [
        attribute(link_entity, link_id, translation_term(language), field, texts[language])
        for language in OTHER_LANGUAGES
        if texts.get(language) and texts[language] != finnish
    ]


def put(obj, key, value):
    if value not in (None, ""):
        obj[key] = value


def by_id(items):
    return sorted((item for item in items if item is not None), key=lambda item: item["id"])


def hhmm(value):
    return value.strftime("%H:%M")


def iso(value):
    return value.isoformat() if value is not None else None


def dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# Querysets ----------------------------------------------------------------------------------------


def public_services():
    """The services residents see (active and temporarily closed), with what
    service_data() needs prefetched."""
    return presenters.prefetch_service(Service.objects.public()).order_by("uid")


def public_services_with_locations():
    """public_services() with what location_object() reads of their locations prefetched
    too (the location's organisation, hours, services and teams), for the API: a page of
    20 services made about 500 queries, one per location and per service at it. The
    export does not need it: it builds every location with the organisations first."""
    return public_services().prefetch_related(
        "service_at_locations__location__organisation",
        Prefetch(
            "service_at_locations__location__service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("service").prefetch_related(
                "weekly_hours", "hours_exceptions"
            ),
        ),
        "service_at_locations__location__teams",
    )


def locations_prefetched():
    return Location.objects.select_related("organisation", "municipality").prefetch_related(
        "weekly_hours", "hours_exceptions", "service_at_locations__service", "teams"
    )


def organisations():
    return (
        Organisation.objects.select_related("parent", "municipality")
        .prefetch_related(
            "sectors", "children", "services", Prefetch("locations", queryset=locations_prefetched())
        )
        .order_by("uid")
    )


# Serialiser ---------------------------------------------------------------------------------------


class HsdsSerializer:
    """Builds HSDS objects; keeps the location objects it made, since many services
    share a location. One per export or API request."""

    def __init__(self):
        self._locations = {}
        self._vocabulary = {
            taxonomy: {getattr(obj, key): obj for obj in model.objects.select_related(*self._related(model))}
            for taxonomy, (model, key, _relation) in VOCABULARIES.items()
        }
        self._regions = {m.code: m.region.name_fi for m in Municipality.objects.select_related("region")}
        with translation.override("fi"):
            self._call_charges = {str(label): value for value, label in CallCharge.choices}
            self._free_label = str(Charge.FREE.label)

    @staticmethod
    def _related(model):
        return ["parent"] if any(f.name == "parent" for f in model._meta.fields) else []

    @staticmethod
    def _represent(function, record):
        """The public representation in each language, as JSON-ready dicts."""
        out = {}
        for language in LANGUAGE_CODES:
            with translation.override(language):
                out[language] = to_json(function(record, professional=False))
        return out

    # Vocabularies ---------------------------------------------------------------------------------

    def vocabulary_term(self, taxonomy, code, language="fi"):
        obj = self._vocabulary[taxonomy.code].get(code)
        if obj is None:  # a term added since this serialiser started
            model, key, _relation = VOCABULARIES[taxonomy.code]
            obj = self._vocabulary[taxonomy.code][code] = model.objects.get(**{key: code})
        parent = getattr(obj, "parent", None)
        return term(
            taxonomy,
            code,
            getattr(obj, f"name_{language}", "") or "",
            getattr(obj, f"description_{language}", "") or "",
            language=language,
            parent_code=parent.code if parent is not None else "",
        )

    def _vocabulary_attributes(self, link_entity, link_id, representation, keys):
        attributes = []
        for taxonomy, list_key, code_key in keys:
            for item in representation[list_key]:
                term_obj = self.vocabulary_term(taxonomy, item[code_key])
                attributes.append(attribute(link_entity, link_id, term_obj, taxonomy.code))
        return attributes

    # Opening hours --------------------------------------------------------------------------------

    def _hours_attributes(self, link_entity, link_id, hours_by_language):
        """The owner's hours settings; hours_by_language: the public `hours` dicts."""
        fi = hours_by_language["fi"]
        if fi is None:
            return []
        return [
            field_attribute(link_entity, link_id, "hours_mode", fi["mode"]),
            field_attribute(
                link_entity, link_id, "closed_on_public_holidays", fi["closed_on_public_holidays"]
            ),
            field_attribute(link_entity, link_id, "hours_note", fi["note"]),
            *translation_attributes(
                link_entity,
                link_id,
                "hours_note",
                {code: (hours or {}).get("note") for code, hours in hours_by_language.items()},
            ),
        ]

    def _schedules(self, schedule, owner_key, links):
        """HSDS schedules of an hours.Schedule: one per group of weekdays with the
        same hours, one per dated exception, and one standing for "always open"."""
        schedules = []
        if schedule.mode == hours_lib.ALWAYS_OPEN:
            sid = derived_id(owner_key, "always-open")
            schedules.append(
                {
                    "id": sid,
                    **links,
                    "freq": "WEEKLY",
                    "wkst": "MO",
                    "byday": ",".join(WEEKDAY_CODES),
                    "opens_at": "00:00",
                    "closes_at": "00:00",
                    "description": ALWAYS_OPEN_TEXT,
                    "attributes": [field_attribute("schedule", sid, "always_open", True)],
                }
            )
        groups = {}
        for rule in schedule.rules:
            groups.setdefault((rule.opens, rule.closes, rule.valid_from, rule.valid_to), set()).add(
                rule.weekday
            )
        for (opens, closes, valid_from, valid_to), weekdays in groups.items():
            item = {
                "id": derived_id(owner_key, "weekly", opens, closes, valid_from, valid_to),
                **links,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": ",".join(WEEKDAY_CODES[day] for day in sorted(weekdays)),
                "opens_at": hhmm(opens),
                "closes_at": hhmm(closes),
            }
            put(item, "valid_from", iso(valid_from))
            put(item, "valid_to", iso(valid_to))
            if schedule.mode == hours_lib.BY_APPOINTMENT:
                item["attending_type"] = BY_APPOINTMENT_TEXT
            schedules.append(item)
        for exception in schedule.exceptions:
            end = exception.date_to or exception.date_from
            sid = derived_id(
                owner_key,
                "exception",
                exception.date_from,
                end,
                exception.closed,
                exception.opens,
                exception.closes,
            )
            item = {
                "id": sid,
                **links,
                "valid_from": iso(exception.date_from),
                "valid_to": iso(end),
                "dtstart": iso(exception.date_from),
                "until": iso(end),
                "description": CLOSED_TEXT if exception.closed else OTHER_HOURS_TEXT,
                "attributes": by_id(
                    [
                        field_attribute(
                            "schedule", sid, "exception", "closed" if exception.closed else "open"
                        ),
                        *translation_attributes("schedule", sid, "notes", exception.labels),
                    ]
                ),
            }
            put(item, "notes", exception.labels.get("fi"))
            if not exception.closed:
                item["opens_at"] = hhmm(exception.opens)
                item["closes_at"] = hhmm(exception.closes)
            schedules.append(item)
        return by_id(schedules)

    # Locations ------------------------------------------------------------------------------------

    def location_object(self, location):
        key = str(location.uid)
        if key not in self._locations:
            self._locations[key] = self._build_location(location)
        return self._locations[key]

    def _build_location(self, location):
        rep = self._represent(presenters.location_data, location)
        fi = rep["fi"]
        uid = fi["uid"]

        def texts(key):
            return {code: rep[code][key] for code in LANGUAGE_CODES}

        obj = {
            "id": uid,
            "location_type": "physical",
            "organization_id": fi["organisation"]["uid"],
            "name": fi["name"],
        }
        put(obj, "description", fi["description"])
        put(obj, "transportation", fi["transportation"])
        put(obj, "latitude", fi["latitude"])
        put(obj, "longitude", fi["longitude"])
        municipality = fi["municipality"] or {}
        address_id = derived_id(uid, "address")
        obj["addresses"] = [
            {
                "id": address_id,
                "location_id": uid,
                "address_1": fi["street_address"],
                "city": fi["post_office"] or municipality.get("name", ""),
                "state_province": self._regions.get(municipality.get("code"), ""),
                "postal_code": fi["postal_code"],
                "country": "FI",
                "address_type": "physical",
                "attributes": by_id(
                    translation_attributes("address", address_id, "address_1", texts("street_address"))
                ),
            }
        ]
        if fi["accessibility"] or fi["entrances"] or fi["accessibility_url"]:
            accessibility_id = derived_id(uid, "accessibility")
            accessibility = {
                "id": accessibility_id,
                "location_id": uid,
                "attributes": by_id(
                    [
                        *translation_attributes(
                            "accessibility", accessibility_id, "description", texts("accessibility")
                        ),
                        *translation_attributes(
                            "accessibility", accessibility_id, "details", texts("entrances")
                        ),
                    ]
                ),
            }
            put(accessibility, "description", fi["accessibility"])
            put(accessibility, "details", fi["entrances"])
            put(accessibility, "url", fi["accessibility_url"])
            obj["accessibility"] = [accessibility]
        attributes = [
            *translation_attributes("location", uid, "name", texts("name")),
            *translation_attributes("location", uid, "description", texts("description")),
            *translation_attributes("location", uid, "transportation", texts("transportation")),
        ]
        if fi["hours"] is not None:
            obj["schedules"] = self._schedules(location.schedule(), uid, {"location_id": uid})
            attributes += self._hours_attributes("location", uid, texts("hours"))
        obj["attributes"] = by_id(attributes)
        return obj

    # Organisations --------------------------------------------------------------------------------

    def organization_object(self, org):
        rep = self._represent(presenters.organisation_data, org)
        fi = rep["fi"]
        uid = fi["uid"]

        def texts(key):
            return {code: rep[code][key] for code in LANGUAGE_CODES}

        obj = {"id": uid, "name": fi["name"], "description": fi["description"] or ""}
        put(obj, "email", fi["email"])
        put(obj, "website", fi["website"])
        if fi["parent"]:
            obj["parent_organization_id"] = fi["parent"]["uid"]
        if fi["business_id"]:
            obj["organization_identifiers"] = [
                {
                    "id": derived_id(uid, "business-id"),
                    "organization_id": uid,
                    "identifier_scheme": "FI-PRO",
                    "identifier_type": "Y-tunnus (Finnish Business ID)",
                    "identifier": fi["business_id"],
                }
            ]
        obj["attributes"] = by_id(
            [
                *translation_attributes("organization", uid, "name", texts("name")),
                *translation_attributes("organization", uid, "description", texts("description")),
                field_attribute("organization", uid, "organisation_type", fi["organisation_type"]),
                field_attribute("organization", uid, "municipality", (fi["municipality"] or {}).get("code")),
                *self._vocabulary_attributes("organization", uid, fi, [(SECTOR, "sectors", "slug")]),
            ]
        )
        obj["locations"] = by_id(self.location_object(location) for location in org.locations.all())
        obj["services"] = by_id(
            {
                "id": service["uid"],
                "name": service["name"],
                "status": service["status"],
                "organization_id": uid,
            }
            for service in fi["services"]
        )
        return obj

    # Services -------------------------------------------------------------------------------------

    def service_object(self, service):
        rep = self._represent(presenters.service_data, service)
        fi = rep["fi"]
        uid = fi["uid"]
        organisation_uid = fi["organisation"]["uid"]

        def texts(getter):
            return {code: getter(rep[code]) for code in LANGUAGE_CODES}

        obj = {"id": uid, "organization_id": organisation_uid, "name": fi["name"], "status": fi["status"]}
        put(obj, "description", fi["description"])
        put(obj, "application_process", fi["how_to_access"])
        put(obj, "fees_description", fi["charge"]["details"])
        put(obj, "minimum_age", fi["age"]["minimum"])
        put(obj, "maximum_age", fi["age"]["maximum"])
        put(obj, "assured_date", fi["last_verified_on"])
        put(obj, "last_modified", fi["updated_at"])

        attributes = [
            *translation_attributes("service", uid, "name", texts(lambda r: r["name"])),
            *translation_attributes("service", uid, "description", texts(lambda r: r["description"])),
            *translation_attributes(
                "service", uid, "application_process", texts(lambda r: r["how_to_access"])
            ),
            *translation_attributes(
                "service", uid, "fees_description", texts(lambda r: r["charge"]["details"])
            ),
            field_attribute("service", uid, "summary", fi["summary"]),
            *translation_attributes("service", uid, "summary", texts(lambda r: r["summary"])),
            field_attribute("service", uid, "entry_point", fi["is_entry_point"]),
            # The stored link, as kept across export and import (not only a public model's).
            field_attribute("service", uid, "operating_model", service.operating_model_uid),
            *self._vocabulary_attributes(
                "service",
                uid,
                fi,
                [
                    (SECTOR, "sectors", "slug"),
                    (TARGET_GROUP, "target_groups", "slug"),
                    (LIFE_SITUATION, "life_situations", "slug"),
                    (SERVICE_CLASS, "service_classes", "code"),
                ],
            ),
        ]
        obj["attributes"] = by_id(attributes)
        obj["languages"] = by_id(
            {
                "id": derived_id(uid, "language", language["code"]),
                "service_id": uid,
                "code": language["code"],
                "name": language["name"],
            }
            for language in fi["languages"]
        )
        obj["service_areas"] = self._service_areas(uid, fi["area"])
        cost_option = {
            "id": derived_id(uid, "cost-option"),
            "service_id": uid,
            "option": fi["charge"]["label"],
            "currency": "EUR",
        }
        if fi["charge"]["type"] == Charge.FREE:
            cost_option["amount"] = 0
        obj["cost_options"] = [cost_option]

        channels = {str(channel.uid): channel for channel in service.channels.all()}
        sals = {str(sal.uid): sal for sal in service.service_at_locations.all()}
        entries, phones = [], []
        for index, channel in enumerate(fi["channels"]):
            entry, phone = self._channel_entry(uid, organisation_uid, index, rep, channels[channel["uid"]])
            entries.append(entry)
            phones += [phone] if phone else []
        for index, located in enumerate(fi["locations"]):
            entries.append(self._located_entry(uid, index, rep, sals[located["uid"]]))
        obj["service_at_locations"] = by_id(entries)
        obj["phones"] = by_id(phones)
        put(
            obj,
            "url",
            next((c["url"] for c in fi["channels"] if c["kind"] in ("web", "eservice") and c["url"]), None),
        )
        put(obj, "email", next((c["email"] for c in fi["channels"] if c["email"]), None))
        return obj

    def _service_areas(self, uid, area):
        entries = []
        if area["nationwide"]:
            entries.append(("country", "FI", "Suomi"))
        entries += [("county", item["code"], item["name"]) for item in area["counties"]]
        entries += [("municipality", item["code"], item["name"]) for item in area["municipalities"]]
        entries += [
            ("postal_code", item["code"], f"{item['code']} {item['name']}") for item in area["postal_codes"]
        ]
        areas = []
        for kind, code, name in entries:
            value = f"{kind}:{code}"
            area_id = derived_id(uid, "area", value)
            areas.append(
                {
                    "id": area_id,
                    "service_id": uid,
                    "name": name,
                    "description": AREA_KINDS[kind],
                    "attributes": [field_attribute("service_area", area_id, "area", value)],
                }
            )
        return by_id(areas)

    def _phone(self, phone_id, links, number, call_charge, call_charge_label, details=""):
        phone = {"id": phone_id, **links, "number": number, "type": "voice"}
        put(phone, "description", ": ".join(part for part in (call_charge_label, details) if part))
        phone["attributes"] = by_id(
            [
                field_attribute("phone", phone_id, "call_charge", call_charge),
                field_attribute("phone", phone_id, "call_charge_details", details),
            ]
        )
        return phone

    def _channel_entry(self, service_uid, organisation_uid, index, rep, channel_record):
        """A channel as a service_at_location at a virtual location (and its phone)."""
        fi = rep["fi"]["channels"][index]
        cid = fi["uid"]
        location_id = derived_id(cid, "virtual-location")
        labels = {code: rep[code]["channels"][index]["label"] for code in LANGUAGE_CODES}
        location = {
            "id": location_id,
            "location_type": "virtual",
            "organization_id": organisation_uid,
            "name": labels["fi"] or fi["kind_label"],
            "attributes": by_id(translation_attributes("location", location_id, "name", labels)),
        }
        put(location, "url", fi["url"])
        entry = {"id": cid, "service_id": service_uid, "location_id": location_id, "location": location}
        attributes = [
            field_attribute("service_at_location", cid, "channel_kind", fi["kind"]),
            field_attribute("service_at_location", cid, "sort_order", index),
            field_attribute("service_at_location", cid, "email", fi["email"]),
        ]
        phone = None
        if fi["phone_number"]:
            links = {"service_id": service_uid, "service_at_location_id": cid}
            phone = self._phone(
                derived_id(cid, "phone"),
                links,
                fi["phone_number"],
                fi["call_charge"],
                fi["call_charge_label"],
                fi["call_charge_details"],
            )
            entry["phones"] = [phone]
        if fi["hours"] is not None:
            entry["schedules"] = self._schedules(
                channel_record.schedule(), cid, {"service_id": service_uid, "service_at_location_id": cid}
            )
            attributes += self._hours_attributes(
                "service_at_location",
                cid,
                {code: rep[code]["channels"][index]["hours"] for code in LANGUAGE_CODES},
            )
        entry["attributes"] = by_id(attributes)
        return entry, phone

    def _located_entry(self, service_uid, index, rep, sal_record):
        fi = rep["fi"]["locations"][index]
        sid = fi["uid"]
        location = self.location_object(sal_record.location)
        entry = {"id": sid, "service_id": service_uid, "location_id": location["id"], "location": location}
        put(entry, "description", fi["description"])
        attributes = [
            *translation_attributes(
                "service_at_location",
                sid,
                "description",
                {code: rep[code]["locations"][index]["description"] for code in LANGUAGE_CODES},
            ),
            field_attribute("service_at_location", sid, "email", fi["email"]),
        ]
        if fi["phone_number"]:
            links = {"service_id": service_uid, "service_at_location_id": sid}
            call_charge = self._call_charges.get(fi["call_charge_label"], "")
            entry["phones"] = [
                self._phone(
                    derived_id(sid, "phone"), links, fi["phone_number"], call_charge, fi["call_charge_label"]
                )
            ]
        if sal_record.has_hours:  # its own hours; otherwise the location's apply
            entry["schedules"] = self._schedules(
                sal_record.schedule(), sid, {"service_id": service_uid, "service_at_location_id": sid}
            )
            attributes += self._hours_attributes(
                "service_at_location",
                sid,
                {code: rep[code]["locations"][index]["hours"] for code in LANGUAGE_CODES},
            )
        entry["attributes"] = by_id(attributes)
        return entry

    def service_at_location_objects(self, service_obj):
        """The compiled service_at_location objects of a service object: each entry
        with its service (without the entries) and its location."""
        service = {key: value for key, value in service_obj.items() if key != "service_at_locations"}
        return [{**entry, "service": service} for entry in service_obj["service_at_locations"]]

    # Taxonomies -----------------------------------------------------------------------------------

    @staticmethod
    def taxonomy_objects():
        return [taxonomy.as_hsds() for taxonomy in TAXONOMIES]

    def taxonomy_term_objects(self):
        """Every term, taxonomy by taxonomy in the vocabularies' own order; each
        vocabulary term in Finnish followed by its Swedish and English versions
        (same code, `language` set)."""
        terms = []
        for taxonomy in VOCABULARY_TAXONOMIES:
            model, key, _relation = VOCABULARIES[taxonomy.code]
            for obj in model.objects.select_related(*self._related(model)):
                code = getattr(obj, key)
                self._vocabulary[taxonomy.code].setdefault(code, obj)
                terms.append(self.vocabulary_term(taxonomy, code))
                terms += [
                    self.vocabulary_term(taxonomy, code, language)
                    for language in OTHER_LANGUAGES
                    if getattr(obj, f"name_{language}", "")
                ]
        terms += [field_term(name) for name in FIELDS]
        terms += [translation_term(language) for language in LANGUAGE_CODES]
        return terms


# Export -------------------------------------------------------------------------------------------


def export_hsds(directory, stream=None):
    """Write organizations.json, services.json, taxonomies.json and
    taxonomy_terms.json to `directory`. Returns {file name: number of objects}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    serializer = HsdsSerializer()
    orgs = organisations()
    services = public_services()
    data = {
        "organizations.json": by_id(
            serializer.organization_object(org) for org in progress(orgs, "organisations", stream)
        ),
        "services.json": by_id(
            serializer.service_object(service) for service in progress(services, "services", stream)
        ),
        "taxonomies.json": serializer.taxonomy_objects(),
        "taxonomy_terms.json": serializer.taxonomy_term_objects(),
    }
    for name, objects in data.items():
        (directory / name).write_text(dumps(objects), encoding="utf-8")
    return {name: len(objects) for name, objects in data.items()}
