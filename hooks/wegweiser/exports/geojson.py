"""Map data: one GeoJSON file of every place, read by every map page, published as data.

The maps of a language whose entries have names in it read a file of their own, the same
places with those names (``lang`` says which are translated; the others are German). That
costs a visitor less than the German file and a table of names (scripts/bench_finding.py,
5,000 synthetic entries, gzip: Arabic 189.8 KB against 187.3 + 8.5 = 195.8 KB, English
188.7 against 200.4 KB; one file with every language's names inline: 205.2 KB; 20,000:
Arabic 730.1 against 723.0 + 32.2 = 755.2 KB).
Sensitive places carry only their municipality's centre and no street. The output is
byte-for-byte the same for the same entries.
"""

from __future__ import annotations

import json

from wegweiser import urls
from wegweiser.core.model import Directory, Entry, is_sensitive


def feature(entry: Entry, directory: Directory, lang: str = "de") -> dict | None:
    """The entry as a GeoJSON Feature (None without a place), its name in ``lang`` where it
    has one: then ``lang`` is set, and a map knows the name is not German."""
    place = entry.place
    if place is None:
        return None
    sensitive = is_sensitive(entry, directory)
    address = entry.address
    translated = entry.translation(lang).get("name")
    props = {
        "id": entry.slug,
        "name": translated or entry.name,
        "lang": lang if translated else None,
        "category": entry.category,
        "municipality": entry.municipality.name if entry.municipality else address.get("city"),
        "street": None if sensitive else address.get("street"),
        "postcode": address.get("postcode"),
        "precision": place.precision,
        "url": urls.entry_path(entry.slug),
        **_facts(entry),
    }
    return {
        "type": "Feature",
        "id": entry.slug,
        "geometry": {"type": "Point", "coordinates": [round(place.lon, 5), round(place.lat, 5)]},
        "properties": {k: v for k, v in props.items() if v},
    }


def _facts(entry: Entry) -> dict:
    """What a map or a filter may say of a place: closed for now (and until when), cost,
    wheelchair access, appointment; codes, so the map says them in its own language."""
    first = entry.schedule.days[0] if entry.schedule else None
    closed = first is not None and first.reason == "status"
    return {
        "status": "temporarily_closed" if closed else None,
        "status_until": first.until.isoformat() if closed and first.until else None,
        "fee": (entry.get("cost") or {}).get("fee"),
        "wheelchair": (entry.get("accessibility") or {}).get("wheelchair"),
        "appointment": (entry.get("appointment") or {}).get("need"),
    }


def geojson_text(directory: Directory, members: dict | None = None, lang: str = "de") -> str:
    """All places as one compact GeoJSON FeatureCollection, in the directory's order, with
    their names in ``lang`` where they have them.

    ``members`` are extra top-level members (RFC 7946 "foreign members"), e.g. the licence.
    """
    features = [f for e in directory.entries.values() if (f := feature(e, directory, lang))]
    return collection_text(features, members)


def collection_text(features: list[dict], members: dict | None = None) -> str:
    """Features as one compact GeoJSON FeatureCollection."""
    collection = {"type": "FeatureCollection", **(members or {}), "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
