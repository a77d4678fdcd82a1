"""The opening state on a page: the coming days in the visitor's language, compactly.

core/hours.py computes an entry's days once; here they become, per language,
- the compact data a page carries (``data-hours``), from which wegweiser-hours.js picks
  the state for the visitor's clock ("Jetzt geöffnet · bis 12:00");
- the table of the next seven days, which is also what a visitor without JavaScript
  (or past the computed days) reads;
- the words the script needs, once per page.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from wegweiser.core.hours import DAY_MINUTES, Day, Schedule
from wegweiser.core.validate import slugify
from wegweiser.site import drafts

WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
TABLE_DAYS = 7
# The words wegweiser-hours.js puts together; each is a key of the locales' ui.
SCRIPT_WORDS = (
    "open_now",
    "closed_now",
    "open_until",
    "opens_at",
    "opens_on",
    "unknown_now",
    "state_past",
    "today",
)


def holiday_name(name: str, ui: dict) -> str:
    """A public holiday's name in the page's language (the German name where missing)."""
    return ui.get(_holiday_key(name), name)


@functools.cache
def _holiday_key(name: str) -> str:
    return "holiday_" + slugify(name).replace("-", "_")


def ltr(text: str, ui: dict) -> str:
    """Dates and times on a right-to-left page, isolated as left-to-right text (Unicode
    LRI … PDI): "04.12." would read ".04.12", "10:00–13:00" as "13:00–10:00" otherwise."""
    if isinstance(ui, drafts.Words):
        return drafts.isolated(text, ui)
    return f"\u2066{text}\u2069" if ui.get("text_dir") == "rtl" else text


def short_date(day: dt.date, ui: dict) -> str:
    """ "04.12.", isolated on right-to-left pages."""
    return ltr(f"{day:%d.%m.}", ui)


def clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def reason_text(day: Day, ui: dict) -> str:
    """Why a day is not as usual, as the page says it: "Feiertag (Fronleichnam)", …"""
    if day.reason == "holiday":
        return ui["holiday_label"].format(name=holiday_name(day.note, ui))
    if day.reason == "status":
        if day.until:
            return ui["temporarily_closed_until"].format(date=short_date(day.until, ui))
        return ui["temporarily_closed"]
    if day.reason == "closure":
        text = ui["closed_until"].format(date=short_date(day.until, ui))
        return f"{text} ({ltr(day.note, ui)})" if day.note else text
    return ""


def closed_day_text(day: Day, ui: dict) -> str:
    """The whole state of a day closed for a reason: what the page says all that day."""
    if day.reason == "holiday":
        key = "holiday_closed" if day.closed_all_day else "holiday_unknown"
        return ui[key].format(name=holiday_name(day.note, ui))
    return reason_text(day, ui)


# Made once per (schedule, ui) and reused: an entry's page and its list cards carry the
# same data (``_once``). Keyed by identity, each value keeping its schedule and texts alive,
# so a key never stands for another object; emptied when full (`mkdocs serve` rebuilds).
_MADE: dict[tuple[str, int, int], tuple[object, dict, Markup]] = {}
_MADE_LIMIT = 1 << 18


def _once(kind: str, make: Callable[[Any, dict], Markup], value, ui: dict) -> Markup:
    key = (kind, id(value), id(ui))
    made = _MADE.get(key)
    if made is not None and made[0] is value and made[1] is ui:
        return made[2]
    result = make(value, ui)
    if len(_MADE) >= _MADE_LIMIT:
        _MADE.clear()
    _MADE[key] = (value, ui, result)
    return result


def page_data(schedule: Schedule, ui: dict) -> Markup:
    """The days as compact JSON for ``data-hours``, the same for every page of the entry
    in one language (made once, ``_once``)."""
    return _once("data", _page_data, schedule, ui)


def _page_data(schedule: Schedule, ui: dict) -> Markup:
    """The days as compact JSON: distinct day shapes, one index per day, and the sentence
    for each day that is closed or unknown for a reason."""
    shapes: list[list] = []
    order: list[int] = []
    messages: list[str] = []
    reasons: dict[str, int] = {}
    for index, day in enumerate(schedule.days):
        shape = [_span(span) for span in day.spans]
        if shape not in shapes:
            shapes.append(shape)
        order.append(shapes.index(shape))
        if day.reason and (day.closed_all_day or day.reason != "holiday" or _unknown(day)):
            text = closed_day_text(day, ui)
            if text not in messages:
                messages.append(text)
            reasons[str(index)] = messages.index(text)
    data = {"s": schedule.start.isoformat(), "t": shapes, "d": order, "m": messages}
    if reasons:
        data["r"] = reasons
    return attribute_json(data)


def _unknown(day: Day) -> bool:
    return any(not span.open for span in day.spans)


def _span(span) -> list:
    shape = [span.start, span.end, 1 if span.open else 0]
    return [*shape, span.comment] if span.comment else shape


def script_words(ui: dict) -> Markup:
    """The words of wegweiser-hours.js in the page's language, and the short day names;
    once per language (``_once``)."""
    return _once("words", _script_words, ui, ui)


def _script_words(_same: dict, ui: dict) -> Markup:
    words = {key: ui[key] for key in SCRIPT_WORDS}
    words["rtl"] = ui.get("text_dir") == "rtl"  # dates and times then isolated as LTR
    words["days"] = [ui[f"hours_{day}"] for day in WEEKDAYS]
    return attribute_json(words)


# Inside an attribute in single quotes, JSON needs no entity for its many double quotes
# (``&#34;`` made the data five times longer): the few characters that could end the
# attribute or start markup are written as JSON escapes instead.
_ATTRIBUTE_SAFE = str.maketrans({"'": "\\u0027", "&": "\\u0026", "<": "\\u003c", ">": "\\u003e"})


def attribute_json(value) -> Markup:
    """Compact JSON safe inside a single-quoted HTML attribute: ``data-x='{{ … }}'``."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.translate(_ATTRIBUTE_SAFE))


@dataclass(frozen=True)
class Row:
    """One day of the table: "Do 04.06." – "09:00–12:00" – "Feiertag (Fronleichnam)"."""

    date: dt.date
    day: str
    hours: str
    note: str
    comment: str


def week_rows(schedule: Schedule, ui: dict) -> list[Row]:
    """The next seven days as the table shows them, rules resolved day by day."""
    rows = []
    for day in schedule.days[:TABLE_DAYS]:
        name = ui[f"hours_{WEEKDAYS[day.date.weekday()]}"]
        comments = sorted({span.comment for span in day.spans if span.comment})
        rows.append(
            Row(
                day.date,
                f"{name} {short_date(day.date, ui)}",
                _hours_text(day, ui),
                reason_text(day, ui),
                ", ".join(comments),
            )
        )
    return rows


def _hours_text(day: Day, ui: dict) -> str:
    if day.closed_all_day:
        return ui["hours_closed"]
    parts = []
    for span in day.spans:
        if span.start == 0 and span.end == DAY_MINUTES and not span.open:
            return ui["hours_unknown"]
        text = ltr(f"{clock(span.start)}–{clock(span.end)}", ui)
        parts.append(text if span.open else f"{text} ({ui['hours_unknown']})")
    return ", ".join(parts)


def static_state(schedule: Schedule, ui: dict) -> str:
    """What the state line says before (or without) the script: a temporary closure, which
    is true whatever the visitor's clock, or that the state needs JavaScript."""
    first = schedule.days[0]
    if first.reason == "status":
        return reason_text(first, ui)
    return ui["state_nojs"]


def closure_lines(entry, today: dt.date, ui: dict) -> list[str]:
    """The entry's closures still to come, as the page lists them: "20.07.–07.08.: Sommerpause"."""
    lines = []
    for closure in entry.get("closures", ()):
        if "holiday" in closure:
            when = ui["closure_yearly"].format(name=holiday_name(closure["holiday"], ui))
        else:
            first, last = (dt.date.fromisoformat(closure[key]) for key in ("from", "to"))
            if last < today:
                continue
            form = "%d.%m." if first.year == last.year == today.year else "%d.%m.%Y"
            days = first.strftime(form) if first == last else f"{first:{form}}–{last:{form}}"
            when = ltr(days, ui)
        note = closure.get("note")
        lines.append(f"{when}: {ltr(note, ui)}" if note else when)
    return lines
