"""Open Referral HSDS 3.0: every entry as one fully nested service record.

The file has the shape of the HSDS API's paginated ``/services`` answer (one page with
every service), so a tool that reads the API reads the file. One entry becomes one
organization, one service, one physical location with its address, the phones, the
contacts, schedules (opening hours and meetings) and languages. Ids are UUIDs derived
from the entry's slug (uuid5), so they stay the same from build to build.

What HSDS has no field for travels as ``attributes`` with taxonomy terms of the
taxonomy ``wegweiser`` (code = our field name, value = our value): category, topics,
audiences, translations (one attribute per language and field, the term's
``language`` names the language), the check (``verified``), relations between entries,
the original ``opening_hours`` and ``meetings`` text, and the example marks.
docs/daten/hsds.md describes the mapping; ``wegweiser import`` reads it back.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Iterator

import opening_hours

from wegweiser.core import meetings as meetings_mod
from wegweiser.core.model import Directory, Entry
from wegweiser.exports.base import ExportSettings, public_point

HSDS_VERSION = "3.0"
TAXONOMY = "wegweiser"
# HSDS knows only fixed UTC offsets, German times change with summer time: the times are
# written as local wall-clock times, and every schedule says so.
LOCAL_TIME = "Zeiten in Ortszeit (Europe/Berlin, MEZ/MESZ)."
# A week without public holidays: opening hours are read off it, the same in every build.
REFERENCE_MONDAY = dt.datetime(2026, 3, 9)
RRULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
LIST_TAXONOMIES = {"category": "categories", "topics": "topics", "audiences": "audiences"}
# Fields kept whole as JSON text in an attribute: they have no HSDS home.
JSON_FIELDS = ("verified", "members", "part_of", "coordinated_by", "meetings", "example")
JSON_FIELDS += ("example_fields", "opening_hours", "location", "closures", "status")
JSON_FIELDS += ("appointment", "cost", "accessibility", "transport", "valid_until")
COST_WORDS = {
    "free": "Kostenlos",
    "reduced": "Ermäßigt oder kleiner Beitrag",
    "paid": "Kostenpflichtig",
}
WHEELCHAIR_WORDS = {
    "yes": "Mit dem Rollstuhl zugänglich",
    "limited": "Mit dem Rollstuhl teilweise zugänglich",
    "no": "Nicht mit dem Rollstuhl zugänglich",
}


def page(directory: Directory, settings: ExportSettings) -> dict:
    services = [service(e, directory, settings) for e in directory.entries.values()]
    return {**_head(len(services), settings), "contents": services}


def _head(count: int, settings: ExportSettings) -> dict:
    return {
        "total_items": count,
        "total_pages": 1,
        "page_number": 1,
        "size": count,
        "first_page": True,
        "last_page": True,
        "empty": not count,
        "hsds_version": HSDS_VERSION,
        "license": settings.license.as_json(),
    }


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def hsds_text(directory: Directory, settings: ExportSettings) -> str:
    return "".join(hsds_pieces(directory, settings))


def hsds_pieces(directory: Directory, settings: ExportSettings) -> Iterator[str]:
    """The text of ``page`` in pieces, one service at a time, without holding the page.

    The whole page as Python objects took 870 MB at 20,000 entries: the build's peak.
    """
    head = _json({**_head(len(directory.entries), settings), "contents": []})
    yield head.removesuffix("[]}") + "["
    for number, entry in enumerate(directory.entries.values()):
        yield ("," if number else "") + _json(service(entry, directory, settings))
    yield "]}"


def service(entry: Entry, directory: Directory, settings: ExportSettings) -> dict:
    data, ids = entry.data, _Ids(entry.slug, settings)
    record = {
        "id": ids("service"),
        "organization_id": ids("organization"),
        "name": entry.name,
        "description": data.get("description") or entry.summary,
        "url": data.get("website"),
        "email": data.get("email"),
        "status": _status(entry),
        "fees_description": _fees(entry),
        "cost_options": _cost_options(entry, ids),
        "assured_date": data["verified"]["date"],
        "phones": [_phone(ids, data["phone"])] if data.get("phone") else [],
        "schedules": _schedules(entry, ids),
        "languages": _languages(entry, directory, ids),
        "contacts": [_contact(ids, i, c) for i, c in enumerate(data.get("contacts", []))],
        "attributes": _attributes(entry, directory, ids),
        "organization": _organization(entry, settings, ids),
        "service_at_locations": [_service_at_location(entry, directory, ids)],
    }
    return _compact(record)


class _Ids:
    """``ids("service")`` -> the stable UUID of this entry's service."""

    def __init__(self, slug: str, settings: ExportSettings):
        self.slug, self.settings = slug, settings

    def __call__(self, *parts: str) -> str:
        return self.settings.id(self.slug, *parts)

    def of(self, slug: str, *parts: str) -> str:
        return self.settings.id(slug, *parts)


def _organization(entry: Entry, settings: ExportSettings, ids: _Ids) -> dict:
    part_of = entry.get("part_of")
    return {
        "id": ids("organization"),
        "name": entry.name,
        "description": entry.summary,
        "email": entry.get("email"),
        "website": entry.get("website"),
        "uri": settings.page_url(entry),
        "parent_organization_id": ids.of(part_of, "organization") if part_of else None,
    }


def _status(entry: Entry) -> str:
    """HSDS' own word: closed on the build day by ``status`` (not yet over) or active."""
    first = entry.schedule.days[0] if entry.schedule else None
    return "temporarily closed" if first and first.reason == "status" else "active"


def _fees(entry: Entry) -> str | None:
    cost = entry.get("cost")
    if not cost:
        return None
    return ": ".join(filter(None, (COST_WORDS[cost["fee"]], cost.get("note"))))


def _cost_options(entry: Entry, ids: _Ids) -> list[dict]:
    """``cost`` as one HSDS cost option: ``option`` is our word (free, reduced, paid)."""
    cost = entry.get("cost")
    if not cost:
        return []
    option = {"id": ids("cost_option"), "service_id": ids("service"), "option": cost["fee"]}
    if cost["fee"] == "free":
        option |= {"amount": 0, "currency": "EUR"}
    return [{**option, "amount_description": cost.get("note")}]


def _accessibility(entry: Entry, ids: _Ids) -> list[dict]:
    """The place's ``accessibility`` for HSDS: wheelchair access in words, features, note."""
    access = entry.get("accessibility")
    if not access:
        return []
    details = ", ".join([*access.get("features", ()), *filter(None, [access.get("note")])])
    return [
        {
            "id": ids("accessibility"),
            "location_id": ids("location"),
            "description": WHEELCHAIR_WORDS[access["wheelchair"]],
            "details": details or None,
        }
    ]


def _service_at_location(entry: Entry, directory: Directory, ids: _Ids) -> dict:
    address, point = entry.address, public_point(entry, directory)
    municipality = entry.municipality.data if entry.municipality else {}
    location = {
        "id": ids("location"),
        "location_type": "physical",
        "organization_id": ids("organization"),
        "name": entry.name,
        "transportation": entry.get("transport"),
        "accessibility": _accessibility(entry, ids),
        "latitude": point[0] if point else None,
        "longitude": point[1] if point else None,
        "addresses": [
            {
                "id": ids("address"),
                "location_id": ids("location"),
                "address_1": address.get("street", ""),  # HSDS requires it; a shelter has none
                "address_2": address.get("extra"),
                "city": address["city"],
                "region": municipality.get("district"),
                "state_province": municipality.get("state", ""),
                "postal_code": address.get("postcode", ""),
                "country": "DE",
                "address_type": "physical",
            }
        ],
    }
    return {
        "id": ids("service_at_location"),
        "service_id": ids("service"),
        "location_id": ids("location"),
        "location": location,
    }


def _phone(ids: _Ids, number: str, contact: int | None = None) -> dict:
    """The entry's phone (``contact`` None) or the phone of its contact number ``contact``."""
    if contact is None:
        owner = {"id": ids("phone", "service"), "service_id": ids("service")}
    else:
        owner = {
            "id": ids("phone", "contact", str(contact)),
            "contact_id": ids("contact", str(contact)),
        }
    return {**owner, "number": number, "type": "voice"}


def _contact(ids: _Ids, index: int, contact: dict) -> dict:
    return {
        "id": ids("contact", str(index)),
        "service_id": ids("service"),
        "name": contact.get("name"),
        "title": contact["role"],
        "email": contact.get("email"),
        "phones": [_phone(ids, contact["phone"], index)] if contact.get("phone") else [],
    }


def _languages(entry: Entry, directory: Directory, ids: _Ids) -> list[dict]:
    names = directory.lists["languages"]
    return [
        {
            "id": ids("language", code),
            "service_id": ids("service"),
            "name": names[code].name if code in names else code,
            "code": code,
            "note": note or None,
        }
        for code, note in entry.spoken
    ]


# -- schedules ---------------------------------------------------------------------------


def _schedules(entry: Entry, ids: _Ids) -> list[dict]:
    found = []
    if entry.get("opening_hours"):
        for index, (days, opens, closes) in enumerate(weekly_hours(entry.get("opening_hours"))):
            found.append(
                {
                    "id": ids("schedule", "hours", str(index)),
                    "service_id": ids("service"),
                    "freq": "WEEKLY",
                    "byday": ",".join(days),
                    "opens_at": opens,
                    "closes_at": closes,
                    "description": f"Öffnungszeiten: {entry.get('opening_hours')}",
                    "notes": LOCAL_TIME,
                }
            )
    for index, closure in enumerate(entry.get("closures", ())):
        if "from" in closure:  # a yearly day (holiday) stays in the attribute only
            found.append(_closure_schedule(ids, index, closure))
    if entry.get("meetings"):
        found.append(_meeting_schedule(entry, ids))
    return found


def _closure_schedule(ids: _Ids, index: int, closure: dict) -> dict:
    """A closure as a schedule valid for its days, that says it is closed (HSDS has no flag
    for "closed": the whole closure is also in the attribute ``closures``)."""
    note = closure.get("note")
    return {
        "id": ids("schedule", "closure", str(index)),
        "service_id": ids("service"),
        "valid_from": closure["from"],
        "valid_to": closure["to"],
        "description": "Geschlossen" + (f": {note}" if note else ""),
        "notes": LOCAL_TIME,
    }


@functools.cache
def weekly_hours(value: str) -> tuple[tuple[tuple[str, ...], str, str], ...]:
    """OSM opening hours as (days, opens, closes), read off a week without holidays."""
    times: dict[tuple[str, str], list[str]] = defaultdict(list)
    end = REFERENCE_MONDAY + dt.timedelta(days=7)
    for start, stop, state, _comment in opening_hours.OpeningHours(value).intervals(
        REFERENCE_MONDAY, end
    ):
        if (
            state == opening_hours.State.OPEN
            and start.date() == (stop - dt.timedelta(seconds=1)).date()
        ):
            closes = "24:00" if stop.time() == dt.time(0) else f"{stop:%H:%M}"
            times[(f"{start:%H:%M}", closes)].append(RRULE_DAYS[start.weekday()])
    return tuple((tuple(days), opens, closes) for (opens, closes), days in sorted(times.items()))


def _meeting_schedule(entry: Entry, ids: _Ids) -> dict:
    value = entry.get("meetings")
    rule = meetings_mod.schedule(value)
    return {
        "id": ids("schedule", "meetings"),
        "service_id": ids("service"),
        "dtstart": rule.start.date().isoformat(),
        "until": rule.until.isoformat() if rule.until else None,
        "freq": rule.freq,
        "interval": rule.interval,
        "byday": rule.byday,
        "opens_at": f"{rule.start:%H:%M}",
        "closes_at": f"{rule.end:%H:%M}",
        "description": "Sitzung" + (f": {value['place']}" if value.get("place") else ""),
        "notes": " ".join(filter(None, (value.get("note"), LOCAL_TIME))),
        "attending_type": "in_person",
    }


# -- attributes ---------------------------------------------------------------------------


def _attributes(entry: Entry, directory: Directory, ids: _Ids) -> list[dict]:
    found = []
    for field, list_name in LIST_TAXONOMIES.items():
        values = entry.get(field)
        for value in [values] if isinstance(values, str) else values or []:
            term = directory.lists[list_name].get(value)
            label = term.name if term else value
            description = (term.data.get("description") if term else None) or label
            found.append(_attribute(ids, f"{list_name}:{value}", value, label, description, value))
    for field in JSON_FIELDS:
        if field in entry.data:
            text = json.dumps(entry.data[field], ensure_ascii=False, sort_keys=True)
            found.append(_attribute(ids, f"field:{field}", field, field, field, text))
    for lang, texts in sorted(entry.get("translations", {}).items()):
        for field, text in texts.items():
            value = json.dumps(text) if isinstance(text, bool) else text
            key = f"translations.{field}"
            found.append(_attribute(ids, f"{key}:{lang}", key, key, key, value, lang))
    return found


def _attribute(
    ids: _Ids, key: str, code: str, name: str, description: str, value: str, lang: str = ""
) -> dict:
    term_id = ids.of("_taxonomy", *key.split(":")[:1], code, lang)
    term = {
        "id": term_id,
        "code": code,
        "name": name,
        "description": description,
        "taxonomy": TAXONOMY,
        "language": lang or None,
    }
    return {
        "id": ids("attribute", key),
        "link_id": ids("service"),
        "link_entity": "service",
        "link_type": key.split(":")[0],
        "taxonomy_term_id": term_id,
        "value": value,
        "taxonomy_term": term,
    }


def _compact(value):
    """Leave out empty optional fields: smaller files, and HSDS has no null for most."""
    if isinstance(value, dict):
        return {
            k: _compact(v) if isinstance(v, dict | list) else v
            for k, v in value.items()
            if v is not None and v != []
        }
    return [_compact(v) if isinstance(v, dict | list) else v for v in value]
