"""How directory records become search documents (docs/search.md, "How apps feed search").

Public text is built from directory.presenters' public representations
(`*_data(..., professional=False)`); professional-only data comes only from
the presenters' professional functions and goes only into `professional_text` or
into professional-only documents (contact people). Facets, places, areas and
opening hours come from public fields.

A record is a document in Finnish and in each other language it has its own
name in; a missing language falls back to Finnish in the index (search does
that), so a Swedish search still finds a Finnish-only record.
"""

from django.db.models import Prefetch, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from directory import geography, presenters, visibility
from directory import hours as hours_lib
from directory.choices import PUBLIC_SERVICE_STATUSES, ContactRole, OrganisationType, ServiceStatus, TeamType
from directory.models import (
    ContactPerson,
    DirectoryIndexPage,
    Location,
    LocationHoursException,
    LocationWeeklyHours,
    Municipality,
    Organisation,
    Service,
    ServiceAtLocation,
    ServiceAtLocationHoursException,
    ServiceAtLocationWeeklyHours,
    ServiceChannel,
    ServiceChannelHoursException,
    ServiceChannelWeeklyHours,
    Team,
    TeamMember,
    WellbeingCounty,
)
from search import contracts
from search.documents import (
    PROFESSIONAL,
    Area,
    DocumentType,
    Facet,
    OpenHours,
    SearchDocument,
    join_text,
    register,
)
from search.localization import (
    DEFAULT_LANGUAGE,
    OTHER_LANGUAGES,
    in_every_language,
    translations,
)
from search.signals import watch

MINUTES_PER_DAY = 24 * 60

# Entry points (one doors) rank a little above other services with the same match.
ENTRY_POINT_BOOST = 1.2
# What _service_area() reads.
SERVICE_AREA = ("municipalities", "counties", "postal_codes__municipality")


# Small pieces --------------------------------------------------------------------------------


def _no_url(kind, uid):
    return None


def _choice_labels(choices, value):
    try:
        return in_every_language(choices(value).label)
    except ValueError:
        return {"fi": value}


def _languages_of(obj, field="name"):
    """Finnish, and the other languages the record has its own `field` in."""
    return [DEFAULT_LANGUAGE] + [
        language for language in OTHER_LANGUAGES if getattr(obj, f"{field}_{language}", "")
    ]


def _minutes(time):
    return time.hour * 60 + time.minute


def open_hours(schedules, on=None):
    """OpenHours (minutes of the week, Helsinki time) of the regular week of the
    schedules that are open to walk in or call (weekly or always open), or None.

    The index holds the regular week: exceptions and public holidays are not in it
    (the record's own page shows them).
    """
    intervals, always_open = set(), False
    for schedule in schedules:
        if schedule.mode == hours_lib.ALWAYS_OPEN:
            always_open = True
        elif schedule.mode == hours_lib.WEEKLY:
            for weekday, spans in hours_lib.weekly_table(schedule, on):
                for opens, closes in spans:
                    start = weekday * MINUTES_PER_DAY + _minutes(opens)
                    end = weekday * MINUTES_PER_DAY + _minutes(closes)
                    if end <= start:  # over midnight; 00:00-00:00 is the whole day
                        end += MINUTES_PER_DAY
                    intervals.add((start, end))
    if not always_open and not intervals:
        return None
    return OpenHours(intervals=sorted(intervals), always_open=always_open)


class Facets:
    """Facet values and their labels for one document."""

    def __init__(self):
        self.values = {}
        self.labels = {}

    def add(self, facet, value, labels):
        if value in (None, ""):
            return
        value = str(value)
        values = self.values.setdefault(facet, [])
        if value not in values:
            values.append(value)
        self.labels.setdefault(facet, {})[value] = {k: v for k, v in labels.items() if v}

    def add_named(self, facet, items, key="slug"):
        for item in items:
            self.add(facet, getattr(item, key), translations(item))


class Context:
    """What every document of one indexing run shares: the directory page URLs of
    each language and the municipalities with their counties."""

    def __init__(self):
        self.builders = {}
        for page in DirectoryIndexPage.objects.live().select_related("locale"):
            self.builders.setdefault(page.locale.language_code, page.url_builder())
        self.municipalities = {m.code: m for m in Municipality.objects.select_related("county")}
        self.counties = {c.code: c for c in WellbeingCounty.objects.all()}
        self.at = hours_lib.now()

    def url_for(self, language):
        return self.builders.get(language) or _no_url

    def urls(self, kind, uid, languages):
        urls = {}
        for language in languages:
            url = self.url_for(language)(kind, uid)
            if url:
                urls[language] = url
        return urls

    def add_place(self, facets, municipality_code):
        """The municipality and its wellbeing services county as facets."""
        municipality = self.municipalities.get(municipality_code)
        if municipality is None:
            return
        facets.add("municipality", municipality.code, translations(municipality))
        if municipality.county is not None:
            facets.add("county", municipality.county.code, translations(municipality.county))

    def add_county(self, facets, county_code):
        county = self.counties.get(county_code)
        if county is not None:
            facets.add("county", county.code, translations(county))


def _point(location):
    if location and location.get("latitude") is not None and location.get("longitude") is not None:
        return (location["latitude"], location["longitude"])
    return None


def _location_text(brief):
    if not brief:
        return ""
    post = f"{brief['postal_code']} {brief['post_office']}".strip()
    return join_text(brief["name"], brief["street_address"], post)


def _contact_text(contact):
    fields = ("name", "title", "role_label", "expertise", "phone", "email")
    return join_text(*(contact[field] for field in fields))


def _area(municipality_codes=(), county_codes=(), whole_country=False):
    return Area(
        municipalities=sorted(set(municipality_codes)),
        counties=sorted(set(county_codes)),
        whole_country=whole_country,
    )


def _service_area(service):
    """Where the service serves: listed municipalities (and those of listed postal
    code areas), counties, or the whole country: as directory.selectors reads it."""
    municipalities = [m.code for m in service.municipalities.all()]
    municipalities += [p.municipality.code for p in service.postal_codes.all()]
    return _area(municipalities, [c.code for c in service.counties.all()], service.nationwide)


def _merge_areas(areas):
    areas = list(areas)
    return _area(
        [code for area in areas for code in area.municipalities],
        [code for area in areas for code in area.counties],
        any(area.whole_country for area in areas),
    )


def _public(services):
    return [service for service in services if service.status in PUBLIC_SERVICE_STATUSES]


# What the directory's documents are to search -----------------------------------------------
# Their types (the search page's tabs, by position) and the facets a search filters them by
# (search.contracts; docs/architecture.md, "Where a new document type or facet goes").
# models_library and portal use the shared facets for their documents too.

SERVICE_TYPE = DocumentType("service", _("Service"), _("Services"), position=20)
ORGANISATION_TYPE = DocumentType("organisation", _("Organisation"), _("Organisations"), position=30)
TEAM_TYPE = DocumentType("team", _("Team"), _("Teams"), position=40)
LOCATION_TYPE = DocumentType("location", _("Location"), _("Locations"), position=50)
CONTACT_PERSON_TYPE = DocumentType(
    "contact_person", _("Contact person"), _("Contact people"), position=80, professional_only=True
)

SECTOR = Facet(
    "sector",
    _("Sector"),
    position=20,
    searchable=True,
    description="Sectors (facet values from the answer's `facets.sector`).",
    example=("social_services",),
)
MUNICIPALITY = Facet(
    "municipality",
    _("Municipality"),
    position=30,
    searchable=True,
    description="Municipalities the result is in, by official three-digit code. For the municipalities a "
    "service serves, use `serves_municipality` or `postal_code`.",
    example=("167",),
)
COUNTY = Facet(
    "county",
    _("Wellbeing services county"),
    position=40,
    searchable=True,
    description="Wellbeing services counties the result is in, by code.",
    example=("12",),
)
TARGET_GROUP = Facet(
    "target_group",
    _("Target group"),
    position=50,
    searchable=True,
    description="Target groups.",
    example=("families",),
)
# Life situations here and in portal's pathways, the library's topics in operating models.
TOPIC = Facet(
    "topic",
    _("Topic"),
    position=60,
    searchable=True,
    description="Topics (operating models).",
    example=("child_welfare",),
)
DIRECTORY_FACETS = (SECTOR, MUNICIPALITY, COUNTY, TARGET_GROUP, TOPIC)


# Sources --------------------------------------------------------------------------------------


class DirectorySource:
    """The shared shape of the directory's sources: a queryset of searchable,
    prefetched records and a `build(record, context)` per kind."""

    name = ""
    type = ""
    document_types: tuple[DocumentType, ...] = ()
    facets = DIRECTORY_FACETS
    model = None

    def queryset(self):
        raise NotImplementedError

    def build(self, record, context):
        raise NotImplementedError

    def iter_documents(self):
        context = Context()
        for record in self.queryset().iterator(chunk_size=200):
            document = self.build(record, context)
            if document is not None:
                yield document

    def document_for(self, record):
        # Fetched again through the queryset: prefetched, and None when not searchable.
        record = self.queryset().filter(pk=record.pk).first()
        return self.build(record, Context()) if record is not None else None

    def key_for(self, record):
        return f"{self.type}:{record.uid}"

    def get_object(self, pk):
        """The record with this primary key (searchable or not), or None: for the index update tasks."""
        return self.model.objects.filter(pk=pk).first()


class ServiceDocuments(DirectorySource):
    name = "directory.service"
    type = "service"
    document_types = (SERVICE_TYPE,)
    model = Service

    def queryset(self):
        return presenters.prefetch_service(Service.objects.public()).prefetch_related(
            "postal_codes__municipality", "service_classes"
        )

    def build(self, service, context):
        if service.status not in PUBLIC_SERVICE_STATUSES:
            return None
        languages = _languages_of(service)
        title, text, professional_text = {}, {}, {}
        for language in languages:
            with translation.override(language):
                url_for = context.url_for(language)
                data = presenters.service_data(service, professional=False, url_for=url_for, at=context.at)
                extra = presenters.service_professional_data(service, url_for)
            title[language] = data["name"]
            text[language] = join_text(
                data["summary"],
                data["description"],
                data["how_to_access"],
                data["organisation"]["name"],
                [item["name"] for item in data["service_classes"]],
                data["charge"]["details"],
                [channel["label"] for channel in data["channels"]],
                [
                    join_text(item["description"], _location_text(item["location"]))
                    for item in data["locations"]
                ],
                [team["name"] for team in data["teams"]],
                data["operating_model"]["title"] if data["operating_model"] else "",
            )
            professional_text[language] = join_text(
                extra["referral_instructions"],
                extra["consultation_instructions"],
                extra["direct_phone"],
                [_contact_text(contact) for contact in extra["contacts"] + extra["location_contacts"]],
            )

        facets = Facets()
        facets.add_named("sector", service.sectors.all())
        facets.add_named("target_group", service.target_groups.all())
        facets.add_named("topic", service.life_situations.all())
        facets.add_named("service_class", service.service_classes.all(), key="code")
        area = _service_area(service)
        locations = []
        for sal in service.service_at_locations.all():
            if sal.location.municipality_id:
                context.add_place(facets, sal.location.municipality.code)
            point = _point(presenters.location_brief(sal.location))
            if point:
                locations.append(point)
        for code in area.municipalities:
            context.add_place(facets, code)
        for code in area.counties:
            context.add_county(facets, code)
        if service.is_entry_point:
            entry_point = Service._meta.get_field("is_entry_point").verbose_name
            facets.add("entry_point", "yes", in_every_language(entry_point))

        schedules = [sal.effective_schedule() for sal in service.service_at_locations.all()]
        schedules += [channel.schedule() for channel in service.channels.all() if channel.has_hours]
        # A temporarily closed service is never open (directory.selectors.open_now).
        is_active = service.status == ServiceStatus.ACTIVE
        return SearchDocument(
            type=self.type,
            uid=str(service.uid),
            title=title,
            url=context.urls("service", service.uid, languages),
            text=text,
            professional_text=professional_text,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=locations,
            area=area,
            open_hours=open_hours(schedules, context.at.date()) if is_active else None,
            boost=ENTRY_POINT_BOOST if service.is_entry_point else 1.0,
        )


class OrganisationDocuments(DirectorySource):
    name = "directory.organisation"
    type = "organisation"
    document_types = (ORGANISATION_TYPE,)
    model = Organisation

    def queryset(self):
        return Organisation.objects.select_related("parent", "municipality").prefetch_related(
            "sectors",
            "children",
            "locations__municipality",
            "contact_people__organisation",
            Prefetch("services", queryset=Service.objects.prefetch_related(*SERVICE_AREA)),
        )

    def build(self, org, context):
        languages = _languages_of(org)
        title, text, professional_text = {}, {}, {}
        for language in languages:
            with translation.override(language):
                url_for = context.url_for(language)
                data = presenters.organisation_data(org, professional=False, url_for=url_for)
                extra = presenters.organisation_professional_data(org, url_for)
            title[language] = data["name"]
            text[language] = join_text(
                data["description"],
                data["organisation_type_label"],
                data["parent"]["name"] if data["parent"] else "",
                [child["name"] for child in data["children"]],
                [_location_text(location) for location in data["locations"]],
                [team["name"] for team in data["teams"]],
                data["business_id"],
            )
            professional_text[language] = join_text([_contact_text(contact) for contact in extra["contacts"]])

        facets = Facets()
        facets.add_named("sector", org.sectors.all())
        org_type = org.organisation_type
        facets.add("organisation_type", org_type, _choice_labels(OrganisationType, org_type))
        if org.municipality_id:
            context.add_place(facets, org.municipality.code)
        locations = []
        for location in org.locations.all():
            if location.municipality_id:
                context.add_place(facets, location.municipality.code)
            point = _point(presenters.location_brief(location))
            if point:
                locations.append(point)
        # Serves where its public services serve, and its home municipality.
        areas = [_service_area(service) for service in _public(org.services.all())]
        if org.municipality_id:
            areas.append(_area([org.municipality.code]))
        return SearchDocument(
            type=self.type,
            uid=str(org.uid),
            title=title,
            url=context.urls("organisation", org.uid, languages),
            text=text,
            professional_text=professional_text,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=locations,
            area=_merge_areas(areas) if areas else None,
        )


class LocationDocuments(DirectorySource):
    name = "directory.location"
    type = "location"
    document_types = (LOCATION_TYPE,)
    model = Location

    def queryset(self):
        return Location.objects.select_related("organisation", "municipality").prefetch_related(
            "weekly_hours",
            "hours_exceptions",
            "teams",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("service").prefetch_related(
                    "weekly_hours", "hours_exceptions", "service__sectors", "service__life_situations"
                ),
            ),
        )

    def build(self, location, context):
        languages = _languages_of(location)
        title, text = {}, {}
        for language in languages:
            with translation.override(language):
                data = presenters.location_data(
                    location, professional=False, url_for=context.url_for(language), at=context.at
                )
            title[language] = data["name"]
            text[language] = join_text(
                data["description"],
                _location_text(data),
                data["street_address_sv"] if language == "sv" else "",
                data["organisation"]["name"],
                [service["name"] for service in data["services"]],
                [team["name"] for team in data["teams"]],
                data["transportation"],
                data["entrances"],
                data["accessibility"],
            )

        facets = Facets()
        if location.municipality_id:
            context.add_place(facets, location.municipality.code)
        sals = [sal for sal in location.service_at_locations.all() if sal.service.is_public]
        for sal in sals:
            facets.add_named("sector", sal.service.sectors.all())
            facets.add_named("topic", sal.service.life_situations.all())
        # Open when the location is, or a service here with hours of its own.
        schedules = [location.schedule()] + [
            sal.schedule() for sal in sals if sal.has_hours and sal.service.status == ServiceStatus.ACTIVE
        ]
        point = _point(presenters.location_brief(location))
        return SearchDocument(
            type=self.type,
            uid=str(location.uid),
            title=title,
            url=context.urls("location", location.uid, languages),
            text=text,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=[point] if point else [],
            area=_area([location.municipality.code]) if location.municipality_id else None,
            open_hours=open_hours(schedules, context.at.date()),
        )


class TeamDocuments(DirectorySource):
    name = "directory.team"
    type = "team"
    document_types = (TEAM_TYPE,)
    model = Team

    def queryset(self):
        return Team.objects.select_related("organisation", "location__municipality").prefetch_related(
            "counties",
            "municipalities",
            "postal_codes__municipality",
            "services",
            "members__organisation__sectors",
            "members__contact_person__organisation",
        )

    def build(self, team, context):
        languages = _languages_of(team)
        title, text, professional_text = {}, {}, {}
        for language in languages:
            with translation.override(language):
                url_for = context.url_for(language)
                data = presenters.team_data(team, professional=False, url_for=url_for)
                extra = presenters.team_professional_data(team, url_for)
            title[language] = data["name"]
            text[language] = join_text(
                data["team_type_label"],
                data["description"],
                data["organisation"]["name"],
                data["operating_model"]["title"] if data["operating_model"] else "",
                _location_text(data["location"]),
                [service["name"] for service in data["services"]],
                [join_text(member["organisation"]["name"], member["role"]) for member in data["members"]],
            )
            professional_text[language] = join_text(
                extra["consultation_instructions"],
                extra["direct_phone"],
                extra["email"],
                [
                    join_text(item["role"], _contact_text(item["contact"]))
                    for item in extra["member_contacts"]
                ],
            )

        facets = Facets()
        facets.add("team_type", team.team_type, _choice_labels(TeamType, team.team_type))
        for member in team.members.all():
            facets.add_named("sector", member.organisation.sectors.all())
        municipalities = [m.code for m in team.municipalities.all()]
        municipalities += [p.municipality.code for p in team.postal_codes.all()]
        counties = [c.code for c in team.counties.all()]
        for code in municipalities:
            context.add_place(facets, code)
        for code in counties:
            context.add_county(facets, code)
        if team.location_id and team.location.municipality_id:
            context.add_place(facets, team.location.municipality.code)
        point = _point(presenters.location_brief(team.location)) if team.location_id else None
        return SearchDocument(
            type=self.type,
            uid=str(team.uid),
            title=title,
            url=context.urls("team", team.uid, languages),
            text=text,
            professional_text=professional_text,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=[point] if point else [],
            area=_area(municipalities, counties),
        )


class ContactPersonDocuments(DirectorySource):
    """Contact people are professional-only documents: a nurse typing
    "päihdetyöntekijä Kuopio" finds the substance-abuse worker in Kuopio; an
    anonymous search never sees them (search hides the whole document)."""

    name = "directory.contact_person"
    type = "contact_person"
    document_types = (CONTACT_PERSON_TYPE,)
    model = ContactPerson

    def queryset(self):
        return ContactPerson.objects.select_related("organisation__municipality").prefetch_related(
            Prefetch(
                "services",
                queryset=Service.objects.prefetch_related("sectors", *SERVICE_AREA),
            ),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location__municipality").prefetch_related(
                    Prefetch(
                        "service",
                        queryset=Service.objects.prefetch_related("sectors", *SERVICE_AREA),
                    )
                ),
            ),
            Prefetch("team_memberships", queryset=TeamMember.objects.select_related("team")),
        )

    def build(self, person, context):
        languages = _languages_of(person, "title")
        title, text = {}, {}
        for language in languages:
            with translation.override(language):
                data = presenters.contact_person_data(person, context.url_for(language))
            title[language] = data["name"]
            text[language] = join_text(
                data["title"],
                data["role_label"],
                data["expertise"],
                data["organisation"]["name"],
                data["phone"],
                data["email"],
                [service["name"] for service in data["services"]],
                [
                    join_text(item["service"]["name"], _location_text(item["location"]))
                    for item in data["service_locations"]
                ],
                [join_text(team["name"], team["role"]) for team in data["teams"]],
            )

        services = list(person.services.all()) + [sal.service for sal in person.service_at_locations.all()]
        services = _public(services)
        facets = Facets()
        areas = []
        for service in services:
            facets.add_named("sector", service.sectors.all())
            areas.append(_service_area(service))
        locations = []
        for sal in person.service_at_locations.all():
            if sal.service.status not in PUBLIC_SERVICE_STATUSES:
                continue
            if sal.location.municipality_id:
                context.add_place(facets, sal.location.municipality.code)
            point = _point(presenters.location_brief(sal.location))
            if point:
                locations.append(point)
        if person.organisation.municipality_id:
            context.add_place(facets, person.organisation.municipality.code)
            areas.append(_area([person.organisation.municipality.code]))
        area = _merge_areas(areas) if areas else None
        if area:
            for code in area.municipalities:
                context.add_place(facets, code)
            for code in area.counties:
                context.add_county(facets, code)
        if person.role:
            facets.add("contact_role", person.role, _choice_labels(ContactRole, person.role))
        # No page of their own: they are listed on their services' pages (for
        # professionals), else on their organisation's.
        first_service = services[0] if services else None
        url = (
            context.urls("service", first_service.uid, languages)
            if first_service
            else context.urls("organisation", person.organisation.uid, languages)
        )
        return SearchDocument(
            type=self.type,
            uid=str(person.uid),
            title=title,
            url=url,
            text=text,
            facets=facets.values,
            facet_labels=facets.labels,
            locations=locations,
            area=area,
            visibility=PROFESSIONAL,
        )


SOURCES = (
    ServiceDocuments(),
    OrganisationDocuments(),
    LocationDocuments(),
    TeamDocuments(),
    ContactPersonDocuments(),
)


def register_sources():
    for source in SOURCES:
        register(source)
    connect_index_updates()


class DirectoryForSearch:
    """The directory's side of the contracts search declares (search.contracts.AUDIENCE
    and PLACES): who is a professional, and where a postal code or municipality is."""

    def is_professional(self, user):
        return visibility.can_see_professional_data(user)

    def area_for_search(self, postal_code="", municipality=""):
        return geography.area_for_search(postal_code=postal_code, municipality=municipality)

    def place_names(self):
        return geography.place_names()

    def district_names(self):
        return geography.district_names()


def provide_search_contracts():
    contracts.provide(contracts.AUDIENCE, DirectoryForSearch())
    contracts.provide(contracts.PLACES, DirectoryForSearch())


# Index updates on change -------------------------------------------------------------------------
# Which documents show what: a save or delete of a record re-indexes its own
# document and the documents that show it (search.signals.watch reads these
# before and after the change).

SERVICE, ORGANISATION, LOCATION, TEAM, PERSON = (source.name for source in SOURCES)


def _service_related(service):
    yield ORGANISATION, service.organisation
    for sal in ServiceAtLocation.objects.filter(service=service.pk).select_related("location"):
        yield LOCATION, sal.location
    for team in Team.objects.filter(services=service.pk):
        yield TEAM, team
    listed = Q(services=service.pk) | Q(service_at_locations__service=service.pk)
    people = ContactPerson.objects.filter(listed)
    for person in people.distinct():
        yield PERSON, person


def _service_at_location_related(sal):
    yield SERVICE, sal.service
    yield LOCATION, sal.location
    for person in sal.contact_people.all():
        yield PERSON, person


def _location_related(location):
    yield ORGANISATION, location.organisation
    for sal in ServiceAtLocation.objects.filter(location=location.pk).select_related("service"):
        # A service at the location without hours of its own keeps the location's hours.
        yield SERVICE, sal.service
    for team in Team.objects.filter(location=location.pk):
        yield TEAM, team
    for person in ContactPerson.objects.filter(service_at_locations__location=location.pk).distinct():
        yield PERSON, person


def _organisation_related(org):
    for model, source in ((Service, SERVICE), (Location, LOCATION), (ContactPerson, PERSON)):
        for record in model.objects.filter(organisation=org.pk):
            yield source, record
    for team in Team.objects.filter(Q(organisation=org.pk) | Q(members__organisation=org.pk)).distinct():
        yield TEAM, team
    for other in Organisation.objects.filter(Q(parent=org.pk) | Q(children=org.pk)).distinct():
        yield ORGANISATION, other


def _team_related(team):
    yield ORGANISATION, team.organisation
    if team.location_id:
        yield LOCATION, team.location
    for service in team.services.all():
        yield SERVICE, service
    for member in team.members.all():
        yield ORGANISATION, member.organisation
        if member.contact_person_id:
            yield PERSON, member.contact_person


def _team_member_related(member):
    yield TEAM, member.team
    yield ORGANISATION, member.organisation
    if member.contact_person_id:
        yield PERSON, member.contact_person


def _contact_person_related(person):
    yield ORGANISATION, person.organisation
    for service in person.services.all():
        yield SERVICE, service
    for sal in ServiceAtLocation.objects.filter(contact_people=person.pk).select_related("service"):
        yield SERVICE, sal.service
    for membership in TeamMember.objects.filter(contact_person=person.pk).select_related("team"):
        yield TEAM, membership.team


def connect_index_updates():
    watch(Service, SERVICE, related=_service_related)
    watch(Organisation, ORGANISATION, related=_organisation_related)
    watch(Location, LOCATION, related=_location_related)
    watch(Team, TEAM, related=_team_related)
    watch(ContactPerson, PERSON, related=_contact_person_related)
    watch(ServiceAtLocation, related=_service_at_location_related)
    watch(TeamMember, related=_team_member_related)
    watch(ServiceChannel, related=lambda channel: [(SERVICE, channel.service)])
    for hours in (ServiceChannelWeeklyHours, ServiceChannelHoursException):
        watch(hours, related=lambda row: [(SERVICE, row.channel.service)])
    for hours in (ServiceAtLocationWeeklyHours, ServiceAtLocationHoursException):
        watch(hours, related=lambda row: [(SERVICE, row.service_at_location.service)])
    for hours in (LocationWeeklyHours, LocationHoursException):
        watch(hours, related=lambda row: [(LOCATION, row.location), *_location_related(row.location)])
