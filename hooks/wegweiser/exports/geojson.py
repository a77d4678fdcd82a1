"""Map data: one GeoJSON file of every place, read by every map page, published as data.

Sensitive places carry only their municipality's centre and no street. The output is
byte-for-byte the same for the same entries.
"""

from __future__ import annotations

import json

from wegweiser import urls
from wegweiser.core.model import Directory, Entry, is_sensitive


def feature(entry: Entry, directory: Directory) -> dict | None:
    place = entry.place
    if place is None:
        return None
    sensitive = is_sensitive(entry, directory)
    address = entry.address
    props = {
        "id": entry.slug,
        "name": entry.name,
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


def geojson_text(directory: Directory, members: dict | None = None) -> str:
    """All places as one compact GeoJSON FeatureCollection, in the directory's order.

    ``members`` are extra top-level members (RFC 7946 "foreign members"), e.g. the licence.
    """
    features = [f for e in directory.entries.values() if (f := feature(e, directory))]
    collection = {"type": "FeatureCollection", **(members or {}), "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
