"""Map data: one GeoJSON file of every place, reused by every map page and the exports.

Markers are not inlined into pages. Sensitive places carry only their municipality's
centre and no street. The output is byte-for-byte the same for the same entries.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from .model import Directory, Entry

GEOJSON_URI = "daten/orte.geojson"
MAP_URI = "karte.md"
PALETTE_SIZE = 10  # colours ww-pin--0 … ww-pin--9 in wegweiser.css
DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_ATTRIBUTION = "© OpenStreetMap-Mitwirkende"
DEFAULT_ATTRIBUTION_URL = "https://www.openstreetmap.org/copyright"


@dataclass(frozen=True)
class MapSettings:
    """``extra.wegweiser.map`` in mkdocs.yml."""

    tiles: str = DEFAULT_TILES
    attribution: str = DEFAULT_ATTRIBUTION
    attribution_url: str = DEFAULT_ATTRIBUTION_URL
    consent: bool = True  # two-click: tiles load only after the visitor asks for the map
    max_zoom: int = 19

    @classmethod
    def from_config(cls, extra: dict) -> MapSettings:
        raw = dict((extra or {}).get("map") or {})
        return cls(
            tiles=str(raw.get("tiles") or DEFAULT_TILES),
            attribution=str(raw.get("attribution") or DEFAULT_ATTRIBUTION),
            attribution_url=str(raw.get("attribution_url") or DEFAULT_ATTRIBUTION_URL),
            consent=bool(raw.get("consent", True)),
            max_zoom=int(raw.get("max_zoom", 19)),
        )

    @property
    def tile_host(self) -> str:
        return urlsplit(self.tiles.replace("{s}", "a")).hostname or self.tiles

    @property
    def attribution_html(self) -> str:
        """Leaflet shows attribution as HTML: built here from escaped parts, never raw."""
        text = html.escape(self.attribution)
        if not self.attribution_url.startswith(("https://", "http://")):
            return text
        return f'<a href="{html.escape(self.attribution_url)}" rel="noopener">{text}</a>'


def is_sensitive(entry: Entry, directory: Directory) -> bool:
    return directory.lists.sensitive(entry.category)


def colour_index(directory: Directory) -> dict[str, int]:
    """A stable colour per category, in the order of entries/_lists/categories.yml."""
    return {cid: i % PALETTE_SIZE for i, cid in enumerate(directory.lists["categories"])}


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
        "url": f"orte/{entry.slug}/",
    }
    return {
        "type": "Feature",
        "id": entry.slug,
        "geometry": {"type": "Point", "coordinates": [round(place.lon, 5), round(place.lat, 5)]},
        "properties": {k: v for k, v in props.items() if v},
    }


def geojson_text(directory: Directory, members: dict | None = None) -> str:
    """All places as one compact GeoJSON FeatureCollection, in the directory's order.

    ``members`` are extra top-level members (RFC 7946 "foreign members"), e.g. the licence.
    """
    features = [f for e in directory.entries.values() if (f := feature(e, directory))]
    collection = {"type": "FeatureCollection", **(members or {}), "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":"))


def osm_link(entry: Entry) -> str:
    place = entry.place
    lat, lon = f"{place.lat:.5f}", f"{place.lon:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
