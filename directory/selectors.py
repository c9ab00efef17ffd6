"""Reads of the directory: which services serve a place, the doors for a life
situation, whether something is open, and the lists the pages and reports show."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    Case,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from directory import hours as hours_lib
from directory.choices import ServiceStatus
from directory.models import (
    ContactPerson,
    LifeSituation,
    Location,
    Municipality,
    Organisation,
    Service,
    ServiceAtLocation,
    Team,
)
from directory.models.base import verification_cutoff
from directory.permissions import scope_to_editable
from directory.presenters import prefetch_service

if TYPE_CHECKING:
    from directory.geography import Place

    Where = Place | Municipality
    User = AbstractBaseUser | AnonymousUser

# Locality ranks: how close to the resident the service's area is.
IN_POSTAL_AREA, IN_MUNICIPALITY, IN_COUNTY, NATIONWIDE = 0, 1, 2, 3


def _municipality_of(place: Where) -> Municipality:
    """A geography.Place or a Municipality -> the Municipality."""
    return place if isinstance(place, Municipality) else place.municipality


def _with_locality(queryset: QuerySet[Service], place: Where) -> QuerySet[Service]:
    """Annotate `locality` and keep only the services whose area covers the place.

    0: the place's postal code area is listed (a service for part of a municipality)
    1: the municipality is listed; a service limited to some postal code areas of the
       municipality counts only when the place has no postal code to tell
    2: the municipality's wellbeing services county is listed
    3: the whole country

    Each area test is `pk IN (the area's links)`, not a correlated EXISTS: the database
    reads each area's links once (PostgreSQL hashes them) and then tests every candidate
    service against them, where a correlated subquery probed the link tables once per
    candidate and per test, twice (the filter repeats the CASE). With a national
    directory a situation has thousands of candidates, and the first door answer took
    0.5-0.8 s. IN rather than joins: no duplicate rows on any database.
    """
    municipality = _municipality_of(place)
    postal_code = getattr(place, "postal_code", None)
    postal_links = Service.postal_codes.through.objects
    in_municipality = Q(
        pk__in=Service.municipalities.through.objects.filter(municipality_id=municipality.pk).values(
            "service_id"
        )
    )
    whens = []
    if postal_code is not None:
        limited_here = Q(
            pk__in=postal_links.filter(postalcode__municipality_id=municipality.pk).values("service_id")
        )
        in_postal_area = Q(pk__in=postal_links.filter(postalcode_id=postal_code.pk).values("service_id"))
        whens.append(When(in_postal_area, then=Value(IN_POSTAL_AREA)))
        whens.append(When(in_municipality & ~limited_here, then=Value(IN_MUNICIPALITY)))
    else:
        whens.append(When(in_municipality, then=Value(IN_MUNICIPALITY)))
    if municipality.county_id is not None:
        in_county = Q(
            pk__in=Service.counties.through.objects.filter(wellbeingcounty_id=municipality.county_id).values(
                "service_id"
            )
        )
        whens.append(When(in_county, then=Value(IN_COUNTY)))
    whens.append(When(nationwide=True, then=Value(NATIONWIDE)))
    return queryset.annotate(locality=Case(*whens, default=None, output_field=IntegerField())).filter(
        locality__isnull=False
    )


def services_serving(place: Where, queryset: QuerySet[Service] | None = None) -> QuerySet[Service]:
    """Public services whose area covers the place: its postal code area (when the place
    has one), its municipality, its wellbeing services county, or the whole country.
    Most local first. `place` is a geography.Place or a Municipality."""
    queryset = Service.objects.public() if queryset is None else queryset
    return _with_locality(queryset, place).order_by("locality", "name_fi")


def entry_points(life_situation: LifeSituation | str, place: Where) -> QuerySet[Service]:
    """The one doors for a life situation in a place: active entry-point services that
    answer the situation and serve the place, most local first (postal code area,
    municipality, county, whole country)."""
    situation = (
        LifeSituation.objects.filter(slug=life_situation).first()
        if isinstance(life_situation, str)
        else life_situation
    )
    if situation is None:
        return Service.objects.none()
    queryset = Service.objects.filter(
        status=ServiceStatus.ACTIVE, is_entry_point=True, life_situations=situation
    )
    return services_serving(place, queryset)


def doors_and_help(life_situation: LifeSituation, place: Where) -> list[tuple[int, int, bool, bool]]:
    """entry_points() and after_hours_candidates() of the situation in the place in one
    round trip: (pk, locality, is_door, is_help) of the services of either, most local
    first, each service once. A UNION ALL of the two queries, so each keeps its own plan:
    PostgreSQL walks the situation's links with an index for each, where one query with
    both conditions as OR-ed subqueries scanned every service (40 ms instead of 7 at
    scale 0.1, growing with the directory)."""
    columns = ("pk", "locality", "name_fi", "is_door", "is_help")
    doors = (
        entry_points(life_situation, place)
        .annotate(is_door=Value(True), is_help=Value(False))
        .order_by()
        .values_list(*columns)
    )
    help_ = (
        after_hours_candidates(life_situation, place)
        .annotate(is_door=Value(False), is_help=Value(True))
        .order_by()
        .values_list(*columns)
    )
    merged: dict[int, list[Any]] = {}
    for pk, locality, _name, is_door, is_help in doors.union(help_, all=True).order_by(
        "locality", "name_fi", "pk"
    ):
        row = merged.setdefault(pk, [pk, locality, False, False])
        row[2] = row[2] or is_door
        row[3] = row[3] or is_help
    return [tuple(row) for row in merged.values()]


def open_now(service_or_location_hours: Any, at: datetime | None = None) -> bool:
    """Is it open at `at` (default: now), in Helsinki time?

    Takes a Service, a Location, a ServiceAtLocation, a ServiceChannel or an
    hours.Schedule. A service is open when one of its locations is open or one of its
    channels with opening hours (a phone line, a chat) answers; a service that is not
    active is never open.
    """
    at = at or hours_lib.now()
    target = service_or_location_hours
    if isinstance(target, hours_lib.Schedule):
        return hours_lib.is_open_at(target, at)
    if isinstance(target, Service):
        if target.status != ServiceStatus.ACTIVE:
            return False
        return any(
            hours_lib.is_open_at(sal.effective_schedule(), at) for sal in target.service_at_locations.all()
        ) or any(
            hours_lib.is_open_at(channel.schedule(), at)
            for channel in target.channels.all()
            if channel.has_hours
        )
    if isinstance(target, ServiceAtLocation):
        return hours_lib.is_open_at(target.effective_schedule(), at)
    return hours_lib.is_open_at(target.schedule(), at)


def _schedules_of(service: Service) -> list[hours_lib.Schedule]:
    """The schedules residents can walk in or call in by: its locations' and its channels'."""
    schedules = [sal.effective_schedule() for sal in service.service_at_locations.all()]
    schedules += [channel.schedule() for channel in service.channels.all() if channel.has_hours]
    return schedules


def service_status(service: Service, at: datetime | None = None) -> hours_lib.OpenStatus:
    """The service's open status at `at` (default: now) as one hours.OpenStatus.

    Open when a location or a channel with opening hours is open (closing at the latest
    closing time of those open; "always_open" when one of them is); closed otherwise,
    opening at the earliest next opening. "by_appointment" or "not_given" when no
    location or channel has hours one can walk in or call in. A service that is not
    active is closed with no opening time.
    """
    at = at or hours_lib.now()
    if service.status != ServiceStatus.ACTIVE:
        return hours_lib.OpenStatus("closed")
    statuses = [hours_lib.status_at(schedule, at) for schedule in _schedules_of(service)]
    open_statuses = [status for status in statuses if status.is_open]
    if any(status.state == "always_open" for status in open_statuses):
        return hours_lib.OpenStatus("always_open")
    if open_statuses:
        closes = [status.closes_at for status in open_statuses]
        # One of them open with no end in sight: the service is open with no end either.
        latest = None if None in closes else max(close for close in closes if close is not None)
        return hours_lib.OpenStatus("open", closes_at=latest)
    closed = [status for status in statuses if status.state == "closed"]
    if closed:
        opens = [status.opens_at for status in closed if status.opens_at]
        reasons = [status.reason for status in closed if status.reason]
        return hours_lib.OpenStatus(
            "closed", opens_at=min(opens) if opens else None, reason=reasons[0] if reasons else ""
        )
    if any(status.state == "by_appointment" for status in statuses):
        return hours_lib.OpenStatus("by_appointment")
    return hours_lib.OpenStatus("not_given")


def after_hours_candidates(life_situation: LifeSituation, place: Where) -> QuerySet[Service]:
    """The services editors chose as help for the situation when the door is closed
    (LifeSituation.after_hours_help) that are public and serve the place, most local first."""
    return services_serving(place, life_situation.after_hours_help.public())


def area_organisers(place: Where) -> dict[str, Organisation | None]:
    """The organisations that organise public services for the place: the municipality's
    own and its wellbeing services county's (None when no record names them)."""
    municipality = _municipality_of(place)
    municipality_org = Organisation.objects.filter(organiser_of_municipality=municipality).first()
    county_org = None
    if municipality.county_id is not None:
        county_org = Organisation.objects.filter(organiser_of_county_id=municipality.county_id).first()
    return {"county": county_org, "municipality": municipality_org}


def browse_services(
    *,
    sector: Any = None,
    life_situation: LifeSituation | None = None,
    place: Where | None = None,
    entry_points_only: bool = False,
) -> QuerySet[Service]:
    """The public listing, filtered. With a place, the most local services come first."""
    queryset = Service.objects.public()
    if sector is not None:
        queryset = queryset.filter(sectors=sector)
    if life_situation is not None:
        queryset = queryset.filter(life_situations=life_situation)
    if entry_points_only:
        queryset = queryset.filter(is_entry_point=True)
    if place is not None:
        queryset = _with_locality(queryset, place).order_by("locality", "-is_entry_point", "name_fi")
    else:
        queryset = queryset.order_by("-is_entry_point", "name_fi")
    return queryset.select_related("organisation").prefetch_related("life_situations", "sectors")


def public_service(uid: Any) -> Service | None:

    return prefetch_service(Service.objects.public()).filter(uid=uid).first()


def organisation_by_uid(uid: Any) -> Organisation | None:
    return (
        Organisation.objects.select_related("parent", "municipality")
        .prefetch_related("sectors", "children", "services", "locations__municipality", "contact_people")
        .filter(uid=uid)
        .first()
    )


def location_by_uid(uid: Any) -> Location | None:
    return (
        Location.objects.select_related("organisation", "municipality")
        .prefetch_related(
            "weekly_hours",
            "hours_exceptions",
            "teams",
            "service_at_locations__service",
            "service_at_locations__weekly_hours",
            "service_at_locations__hours_exceptions",
        )
        .filter(uid=uid)
        .first()
    )


def team_by_uid(uid: Any) -> Team | None:
    return (
        Team.objects.select_related("organisation", "location__municipality")
        .prefetch_related(
            "counties",
            "municipalities",
            "services",
            "members__organisation",
            "members__contact_person__organisation",
        )
        .filter(uid=uid)
        .first()
    )


def teams_in_area(municipality: Municipality) -> QuerySet[Team]:
    """Teams whose area includes the municipality (or a postal code area in it) or its
    wellbeing services county."""
    area = Q(municipalities=municipality) | Q(postal_codes__municipality=municipality)
    if municipality.county_id is not None:
        area |= Q(counties=municipality.county_id)
    ids = Team.objects.filter(area).values("pk")
    return (
        Team.objects.filter(pk__in=ids)
        .select_related("organisation")
        .prefetch_related("members__organisation__sectors")
        .order_by("name_fi")
    )


UNVERIFIED_MODELS = (Organisation, Service, Location, ServiceAtLocation, Team, ContactPerson)


def unverified_records(user: User | None = None, today: date | None = None) -> list[Any]:
    """Records nobody has verified in the last 12 months (or ever), oldest first.

    With `user`, only the records that user may edit.
    """
    cutoff = verification_cutoff(today)
    records: list[Any] = []
    for model in UNVERIFIED_MODELS:
        queryset = model.objects.filter(Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff))
        if user is not None:
            queryset = scope_to_editable(queryset, user)
        related = (
            []
            if model is Organisation
            else (["service__organisation", "location"] if model is ServiceAtLocation else ["organisation"])
        )
        records.extend(queryset.select_related("last_verified_by", *related))
    # Never verified first, then the oldest verification.
    records.sort(
        key=lambda record: (
            record.last_verified_on is not None,
            record.last_verified_on or cutoff,
            str(record),
        )
    )
    return records


def other_locations_in_municipality(location: Location, limit: int = 30) -> QuerySet[Location]:
    """Other mapped locations in the same municipality: context on the location's map."""
    if location.municipality_id is None:
        return Location.objects.none()
    return (
        Location.objects.filter(
            municipality_id=location.municipality_id, latitude__isnull=False, longitude__isnull=False
        )
        .exclude(pk=location.pk)
        .select_related("municipality")
        .order_by("name_fi")[:limit]
    )


def municipalities_with_teams() -> list[Municipality]:
    """Municipalities some team names in its area (directly or by a postal code area)."""
    codes = set(Team.municipalities.through.objects.values_list("municipality__code", flat=True))
    codes |= set(Team.postal_codes.through.objects.values_list("postalcode__municipality__code", flat=True))
    return sorted(Municipality.objects.filter(code__in=codes), key=lambda m: m.name.casefold())
