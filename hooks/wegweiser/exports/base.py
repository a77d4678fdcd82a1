"""What every export shares: the data licence, stable ids, and where a place may be shown."""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass

from wegweiser import urls
from wegweiser.core.model import Directory, Entry, is_sensitive

DEFAULT_LICENSE = {
    "id": "CC-BY-4.0",
    "name": "Creative Commons Namensnennung 4.0 International (CC BY 4.0)",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.de",
}
# Fixed forever: changing it would change every HSDS id of every directory.
ID_NAMESPACE = uuid.UUID("7c0e3f49-5a2b-4f0e-9a57-2f1f5c8f6e10")


@dataclass(frozen=True)
class DataLicense:
    """``extra.wegweiser.data_license`` in mkdocs.yml: the licence of the exported data."""

    id: str = DEFAULT_LICENSE["id"]  # SPDX identifier, e.g. CC-BY-4.0 or ODbL-1.0
    name: str = DEFAULT_LICENSE["name"]
    url: str = DEFAULT_LICENSE["url"]
    attribution: str = "Wegweiser"  # who to name, e.g. "Wegweiser Integration Landkreis Leer"

    @classmethod
    def from_config(cls, extra: dict, site_name: str = "") -> DataLicense:
        raw = dict((extra or {}).get("data_license") or {})
        custom = "id" in raw  # another licence: do not mix in the default's name and address
        return cls(
            id=str(raw.get("id") or cls.id),
            name=str(raw.get("name") or (raw.get("id") if custom else cls.name)),
            url=str(raw.get("url") or ("" if custom else cls.url)),
            attribution=str(raw.get("attribution") or site_name or "Wegweiser"),
        )

    def as_json(self) -> dict:
        return {"id": self.id, "name": self.name, "url": self.url, "attribution": self.attribution}

    @property
    def line(self) -> str:
        """One line for files without a metadata slot (iCalendar)."""
        tail = f" ({self.url})" if self.url else ""
        return f"Daten: {self.attribution}, Lizenz {self.name}{tail}"


@dataclass(frozen=True)
class ExportSettings:
    site_url: str = ""
    license: DataLicense = DataLicense()
    languages: tuple[str, ...] = ("de",)  # the interface languages: map data for each

    def page_url(self, entry: Entry) -> str:
        return urls.absolute(self.site_url, urls.entry_path(entry.slug))

    @functools.cached_property
    def namespace(self) -> uuid.UUID:
        """Ids are unique per site (its address) and stable as long as the slug stays."""
        return uuid.uuid5(ID_NAMESPACE, self.site_url.rstrip("/") or "wegweiser")

    def id(self, slug: str, *parts: str) -> str:
        return _uuid5(self.namespace, "/".join((slug, *parts)))


@functools.lru_cache(maxsize=4096)  # the same few ids (a service, its terms) are asked often
def _uuid5(namespace: uuid.UUID, name: str) -> str:
    return str(uuid.uuid5(namespace, name))


def public_point(entry: Entry, directory: Directory) -> tuple[float, float, str] | None:
    """Latitude, longitude and precision that may be published: never a sensitive place's own."""
    place = entry.place
    if place is None:
        return None
    if is_sensitive(entry, directory) and place.precision != "municipality":
        return None  # geocode always gives these the centre; if not, publish nothing
    return round(place.lat, 5), round(place.lon, 5), place.precision
