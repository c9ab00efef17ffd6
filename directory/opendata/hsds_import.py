"""Reading HSDS 3.0 files, as export_hsds writes them, into import plans.

DIR/organizations.json and DIR/services.json are required (a JSON list of
compiled objects, or an HSDS page with `contents`); DIR/taxonomy_terms.json is
read when present, for the Swedish and English names of vocabulary terms. Each
object is read by hsds.py's mapping in reverse. Anything HSDS allows that Ovi
has no place for (contacts, funding, programs, required documents, attributes
of unknown taxonomies) is ignored; contacts in particular are never imported
from a public file.

Records are matched by `id` (= Ovi `uid`); see importing.py for how plans are
checked and written.
"""

import datetime
import uuid
from pathlib import Path

from django.utils import timezone, translation

from directory.choices import CallCharge, ChannelKind, Charge, HoursMode, OrganisationType, ServiceStatus
from directory.models import Location, Organisation, Service, ServiceAtLocation, ServiceChannel
from directory.validators import is_valid_business_id, normalise_business_id
from search.localization import LANGUAGE_CODES, OTHER_LANGUAGES

from .hsds import FIELD, FIELDS, TAXONOMIES, TRANSLATION, WEEKDAY_CODES, term_id
from .importing import (
    VOCABULARIES,
    Batch,
    ChannelPlan,
    HoursPlan,
    ImportFileError,
    LocationPlan,
    OrganisationPlan,
    RecordError,
    RecordRef,
    SalPlan,
    ServicePlan,
    TermPlan,
    check_fields,
    latitude,
    longitude,
    progress,
    read_list,
    run_import,
)

TAXONOMY_BY_ID = {taxonomy.id: taxonomy for taxonomy in TAXONOMIES}
SERVICE_VOCABULARIES = {taxonomy: relation for taxonomy, (_m, _k, relation) in VOCABULARIES.items()}


def import_hsds(directory, *, skip_invalid=False, stream=None):
    """Import DIR/organizations.json and DIR/services.json (and DIR/taxonomy_terms.json
    when there). Raises ImportFileError when a file cannot be read at all."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ImportFileError(f"{directory}: not a directory")
    files = {
        "organizations.json": read_list(
            directory / "organizations.json", "HSDS organization objects", "contents"
        ),
        "services.json": read_list(directory / "services.json", "HSDS service objects", "contents"),
    }
    terms_path = directory / "taxonomy_terms.json"
    files["taxonomy_terms.json"] = (
        read_list(terms_path, "HSDS taxonomy_term objects", "contents") if terms_path.exists() else []
    )

    def read(reference, report, stream):
        return HsdsReader(reference, report, stream).read(files)

    return run_import(read, skip_invalid=skip_invalid, stream=stream)


def _operating_model_uid(value):
    """The operating model a service follows is named by its uid (Ovi field operating_model)."""
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        raise RecordError(f"operating_model: {value!r} is not the uid of an operating model") from None


# Typed access to JSON -----------------------------------------------------------------------------


class Obj:
    """One JSON object; every accessor checks the type and names the field on error."""

    def __init__(self, data, path=""):
        if not isinstance(data, dict):
            raise RecordError(f"{path or 'record'}: expected a JSON object")
        self.data = data
        self.path = path

    def _name(self, key):
        return f"{self.path}.{key}" if self.path else key

    def text(self, key, required=False):
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                raise RecordError(f"{self._name(key)} is missing")
            return ""
        if not isinstance(value, str):
            raise RecordError(f"{self._name(key)}: expected text")
        return value

    def uuid(self, key, required=False):
        value = self.text(key, required)
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise RecordError(f"{self._name(key)}: {value!r} is not a UUID") from None

    def number(self, key):
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RecordError(f"{self._name(key)}: expected a number")
        return value

    def date(self, key):
        value = self.text(key)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            raise RecordError(f"{self._name(key)}: {value!r} is not a date (YYYY-MM-DD)") from None

    def moment(self, key):
        value = self.text(key)
        if not value:
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(f"{self._name(key)}: {value!r} is not a date and time") from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)

    def time(self, key):
        value = self.text(key)
        if not value:
            return None
        try:
            moment = datetime.time.fromisoformat(value)
        except ValueError:
            raise RecordError(f"{self._name(key)}: {value!r} is not a time (HH:MM)") from None
        if moment.tzinfo is not None:
            raise RecordError(
                f"{self._name(key)}: times with a time zone are not supported (Ovi keeps local time)"
            )
        return moment

    def objects(self, key):
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise RecordError(f"{self._name(key)}: expected a list")
        return [Obj(item, f"{self._name(key)}[{index}]") for index, item in enumerate(value)]

    def object(self, key):
        value = self.data.get(key)
        return None if value is None else Obj(value, self._name(key))


# Attributes ---------------------------------------------------------------------------------------


class TermIndex:
    """Term id -> (taxonomy code, term code) for Ovi's taxonomies."""

    def __init__(self):
        self.by_id = {term_id(FIELD.code, name): (FIELD.code, name) for name in FIELDS}
        self.by_id.update(
            {term_id(TRANSLATION.code, code): (TRANSLATION.code, code) for code in LANGUAGE_CODES}
        )

    def add(self, term):
        taxonomy = TAXONOMY_BY_ID.get(term.text("taxonomy_id"))
        code = term.text("code")
        term_uuid = term.text("id")
        if taxonomy and code and term_uuid:
            self.by_id.setdefault(term_uuid, (taxonomy.code, code))
        return taxonomy, code

    def resolve(self, attribute):
        found = self.by_id.get(attribute.text("taxonomy_term_id"))
        if found is None and attribute.object("taxonomy_term") is not None:
            taxonomy, code = self.add(attribute.object("taxonomy_term"))
            found = (taxonomy.code, code) if taxonomy and code else None
        return found


class Attributes:
    """The Ovi attributes of one object: fields, translations and vocabulary terms."""

    def __init__(self, obj, terms):
        self.fields, self.translations, self.vocabulary, self.embedded = {}, {}, {}, {}
        for item in obj.objects("attributes"):
            found = terms.resolve(item)
            if found is None:
                continue  # a taxonomy Ovi does not know: not ours to import
            taxonomy, code = found
            if taxonomy == FIELD.code:
                self.fields[code] = item.text("value")
            elif taxonomy == TRANSLATION.code:
                self.translations[(item.text("link_type"), code)] = item.text("value")
            else:
                self.vocabulary.setdefault(taxonomy, []).append(code)
                if item.object("taxonomy_term") is not None:
                    self.embedded[(taxonomy, code)] = item.object("taxonomy_term")

    def field(self, name):
        return self.fields.get(name, "")

    def flag(self, name, default=False):
        value = self.fields.get(name)
        if value in (None, ""):
            return default
        if value not in ("true", "false"):
            raise RecordError(f"{name}: expected 'true' or 'false', got {value!r}")
        return value == "true"

    def texts(self, field, finnish):
        """{"fi": .., "sv": .., "en": ..} of a field whose Finnish text is `finnish`."""
        return {"fi": finnish, **{code: self.translations.get((field, code), "") for code in OTHER_LANGUAGES}}


def localized(prefix, texts):
    return {f"{prefix}_{code}": texts.get(code, "") for code in LANGUAGE_CODES}


# Reader -------------------------------------------------------------------------------------------


class HsdsReader:
    def __init__(self, reference, report, stream=None):
        self.reference = reference
        self.report = report
        self.stream = stream
        self.terms = TermIndex()
        self.term_plans = {}
        self.locations = {}  # uid -> LocationPlan (first description wins)
        self.location_refs = {}
        with translation.override("fi"):
            self.kind_labels = {str(label): value for value, label in ChannelKind.choices}

    def read(self, files):
        batch = Batch()
        self._read_terms(files["taxonomy_terms.json"])
        seen = set()
        for index, data in enumerate(progress(files["organizations.json"], "organisations", self.stream), 1):
            ref = RecordRef("organisation", index, _id_of(data), "organizations.json")
            try:
                plan = self.organisation(Obj(data), ref)
                if plan.uid in seen:
                    raise RecordError("the same id appears twice in the file")
                seen.add(plan.uid)
                batch.organisations.append(plan)
            except RecordError as error:
                ref.reject(self.report, str(error))
        seen = set()
        for index, data in enumerate(progress(files["services.json"], "services", self.stream), 1):
            ref = RecordRef("service", index, _id_of(data), "services.json")
            try:
                plan = self.service(Obj(data), ref)
                if plan.uid in seen:
                    raise RecordError("the same id appears twice in the file")
                seen.add(plan.uid)
                batch.services.append(plan)
            except RecordError as error:
                ref.reject(self.report, str(error))
        batch.locations = list(self.locations.values())
        batch.terms = list(self.term_plans.values())
        return batch

    # Terms ----------------------------------------------------------------------------------------

    def _read_terms(self, records):
        parents = []
        positions = {}
        for index, data in enumerate(records, 1):
            ref = RecordRef("taxonomy term", index, _id_of(data), "taxonomy_terms.json")
            try:
                term = Obj(data)
                term.uuid("id", required=True)
                name = term.text("name", required=True)
                taxonomy, code = self.terms.add(term)
                if taxonomy is None or taxonomy.code not in VOCABULARIES:
                    continue  # Ovi's field and translation terms, or another publisher's taxonomy
                if not code:
                    raise RecordError("code is missing")
                language = term.text("language") or "fi"
                if language not in LANGUAGE_CODES:
                    continue
                model = VOCABULARIES[taxonomy.code][0]
                check_fields(model, {f"name_{language}": name, VOCABULARIES[taxonomy.code][1]: code})
                key = (taxonomy.code, code)
                if key not in self.term_plans:
                    positions[taxonomy.code] = positions.get(taxonomy.code, -1) + 1
                    self.term_plans[key] = TermPlan(
                        taxonomy.code, code, {}, {}, position=positions[taxonomy.code]
                    )
                plan = self.term_plans[key]
                plan.names[language] = name
                plan.descriptions[language] = term.text("description")
                if term.text("parent_id"):
                    parents.append((plan, term.text("parent_id")))
            except RecordError as error:
                ref.reject(self.report, str(error))
        for plan, parent_id in parents:
            found = self.terms.by_id.get(parent_id)
            if found and found[0] == plan.taxonomy:
                plan.parent_code = found[1]

    def _vocabulary_codes(self, attributes, taxonomy):
        """Codes of a vocabulary; a term neither stored nor in taxonomy_terms.json is
        created from the attribute's own term when that names it."""
        codes = []
        for code in attributes.vocabulary.get(taxonomy, []):
            key = (taxonomy, code)
            embedded = attributes.embedded.get(key)
            if (
                code not in self.reference.vocab[taxonomy]
                and key not in self.term_plans
                and embedded is not None
            ):
                if embedded.text("name"):
                    self.term_plans[key] = TermPlan(taxonomy, code, {"fi": embedded.text("name")})
            codes.append(code)
        return sorted(set(codes))

    # Organisations --------------------------------------------------------------------------------

    def organisation(self, obj, ref):
        uid = obj.uuid("id", required=True)
        attributes = Attributes(obj, self.terms)
        name = obj.text("name", required=True)
        fields = {
            **localized("name", attributes.texts("name", name)),
            **localized("description", attributes.texts("description", obj.text("description"))),
            "website": obj.text("website"),
            "email": obj.text("email"),
            "business_id": "",
            "organisation_type": attributes.field("organisation_type") or OrganisationType.MUNICIPALITY,
        }
        for identifier in obj.objects("organization_identifiers"):
            scheme = identifier.text("identifier_scheme").upper()
            if scheme == "FI-PRO" or "y-tunnus" in identifier.text("identifier_type").casefold():
                business_id = normalise_business_id(identifier.text("identifier", required=True))
                if not is_valid_business_id(business_id):
                    raise RecordError(f"business ID {business_id} is not valid")
                fields["business_id"] = business_id
        check_fields(Organisation, fields)
        municipality = attributes.field("municipality")
        if municipality:
            municipality = self.reference.municipality(municipality).code
        plan = OrganisationPlan(
            ref=ref,
            uid=uid,
            fields=fields,
            sectors=self._vocabulary_codes(attributes, "sector"),
            municipality=municipality,
            parent_uid=obj.uuid("parent_organization_id"),
        )
        if plan.parent_uid == uid:
            raise RecordError("an organisation cannot be its own parent")
        for index, location in enumerate(obj.objects("locations"), 1):
            try:
                self._location(location, ref, uid)
            except RecordError as error:
                # Only the location is rejected; services at it are rejected with it.
                kind = f"location {index} of organisation"
                RecordRef(kind, ref.index, _id_of(location.data), ref.source).reject(self.report, str(error))
        return plan

    # Locations ------------------------------------------------------------------------------------

    def _location(self, obj, ref, organisation_uid=None):
        """Read a physical location (once per uid) and return its uid."""
        uid = obj.uuid("id", required=True)
        if uid in self.locations:
            return uid
        if obj.text("location_type") != "physical":
            raise RecordError(f"{obj.path}: only physical locations can be places to visit")
        attributes = Attributes(obj, self.terms)
        addresses = obj.objects("addresses")
        address = next((a for a in addresses if a.text("address_type") in ("", "physical")), None)
        if address is None:
            raise RecordError(f"{obj.path or 'location'}: a location needs a physical address")
        address_attributes = Attributes(address, self.terms)
        street = address.text("address_1", required=True)
        postal_code = self.reference.postal_code(address.text("postal_code", required=True)).code
        fields = {
            **localized("name", attributes.texts("name", obj.text("name", required=True))),
            **localized("description", attributes.texts("description", obj.text("description"))),
            **localized("transportation", attributes.texts("transportation", obj.text("transportation"))),
            "street_address_fi": street,
            "street_address_sv": address_attributes.texts("address_1", street)["sv"],
            "postal_code": postal_code,
            "latitude": latitude(obj.number("latitude")),
            "longitude": longitude(obj.number("longitude")),
            **localized("accessibility", {}),
            **localized("entrances", {}),
            "accessibility_url": "",
        }
        if (fields["latitude"] is None) != (fields["longitude"] is None):
            raise RecordError(f"{obj.path or 'location'}: give both latitude and longitude, or neither")
        accessibility = next(iter(obj.objects("accessibility")), None)
        if accessibility is not None:
            access_attributes = Attributes(accessibility, self.terms)
            description, details = accessibility.text("description"), accessibility.text("details")
            fields.update(localized("accessibility", access_attributes.texts("description", description)))
            fields.update(localized("entrances", access_attributes.texts("details", details)))
            fields["accessibility_url"] = accessibility.text("url")
        check_fields(Location, fields)
        owner = obj.uuid("organization_id") or organisation_uid
        if owner is None:
            raise RecordError(f"{obj.path or 'location'}: organization_id is missing")
        self.locations[uid] = LocationPlan(
            ref=RecordRef(f"location of {ref.kind}", ref.index, str(uid), ref.source),
            uid=uid,
            organisation_uid=owner,
            fields=fields,
            hours=self._hours(obj, attributes),
        )
        return uid

    # Opening hours --------------------------------------------------------------------------------

    def _hours(self, owner, attributes):
        schedules = owner.objects("schedules")
        mode = attributes.field("hours_mode") or (HoursMode.WEEKLY if schedules else HoursMode.NOT_GIVEN)
        if mode not in HoursMode.values:
            raise RecordError(f"hours_mode: unknown value {mode!r}")
        plan = HoursPlan(
            mode=mode,
            closed_on_public_holidays=attributes.flag("closed_on_public_holidays", default=True),
            notes=attributes.texts("hours_note", attributes.field("hours_note")),
        )
        for schedule in schedules:
            schedule_attributes = Attributes(schedule, self.terms)
            if schedule_attributes.flag("always_open"):
                continue  # stands for the owner's "always open" mode
            exception = schedule_attributes.field("exception")
            opens, closes = schedule.time("opens_at"), schedule.time("closes_at")
            if exception or (
                not schedule.text("freq") and (schedule.date("valid_from") or schedule.date("dtstart"))
            ):
                start = schedule.date("valid_from") or schedule.date("dtstart")
                end = schedule.date("valid_to") or schedule.date("until") or start
                closed = exception == "closed" or opens is None or closes is None
                labels = schedule_attributes.texts("notes", schedule.text("notes"))
                plan.exceptions.append(
                    (
                        start,
                        None if end == start else end,
                        closed,
                        None if closed else opens,
                        None if closed else closes,
                        labels["fi"],
                        labels["sv"],
                        labels["en"],
                    )
                )
                continue
            if schedule.text("freq") != "WEEKLY" or opens is None or closes is None:
                raise RecordError(
                    f"{schedule.path}: only weekly schedules with opens_at and closes_at, and dated exceptions, "
                    "can be read"
                )
            for day in schedule.text("byday", required=True).split(","):
                day = day.strip().upper()
                if day not in WEEKDAY_CODES:
                    raise RecordError(f"{schedule.path}.byday: {day!r} is not a weekday (MO..SU)")
                plan.rules.append(
                    (
                        WEEKDAY_CODES.index(day),
                        opens,
                        closes,
                        schedule.date("valid_from"),
                        schedule.date("valid_to"),
                    )
                )
        return plan

    # Services -------------------------------------------------------------------------------------

    def service(self, obj, ref):
        uid = obj.uuid("id", required=True)
        attributes = Attributes(obj, self.terms)
        status = obj.text("status") or ServiceStatus.ACTIVE
        if status not in ServiceStatus.values:
            raise RecordError(f"status {status!r} is not an HSDS service status")
        cost_options = obj.objects("cost_options")
        if not cost_options or any(option.number("amount") == 0 for option in cost_options):
            charge = Charge.FREE
        else:
            charge = Charge.CHARGEABLE
        minimum_age, maximum_age = obj.number("minimum_age"), obj.number("maximum_age")
        fields = {
            **localized("name", attributes.texts("name", obj.text("name", required=True))),
            **localized("summary", attributes.texts("summary", attributes.field("summary"))),
            **localized("description", attributes.texts("description", obj.text("description"))),
            **localized(
                "how_to_access", attributes.texts("application_process", obj.text("application_process"))
            ),
            **localized("charge_details", attributes.texts("fees_description", obj.text("fees_description"))),
            "status": status,
            "charge": charge,
            "minimum_age": None if minimum_age is None else int(minimum_age),
            "maximum_age": None if maximum_age is None else int(maximum_age),
            "is_entry_point": attributes.flag("entry_point"),
            "operating_model_uid": _operating_model_uid(attributes.field("operating_model")),
        }
        check_fields(Service, fields)
        if fields["minimum_age"] is not None and fields["maximum_age"] is not None:
            if fields["maximum_age"] < fields["minimum_age"]:
                raise RecordError("maximum_age is below minimum_age")
        plan = ServicePlan(
            ref=ref,
            uid=uid,
            organisation_uid=obj.uuid("organization_id", required=True),
            fields=fields,
            updated_at=obj.moment("last_modified"),
            last_verified_on=obj.date("assured_date"),
        )
        plan.keys = {
            relation: self._vocabulary_codes(attributes, taxonomy)
            for taxonomy, relation in SERVICE_VOCABULARIES.items()
        }
        areas, fields["nationwide"] = self._areas(obj)
        plan.keys.update(areas)
        languages = []
        for language in obj.objects("languages"):
            code = language.text("code")
            if code in self.reference.languages:
                languages.append(code)
            elif code:
                self.report.notes.append(f"{ref}: language {code} unknown to the directory, left out")
        plan.keys["languages"] = sorted(set(languages))

        located = set()
        for position, entry in enumerate(obj.objects("service_at_locations")):
            location = entry.object("location")
            if location is not None and location.text("location_type") == "virtual":
                plan.channels.append(self._channel(entry, location, position))
                continue
            if location is not None:
                location_uid = self._location(location, ref)
            else:
                location_uid = entry.uuid("location_id", required=True)
            if location_uid in located:
                raise RecordError(f"{entry.path}: the service is at location {location_uid} twice")
            located.add(location_uid)
            plan.sals.append(self._service_at_location(entry, location_uid))
        if not plan.channels:
            plan.channels = self._plain_channels(obj, uid)
        return plan

    def _areas(self, obj):
        keys = {"municipalities": [], "counties": [], "postal_codes": []}
        nationwide = False
        for area in obj.objects("service_areas"):
            value = Attributes(area, self.terms).field("area")
            if not value:
                continue  # another publisher's free-text area: Ovi cannot place it
            kind, _, code = value.partition(":")
            if kind == "country" and code == "FI":
                nationwide = True
            elif kind == "municipality":
                keys["municipalities"].append(self.reference.municipality(code).code)
            elif kind == "county":
                keys["counties"].append(self.reference.county(code).code)
            elif kind == "postal_code":
                keys["postal_codes"].append(self.reference.postal_code(code).code)
            else:
                raise RecordError(f"{area.path}: unknown area {value!r}")
        return {name: sorted(set(codes)) for name, codes in keys.items()}, nationwide

    def _phone(self, entry):
        phones = entry.objects("phones")
        if not phones:
            return "", CallCharge.NETWORK, ""
        phone = phones[0]
        attributes = Attributes(phone, self.terms)
        call_charge = attributes.field("call_charge")
        if call_charge and call_charge not in CallCharge.values:
            raise RecordError(f"{phone.path}: unknown call charge {call_charge!r}")
        return phone.text("number", required=True), call_charge, attributes.field("call_charge_details")

    def _channel(self, entry, location, position):
        attributes = Attributes(entry, self.terms)
        number, call_charge, details = self._phone(entry)
        kind = attributes.field("channel_kind") or ("phone" if number else "web")
        if kind not in ChannelKind.values:
            raise RecordError(f"{entry.path}: unknown channel kind {kind!r}")
        name = location.text("name")
        if self.kind_labels.get(name) == kind:
            name = ""  # the name was only the kind's label: the channel has no label of its own
        labels = Attributes(location, self.terms).texts("name", name)
        sort_order = attributes.field("sort_order")
        fields = {
            "kind": kind,
            **localized("label", labels),
            "phone_number": number if kind == ChannelKind.PHONE else "",
            "call_charge": call_charge if kind == ChannelKind.PHONE else "",
            "call_charge_details": details if kind == ChannelKind.PHONE else "",
            "email": attributes.field("email") if kind == ChannelKind.EMAIL else "",
            "url": location.text("url") if kind not in (ChannelKind.PHONE, ChannelKind.EMAIL) else "",
            "sort_order": int(sort_order) if sort_order.isdigit() else position,
        }
        required = {ChannelKind.PHONE: "phone_number", ChannelKind.EMAIL: "email"}.get(kind, "url")
        if not fields[required]:
            raise RecordError(f"{entry.path}: a {kind} channel needs its {required.replace('_', ' ')}")
        check_fields(ServiceChannel, fields)
        return ChannelPlan(
            uid=entry.uuid("id", required=True), fields=fields, hours=self._hours(entry, attributes)
        )

    def _plain_channels(self, obj, uid):
        """Channels of a service from another publisher, which has no virtual
        locations: its phones, web address and e-mail."""
        channels = []
        for phone in obj.objects("phones"):
            number = phone.text("number", required=True)
            fields = {"kind": ChannelKind.PHONE, "phone_number": number, "sort_order": len(channels)}
            channels.append(
                ChannelPlan(uid=phone.uuid("id") or uuid.uuid5(uid, f"phone:{number}"), fields=fields)
            )
        for kind, key in ((ChannelKind.WEB, "url"), (ChannelKind.EMAIL, "email")):
            if obj.text(key):
                fields = {"kind": kind, key: obj.text(key), "sort_order": len(channels)}
                channels.append(ChannelPlan(uid=uuid.uuid5(uid, f"{key}:{obj.text(key)}"), fields=fields))
        for channel in channels:
            check_fields(ServiceChannel, channel.fields)
        return channels

    def _service_at_location(self, entry, location_uid):
        attributes = Attributes(entry, self.terms)
        number, call_charge, _details = self._phone(entry)
        fields = {
            **localized("description", attributes.texts("description", entry.text("description"))),
            "phone_number": number,
            "call_charge": call_charge if number else CallCharge.NETWORK,
            "email": attributes.field("email"),
        }
        check_fields(ServiceAtLocation, fields)
        return SalPlan(
            uid=entry.uuid("id", required=True),
            location_uid=location_uid,
            fields=fields,
            hours=self._hours(entry, attributes),
        )


def _id_of(data):
    value = data.get("id") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""
