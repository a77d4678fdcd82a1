"""The quick preview: a saved entry shows in `mkdocs serve` without a whole new build.

`mkdocs serve` rebuilds everything after every save: at 5,000 entries many seconds. When
only entry files changed (the same files, saved anew), the preview instead checks those
files again (the others keep their check, place and coming days), makes the Directory and
every language's page plan again, and writes only the framed pages whose key
(site/reuse.py) changed: the entry's page, the lists it stands in, the pages of the places
it names. MkDocs' live reload then shows them. The open-data files follow in a thread.

Anything in doubt is a whole new build, as before: another file changed (a list,
mkdocs.yml, docs/, the region's own files), a file was added, removed or is now broken, a
new day began, a page appears or disappears, a page MkDocs draws (start page, overviews,
map …) would change, or anything fails. The preview of every language with its search
index (WEGWEISER_PREVIEW_LANGUAGES=all) always builds anew.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from wegweiser import exports, pipeline
from wegweiser.core.files import write_atomically
from wegweiser.core.findings import format_text
from wegweiser.core.validate import stored_layout
from wegweiser.mkdocs_adapter import Site, watched_files, watched_folder, with_sizes
from wegweiser.site import frames, reuse
from wegweiser.site.pages import language_plan
from wegweiser.site.render import Renderer, page_title

log = logging.getLogger("mkdocs.plugins.wegweiser")


class Exports:
    """Writes the open-data files of the newest preview in a thread, once no entry was
    saved for ``PAUSE`` seconds (a volunteer saving again and again is not slowed by
    them); a whole build waits for it (it empties the site folder)."""

    PAUSE = 2.0

    def __init__(self):
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._wanted: tuple | None = None
        self._since = 0.0
        self._running = False  # a thread takes what is wanted (changed under the lock only)

    def want(self, plan: list, site_dir: Path, data_pages: dict[Path, str]) -> None:
        with self._ready:
            self._wanted, self._since = (plan, site_dir, data_pages), time.monotonic()
            self._ready.notify_all()
            if not self._running:
                self._running = True
                self._thread = threading.Thread(target=self._run, daemon=True)
                self._thread.start()

    def _next(self) -> tuple | None:
        with self._ready:
            while self._wanted is not None and time.monotonic() - self._since < self.PAUSE:
                self._ready.wait(self.PAUSE - (time.monotonic() - self._since))
            wanted, self._wanted = self._wanted, None
            self._running = wanted is not None
            return wanted

    def _run(self) -> None:
        while (wanted := self._next()) is not None:
            plan, site_dir, data_pages = wanted
            try:
                written = exports.write_all(plan, site_dir)
                for page, html in data_pages.items():
                    write_atomically(page, with_sizes(html, written))
            except Exception as exc:  # the preview goes on; the next whole build writes them
                log.warning("Vorschau: offene Daten / preview: open data: %s", exc)

    def wait(self) -> None:
        """Until the files are written (at once, without the pause)."""
        with self._ready:
            self._since = 0.0
            self._ready.notify_all()
        thread = self._thread
        if thread is not None:
            thread.join()


def install(server, config: MkDocsConfig, current: Callable[[], Site | None]):
    """`mkdocs serve`: the entries folder is watched, and a save of entries only is shown
    by the quick preview; everything else by MkDocs' whole build."""
    server.watch(str(watched_folder(config)))
    whole = server.builder
    writer = Exports()

    def build() -> None:
        site = current()
        if site is None or not quickly(site, config, writer):
            writer.wait()
            whole()

    server.builder = build
    return server


def quickly(site: Site, config: MkDocsConfig, writer: Exports) -> bool:
    """The saved entries shown; False when a whole build must do it."""
    started = time.perf_counter()
    if not site.settings.preview or site.extras is None:
        return False
    now = watched_files(config, site.settings)
    changed = saved_entries(site.watched, now, site.settings.entries_dir)
    if not changed:
        return False
    try:
        written = _update(site, config, changed, writer)
    except Exception as exc:  # in doubt: the whole build, which names any problem itself
        log.info("Vorschau: alles neu / preview: whole build (%s)", exc)
        return False
    site.watched = now
    log.info(
        "Vorschau: %d Seite(n) neu in %.2f s / preview: %d page(s) updated",
        written,
        time.perf_counter() - started,
        written,
    )
    return True


def saved_entries(before: dict, now: dict, entries_dir: Path) -> set[Path]:
    """The entry files saved since ``before``; empty when anything else changed too (a
    file added or removed, a list, mkdocs.yml, docs/ …) or nothing did."""
    if before.keys() != now.keys():
        return set()
    changed = {Path(path) for path, state in now.items() if before[path] != state}
    if not changed or not all(_entry_file(path, entries_dir) for path in changed):
        return set()
    return changed


def _entry_file(path: Path, entries_dir: Path) -> bool:
    """A file ``validate.entry_files`` finds (the same rules, for one file)."""
    if not path.is_relative_to(entries_dir):
        return False
    return stored_layout([path.relative_to(entries_dir.parent).as_posix()])[0] != []


class Whole(Exception):
    """Why the quick preview leaves a save to the whole build."""


def _update(site: Site, config: MkDocsConfig, changed: set[Path], writer: Exports) -> int:
    """The preview after ``changed`` were saved: how many pages were written. Raises Whole
    when the whole build must do it (the site is then left to it)."""
    today = site.settings.env.build_date
    if today != site.settings.site.today:
        raise Whole("ein neuer Tag / a new day")
    before = site.result
    result = pipeline.relocated(before, changed, site.settings.geocoding, today)
    if result.directory.entries.keys() != before.directory.entries.keys():
        raise Whole("andere Einträge gültig / other entries valid")
    _say(result, changed, site)
    export_plan = exports.planned(result.directory, site.exports)
    if [item.uri for item in export_plan] != [item.uri for item in site.export_plan]:
        raise Whole("andere Dateien der offenen Daten / other open-data files")
    renderers = {lang: _renderer(old, result.directory) for lang, old in site.renderers.items()}
    site.result, site.renderers, site.export_plan = result, renderers, export_plan
    site.json_ld.clear()
    site.extras = dataclasses.replace(site.extras, export_plan=export_plan)
    plans = [language_plan(renderer, site.extras) for renderer in renderers.values()]
    if changed_page := next(
        (
            p.source
            for plan in plans
            for p in plan.pages
            if site.drawn.get(p.source) != p.make_html()
        ),
        None,
    ):
        raise Whole(f"{changed_page} ändert sich / changes")
    framed = [page for plan in plans for page in plan.framed]
    written = _write_changed(site, config, framed)
    writer.want(export_plan, Path(config.site_dir), dict(site.data_pages))
    return written


def _renderer(old: Renderer, directory) -> Renderer:
    """A renderer of the new Directory, with the old one's templates and the list cards of
    the entries that stayed the same (the same objects: a card shows its entry alone)."""
    new = Renderer(directory, old.settings, old.lang, old.env)
    kept = {id(entry) for entry in old.directory.entries.values()}
    same = {e.slug for e in directory.entries.values() if id(e) in kept}
    new.keep_cards(old, same)
    return new


def _say(result, changed: set[Path], site: Site) -> None:
    """The findings of the saved files, as the whole build would log them."""
    shown = {path.relative_to(site.settings.root).as_posix() for path in changed}
    for finding in result.findings:
        if finding.path in shown:
            (log.error if finding.is_error else log.info)(format_text(finding, site.settings.lang))


def _write_changed(site: Site, config: MkDocsConfig, framed: list) -> int:
    """The framed pages whose body, title, description or date changed, written. Raises
    Whole when the set of pages is not the same."""
    old = {(page.prefix, page.path): page for page in site.framed}
    new = {(page.prefix, page.path): page for page in framed}
    if old.keys() != new.keys():
        raise Whole("andere Seiten / other pages")
    todo = [page for where, page in new.items() if _differs(old[where], page)]
    site_dir = Path(config.site_dir)
    fallback = page_title(config.site_description or "")
    bodies = reuse.Bodies(site.cache, site.scope)
    for page, body in bodies.each(todo):
        html = frames.fill(site.frame_html[page.prefix, page.frame], page, body, fallback)
        _replace(site_dir / page.prefix / page.path / "index.html", html)
    site.cache.close()
    listed = [(page.prefix + page.path, page.lastmod) for page in site.framed]
    now = [(page.prefix + page.path, page.lastmod) for page in framed]
    if listed != now:  # a date (the Stand) or the order (a name) changed
        frames.sitemap_with(site_dir, site.settings.site_url, now, [path for path, _ in listed])
    site.framed = framed
    return len(todo)


def _replace(path: Path, html: str) -> None:
    """A page of the served preview replaced whole: never read half-written (no flush to
    disk: the preview's folder is a temporary one)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(html, "utf-8")
    os.replace(temporary, path)


def _differs(old: frames.FramedPage, new: frames.FramedPage) -> bool:
    if not new.key or new.key != old.key:
        return True
    return (old.frame, old.title, old.description, old.lastmod) != (
        new.frame,
        new.title,
        new.description,
        new.lastmod,
    )
