"""Suomi.fi Palvelutietovaranto (PTV) Open API v11 JSON into import plans.

Files are what the Open API returns: a JSON list of full objects
(`/api/v11/Organization/list?guids=...`, `/Service/list?guids=...`,
`/ServiceChannel/list?guids=...`) or a page object with `itemList`
(`/Service/list/area/...`). One file may mix kinds; each item is recognised by
its fields (`organizationNames`, `serviceNames`, `serviceChannelType`).

Mapping (docs/directory.md, "Open data: HSDS and PTV"):

* organisation -> Organisation, uid = PTV id; service -> Service, uid = PTV id;
  a ServiceLocation channel -> Location, uid = PTV id, and a ServiceAtLocation
  for each service it is linked to; a Phone, EChannel, WebPage or PrintableForm
  channel -> a ServiceChannel of each service it is linked to. A channel row
  belongs to one service in Ovi, so its uid is a uuid5 of the service and
  channel ids (stable across runs).
* Texts are lists of {"type", "language", "value"}; Finnish, Swedish and English
  are taken, Finnish being required (another language stands in when PTV has no
  Finnish name).
* Coordinates come in ETRS-TM35FIN (EPSG:3067) metres, "latitude" being the
  northing, and are turned into WGS84 degrees with pyproj.
* Municipality codes must be known to Ovi's geography; an unknown one rejects
  the record.
* What Ovi adds to PTV data (sectors, life situations, entry points, operating
  models, professional-only data) is never touched by a PTV import.
"""

import datetime
import functools
import uuid
from pathlib import Path

from pyproj import Transformer

from directory.choices import CallCharge, ChannelKind, Charge, HoursMode, OrganisationType
from directory.hours import HELSINKI
from directory.models import Location, Organisation, Service, ServiceAtLocation, ServiceChannel, ServiceClass
from directory.validators import is_valid_business_id, normalise_business_id
from search.localization import LANGUAGE_CODES

from .importing import (
    Batch,
    ChannelPlan,
    HoursPlan,
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

PTV_NAMESPACE = uuid.UUID("0c6e7f4a-3b2d-4e8f-a1c5-9d7b6e2f4a18")

ORGANISATION_TYPES = {
    "Municipality": OrganisationType.MUNICIPALITY,
    # Joint municipal authorities (kuntayhtymä) are municipal.
    "RegionalOrganization": OrganisationType.MUNICIPALITY,
    "Region": OrganisationType.WELLBEING_COUNTY,
    "WellbeingServiceCounty": OrganisationType.WELLBEING_COUNTY,
    "SotePublic": OrganisationType.WELLBEING_COUNTY,
    "State": OrganisationType.STATE,
    "Organization": OrganisationType.NGO,
    "Company": OrganisationType.COMPANY,
    "SotePrivate": OrganisationType.COMPANY,
}
NATIONWIDE_AREA_TYPES = {
    "Nationwide",
    "NationwideExceptAlandIslands",
    "WholeCountry",
    "WholeCountryExceptAlandIslands",
}
WEEKDAYS = {
    name: number
    for number, name in enumerate(
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )
}
MIDNIGHT = datetime.time(0, 0)


@functools.cache
def _transformer():
    return Transformer.from_crs("EPSG:3067", "EPSG:4326", always_xy=True)


def etrs_tm35fin_to_wgs84(northing, easting):
    """ETRS-TM35FIN (EPSG:3067) metres -> WGS84 (latitude, longitude) degrees."""
    lon, lat = _transformer().transform(easting, northing)
    return lat, lon


def derived_uid(*parts):
    return uuid.uuid5(PTV_NAMESPACE, "/".join(str(part) for part in parts))


def import_ptv(paths, *, skip_invalid=False, stream=None):
    """Import PTV Open API v11 files. Raises ImportFileError when a file cannot be read."""
    items = []
    for path in paths:
        records = read_list(path, "PTV organisations, services or service channels", "itemList")
        items += [(Path(path).name, index, data) for index, data in enumerate(records, 1)]

    def read(reference, report, stream):
        return PtvReader(reference, report, stream).read(items)

    return run_import(read, skip_invalid=skip_invalid, stream=stream)


# Reading values -----------------------------------------------------------------------------------


def _list(data, key):
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise RecordError(f"{key}: expected a list of objects")
    return value


def _text(value, what):
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RecordError(f"{what}: expected text")
    return value.strip()


def localized(items, types=None, what="texts"):
    """{"fi", "sv", "en"} from PTV's [{"type", "language", "value"}]; the first of
    `types` (in order of preference) that a language has."""
    found = {}
    for _preference, wanted in enumerate(types or [None]):
        for item in items:
            if wanted is not None and item.get("type") != wanted:
                continue
            language = item.get("language")
            value = _text(item.get("value"), what)
            if language in LANGUAGE_CODES and value and language not in found:
                found[language] = value
    return {code: found.get(code, "") for code in LANGUAGE_CODES}


def _with_finnish(texts):
    """Ovi needs a Finnish name: PTV records without one show their Swedish or English."""
    if not texts["fi"]:
        texts = {**texts, "fi": texts["sv"] or texts["en"]}
    return texts


def _fields(prefix, texts):
    return {f"{prefix}_{code}": texts.get(code, "") for code in LANGUAGE_CODES}


def _uuid(value, what):
    if isinstance(value, dict):
        value = value.get("id")
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        raise RecordError(f"{what}: {value!r} is not a PTV id") from None


def _date(value, what):
    """A date; a moment with a time zone (UTC "Z") is taken in Finnish time."""
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"{what}: {value!r} is not a date") from None
    return moment.astimezone(HELSINKI).date() if moment.tzinfo is not None else moment.date()


def _time(value, what):
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        raise RecordError(f"{what}: {value!r} is not a time") from None


def _published(data):
    status = data.get("publishingStatus")
    if status not in (None, "Published"):
        raise RecordError(f"publishing status is {status}: only published data is imported")


def _first_by_language(items, key="value"):
    """The Finnish item first, then Swedish, English, anything."""
    ordered = sorted(
        (item for item in items if _text(item.get(key), key)),
        key=lambda item: (_language_rank(item), item.get("orderNumber") or 0),
    )
    return _text(ordered[0].get(key), key) if ordered else ""


def _language_rank(item):
    return (
        LANGUAGE_CODES.index(item["language"])
        if item.get("language") in LANGUAGE_CODES
        else len(LANGUAGE_CODES)
    )


def _web_address(data):
    for key, value_key in (
        ("webPages", "url"),
        ("webPage", "value"),
        ("urls", "value"),
        ("channelUrls", "value"),
    ):
        found = _first_by_language(_list(data, key), value_key)
        if found:
            return found
    return ""


def _phone(data, key="phoneNumbers"):
    """(number, call charge, charge details) of the first voice number."""
    phones = [p for p in _list(data, key) if p.get("type") in (None, "Phone")]
    phones.sort(key=_language_rank)
    if not phones:
        return "", "", ""
    phone = phones[0]
    number = _text(phone.get("number"), "phone number")
    prefix = "" if phone.get("isFinnishServiceNumber") else _text(phone.get("prefixNumber"), "phone prefix")
    charge_type = phone.get("serviceChargeType")
    details = _text(phone.get("chargeDescription"), "charge description")
    if charge_type == "Free":
        call_charge, details = CallCharge.FREE, ""
    elif charge_type == "Other":
        call_charge = CallCharge.SERVICE_NUMBER
    else:  # "Charged": the caller pays the ordinary local or mobile network charge
        call_charge, details = CallCharge.NETWORK, ""
    return " ".join(part for part in (prefix, number) if part), call_charge, details


# Opening hours ------------------------------------------------------------------------------------


def _weekday(value, what):
    if value not in WEEKDAYS:
        raise RecordError(f"{what}: {value!r} is not a weekday")
    return WEEKDAYS[value]


def hours_plan(items):
    """PTV serviceHours -> HoursPlan. DaysOfTheWeek entries become weekly rules (valid
    for their dates unless valid for now), OverMidnight ones rules that run past
    midnight, Exceptional ones dated exceptions."""
    if not items:
        return HoursPlan()
    plan = HoursPlan(mode=HoursMode.WEEKLY)
    for item in items:
        kind = item.get("serviceHourType")
        info = localized(_list(item, "additionalInformation"), what="additionalInformation")
        valid_from = _date(item.get("validFrom"), "validFrom")
        valid_to = _date(item.get("validTo"), "validTo")
        openings = _list(item, "openingHour")
        if kind in ("DaysOfTheWeek", "Standard", "OverMidnight", "Special"):
            if item.get("isAlwaysOpen"):
                plan.mode = HoursMode.ALWAYS_OPEN
                continue
            if item.get("isReservation"):
                plan.mode = HoursMode.BY_APPOINTMENT
            if not plan.notes and any(info.values()):
                plan.notes = {code: text[:300] for code, text in info.items()}
            if item.get("validForNow") or valid_to is None:
                valid_from = valid_to = None
            for opening in openings:
                plan.rules += _rules(opening, kind in ("OverMidnight", "Special"), valid_from, valid_to)
        elif kind in ("Exceptional", "Exception"):
            if valid_from is None:
                raise RecordError("an exceptional opening hour needs validFrom")
            closed = bool(item.get("isClosed")) or not openings
            opens = closes = None
            if not closed:
                opens = _time(openings[0].get("from"), "from")
                closes = _time(openings[0].get("to"), "to")
            plan.exceptions.append(
                (
                    valid_from,
                    None if valid_to in (None, valid_from) else valid_to,
                    closed,
                    opens,
                    closes,
                    info["fi"][:100],
                    info["sv"][:100],
                    info["en"][:100],
                )
            )
        else:
            raise RecordError(f"unknown serviceHourType {kind!r}")
    return plan


def _rules(opening, over_midnight, valid_from, valid_to):
    start = _weekday(opening.get("dayFrom"), "dayFrom")
    end = _weekday(opening["dayTo"], "dayTo") if opening.get("dayTo") else start
    opens = _time(opening.get("from"), "from")
    closes = _time(opening.get("to"), "to")
    if not over_midnight:
        # dayFrom..dayTo: the same hours on each of those days
        days = [(start + step) % 7 for step in range((end - start) % 7 + 1)]
        return [(day, opens, closes, valid_from, valid_to) for day in days]
    span = (end - start) % 7
    if span == 0 or (span == 1 and closes <= opens):
        return [(start, opens, closes, valid_from, valid_to)]  # closes at or before opening: next day
    # Longer than a day: the first evening, whole days between, the last morning.
    rules = [(start, opens, MIDNIGHT, valid_from, valid_to)]
    rules += [((start + step) % 7, MIDNIGHT, MIDNIGHT, valid_from, valid_to) for step in range(1, span)]
    if closes != MIDNIGHT:
        rules.append((end, MIDNIGHT, closes, valid_from, valid_to))
    return rules


# Reader -------------------------------------------------------------------------------------------


class ChannelSpec:
    """A PTV service channel, read; turned into rows once the services are known."""

    def __init__(self, ref, uid, kind, labels, fields, hours, location=None, service_ids=()):
        self.ref, self.uid, self.kind, self.labels = ref, uid, kind, labels
        self.fields, self.hours, self.location, self.service_ids = fields, hours, location, set(service_ids)


class PtvReader:
    def __init__(self, reference, report, stream=None):
        self.reference = reference
        self.report = report
        self.stream = stream
        self.terms = {}
        self._noted = set()

    def note(self, text):
        if text not in self._noted:
            self._noted.add(text)
            self.report.notes.append(text)

    def read(self, items):
        organisations, channels, services, rejected_channels = {}, {}, [], set()
        for source, index, data in progress(items, "reading", self.stream):
            kind = _kind(data)
            ref = RecordRef(
                kind or "record", index, str(data.get("id", "")) if isinstance(data, dict) else "", source
            )
            try:
                if kind is None:
                    raise RecordError("not a PTV organisation, service or service channel")
                _published(data)
                if kind == "organisation":
                    plan = self.organisation(data, ref)
                    if plan.uid in organisations:
                        raise RecordError("the same id appears twice")
                    organisations[plan.uid] = plan
                elif kind == "channel":
                    spec = self.channel(data, ref)
                    if spec.uid in channels:
                        raise RecordError("the same id appears twice")
                    channels[spec.uid] = spec
                else:
                    services.append(self.service(data, ref))
            except RecordError as error:
                ref.reject(self.report, str(error))
                if kind == "channel" and isinstance(data, dict):
                    try:
                        rejected_channels.add(_uuid(data.get("id"), "id"))
                    except RecordError:
                        pass

        parents = [plan.parent_uid for plan in organisations.values()]
        known_orgs = set(Organisation.objects.filter(uid__in=parents).values_list("uid", flat=True))
        for plan in organisations.values():
            if plan.parent_uid and plan.parent_uid not in organisations and plan.parent_uid not in known_orgs:
                self.note(
                    f"{plan.ref}: parent organisation {plan.parent_uid} is not in the files or the directory; "
                    "left without a parent"
                )
                plan.parent_uid = None

        batch = Batch(
            terms=list(self.terms.values()),
            organisations=list(organisations.values()),
            locations=[spec.location for spec in channels.values() if spec.location is not None],
        )
        linked = set()
        for plan, channel_ids in services:
            for spec in channels.values():
                if plan.uid in spec.service_ids:
                    channel_ids.add(spec.uid)
            try:
                self._attach_channels(plan, channel_ids, channels, rejected_channels)
            except RecordError as error:
                plan.ref.reject(self.report, str(error))
                continue
            linked |= channel_ids
            batch.services.append(plan)
        for spec in channels.values():
            if spec.location is None and spec.uid not in linked:
                self.note(f"{spec.ref}: linked to no service in the files; not imported")
        return batch

    def _attach_channels(self, plan, channel_ids, channels, rejected_channels):
        for channel_id in sorted(channel_ids, key=str):
            row_uid = derived_uid(plan.uid, channel_id)
            if channel_id in rejected_channels:
                raise RecordError(f"service channel {channel_id} was rejected")
            spec = channels.get(channel_id)
            if spec is None:
                # Not in these files: whatever the directory has for it stays as it is.
                plan.keep_uids.add(row_uid)
                self.note(f"{plan.ref}: service channel {channel_id} is not in the files; left as it is")
                continue
            if spec.location is not None:
                plan.sals.append(SalPlan(uid=row_uid, location_uid=spec.uid, fields=dict(spec.fields)))
            else:
                fields = {**spec.fields, **_fields("label", spec.labels), "sort_order": len(plan.channels)}
                plan.channels.append(ChannelPlan(uid=row_uid, fields=fields, hours=spec.hours))

    # Organisations --------------------------------------------------------------------------------

    def organisation(self, data, ref):
        uid = _uuid(data.get("id"), "id")
        names = _list(data, "organizationNames")
        display = {item.get("language"): item.get("type") for item in _list(data, "displayNameType")}
        texts = {}
        for code in LANGUAGE_CODES:
            preferred = display.get(code) or "Name"
            texts[code] = localized(names, [preferred, "Name", "AlternateName"], "organizationNames")[code]
        texts = _with_finnish(texts)
        if not texts["fi"]:
            raise RecordError("the organisation has no name")
        organisation_type = ORGANISATION_TYPES.get(data.get("organizationType"))
        if organisation_type is None:
            raise RecordError(f"organization type {data.get('organizationType')!r} unknown")
        business_id = normalise_business_id(_text(data.get("businessCode"), "businessCode"))
        if business_id and not is_valid_business_id(business_id):
            raise RecordError(f"business ID {business_id} is not valid")
        fields = {
            **_fields("name", texts),
            **_fields(
                "description", localized(_list(data, "organizationDescriptions"), ["Description", "Summary"])
            ),
            "business_id": business_id,
            "organisation_type": organisation_type,
            "website": _web_address(data),
            "email": _first_by_language(_list(data, "emails") or _list(data, "emailAddresses")),
        }
        check_fields(Organisation, fields)
        municipality = data.get("municipality")
        municipality_code = ""
        if municipality:
            code = municipality.get("code") if isinstance(municipality, dict) else municipality
            municipality_code = self.reference.municipality(code).code
        parent = data.get("parentOrganizationId") or data.get("parentOrganization")
        return OrganisationPlan(
            ref=ref,
            uid=uid,
            fields=fields,
            sectors=None,  # Ovi's own classification: not PTV's to change
            municipality=municipality_code,
            parent_uid=_uuid(parent, "parentOrganizationId") if parent else None,
        )

    # Channels -------------------------------------------------------------------------------------

    def channel(self, data, ref):
        uid = _uuid(data.get("id"), "id")
        kind = data.get("serviceChannelType")
        names = _list(data, "serviceChannelNames")
        labels = _with_finnish(localized(names, ["Name", "AlternativeName", "AlternateName"]))
        service_ids = set()
        for link in _list(data, "services"):
            service_ids.add(_uuid(link.get("service") or link.get("serviceId"), "services"))
        hours = hours_plan(_list(data, "serviceHours"))
        if kind == "ServiceLocation":
            location = self._location(data, ref, uid, labels, hours)
            number, call_charge, _details = _phone(data)
            fields = {
                "phone_number": number,
                "call_charge": call_charge or CallCharge.NETWORK,
                "email": _first_by_language(_list(data, "emails") or _list(data, "supportEmails")),
            }
            check_fields(ServiceAtLocation, fields)
            return ChannelSpec(ref, uid, kind, labels, fields, hours, location, service_ids)
        if kind == "Phone":
            number, call_charge, details = _phone(data)
            if not number:
                raise RecordError("a phone channel needs a phone number")
            fields = {
                "kind": ChannelKind.PHONE,
                "phone_number": number,
                "call_charge": call_charge,
                "call_charge_details": details,
                "email": "",
                "url": "",
            }
        elif kind in ("EChannel", "WebPage", "PrintableForm"):
            url = _web_address(data)
            if not url:
                raise RecordError(f"a {kind} channel needs a web address")
            channel_kind = ChannelKind.E_SERVICE if kind == "EChannel" else ChannelKind.WEB
            fields = {
                "kind": channel_kind,
                "url": url,
                "phone_number": "",
                "call_charge": "",
                "call_charge_details": "",
                "email": "",
            }
        else:
            raise RecordError(f"service channel type {kind!r} unknown")
        check_fields(ServiceChannel, {**fields, **_fields("label", labels)})
        return ChannelSpec(ref, uid, kind, labels, fields, hours, None, service_ids)

    def _location(self, data, ref, uid, labels, hours):
        organisation = data.get("organizationId")
        if not organisation:
            raise RecordError("organizationId is missing")
        address = next(
            (
                a
                for a in _list(data, "addresses")
                if a.get("type") in ("Location", "Visiting") and isinstance(a.get("streetAddress"), dict)
            ),
            None,
        )
        if address is None:
            raise RecordError("a service location needs a visiting street address")
        street = address["streetAddress"]
        names = localized(_list(street, "street"), what="street")
        number = _text(street.get("streetNumber"), "streetNumber")
        municipality = street.get("municipality") or {}
        code = municipality.get("code") if isinstance(municipality, dict) else municipality
        if code:
            self.reference.municipality(code)
        postal_code = self.reference.postal_code(_text(street.get("postalCode"), "postalCode")).code
        if not names["fi"] and not names["sv"]:
            raise RecordError("the street address has no street name")
        fields = {
            **_fields("name", labels),
            **_fields(
                "description",
                localized(_list(data, "serviceChannelDescriptions"), ["Description", "Summary"]),
            ),
            "street_address_fi": " ".join(p for p in (names["fi"] or names["sv"], number) if p),
            "street_address_sv": " ".join(p for p in (names["sv"], number) if p) if names["sv"] else "",
            "postal_code": postal_code,
            **self._coordinates(street),
        }
        check_fields(Location, fields)
        owner = _uuid(organisation, "organizationId")
        return LocationPlan(ref=ref, uid=uid, organisation_uid=owner, fields=fields, hours=hours)

    @staticmethod
    def _coordinates(street):
        north, east = street.get("latitude"), street.get("longitude")
        if north in (None, "") or east in (None, ""):
            return {"latitude": None, "longitude": None}
        try:
            north, east = float(north), float(east)
        except (TypeError, ValueError):
            raise RecordError(f"coordinates {north!r}, {east!r} are not numbers") from None
        if north < 1000 or east < 1000:
            raise RecordError("coordinates are not ETRS-TM35FIN metres")
        lat, lon = etrs_tm35fin_to_wgs84(north, east)
        return {"latitude": latitude(lat), "longitude": longitude(lon)}

    # Services -------------------------------------------------------------------------------------

    def service(self, data, ref):
        uid = _uuid(data.get("id"), "id")
        descriptions = _list(data, "serviceDescriptions")
        names = _with_finnish(localized(_list(data, "serviceNames"), ["Name", "AlternateName"]))
        if not names["fi"]:
            raise RecordError("the service has no name")
        charge_type = data.get("serviceChargeType")
        fields = {
            **_fields("name", names),
            **_fields("summary", localized(descriptions, ["Summary", "ShortDescription"])),
            **_fields("description", localized(descriptions, ["Description"])),
            **_fields(
                "how_to_access", localized(descriptions, ["UserInstruction", "ServiceUserInstruction"])
            ),
            **_fields("charge_details", localized(descriptions, ["ChargeTypeAdditionalInfo"])),
            "charge": Charge.CHARGEABLE if charge_type in ("Charged", "Other") else Charge.FREE,
        }
        responsible = [o for o in _list(data, "organizations") if o.get("roleType") == "Responsible"]
        if not responsible:
            raise RecordError("the service has no responsible organisation")
        organisation = responsible[0].get("organizationId") or responsible[0].get("organization")
        keys, fields["nationwide"] = self._areas(data)
        check_fields(Service, fields)
        keys["languages"] = self._languages(data, ref)
        keys["service_classes"] = self._service_classes(data)
        keys["target_groups"] = self._target_groups(data)
        channel_ids = set()
        for link in _list(data, "serviceChannels"):
            channel_ids.add(
                _uuid(link.get("serviceChannel") or link.get("serviceChannelId"), "serviceChannels")
            )
        owner = _uuid(organisation, "organizations")
        plan = ServicePlan(ref=ref, uid=uid, organisation_uid=owner, fields=fields, keys=keys)
        return plan, channel_ids

    def _areas(self, data):
        area_type = data.get("areaType") or data.get("serviceCoverageType")
        if area_type in NATIONWIDE_AREA_TYPES:
            return {"municipalities": []}, True
        codes = set()
        for area in _list(data, "areas"):
            if area.get("type") == "Municipality":
                codes.add(self.reference.municipality(area.get("code")).code)
            else:  # a region, hospital district or county: the municipalities it lists
                for municipality in _list(area, "municipalities"):
                    codes.add(self.reference.municipality(municipality.get("code")).code)
        return {"municipalities": sorted(codes)}, False

    def _languages(self, data, ref):
        codes = []
        for code in data.get("languages") or []:
            if code in self.reference.languages:
                codes.append(code)
            else:
                self.note(f"{ref}: language {code} unknown to the directory, left out")
        return sorted(set(codes))

    def _service_classes(self, data):
        codes = []
        for item in _list(data, "serviceClasses"):
            code = _text(item.get("code"), "serviceClasses.code")
            if not code:
                continue
            if code not in self.terms:
                names = {
                    k: v for k, v in localized(_list(item, "name"), what="serviceClasses.name").items() if v
                }
                if "fi" not in names and code not in self.reference.vocab["service_class"]:
                    names["fi"] = code  # a new class needs a Finnish name; the code stands in
                check_fields(ServiceClass, {"code": code, **{f"name_{k}": v for k, v in names.items()}})
                parent = code.rsplit(".", 1)[0] if "." in code else ""
                self.terms[code] = TermPlan("service_class", code, names, parent_code=parent)
            codes.append(code)
        return sorted(set(codes))

    def _target_groups(self, data):
        """PTV target groups matched to Ovi's by Finnish name; others are left out."""
        by_name = {obj.name_fi.casefold(): slug for slug, obj in self.reference.vocab["target_group"].items()}
        slugs = []
        for item in _list(data, "targetGroups"):
            name = localized(_list(item, "name"), what="targetGroups.name")["fi"]
            slug = by_name.get(name.casefold())
            if slug:
                slugs.append(slug)
            elif name:
                self.note(
                    f"PTV target group {item.get('code') or ''} {name!r} has no match in the directory; left out"
                )
        return sorted(set(slugs))


def _kind(data):
    if not isinstance(data, dict):
        return None
    if "serviceChannelType" in data:
        return "channel"
    if "serviceNames" in data:
        return "service"
    if "organizationNames" in data:
        return "organisation"
    return None
