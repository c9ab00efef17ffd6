import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from directory.contracts import OPERATING_MODELS, OperatingModelRef, OperatingModelStage
from directory.demo import ensure_directory_pages
from directory.roles import PROFESSIONALS_GROUP
from directory.services import ensure_directory_groups, link_editor
from search import contracts

from .factories import (
    ContactPersonFactory,
    LifeSituationFactory,
    LocationFactory,
    OrganisationFactory,
    ServiceAtLocationFactory,
    ServiceFactory,
    TeamFactory,
    TeamMemberFactory,
    UserFactory,
    municipality,
    office_hours,
)

# The uid of the demo's "Joensuun Rantakylän aluetiimi" operating model.
RANTAKYLA_MODEL_UID = uuid.UUID("bd037438-1246-47a9-8e92-018b594892d2")


class FakeOperatingModels:
    """A models library that knows a few models ({uid: (title, url, stage)}), for the
    directory's contract directory.contracts.OPERATING_MODELS."""

    def __init__(self, models):
        self.models = models

    def resolve(self, uid):
        if uid not in self.models:
            return None
        title, url, _stage = self.models[uid]
        return OperatingModelRef(uid=uid, title=title, url=url)

    def resolve_many(self, uids):
        return {uid: found for uid in uids if (found := self.resolve(uid)) is not None}

    def stage(self, uid):
        if uid not in self.models:
            return None
        title, _url, stage = self.models[uid]
        return OperatingModelStage(
            stage=stage, label=stage.capitalize(), active=stage != "ended", title=title
        )

    def choices(self):
        return [(uid, title) for uid, (title, _url, _stage) in self.models.items()]


@pytest.fixture
def operating_models():
    """The directory's operating models come from this fake, not the models library."""
    fake = FakeOperatingModels(
        {RANTAKYLA_MODEL_UID: ("Rantakylän aluetiimi", "/toimintamallit/rantakylan-aluetiimi/", "in_use")}
    )
    with contracts.provided(OPERATING_MODELS, fake):
        yield fake


# Professional-only values planted in the test data: none of them may ever reach an anonymous user.
SECRETS = {
    "referral": "LÄHETE-OHJE-SALAINEN",
    "consultation": "KONSULTAATIO-SALAINEN",
    "direct_phone": "+358 40 555 0999",
    "contact_name": "Salli Salainen",
    "contact_email": "salli.salainen@demo.invalid",
    "contact_phone": "+358 40 555 0998",
    "sal_contact_name": "Paikka Yhteyshenkilö",
    "team_consultation": "TIIMIN-KONSULTAATIO-SALAINEN",
    "team_phone": "+358 40 555 0997",
    "team_email": "tiimi.ammattilaiset@demo.invalid",
    "member_contact_name": "Jäsen Yhteyshenkilö",
}


@pytest.fixture
def directory_pages(site_shell):
    return ensure_directory_pages(site_shell)


@pytest.fixture
def groups(db):
    return ensure_directory_groups()


@pytest.fixture
def professional(groups):
    user = UserFactory(username="ammattilainen")
    user.groups.add(Group.objects.get(name=PROFESSIONALS_GROUP))
    return user


@pytest.fixture
def scenario(db):
    """Two organisations in Joensuu; a service with every kind of professional-only data."""
    joensuu = municipality("167")
    city = OrganisationFactory(name_fi="Joensuun kaupunki", name_sv="Joensuu stad", name_en="City of Joensuu")
    ngo = OrganisationFactory(
        name_fi="Karjalan Perheverkko",
        name_sv="Karjalan Perheverkko",
        name_en="Karjalan Perheverkko",
        organisation_type="ngo",
    )
    situation = LifeSituationFactory(
        slug="huoli-lapsesta", name_fi="Huoli lapsesta", name_en="Worry about a child"
    )
    service = ServiceFactory(
        organisation=city,
        name_fi="Perheiden yhteinen ovi",
        name_sv="Familjernas gemensamma dörr",
        name_en="One door for families",
        is_entry_point=True,
        referral_instructions_fi=SECRETS["referral"],
        consultation_instructions_fi=SECRETS["consultation"],
        professional_phone=SECRETS["direct_phone"],
        areas=[joensuu],
        life_situations=[situation],
    )
    location = LocationFactory(
        organisation=city,
        name_fi="Rantakylän hyvinvointiasema",
        name_sv="Rantakylä välfärdsstation",
        name_en="Rantakylä Wellbeing Station",
        street_address_fi="Latolankatu 15",
        postal_code="80160",
        latitude=Decimal("62.617800"),
        longitude=Decimal("29.806100"),
    )
    office_hours(location)
    sal = ServiceAtLocationFactory(service=service, location=location)
    sal_contact = ContactPersonFactory(organisation=city, name=SECRETS["sal_contact_name"])
    sal.contact_people.set([sal_contact])
    sal.save()
    ContactPersonFactory(
        organisation=city,
        name=SECRETS["contact_name"],
        email=SECRETS["contact_email"],
        phone=SECRETS["contact_phone"],
        services=[service],
    )
    team = TeamFactory(
        organisation=city,
        name_fi="Rantakylän aluetiimi",
        name_sv="Rantakylä områdesteam",
        name_en="Rantakylä area team",
        operating_model_uid=RANTAKYLA_MODEL_UID,
        consultation_instructions_fi=SECRETS["team_consultation"],
        professional_phone=SECRETS["team_phone"],
        professional_email=SECRETS["team_email"],
        areas=[joensuu],
    )
    member_contact = ContactPersonFactory(organisation=ngo, name=SECRETS["member_contact_name"])
    TeamMemberFactory(team=team, organisation=city, role_fi="sosiaaliohjaaja", role_en="social counsellor")
    TeamMemberFactory(
        team=team, organisation=ngo, role_fi="perhetyö", role_en="family work", contact_person=member_contact
    )
    team.services.set([service])
    team.save()
    return {
        "city": city,
        "ngo": ngo,
        "service": service,
        "location": location,
        "sal": sal,
        "team": team,
        "situation": situation,
        "municipality": joensuu,
    }


@pytest.fixture
def editor_of(groups):
    """editor_of(organisation) -> a user who edits that organisation's records."""

    def make(organisation, username="toimittaja"):
        user = UserFactory(username=username)
        link_editor(user, organisation)
        return user

    return make


def assert_no_secrets(text):
    leaked = [name for name, value in SECRETS.items() if value in text]
    assert not leaked, f"professional-only data leaked: {leaked}"
