"""For "In meiner Nähe": the places of each list, and the municipalities to measure from.

wegweiser-near.js reads these files only after a visitor's click, and sorts on the device.
Which files it reads depends on the page alone, never on where the visitor is: a file
chosen by location would tell the server where they are.

- ``daten/naehe/<list>/<term>.geojson``: the places of one list (a category, municipality,
  topic or language spoken), as in the map data, with the names they have in other
  languages inline (``names``): one file for every language, not one per language.
- ``daten/gemeinden.json``: each municipality with a centre (its own ``centre``, else the
  middle of its located places) and its postcodes (the list's and those of its entries'
  addresses): ``{"license": …, "municipalities": [[id, name, lat, lon, [postcode, …]], …]}``.

Both carry the data licence, as every file of the site's data does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from wegweiser import urls
from wegweiser.core.model import Directory, Entry, is_sensitive
from wegweiser.exports.geojson import collection_text, feature


def list_files(directory: Directory) -> Iterator[tuple[str, list[Entry]]]:
    """(address of the file, places) for every term with places of the lists that have a
    page per term (urls.SECTIONS)."""
    for list_name in urls.SECTIONS:
        for term_id in directory.lists[list_name]:
            if places := directory.index(list_name).get(term_id):
                yield urls.near_data(list_name, term_id), places


def near_features(directory: Directory) -> dict[str, dict]:
    """Each located entry as in the map data, with its other names inline (``names``:
    language -> name), by slug: made once for all the list files."""
    features = {}
    for entry in directory.entries.values():
        item = feature(entry, directory)
        if item is None:
            continue
        names = {
            lang: text["name"]
            for lang, text in sorted(entry.get("translations", {}).items())
            if isinstance(text, dict) and text.get("name")
        }
        if names:
            item["properties"]["names"] = names
        features[entry.slug] = item
    return features


def near_text(places: list[Entry], features: dict[str, dict], members: dict) -> str:
    """The located ``places`` as GeoJSON (``features`` from near_features), with the
    top-level ``members`` (the licence)."""
    return collection_text([features[e.slug] for e in places if e.slug in features], members)


def municipalities_text(directory: Directory, members: dict) -> str:
    """Every municipality a visitor can measure from: id, name, centre, postcodes."""
    rows = []
    for mid, term in directory.lists["municipalities"].items():
        places = directory.by_municipality.get(mid, [])
        centre = _centre(term.data.get("centre"), places, directory)
        if centre is None:
            continue
        codes = {str(code) for code in term.data.get("postcodes") or ()}
        codes |= {str(e.address["postcode"]) for e in places if e.address.get("postcode")}
        rows.append([mid, term.name, *centre, sorted(codes)])
    data = {**members, "municipalities": rows}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _centre(given, places: list[Entry], directory: Directory) -> tuple[float, float] | None:
    """The municipality's own centre, else the middle of its places with an exact point
    (sensitive places are left out: they only ever stand at a centre)."""
    if isinstance(given, dict) and "lat" in given and "lon" in given:
        return round(float(given["lat"]), 4), round(float(given["lon"]), 4)
    points = [
        (e.place.lat, e.place.lon)
        for e in places
        if e.place and not e.place.approximate and not is_sensitive(e, directory)
    ]
    if not points:
        return None
    lat = sum(p[0] for p in points) / len(points)
    lon = sum(p[1] for p in points) / len(points)
    return round(lat, 4), round(lon, 4)
