"""Locations: where services are visited (HSDS `location` with its `address` and `accessibility`)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.models import RevisionMixin

from directory.forms import DirectoryRecordForm
from directory.geography import place_for_postal_code
from directory.validators import validate_latitude, validate_longitude

from .base import DirectoryRecord
from .hours import HoursExceptionBase, HoursOwnerMixin, WeeklyHoursBase
from .mixins import LocalizedNameMixin, localized
from .panels import language_tabs, verification_panels


def coordinate_field(label, validator):
    # Six decimals is about 10 cm: more than any address point needs.
    return models.DecimalField(
        label, max_digits=9, decimal_places=6, null=True, blank=True, validators=[validator]
    )


def hours_panels():
    return ObjectList(
        [
            FieldRowPanel([FieldPanel("hours_mode"), FieldPanel("closed_on_public_holidays")]),
            InlinePanel("weekly_hours", label=_("Weekly opening hours")),
            InlinePanel("hours_exceptions", label=_("Exceptions to opening hours")),
            FieldPanel("hours_note_fi"),
            FieldPanel("hours_note_sv"),
            FieldPanel("hours_note_en"),
        ],
        heading=_("Opening hours"),
    )


class Location(LocalizedNameMixin, HoursOwnerMixin, RevisionMixin, DirectoryRecord, ClusterableModel):
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="locations",
        help_text=_("The organisation that keeps this location's information up to date."),
    )
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)
    description_sv = models.TextField(_("description (Swedish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    street_address_fi = models.CharField(_("street address (Finnish)"), max_length=200)
    street_address_sv = models.CharField(_("street address (Swedish)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5)
    # Both follow from the postal code (see clean()); they are stored for lookups and exports.
    post_office = models.CharField(_("post office"), max_length=100, blank=True, editable=False)
    municipality = models.ForeignKey(
        "directory.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    latitude = coordinate_field(_("latitude"), validate_latitude)
    longitude = coordinate_field(_("longitude"), validate_longitude)

    transportation_fi = models.TextField(_("getting there (Finnish)"), blank=True)
    transportation_sv = models.TextField(_("getting there (Swedish)"), blank=True)
    transportation_en = models.TextField(_("getting there (English)"), blank=True)
    accessibility_fi = models.TextField(_("accessibility (Finnish)"), blank=True)
    accessibility_sv = models.TextField(_("accessibility (Swedish)"), blank=True)
    accessibility_en = models.TextField(_("accessibility (English)"), blank=True)
    entrances_fi = models.TextField(
        _("entrances (Finnish)"), blank=True, help_text=_("Where the doors are and which one to use.")
    )
    entrances_sv = models.TextField(_("entrances (Swedish)"), blank=True)
    entrances_en = models.TextField(_("entrances (English)"), blank=True)
    accessibility_url = models.URLField(
        _("accessibility information page"),
        blank=True,
        help_text=_("For example the location's page on palvelukartta."),
    )

    base_form_class = DirectoryRecordForm

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("organisation"),
                    FieldPanel("name_fi"),
                    MultiFieldPanel(
                        [
                            FieldPanel("street_address_fi"),
                            FieldPanel("street_address_sv"),
                            FieldPanel("postal_code"),
                            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                        ],
                        heading=_("Address"),
                    ),
                    FieldPanel("description_fi"),
                    FieldPanel("transportation_fi"),
                    FieldPanel("accessibility_fi"),
                    FieldPanel("entrances_fi"),
                    FieldPanel("accessibility_url"),
                ],
                heading=_("Basic information"),
            ),
            hours_panels(),
            *language_tabs(["name", "description", "transportation", "entrances", "accessibility"]),
            verification_panels(),
        ]
    )

    class Meta:
        ordering = ["name_fi", "pk"]  # a total order: see Service.Meta
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    @property
    def description(self):
        return localized(self, "description")

    @property
    def street_address(self):
        return localized(self, "street_address")

    @property
    def transportation(self):
        return localized(self, "transportation")

    @property
    def accessibility(self):
        return localized(self, "accessibility")

    @property
    def entrances(self):
        return localized(self, "entrances")

    def clean(self):
        super().clean()
        self.place_from_postal_code(raise_errors=True)
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    def place_from_postal_code(self, raise_errors=False):

        place = place_for_postal_code(self.postal_code)
        if place is None:
            if raise_errors:
                raise ValidationError({"postal_code": _("Unknown postal code.")})
            return
        self.postal_code = place.postal_code.code
        self.post_office = place.postal_code.name_fi.title()
        self.municipality = place.municipality

    def save(self, *args, **kwargs):
        # Imports and the demo loader skip full_clean(); keep the municipality right anyway.
        self.place_from_postal_code()
        super().save(*args, **kwargs)


class LocationWeeklyHours(WeeklyHoursBase):
    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="weekly_hours")


class LocationHoursException(HoursExceptionBase):
    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="hours_exceptions")
