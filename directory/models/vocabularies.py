"""Controlled vocabularies shared by the directory and the apps that lean on it."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .mixins import LocalizedNameMixin


class TargetGroup(LocalizedNameMixin, models.Model):
    """Who a service or an operating model is for (families with children, older people, ...)."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name_fi"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class LifeSituation(LocalizedNameMixin, models.Model):
    """What a resident starts from (elämäntilanne): "worry about a child", "a newborn in the family"."""

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=150)
    name_sv = models.CharField(_("name (Swedish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_fi = models.TextField(_("description for residents (Finnish)"), blank=True)
    description_sv = models.TextField(_("description for residents (Swedish)"), blank=True)
    description_en = models.TextField(_("description for residents (English)"), blank=True)
    plain_language_fi = models.TextField(
        _("plain-language Finnish (selkokieli)"),
        blank=True,
        help_text=_("Short sentences and everyday words, following the selkokieli guidelines."),
    )
    may_be_acute = models.BooleanField(
        _("may be acute"),
        default=False,
        help_text=_("Pages for this situation always show the emergency numbers."),
    )
    after_hours_help = models.ManyToManyField(
        "directory.Service",
        verbose_name=_("help when the door is closed"),
        blank=True,
        related_name="after_hours_for",
        help_text=_(
            "Services the door finder offers when the resident's door is closed: social or crisis "
            "emergency services, round-the-clock helplines, the medical helpline 116117. Only those "
            "that serve the resident's place and are open at that moment are shown."
        ),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name_fi"]
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")

    @property
    def description(self):
        language = (translation.get_language() or "fi")[:2]
        return getattr(self, f"description_{language}", "") or self.description_fi


class Sector(LocalizedNameMixin, models.Model):
    """An administrative sector (social services, health care, youth services, ...).

    Sectors are what professionals cross when they look for each other, so both
    organisations and services carry them and the directory can be browsed by them.
    """

    slug = models.SlugField(_("identifier"), max_length=60, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name_fi"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Language(LocalizedNameMixin, models.Model):
    """A language a service is given in (HSDS `language`: ISO 639-1 code, or ISO 639-3 without one)."""

    code = models.CharField(_("language code"), max_length=3, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=100)
    name_sv = models.CharField(_("name (Swedish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name_fi"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class ServiceClass(LocalizedNameMixin, models.Model):
    """A service class of the national classification used by Suomi.fi PTV (e.g. "P10.2").

    Not seeded here: the PTV import brings the classes it meets, editors may add more.
    """

    code = models.CharField(_("code"), max_length=60, unique=True)
    name_fi = models.CharField(_("name (Finnish)"), max_length=200)
    name_sv = models.CharField(_("name (Swedish)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("broader class"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("service class")
        verbose_name_plural = _("service classes")

    def __str__(self):
        return f"{self.code} {self.name}"
