"""factory_boy factories for the directory. People and numbers are fictional."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from directory.choices import HoursMode, OrganisationType, ServiceStatus, TeamType
from directory.models import (
    ContactPerson,
    LifeSituation,
    Location,
    Municipality,
    Organisation,
    Service,
    ServiceAtLocation,
    ServiceChannel,
    Team,
    TeamMember,
    WellbeingCounty,
)


def municipality(code):
    return Municipality.objects.select_related("county").get(code=code)


def county(code):
    return WellbeingCounty.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = factory.django.Password("test-pass-123")


class LifeSituationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LifeSituation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"situation-{n}")
    name_fi = factory.Sequence(lambda n: f"Elämäntilanne {n}")
    name_sv = factory.Sequence(lambda n: f"Livssituation {n}")
    name_en = factory.Sequence(lambda n: f"Life situation {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_fi = factory.Sequence(lambda n: f"Organisaatio {n}")
    name_sv = factory.Sequence(lambda n: f"Organisation {n}")
    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    organisation_type = OrganisationType.MUNICIPALITY


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organisation = factory.SubFactory(OrganisationFactory)
    name_fi = factory.Sequence(lambda n: f"Toimipiste {n}")
    name_sv = factory.Sequence(lambda n: f"Verksamhetsställe {n}")
    name_en = factory.Sequence(lambda n: f"Office {n}")
    street_address_fi = "Koulukatu 1"
    postal_code = "80100"  # Joensuu
    latitude = Decimal("62.601000")
    longitude = Decimal("29.763000")


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name_fi = factory.Sequence(lambda n: f"Palvelu {n}")
    name_sv = factory.Sequence(lambda n: f"Tjänst {n}")
    name_en = factory.Sequence(lambda n: f"Service {n}")
    summary_fi = "Lyhyt kuvaus palvelusta."
    summary_en = "A short description of the service."
    status = ServiceStatus.ACTIVE

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        """areas=[Municipality or WellbeingCounty, ...]"""
        if not extracted:
            return
        self.municipalities.set([a for a in extracted if isinstance(a, Municipality)])
        self.counties.set([a for a in extracted if isinstance(a, WellbeingCounty)])
        if create:
            self.save()

    @factory.post_generation
    def life_situations(self, create, extracted, **kwargs):
        if not extracted:
            return
        self.life_situations.set(extracted)
        if create:
            self.save()


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(
        LocationFactory, organisation=factory.SelfAttribute("..service.organisation")
    )


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceChannel

    service = factory.SubFactory(ServiceFactory)
    kind = "phone"
    phone_number = "013 000 0000"


class ContactPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPerson
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Testi Henkilö {n}")
    title_fi = "sosiaaliohjaaja"
    phone = "040 000 0001"
    email = factory.Sequence(lambda n: f"henkilo{n}@example.invalid")

    @factory.post_generation
    def services(self, create, extracted, **kwargs):
        if extracted:
            self.services.set(extracted)
            if create:
                self.save()


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name_fi = factory.Sequence(lambda n: f"Aluetiimi {n}")
    name_sv = factory.Sequence(lambda n: f"Områdesteam {n}")
    name_en = factory.Sequence(lambda n: f"Area team {n}")
    team_type = TeamType.AREA_TEAM

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if not extracted:
            return
        self.municipalities.set([a for a in extracted if isinstance(a, Municipality)])
        self.counties.set([a for a in extracted if isinstance(a, WellbeingCounty)])
        if create:
            self.save()


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role_fi = "koulukuraattori"
    role_en = "school social worker"


def weekly_hours(owner, spans, mode=HoursMode.WEEKLY, **owner_fields):
    """Give `owner` weekly hours: spans = [(weekday, "08:00", "16:00"), ...]."""
    owner.hours_mode = mode
    for name, value in owner_fields.items():
        setattr(owner, name, value)
    owner.save()
    relation = owner._meta.get_field(owner.weekly_hours_name)
    for weekday, opens, closes in spans:
        relation.related_model.objects.create(
            **{relation.field.name: owner},
            weekday=weekday,
            opens=datetime.time.fromisoformat(opens),
            closes=datetime.time.fromisoformat(closes),
        )
    return owner


def office_hours(owner):
    """Monday to Friday 8–16."""
    return weekly_hours(owner, [(day, "08:00", "16:00") for day in range(5)])
