"""Organisations (HSDS `organization`, PTV organisation) and who may edit them."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.models import RevisionMixin

from directory.choices import OrganisationType
from directory.forms import DirectoryRecordForm
from directory.validators import normalise_business_id, validate_business_id

from .base import DirectoryRecord
from .mixins import LocalizedNameMixin, localized
from .panels import language_tabs, verification_panels


class Organisation(LocalizedNameMixin, RevisionMixin, DirectoryRecord, ClusterableModel):
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    business_id = models.CharField(
        _("business ID"),
        max_length=9,
        blank=True,
        validators=[validate_business_id],
        help_text=_("Y-tunnus, for example 0201256-6. Units of one legal entity share it."),
    )
    organisation_type = models.CharField(
        _("type"), max_length=30, choices=OrganisationType.choices, default=OrganisationType.MUNICIPALITY
    )
    sectors = ParentalManyToManyField(
        "directory.Sector", verbose_name=_("sectors"), blank=True, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("home municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(
        _("main phone number"),
        max_length=50,
        blank=True,
        help_text=_("The switchboard or the main customer service number."),
    )
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    # The organiser of public services for an area: residents whose door is not registered
    # in Ovi are told to contact it (see docs/pathways.md).
    organiser_of_county = models.OneToOneField(
        "directory.WellbeingCounty",
        verbose_name=_("organises the services of the wellbeing services county"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organiser",
    )
    organiser_of_municipality = models.OneToOneField(
        "directory.Municipality",
        verbose_name=_("is the organisation of the municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organiser",
    )

    organisation_lookup = "pk"
    base_form_class = DirectoryRecordForm

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name_fi"),
                    FieldRowPanel([FieldPanel("organisation_type"), FieldPanel("business_id")]),
                    FieldPanel("parent"),
                    FieldPanel("municipality"),
                    FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                    MultiFieldPanel(
                        [
                            FieldPanel("website"),
                            FieldPanel("email"),
                            FieldPanel("phone"),
                            FieldPanel("address"),
                        ],
                        heading=_("Contact"),
                    ),
                    FieldRowPanel(
                        [FieldPanel("organiser_of_county"), FieldPanel("organiser_of_municipality")]
                    ),
                    FieldPanel("description_fi"),
                ],
                heading=_("Basic information"),
            ),
            *language_tabs(["name", "description"]),
            verification_panels(),
        ]
    )

    class Meta:
        ordering = ["name_fi", "pk"]  # a total order: see Service.Meta
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    @property
    def description(self):
        return localized(self, "description")

    def clean(self):
        super().clean()
        self.business_id = normalise_business_id(self.business_id)
        if self.parent_id is not None and self.pk is not None:
            if self.parent_id == self.pk or self.pk in {o.pk for o in self.parent.ancestors()}:
                raise ValidationError({"parent": _("An organisation cannot be its own parent or ancestor.")})

    def ancestors(self):
        """Parent, grandparent, ... (guards against a cycle an import might create)."""
        seen, node = {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            yield node
            seen.add(node.pk)
            node = node.parent


class OrganisationEditor(models.Model):
    """A user who edits the directory records of an organisation (and of its sub-organisations)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="directory_organisations",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="editors"
    )

    panels = [FieldPanel("user"), FieldPanel("organisation")]

    class Meta:
        ordering = ["organisation__name_fi", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_organisation_editor")
        ]
        verbose_name = _("organisation editor")
        verbose_name_plural = _("organisation editors")

    def __str__(self):
        return f"{self.user} – {self.organisation}"
