"""Every link on a generated page leads to a file of the built site.

MkDocs checks the links of Markdown pages; our pages are HTML made from templates, so a
template that spells a wrong path (a language's page that is not built, a page of another
site) would go unnoticed. ``Links`` collects the site-relative targets of each page while
it is written, and ``missing`` looks them up once the whole site, search index included,
is on disk: each missing target once, with a page that links to it and how many do.

Plain Python on strings and paths: no MkDocs types.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from wegweiser import urls

# The addresses in our HTML: links, images, scripts, styles, icons, and the data-* attributes
# our scripts read files from or join file names to (map data, "In meiner Nähe", the vendor
# folder). Templates always quote with ". The leading "../" are a group of their own:
# counted without a loop (add_page).
_ADDRESS = re.compile(
    r'\s(href|src|xlink:href|data-geojson|data-ww-near|data-municipalities|data-vendor)="'
    r'((?:\.\./)*)([^"]*)"'
)
_FOLDERS = {"data-vendor"}  # a folder a script adds file names to, not a page
_LEAVES = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")  # mailto:, https://, //host/ …


@dataclass
class Links:
    """The targets pages link to (site-relative paths) and, per target, who links to it."""

    site_url: str = ""  # absolute links below it are the site's own
    # (target, whether it is a folder) -> (a page linking to it, how many links)
    targets: dict[tuple[str, bool], tuple[str, int]] = field(default_factory=dict)

    _resolved: dict[tuple[str, str], str | None] = field(default_factory=dict, repr=False)

    def add_page(self, page: str, html: str) -> list[tuple[tuple[str, bool], int]]:
        """The links of the page at ``page`` ("ar/orte/x/", "" for the home page); returns
        them as ``add_found`` takes them (the build cache keeps them with the page)."""
        found = self.page_links(page, html)
        self.add_found(page, found)
        return found

    def add_found(self, page: str, found: list[tuple[tuple[str, bool], int]]) -> None:
        """Links of ``page`` as ``page_links`` gave them: (target, is a folder), count."""
        for key, count in found:
            self._count(key, page, count)

    def page_links(self, page: str, html: str) -> list[tuple[tuple[str, bool], int]]:
        """(target, is a folder) and how often, for each distinct link of the page."""
        # "../../x/" from "ar/orte/y/" is "x/" from "ar/": resolved once for every page
        # below "ar/" (thousands of pages share their links to terms, languages, assets).
        folders = [""] + [f"{part}/" for part in page.split("/") if part]
        above = ["".join(folders[: i + 1]) for i in range(len(folders))]
        resolved = self._resolved
        own = urls.site_base(self.site_url)
        found = []
        # each distinct link once, with how often the page has it (a list page repeats its
        # links to terms, languages and pages in every card)
        for (attribute, dots, rest), count in Counter(_ADDRESS.findall(html)).items():
            if not dots and ":" in rest[:12] and not (own and rest.startswith(own)):
                continue  # leaves the site: https://…, mailto:, tel:
            ups = len(dots) // 3
            key = (above[-1 - ups], rest) if ups < len(above) else (page, dots + rest)
            if key in resolved:
                target = resolved[key]
            else:
                target = resolved[key] = self.resolve(*key)
            if target is not None:
                found.append(((target, attribute in _FOLDERS), count))
        return found

    def resolve(self, page: str, address: str) -> str | None:
        """The site-relative path ``address`` on ``page`` names; None if it leaves the site."""
        address = address.replace("&amp;", "&")
        own = urls.site_base(self.site_url)
        inside = bool(own) and address.startswith(own)
        if inside:  # the site's own absolute address: relative to its root
            address = address[len(own) :] or "./"
        elif _LEAVES.match(address):
            return None
        path = unquote(urlsplit(address).path)
        if not path:  # "#top", "?q=": the page itself
            return None
        if inside:
            joined = path
        elif path.startswith("/"):  # from the server's root: the site may be below a path
            base = urlsplit(own).path or "/"
            if not path.startswith(base):
                return "../" + path.lstrip("/")  # outside the published site
            joined = path[len(base) :]
        else:
            joined = posixpath.join(page, path)
        normal = posixpath.normpath(joined) if joined else "."
        if normal.startswith(".."):
            return normal  # above the site's root: never a file of the site
        return "" if normal == "." else normal + ("/" if path.endswith("/") else "")

    def merge(self, other: Links) -> None:
        for key, (page, count) in other.targets.items():
            self._count(key, page, count)

    def _count(self, key: tuple[str, bool], page: str, count: int) -> None:
        """``count`` more links to ``key``; the first page that links to it is kept."""
        first, total = self.targets.get(key, (page, 0))
        self.targets[key] = (first, total + count)

    def missing(self, site_dir: Path) -> list[tuple[str, str, int]]:
        """(target, a page linking to it, how many links) for each target not in the site."""
        result = []
        for (target, folder), (page, count) in sorted(self.targets.items()):
            if not _exists(site_dir, target, folder):
                result.append((target, page, count))
        return result


def _exists(site_dir: Path, target: str, folder: bool) -> bool:
    """A page ("orte/x/", "": its index.html), a file, or a folder a script reads from."""
    if target.startswith(".."):
        return False
    path = os.path.join(site_dir, target)
    if folder:
        return os.path.isdir(path)
    if target == "" or target.endswith("/"):
        return os.path.isfile(os.path.join(path, "index.html"))
    return os.path.isfile(path) or os.path.isfile(os.path.join(path, "index.html"))
