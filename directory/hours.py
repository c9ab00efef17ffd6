"""Opening hours: is a place open at a given moment, and when does it open or close.

Pure functions over plain data (no database). Times are wall-clock times in
Europe/Helsinki: a rule "08:00–16:00" means 08:00–16:00 local time on every date,
summer or winter time alike, so the functions convert the moment asked about to
Helsinki time first and then compare wall-clock times.

How a date's hours are decided (the first that applies wins):

1. an exception that covers the date (closed, or open at other times);
2. in weekly mode, a public holiday closes the date when the owner is
   "closed on public holidays";
3. the weekly rules for that weekday that are valid on the date.

A span belongs to the date it starts on. A span whose closing time is at or before
its opening time runs over midnight, so a Friday 22:00–02:00 rule is open until
02:00 on Saturday even when Saturday itself is a holiday or an exception: the
exception governs what *opens* on Saturday. 00:00–00:00 is a whole day.

Always open means a whole-day span every day; exceptions still apply (a 24-hour
service can close for a night for maintenance), public holidays do not. By
appointment only is never open for walk-in visitors; its weekly rules, when it
has them, tell when appointments are given and are shown as such. "Not given"
is never open.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import translation

from directory.holidays import holiday_on

HELSINKI = ZoneInfo("Europe/Helsinki")

NOT_GIVEN = ""
WEEKLY = "weekly"
ALWAYS_OPEN = "always_open"
BY_APPOINTMENT = "by_appointment"

MIDNIGHT = datetime.time(0, 0)
ONE_DAY = datetime.timedelta(days=1)
# How far ahead to look for the next opening: long enough to get past a summer closure.
LOOKAHEAD_DAYS = 62


@dataclass(frozen=True)
class WeeklyRule:
    weekday: int  # Monday 0 … Sunday 6
    opens: datetime.time
    closes: datetime.time
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None

    def applies_on(self, day: datetime.date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


@dataclass(frozen=True)
class HoursException:
    date_from: datetime.date
    date_to: datetime.date | None = None  # inclusive; None means the one day
    closed: bool = True
    opens: datetime.time | None = None
    closes: datetime.time | None = None
    labels: dict = field(default_factory=dict, hash=False)

    def covers(self, day: datetime.date) -> bool:
        return self.date_from <= day <= (self.date_to or self.date_from)

    @property
    def label(self) -> str:
        language = (translation.get_language() or "fi")[:2]
        return self.labels.get(language) or self.labels.get("fi", "")


@dataclass(frozen=True)
class Schedule:
    mode: str = NOT_GIVEN
    rules: tuple = ()
    exceptions: tuple = ()
    closed_on_public_holidays: bool = True


@dataclass(frozen=True)
class Span:
    """Open from `start` to `end` (naive Helsinki wall-clock datetimes, end excluded)."""

    start: datetime.datetime
    end: datetime.datetime

    def contains(self, moment: datetime.datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class DayHours:
    """What opens on one date, and why."""

    date: datetime.date
    spans: tuple
    reason: str = ""  # the exception's label or the holiday's name
    is_exception: bool = False
    is_holiday: bool = False

    @property
    def closed(self) -> bool:
        return not self.spans


@dataclass(frozen=True)
class OpenStatus:
    state: str  # "open", "closed", "always_open", "by_appointment", "not_given"
    closes_at: datetime.datetime | None = None  # aware, when open and closing within the lookahead
    opens_at: datetime.datetime | None = None  # aware, when closed and opening within the lookahead
    reason: str = ""  # why it is closed today, when an exception or a holiday says so

    @property
    def is_open(self) -> bool:
        return self.state in ("open", "always_open")


def to_local(moment: datetime.datetime) -> datetime.datetime:
    """Naive Helsinki wall-clock time of `moment`; a naive `moment` is taken as Helsinki time."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(HELSINKI).replace(tzinfo=None)


def to_aware(local: datetime.datetime) -> datetime.datetime:
    return local.replace(tzinfo=HELSINKI)


def now() -> datetime.datetime:
    return datetime.datetime.now(tz=HELSINKI)


def _span(day, opens, closes) -> Span:
    start = datetime.datetime.combine(day, opens)
    end = datetime.datetime.combine(day, closes)
    if end <= start:  # over midnight (00:00–00:00 is the whole day)
        end += ONE_DAY
    return Span(start, end)


def day_hours(schedule: Schedule, day: datetime.date) -> DayHours:
    """The spans that start on `day` (appointment times in by-appointment mode)."""
    if schedule.mode not in (WEEKLY, ALWAYS_OPEN, BY_APPOINTMENT):
        return DayHours(day, ())
    for exception in schedule.exceptions:
        if exception.covers(day):
            spans = () if exception.closed else (_span(day, exception.opens, exception.closes),)
            return DayHours(day, spans, reason=exception.label, is_exception=True)
    if schedule.mode == ALWAYS_OPEN:
        return DayHours(day, (_span(day, MIDNIGHT, MIDNIGHT),))
    holiday = holiday_on(day)
    if holiday is not None and schedule.closed_on_public_holidays:
        return DayHours(day, (), reason=holiday.name, is_holiday=True)
    rules = sorted((rule for rule in schedule.rules if rule.applies_on(day)), key=lambda rule: rule.opens)
    return DayHours(day, tuple(_span(day, rule.opens, rule.closes) for rule in rules))


def _spans_around(schedule, day, days_after=0):
    """Spans starting from the day before `day` (which may run past midnight) onwards."""
    for offset in range(-1, days_after + 1):
        yield from day_hours(schedule, day + offset * ONE_DAY).spans


def current_span(schedule: Schedule, at: datetime.datetime):
    if schedule.mode not in (WEEKLY, ALWAYS_OPEN):
        return None
    local = to_local(at)
    for span in _spans_around(schedule, local.date()):
        if span.contains(local):
            return span
    return None


def is_open_at(schedule: Schedule, at: datetime.datetime) -> bool:
    return current_span(schedule, at) is not None


def open_now(schedule: Schedule, at: datetime.datetime | None = None) -> bool:
    return is_open_at(schedule, at or now())


def _closing_time(schedule, span, enough=None):
    """When an open period really ends: spans that meet or overlap are one period.
    `enough`: a moment past which the exact end does not matter (any end after it will do)."""
    end = span.end
    for _ in range(LOOKAHEAD_DAYS):
        if enough is not None and end > enough:
            return end
        following = [s for s in _spans_around(schedule, end.date()) if s.start <= end < s.end]
        if not following:
            return end
        end = max(s.end for s in following)
    return None  # open for the whole lookahead


def next_opening(schedule: Schedule, at: datetime.datetime):
    """Start of the next span after `at` (naive local), or None within the lookahead."""
    if schedule.mode not in (WEEKLY, ALWAYS_OPEN):
        return None
    local = to_local(at)
    # Spans come day by day, each day's in order of opening, so the first one after
    # `at` is the next opening: the days after it need not be worked out.
    return next(
        (s.start for s in _spans_around(schedule, local.date(), LOOKAHEAD_DAYS) if s.start > local), None
    )


def status_at(schedule: Schedule, at: datetime.datetime | None = None) -> OpenStatus:
    at = at or now()
    if schedule.mode == BY_APPOINTMENT:
        return OpenStatus("by_appointment")
    if schedule.mode not in (WEEKLY, ALWAYS_OPEN):
        return OpenStatus("not_given")
    local = to_local(at)
    span = current_span(schedule, at)
    if span is not None:
        # Always open unless it closes within a day: how much later it closes does not matter.
        enough = local + ONE_DAY if schedule.mode == ALWAYS_OPEN else None
        closes = _closing_time(schedule, span, enough)
        if schedule.mode == ALWAYS_OPEN and (closes is None or closes - local > ONE_DAY):
            return OpenStatus("always_open")
        return OpenStatus("open", closes_at=to_aware(closes) if closes else None)
    today = day_hours(schedule, local.date())
    opens = next_opening(schedule, at)
    return OpenStatus(
        "closed",
        opens_at=to_aware(opens) if opens else None,
        reason=today.reason if (today.is_exception or today.is_holiday) else "",
    )


def weekly_table(schedule: Schedule, on: datetime.date | None = None):
    """The regular week as [(weekday, [(opens, closes), ...]), ...] Monday first,
    using the rules valid on `on` (today by default)."""
    on = on or now().date()
    table = []
    for weekday in range(7):
        rules = [
            rule
            for rule in schedule.rules
            if rule.weekday == weekday
            and (rule.valid_from is None or rule.valid_from <= on)
            and (rule.valid_to is None or on <= rule.valid_to)
        ]
        table.append((weekday, [(rule.opens, rule.closes) for rule in sorted(rules, key=lambda r: r.opens)]))
    return table


def special_days(schedule: Schedule, start: datetime.date, days: int = 31):
    """Dates in the coming `days` whose hours differ from the weekly rules
    (exceptions and, in weekly and by-appointment mode, public holidays)."""
    if schedule.mode not in (WEEKLY, ALWAYS_OPEN, BY_APPOINTMENT):
        return []
    result = []
    for offset in range(days):
        day = start + offset * ONE_DAY
        hours = day_hours(schedule, day)
        if hours.is_holiday and not any(rule.applies_on(day) for rule in schedule.rules):
            continue  # a holiday on a day that is closed anyway changes nothing
        if hours.is_exception or hours.is_holiday:
            result.append(hours)
    return result
