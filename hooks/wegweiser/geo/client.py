"""The network edge: geopy's Nominatim client behind a rate limiter and a timeout, its
errors mapped to meanings (unreachable, timeout, rate limited, refused, failed, garbage)."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from wegweiser.geo.cache import CachedPlace
from wegweiser.geo.settings import GeocodeSettings


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
