"""The maps' settings (tiles, attribution, consent), colours per category, OSM links.

Markers are not inlined into pages: every map reads the one GeoJSON file of all places
(exports.geojson, ``urls.GEOJSON``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urlsplit

from wegweiser.core.model import Directory

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


def colour_index(directory: Directory) -> dict[str, int]:
    """A stable colour per category, in the order of entries/_lists/categories.yml."""
    return {cid: i % PALETTE_SIZE for i, cid in enumerate(directory.lists["categories"])}
