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
import datetime as dt
import json
import math
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .findings import WARNING, Finding
from .lists import Lists
from .model import Entry

CACHE_NAME = "_geocache.json"
CACHE_FORMAT = 1
PUBLIC_HOST = "nominatim.openstreetmap.org"
DEFAULT_URL = f"https://{PUBLIC_HOST}"
# Precision of a place, from exact to coarse. "manual" = coordinates written in the entry.
PRECISIONS = ("manual", "house", "street", "postcode", "municipality")
REGION_MARGIN = 0.25  # degrees around the municipalities' centres when no bbox is configured


# -- settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GeocodeSettings:
    """``extra.wegweiser.geocoding`` in mkdocs.yml, with the environment's overrides."""

    url: str = DEFAULT_URL
    contact: str = ""
    country: str = "de"
    timeout: float = 10.0
    min_delay: float = 1.0
    max_lookups: int = 50  # per build; `wegweiser geocode` has no limit
    max_retry_wait: float = 10.0
    offline: bool = False
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    site_url: str = ""

    @classmethod
    def from_config(
        cls, extra: Mapping, site_url: str = "", env: Mapping[str, str] = os.environ
    ) -> GeocodeSettings:
        raw = dict((extra or {}).get("geocoding") or {})
        bbox = (extra or {}).get("region", {}).get("bbox") if (extra or {}).get("region") else None
        settings = cls(
            url=str(env.get("WEGWEISER_GEOCODER_URL") or raw.get("url") or DEFAULT_URL),
            contact=str(raw.get("contact") or ""),
            country=str(raw.get("country") or "de").lower(),
            timeout=float(raw.get("timeout", cls.timeout)),
            min_delay=float(raw.get("min_delay", cls.min_delay)),
            max_lookups=int(raw.get("max_lookups_per_build", cls.max_lookups)),
            max_retry_wait=float(raw.get("max_retry_wait", cls.max_retry_wait)),
            offline=network_forbidden(env),
            bbox=tuple(float(v) for v in bbox) if bbox else None,
            site_url=site_url,
        )
        if settings.is_public:  # Nominatim's usage policy: at most one request per second
            settings = dataclasses.replace(settings, min_delay=max(settings.min_delay, 1.0))
        return settings

    @property
    def is_public(self) -> bool:
        return (urlsplit(self.url).hostname or "").endswith("openstreetmap.org")

    @property
    def user_agent(self) -> str:
        from importlib.metadata import version

        who = "; ".join(part for part in (self.site_url, self.contact) if part)
        agent = f"Wegweiser/{version('wegweiser')}"
        return f"{agent} ({who})" if who else agent

    def refusal(self) -> str | None:
        """Why this configuration may not ask the network at all, or None."""
        if self.offline:
            return "offline"
        if self.is_public and "@" not in self.contact and "://" not in self.contact:
            return "no_contact"
        return None


def network_forbidden(env: Mapping[str, str] = os.environ) -> bool:
    """WEGWEISER_OFFLINE=1: no request to any network service (geocoder, package registry)."""
    return env.get("WEGWEISER_OFFLINE", "") not in ("", "0")


# -- the cache -----------------------------------------------------------------------------


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
        body = {
            "format": CACHE_FORMAT,
            "about": "Geokodierte Adressen, von `wegweiser geocode` und dem Build gepflegt.",
            "places": {k: self.places[k].as_json() for k in sorted(self.places)},
        }
        write_atomically(self.path, _dump_lines(body))
        self.changed = False
        return True


def _dump_lines(body: dict) -> str:
    """JSON with one cached address per line: small, readable diffs in pull requests."""
    places = body["places"]
    head = {k: v for k, v in body.items() if k != "places"}
    lines = [json.dumps(head, ensure_ascii=False)[:-1] + ', "places": {']
    items = [
        f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in places.items()
    ]
    lines.append(",\n".join(items))
    lines.append("}}")
    return "\n".join(line for line in lines if line) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- the geocoder --------------------------------------------------------------------------


class GeocoderFailure(Exception):
    """The service did not give a usable answer. ``reason`` names why, for the message."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # unreachable | timeout | rate_limited | refused | failed | garbage
        self.detail = detail


class NominatimClient:
    """geopy's Nominatim client with a rate limiter, a timeout and errors with meanings."""

    def __init__(self, settings: GeocodeSettings, sleep: Callable[[float], None] = time.sleep):
        from geopy.adapters import URLLibAdapter
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        parts = urlsplit(settings.url)
        self.settings = settings
        self.sleep = sleep
        self.nominatim = Nominatim(
            domain=parts.netloc + parts.path.rstrip("/"),
            scheme=parts.scheme or "https",
            user_agent=settings.user_agent,
            timeout=settings.timeout,
            # geopy's requests adapter retries by itself (urllib3 Retry), sleeping through
            # Retry-After and hiding outages; urllib makes exactly the requests we count.
            adapter_factory=URLLibAdapter,
        )
        # swallow_exceptions=False: an outage must not look like "not found" (None).
        self.limited = RateLimiter(
            self.nominatim.geocode,
            min_delay_seconds=settings.min_delay,
            max_retries=0,
            swallow_exceptions=False,
        )

    def lookup(self, address: Mapping) -> CachedPlace:
        query = {
            "street": address.get("street", ""),
            "postalcode": address.get("postcode", ""),
            "city": address.get("city", ""),
            "country": self.settings.country,
        }
        query = {k: v for k, v in query.items() if v}
        try:
            location = self._ask(query)
        except GeocoderFailure:
            raise
        except Exception as exc:  # geopy or the answer broke in an unforeseen way
            raise GeocoderFailure("garbage", f"{type(exc).__name__}: {exc}") from None
        today = dt.date.today().isoformat()
        if location is None:
            return CachedPlace(None, None, checked=today)
        return _place_from(location.raw, today)

    def _ask(self, query: dict):
        from geopy import exc as gx

        for attempt in (1, 2):
            try:
                return self.limited(query, addressdetails=True, country_codes=self.settings.country)
            except gx.GeocoderRateLimited as error:
                wait = error.retry_after if error.retry_after is not None else 1.0
                if attempt == 2 or wait > self.settings.max_retry_wait:
                    raise GeocoderFailure("rate_limited", f"Retry-After {wait}") from None
                self.sleep(wait)
            except gx.GeocoderTimedOut as error:
                status = getattr(error.__cause__, "status_code", None)
                reason = "failed" if status else "timeout"
                raise GeocoderFailure(reason, str(error)) from None
            except (gx.GeocoderInsufficientPrivileges, gx.GeocoderAuthenticationFailure) as error:
                raise GeocoderFailure("refused", str(error)) from None
            except gx.GeocoderParseError as error:
                raise GeocoderFailure("garbage", str(error)) from None
            except gx.GeocoderUnavailable as error:
                raise GeocoderFailure("unreachable", str(error)) from None
            except gx.GeocoderServiceError as error:
                raise GeocoderFailure("failed", str(error)) from None
        raise AssertionError("unreachable")  # pragma: no cover


def _place_from(raw: Mapping, today: str) -> CachedPlace:
    """A Nominatim result (``format=json&addressdetails=1``) as a cache record."""
    if not isinstance(raw, Mapping):
        raise GeocoderFailure("garbage", "result is not an object")
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        raise GeocoderFailure("garbage", "result without lat/lon") from None
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise GeocoderFailure("garbage", f"impossible coordinates {lat}, {lon}")
    address = raw.get("address") if isinstance(raw.get("address"), Mapping) else {}
    return CachedPlace(
        round(lat, 6),
        round(lon, 6),
        precision=_precision(raw, address),
        postcode=str(address.get("postcode", ""))[:20],
        display=str(raw.get("display_name", ""))[:200],
        checked=today,
    )


_STREET_TYPES = {"road", "street", "residential", "pedestrian", "footway", "path", "square"}


def _precision(raw: Mapping, address: Mapping) -> str:
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    if "house_number" in address or kind in ("house", "building"):
        return "house"
    if raw.get("class") == "highway" or kind in _STREET_TYPES:
        return "street"
    if kind in ("postcode", "postal_code"):
        return "postcode"
    return "municipality"


# -- locating the entries ------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where an entry is shown on maps and in exports."""

    lat: float
    lon: float
    precision: str  # one of PRECISIONS
    source: str  # manual | cache | geocoder | gazetteer

    @property
    def approximate(self) -> bool:
        return self.precision == "municipality"


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
