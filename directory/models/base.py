"""What every directory record has: a stable uid and a verification trail."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A record nobody has checked for this long shows up in the "not verified" report.
VERIFICATION_INTERVAL_MONTHS = 12


def verification_cutoff(today=None):
    """The date before which a verification is too old (the same day a year earlier)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def verification_is_due(last_verified_on, today=None):
    """Never verified, or verified before the cutoff: the record needs checking.
    Also used on the public pages, which show a record as a dict with its date."""
    return last_verified_on is None or last_verified_on < verification_cutoff(today)


class DirectoryRecord(models.Model):
    """Abstract base of the directory's actors.

    `uid` is the identity that export and import keep (HSDS `id`, PTV ids when they
    are UUIDs); the database primary key never leaves the instance.
    """

    uid = models.UUIDField(_("stable identifier"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last modified"), auto_now=True)
    last_verified_on = models.DateField(_("last verified"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The path from this model to the Organisation that owns it: editors may change
    # only records whose owner is one of their organisations.
    organisation_lookup = "organisation"

    class Meta:
        abstract = True

    @property
    def owner_organisation_id(self):
        if self.organisation_lookup == "pk":
            return self.pk
        *path, last = self.organisation_lookup.split("__")
        node = self
        for step in path:
            node = getattr(node, step, None)
            if node is None:
                return None
        return getattr(node, f"{last}_id")

    @property
    def owner_organisation(self):
        node = self
        if self.organisation_lookup != "pk":
            for step in self.organisation_lookup.split("__"):
                node = getattr(node, step)
        return node

    def needs_verification(self, today=None):
        return verification_is_due(self.last_verified_on, today)

    def mark_verified(self, user, on: datetime.date | None = None):
        self.last_verified_on = on or timezone.localdate()
        self.last_verified_by = user if user is not None and user.is_authenticated else None
