"""Multi-professional teams: area teams, family centres, wellbeing stations, sote work pairs."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import Orderable, RevisionMixin

from directory.choices import TeamType
from directory.forms import DirectoryRecordForm

from .base import DirectoryRecord
from .mixins import LocalizedNameMixin, localized
from .panels import OperatingModelStagePanel, language_tabs, verification_panels


class Team(LocalizedNameMixin, RevisionMixin, DirectoryRecord, ClusterableModel):
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("coordinating organisation"),
        on_delete=models.PROTECT,
        related_name="teams",
    )
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    team_type = models.CharField(
        _("type"), max_length=30, choices=TeamType.choices, default=TeamType.AREA_TEAM
    )
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    # directory must not import models_library; the operating model is referred to by
    # its stable uid and resolved through directory.contracts.OPERATING_MODELS.
    operating_model_uid = models.UUIDField(
        _("operating model"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The operating model the team follows, in the models library."),
    )
    municipalities = ParentalManyToManyField(
        "directory.Municipality", verbose_name=_("municipalities served"), blank=True, related_name="+"
    )
    counties = ParentalManyToManyField(
        "directory.WellbeingCounty",
        verbose_name=_("wellbeing services counties served"),
        blank=True,
        related_name="+",
    )
    postal_codes = ParentalManyToManyField(
        "directory.PostalCode",
        verbose_name=_("postal code areas served"),
        blank=True,
        related_name="+",
        help_text=_("Only for a team that serves part of a municipality."),
    )
    location = models.ForeignKey(
        "directory.Location",
        verbose_name=_("location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="teams",
    )
    services = ParentalManyToManyField(
        "directory.Service",
        verbose_name=_("services"),
        blank=True,
        related_name="teams",
        help_text=_("Services residents reach this team through."),
    )
    # Professional-only
    consultation_instructions_fi = models.TextField(_("consultation instructions (Finnish)"), blank=True)
    consultation_instructions_sv = models.TextField(_("consultation instructions (Swedish)"), blank=True)
    consultation_instructions_en = models.TextField(_("consultation instructions (English)"), blank=True)
    professional_phone = models.CharField(_("direct phone for professionals"), max_length=40, blank=True)
    professional_email = models.EmailField(_("email for professionals"), blank=True)

    base_form_class = DirectoryRecordForm

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("organisation"),
                    FieldPanel("name_fi"),
                    FieldRowPanel([FieldPanel("team_type"), FieldPanel("operating_model_uid")]),
                    OperatingModelStagePanel(),
                    FieldPanel("description_fi"),
                    MultiFieldPanel(
                        [
                            FieldPanel("counties"),
                            FieldPanel("municipalities"),
                            FieldPanel("postal_codes"),
                            FieldPanel("location"),
                        ],
                        heading=_("Area served"),
                    ),
                    FieldPanel("services"),
                    InlinePanel("members", label=_("Members")),
                ],
                heading=_("Basic information"),
            ),
            ObjectList(
                [
                    FieldPanel("consultation_instructions_fi"),
                    FieldPanel("consultation_instructions_sv"),
                    FieldPanel("consultation_instructions_en"),
                    FieldRowPanel([FieldPanel("professional_phone"), FieldPanel("professional_email")]),
                ],
                heading=_("For professionals"),
            ),
            *language_tabs(["name", "description"]),
            verification_panels(),
        ]
    )

    class Meta:
        ordering = ["name_fi", "pk"]  # a total order: see Service.Meta
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    description = property(lambda self: localized(self, "description"))
    consultation_instructions = property(lambda self: localized(self, "consultation_instructions"))


class TeamMember(Orderable):
    """An organisation's part in a team, and the professional role it brings."""

    team = ParentalKey(Team, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    role_fi = models.CharField(_("role (Finnish)"), max_length=200)
    role_sv = models.CharField(_("role (Swedish)"), max_length=200, blank=True)
    role_en = models.CharField(_("role (English)"), max_length=200, blank=True)
    contact_person = models.ForeignKey(
        "directory.ContactPerson",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
        help_text=_("Shown to professionals only."),
    )

    panels = [
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("role_fi"), FieldPanel("role_sv"), FieldPanel("role_en")]),
        FieldPanel("contact_person"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("team member")
        verbose_name_plural = _("team members")

    role = property(lambda self: localized(self, "role"))
