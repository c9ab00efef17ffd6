"""Writes of the directory that are more than a model save: groups and their
permissions, editor links, verification."""

from datetime import date

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils import timezone

from directory import audit
from directory.models import Organisation, OrganisationEditor
from directory.models.base import DirectoryRecord
from directory.roles import DIRECTORY_ADMINS_GROUP, DIRECTORY_EDITORS_GROUP, PROFESSIONALS_GROUP

# What directory editors may do to the records of their own organisations
# (the permission policy narrows it to those records).
EDITOR_PERMISSIONS = [
    f"{action}_{model}"
    for model in ("service", "servicechannel", "location", "serviceatlocation", "contactperson", "team")
    for action in ("add", "change", "delete", "view")
] + ["change_organisation", "view_organisation"]

ADMIN_MODELS = (
    "organisation",
    "organisationeditor",
    "service",
    "servicechannel",
    "location",
    "serviceatlocation",
    "contactperson",
    "team",
    "sector",
    "lifesituation",
    "targetgroup",
    "language",
    "serviceclass",
)
ADMIN_PERMISSIONS = [
    f"{action}_{model}" for model in ADMIN_MODELS for action in ("add", "change", "delete", "view")
]


def _permissions(codenames: list[str]) -> list[Permission]:
    return list(Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))


@transaction.atomic
def ensure_directory_groups() -> dict[str, Group]:
    """Create the directory's groups with their permissions. Idempotent: adds what is
    missing and never removes a permission an administrator has granted by hand."""
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    professionals, _ = Group.objects.get_or_create(name=PROFESSIONALS_GROUP)
    editors, _ = Group.objects.get_or_create(name=DIRECTORY_EDITORS_GROUP)
    admins, _ = Group.objects.get_or_create(name=DIRECTORY_ADMINS_GROUP)
    for group, wanted in (
        (editors, _permissions(EDITOR_PERMISSIONS)),
        (admins, _permissions(ADMIN_PERMISSIONS)),
    ):
        missing = set([admin_access, *wanted]) - set(group.permissions.all())
        if missing:
            group.permissions.add(*missing)
    return {"professionals": professionals, "editors": editors, "admins": admins}


def link_editor(user: User, organisation: Organisation) -> OrganisationEditor:
    """Let `user` edit `organisation`'s records (and its sub-organisations')."""
    groups = ensure_directory_groups()
    user.groups.add(groups["editors"])
    return OrganisationEditor.objects.get_or_create(user=user, organisation=organisation)[0]


def verify(record: DirectoryRecord, user: User, on: date | None = None) -> DirectoryRecord:
    """Record that `user` checked `record` today (or on `on`)."""
    verified_on = on or timezone.localdate()
    record.mark_verified(user, verified_on)
    record.save(update_fields=["last_verified_on", "last_verified_by"])
    with audit.acting(user, source="verify"):
        audit.record(record, audit.VERIFY, verified_on=verified_on.isoformat())
    return record
