"""Opening times as concrete days: the rules, the Land's public holidays, closures, status.

An entry's ``opening_hours`` (OpenStreetMap syntax) says what a usual week looks like; a
visitor wants to know about today. This module turns the rules into the days of the
coming weeks, once per build and the same for every language:

- opening-hours-py evaluates the rules, day by day;
- the `holidays` library knows the public holidays of each Land (opening-hours-py only
  knows the national ones): on such a day the rules are evaluated with ``PH`` true;
- ``closures`` and ``status: temporarily_closed`` close whole days.

Where the rules do not say what happens on a public holiday (no ``PH`` in them), that
day is *unknown*, never open: a family should not make the trip on a guess.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import holidays
import opening_hours
from dateutil.easter import easter

# How far ahead the pages know the opening state; the site is rebuilt every day
# (.github/workflows/veroeffentlichen.yml), so a published page is never past it.
HORIZON_DAYS = 42
DAY_MINUTES = 24 * 60

# municipalities.yml names the Land in German; the holiday library wants its ISO code.
LAENDER = {
    "Baden-Württemberg": "BW",
    "Bayern": "BY",
    "Berlin": "BE",
    "Brandenburg": "BB",
    "Bremen": "HB",
    "Hamburg": "HH",
    "Hessen": "HE",
    "Mecklenburg-Vorpommern": "MV",
    "Niedersachsen": "NI",
    "Nordrhein-Westfalen": "NW",
    "Rheinland-Pfalz": "RP",
    "Saarland": "SL",
    "Sachsen": "SN",
    "Sachsen-Anhalt": "ST",
    "Schleswig-Holstein": "SH",
    "Thüringen": "TH",
}


def _shrovetide(year: int, before_easter: int) -> dt.date:
    return easter(year) - dt.timedelta(days=before_easter)


# Days a place may close every year although they are no public holiday where it is:
# ``closures: - holiday: Heiligabend``. Public holidays of any Land are allowed too (a
# Catholic office in Lower Saxony closing on Fronleichnam), by their German names.
CUSTOM_DAYS = {
    "Heiligabend": lambda year: dt.date(year, 12, 24),
    "Silvester": lambda year: dt.date(year, 12, 31),
    "Rosenmontag": lambda year: _shrovetide(year, 48),
    "Faschingsdienstag": lambda year: _shrovetide(year, 47),
    "Gründonnerstag": lambda year: _shrovetide(year, 3),
}
GERMAN_HOLIDAYS = (
    "Neujahr",
    "Heilige Drei Könige",
    "Internationaler Frauentag",
    "Karfreitag",
    "Ostersonntag",
    "Ostermontag",
    "Erster Mai",
    "Christi Himmelfahrt",
    "Pfingstsonntag",
    "Pfingstmontag",
    "Fronleichnam",
    "Augsburger Hohes Friedensfest",
    "Mariä Himmelfahrt",
    "Weltkindertag",
    "Tag der Deutschen Einheit",
    "Reformationstag",
    "Allerheiligen",
    "Buß- und Bettag",
    "Erster Weihnachtstag",
    "Zweiter Weihnachtstag",
)
CLOSURE_DAYS = (*GERMAN_HOLIDAYS, *CUSTOM_DAYS)  # the schema's list for closures[].holiday


@dataclass(frozen=True)
class Span:
    """Part of a day: minutes after midnight; ``open`` False means "maybe" (unknown)."""

    start: int
    end: int
    open: bool = True
    comment: str = ""


@dataclass(frozen=True)
class Day:
    """One day of the horizon: when it is open, and why it is not as usual."""

    date: dt.date
    spans: tuple[Span, ...]
    reason: str = ""  # "" | holiday | closure | status
    note: str = ""  # the holiday's German name, or the closure's or status' note
    until: dt.date | None = None  # last day of the closure or status this day belongs to

    @property
    def closed_all_day(self) -> bool:
        return not self.spans


@dataclass(frozen=True)
class Schedule:
    """The coming days of one entry, from the build day on."""

    days: tuple[Day, ...]

    @property
    def start(self) -> dt.date:
        return self.days[0].date


def land_code(state: str) -> str | None:
    """ "Niedersachsen" -> "NI" (municipalities.yml allows only these names)."""
    return LAENDER.get(state)


@functools.cache
def public_holidays(land: str | None, year: int) -> dict[dt.date, str]:
    """The public holidays of a Land (or only the national ones), German names by date."""
    if land is None:
        return dict(holidays.Germany(years=year, language="de"))
    return dict(holidays.Germany(subdiv=land, years=year, language="de"))


@functools.cache
def closure_day(name: str, year: int) -> dt.date | None:
    """The date of a day named in ``closures[].holiday`` in ``year``."""
    if name in CUSTOM_DAYS:
        return CUSTOM_DAYS[name](year)
    for land in (None, *LAENDER.values()):
        for day, german in public_holidays(land, year).items():
            if german == name:
                return day
    return None


# -- the rules, day by day -----------------------------------------------------------------


@functools.cache
def _parsed(value: str, country: str | None) -> opening_hours.OpeningHours:
    # No country: the library then knows no public holiday, and ``PH`` never matches.
    return opening_hours.OpeningHours(
        value, country=country, auto_country=False, auto_timezone=False
    )


@functools.cache
def _countries() -> tuple[str, ...]:
    """The countries whose public holidays opening-hours-py knows, Germany first."""
    known = []
    for code in ("DE", *sorted(holidays.list_supported_countries())):
        try:
            _parsed("PH", code)
        except Exception:  # noqa: BLE001 - the library raises its own error type for "unknown"
            continue
        if code not in known:
            known.append(code)
    return tuple(known)


@functools.cache
def holiday_calendar(day: dt.date) -> str | None:
    """A country in whose calendar ``day`` is a public holiday, as opening-hours-py knows it.

    opening-hours-py cannot be given a Land's holidays. To evaluate the rules of a day
    that is a holiday in the place's Land (``PH`` true on exactly this day), they are
    evaluated with the calendar of a country that has a holiday on the same date: only
    this one day is read off, so nothing else of that calendar counts.
    """
    noon = dt.datetime.combine(day, dt.time(12))
    return next((code for code in _countries() if _parsed("PH", code).is_open(noon)), None)


def day_spans(value: str, day: dt.date, holiday: bool = False) -> tuple[Span, ...] | None:
    """Open (and unknown) parts of ``day`` by the rules; None when they cannot tell."""
    if not holiday:
        return regular_days(value, day, 1)[0]
    if "PH" not in value:  # the rules are silent about holidays: nobody knows
        return (Span(0, DAY_MINUTES, open=False),)
    if (country := holiday_calendar(day)) is None:
        return None
    return _split(_parsed(value, country), day, 1)[0]


@functools.cache
def regular_days(value: str, first: dt.date, days: int) -> tuple[tuple[Span, ...], ...]:
    """The spans of ``days`` days from ``first`` as if none were a holiday: one call of
    the library for all of them, the same for every entry with the same rules."""
    return _split(_parsed(value, None), first, days)


def _split(rules: opening_hours.OpeningHours, first: dt.date, days: int):
    """The library's intervals from ``first`` on, cut at each midnight, as Spans per day."""
    start = dt.datetime.combine(first, dt.time(0))
    result: list[list[Span]] = [[] for _ in range(days)]
    for begin, end, state, comment in rules.intervals(start, start + dt.timedelta(days=days)):
        if state == opening_hours.State.CLOSED:
            continue
        is_open = state == opening_hours.State.OPEN
        while begin < end:
            index = (begin.date() - first).days
            midnight = dt.datetime.combine(begin.date(), dt.time(0))
            stop = min(end, midnight + dt.timedelta(days=1))
            span = Span(_minutes(begin, midnight), _minutes(stop, midnight), is_open, comment)
            result[index].append(span)
            begin = stop
    return tuple(tuple(spans) for spans in result)


def _minutes(moment: dt.datetime, midnight: dt.datetime) -> int:
    return min(DAY_MINUTES, int((moment - midnight).total_seconds() // 60))


# -- closures and status -------------------------------------------------------------------


def closed_days(data: dict, first: dt.date, last: dt.date) -> dict[dt.date, tuple]:
    """Whole days closed by ``status`` and ``closures``: date -> (reason, note, until)."""
    found: dict[dt.date, tuple] = {}
    status = data.get("status")
    if status and status.get("state") == "temporarily_closed":
        until = dt.date.fromisoformat(status["until"]) if status.get("until") else None
        for day in _each_day(first, min(last, until) if until else last):
            found[day] = ("status", status.get("note", ""), until)
    for closure in data.get("closures", ()):
        for begin, end in _closure_ranges(closure, first, last):
            for day in _each_day(max(begin, first), min(end, last)):
                found.setdefault(day, ("closure", closure.get("note", ""), end))
    return found


def _closure_ranges(closure: dict, first: dt.date, last: dt.date):
    if "holiday" in closure:
        for year in range(first.year, last.year + 1):
            if day := closure_day(closure["holiday"], year):
                yield day, day
    else:
        yield dt.date.fromisoformat(closure["from"]), dt.date.fromisoformat(closure["to"])


def _each_day(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


# -- one entry ------------------------------------------------------------------------------


def schedule(
    data: dict, state: str | None, today: dt.date, days: int = HORIZON_DAYS
) -> Schedule | None:
    """The coming ``days`` of an entry from ``today``; None without opening hours or status."""
    value = data.get("opening_hours")
    if not value and not data.get("status"):
        return None
    last = today + dt.timedelta(days=days - 1)
    closed = closed_days(data, today, last)
    land = land_code(state) if state else None
    regular = regular_days(value, today, days) if value else ()
    result = []
    for index, day in enumerate(_each_day(today, last)):
        if day in closed:
            reason, note, until = closed[day]
            result.append(Day(day, (), reason, note, until))
            continue
        holiday = public_holidays(land, day.year).get(day, "")
        spans = None
        if value:
            spans = day_spans(value, day, True) if holiday else regular[index]
        if spans is None:  # no rules, or a holiday the library cannot evaluate
            spans = (Span(0, DAY_MINUTES, open=False),)
        result.append(Day(day, spans, "holiday" if holiday else "", holiday))
    return Schedule(tuple(result))


# -- what a volunteer wrote --------------------------------------------------------------------


def problems(data: dict, today: dt.date):
    """(path, code, params, is_error) for closures, status and valid_until that cannot be
    meant as written, or that are over (which the site then simply ignores)."""
    for index, closure in enumerate(data.get("closures", ())):
        yield from _closure_problems(closure, ("closures", index), today)
    status = data.get("status") or {}
    if status.get("until") and dt.date.fromisoformat(status["until"]) < today:
        yield ("status", "until"), "status.until_past", {"value": status["until"]}, False
    if data.get("valid_until") and dt.date.fromisoformat(data["valid_until"]) < today:
        yield ("valid_until",), "valid_until.expired", {"value": data["valid_until"]}, False


def _closure_problems(closure: dict, path: tuple, today: dt.date):
    period = "from" in closure or "to" in closure
    if period == ("holiday" in closure) or (period and not ("from" in closure and "to" in closure)):
        yield path, "closures.shape", {}, True
        return
    if not period:
        return
    begin, end = (dt.date.fromisoformat(closure[key]) for key in ("from", "to"))
    if end < begin:
        params = {"value": closure["to"], "first": closure["from"]}
        yield (*path, "to"), "closures.order", params, True
    elif end < today:
        yield (*path, "to"), "closures.past", {"value": closure["to"]}, False
