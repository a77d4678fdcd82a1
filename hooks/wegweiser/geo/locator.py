"""Where each entry is: manual location ▶ committed cache ▶ geocoder ▶ offline gazetteer.

The network sits at the edge, behind the cache. ``entries/_geocache.json`` is committed:
sorted, one address per line, written atomically, keyed by the normalised address. A
cached address (found or not found) never touches the network again. When the geocoder
is unreachable, slow, rate-limited, failing or answers garbage, the entry falls back to
its municipality's centre (the gazetteer in ``entries/_lists/municipalities.yml``) with a
warning, and the service is not asked again in this run: an outage never reads as
"address not found" and never fails the build.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from wegweiser.core.findings import WARNING, Finding
from wegweiser.core.lists import Lists
from wegweiser.core.model import Entry, Place
from wegweiser.geo.cache import CACHE_NAME, CachedPlace, GeoCache, address_key
from wegweiser.geo.client import GeocoderFailure, NominatimClient
from wegweiser.geo.settings import GeocodeSettings

REGION_MARGIN = 0.25  # degrees around the municipalities' centres when no bbox is configured


@dataclass
class Report:
    """What a run did, for `wegweiser geocode` and the tests."""

    looked_up: list[tuple[Entry, CachedPlace]] = dataclasses.field(default_factory=list)
    failures: list[tuple[Entry, GeocoderFailure]] = dataclasses.field(default_factory=list)
    findings: list[Finding] = dataclasses.field(default_factory=list)
    cache_saved: bool = False


class Locator:
    """Gives every entry its ``place``: one pass, cache first, the network only when allowed."""

    def __init__(
        self,
        lists: Lists,
        cache: GeoCache,
        settings: GeocodeSettings,
        client: NominatimClient | None = None,
        max_lookups: int | None = None,
    ):
        self.lists = lists
        self.cache = cache
        self.settings = settings
        self.client = client
        self.budget = settings.max_lookups if max_lookups is None else max_lookups
        self.bbox = settings.bbox or region_bbox(lists)
        self.outage: GeocoderFailure | None = None
        self.report = Report()

    def locate_all(self, entries: Iterable[Entry]) -> Report:
        for entry in entries:
            entry.place = self.locate(entry)
        return self.report

    def locate(self, entry: Entry) -> Place | None:
        if self.lists.sensitive(entry.category):  # never look up, never show the exact place
            return self._centre(entry)
        if entry.get("location"):
            loc = entry.get("location")
            place = Place(float(loc["lat"]), float(loc["lon"]), "manual", "manual")
            self._check_region(entry, place, ("location",), "")
            return place
        if not entry.address.get("street"):  # a body for a whole Kreis or town: its centre
            return self._centre(entry)
        key = address_key(entry.address, self.settings.country)
        cached = self.cache.get(key)
        source = "cache"
        if cached is None:
            cached, source = self._lookup(entry, key), "geocoder"
        if cached is None:  # the service could not be asked or failed
            return self._fallback(entry, "geocode.unavailable")
        if not cached.found:
            return self._fallback(entry, "geocode.not_found")
        place = Place(cached.lat, cached.lon, cached.precision or "street", source)
        self._check_answer(entry, place, cached)
        return place

    def _lookup(self, entry: Entry, key: str) -> CachedPlace | None:
        if self.client is None or self.outage is not None or self.budget <= 0:
            return None
        self.budget -= 1
        try:
            cached = self.client.lookup(entry.address)
        except GeocoderFailure as failure:
            self.outage = failure  # do not hammer a failing service: no more requests this run
            self.report.failures.append((entry, failure))
            return None
        self.cache.store(key, cached)
        self.report.looked_up.append((entry, cached))
        return cached

    def _centre(self, entry: Entry) -> Place | None:
        centre = entry.municipality.data.get("centre") if entry.municipality else None
        if not centre:
            return None
        return Place(float(centre["lat"]), float(centre["lon"]), "municipality", "gazetteer")

    def _fallback(self, entry: Entry, code: str) -> Place | None:
        place = self._centre(entry)
        params = {
            "value_address": _one_line(entry.address),
            "reason": self.outage.reason if self.outage else self._why_not_asked(),
            "city": entry.address.get("city", ""),
        }
        if place is None:
            code += "_none"
        self._warn(entry, ("address",), code, params)
        return place

    def _why_not_asked(self) -> str:
        if self.client is None:
            return self.settings.refusal() or "offline"
        return "limit" if self.budget <= 0 else "offline"

    def _check_answer(self, entry: Entry, place: Place, cached: CachedPlace) -> None:
        if not self._check_region(entry, place, ("address",), cached.display):
            return
        wanted = entry.address.get("postcode", "")
        if wanted and cached.postcode and cached.postcode != wanted:
            params = {
                "value_address": _one_line(entry.address),
                "value": cached.postcode,
                "value_found": cached.display,
            }
            self._warn(entry, ("address",), "geocode.other_postcode", params)

    def _check_region(self, entry: Entry, place: Place, path: tuple, found: str) -> bool:
        south, west, north, east = self.bbox
        if south <= place.lat <= north and west <= place.lon <= east:
            return True
        params = {
            "value_address": _one_line(entry.address),
            "lat": f"{place.lat:.5f}",
            "lon": f"{place.lon:.5f}",
            "value_found": found or "location",
        }
        self._warn(entry, path, "geocode.outside_region", params)
        return False

    def _warn(self, entry: Entry, path: tuple, code: str, params: dict) -> None:
        line, col = entry.marks.get(path, (1, 1))
        self.report.findings.append(Finding(entry.source, line, col, WARNING, code, params))


def region_bbox(lists: Lists) -> tuple[float, float, float, float]:
    """South, west, north, east around every municipality's centre, with a margin."""
    centres = [t.data["centre"] for t in lists["municipalities"].values() if t.data.get("centre")]
    if not centres:
        return (-90.0, -180.0, 90.0, 180.0)
    lats = [float(c["lat"]) for c in centres]
    lons = [float(c["lon"]) for c in centres]
    m = REGION_MARGIN
    return (min(lats) - m, min(lons) - m, max(lats) + m, max(lons) + m)


def _one_line(address: Mapping) -> str:
    town = " ".join(p for p in (address.get("postcode", ""), address.get("city", "")) if p)
    return ", ".join(p for p in (address.get("street", ""), town) if p)


def locate_directory(
    entries: Iterable[Entry],
    lists: Lists,
    entries_dir: Path,
    settings: GeocodeSettings,
    max_lookups: int | None = None,
    shown_cache: str = "",
) -> Report:
    """The geocoding stage of the build and of `wegweiser geocode`: locate, then save the cache."""
    cache = GeoCache(entries_dir / CACHE_NAME)
    # An unreadable cache (say, a merge conflict) must not turn into bulk re-geocoding.
    asking = cache.readable and not settings.refusal()
    client = NominatimClient(settings) if asking else None
    locator = Locator(lists, cache, settings, client, max_lookups)
    report = locator.locate_all(entries)
    if not cache.readable:
        report.findings.append(
            Finding(
                shown_cache or CACHE_NAME,
                1,
                1,
                WARNING,
                "geocode.cache_unreadable",
                {"value": cache.problem},
            )
        )
    report.cache_saved = cache.save()
    return report
