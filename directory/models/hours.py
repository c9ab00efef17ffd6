"""Opening hours as stored: weekly rules and dated exceptions per owner.

HSDS keeps schedules for a service, a location or a service at a location, so
each of those owns its own rows (concrete models in their modules, built on the
abstract ones here). directory.hours turns them into a plain Schedule and does
all the reasoning about time.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from directory import hours
from directory.choices import HoursMode

from .mixins import localized

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class HoursOwnerMixin(models.Model):
    """Fields of anything that has opening hours."""

    hours_mode = models.CharField(
        _("opening hours"), max_length=20, choices=HoursMode.choices, default=HoursMode.NOT_GIVEN, blank=True
    )
    closed_on_public_holidays = models.BooleanField(
        _("closed on public holidays"),
        default=True,
        help_text=_("Finnish public holidays, Midsummer Eve and Christmas Eve close weekly opening hours."),
    )
    hours_note_fi = models.CharField(_("note on opening hours (Finnish)"), max_length=300, blank=True)
    hours_note_sv = models.CharField(_("note on opening hours (Swedish)"), max_length=300, blank=True)
    hours_note_en = models.CharField(_("note on opening hours (English)"), max_length=300, blank=True)

    # related_name of the owner's weekly rules and exceptions
    weekly_hours_name = "weekly_hours"
    hours_exceptions_name = "hours_exceptions"

    class Meta:
        abstract = True

    @property
    def hours_note(self):
        return localized(self, "hours_note")

    @property
    def has_hours(self):
        return bool(self.hours_mode)

    def schedule(self) -> hours.Schedule:
        return hours.Schedule(
            mode=self.hours_mode or hours.NOT_GIVEN,
            rules=tuple(rule.as_rule() for rule in getattr(self, self.weekly_hours_name).all()),
            exceptions=tuple(exc.as_exception() for exc in getattr(self, self.hours_exceptions_name).all()),
            closed_on_public_holidays=self.closed_on_public_holidays,
        )


class WeeklyHoursBase(Orderable):
    """Open on `weekday` from `opens` to `closes`; a closing time at or before the
    opening time means the span runs over midnight into the next day."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes")]),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_to")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("weekly opening hours")
        verbose_name_plural = _("weekly opening hours")

    def clean(self):
        super().clean()
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})

    def as_rule(self):
        return hours.WeeklyRule(
            weekday=self.weekday,
            opens=self.opens,
            closes=self.closes,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
        )


class HoursExceptionBase(Orderable):
    """Hours that replace the weekly ones on a date or a range of dates: closed, or
    open at other times (a holiday, a training day, summer hours)."""

    date_from = models.DateField(_("date"))
    date_to = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty for one day."))
    closed = models.BooleanField(_("closed"), default=True)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    label_fi = models.CharField(_("reason (Finnish)"), max_length=100, blank=True)
    label_sv = models.CharField(_("reason (Swedish)"), max_length=100, blank=True)
    label_en = models.CharField(_("reason (English)"), max_length=100, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date_from"), FieldPanel("date_to")]),
        FieldRowPanel([FieldPanel("closed"), FieldPanel("opens"), FieldPanel("closes")]),
        FieldRowPanel([FieldPanel("label_fi"), FieldPanel("label_sv"), FieldPanel("label_en")]),
    ]

    class Meta(Orderable.Meta):
        abstract = True
        verbose_name = _("exception to opening hours")
        verbose_name_plural = _("exceptions to opening hours")

    def clean(self):
        super().clean()
        if self.date_to and self.date_to < self.date_from:
            raise ValidationError({"date_to": _("The end date is before the start date.")})
        if not self.closed and (self.opens is None or self.closes is None):
            raise ValidationError(_("Give the opening and closing times, or mark the day closed."))

    def as_exception(self):
        return hours.HoursException(
            date_from=self.date_from,
            date_to=self.date_to,
            closed=self.closed,
            opens=None if self.closed else self.opens,
            closes=None if self.closed else self.closes,
            labels={"fi": self.label_fi, "sv": self.label_sv, "en": self.label_en},
        )
