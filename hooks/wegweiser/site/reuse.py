"""Reusing what an earlier build made (the build cache, core/buildcache.py).

A framed page's body (frames.write) is kept under a key made of the build's scope (engine,
lists, settings, templates, words, the day: ``scope``) and of everything the body shows
that the scope does not hold (``PageKeys``): the entry's own file and place, and those of
every place it names or lists, the list's page, its length and its places. What a key
leaves out can never change a body, so a body found by its key is the body a build would
make now. Where that cannot be told (an entry not read from a file; a region's own
templates, which may show anything of the Directory) every key holds the whole Directory,
so only an unchanged Directory reuses pages.

A search bundle (site/search.py: one Pagefind run per part) is kept under the hash of the
pages Pagefind reads for it, so a part whose pages did not change is not indexed again.
"""

from __future__ import annotations

import functools
import io
import pickle
import re
import shutil
import tarfile
import weakref
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from wegweiser import urls
from wegweiser.core.buildcache import Store, digest
from wegweiser.core.model import Entry
from wegweiser.site import paging
from wegweiser.site.linkcheck import Links
from wegweiser.site.render import Renderer

BODY = "body"  # kinds of values in the store
BUNDLE = "bundle"
LINKS = "links"  # the links of a kept body (linkcheck.Links.page_links)
BATCH = 500  # bodies fetched from the store at a time (memory stays small)
PACKING = 3  # zlib level of a kept body: a quarter of the size, fast both ways


_PRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # entry -> (place, print)


def fingerprint(entry: Entry) -> str:
    """What an entry's file says and where it stands; "" when it was not read from a file.
    Made once per entry and place (every language's keys name it many times)."""
    known = _PRINTS.get(entry)
    if known is not None and known[0] is entry.place:
        return known[1]
    made = f"{entry.digest}|{entry.source}|{entry.place!r}" if entry.digest else ""
    _PRINTS[entry] = (entry.place, made)
    return made


def scope(store: Store, parts: Mapping[str, object]) -> str:
    """The key of everything every page of a build depends on: the engine, then ``parts``
    (settings, lists, the region's files, the day …), by name."""
    return digest(
        "pages", store.engine, *(f"{name}={value}" for name, value in sorted(parts.items()))
    )


class PageKeys:
    """The keys of one language's framed pages: each what its body shows beyond the scope.
    "" = no key, the page is always made anew."""

    def __init__(self, renderer: Renderer):
        self.renderer = renderer
        self.directory = renderer.directory

    @functools.cached_property
    def whole(self) -> str:
        """The whole Directory, in every key where a region's templates could show it."""
        if not self.renderer.settings.templates:
            return ""
        prints = [fingerprint(entry) for entry in self.directory.entries.values()]
        return "" if "" in prints else digest("whole", *prints)

    @functools.cached_property
    def _filled(self) -> str:
        return digest(repr(self.renderer.filled))

    def _key(self, *parts: object, places: Iterable[Entry] = ()) -> str:
        prints = [fingerprint(entry) for entry in places]
        if "" in prints or (self.renderer.settings.templates and not self.whole):
            return ""
        return digest(self.whole, *parts, *prints)

    def entry(self, entry: Entry) -> str:
        """An entry page: the entry, the places it names, every place of its relations."""
        renderer, named = self.renderer, []
        for key in ("part_of", "coordinated_by"):
            named.append(self.directory.entries.get(entry.get(key)))
        related = [renderer.related(entry, relation) for relation in urls.RELATION_PAGES]
        counts = [len(places) for places in related]
        shown = [e for e in named if e is not None] + [e for places in related for e in places]
        return self._key("entry", [e is not None for e in named], counts, places=[entry, *shown])

    def relation(self, entry: Entry, relation: str, page: int) -> str:
        """A page of an entry's relation list: the entry, the places the page shows and how
        many the list has in all."""
        places = self.renderer.related(entry, relation)
        shown = paging.Paging(page, len(places), self.renderer.settings.page_size)
        page_places = places[shown.start : shown.stop]
        return self._key("relation", relation, page, len(places), places=[entry, *page_places])

    def term(self, list_name: str, term_id: str, page: int) -> str:
        """A page of a term's list: the places it shows, how many the list has in all and
        which terms have places (the list's filters offer only those)."""
        places = self.directory.index(list_name).get(term_id, [])
        shown = paging.Paging(page, len(places), self.renderer.settings.page_size)
        return self._key(
            "term",
            list_name,
            term_id,
            page,
            len(places),
            self._filled,
            places=places[shown.start : shown.stop],
        )


class Bodies:
    """Framed pages' bodies from the store, and the new ones kept in it."""

    def __init__(self, store: Store, scope_key: str):
        self.store = store
        self.scope = scope_key
        self.made = 0  # bodies made in this process (not taken from the store)

    def key(self, page) -> str | None:
        if not (page.key and self.store.on):
            return None
        return digest(self.scope, page.prefix, page.path, page.key)

    def prepare(self, pages: Sequence) -> None:
        """Before the pages are written (on every core): this build uses their bodies."""
        keys = [key for page in pages if (key := self.key(page))]
        self.store.touch(BODY, keys)
        self.store.touch(LINKS, keys)

    def each(self, pages: Sequence, links: Links | None = None) -> Iterable[tuple[object, str]]:
        """(page, body) for ``pages``: from the store where it has the body, else made and
        kept; each page's links join ``links`` (kept with the body: a kept body's links are
        not looked for again). Runs in forked children too (each with its own connection)."""
        for start in range(0, len(pages), BATCH):
            batch = pages[start : start + BATCH]
            keys = [self.key(page) for page in batch]
            wanted = [k for k in keys if k]
            found = self.store.get_many(BODY, wanted, mark=False)
            found_links = self.store.get_many(LINKS, wanted, mark=False) if links else {}
            for page, key in zip(batch, keys, strict=True):
                body = _unpacked(found.get(key)) if key else None
                if body is None:
                    body = page.body()
                    self.made += 1
                    if key:
                        self.store.put(BODY, key, zlib.compress(body.encode("utf-8"), PACKING))
                    found_links.pop(key, None)  # made anew: its links looked for anew
                if links is not None:
                    self._links(links, page, key, body, found_links.get(key))
                yield page, body
        self.store.flush()

    def _links(self, links: Links, page, key: str | None, body: str, kept: bytes | None) -> None:
        path = page.prefix + page.path
        try:
            found = pickle.loads(zlib.decompress(kept)) if kept is not None else None
        except Exception:  # a value the cache cannot give back: looked for again
            found = None
        if found is None:
            found = links.page_links(path, body)
            if key:
                packed = zlib.compress(pickle.dumps(found, pickle.HIGHEST_PROTOCOL), PACKING)
                self.store.put(LINKS, key, packed)
        links.add_found(path, found)


def _unpacked(value: bytes | None) -> str | None:
    """A stored body; None when there is none or it cannot be read (then it is made)."""
    if value is None:
        return None
    try:
        return zlib.decompress(value).decode("utf-8")
    except (zlib.error, UnicodeDecodeError):
        return None


# -- search bundles ---------------------------------------------------------------------------


def glob_pattern(glob: str) -> re.Pattern:
    """Pagefind's --glob as a regular expression over paths: "*" within one folder,
    "{a,b}" either."""
    out, depth = [], 0
    for char in glob:
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "{":
            out.append("(?:")
            depth += 1
        elif char == "}" and depth:
            out.append(")")
            depth -= 1
        elif char == "," and depth:
            out.append("|")
        else:
            out.append(re.escape(char))
    return re.compile("".join(out) + r"\Z")


def part_pages(part, pages: Sequence[str]) -> list[str]:
    """The pages (of ``pages``, paths below the search sources) Pagefind reads for ``part``:
    those its --glob matches, and of a part that names its entries (``slugs``) only theirs."""
    pattern = glob_pattern(part.glob)
    read = [path for path in pages if pattern.match(path)]
    if slugs := set(getattr(part, "slugs", ()) or ()):
        read = [path for path in read if path.rsplit("/", 2)[-2] in slugs]
    return read


def bundle_key(store: Store, part, sources: Path, pages: Sequence[str]) -> str:
    """A search part's key: the engine (Pagefind's version with it), the part (its pages,
    its bundle's folder) and every page Pagefind reads for it, by path and content."""
    read = part_pages(part, pages)
    contents = (x for path in read for x in (path, (sources / path).read_bytes()))
    return digest(BUNDLE, store.engine, repr(part), *contents)


def bundle_key_of(store: Store, part, page_keys: Mapping[str, str]) -> str:
    """A search part's key from the keys of the pages it reads (path -> ``Bodies.key``),
    known before any page is written: a page's key holds all that its body shows."""
    read = part_pages(part, sorted(page_keys))
    return digest(
        BUNDLE, "pages", store.engine, repr(part), *(x for p in read for x in (p, page_keys[p]))
    )


def source_paths(sources: Path) -> list[str]:
    """Every page under the search sources, relative to them, in a fixed order."""
    return sorted(p.relative_to(sources).as_posix() for p in sources.rglob("index.html"))


def restore_bundle(store: Store, key: str, target: Path) -> bool:
    """The bundle kept under ``key`` unpacked at ``target``; False when there is none or it
    cannot be read (then the part is indexed again)."""
    packed = store.get(BUNDLE, key)
    if packed is None:
        return False
    shutil.rmtree(target, ignore_errors=True)
    try:
        with tarfile.open(fileobj=io.BytesIO(packed)) as archive:
            archive.extractall(target, filter="data")
    except (tarfile.TarError, OSError, ValueError):
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def keep_bundle(store: Store, key: str, folder: Path) -> None:
    """A bundle Pagefind wrote, kept in the store (files in a fixed order)."""
    if not store.on or not folder.is_dir():
        return
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = archive.gettarinfo(str(path), path.relative_to(folder).as_posix())
                info.mtime, info.uid, info.gid, info.uname, info.gname = 0, 0, 0, "", ""
                with path.open("rb") as handle:
                    archive.addfile(info, handle)
    store.put(BUNDLE, key, buffer.getvalue())
    store.flush()
