"""Search index with Pagefind: chunked, so a visitor downloads only what a query needs.

Material's built-in search loads one index for the whole site, and its query side
does not stem what the visitor types, so a stemmed German index misses full words
("Beratung" finds nothing). Pagefind stems by the page's language on both sides.

Pagefind holds everything it indexes in memory until it writes the bundle (measured:
20,000 German entry pages peak at 1.06 GB, 5,000 at about 300 MB). So the index is made
in parts, one Pagefind run after the other: one bundle per interface language (a visitor
of /ar/suche/ searches Arabic pages only), and a language with more than ``PART_SIZE``
entries in several bundles by slug, which its search page merges (PagefindUI's
``mergeIndex``). ``plan`` decides the parts from the languages and slugs alone, so the
search page (which names its bundles) and the index runs agree.

Besides its text, an entry page tells the index its filter values (``filter_values``: the
ids of its category, municipality, languages, topics and audiences, and whether it is free,
needs no appointment, has wheelchair access) and the keywords its category and topics have
in the page's language (``keywords``, from entries/_lists).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from wegweiser import urls
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
    """One Pagefind run: the entry pages of one language whose slugs match ``patterns``."""

    lang: str
    tree: str  # where the language's pages live: "" (the default) or "ar/"
    number: int  # 1, 2, … within the language
    patterns: tuple[str, ...]  # "fa*" = slugs beginning with "fa", "ab" = that slug; () = all
    pages: int
    categories: tuple[str, ...] = ()  # the only categories of its pages; () = any

    @property
    def bundle(self) -> str:
        """The bundle's folder from the site's root: "pagefind/", "ar/pagefind-2/"."""
        return urls.search_bundle(self.tree, self.number)

    @property
    def glob(self) -> str:
        """Pagefind's --glob for the part's pages, relative to the site. Only entry pages
        carry data-pagefind-body; reading nothing else saves Pagefind time and memory.
        "*/index.html": an entry's own page, not the lists of its relations (x/mitglieder/)."""
        pages = f"{self.tree}{urls.ENTRY_DIR}"
        if not self.patterns:
            return f"{pages}/*/index.html"
        return f"{pages}/{{{','.join(self.patterns)}}}/index.html"


def part_size() -> int:
    """``PART_SIZE``, or a positive number from WEGWEISER_SEARCH_PART_SIZE (for tests)."""
    try:
        size = int(os.environ.get(PART_SIZE_VARIABLE) or PART_SIZE)
    except ValueError:
        return PART_SIZE
    return size if size > 0 else PART_SIZE


def plan(trees: Mapping[str, str], slugs: Iterable[str], size: int | None = None) -> list[Part]:
    """The parts of the index: for each language (code -> tree, "" or "ar/") the same slug
    groups, in order, each of about the same number of entries and at most about ``size``.

    Every slug is in exactly one group of a language; the same input gives the same parts.
    """
    groups = slug_groups(slugs, size or part_size())
    return [
        Part(lang, tree, number, patterns, pages)
        for lang, tree in trees.items()
        for number, (patterns, pages) in enumerate(groups, start=1)
    ]


def slug_groups(slugs: Iterable[str], size: int) -> list[tuple[tuple[str, ...], int]]:
    """Sorted slugs cut into ceil(n / size) contiguous groups of nearly equal count, each
    given as short patterns: prefixes, or a whole slug where other slugs begin with it.

    A cut may move by up to a sixteenth of a group from the exact share, to where the
    slugs on both sides differ earliest: fewer, shorter patterns.
    """
    ordered = sorted(set(slugs))
    total = len(ordered)
    count = -(-total // size)
    if total == 0:  # a new region without entries: no index, the search page says so
        return []
    if count <= 1:
        return [((), total)]
    slack = int(total / count / 16)
    cuts = [0]
    for k in range(1, count):
        ideal = round(k * total / count)
        window = range(max(cuts[-1] + 1, ideal - slack), min(total - 1, ideal + slack) + 1)
        cuts.append(
            min(window, key=lambda c: (_shared(ordered[c - 1], ordered[c]), abs(c - ideal), c))
        )
    cuts.append(total)
    owner = [k for k in range(count) for _ in range(cuts[k], cuts[k + 1])]
    patterns: list[list[str]] = [[] for _ in range(count)]
    _cover(ordered, owner, 0, total, "", patterns)
    return [(tuple(patterns[k]), cuts[k + 1] - cuts[k]) for k in range(count)]


def _shared(a: str, b: str) -> int:
    """How many letters two slugs share at their start."""
    return len(os.path.commonprefix([a, b]))


def _cover(
    ordered: list[str], owner: list[int], lo: int, hi: int, prefix: str, out: list[list[str]]
) -> None:
    """Patterns for ``ordered[lo:hi]`` (all beginning with ``prefix``), each added to the
    group that owns it: the prefix itself when one group owns them all, else per next letter."""
    if owner[lo] == owner[hi - 1]:  # groups are contiguous: one group owns the whole range
        out[owner[lo]].append(f"{prefix}*")
        return
    if ordered[lo] == prefix:  # a whole slug that others begin with: "ab" before "ab-c"
        out[owner[lo]].append(prefix)
        lo += 1
    depth = len(prefix)
    while lo < hi:
        letter = ordered[lo][depth]
        end = lo + 1
        while end < hi and ordered[end][depth] == letter:
            end += 1
        _cover(ordered, owner, lo, end, prefix + letter, out)
        lo = end


# Beside the built pages, while the build runs: each entry page's content alone in a page
# of its own (``source_page``), which is all Pagefind reads of it. The bundles are the same
# byte for byte, and Pagefind, spared the theme around each page, takes a third less time.
SOURCES = ".wegweiser-suchquellen"


def source_page(lang: str, body: str) -> str:
    """What Pagefind reads of an entry page: its language and its content."""
    return f'<html lang="{lang}"><body>{body}</body></html>'


def build_index(site_dir: Path, part: Part, sources: Path | None = None) -> str:
    """Index one part: the element marked ``data-pagefind-body`` of each of its pages, read
    from ``sources`` (pages made by ``source_page``) or else from the built site."""
    command = [sys.executable, "-m", "pagefind", "--site", str(sources or site_dir), "--quiet"]
    command += ["--glob", part.glob, "--output-path", str(site_dir / part.bundle)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(str(exc)) from None
    if result.returncode != 0:
        raise SearchIndexError((result.stderr or result.stdout).strip()[-2000:])
    return result.stdout


def index_built_site(site_dir: Path) -> list[tuple[Part, str]]:
    """The index step alone over a site built before (benchmarks): the languages and slugs
    from the folders the build wrote. Returns (part, error message) for failed parts."""
    slugs = [path.name for path in (site_dir / urls.ENTRY_DIR).iterdir() if path.is_dir()]
    trees = {"": ""} | {
        path.parent.name: f"{path.parent.name}/"
        for path in sorted(site_dir.glob(f"*/{urls.ENTRY_DIR}"))
        if path.is_dir()
    }
    return list(build_indexes(site_dir, plan(trees, slugs)))


def build_indexes(
    site_dir: Path, parts: Iterable[Part], sources: Path | None = None
) -> Iterator[tuple[Part, str]]:
    """Every part, one run after the other (peak memory is that of the largest part).
    Yields (part, error message) for each part that failed; the others are still made."""
    for part in parts:
        try:
            build_index(site_dir, part, sources)
        except SearchIndexError as exc:
            yield part, str(exc)
