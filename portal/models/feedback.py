"""Error reports: a resident tells an organisation's editors that a directory record
is wrong. Never public: no page, API, search document, export or cache shows them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

TEXT_MAX_LENGTH = 2000
CONTACT_MAX_LENGTH = 200


class ErrorReport(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("service")
        ORGANISATION = "organisation", _("organisation")
        LOCATION = "location", _("location")
        TEAM = "team", _("team")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        HANDLED = "handled", _("handled")
        REJECTED = "rejected", _("rejected")

    CLOSED_STATUSES = (Status.HANDLED, Status.REJECTED)

    target_kind = models.CharField(_("record type"), max_length=20, choices=Kind.choices)
    target_uid = models.UUIDField(_("record identifier"))
    # The record's name when the report arrived, so the listing reads well even if
    # the record is renamed or removed later.
    target_name = models.CharField(_("record"), max_length=255)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="error_reports",
    )
    text = models.TextField(_("what is wrong"), max_length=TEXT_MAX_LENGTH)
    # Deleted (blanked) when the report is closed: kept only as long as it is needed.
    contact = models.CharField(_("reporter's contact"), max_length=CONTACT_MAX_LENGTH, blank=True)
    source_url = models.CharField(_("reported on page"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NEW)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Scoped like the directory's records (directory.permissions): editors see the
    # reports of their organisations and their sub-organisations.
    organisation_lookup = "organisation"

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("target_kind", read_only=True), FieldPanel("target_name", read_only=True)]
                ),
                FieldPanel("organisation", read_only=True),
                FieldPanel("text", read_only=True),
                FieldPanel("contact", read_only=True),
                FieldPanel("source_url", read_only=True),
                FieldRowPanel(
                    [FieldPanel("created_at", read_only=True), FieldPanel("closed_at", read_only=True)]
                ),
            ],
            heading=_("Report"),
        ),
        FieldPanel(
            "status",
            help_text=_("Closing the report (handled or rejected) deletes the reporter's contact details."),
        ),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        if not self.created_at:
            return self.target_name
        day = timezone.localtime(self.created_at)
        return f"{self.target_name} ({day.day}.{day.month}.{day.year})"

    def save(self, *args, **kwargs):
        # The reporter's contact lives only while the report is open: closing erases
        # it in the same write, whichever way the status was changed.
        if self.is_closed:
            self.contact = ""
            if self.closed_at is None:
                self.closed_at = timezone.now()
        else:
            self.closed_at = None
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "contact", "closed_at"}
        super().save(*args, **kwargs)

    @property
    def owner_organisation_id(self):
        return self.organisation_id

    @property
    def is_closed(self):
        return self.status in self.CLOSED_STATUSES
