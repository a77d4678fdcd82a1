"""The address book: every address of the site and of its data files, spelled only here.

Pages, list pages, data files, search bundles, assets, and the links to the repository:
the build, the exports, the editors' commands, the templates (as globals) and the scripts
(through data attributes) all ask this module. It imports nothing of ours, so anything
may use it.

Paths are relative to a language's tree ("orte/x/"); ``tree`` names the tree ("" for the
default language, "ar/" for another), ``site_base`` turns the site's address into the
beginning of absolute links.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

ENTRY_DIR = "orte"
# The lists visitors browse by, and the folder of each.
SECTIONS = {
    "categories": "kategorien",
    "municipalities": "gemeinden",
    "topics": "themen",
    "languages": "sprachen",  # languages spoken at the places: a filter for visitors
}
# The relations that can be long, in the order the entry page shows them, and the folder of
# their list pages: "orte/<slug>/mitglieder/", "orte/<slug>/mitglieder/2/", …
RELATION_PAGES = {"networks": "netzwerke", "members": "mitglieder", "coordinates": "koordiniert"}

# The search page's filters: a URL parameter each, which is also the name of the filter in
# Pagefind's index, so that a link such as suche/?kategorie=beratungsstelle&sprache=prs&
# gemeinde=leer can be shared and printed. Values are the ids of the lists (language-free).
FILTERS = {
    "categories": "kategorie",
    "municipalities": "gemeinde",
    "languages": "sprache",
    "topics": "thema",
    "audiences": "zielgruppe",
}
# Yes-or-nothing filters (a place is free of charge, needs no appointment, has wheelchair
# access): the parameter with the value FLAG_VALUE.
FLAGS = {"free": "kostenlos", "walk_in": "ohne-termin", "wheelchair": "rollstuhl"}
FLAG_VALUE = "ja"

# The generated pages of each language: path in the tree, and MkDocs' name for the page.
HOME, MAP, SEARCH, DATA, FIELDS = "", "karte/", "suche/", "daten/", "mitmachen/felder/"
NEAR = "naehe/"  # "In meiner Nähe": places sorted by distance
HOME_SOURCE = "index.md"
MAP_SOURCE = "karte.md"
SEARCH_SOURCE = "suche.md"
NEAR_SOURCE = "naehe.md"
DATA_SOURCE = "daten/index.md"
FIELDS_SOURCE = "mitmachen/felder.md"
HSDS_DOC_SOURCE = "daten/hsds.md"  # the HSDS field mapping, a hand-written page (docs/daten/)
HSDS_DOC = "daten/hsds/"

# The data files, once for all languages, at the site's root.
GEOJSON = "daten/orte.geojson"
# For "In meiner Nähe": the municipalities with their centre and postcodes, and the places of
# each list (daten/naehe/kategorien/beratungsstelle.geojson); read only after a click.
MUNICIPALITIES_DATA = "daten/gemeinden.json"
NEAR_DIR = "daten/naehe"
CSV = "daten/orte.csv"
EXCEL_CSV = "daten/orte-excel.csv"
CSV_METADATA = "daten/orte.csv-metadata.json"
HSDS = "daten/hsds.json"
CALENDAR = "daten/sitzungen.ics"
ENTRY_CALENDAR_DIR = "daten/sitzungen"
SCHEMA = "schema/entry.schema.json"

# The site's own scripts and styles (site path -> file in wegweiser/site/assets/).
ASSETS = {
    "assets/wegweiser/wegweiser.css": "wegweiser.css",
    "assets/wegweiser/wegweiser-search.js": "wegweiser-search.js",
    "assets/wegweiser/wegweiser-map.js": "wegweiser-map.js",
    "assets/wegweiser/wegweiser-offline.js": "wegweiser-offline.js",
    "assets/wegweiser/wegweiser-print.js": "wegweiser-print.js",
    "assets/wegweiser/wegweiser-hours.js": "wegweiser-hours.js",
    "assets/wegweiser/wegweiser-near.js": "wegweiser-near.js",
    "assets/wegweiser/icons.svg": "icons.svg",  # the icons of the start page, one file
    "sw.js": "sw.js",  # at the root: a service worker controls only pages below it
}
SERVICE_WORKER = "sw.js"
ICONS = "assets/wegweiser/icons.svg"
VENDOR_DIR = "assets/vendor"  # Leaflet and friends, copied from the local cache
SEARCH_BUNDLE = "pagefind"


def tree(lang: str, default: str) -> str:
    """Where a language's pages live: the default at the root, others under "<code>/"."""
    return "" if lang == default else f"{lang}/"


def entry_path(slug: str) -> str:
    return f"{ENTRY_DIR}/{slug}/"


def term_path(list_name: str, term_id: str) -> str:
    return f"{SECTIONS[list_name]}/{term_id}/"


def section_path(list_name: str) -> str:
    return f"{SECTIONS[list_name]}/"


def section_source(list_name: str) -> str:
    return f"{SECTIONS[list_name]}/index.md"


def relation_path(slug: str, relation: str) -> str:
    """The list page of an entry's ``relation`` (a key of RELATION_PAGES)."""
    return f"{entry_path(slug)}{RELATION_PAGES[relation]}/"


def page_path(path: str, page: int) -> str:
    """Page ``page`` of the list at ``path`` ("kategorien/beratung/"): the first at the
    list's own path, the others at ``path``2/, ``path``3/, …"""
    return path if page == 1 else f"{path}{page}/"


def map_data(lang: str | None = None) -> str:
    """The map data in a language: the places with their names in ``lang`` where an entry
    has them ("daten/orte.ar.geojson"); the German file for None."""
    return GEOJSON if lang is None else GEOJSON.replace(".geojson", f".{lang}.geojson")


def near_data(list_name: str, term_id: str) -> str:
    """The places of one list for "In meiner Nähe": daten/naehe/kategorien/beratung.geojson."""
    return f"{NEAR_DIR}/{SECTIONS[list_name]}/{term_id}.geojson"


def entry_calendar(slug: str) -> str:
    return f"{ENTRY_CALENDAR_DIR}/{slug}.ics"


def search_bundle(tree_path: str, number: int) -> str:
    """A search bundle's folder from the site's root: "pagefind/", "ar/pagefind-2/"."""
    suffix = "" if number == 1 else f"-{number}"
    return f"{tree_path}{SEARCH_BUNDLE}{suffix}/"


def site_base(site_url: str) -> str:
    """The site's address with exactly one closing slash; "" for a site without one."""
    return site_url.rstrip("/") + "/" if site_url else ""


def absolute(site_url: str, path: str) -> str:
    """``path`` of the site as an absolute address where the site has one, else as it is."""
    return site_base(site_url) + path


def subscribe(site_url: str, slug: str) -> str:
    """webcal:// makes calendar apps subscribe (updates follow) instead of importing once."""
    if not site_url.startswith(("https://", "http://")):
        return ""
    return "webcal://" + absolute(site_url, entry_calendar(slug)).split("://", 1)[1]


def route_links(lat: float, lon: float) -> tuple[str, str]:
    """A way there: a ``geo:`` address that phones open in their map app, and directions
    to the point on openstreetmap.org (the visitor fills in the start there)."""
    lat_text, lon_text = f"{lat:.5f}", f"{lon:.5f}"
    return (
        f"geo:{lat_text},{lon_text}",
        f"https://www.openstreetmap.org/directions?to={lat_text}%2C{lon_text}",
    )


def mailto(address: str, subject: str, body: str) -> str:
    """A ``mailto:`` link with subject and body filled in (RFC 6068): every character of
    them percent-encoded, so ``&``, ``?``, ``#``, line breaks and any script survive; a
    line break in the body is CRLF, as the RFC asks, and the subject (a header line) gets
    spaces instead. "" without an address."""
    if not address:
        return ""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    fields = {"subject": " ".join(subject.split()), "body": "\r\n".join(lines)}
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in fields.items())
    return f"mailto:{quote(address, safe='@')}?{query}"


def osm_link(lat: float, lon: float) -> str:
    """The point on openstreetmap.org, marked, at street level."""
    lat_text, lon_text = f"{lat:.5f}", f"{lon:.5f}"
    return (
        f"https://www.openstreetmap.org/?mlat={lat_text}&mlon={lon_text}"
        f"#map=17/{lat_text}/{lon_text}"
    )


@dataclass(frozen=True)
class Repository:
    """Links into the site's repository on GitHub ("" where no repository is configured)."""

    url: str = ""
    branch: str = "main"

    @property
    def base(self) -> str:
        return self.url.rstrip("/")

    def file(self, path: str) -> str:
        return f"{self.base}/blob/{quote(self.branch)}/{quote(path)}" if self.url else ""

    def edit(self, path: str) -> str:
        return f"{self.base}/edit/{quote(self.branch)}/{quote(path)}" if self.url else ""

    def new_issue(self, params: dict[str, str]) -> str:
        return f"{self.base}/issues/new?{urlencode(params)}" if self.url else ""
