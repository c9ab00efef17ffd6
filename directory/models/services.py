"""Services (HSDS `service`), their channels, and where they are given (HSDS `service_at_location`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import RevisionMixin

from directory.choices import PUBLIC_SERVICE_STATUSES, CallCharge, ChannelKind, Charge, ServiceStatus
from directory.forms import DirectoryRecordForm

from .base import DirectoryRecord
from .hours import HoursExceptionBase, HoursOwnerMixin, WeeklyHoursBase
from .locations import hours_panels
from .mixins import LocalizedNameMixin, localized
from .panels import LANGUAGE_TABS, OperatingModelStagePanel, verification_panels

TRANSLATED_FIELDS = ["name", "summary", "description", "how_to_access", "charge_details"]
PROFESSIONAL_FIELDS = ["referral_instructions", "consultation_instructions"]


class ServiceQuerySet(models.QuerySet):
    def public(self):
        """What residents may see: active and temporarily closed services."""
        return self.filter(status__in=PUBLIC_SERVICE_STATUSES)


class Service(LocalizedNameMixin, RevisionMixin, DirectoryRecord, ClusterableModel):
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="services",
        help_text=_("The organisation responsible for the service."),
    )
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_fi = models.CharField(_("summary (Finnish)"), max_length=300, blank=True)
    summary_sv = models.CharField(_("summary (Swedish)"), max_length=300, blank=True)
    summary_en = models.CharField(_("summary (English)"), max_length=300, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    how_to_access_fi = models.TextField(_("how to access (Finnish)"), blank=True)
    how_to_access_sv = models.TextField(_("how to access (Swedish)"), blank=True)
    how_to_access_en = models.TextField(_("how to access (English)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )

    sectors = ParentalManyToManyField(
        "directory.Sector", verbose_name=_("sectors"), blank=True, related_name="services"
    )
    target_groups = ParentalManyToManyField(
        "directory.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="services"
    )
    life_situations = ParentalManyToManyField(
        "directory.LifeSituation",
        verbose_name=_("life situations"),
        blank=True,
        related_name="services",
        help_text=_("The situations a resident may be in when this service is the right one."),
    )
    service_classes = ParentalManyToManyField(
        "directory.ServiceClass", verbose_name=_("service classes"), blank=True, related_name="services"
    )
    languages = ParentalManyToManyField(
        "directory.Language", verbose_name=_("languages served"), blank=True, related_name="services"
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    charge = models.CharField(_("charge"), max_length=20, choices=Charge.choices, default=Charge.FREE)
    charge_details_fi = models.TextField(_("charge details (Finnish)"), blank=True)
    charge_details_sv = models.TextField(_("charge details (Swedish)"), blank=True)
    charge_details_en = models.TextField(_("charge details (English)"), blank=True)

    # Area served (PTV: nationwide or limited to municipalities / counties)
    nationwide = models.BooleanField(_("whole country"), default=False)
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
        help_text=_(
            "Only for a service that serves part of a municipality: it then serves these postal code "
            "areas of the municipalities above."
        ),
    )
    # directory must not import models_library: the model's stable uid, resolved through
    # directory.contracts.OPERATING_MODELS.
    operating_model_uid = models.UUIDField(
        _("operating model"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The operating model the service follows, in the models library."),
    )

    is_entry_point = models.BooleanField(
        _("entry point"),
        default=False,
        help_text=_("A one door: a place a resident can come to first and be guided onwards."),
    )

    # Professional-only: see directory.visibility
    referral_instructions_fi = models.TextField(_("referral instructions (Finnish)"), blank=True)
    referral_instructions_sv = models.TextField(_("referral instructions (Swedish)"), blank=True)
    referral_instructions_en = models.TextField(_("referral instructions (English)"), blank=True)
    consultation_instructions_fi = models.TextField(_("consultation instructions (Finnish)"), blank=True)
    consultation_instructions_sv = models.TextField(_("consultation instructions (Swedish)"), blank=True)
    consultation_instructions_en = models.TextField(_("consultation instructions (English)"), blank=True)
    professional_phone = models.CharField(
        _("direct phone for professionals"),
        max_length=40,
        blank=True,
        help_text=_("Never shown to residents."),
    )

    objects = ServiceQuerySet.as_manager()
    base_form_class = DirectoryRecordForm

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("organisation"),
                    FieldPanel("name_fi"),
                    FieldRowPanel([FieldPanel("status"), FieldPanel("is_entry_point")]),
                    FieldPanel("summary_fi"),
                    FieldPanel("description_fi"),
                    FieldPanel("how_to_access_fi"),
                    FieldPanel("operating_model_uid"),
                    OperatingModelStagePanel(),
                ],
                heading=_("Basic information"),
            ),
            ObjectList(
                [
                    FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("life_situations", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                    FieldRowPanel([FieldPanel("minimum_age"), FieldPanel("maximum_age")]),
                    FieldPanel("languages", widget=forms.CheckboxSelectMultiple),
                    FieldPanel("service_classes"),
                    MultiFieldPanel(
                        [FieldPanel("charge"), FieldPanel("charge_details_fi")], heading=_("Charge")
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("nationwide"),
                            FieldPanel("counties"),
                            FieldPanel("municipalities"),
                            FieldPanel("postal_codes"),
                        ],
                        heading=_("Area served"),
                    ),
                ],
                heading=_("Classification"),
            ),
            ObjectList(
                [
                    FieldPanel("referral_instructions_fi"),
                    FieldPanel("consultation_instructions_fi"),
                    FieldPanel("professional_phone"),
                ],
                heading=_("For professionals"),
            ),
            *[
                ObjectList(
                    [FieldPanel(f"{name}_{code}") for name in TRANSLATED_FIELDS + PROFESSIONAL_FIELDS],
                    heading=heading,
                )
                for code, heading in LANGUAGE_TABS
            ],
            verification_panels(),
        ]
    )

    class Meta:
        # A total order (pk breaks ties between equal names) for this model and the other
        # directory records: search documents and pages list related rows in it, and a
        # document must render the same every time, or `search_index check` finds stale
        # documents nobody changed (national data has many services of the same name, and
        # PostgreSQL returns ties in whatever order its plan of the moment gives).
        ordering = ["name_fi", "pk"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    summary = property(lambda self: localized(self, "summary"))
    description = property(lambda self: localized(self, "description"))
    how_to_access = property(lambda self: localized(self, "how_to_access"))
    charge_details = property(lambda self: localized(self, "charge_details"))
    referral_instructions = property(lambda self: localized(self, "referral_instructions"))
    consultation_instructions = property(lambda self: localized(self, "consultation_instructions"))

    @property
    def is_public(self):
        return self.status in PUBLIC_SERVICE_STATUSES

    def clean(self):
        super().clean()
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.maximum_age < self.minimum_age
        ):
            raise ValidationError({"maximum_age": _("The maximum age is below the minimum age.")})


class ServiceChannel(HoursOwnerMixin, RevisionMixin, DirectoryRecord, ClusterableModel):
    """A way to reach the service other than visiting (HSDS phone / url / email; PTV
    phone, electronic and web page channels), with its own hours: a phone line and a
    chat are often open at different times."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("type"), max_length=20, choices=ChannelKind.choices)
    label_fi = models.CharField(_("label (Finnish)"), max_length=150, blank=True)
    label_sv = models.CharField(_("label (Swedish)"), max_length=150, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=150, blank=True)
    phone_number = models.CharField(_("phone number"), max_length=40, blank=True)
    call_charge = models.CharField(
        _("call charge"), max_length=20, choices=CallCharge.choices, default=CallCharge.NETWORK, blank=True
    )
    call_charge_details = models.CharField(
        _("call charge details"), max_length=200, blank=True, help_text=_("For example the price per minute.")
    )
    email = models.EmailField(_("email"), blank=True)
    url = models.URLField(_("web address"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    organisation_lookup = "service__organisation"
    base_form_class = DirectoryRecordForm

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("service"),
                    FieldRowPanel([FieldPanel("kind"), FieldPanel("sort_order")]),
                    FieldPanel("label_fi"),
                    FieldPanel("label_sv"),
                    FieldPanel("label_en"),
                    FieldRowPanel([FieldPanel("phone_number"), FieldPanel("call_charge")]),
                    FieldPanel("call_charge_details"),
                    FieldPanel("email"),
                    FieldPanel("url"),
                ],
                heading=_("Basic information"),
            ),
            hours_panels(),
        ]
    )

    class Meta:
        ordering = ["service__name_fi", "sort_order", "pk"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    label = property(lambda self: localized(self, "label"))

    def __str__(self):
        return f"{self.service} – {self.get_kind_display()}"

    def clean(self):
        super().clean()
        required = {
            ChannelKind.PHONE: "phone_number",
            ChannelKind.EMAIL: "email",
        }.get(self.kind, "url")
        if not getattr(self, required):
            raise ValidationError({required: _("This type of channel needs this field.")})


class ServiceChannelWeeklyHours(WeeklyHoursBase):
    channel = ParentalKey(ServiceChannel, on_delete=models.CASCADE, related_name="weekly_hours")


class ServiceChannelHoursException(HoursExceptionBase):
    channel = ParentalKey(ServiceChannel, on_delete=models.CASCADE, related_name="hours_exceptions")


class ServiceAtLocation(HoursOwnerMixin, RevisionMixin, DirectoryRecord, ClusterableModel):
    """A service given at a location, with its own hours and contacts there."""

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        "directory.Location",
        verbose_name=_("location"),
        on_delete=models.CASCADE,
        related_name="service_at_locations",
    )
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    phone_number = models.CharField(_("phone number"), max_length=40, blank=True)
    call_charge = models.CharField(
        _("call charge"), max_length=20, choices=CallCharge.choices, default=CallCharge.NETWORK, blank=True
    )
    email = models.EmailField(_("email"), blank=True)
    # Professional-only
    contact_people = ParentalManyToManyField(
        "directory.ContactPerson",
        verbose_name=_("contact people"),
        blank=True,
        related_name="service_at_locations",
        help_text=_("Shown to professionals only."),
    )

    organisation_lookup = "service__organisation"
    base_form_class = DirectoryRecordForm

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("service"),
                    FieldPanel("location"),
                    FieldPanel("description_fi"),
                    FieldPanel("description_sv"),
                    FieldPanel("description_en"),
                    FieldRowPanel([FieldPanel("phone_number"), FieldPanel("call_charge")]),
                    FieldPanel("email"),
                    FieldPanel("contact_people"),
                ],
                heading=_("Basic information"),
            ),
            hours_panels(),
            verification_panels(),
        ]
    )

    class Meta:
        ordering = ["service__name_fi", "location__name_fi", "pk"]  # a total order: see Service.Meta
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_at_location")
        ]
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")

    description = property(lambda self: localized(self, "description"))

    def __str__(self):
        return f"{self.service} – {self.location}"

    def effective_schedule(self):
        """The hours here: the service's own hours at this location, else the location's."""
        return self.schedule() if self.has_hours else self.location.schedule()


class ServiceAtLocationWeeklyHours(WeeklyHoursBase):
    service_at_location = ParentalKey(
        ServiceAtLocation, on_delete=models.CASCADE, related_name="weekly_hours"
    )


class ServiceAtLocationHoursException(HoursExceptionBase):
    service_at_location = ParentalKey(
        ServiceAtLocation, on_delete=models.CASCADE, related_name="hours_exceptions"
    )
