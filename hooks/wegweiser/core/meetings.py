"""Meeting schedules of bodies (``meetings`` in an entry): checks and the recurrence rule.

A volunteer writes the rhythm in words a calendar understands directly ("monthly, first
Wednesday, 14:00-16:00, from 2026-02-04"); this module checks that the parts fit together
and turns them into an RFC 5545 recurrence rule, which both the iCalendar export and the
HSDS schedules use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")  # index = date.weekday()
# repeat -> (RRULE FREQ, INTERVAL)
REPEATS = {
    "weekly": ("WEEKLY", 1),
    "every-2-weeks": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
    "every-2-months": ("MONTHLY", 2),
    "every-3-months": ("MONTHLY", 3),
}


@dataclass(frozen=True)
class Schedule:
    """A checked ``meetings`` value, ready for calendars."""

    freq: str
    interval: int
    day: str  # "WE"
    week: int | None  # 1..4, -1 for the last; None = every week of the rhythm
    start: dt.datetime  # first meeting, local time (Europe/Berlin)
    end: dt.datetime
    until: dt.date | None

    @property
    def byday(self) -> str:
        return f"{self.week}{self.day}" if self.week else self.day

    def rrule(self, zone: dt.tzinfo) -> dict:
        """The recurrence as the icalendar library wants it, for a start in ``zone``.

        RFC 5545: with a zoned start, UNTIL must be a UTC date-time (not a date); the end
        of the last day counts, so a meeting on that day still takes place.
        """
        rule = {"FREQ": self.freq, "INTERVAL": self.interval, "BYDAY": self.byday}
        if self.until:
            last = dt.datetime.combine(self.until, dt.time(23, 59, 59), tzinfo=zone)
            rule["UNTIL"] = last.astimezone(dt.UTC)
        return rule


def schedule(meetings: dict) -> Schedule:
    """The schedule of a validated ``meetings`` value (see ``problems`` for the checks)."""
    freq, interval = REPEATS[meetings["repeat"]]
    first = dt.date.fromisoformat(meetings["first"])
    start, end = (dt.time.fromisoformat(t) for t in meetings["time"].split("-"))
    week = meetings.get("week")
    until = meetings.get("until")
    return Schedule(
        freq=freq,
        interval=interval,
        day=meetings["day"].upper(),
        week=(-1 if week == "last" else int(week)) if week and freq == "MONTHLY" else None,
        start=dt.datetime.combine(first, start),
        end=dt.datetime.combine(first, end),
        until=dt.date.fromisoformat(until) if until else None,
    )


def problems(meetings: dict) -> list[tuple[tuple, str, dict]]:
    """What does not fit together, as (path inside ``meetings``, message code, params)."""
    first = dt.date.fromisoformat(meetings["first"])
    found = []
    if first.weekday() != DAYS.index(meetings["day"]):
        params = {"value": meetings["first"], "actual": DAYS[first.weekday()]}
        found.append((("first",), "meetings.wrong_day", {**params, "day": meetings["day"]}))
    week = meetings.get("week")
    monthly = REPEATS[meetings["repeat"]][0] == "MONTHLY"
    if week and not monthly:
        found.append((("week",), "meetings.week_not_monthly", {"value": week}))
    elif monthly and not week:
        found.append(((), "meetings.week_missing", {}))
    elif week and week_of_month(first) != week and not (week == "last" and _is_last(first)):
        params = {"value": meetings["first"], "actual": week_of_month(first), "week": week}
        found.append((("first",), "meetings.wrong_week", params))
    until = meetings.get("until")
    if until and dt.date.fromisoformat(until) < first:
        found.append((("until",), "meetings.until_before_first", {"value": until}))
    return found


def week_of_month(day: dt.date) -> str:
    """ "1" for the first such weekday of its month, … "5" for a fifth."""
    return str((day.day - 1) // 7 + 1)


def _is_last(day: dt.date) -> bool:
    return (day + dt.timedelta(days=7)).month != day.month
