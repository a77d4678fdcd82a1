"""The network edge, for the build and `wegweiser geocode`: where each entry is shown.

Laid out like geopy: ``settings`` (what mkdocs.yml and the environment say), ``cache`` (the
committed answers), ``client`` (the one service, Nominatim, behind a rate limiter) and
``locator`` (manual location ▶ cache ▶ geocoder ▶ the municipality's centre, one pass).
The names callers use are gathered here.
"""

from wegweiser.geo.cache import CACHE_NAME, CachedPlace, GeoCache, address_key
from wegweiser.geo.client import GeocoderFailure, NominatimClient
from wegweiser.geo.locator import Locator, Report, locate_directory, region_bbox
from wegweiser.geo.settings import DEFAULT_URL, PUBLIC_HOST, GeocodeSettings, network_forbidden

__all__ = [
    "CACHE_NAME",
    "DEFAULT_URL",
    "PUBLIC_HOST",
    "CachedPlace",
    "GeoCache",
    "GeocodeSettings",
    "GeocoderFailure",
    "Locator",
    "NominatimClient",
    "Report",
    "address_key",
    "locate_directory",
    "network_forbidden",
    "region_bbox",
]
