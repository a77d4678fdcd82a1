"""schema.org JSON-LD for an entry page, safe to put inside <script type="application/ld+json">.

The type comes from the category (``schema_org`` in entries/_lists/categories.yml).
Inside a script element HTML does not decode entities, so ``</script>`` in entry text
would end the element: ``<``, ``>`` and ``&`` are written as JSON escapes instead.
"""

from __future__ import annotations

import json

from wegweiser.core import meetings
from wegweiser.core.model import Directory, Entry, is_sensitive
from wegweiser.exports.base import ExportSettings, public_point

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
    if entry.get("meetings"):
        data["event"] = _meetings(entry, settings)
    point = None if is_sensitive(entry, directory) else public_point(entry, directory)
    if point and point[2] != "municipality":  # an approximate centre is no place's position
        data["geo"] = {"@type": "GeoCoordinates", "latitude": point[0], "longitude": point[1]}
    return {k: v for k, v in data.items() if v}


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
