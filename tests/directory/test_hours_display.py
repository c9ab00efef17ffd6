"""Opening hours as the door and service pages show them (directory.hours_display):
per channel, today's hours first, the regular week and the coming exceptions after.
Plain data in, plain data out: the hours dicts are built by visibility.hours_data
from schedules, without the database."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from django.utils import translation

from directory import hours
from directory.hours_display import channel_hours, present_hours, today_in_helsinki
from directory.presenters import hours_data

HELSINKI = ZoneInfo("Europe/Helsinki")
T = datetime.time.fromisoformat
D = datetime.date.fromisoformat


def at(value):
    return datetime.datetime.fromisoformat(value).replace(tzinfo=HELSINKI)


def schedule(*spans, mode=hours.WEEKLY, exceptions=()):
    return hours.Schedule(
        mode=mode,
        rules=tuple(hours.WeeklyRule(day, T(opens), T(closes)) for day, opens, closes in spans),
        exceptions=tuple(exceptions),
    )


def hours_of(sched, moment, note=""):
    with translation.override("fi"):
        return hours_data(SimpleNamespace(hours_note=note), sched, moment)


PHONE = schedule(
    *[(day, "09:00", "11:00") for day in range(5)],
    exceptions=[
        hours.HoursException(D("2026-12-24"), labels={"fi": "Jouluaatto"}),
        hours.HoursException(
            D("2026-12-28"), closed=False, opens=T("12:00"), closes=T("14:00"), labels={"fi": "Koulutus"}
        ),
    ],
)
CHAT = schedule(
    *[(day, "13:00", "15:00") for day in range(5)],
    exceptions=[hours.HoursException(D("2026-12-31"), labels={"fi": "Uudenvuodenaatto"})],
)


def test_today_comes_from_the_week_and_is_marked_in_it():
    monday = D("2026-12-21")
    view = present_hours(hours_of(PHONE, at("2026-12-21 10:00")), monday)

    assert view["today"] == {
        "date": monday,
        "spans": [{"opens": "09:00", "closes": "11:00"}],
        "reason": "",
        "exception": False,
    }
    assert view["status"]["state"] == "open"
    assert len(view["week"]) == 7
    assert [row["is_today"] for row in view["week"]] == [True] + [False] * 6
    assert view["week"][5]["spans"] == []  # Saturday: closed


def test_an_exception_today_wins_over_the_week_and_is_not_repeated_in_the_exceptions():
    christmas_eve = D("2026-12-24")
    view = present_hours(hours_of(PHONE, at("2026-12-24 10:00")), christmas_eve)

    assert view["today"]["spans"] == []
    assert view["today"]["reason"] == "Jouluaatto" and view["today"]["exception"]
    assert view["status"]["state"] == "closed"
    dates = [day["date"] for day in view["exceptions"]]
    assert christmas_eve not in dates
    assert D("2026-12-25") in dates  # Christmas Day: a public holiday on a weekday
    assert D("2026-12-28") in dates  # open at other times
    training = next(day for day in view["exceptions"] if day["date"] == D("2026-12-28"))
    assert training["spans"] == [{"opens": "12:00", "closes": "14:00"}] and training["reason"] == "Koulutus"


def test_always_open_has_no_week_and_no_today_row():
    view = present_hours(hours_of(schedule(mode=hours.ALWAYS_OPEN), at("2026-12-21 03:00")), D("2026-12-21"))
    assert view["status"]["state"] == "always_open"
    assert view["week"] == [] and view["today"] is None


def test_no_hours_is_none():
    assert present_hours(None, D("2026-12-21")) is None


def test_channel_hours_groups_each_channels_own_exceptions_under_its_name():
    moment = at("2026-12-21 10:00")
    door = {
        "channels": [
            {"kind": "phone", "kind_label": "Puhelin", "label": "Neuvonta", "hours": hours_of(PHONE, moment)},
            {"kind": "chat", "kind_label": "Chat", "label": "Chat", "hours": hours_of(CHAT, moment)},
            {"kind": "web", "kind_label": "Verkkosivu", "label": "", "hours": None},
        ],
        "locations": [
            {
                "location": {"name": "Perhekeskus"},
                "hours": hours_of(PHONE, moment, note="Ovikello on vasemmalla."),
            },
            {"location": {"name": "Ei aukioloaikoja"}, "hours": None},
        ],
    }
    rows = channel_hours(door, D("2026-12-21"))

    assert [(row["kind"], row["kind_label"], row["label"]) for row in rows] == [
        ("phone", "Puhelin", "Neuvonta"),
        ("chat", "Chat", ""),  # not "Chat: Chat"
        ("location", "", "Perhekeskus"),
    ]
    phone, chat, place = rows
    assert {day["reason"] for day in phone["exceptions"]} >= {"Jouluaatto", "Koulutus"}
    assert "Uudenvuodenaatto" not in {day["reason"] for day in phone["exceptions"]}
    assert "Uudenvuodenaatto" in {day["reason"] for day in chat["exceptions"]}
    assert chat["today"]["spans"] == [{"opens": "13:00", "closes": "15:00"}]
    assert chat["status"]["state"] == "closed"  # 10:00, the chat opens at 13:00
    assert place["note"] == "Ovikello on vasemmalla."


def test_today_is_the_helsinki_date_of_the_moment():
    # 23:30 UTC on the 20th is already the 21st in Helsinki.
    assert today_in_helsinki(datetime.datetime(2026, 12, 20, 23, 30, tzinfo=datetime.UTC)) == D("2026-12-21")
    assert isinstance(today_in_helsinki(None), datetime.date)
