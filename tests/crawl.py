"""A crawl of a built site: every address a visitor or a program can follow must lead to a
file of the site, or be one of the site's deliberate links to elsewhere.

Written apart from the build's own link check (wegweiser's ``linkcheck``), with the standard
library's HTML parser instead of its regular expression, so a mistake in one is not
repeated in the other.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that hold an address; data-* ones are read by the site's scripts.
URL_ATTRIBUTES = {
    "href",
    "src",
    "xlink:href",
    "data-geojson",
    "data-ww-near",
    "data-municipalities",
}
# data-* attributes that name a folder of the site the script adds file names to.
FOLDER_ATTRIBUTES = {"data-vendor", "data-base", "data-ww-search"}
# Schemes that leave the site on purpose (a phone call, a mail, the phone's map app).
OUTSIDE_SCHEMES = {"mailto", "tel", "geo", "sms"}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []  # (attribute, value)
        self.bundles: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES | FOLDER_ATTRIBUTES:
                self.found.append((name, value))
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.found.append((name, candidate.split()[0]))
        if values.get("data-bundles") and values.get("data-ww-search") is not None:
            root = values["data-ww-search"]
            self.bundles += [root + bundle for bundle in values["data-bundles"].split()]


def page_links(html: str) -> tuple[list[tuple[str, str]], list[str]]:
    """(attribute, address) of every address on a page; the search bundles it names."""
    parser = _Links()
    parser.feed(html)
    return parser.found, parser.bundles


@dataclass
class Site:
    """A built site in ``folder``, published at ``url`` (its site_url, maybe below a path)."""

    folder: Path
    url: str  # "https://wegweiser.test/" or "https://user.github.io/wegweiser/"
    external: tuple[str, ...] = ()  # address beginnings that may leave the site
    broken: list[str] = field(default_factory=list)
    checked: int = 0

    def page_url(self, path: Path) -> str:
        relative = path.relative_to(self.folder).as_posix()
        return self.url + relative.removesuffix("index.html")

    def local(self, address: str) -> Path | None:
        """The file of the site an absolute address below ``url`` names; None if outside."""
        parts = urlsplit(address)
        base = urlsplit(self.url)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
            return None
        if not parts.path.startswith(base.path):
            return Path("/nonexistent-outside-the-published-path")
        relative = unquote(parts.path[len(base.path) :])
        target = self.folder / relative
        if relative == "" or relative.endswith("/") or target.is_dir():
            target = target / "index.html"
        return target

    def check(
        self, where: str, address: str, base: str | None = None, folder: bool = False
    ) -> None:
        """``address`` (relative to ``base``, a page's URL) must resolve to a file (a folder
        with ``folder``); else it is broken."""
        self.checked += 1
        address = address.strip()
        scheme = urlsplit(address).scheme.lower()
        if address.startswith("#") or scheme in OUTSIDE_SCHEMES:
            return
        if scheme == "webcal":  # a calendar subscription of the site's own file
            address = "https" + address[len("webcal") :]
        full = urljoin(base or self.url, address)
        target = self.local(full)
        if target is None:
            if not any(full.startswith(prefix) for prefix in self.external):
                self.broken.append(f"{where}: {address} (not deliberately external)")
            return
        if folder:
            target = target.parent
        inside = target.resolve().is_relative_to(self.folder.resolve())
        if not inside or not (target.is_dir() if folder else target.is_file()):
            self.broken.append(f"{where}: {address} -> {full}")

    def crawl(self) -> list[str]:
        """Every page, the map data, the sitemap and every search bundle; the broken links."""
        bundles: set[str] = set()
        for path in sorted(self.folder.rglob("*.html")):
            if "pagefind" in path.relative_to(self.folder).parts[0]:
                continue
            if "pagefind" in path.parts[-3:-1]:
                continue
            html = path.read_text("utf-8")
            base = self.page_url(path)
            where = path.relative_to(self.folder).as_posix()
            links, named = page_links(html)
            for attribute, address in links:
                self.check(where, address, base, folder=attribute in FOLDER_ATTRIBUTES)
            for bundle in named:
                bundles.add(urljoin(base, bundle))
        self.crawl_map_data()
        self.crawl_sitemap()
        for bundle in sorted(bundles):
            self.crawl_bundle(bundle)
        return self.broken

    def crawl_map_data(self) -> None:
        """The page link of each place in the map data, as the map script joins it."""
        data = json.loads((self.folder / "daten" / "orte.geojson").read_text("utf-8"))
        for feature in data["features"]:
            url = feature["properties"].get("url")
            if url is None:
                self.broken.append(f"daten/orte.geojson: {feature['id']} has no page link")
                continue
            for language_base in self.language_bases():
                self.check("daten/orte.geojson", url, language_base)

    def language_bases(self) -> list[str]:
        """The root of each language's tree: the site, and each /<code>/ with a home page."""
        bases = [self.url]
        for folder in sorted(self.folder.iterdir()):
            if re.fullmatch(r"[a-z]{2,3}", folder.name) and (folder / "karte").is_dir():
                bases.append(f"{self.url}{folder.name}/")
        return bases

    def crawl_sitemap(self) -> None:
        text = (self.folder / "sitemap.xml").read_text("utf-8")
        locations = re.findall(r"<loc>([^<]*)</loc>", text)
        if not locations:
            self.broken.append("sitemap.xml: no <loc>")
        for location in locations:
            self.check("sitemap.xml", location)

    def crawl_bundle(self, bundle: str) -> None:
        """Every page a search bundle can return, as Pagefind's script joins its URL."""
        folder = self.local(bundle if bundle.endswith("/") else bundle + "/")
        folder = folder.parent if folder is not None else None
        if folder is None or not (folder / "pagefind-entry.json").is_file():
            self.broken.append(f"search bundle {bundle}: missing")
            return
        fragments = sorted((folder / "fragment").glob("*.pf_fragment"))
        if not fragments:
            self.broken.append(f"search bundle {bundle}: no pages")
        for fragment in fragments:
            self.check(f"{bundle} {fragment.name}", search_url(self.url, fragment_url(fragment)))


def fragment_url(fragment: Path) -> str:
    """A Pagefind fragment's page address, relative to the indexed folder ("/ar/orte/x/")."""
    data = gzip.decompress(fragment.read_bytes())
    return json.loads(data.removeprefix(b"pagefind_dcd"))["url"]


def search_url(site_url: str, raw: str) -> str:
    """What the search page must make of a bundle's URL: the site's path, then the URL."""
    return site_url.rstrip("/") + "/" + raw.lstrip("/")
