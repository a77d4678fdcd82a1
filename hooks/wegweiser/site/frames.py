"""Frames: entry pages and the pages of long lists, filled in after MkDocs' build.

Entry pages, and the pages of the term and relation lists, share a few frames: all pages
of one kind in one language have the same depth, navigation state and assets. So MkDocs
and Material draw each frame once, around markers, and each page is its frame with its own
address, title, description and content: Material's page rendering was the largest part
of a build with thousands of entries. The pages are written on every core.
"""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from wegweiser import urls
from wegweiser.core import parallel
from wegweiser.site import search
from wegweiser.site.linkcheck import Links
from wegweiser.site.render import page_title

SHELL = "_rahmen"  # never a slug or a term id: those have no "_"
SHELL_PAGE = "_seite"  # the frame of a list's later pages, one level deeper (x/2/)
SHELL_TITLE, SHELL_DESC = "WWRAHMENTITEL", "WWRAHMENBESCHREIBUNG"
# "<h1" inside: Material adds a heading of its own to content without one; pages have theirs.
SHELL_BODY = "<!--WW:RAHMEN:INHALT <h1>-->"


@dataclass(frozen=True)
class FramedPage:
    """A page made by filling a frame after the build; MkDocs never sees it."""

    prefix: str  # its language's tree: "" (the default language) or "en/"
    frame: str  # the frame's path in that tree: "orte/_rahmen/", "kategorien/_rahmen/_seite/"
    path: str  # this page's path in that tree: "orte/x/", "kategorien/beratung/2/",
    # "orte/x/mitglieder/2/" (frame "orte/_rahmen/mitglieder/_seite/")
    title: str  # text; escaped when filled in
    description: str  # text; "" = the site's description
    lastmod: str  # ISO date, for the sitemap
    body: Callable[[], str]  # the page's HTML content
    searched: bool = False  # an entry page: its content is also a source of the search index
    key: str = ""  # what the body shows beyond the build's scope (site/reuse.py); "" = none


def examples(framed: list[FramedPage]) -> dict[str, FramedPage]:
    """Each frame's address ("ar/orte/_rahmen/") -> a page filled into it."""
    found: dict[str, FramedPage] = {}
    for page in framed:
        found.setdefault(page.prefix + page.frame, page)
    return found


def write(
    site_dir: Path,
    framed: list[FramedPage],
    links: Links,
    fallback_description: str,
    sources: Path | None = None,
    bodies=None,
    indexed: set[str] | None = None,
) -> int:
    """After MkDocs wrote the frames: every framed page, on all cores (parallel.map_shares);
    then the frames are removed and the sitemap lists the pages instead.

    The links of the pages' content join ``links`` (the frames' own links are collected
    when MkDocs writes them). With ``sources``, each entry page's content goes there too,
    for the search index (search.source_page); with ``indexed``, only the pages of those
    paths ("ar/orte/x/index.html": the search parts to be indexed). ``bodies``
    (reuse.Bodies) gives the bodies an earlier build made and keeps the new ones. Returns
    how many processes wrote.
    """
    frames = read_frames(site_dir, framed)
    langs = {key: _LANG.search(frame).group(1) for key, frame in frames.items()}
    fallback = page_title(fallback_description)
    if bodies is not None:
        bodies.prepare(framed)

    def write_share(share) -> Links:
        found = Links(links.site_url)
        made = bodies.each(share, found) if bodies is not None else _made(share, found)
        for page, body in made:
            html = fill(frames[page.prefix, page.frame], page, body, fallback)
            _write(site_dir / page.prefix / page.path, html)
            if sources is not None and page.searched and _wanted(page, indexed):
                source = search.source_page(langs[page.prefix, page.frame], body)
                _write(sources / page.prefix / page.path, source)
        return found

    # An entry's page in every language one after the other: its draft is drawn once
    # (site/drafts.py) and each core writes whole entries.
    together = sorted(framed, key=lambda page: page.path)
    shares = parallel.map_shares(together, write_share)
    for share in shares:
        links.merge(share)
    for prefix, frame in frames:
        shutil.rmtree(site_dir / prefix / frame.split("/")[0] / SHELL, ignore_errors=True)
    pages = [(page.prefix + page.path, page.lastmod) for page in framed]
    sitemap_with(site_dir, links.site_url, pages)
    return len(shares)


_LANG = re.compile(r'<html lang="([^"]*)"')


def _made(pages, links: Links):
    """(page, body) of each page, made now; its links join ``links``."""
    for page in pages:
        body = page.body()
        links.add_page(page.prefix + page.path, body)
        yield page, body


def _wanted(page: FramedPage, indexed: set[str] | None) -> bool:
    return indexed is None or f"{page.prefix}{page.path}index.html" in indexed


def read_frames(site_dir: Path, framed: list[FramedPage]) -> dict[tuple[str, str], str]:
    """The frames MkDocs wrote: (language tree, frame path) -> its HTML."""
    keys = dict.fromkeys((page.prefix, page.frame) for page in framed)
    return {key: (site_dir / key[0] / key[1] / "index.html").read_text("utf-8") for key in keys}


def _write(folder: Path, html: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(html, "utf-8")


def fill(frame: str, page: FramedPage, body: str, fallback_description: str) -> str:
    description = page_title(page.description) if page.description else fallback_description
    return (
        frame.replace(page.frame, page.path)
        .replace(SHELL_TITLE, page_title(page.title))
        .replace(SHELL_DESC, description)
        .replace(SHELL_BODY, body)
    )


def sitemap_with(
    site_dir: Path, site_url: str, pages: list[tuple[str, str]], listed: Iterable[str] = ()
) -> None:
    """MkDocs' sitemap lists the frames; it lists the framed pages instead. ``listed``: the
    framed pages it lists already, listed anew (the quick preview: order and dates)."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text("utf-8")
    base = urls.site_base(site_url) or "/"
    drop = {f"{base}{path}" for path in listed}

    def kept(block: re.Match) -> str:
        loc = block.group(1)
        return "" if f"/{SHELL}/" in loc or loc in drop else block.group(0)

    text = re.sub(r"\s*<url>\s*<loc>([^<]*)</loc>.*?</url>", kept, text, flags=re.S)
    entries = "".join(
        f"\n    <url>\n         <loc>{base}{path}</loc>"
        f"\n         <lastmod>{day}</lastmod>\n    </url>"
        for path, day in pages
    )
    text = text.replace("</urlset>", f"{entries}\n</urlset>")
    write_sitemap(site_dir, text)


def write_sitemap(site_dir: Path, text: str) -> None:
    """The sitemap, and packed beside it as MkDocs does."""
    (site_dir / "sitemap.xml").write_text(text, "utf-8")
    with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
        packed.write(text.encode("utf-8"))
