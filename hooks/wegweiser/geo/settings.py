"""The geocoder's settings: ``extra.wegweiser.geocoding`` and the environment's overrides."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

PUBLIC_HOST = "nominatim.openstreetmap.org"
DEFAULT_URL = f"https://{PUBLIC_HOST}"


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
        cls, extra: Mapping, site_url: str = "", env: Mapping[str, str] | None = None
    ) -> GeocodeSettings:
        """``env``: the environment's WEGWEISER_* values (settings.Environment), none by default."""
        env = env or {}
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


def network_forbidden(env: Mapping[str, str]) -> bool:
    """WEGWEISER_OFFLINE=1: no request to any network service (geocoder, package registry)."""
    return env.get("WEGWEISER_OFFLINE", "") not in ("", "0")


# -- the cache -----------------------------------------------------------------------------
