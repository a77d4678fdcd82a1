"""Search index with Pagefind: chunked, so a visitor downloads only what a query needs.

Material's built-in search loads one index for the whole site, and its query side
does not stem what the visitor types, so a stemmed German index misses full words
("Beratung" finds nothing). Pagefind stems by the page's language on both sides.

Pagefind holds everything it indexes in memory until it writes the bundle (measured:
20,000 German entry pages peak at 1.06 GB, 5,000 at about 300 MB). So the index is made
in parts, one Pagefind run after the other: one bundle per interface language (a visitor
of /ar/suche/ searches Arabic pages only), and a language with more than ``PART_SIZE``
entries in several bundles by category, which its search page merges (Pagefind's
``mergeIndex``). A search for one category then loads the bundles of that category only:
what a first filtered query downloads follows the category's size, not the site's.
``plan`` decides the parts from the languages, slugs and categories alone, so the search
page (which names its bundles and their categories) and the index runs agree.

Besides its text, an entry page tells the index its filter values (``filter_values``: the
ids of its category, municipality, languages, topics and audiences, and whether it is free,
needs no appointment, has wheelchair access) and the keywords its category and topics have
in the page's language (``keywords``, from entries/_lists).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from wegweiser import urls
from wegweiser.core import parallel
from wegweiser.core.lists import Lists
from wegweiser.core.model import Entry

# Entries per Pagefind run. Memory follows the indexed content, about 55 KB per entry page
# (measured: 20,000 pages 1.06 GB): 8,000 keep a run near 450 MB, beside the build itself.
PART_SIZE = 8_000
PART_SIZE_VARIABLE = "WEGWEISER_SEARCH_PART_SIZE"  # another part size, for tests
# Every entry page holds this word, hidden, first in what Pagefind reads (render.search_marks
# puts it there); a search with filters and no term searches for it. For an empty term,
# Pagefind 1.5 loads every chunk of the word index (its loose match of "" fits every chunk:
# 843 KB gzip at 5,000 entries); for this word, the one chunk that holds it.
EVERY_PAGE_WORD = "wwqx"


class SearchIndexError(Exception):
    pass


def filter_values(entry: Entry) -> list[tuple[str, str]]:
    """(filter, value) of every filter the entry's page is found by: urls.FILTERS with the
    ids of its terms, urls.FLAGS with FLAG_VALUE where the flag holds. "Wheelchair" is only
    full access (``yes``), not ``limited``."""
    keys = urls.FILTERS
    values = [(keys["categories"], entry.category)]
    if entry.municipality is not None:
        values.append((keys["municipalities"], entry.municipality.id))
    values += [(keys["languages"], code) for code, _note in entry.spoken]
    values += [(keys["topics"], topic) for topic in entry.get("topics", ())]
    values += [(keys["audiences"], audience) for audience in entry.get("audiences", ())]
    flags = {
        "free": (entry.get("cost") or {}).get("fee") == "free",
        "walk_in": (entry.get("appointment") or {}).get("need") == "not_needed",
        "wheelchair": (entry.get("accessibility") or {}).get("wheelchair") == "yes",
    }
    values += [(urls.FLAGS[flag], urls.FLAG_VALUE) for flag, holds in flags.items() if holds]
    return values


def keywords(entry: Entry, lists: Lists, lang: str) -> list[str]:
    """The keywords in ``lang`` of the entry's category and topics, each once, in order:
    so "طبيب" on the Arabic search finds a German-only entry of the topic "gesundheit"."""
    terms = [lists["categories"].get(entry.category)]
    terms += [lists["topics"].get(topic) for topic in entry.get("topics", ())]
    words = [
        word
        for term in terms
        if term is not None
        for word in (term.data.get("keywords") or {}).get(lang, ())
    ]
    return list(dict.fromkeys(words))


@dataclass(frozen=True)
class Part:
    """One Pagefind run: the entry pages of one language, all of them or those of ``slugs``."""

    lang: str
    tree: str  # where the language's pages live: "" (the default) or "ar/"
    number: int  # 1, 2, … within the language
    slugs: tuple[str, ...]  # its entries, sorted; () = every entry of the language
    pages: int
    categories: tuple[str, ...] = ()  # the only categories of its pages; () = any

    @property
    def bundle(self) -> str:
        """The bundle's folder from the site's root: "pagefind/", "ar/pagefind-2/"."""
        return urls.search_bundle(self.tree, self.number)

    @property
    def glob(self) -> str:
        """Pagefind's --glob for the part's pages, relative to the folder it reads (the site,
        or for a part of some entries a folder of their pages alone: ``build_index``). Only
        entry pages carry data-pagefind-body; reading nothing else saves time and memory.
        "*/index.html": an entry's own page, not the lists of its relations (x/mitglieder/)."""
        return f"{self.tree}{urls.ENTRY_DIR}/*/index.html"


def part_size() -> int:
    """``PART_SIZE``, or a positive number from WEGWEISER_SEARCH_PART_SIZE (for tests)."""
    try:
        size = int(os.environ.get(PART_SIZE_VARIABLE) or PART_SIZE)
    except ValueError:
        return PART_SIZE
    return size if size > 0 else PART_SIZE


def plan(
    trees: Mapping[str, str],
    entries: Mapping[str, Entry] | Iterable[tuple[str, str]],
    size: int | None = None,
) -> list[Part]:
    """The parts of the index: for each language (code -> tree, "" or "ar/") the same groups
    of entries (``entries``: slug -> Entry, or (slug, category) pairs), in the same order.

    Every slug is in exactly one group of a language; the same input gives the same parts.
    """
    pairs = (
        [(slug, entry.category) for slug, entry in entries.items()]
        if isinstance(entries, Mapping)
        else list(entries)
    )
    groups = category_groups(pairs, size or part_size())
    return [
        Part(lang, tree, number, slugs, pages, categories)
        for lang, tree in trees.items()
        for number, (slugs, pages, categories) in enumerate(groups, start=1)
    ]


def category_groups(
    pairs: Iterable[tuple[str, str]], size: int
) -> list[tuple[tuple[str, ...], int, tuple[str, ...]]]:
    """(slugs, count, categories) of each group: one group of all (slugs ()) up to ``size``
    entries; beyond, groups by category, so a search for one category loads its pages only.

    A category of more than ``size`` entries is cut into nearly equal groups of its own
    (by slug); one of more than half of ``size`` has a group of its own; the smaller ones
    share groups of up to half of ``size`` (largest first, each into the first group with
    room). A search without a category asks every group: their number stays near
    2 × entries / ``size``.
    """
    by_category: dict[str, list[str]] = {}
    for slug, category in sorted(set(pairs)):
        by_category.setdefault(category, []).append(slug)
    total = sum(len(slugs) for slugs in by_category.values())
    if total == 0:  # a new region without entries: no index, the search page says so
        return []
    if total <= size:
        return [((), total, ())]
    half = max(1, size // 2)
    groups: list[tuple[list[str], list[str]]] = []  # (slugs, categories)
    shared: list[tuple[list[str], list[str]]] = []  # the groups small categories share
    for category, slugs in sorted(by_category.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(slugs) > half:
            count = -(-len(slugs) // size)
            groups += [(list(part), [category]) for part in parallel.shares(slugs, count)]
            continue
        room = next((g for g in shared if len(g[0]) + len(slugs) <= half), None)
        if room is None:
            room = ([], [])
            shared.append(room)
            groups.append(room)
        room[0].extend(slugs)
        room[1].append(category)
    return [(tuple(sorted(slugs)), len(slugs), tuple(cats)) for slugs, cats in groups]


# Beside the built pages, while the build runs: each entry page's content alone in a page
# of its own (``source_page``), which is all Pagefind reads of it. The bundles are the same
# byte for byte, and Pagefind, spared the theme around each page, takes a third less time.
SOURCES = ".wegweiser-suchquellen"


def source_page(lang: str, body: str) -> str:
    """What Pagefind reads of an entry page: its language and its content."""
    return f'<html lang="{lang}"><body>{body}</body></html>'


# A part of some entries is read from a folder of their pages alone, made of hard links
# in the site's folder (no copies) and removed after its run: Pagefind's --glob selects by path,
# and a category's slugs have no common pattern (listing thousands would outgrow an argument).
PART_FOLDER = ".wegweiser-suchteil"
# Parts are indexed side by side, one per core, while their pages together stay within
# this many: Pagefind's memory grows with the pages of a run (about 390 MB for 8,000).
PAGES_AT_ONCE = 10_000
TIMEOUT = 1800  # seconds one part may take


class _Run:
    """One part's Pagefind run, started."""

    def __init__(self, site_dir: Path, part: Part, sources: Path | None):
        self.part = part
        pages = sources or site_dir
        self.folder = pages
        if part.slugs:
            where = site_dir / PART_FOLDER / f"{part.lang}-{part.number}"
            self.folder = _part_folder(pages, where, part)
        command = [sys.executable, "-m", "pagefind", "--site", str(self.folder), "--quiet"]
        command += ["--glob", part.glob, "--output-path", str(site_dir / part.bundle)]
        self.output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close(), after the run)
        self.started = time.monotonic()
        try:
            self.process = subprocess.Popen(command, stdout=self.output, stderr=subprocess.STDOUT)
        except OSError as exc:
            self.close()
            raise SearchIndexError(str(exc)) from None

    def done(self) -> bool:
        if self.process.poll() is None and time.monotonic() - self.started > TIMEOUT:
            self.process.kill()
            self.process.wait()
        return self.process.poll() is not None

    def error(self) -> str:
        """ "" when the run succeeded, else what Pagefind said (its end)."""
        self.output.seek(0)
        said = self.output.read().decode("utf-8", "replace").strip()
        if self.process.returncode == 0:
            return ""
        return said[-2000:] or f"pagefind: exit {self.process.returncode}"

    def close(self) -> None:
        self.output.close()
        if self.part.slugs:
            shutil.rmtree(self.folder, ignore_errors=True)


def build_index(site_dir: Path, part: Part, sources: Path | None = None) -> None:
    """Index one part: the element marked ``data-pagefind-body`` of each of its pages, read
    from ``sources`` (pages made by ``source_page``) or else from the built site."""
    for _part, error in build_indexes(site_dir, [part], sources):
        raise SearchIndexError(error)


def _part_folder(pages: Path, folder: Path, part: Part) -> Path:
    """``folder``, holding the part's entry pages from ``pages`` at their paths, linked."""
    shutil.rmtree(folder, ignore_errors=True)
    entries = f"{part.tree}{urls.ENTRY_DIR}"
    try:
        for slug in part.slugs:
            source = pages / entries / slug / "index.html"
            target = folder / entries / slug / "index.html"
            target.parent.mkdir(parents=True)
            try:
                os.link(source, target)
            except OSError:  # another disk, or links not allowed: a copy
                shutil.copyfile(source, target)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise SearchIndexError(f"{folder}: {exc}") from None
    return folder


_CATEGORY = re.compile(rf'data-pagefind-filter="{urls.FILTERS["categories"]}:([^"]*)"')


def index_built_site(site_dir: Path) -> list[tuple[Part, str]]:
    """The index step alone over a site built before (benchmarks): the languages, slugs and
    categories from the pages the build wrote. Returns (part, error message) for failed
    parts."""
    pairs = []
    for path in (site_dir / urls.ENTRY_DIR).iterdir():
        page = path / "index.html"
        if page.is_file() and (found := _CATEGORY.search(page.read_text("utf-8"))):
            pairs.append((path.name, html.unescape(found.group(1))))
    trees = {"": ""} | {
        path.parent.name: f"{path.parent.name}/"
        for path in sorted(site_dir.glob(f"*/{urls.ENTRY_DIR}"))
        if path.is_dir()
    }
    return list(build_indexes(site_dir, plan(trees, pairs)))


def build_indexes(
    site_dir: Path, parts: Iterable[Part], sources: Path | None = None
) -> Iterator[tuple[Part, str]]:
    """Every part, one run per core at a time while their pages stay within
    PAGES_AT_ONCE (a part larger than that runs alone). Yields (part, error message) for
    each part that failed; the others are still made."""
    waiting, running = list(parts), []
    try:
        while waiting or running:
            while waiting and _room(running, waiting[0]):
                part = waiting.pop(0)
                try:
                    running.append(_Run(site_dir, part, sources))
                except SearchIndexError as exc:
                    yield part, str(exc)
            finished = [run for run in running if run.done()]
            if not finished:
                time.sleep(0.05)
            for run in finished:
                running.remove(run)
                error = run.error()
                run.close()
                if error:
                    yield run.part, error
    finally:
        for run in running:
            run.process.kill()
            run.process.wait()
            run.close()
        shutil.rmtree(site_dir / PART_FOLDER, ignore_errors=True)


def _room(running: list[_Run], part: Part) -> bool:
    if not running:
        return True
    in_flight = sum(run.part.pages for run in running)
    return len(running) < parallel.cores() and in_flight + part.pages <= PAGES_AT_ONCE
