"""Contact people: professional-only (HSDS `contact`). Never shown to residents."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, TabbedInterface
from wagtail.models import RevisionMixin

from directory.choices import ContactRole
from directory.forms import DirectoryRecordForm

from .base import DirectoryRecord
from .mixins import localized
from .panels import language_tabs, verification_panels


class ContactPerson(RevisionMixin, DirectoryRecord, ClusterableModel):
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contact_people",
    )
    name = models.CharField(_("name"), max_length=150)
    title_fi = models.CharField(_("job title (Finnish)"), max_length=150, blank=True)
    title_sv = models.CharField(_("job title (Swedish)"), max_length=150, blank=True)
    title_en = models.CharField(_("job title (English)"), max_length=150, blank=True)
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=ContactRole.choices,
        blank=True,
        help_text=_("What professionals contact this person for."),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    expertise_fi = models.TextField(_("expertise (Finnish)"), blank=True)
    expertise_sv = models.TextField(_("expertise (Swedish)"), blank=True)
    expertise_en = models.TextField(_("expertise (English)"), blank=True)
    services = ParentalManyToManyField(
        "directory.Service", verbose_name=_("services"), blank=True, related_name="contact_people"
    )

    base_form_class = DirectoryRecordForm

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("organisation"),
                    FieldPanel("name"),
                    FieldPanel("title_fi"),
                    FieldPanel("role"),
                    FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                    FieldPanel("expertise_fi"),
                    FieldPanel("services"),
                ],
                heading=_("Basic information"),
            ),
            *language_tabs(["title", "expertise"]),
            verification_panels(),
        ]
    )

    class Meta:
        ordering = ["name", "pk"]  # a total order: see Service.Meta
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")

    title = property(lambda self: localized(self, "title"))
    expertise = property(lambda self: localized(self, "expertise"))

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name
