"""Vocabularies of the library that editors manage as snippets."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models.mixins import LocalizedNameMixin


class Topic(LocalizedNameMixin, models.Model):
    """Aihealue: the controlled list of topics a model is filed under."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class Programme(LocalizedNameMixin, models.Model):
    """Kokonaisuus: the programme or project a model was developed in."""

    slug = models.SlugField(_("identifier"), max_length=80, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_fi = models.TextField(_("description (Finnish)"), blank=True)

    class Meta:
        ordering = ["name_fi"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")


class Funder(LocalizedNameMixin, models.Model):
    """Who funded the development. A fixed list, created by a migration."""

    code = models.SlugField(_("identifier"), max_length=30, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=150)
    name_sv = models.CharField(_("name (Swedish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
