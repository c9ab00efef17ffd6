"""Error reports ("Ilmoita virheestä"): which record a report is about, storing it,
the e-mail notice to the organisation's editors, the per-address rate limit and
closing a report (which deletes the reporter's contact).

Privacy: the client address is used only as a hashed key of the rate-limit
counter in the cache (gone after RATE_LIMIT_WINDOW); it is never written to the
database. The reporter's contact is kept only while the report is open.
"""

import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.users.models import UserProfile

from directory.models import DirectoryIndexPage, Location, Organisation, Service, Team
from portal.client import TRUSTED_PROXIES, client_address  # noqa: F401 (the shared rule)
from portal.models import ErrorReport

logger = logging.getLogger(__name__)

RATE_LIMIT_REPORTS = 5
RATE_LIMIT_WINDOW = 10 * 60  # seconds


@dataclass(frozen=True)
class Target:
    kind: str
    record: object
    organisation: Organisation

    @property
    def uid(self):
        return self.record.uid

    @property
    def name(self):
        """The record's name in the active language, for the reporter."""
        return str(getattr(self.record, "name", "") or self.record)

    @property
    def stored_name(self):
        """Finnish, the editors' default language, whatever language the reporter used."""
        return str(getattr(self.record, "name_fi", "") or self.name)


def _public_service(uid):
    return Service.objects.public().select_related("organisation").filter(uid=uid).first()


LOADERS = {
    ErrorReport.Kind.SERVICE: _public_service,
    ErrorReport.Kind.ORGANISATION: lambda uid: Organisation.objects.filter(uid=uid).first(),
    ErrorReport.Kind.LOCATION: lambda uid: (
        Location.objects.select_related("organisation").filter(uid=uid).first()
    ),
    ErrorReport.Kind.TEAM: lambda uid: Team.objects.select_related("organisation").filter(uid=uid).first(),
}


def parse_record_reference(value):
    """`"service:<uid>"` -> (kind, uid), or None when it is not well formed."""
    kind, _sep, uid = (value or "").partition(":")
    if kind not in LOADERS:
        return None
    try:
        return kind, uuid.UUID(uid.strip())
    except ValueError:
        return None


def find_target(value):
    """The publicly shown record a reference names, with its owning organisation; None if none."""
    parsed = parse_record_reference(value)
    if parsed is None:
        return None
    kind, uid = parsed
    record = LOADERS[kind](uid)
    if record is None:
        return None
    organisation = record if kind == ErrorReport.Kind.ORGANISATION else record.owner_organisation
    return Target(kind=kind, record=record, organisation=organisation)


def record_url(target, request=None):
    """The record's public page in the current language, or None."""

    language = translation.get_language() or settings.LANGUAGE_CODE
    index = (
        DirectoryIndexPage.objects.live().filter(locale__language_code=language).first()
        or DirectoryIndexPage.objects.live().first()
    )
    if index is None:
        return None
    return index.url_builder(request)(target.kind, target.uid)


# --- rate limit ------------------------------------------------------------------------------


def _rate_key(request):
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_address(request)}".encode()).hexdigest()[:32]
    return f"error-report-rate:{digest}"


def rate_limited(request):
    """Whether this address has already sent RATE_LIMIT_REPORTS reports in the window."""
    try:
        return (cache.get(_rate_key(request)) or 0) >= RATE_LIMIT_REPORTS
    except Exception:  # a cache outage must not stop residents from reporting
        logger.exception("Rate limit of error reports unavailable")
        return False


def count_attempt(request):
    """Count one submission (stored or caught by the honeypot) against the address."""
    key = _rate_key(request)
    try:
        if cache.add(key, 1, timeout=RATE_LIMIT_WINDOW):
            return
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=RATE_LIMIT_WINDOW)
    except Exception:
        logger.exception("Could not count an error report attempt")


# --- writes ----------------------------------------------------------------------------------


def editors_to_notify(organisation):
    """Active users with an e-mail address who edit the organisation (directly or
    through a parent organisation, as directory.permissions lets them)."""

    ids, node, seen = [], organisation, set()
    while node is not None and node.pk not in seen:
        seen.add(node.pk)
        ids.append(node.pk)
        node = node.parent
    return (
        get_user_model()
        .objects.filter(directory_organisations__organisation_id__in=ids, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )


def _notice(user, report, admin_url):
    # Read, not get_or_create: a notice must not write (and so empty the page cache).
    profile = UserProfile.objects.filter(user=user).first()
    language = (profile.get_preferred_language() if profile else None) or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Ovi: an error report about %(record)s") % {"record": report.target_name}
        body = render_to_string(
            "portal/emails/error_report_notice.txt",
            {
                "name": user.get_full_name().strip() or user.get_username(),
                "report": report,
                "kind_label": report.get_target_kind_display(),
                "admin_url": admin_url,
            },
        )
    return mail.EmailMessage(subject, body, to=[user.email])


def notify_editors(report):
    """E-mail the organisation's editors that a report arrived. The message carries the
    record and a link to the admin, not the report text or the reporter's contact."""
    recipients = list(editors_to_notify(report.organisation))
    if not recipients:
        logger.warning(
            "Error report %s: organisation %s has no editor with an e-mail address",
            report.pk,
            report.organisation_id,
        )
        return 0
    admin_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("errorreport:edit", args=[report.pk])
    messages = [_notice(user, report, admin_url) for user in recipients]
    try:
        with mail.get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:  # the report is stored; the editors see it in the admin anyway
        logger.exception("Could not send the notice of error report %s", report.pk)
        return 0


def submit_report(target, *, text, contact="", source_url="", language=""):
    report = ErrorReport.objects.create(
        target_kind=target.kind,
        target_uid=target.uid,
        target_name=target.stored_name[:255],
        organisation=target.organisation,
        text=text,
        contact=contact,
        source_url=source_url[:500],
        language=language or "",
    )
    transaction.on_commit(lambda: notify_editors(report))
    return report


def prepare_status_change(report, user):
    """Before saving a status an editor chose: who closed it. Saving a closed report
    erases the reporter's contact (ErrorReport.save)."""
    if report.is_closed:
        report.handled_by = user if user is not None and user.is_authenticated else None
    else:
        report.handled_by = None
