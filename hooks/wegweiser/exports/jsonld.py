"""schema.org JSON-LD for an entry page, safe to put inside <script type="application/ld+json">.

The type comes from the category (``schema_org`` in entries/_lists/categories.yml).
Inside a script element HTML does not decode entities, so ``</script>`` in entry text
would end the element: ``<``, ``>`` and ``&`` are written as JSON escapes instead.
"""

from __future__ import annotations

import json

from wegweiser.core import meetings
from wegweiser.core.hours import Day, Schedule
from wegweiser.core.model import Directory, Entry, is_sensitive
from wegweiser.exports.base import ExportSettings, public_point
from wegweiser.exports.hsds import weekly_hours

DEFAULT_TYPE = "Organization"
# Types that schema.org gives opening hours (LocalBusiness and Place descendants we use).
HOURS_TYPES = {"GovernmentOffice", "CivicStructure", "LocalBusiness", "Library", "Place"}
WEEKDAYS = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def thing(entry: Entry, directory: Directory, settings: ExportSettings) -> dict:
    category = directory.lists["categories"].get(entry.category)
    kind = (category.data.get("schema_org") if category else None) or DEFAULT_TYPE
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "@id": settings.page_url(entry) + "#ort",
        "name": entry.name,
        "description": entry.summary,
        "url": entry.get("website") or settings.page_url(entry),
        "mainEntityOfPage": settings.page_url(entry),
        "address": _address(entry, directory),
        "telephone": entry.tel.get(entry.get("phone")) if entry.get("phone") else None,
        "email": entry.get("email"),
        "knowsLanguage": entry.get("languages"),
        "openingHours": entry.get("opening_hours") if kind in HOURS_TYPES else None,
        "dateModified": entry.data["verified"]["date"],
    }
    if kind in HOURS_TYPES:
        data |= _hours(entry)
    if entry.get("cost"):
        data["isAccessibleForFree"] = entry.get("cost")["fee"] == "free"
    if entry.get("accessibility"):
        wheelchair = entry.get("accessibility")["wheelchair"]
        data["amenityFeature"] = {
            "@type": "LocationFeatureSpecification",
            "name": "wheelchair accessible",
            "value": {"yes": True, "limited": "limited", "no": False}[wheelchair],
        }
    if entry.get("meetings"):
        data["event"] = _meetings(entry, settings)
    point = None if is_sensitive(entry, directory) else public_point(entry, directory)
    if point and point[2] != "municipality":  # an approximate centre is no place's position
        data["geo"] = {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]}
    return {k: v for k, v in data.items() if v}


def _hours(entry: Entry) -> dict:
    """The usual week (``openingHoursSpecification``) and, for the computed days, the
    holidays and closures that change it (``specialOpeningHoursSpecification``)."""
    result = {}
    if entry.get("opening_hours"):
        result["openingHoursSpecification"] = [
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [WEEKDAYS[day] for day in days],
                "opens": opens,
                "closes": closes,
            }
            for days, opens, closes in weekly_hours(entry.get("opening_hours"))
        ]
    special = list(_special_days(entry.schedule)) if entry.schedule else []
    if special:
        result["specialOpeningHoursSpecification"] = special
    return result


def _special_days(schedule: Schedule):
    """Each day that differs for a reason, closed ("00:00"–"00:00", schema.org's way) or
    with the hours it has; days of one closure in a row become one range."""
    days = [day for day in schedule.days if day.reason]
    index = 0
    while index < len(days):
        first = last = days[index]
        while (
            index + 1 < len(days)
            and days[index + 1].closed_all_day
            and first.closed_all_day
            and (days[index + 1].date - last.date).days == 1
            and (days[index + 1].reason, days[index + 1].note) == (first.reason, first.note)
        ):
            index += 1
            last = days[index]
        yield from _special(first, last)
        index += 1


def _special(first: Day, last: Day):
    base = {
        "@type": "OpeningHoursSpecification",
        "validFrom": first.date.isoformat(),
        "validThrough": last.date.isoformat(),
        "description": first.note or None,
    }
    base = {k: v for k, v in base.items() if v}
    if first.closed_all_day:
        yield {**base, "opens": "00:00", "closes": "00:00"}
    for span in first.spans:
        if span.open:
            yield {**base, "opens": _clock(span.start), "closes": _clock(span.end)}


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _meetings(entry: Entry, settings: ExportSettings) -> dict:
    """The meetings as an Event with a schema.org Schedule (repeat, weekday, week of month)."""
    rule = meetings.schedule(entry.get("meetings"))
    every = {"WEEKLY": "W", "MONTHLY": "M"}[rule.freq]
    schedule = {
        "@type": "Schedule",
        "repeatFrequency": f"P{rule.interval}{every}",
        "byDay": f"https://schema.org/{WEEKDAYS[rule.day]}",
        "byMonthWeek": rule.week,
        "startDate": rule.start.date().isoformat(),
        "endDate": rule.until.isoformat() if rule.until else None,
        "startTime": f"{rule.start:%H:%M}",
        "endTime": f"{rule.end:%H:%M}",
        "scheduleTimezone": "Europe/Berlin",
    }
    return {
        "@type": "Event",
        "name": entry.name,
        "location": entry.get("meetings").get("place") or entry.address["city"],
        "eventSchedule": {k: v for k, v in schedule.items() if v is not None},
        "url": settings.page_url(entry),
    }


def _address(entry: Entry, directory: Directory) -> dict:
    address = entry.address
    sensitive = is_sensitive(entry, directory)
    parts = {
        "@type": "PostalAddress",
        "streetAddress": None if sensitive else address.get("street"),
        "postalCode": address.get("postcode"),
        "addressLocality": address["city"],
        "addressCountry": "DE",
    }
    return {k: v for k, v in parts.items() if v}


def script_text(entry: Entry, directory: Directory, settings: ExportSettings) -> str:
    """JSON for the inside of a script element: valid JSON, and no way out of the element."""
    text = json.dumps(thing(entry, directory, settings), ensure_ascii=False, sort_keys=False)
    return text.translate(_SCRIPT_SAFE)
