"""What of the directory a page, an API, an export or a search document shows: the
directory's presenters.

Everything that shows directory records to anybody — the public pages, the
serializers behind the JSON API, exports and search documents — builds its data
with the functions here and nowhere else. They return plain dicts in the active
language. Professional-only data (contact people, direct numbers and emails,
referral and consultation instructions) is only ever put under a "professional"
key, and only when the caller asked for the professional representation, which
`represent_*(…, user)` does for users directory.visibility.can_see_professional_data()
approves (the rule itself lives there, apart from how records are presented).

Templates receive these dicts, never model instances, so a template cannot reach
a professional-only field by accident.
"""

from django.db.models import Prefetch, Q, Value

from directory import contracts, network, selectors
from directory import hours as hours_lib
from directory.choices import (
    PUBLIC_SERVICE_STATUSES,
    CallCharge,
    ChannelKind,
    Charge,
    ContactRole,
    OrganisationType,
    ServiceStatus,
    TeamType,
)
from directory.models import Service, ServiceAtLocation, Team
from directory.models.hours import WEEKDAYS
from directory.visibility import can_see_professional_data

__all__ = [
    "location_data",
    "organisation_data",
    "service_data",
    "service_summary_data",
    "team_data",
    "represent_location",
    "represent_organisation",
    "represent_service",
    "represent_team",
    "network_map_data",
]


def _no_url(kind, uid):
    return None


def _label(choices, value):
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _terms(items, key="slug"):
    return [{key: getattr(item, key), "name": item.name} for item in items]


def _areas(items):
    return [{"code": item.code, "name": item.name} for item in items]


def _coordinate(value):
    return float(value) if value is not None else None


def _time(value):
    return value.strftime("%H:%M")


# Hours -------------------------------------------------------------------------------


def hours_data(owner, schedule=None, at=None):
    """Opening hours of anything with hours, with its open/closed status at `at`."""
    schedule = schedule or owner.schedule()
    if schedule.mode == hours_lib.NOT_GIVEN:
        return None
    at = at or hours_lib.now()
    status = hours_lib.status_at(schedule, at)
    today = hours_lib.to_local(at).date()
    weekday_names = dict(WEEKDAYS)
    return {
        "mode": schedule.mode,
        "note": owner.hours_note,
        "closed_on_public_holidays": schedule.closed_on_public_holidays,
        "status": {
            "state": status.state,
            "is_open": status.is_open,
            "closes_at": status.closes_at,
            "opens_at": status.opens_at,
            "reason": status.reason,
        },
        "weekly": [
            {
                "weekday": weekday,
                "day_name": str(weekday_names[weekday]),
                "spans": [{"opens": _time(opens), "closes": _time(closes)} for opens, closes in spans],
            }
            for weekday, spans in hours_lib.weekly_table(schedule, today)
        ]
        if schedule.mode in (hours_lib.WEEKLY, hours_lib.BY_APPOINTMENT)
        else [],
        "special_days": [
            {
                "date": day.date,
                "closed": day.closed,
                "reason": day.reason,
                "spans": [{"opens": _time(s.start.time()), "closes": _time(s.end.time())} for s in day.spans],
            }
            for day in hours_lib.special_days(schedule, today)
        ],
    }


# Shared small pieces ----------------------------------------------------------------------


def _contact_person(person, url_for):
    """A contact person. Only ever called for a professional representation."""
    return {
        "uid": person.uid,
        "name": person.name,
        "title": person.title,
        "role": person.role,
        "role_label": _label(ContactRole, person.role) if person.role else "",
        "phone": person.phone,
        "email": person.email,
        "expertise": person.expertise,
        "organisation": _organisation_ref(person.organisation, url_for),
    }


def _organisation_ref(org, url_for):
    return {"uid": org.uid, "name": org.name, "url": url_for("organisation", org.uid)}


def location_brief(location, url_for=_no_url):
    return {
        "uid": location.uid,
        "url": url_for("location", location.uid),
        "name": location.name,
        "street_address": location.street_address,
        "postal_code": location.postal_code,
        "post_office": location.post_office,
        "municipality": {"code": location.municipality.code, "name": location.municipality.name}
        if location.municipality_id
        else None,
        "latitude": _coordinate(location.latitude),
        "longitude": _coordinate(location.longitude),
    }


def _service_ref(service, url_for):
    return {
        "uid": service.uid,
        "name": service.name,
        "summary": service.summary,
        "url": url_for("service", service.uid),
        "is_entry_point": service.is_entry_point,
        "status": service.status,
    }


def _team_ref(team, url_for):
    return {
        "uid": team.uid,
        "name": team.name,
        "url": url_for("team", team.uid),
        "team_type": team.team_type,
        "team_type_label": _label(TeamType, team.team_type),
    }


def _channel(channel, at=None):
    data = {
        "uid": channel.uid,
        "kind": channel.kind,
        "kind_label": _label(ChannelKind, channel.kind),
        "label": channel.label,
        "phone_number": "",
        "call_charge": "",
        "call_charge_label": "",
        "call_charge_details": "",
        "email": "",
        "url": "",
        "hours": hours_data(channel, at=at) if channel.has_hours else None,
    }
    if channel.kind == ChannelKind.PHONE:
        data.update(
            phone_number=channel.phone_number,
            call_charge=channel.call_charge,
            call_charge_label=_label(CallCharge, channel.call_charge) if channel.call_charge else "",
            call_charge_details=channel.call_charge_details,
        )
    elif channel.kind == ChannelKind.EMAIL:
        data["email"] = channel.email
    else:
        data["url"] = channel.url
    return data


# Services ----------------------------------------------------------------------------------

OPEN_MODES = (hours_lib.WEEKLY, hours_lib.ALWAYS_OPEN)


def _has_open_hours(service):
    return any(
        sal.effective_schedule().mode in OPEN_MODES for sal in service.service_at_locations.all()
    ) or any(channel.hours_mode in OPEN_MODES for channel in service.channels.all())


# The relations of a service to small tables of reference data (some tens or hundreds
# of rows each), which a caller may read whole and keep: attach_reference_relations().
REFERENCE_RELATIONS = (
    "sectors",
    "target_groups",
    "life_situations",
    "service_classes",
    "languages",
    "municipalities",
    "counties",
)
SERVICE_PREFETCH = (
    *REFERENCE_RELATIONS,
    "postal_codes",
    "channels__weekly_hours",
    "channels__hours_exceptions",
    "teams",
)


def prefetch_service(queryset, professional=True, reference=True):
    """The queries service_data() needs, done up front. `professional=False` leaves out
    the contact people (and their organisations), which only service_data(professional=True)
    shows: four queries fewer for an anonymous door finder answer. `reference=False`
    leaves out REFERENCE_RELATIONS, for a caller that fills them with
    attach_reference_relations() from tables it already holds."""

    at_location = ["weekly_hours", "hours_exceptions", "location__weekly_hours", "location__hours_exceptions"]
    if professional:
        at_location.append("contact_people__organisation")
    relations = (
        SERVICE_PREFETCH if reference else [r for r in SERVICE_PREFETCH if r not in REFERENCE_RELATIONS]
    )
    return queryset.select_related("organisation").prefetch_related(
        *relations,
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location__municipality").prefetch_related(
                *at_location
            ),
        ),
        *(["contact_people__organisation"] if professional else []),
    )


def reference_table(relation):
    """Every row of the reference table behind the service relation `relation` (one of
    REFERENCE_RELATIONS), in the order a prefetch of the relation gives them."""
    return list(Service._meta.get_field(relation).related_model.objects.all())


def attach_reference_relations(services, table):
    """Fill REFERENCE_RELATIONS of `services` (read with prefetch_service(...,
    reference=False)) as a prefetch would: one query of the services' links to all the
    tables, the rows from `table(relation)` (reference_table(relation), which the caller
    may keep: the door finder keeps it per content generation). Instead of a query per
    relation, each building a model instance per row."""
    services = list(services)
    by_pk = {service.pk: service for service in services}
    if not by_pk:
        return services
    parts = []
    for number, relation in enumerate(REFERENCE_RELATIONS):
        through = getattr(Service, relation).through
        target = Service._meta.get_field(relation).m2m_reverse_name()  # e.g. "sector_id"
        parts.append(
            through.objects.filter(service_id__in=by_pk)
            .annotate(relation=Value(number))
            .values_list("service_id", target, "relation")
        )
    linked = {(relation, pk): set() for relation in REFERENCE_RELATIONS for pk in by_pk}
    for service_pk, target_pk, number in parts[0].union(*parts[1:], all=True):
        linked[REFERENCE_RELATIONS[number], service_pk].add(target_pk)
    for relation in REFERENCE_RELATIONS:
        rows = table(relation)
        for pk, service in by_pk.items():
            wanted = linked[relation, pk]
            _set_prefetched(service, relation, [row for row in rows if row.pk in wanted])
    return services


def _set_prefetched(instance, relation, rows):
    # What Django's prefetch_related_objects() stores for a many-to-many relation: the
    # relation's own queryset, already evaluated, which instance.<relation>.all() then
    # returns (and .filter() still asks the database). Django has no public way to give
    # it rows read otherwise.
    queryset = getattr(instance, relation).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def service_summary_data(service, url_for=_no_url):
    """What a listing shows of a service: public fields only."""
    return {
        "type": "service",
        **_service_ref(service, url_for),
        "status_label": _label(ServiceStatus, service.status),
        "organisation": _organisation_ref(service.organisation, url_for),
        "life_situations": _terms(service.life_situations.all()),
        "sectors": _terms(service.sectors.all()),
    }


def service_data(service, *, professional=False, url_for=_no_url, at=None, operating_models=None):
    """`operating_models`: {uid: data} from contracts.operating_models() when the caller
    resolved the models of many services at once (the door finder), else resolved here."""
    at = at or hours_lib.now()
    locations = []
    for sal in service.service_at_locations.all():
        schedule = sal.effective_schedule()
        owner = sal if sal.has_hours else sal.location
        entry = {
            "uid": sal.uid,
            "description": sal.description,
            "phone_number": sal.phone_number,
            "call_charge_label": _label(CallCharge, sal.call_charge)
            if sal.phone_number and sal.call_charge
            else "",
            "email": sal.email,
            "location": location_brief(sal.location, url_for),
            "hours": hours_data(owner, schedule, at),
        }
        if professional:
            entry["professional"] = {
                "contacts": [_contact_person(p, url_for) for p in sal.contact_people.all()],
            }
        locations.append(entry)

    data = {
        "type": "service",
        **_service_ref(service, url_for),
        "description": service.description,
        "how_to_access": service.how_to_access,
        "status_label": _label(ServiceStatus, service.status),
        "organisation": _organisation_ref(service.organisation, url_for),
        "sectors": _terms(service.sectors.all()),
        "target_groups": _terms(service.target_groups.all()),
        "life_situations": _terms(service.life_situations.all()),
        "service_classes": _terms(service.service_classes.all(), key="code"),
        "languages": _terms(service.languages.all(), key="code"),
        "age": {"minimum": service.minimum_age, "maximum": service.maximum_age},
        "charge": {
            "type": service.charge,
            "label": _label(Charge, service.charge),
            "details": service.charge_details,
        },
        "area": {
            "nationwide": service.nationwide,
            "counties": _areas(service.counties.all()),
            "municipalities": _areas(service.municipalities.all()),
            "postal_codes": [{"code": p.code, "name": p.name_fi.title()} for p in service.postal_codes.all()],
        },
        "operating_model": contracts.operating_model(service.operating_model_uid)
        if operating_models is None
        else operating_models.get(service.operating_model_uid),
        "channels": [_channel(channel, at) for channel in service.channels.all()],
        # None when no location or channel has hours one can walk in or call in: then
        # neither "open" nor "closed" would be true (by appointment, or not given).
        "open_now": selectors.open_now(service, at) if _has_open_hours(service) else None,
        "locations": locations,
        "teams": [_team_ref(team, url_for) for team in service.teams.all()],
        "last_verified_on": service.last_verified_on,
        "updated_at": service.updated_at,
    }
    if professional:
        data["professional"] = {
            "referral_instructions": service.referral_instructions,
            "consultation_instructions": service.consultation_instructions,
            "direct_phone": service.professional_phone,
            "contacts": [_contact_person(p, url_for) for p in service.contact_people.all()],
        }
    return data


# Organisations -------------------------------------------------------------------------------


def organisation_data(org, *, professional=False, url_for=_no_url):
    services = [s for s in org.services.all() if s.status in PUBLIC_SERVICE_STATUSES]
    data = {
        "type": "organisation",
        "uid": org.uid,
        "url": url_for("organisation", org.uid),
        "name": org.name,
        "description": org.description,
        "business_id": org.business_id,
        "organisation_type": org.organisation_type,
        "organisation_type_label": _label(OrganisationType, org.organisation_type),
        "sectors": _terms(org.sectors.all()),
        "parent": _organisation_ref(org.parent, url_for) if org.parent_id else None,
        "children": [_organisation_ref(child, url_for) for child in org.children.all()],
        "municipality": {"code": org.municipality.code, "name": org.municipality.name}
        if org.municipality_id
        else None,
        "website": org.website,
        "email": org.email,
        "phone": org.phone,
        "address": org.address,
        "services": [_service_ref(s, url_for) for s in services],
        "locations": [location_brief(loc, url_for) for loc in org.locations.all()],
        "teams": [_team_ref(team, url_for) for team in _teams_of(org)],
        "last_verified_on": org.last_verified_on,
        "updated_at": org.updated_at,
    }
    if professional:
        data["professional"] = {
            "contacts": [_contact_person(p, url_for) for p in org.contact_people.all()],
        }
    return data


def _teams_of(org):
    """Teams the organisation coordinates or takes part in."""

    return Team.objects.filter(
        Q(organisation=org) | Q(members__organisation=org)
    ).distinct()  # in Team's default order, a total one


# Locations --------------------------------------------------------------------------------------


def location_data(location, *, professional=False, url_for=_no_url, at=None):
    at = at or hours_lib.now()
    services = []
    for sal in location.service_at_locations.all():
        if sal.service.status in PUBLIC_SERVICE_STATUSES:
            services.append(
                {
                    **_service_ref(sal.service, url_for),
                    "hours": hours_data(sal, at=at) if sal.has_hours else None,
                }
            )
    return {
        "type": "location",
        **location_brief(location, url_for),
        "street_address_sv": location.street_address_sv,
        "description": location.description,
        "transportation": location.transportation,
        "accessibility": location.accessibility,
        "accessibility_url": location.accessibility_url,
        "entrances": location.entrances,
        "organisation": _organisation_ref(location.organisation, url_for),
        "hours": hours_data(location, at=at),
        "open_now": selectors.open_now(location, at) if location.hours_mode in OPEN_MODES else None,
        "services": services,
        "teams": [_team_ref(team, url_for) for team in location.teams.all()],
        "last_verified_on": location.last_verified_on,
        "updated_at": location.updated_at,
    }
    # A location has no professional-only fields of its own; `professional` is
    # accepted so every represent_* function has the same shape.


# Teams -----------------------------------------------------------------------------------------


def team_data(team, *, professional=False, url_for=_no_url):
    members = list(team.members.all())
    data = {
        "type": "team",
        "uid": team.uid,
        "url": url_for("team", team.uid),
        "name": team.name,
        "team_type": team.team_type,
        "team_type_label": _label(TeamType, team.team_type),
        "description": team.description,
        "operating_model": contracts.operating_model(team.operating_model_uid),
        "organisation": _organisation_ref(team.organisation, url_for),
        "area": {
            "counties": _areas(team.counties.all()),
            "municipalities": _areas(team.municipalities.all()),
        },
        "location": location_brief(team.location, url_for) if team.location_id else None,
        "services": [
            _service_ref(s, url_for) for s in team.services.all() if s.status in PUBLIC_SERVICE_STATUSES
        ],
        "members": [
            {"organisation": _organisation_ref(member.organisation, url_for), "role": member.role}
            for member in members
        ],
        "last_verified_on": team.last_verified_on,
        "updated_at": team.updated_at,
    }
    if professional:
        data["professional"] = {
            "consultation_instructions": team.consultation_instructions,
            "direct_phone": team.professional_phone,
            "email": team.professional_email,
            "member_contacts": [
                {
                    "organisation": _organisation_ref(member.organisation, url_for),
                    "role": member.role,
                    "contact": _contact_person(member.contact_person, url_for),
                }
                for member in members
                if member.contact_person_id
            ],
        }
    return data


# For a user ----------------------------------------------------------------------------------------


def represent_service(service, user, **kwargs):
    return service_data(service, professional=can_see_professional_data(user), **kwargs)


def represent_organisation(org, user, **kwargs):
    return organisation_data(org, professional=can_see_professional_data(user), **kwargs)


def represent_location(location, user, **kwargs):
    return location_data(location, professional=can_see_professional_data(user), **kwargs)


def represent_team(team, user, **kwargs):
    return team_data(team, professional=can_see_professional_data(user), **kwargs)


def network_map_data(municipality, user, url_for=_no_url):
    """The network map of a municipality, or None: it is for professionals only."""
    if not can_see_professional_data(user):
        return None
    data = network.network_data(municipality, url_for)
    data["svg"] = network.svg_layout(data)
    return data


# Professional-only parts on their own ---------------------------------------------------------
# For search documents: their public text comes from the *_data(..., professional=False)
# representations above, their professional text only from these.


def service_professional_data(service, url_for=_no_url):
    """What service_data(professional=True) adds to the public service, in one dict."""
    return {
        "referral_instructions": service.referral_instructions,
        "consultation_instructions": service.consultation_instructions,
        "direct_phone": service.professional_phone,
        "contacts": [_contact_person(p, url_for) for p in service.contact_people.all()],
        "location_contacts": [
            _contact_person(p, url_for)
            for sal in service.service_at_locations.all()
            for p in sal.contact_people.all()
        ],
    }


def organisation_professional_data(org, url_for=_no_url):
    return {"contacts": [_contact_person(p, url_for) for p in org.contact_people.all()]}


def team_professional_data(team, url_for=_no_url):
    return team_data(team, professional=True, url_for=url_for)["professional"]


def contact_person_data(person, url_for=_no_url):
    """A contact person's own record, with the services, places and teams they answer for.
    Professional-only as a whole: only for professional representations (and
    professional-only search documents)."""
    return {
        **_contact_person(person, url_for),
        "services": [
            _service_ref(s, url_for) for s in person.services.all() if s.status in PUBLIC_SERVICE_STATUSES
        ],
        "service_locations": [
            {"service": _service_ref(sal.service, url_for), "location": location_brief(sal.location, url_for)}
            for sal in person.service_at_locations.all()
            if sal.service.status in PUBLIC_SERVICE_STATUSES
        ],
        "teams": [
            {**_team_ref(membership.team, url_for), "role": membership.role}
            for membership in person.team_memberships.all()
        ],
    }
