"""Finnish public holidays, computed (no data file, no network).

Besides the official public holidays, Midsummer Eve and Christmas Eve are
included: by law and collective agreements they are days off, and offices are
closed on them.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

NAMES = {
    "new_years_day": _("New Year's Day"),
    "epiphany": _("Epiphany"),
    "good_friday": _("Good Friday"),
    "easter_sunday": _("Easter Sunday"),
    "easter_monday": _("Easter Monday"),
    "may_day": _("May Day"),
    "ascension_day": _("Ascension Day"),
    "whit_sunday": _("Whit Sunday"),
    "midsummer_eve": _("Midsummer Eve"),
    "midsummer_day": _("Midsummer Day"),
    "all_saints_day": _("All Saints' Day"),
    "independence_day": _("Independence Day"),
    "christmas_eve": _("Christmas Eve"),
    "christmas_day": _("Christmas Day"),
    "st_stephens_day": _("St Stephen's Day"),
}


@dataclass(frozen=True)
class Holiday:
    key: str
    date: datetime.date

    @property
    def name(self):
        return str(NAMES[self.key])


def easter_sunday(year: int) -> datetime.date:
    """Western Easter (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own names)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _weekday_between(year, month, first_day, weekday):
    """The date with `weekday` (Monday 0) in the seven days starting at month/first_day."""
    start = datetime.date(year, month, first_day)
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> dict:
    easter = easter_sunday(year)
    day = datetime.timedelta(days=1)
    dates = {
        "new_years_day": datetime.date(year, 1, 1),
        "epiphany": datetime.date(year, 1, 6),
        "good_friday": easter - 2 * day,
        "easter_sunday": easter,
        "easter_monday": easter + day,
        "may_day": datetime.date(year, 5, 1),
        "ascension_day": easter + 39 * day,
        "whit_sunday": easter + 49 * day,
        "midsummer_eve": _weekday_between(year, 6, 19, 4),  # Friday 19–25 June
        "midsummer_day": _weekday_between(year, 6, 20, 5),  # Saturday 20–26 June
        "all_saints_day": _weekday_between(year, 10, 31, 5),  # Saturday 31 Oct – 6 Nov
        "independence_day": datetime.date(year, 12, 6),
        "christmas_eve": datetime.date(year, 12, 24),
        "christmas_day": datetime.date(year, 12, 25),
        "st_stephens_day": datetime.date(year, 12, 26),
    }
    return {date: Holiday(key, date) for key, date in dates.items()}


def holiday_on(date: datetime.date):
    return public_holidays(date.year).get(date)
