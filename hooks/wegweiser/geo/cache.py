"""The committed cache of geocoder answers, ``entries/_geocache.json``: sorted, one address
per line, keyed by the normalised address, written atomically. A cached address (found or
not found) never touches the network again."""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from wegweiser.core.files import json_lines, write_atomically

CACHE_NAME = "_geocache.json"
CACHE_FORMAT = 1


@dataclass(frozen=True)
class CachedPlace:
    """One geocoder answer as committed; ``lat`` None means "the geocoder found nothing"."""

    lat: float | None
    lon: float | None
    precision: str = ""
    postcode: str = ""
    display: str = ""
    checked: str = ""  # ISO date of the lookup

    @property
    def found(self) -> bool:
        return self.lat is not None and self.lon is not None

    def as_json(self) -> dict:
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in ("", None)}


def address_key(address: Mapping, country: str = "de") -> str:
    """The cache key: street|postcode|city|country, case and spacing normalised."""
    parts = [address.get("street", ""), address.get("postcode", ""), address.get("city", "")]
    return "|".join(_normal(str(p)) for p in [*parts, country])


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip().casefold()


class CacheError(Exception):
    """The cache file exists but cannot be read; it is then never overwritten."""


class GeoCache:
    """The committed cache file. Written only when something changed, atomically."""

    def __init__(self, path: Path):
        self.path = path
        self.places: dict[str, CachedPlace] = {}
        self.changed = False
        self.readable = True
        self.problem = ""
        try:
            self._read()
        except CacheError as exc:
            self.readable, self.problem = False, str(exc)

    def _read(self) -> None:
        if self.path.is_symlink():  # would read (and be replaced by) a file outside the project
            raise CacheError("symlink")
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text("utf-8"))
            places = data["places"]
            for key, value in places.items():
                self.places[key] = CachedPlace(**value)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise CacheError(f"{type(exc).__name__}: {exc}") from None

    def get(self, key: str) -> CachedPlace | None:
        return self.places.get(key)

    def store(self, key: str, place: CachedPlace) -> None:
        if self.places.get(key) != place:
            self.places[key] = place
            self.changed = True

    def save(self) -> bool:
        """Write the file if it changed and was readable; a killed process leaves the old one."""
        if not self.changed or not self.readable:
            return False
        head = {
            "format": CACHE_FORMAT,
            "about": "Geokodierte Adressen, von `wegweiser geocode` und dem Build gepflegt.",
        }
        places = {k: self.places[k].as_json() for k in sorted(self.places)}
        write_atomically(self.path, json_lines(head, "places", places))
        self.changed = False
        return True
