"""Writes of the directory that are more than a model save: groups and their
permissions, editor links, verification."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from directory import audit
from directory.models import OrganisationEditor
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


def _permissions(codenames):
    return list(Permission.objects.filter(content_type__app_label="directory", codename__in=codenames))


@transaction.atomic
def ensure_directory_groups():
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


def link_editor(user, organisation):
    """Let `user` edit `organisation`'s records (and its sub-organisations')."""
    groups = ensure_directory_groups()
    user.groups.add(groups["editors"])
    return OrganisationEditor.objects.get_or_create(user=user, organisation=organisation)[0]


def verify(record, user, on=None):
    """Record that `user` checked `record` today (or on `on`)."""
    record.mark_verified(user, on or timezone.localdate())
    record.save(update_fields=["last_verified_on", "last_verified_by"])
    with audit.acting(user, source="verify"):
        audit.record(record, audit.VERIFY, verified_on=record.last_verified_on.isoformat())
    return record
