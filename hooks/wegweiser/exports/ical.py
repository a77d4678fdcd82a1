"""iCalendar (RFC 5545) for bodies that meet regularly: one calendar of all, one per entry.

Made with the ``icalendar`` library. Every value comes from the entry, nothing from the
clock: DTSTAMP is the day the entry was checked, so the same entries give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from wegweiser.core import meetings
from wegweiser.core.model import Directory, Entry
from wegweiser.exports.base import ExportSettings

TIMEZONE = ZoneInfo("Europe/Berlin")


_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """A one-line property stays one line whatever it is given: ``wegweiser check`` refuses
    line breaks in one-line fields, and a calendar must not depend on that alone."""
    return _BREAKS.sub(" ", text).strip()


def with_meetings(directory: Directory) -> list[Entry]:
    return [e for e in directory.entries.values() if e.get("meetings")]


def calendar_bytes(entries: list[Entry], settings: ExportSettings, title: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Wegweiser//Sitzungstermine//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", icalendar.vText(one_line(title)))
    calendar.add("x-wr-timezone", str(TIMEZONE))
    calendar.add("x-wr-caldesc", settings.license.line)
    calendar.add_component(berlin_timezone())  # before the events that name it
    for entry in entries:
        calendar.add_component(event(entry, settings))
    return calendar.to_ical()


def berlin_timezone() -> icalendar.Timezone:
    """Central European time with its yearly rule: a few lines instead of a list of dates.

    (icalendar's own ``add_missing_timezones`` lists every change until 2038: 3 KB per file.)
    """
    zone = icalendar.Timezone()
    zone.add("tzid", str(TIMEZONE))
    for kind, name, start, before, after, month in (
        (icalendar.TimezoneDaylight, "CEST", dt.datetime(1981, 3, 29, 2), 1, 2, 3),
        (icalendar.TimezoneStandard, "CET", dt.datetime(1996, 10, 27, 3), 2, 1, 10),
    ):
        part = kind()
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("tzoffsetfrom", dt.timedelta(hours=before))
        part.add("tzoffsetto", dt.timedelta(hours=after))
        part.add("rrule", {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"})
        zone.add_component(part)
    return zone


def event(entry: Entry, settings: ExportSettings) -> icalendar.Event:
    value = entry.get("meetings")
    rule = meetings.schedule(value)
    event = icalendar.Event()
    host = urlsplit(settings.site_url).hostname or "wegweiser"
    event.add("uid", f"sitzung-{entry.slug}@{host}")
    checked = dt.datetime.combine(entry.verified_on, dt.time(0), tzinfo=dt.UTC)
    event.add("dtstamp", checked)
    event.add("dtstart", rule.start.replace(tzinfo=TIMEZONE))
    event.add("dtend", rule.end.replace(tzinfo=TIMEZONE))
    event.add("rrule", rule.rrule(TIMEZONE))
    event.add("summary", one_line(entry.name))
    event.add("location", one_line(_where(entry)))
    event.add("description", _description(entry, settings))
    event.add("url", settings.page_url(entry))
    return event


def _where(entry: Entry) -> str:
    address = entry.address
    parts = [entry.get("meetings").get("place"), address.get("street")]
    parts.append(" ".join(p for p in (address.get("postcode"), address["city"]) if p))
    return ", ".join(p for p in parts if p)


def _description(entry: Entry, settings: ExportSettings) -> str:
    lines = [entry.summary]
    if entry.get("meetings").get("note"):
        lines.append(entry.get("meetings")["note"])
    if "meetings" in entry.get("example_fields", []) or entry.get("example"):
        lines.append("Beispiel: Diese Termine sind für die Vorführung erfunden.")
    lines += [settings.page_url(entry), settings.license.line]
    return "\n\n".join(lines)
