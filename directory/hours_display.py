"""Opening hours as the door and service pages show them, per channel: today's
hours and the open status first, the regular week and the coming exceptions after.

Plain functions over the represented data of directory.presenters (its `hours`
dicts), so a page shows exactly what the API gives; nothing here reads the database.
"""

import datetime

from directory import hours as hours_lib


def today_in_helsinki(at=None) -> datetime.date:
    """The date the hours are shown for: `at` (the door finder's at=) or now, in Helsinki."""
    return hours_lib.to_local(at or hours_lib.now()).date()


def present_hours(hours, today):
    """One owner's hours dict (presenters.hours_data) as shown on a page, or None.

    today: the date (Helsinki) whose hours come first: an exception or a public
    holiday on it wins over the week's rule. week: the regular week, Monday
    first, today's row marked. exceptions: the coming dates whose hours differ,
    today's left out (it is in `today`).
    """
    if not hours:
        return None
    special_today = next((day for day in hours["special_days"] if day["date"] == today), None)
    week = [{**row, "is_today": row["weekday"] == today.weekday()} for row in hours["weekly"]]
    if special_today is not None:
        today_row = {
            "date": today,
            "spans": special_today["spans"],
            "reason": special_today["reason"],
            "exception": True,
        }
    elif todays_rule := next((row for row in week if row["is_today"]), None):
        today_row = {"date": today, "spans": todays_rule["spans"], "reason": "", "exception": False}
    else:
        today_row = None  # always open (the status says so) or only exceptions known
    return {
        "mode": hours["mode"],
        "status": hours["status"],
        "today": today_row,
        "week": week,
        "exceptions": [day for day in hours["special_days"] if day["date"] != today],
        "closed_on_public_holidays": hours["closed_on_public_holidays"],
        "note": hours["note"],
    }


def channel_hours(data, today):
    """Per channel of a represented service (a door): the ways in that have opening
    hours, contact channels first (a phone line, a chat), then the places one visits.

    Each: kind ("phone", "chat", …, or "location"), kind_label and label (the
    name shown), and present_hours()'s today, week, exceptions, status and note.
    """
    rows = []
    for channel in data.get("channels", []):
        view = present_hours(channel.get("hours"), today)
        if view is not None:
            # "Chat: Chat" says it once.
            label = channel["label"] if str(channel["label"]) != str(channel["kind_label"]) else ""
            rows.append(
                {"kind": channel["kind"], "kind_label": channel["kind_label"], "label": label, **view}
            )
    for entry in data.get("locations", []):
        view = present_hours(entry.get("hours"), today)
        if view is not None:
            rows.append({"kind": "location", "kind_label": "", "label": entry["location"]["name"], **view})
    return rows
