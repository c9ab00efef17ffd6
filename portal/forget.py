"""Removing a person from Ovi: `manage.py forget_person --email ADDRESS`.

What Ovi holds about a person and what happens to it (docs/security.md, "Data
protection"):

- Contact people (directory.ContactPerson) with that e-mail address are deleted
  with their saved revisions; their entries in the admin's history keep the fact
  that a contact person was changed and by whom, but no longer the name.
- The user account with that e-mail address is deleted, with its sessions,
  organisation-editor links (cascade) and login-protection records (django-axes).
  What the user did stays in the history as "user <id> (deleted)".
- Error reports whose reporter's contact mentions the address lose the contact.

Each deletion is recorded in the audit trail as done by `forget_person`.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, Revision

from directory import audit
from directory.models import ContactPerson
from portal.models import ErrorReport

REMOVED_LABEL = "(removed person)"
SOURCE = "forget_person"


@dataclass
class Forgotten:
    contact_people: int = 0
    revisions: int = 0
    history_labels: int = 0
    users: int = 0
    sessions: int = 0
    login_records: int = 0
    error_report_contacts: int = 0
    notes: list = field(default_factory=list)

    def lines(self):
        return [
            f"contact people deleted: {self.contact_people} (with {self.revisions} saved revisions; "
            f"name removed from {self.history_labels} history entries)",
            f"user accounts deleted: {self.users} (with {self.sessions} sessions, "
            f"{self.login_records} login-protection records)",
            f"error reports whose reporter's contact was erased: {self.error_report_contacts}",
            *self.notes,
        ]


def forget_person(email, *, dry_run=False):
    """Remove what Ovi holds about the person with this e-mail address. With
    dry_run, count it and write nothing."""
    email = (email or "").strip()
    if "@" not in email:
        raise ValueError("give the person's e-mail address")
    result = Forgotten()
    with transaction.atomic():
        with audit.acting(source=SOURCE):
            _forget_contact_people(email, result)
            _forget_users(email, result)
        reports = ErrorReport.objects.filter(contact__icontains=email)
        result.error_report_contacts = reports.count()
        reports.update(contact="")
        if dry_run:
            transaction.set_rollback(True)
    return result


def _forget_contact_people(email, result):
    for person in ContactPerson.objects.filter(email__iexact=email):
        revisions = Revision.objects.for_instance(person)
        entries = ModelLogEntry.objects.for_instance(person)
        result.contact_people += 1
        result.revisions += revisions.count()
        result.history_labels += entries.update(label=REMOVED_LABEL, deleted=True)
        revisions.delete()
        log(person, "wagtail.delete", title=REMOVED_LABEL, deleted=True, data=audit.current_source())
        person.delete()


def _forget_users(email, result):
    User = get_user_model()
    for user in User.objects.filter(email__iexact=email):
        names = {user.get_username(), user.email}
        for session in Session.objects.all().iterator():
            if session.get_decoded().get("_auth_user_id") == str(user.pk):
                session.delete()
                result.sessions += 1
        if apps.is_installed("axes"):
            for model_name in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
                model = apps.get_model("axes", model_name)
                result.login_records += model.objects.filter(username__in=names).delete()[0]
        user.delete()
        result.users += 1
