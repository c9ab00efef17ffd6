"""manage.py forget_person: a person's contact entries, account, sessions, login
records and error-report contacts are removed; the history keeps what happened,
not who the removed contact person was."""

import io
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import CommandError, call_command
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from directory.models import ContactPerson, TeamMember
from portal.forget import REMOVED_LABEL
from portal.models import ErrorReport
from tests.directory.factories import ContactPersonFactory, OrganisationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "Maija.Meikalainen@demo.invalid"


@pytest.fixture
def person(client):
    organisation = OrganisationFactory()
    contact = ContactPersonFactory(organisation=organisation, name="Maija Meikäläinen", email=EMAIL.lower())
    contact.save_revision()
    log(contact, "wagtail.edit")
    team = TeamFactory(organisation=organisation)
    membership = TeamMember.objects.create(
        team=team, organisation=organisation, role_fi="ohjaaja", contact_person=contact
    )
    other = ContactPersonFactory(
        organisation=organisation, name="Toinen Henkilö", email="toinen@demo.invalid"
    )
    user = UserFactory(username="maija", email=EMAIL)
    client.force_login(user)
    report = ErrorReport.objects.create(
        target_kind=ErrorReport.Kind.ORGANISATION,
        target_uid=uuid.uuid4(),
        target_name=organisation.name_fi,
        organisation=organisation,
        text="Puhelinnumero on väärä.",
        contact=f"Maija, {EMAIL}",
    )
    return {"contact": contact, "membership": membership, "other": other, "user": user, "report": report}


def forget(*args):
    out = io.StringIO()
    call_command("forget_person", *args, stdout=out)
    return out.getvalue()


def test_forget_person_removes_what_ovi_holds(person):
    contact = person["contact"]
    assert Session.objects.exists()

    output = forget("--email", EMAIL.upper())

    assert "contact people deleted: 1" in output and "user accounts deleted: 1" in output
    assert not ContactPerson.objects.filter(pk=contact.pk).exists()
    assert ContactPerson.objects.filter(pk=person["other"].pk).exists()
    assert not get_user_model().objects.filter(username="maija").exists()
    assert not Session.objects.exists()
    person["membership"].refresh_from_db()
    assert person["membership"].contact_person is None
    person["report"].refresh_from_db()
    assert person["report"].contact == ""
    assert person["report"].text == "Puhelinnumero on väärä."
    # The history keeps that a contact person was edited and deleted, not the name.
    entries = ModelLogEntry.objects.filter(object_id=str(contact.pk), content_type__model="contactperson")
    assert {e.action for e in entries} >= {"wagtail.edit", "wagtail.delete"}
    assert {e.label for e in entries} == {REMOVED_LABEL}
    assert all("Meikäläinen" not in str(e.data) for e in entries)
    assert entries.get(action="wagtail.delete").data["source"] == "forget_person"


def test_dry_run_changes_nothing(person):
    output = forget("--email", EMAIL, "--dry-run")

    assert "contact people deleted: 1" in output and "Dry run" in output
    assert ContactPerson.objects.filter(pk=person["contact"].pk).exists()
    assert get_user_model().objects.filter(username="maija").exists()
    person["report"].refresh_from_db()
    assert EMAIL in person["report"].contact


def test_an_address_is_required(db):
    with pytest.raises(CommandError):
        forget("--email", "maija")
