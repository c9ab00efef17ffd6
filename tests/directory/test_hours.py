"""Opening hours: open now / open at, in Helsinki time (pure functions, no database)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from directory import hours
from directory.holidays import easter_sunday, holiday_on, public_holidays

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC
T = datetime.time.fromisoformat
D = datetime.date.fromisoformat


def at(value):
    """A Helsinki-time moment from "2026-11-23 10:00"."""
    return datetime.datetime.fromisoformat(value).replace(tzinfo=HELSINKI)


def weekly(*spans, mode=hours.WEEKLY, exceptions=(), holidays=True):
    return hours.Schedule(
        mode=mode,
        rules=tuple(hours.WeeklyRule(day, T(opens), T(closes)) for day, opens, closes in spans),
        exceptions=tuple(exceptions),
        closed_on_public_holidays=holidays,
    )


OFFICE = weekly(*[(day, "08:00", "16:00") for day in range(5)])
# Friday and Saturday nights 18:00–02:00, like a youth night service.
NIGHTS = weekly((4, "18:00", "02:00"), (5, "18:00", "02:00"))

# 2026-11-23 is a Monday.


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-11-23 07:59", False),
        ("2026-11-23 08:00", True),
        ("2026-11-23 15:59", True),
        ("2026-11-23 16:00", False),  # closing time is not open any more
        ("2026-11-28 10:00", False),  # Saturday
    ],
)
def test_weekly_office_hours(moment, expected):
    assert hours.is_open_at(OFFICE, at(moment)) is expected


@pytest.mark.parametrize(
    "moment, expected",
    [
        ("2026-11-27 17:59", False),  # Friday before opening
        ("2026-11-27 23:30", True),  # Friday night
        ("2026-11-28 00:30", True),  # after midnight, still Friday's span
        ("2026-11-28 01:59", True),
        ("2026-11-28 02:00", False),
        ("2026-11-28 19:00", True),  # Saturday's own span
        ("2026-11-29 01:00", True),  # into Sunday
        ("2026-11-29 03:00", False),
        ("2026-11-24 01:00", False),  # Monday night: Monday has no span
    ],
)
def test_spans_across_midnight(moment, expected):
    assert hours.is_open_at(NIGHTS, at(moment)) is expected


def test_whole_day_span_from_midnight_to_midnight():
    schedule = weekly((0, "00:00", "00:00"))

    assert hours.is_open_at(schedule, at("2026-11-23 00:00"))
    assert hours.is_open_at(schedule, at("2026-11-23 23:59"))
    assert not hours.is_open_at(schedule, at("2026-11-24 00:00"))


def test_several_spans_a_day():
    schedule = weekly((0, "08:00", "09:00"), (0, "12:00", "13:00"))

    assert hours.is_open_at(schedule, at("2026-11-23 08:30"))
    assert not hours.is_open_at(schedule, at("2026-11-23 10:00"))
    assert hours.is_open_at(schedule, at("2026-11-23 12:30"))


def test_exception_closes_a_day():
    schedule = weekly(
        *[(day, "08:00", "16:00") for day in range(5)],
        exceptions=[hours.HoursException(D("2026-11-25"), closed=True, labels={"fi": "Koulutuspäivä"})],
    )

    assert hours.is_open_at(schedule, at("2026-11-24 10:00"))
    assert not hours.is_open_at(schedule, at("2026-11-25 10:00"))
    assert hours.is_open_at(schedule, at("2026-11-26 10:00"))


def test_exception_with_other_hours():
    new_years_eve = hours.HoursException(D("2026-12-31"), closed=False, opens=T("08:00"), closes=T("13:00"))
    schedule = weekly(*[(day, "08:00", "16:00") for day in range(5)], exceptions=[new_years_eve])

    assert hours.is_open_at(schedule, at("2026-12-31 12:59"))
    assert not hours.is_open_at(schedule, at("2026-12-31 14:00"))


def test_exception_range_closes_every_day_in_it():
    summer = hours.HoursException(D("2027-07-05"), D("2027-07-30"), closed=True)
    schedule = weekly(*[(day, "08:00", "16:00") for day in range(5)], exceptions=[summer])

    assert not hours.is_open_at(schedule, at("2027-07-05 10:00"))
    assert not hours.is_open_at(schedule, at("2027-07-30 10:00"))
    assert hours.is_open_at(schedule, at("2027-08-02 10:00"))


def test_exception_can_open_a_closed_day_and_cross_midnight():
    new_years_night = hours.HoursException(D("2026-12-31"), closed=False, opens=T("18:00"), closes=T("03:00"))
    schedule = weekly((4, "18:00", "02:00"), (5, "18:00", "02:00"), exceptions=[new_years_night])

    assert hours.is_open_at(schedule, at("2026-12-31 23:59"))  # a Thursday, normally closed
    assert hours.is_open_at(schedule, at("2027-01-01 02:30"))
    assert not hours.is_open_at(schedule, at("2027-01-01 03:00"))


def test_span_running_into_an_exception_day_keeps_its_end():
    # Friday night runs into Saturday; Saturday itself is closed by an exception.
    closed_saturday = hours.HoursException(D("2026-11-28"), closed=True)
    schedule = weekly((4, "18:00", "02:00"), (5, "18:00", "02:00"), exceptions=[closed_saturday])

    assert hours.is_open_at(schedule, at("2026-11-28 01:00"))
    assert not hours.is_open_at(schedule, at("2026-11-28 19:00"))


def test_public_holidays_close_weekly_hours():
    assert not hours.is_open_at(OFFICE, at("2026-12-24 10:00"))  # Christmas Eve, a Thursday
    assert not hours.is_open_at(OFFICE, at("2027-01-06 10:00"))  # Epiphany, a Wednesday
    assert not hours.is_open_at(OFFICE, at("2027-05-06 10:00"))  # Ascension Day
    assert hours.is_open_at(OFFICE, at("2026-12-23 10:00"))


def test_holidays_do_not_apply_when_the_owner_says_so():
    schedule = weekly(*[(day, "08:00", "16:00") for day in range(5)], holidays=False)

    assert hours.is_open_at(schedule, at("2026-12-24 10:00"))


def test_exception_wins_over_a_holiday():
    open_on_christmas_eve = hours.HoursException(
        D("2026-12-24"), closed=False, opens=T("09:00"), closes=T("12:00")
    )
    schedule = weekly(*[(day, "08:00", "16:00") for day in range(5)], exceptions=[open_on_christmas_eve])

    assert hours.is_open_at(schedule, at("2026-12-24 10:00"))
    assert not hours.is_open_at(schedule, at("2026-12-24 13:00"))


def test_always_open_is_open_around_the_clock_and_on_holidays():
    schedule = hours.Schedule(mode=hours.ALWAYS_OPEN)

    for moment in ("2026-11-23 03:00", "2026-11-29 23:59", "2026-12-24 12:00", "2026-12-31 23:59"):
        assert hours.is_open_at(schedule, at(moment))
    assert hours.status_at(schedule, at("2026-11-23 03:00")).state == "always_open"


def test_always_open_honours_exceptions():
    maintenance = hours.HoursException(D("2026-11-25"), closed=True)
    schedule = hours.Schedule(mode=hours.ALWAYS_OPEN, exceptions=(maintenance,))

    assert not hours.is_open_at(schedule, at("2026-11-25 12:00"))
    assert hours.is_open_at(schedule, at("2026-11-26 00:00"))


def test_by_appointment_is_never_open_for_walk_ins_but_shows_appointment_times():
    schedule = weekly((0, "09:00", "15:00"), mode=hours.BY_APPOINTMENT)

    assert not hours.is_open_at(schedule, at("2026-11-23 10:00"))
    assert hours.status_at(schedule, at("2026-11-23 10:00")).state == "by_appointment"
    assert hours.weekly_table(schedule, D("2026-11-23"))[0] == (0, [(T("09:00"), T("15:00"))])


def test_hours_not_given_are_never_open():
    assert not hours.is_open_at(hours.Schedule(), at("2026-11-23 10:00"))
    assert hours.status_at(hours.Schedule(), at("2026-11-23 10:00")).state == "not_given"


def test_moments_are_read_in_helsinki_time_whatever_their_zone():
    # 06:30 UTC on a winter Monday is 08:30 in Helsinki (UTC+2).
    assert hours.is_open_at(OFFICE, datetime.datetime(2026, 11, 23, 6, 30, tzinfo=UTC))
    assert not hours.is_open_at(OFFICE, datetime.datetime(2026, 11, 23, 5, 30, tzinfo=UTC))
    # A naive moment is taken as Helsinki wall-clock time.
    assert hours.is_open_at(OFFICE, datetime.datetime(2026, 11, 23, 8, 30))


def test_opening_hours_follow_the_wall_clock_across_the_spring_dst_change():
    # Clocks go forward on Sunday 29 March 2026 at 03:00 (UTC+2 -> UTC+3).
    schedule = weekly(*[(day, "08:00", "16:00") for day in range(7)], holidays=False)

    # 05:30 UTC is 07:30 on Saturday (winter time) but 08:30 on Sunday (summer time).
    assert not hours.is_open_at(schedule, datetime.datetime(2026, 3, 28, 5, 30, tzinfo=UTC))
    assert hours.is_open_at(schedule, datetime.datetime(2026, 3, 29, 5, 30, tzinfo=UTC))
    # Closing at 16:00 local is 13:00 UTC in summer time.
    assert not hours.is_open_at(schedule, datetime.datetime(2026, 3, 29, 13, 0, tzinfo=UTC))


def test_overnight_span_across_the_autumn_dst_change():
    # Clocks go back on Sunday 25 October 2026 at 04:00 (UTC+3 -> UTC+2): the night is an hour longer.
    schedule = weekly((5, "22:00", "05:00"), holidays=False)

    # 03:30 local happens twice; both are inside the span.
    assert hours.is_open_at(schedule, datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # 03:30 EEST
    assert hours.is_open_at(schedule, datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 03:30 EET
    assert hours.is_open_at(schedule, datetime.datetime(2026, 10, 25, 2, 59, tzinfo=UTC))  # 04:59 EET
    assert not hours.is_open_at(schedule, datetime.datetime(2026, 10, 25, 3, 0, tzinfo=UTC))  # 05:00 EET


def test_status_tells_when_it_closes():
    status = hours.status_at(OFFICE, at("2026-11-23 10:00"))

    assert status.state == "open" and status.is_open
    assert status.closes_at == at("2026-11-23 16:00")


def test_status_closing_time_of_an_overnight_span_is_the_next_morning():
    status = hours.status_at(NIGHTS, at("2026-11-27 23:00"))

    assert status.closes_at == at("2026-11-28 02:00")


def test_status_tells_when_it_opens_next_over_the_weekend():
    status = hours.status_at(OFFICE, at("2026-11-27 17:00"))  # Friday evening

    assert status.state == "closed" and not status.is_open
    assert status.opens_at == at("2026-11-30 08:00")


def test_status_gives_the_reason_of_a_holiday_closure():
    with translation.override("en"):
        status = hours.status_at(OFFICE, at("2026-12-24 10:00"))

        assert status.reason == "Christmas Eve"
    assert status.opens_at == at("2026-12-28 08:00")  # 25th and 26th are holidays, then the weekend


def test_exception_labels_follow_the_active_language():
    exception = hours.HoursException(D("2026-11-25"), labels={"fi": "Koulutuspäivä", "sv": "Utbildningsdag"})

    with translation.override("sv"):
        assert exception.label == "Utbildningsdag"
    with translation.override("en"):
        assert exception.label == "Koulutuspäivä"  # falls back to Finnish


def test_special_days_list_exceptions_and_holidays_that_change_something():
    days = hours.special_days(OFFICE, D("2026-12-01"), days=31)

    assert [day.date for day in days] == [
        D("2026-12-24"),
        D("2026-12-25"),
    ]  # 6.12. and 26.12. fall on weekends


def test_weekly_table_uses_the_rules_valid_on_the_date():
    summer = hours.WeeklyRule(0, T("09:00"), T("15:00"), valid_from=D("2027-06-01"), valid_to=D("2027-08-31"))
    schedule = hours.Schedule(
        mode=hours.WEEKLY,
        rules=(hours.WeeklyRule(0, T("08:00"), T("16:00"), valid_to=D("2027-05-31")), summer),
    )

    assert hours.weekly_table(schedule, D("2027-01-04"))[0][1] == [(T("08:00"), T("16:00"))]
    assert hours.weekly_table(schedule, D("2027-07-05"))[0][1] == [(T("09:00"), T("15:00"))]
    assert hours.is_open_at(schedule, at("2027-07-05 15:30")) is False


@pytest.mark.parametrize(
    "year, easter", [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28")]
)
def test_easter(year, easter):
    assert easter_sunday(year) == D(easter)


def test_finnish_public_holidays_of_2026():
    keys = {holiday.date.isoformat(): holiday.key for holiday in public_holidays(2026).values()}

    assert keys["2026-04-03"] == "good_friday"
    assert keys["2026-05-14"] == "ascension_day"
    assert keys["2026-06-19"] == "midsummer_eve"
    assert keys["2026-06-20"] == "midsummer_day"
    assert keys["2026-10-31"] == "all_saints_day"
    assert keys["2026-12-06"] == "independence_day"
    assert len(keys) == 15
    assert holiday_on(D("2026-11-23")) is None
