"""Finnish geography: regions, wellbeing services counties, municipalities, postal codes.

Reference data loaded from directory/data/*.csv (see the README there); codes are
the official Statistics Finland codes, so they stay stable across reloads.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .mixins import LocalizedNameMixin


class Region(LocalizedNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")


class WellbeingCounty(LocalizedNameMixin, models.Model):
    """A wellbeing services county (hyvinvointialue), or the City of Helsinki."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("wellbeing services county")
        verbose_name_plural = _("wellbeing services counties")


class Municipality(LocalizedNameMixin, models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )
    # Empty for the municipalities of Åland, which belong to no wellbeing services county.
    county = models.ForeignKey(
        WellbeingCounty,
        verbose_name=_("wellbeing services county"),
        on_delete=models.PROTECT,
        related_name="municipalities",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    @property
    def name_en(self):
        return self.name_fi


class PostalCode(models.Model):
    code = models.CharField(_("postal code"), max_length=5, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="postal_codes",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")

    def __str__(self):
        return f"{self.code} {self.name_fi.title()}"
