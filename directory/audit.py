"""The audit trail of writes made outside the Wagtail admin.

Wagtail logs what editors do in the admin (create, edit, publish, delete of pages
and snippets) in its own log (ModelLogEntry, PageLogEntry), which the admin shows
as a record's history and as Reports → Site history. Every other write path —
the HSDS, PTV and operating-model imports, verification — records into the same
log through `record()`, so one history answers who changed, linked, published or
deleted which record, and when.

Who acted: the user given to `acting(user=...)` (the imports' `--user` option),
else nobody, and then the entry's data names the system actor: `source` (the
command, e.g. "import_hsds") and `file`. One `acting()` block shares one log uuid,
so all entries of one import run belong together.

What is recorded: the action, the names of the fields that changed (never their
values: the log must not become a second copy of personal data) and, for
many-to-many links, the records linked and unlinked.
"""

import contextlib
import contextvars

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogContext, LogFormatter, log

IMPORT_CREATE = "ovi.import.create"
IMPORT_EDIT = "ovi.import.edit"
IMPORT_DELETE = "ovi.import.delete"
VERIFY = "ovi.verify"

SYSTEM_SOURCE = "system"

_source = contextvars.ContextVar("ovi_audit_source", default=None)


@contextlib.contextmanager
def acting(user=None, *, source, **details):
    """Attribute the writes inside the block to `user` (or to the system actor
    `source`), with `details` (file names, ...) stored in every entry."""
    data = {"source": source}
    data.update({key: str(value) for key, value in details.items() if value not in (None, "", [], ())})
    token = _source.set(data)
    try:
        with LogContext(user=user if user is not None and user.is_authenticated else None):
            yield data
    finally:
        _source.reset(token)


def current_source():
    return dict(_source.get() or {"source": SYSTEM_SOURCE})


def record(instance, action, *, fields=(), links=None, deleted=False, **data):
    """Write one audit entry for `instance` into Wagtail's log."""
    payload = current_source()
    if fields:
        payload["fields"] = sorted(fields)
    if links:
        payload["links"] = links
    payload.update({key: value for key, value in data.items() if value not in (None, "")})
    return log(
        instance,
        action,
        data=payload,
        content_changed=action in (IMPORT_CREATE, IMPORT_EDIT),
        deleted=deleted,
    )


def link_changes(before, after):
    """{"added": [...], "removed": [...]} between two collections of records, by label."""
    before_by_pk = {item.pk: item for item in before}
    after_by_pk = {item.pk: item for item in after}
    changes = {}
    added = [str(after_by_pk[pk]) for pk in after_by_pk.keys() - before_by_pk.keys()]
    removed = [str(before_by_pk[pk]) for pk in before_by_pk.keys() - after_by_pk.keys()]
    if added:
        changes["added"] = sorted(added)
    if removed:
        changes["removed"] = sorted(removed)
    return changes


# How the entries read in the admin's history views -------------------------------------------


def _describe_source(log_entry):
    data = log_entry.data or {}
    source = data.get("source", SYSTEM_SOURCE)
    return f"{source}: {data['file']}" if data.get("file") else source


class _ImportFormatter(LogFormatter):
    verb = ""

    def format_message(self, log_entry):
        message = f"{self.verb} ({_describe_source(log_entry)})"
        data = log_entry.data or {}
        if data.get("fields"):
            message += " — " + ", ".join(data["fields"])
        for relation, change in (data.get("links") or {}).items():
            parts = [f"+{len(change.get('added', []))}", f"−{len(change.get('removed', []))}"]
            message += f" — {relation} {' '.join(parts)}"
        return message


def register_log_actions(actions):
    @actions.register_action(IMPORT_CREATE)
    class ImportCreate(_ImportFormatter):
        label = _("Create by import")
        verb = _("Created by import")

    @actions.register_action(IMPORT_EDIT)
    class ImportEdit(_ImportFormatter):
        label = _("Change by import")
        verb = _("Changed by import")

    @actions.register_action(IMPORT_DELETE)
    class ImportDelete(_ImportFormatter):
        label = _("Delete by import")
        verb = _("Deleted by import")

    actions.register_action(VERIFY, _("Verify"), _("Marked as verified"))


# Management commands ---------------------------------------------------------------------------


def add_user_argument(parser):
    parser.add_argument(
        "--user",
        metavar="USERNAME",
        help="Who runs the import, by username or e-mail, recorded in the audit trail. Without it the "
        "entries name the command and file as a system actor.",
    )


def user_from_option(value):
    """The user named by a command's --user (username or e-mail), or None when not given."""

    if not value:
        return None
    User = get_user_model()
    user = User.objects.filter(**{User.USERNAME_FIELD: value}).first()
    if user is None:
        matches = list(User.objects.filter(email__iexact=value)[:2])
        user = matches[0] if len(matches) == 1 else None
    if user is None:
        raise CommandError(f"--user {value}: no such user (give a username or a unique e-mail address)")
    return user
