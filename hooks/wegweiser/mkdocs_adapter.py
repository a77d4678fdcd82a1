"""The MkDocs face: the only module that knows MkDocs types.

It reads the settings from MkDocs' config, takes the Directory from the pipeline, and turns
each language's page plan (site.pages) into MkDocs files. Generated pages carry ready HTML
(``ReadyPage``): MkDocs skips Markdown for them and only wraps the content in the theme.
That keeps entry text away from Markdown extensions and saves the conversion time of
thousands of pages.
"""

from __future__ import annotations

import functools
import json
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import markupsafe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from wegweiser import exports, pipeline, settings, urls
from wegweiser.core import buildcache, parallel
from wegweiser.core.files import snapshot
from wegweiser.core.findings import format_text
from wegweiser.core.lists import LISTS_DIR
from wegweiser.core.validate import Result, entry_schema
from wegweiser.site import drafts, frames, legal, linkcheck, overrides, reuse, search, vendor
from wegweiser.site.pages import (
    Extras,
    PlannedPage,
    configured_nav,
    hand_written,
    language_plan,
    nav,
    page_meta,
)
from wegweiser.site.render import Renderer, environment, file_size, page_title

log = logging.getLogger("mkdocs.plugins.wegweiser")


class ReadyPage(Page):
    """A page whose HTML Wegweiser makes; ``make_html`` runs when MkDocs renders it."""

    def __init__(
        self,
        title: str,
        file: File,
        config: MkDocsConfig,
        make_html: Callable[[], str],
        description: str = "",
        meta: dict | None = None,
    ):
        super().__init__(page_title(title), file, config)
        self._make_html = make_html
        self._meta = {"title": page_title(title), **(meta or {})}
        if description:
            self._meta["description"] = page_title(description)

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = dict(self._meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = _made(self._make_html)
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


@dataclass(frozen=True)
class HandPage:
    """A hand-written page (docs/) in one interface language's tree."""

    lang: str
    path: str  # in the language's tree: "impressum/"
    german: bool  # the German original, standing in for a missing translation


@dataclass
class Site:
    settings: settings.Settings
    result: Result
    renderers: dict[str, Renderer]  # one per interface language, the default first
    json_ld: dict[str, str] = field(default_factory=dict)  # per entry, for all languages
    exports_job: parallel.Background | None = None  # the export files, being written
    export_plan: list = field(default_factory=list)  # the export files, for the Daten pages
    framed: list[frames.FramedPage] = field(default_factory=list)  # filled in after the build
    links: linkcheck.Links = field(default_factory=linkcheck.Links)  # checked at the end
    hand: dict[str, HandPage] = field(default_factory=dict)  # by MkDocs' name: "ar/impressum.md"
    extras: Extras | None = None  # what every language's pages share
    cache: buildcache.Store = field(default_factory=lambda: buildcache.Store(None, "-"))
    scope: str = ""  # the key of what every page depends on (reuse.scope)
    search_todo: dict | None = None  # search parts not from the cache -> key; None: not known
    # What the quick preview (livepreview.py) compares and fills after a saved entry:
    drawn: dict[str, str] = field(default_factory=dict)  # MkDocs' name -> the HTML we gave
    frame_html: dict[tuple[str, str], str] = field(default_factory=dict)  # frames.read_frames
    data_pages: dict[Path, str] = field(default_factory=dict)  # Daten pages before the sizes
    watched: dict = field(default_factory=dict)  # the watched files when the build began

    @property
    def exports(self) -> exports.ExportSettings:
        return self.settings.exports

    @functools.cached_property
    def frame_examples(self) -> dict[str, frames.FramedPage]:
        """Each frame's address -> a page filled into it (all pages are planned by now)."""
        return frames.examples(self.framed)


def register_assets(config: MkDocsConfig) -> None:
    """The site's own style and search loader, served by the site (no third party)."""
    for uri in urls.ASSETS:
        if uri == urls.SERVICE_WORKER or not uri.endswith((".css", ".js")):
            continue  # the service worker is loaded by wegweiser-offline.js; icons by <use>
        target = config.extra_css if uri.endswith(".css") else config.extra_javascript
        if uri not in [str(item) for item in target]:
            target.append(uri)


def register_theme(config: MkDocsConfig) -> None:
    """Our theme parts (site/theme/: main.html, partials) before Material's own, and a
    region's own (overrides/theme/) before ours; ``theme.custom_dir`` still comes first."""
    dirs = config.theme.dirs
    start = 1 if config.theme.custom_dir else 0
    engine = str(resources.files("wegweiser.site").joinpath("theme"))
    region = overrides.theme_dir(Path(config.config_file_path).resolve().parent)
    for folder in (engine, region):  # each inserted at ``start``: the region's ends up first
        if folder and folder not in dirs:
            dirs.insert(start, folder)


def _made(make_html: Callable):
    """A page's HTML; a region template that fails ends the build with its place."""
    try:
        return make_html()
    except overrides.TemplateProblem as problem:
        raise Abort(format_text(problem.finding)) from None


def add_theme_globals(env) -> None:
    """What our theme parts (site/theme/) need to know: the address of the
    ResizeObserver polyfill the site serves to browsers without one (main.html)."""
    env.globals["ww_resize_observer"] = vendor.site_path(
        vendor.RESIZE_OBSERVER, vendor.RESIZE_OBSERVER_FILE
    )


def fill_legal(markdown: str, page: Page, site: Site | None) -> str:
    """Hand-written pages: the operator's details from mkdocs.yml where the marker stands,
    in the words of the text's language; a page in another language's tree gets its
    language and that language's navigation."""
    if site is None:
        return markdown
    hand = site.hand.get(page.file.src_uri)
    if hand is None:
        return legal.fill(markdown, site.settings.extra, site.renderers[site.settings.lang].ui)
    renderer = site.renderers[hand.lang]
    if renderer.settings.prefix(hand.lang) and site.extras is not None:
        items = nav(renderer, site.extras.nav, site.extras.hand_titles)
        page.meta.update(page_meta(renderer, items, hand.path))
    text = site.renderers[site.settings.lang] if hand.german else renderer  # its words
    return legal.fill(markdown, site.settings.extra, text.ui)


def frame_hand_written(html: str, page: Page, site: Site | None) -> str:
    """A hand-written page's HTML with the language switch; the German original marked
    where it stands in for a translation."""
    hand = site.hand.get(page.file.src_uri) if site is not None else None
    if hand is None:
        return html
    return _made(lambda: site.renderers[hand.lang].hand_written(html, hand.path, hand.german))


def _add_hand_written(files: Files, config: MkDocsConfig, site: Site) -> dict:
    """mkdocs.yml's hand-written pages (docs/) in every interface language, at the same
    path below /<code>/ as the generated pages: the translation where docs/<code>/ has one,
    else the German original. Returns the translations' titles ((lang, path) -> title)."""
    titles = {}
    default = site.settings.lang
    _drop_unbuilt_translations(files, site)
    for path in hand_written(configured_nav(config.nav)):
        german = _source(files, "", path)
        if german is None:
            continue
        site.hand[german.src_uri] = HandPage(default, path, False)
        for lang, renderer in site.renderers.items():
            if not (prefix := renderer.settings.prefix(lang)):
                continue
            own = _source(files, prefix, path)
            fallback = own is None
            if fallback:  # the German original's text, in this language's tree
                text = german.content_string
                own = File.generated(config, prefix + german.src_uri, content=text)
                _replace(files, own)
            elif heading := _heading(own.content_string):
                titles[(lang, path)] = heading
            own.inclusion = InclusionLevel.NOT_IN_NAV
            site.hand[own.src_uri] = HandPage(lang, path, fallback)
    return titles


def _drop_unbuilt_translations(files: Files, site: Site) -> None:
    """No docs/<code>/ of an interface language the site does not build (not among its
    languages, or the quick preview): its pages would stand without a way to them."""
    unbuilt = {f"{code}/" for code in overrides.engine_languages()} - {
        renderer.settings.prefix(lang) for lang, renderer in site.renderers.items()
    }
    for file in list(files):
        if file.src_uri.startswith(tuple(unbuilt)):
            files.remove(file)


def _source(files: Files, prefix: str, path: str) -> File | None:
    """The Markdown file of the page at ``path`` ("impressum/") below ``prefix``."""
    for name in (f"{prefix}{path.rstrip('/')}.md", f"{prefix}{path}index.md"):
        if (found := files.get_file_from_path(name)) is not None and found.is_documentation_page():
            return found
    return None


def _heading(markdown: str) -> str:
    """The first heading of level 1 ("# Legal notice") of a Markdown page, or ""."""
    for line in markdown.splitlines():
        if line.startswith("# "):
            return line[2:].strip().strip("#").strip()
    return ""


def read_settings(config: MkDocsConfig, preview: bool = False) -> settings.Settings:
    """The settings from MkDocs' config; a bad one ends the build with its place named."""
    try:
        return settings.read(
            Path(config.config_file_path).resolve().parent,
            config.site_url or "",
            config.site_name or "",
            (config.extra or {}).get("wegweiser", {}) or {},
            preview=preview,
            config_path=Path(config.config_file_path),
        )
    except settings.SettingsError as exc:
        raise Abort(str(exc)) from None


def open_cache(config: MkDocsConfig, chosen: settings.Settings) -> buildcache.Store:
    """The build cache beside mkdocs.yml (or WEGWEISER_CACHE_DIR); none inside the
    entries, docs/ or the site, where it would be read as entries or published."""
    where = buildcache.folder(chosen.root)
    for inside in (chosen.entries_dir, Path(config.docs_dir), Path(config.site_dir)):
        if where is not None and where.resolve().is_relative_to(inside.resolve()):
            log.info(
                "Build-Cache nicht in %s / no build cache inside %s: %s=%s — einen Ordner "
                "außerhalb wählen / choose a folder outside",
                inside,
                inside,
                buildcache.ENV,
                where,
            )
            where = None
    return buildcache.Store(where)


def cache_scope(config: MkDocsConfig, chosen: settings.Settings, store: buildcache.Store) -> str:
    """Everything every generated page depends on beside the entries: the engine (in the
    store), mkdocs.yml as written and as read, the lists, the region's own files, the
    hand-written pages, the environment's settings, the day."""
    config_file = Path(config.config_file_path)
    env = {k: v for k, v in chosen.env.values.items() if k != "SOURCE_DATE_EPOCH"}
    return reuse.scope(
        store,
        {
            "config": buildcache.files_digest([config_file], config_file.parent),
            "site_url": config.site_url or "",
            "site": repr(chosen.site),
            "exports": repr(chosen.exports),
            "lists": buildcache.tree_digest(chosen.entries_dir / LISTS_DIR),
            "overrides": buildcache.tree_digest(chosen.root / "overrides"),
            "docs": buildcache.tree_digest(Path(config.docs_dir)),
            "env": sorted(env.items()),
            "preview": chosen.preview,
        },
    )


def watched_files(config: MkDocsConfig, chosen: settings.Settings) -> dict:
    """What `mkdocs serve` watches and the build reads: entries, mkdocs.yml, docs/, the
    region's own files (the quick preview compares this before and after a save)."""
    tops = [chosen.entries_dir, Path(config.config_file_path), Path(config.docs_dir)]
    return snapshot([*tops, chosen.root / "overrides"])


def build_site(config: MkDocsConfig, preview: bool = False) -> Site:
    chosen = read_settings(config, preview)
    watched = watched_files(config, chosen) if preview else {}  # before anything is read
    store = open_cache(config, chosen)
    result, _report = pipeline.located(
        chosen.root, chosen.geocoding, chosen.entries_dir, cache=store if store.on else None
    )
    for finding in result.findings:
        # Errors fail `mkdocs build --strict` (CI) whatever the log level (`-q` drops
        # warnings before strict mode counts them); the broken entry is left out of the
        # site, so a preview or a non-strict build still succeeds.
        (log.error if finding.is_error else log.info)(format_text(finding, chosen.lang))
    for notice in chosen.notices:  # once per build, never failing a strict one
        log.info(format_text(notice, chosen.lang))
    env = environment(chosen.site.templates)  # made anew by every build: templates may change
    shared = drafts.Drafts() if drafts.for_templates(chosen.site.templates) else None
    renderers = {
        lang: Renderer(result.directory, chosen.site, lang, env, shared)
        for lang in chosen.site.languages
    }
    site = Site(chosen, result, renderers, links=linkcheck.Links(chosen.site_url), cache=store)
    site.scope = cache_scope(config, chosen, store)
    site.watched = watched
    return site


def add_pages(files: Files, config: MkDocsConfig, site: Site) -> None:
    """The files all languages share, then every generated page in every language."""
    directory = site.result.directory
    for uri, name in urls.ASSETS.items():
        content = resources.files("wegweiser.site").joinpath("assets", name).read_bytes()
        _replace(files, File.generated(config, uri, content=content))
    schema = entry_schema(directory.lists)
    schema_text = json.dumps(schema, ensure_ascii=False, indent=2)
    _replace(files, File.generated(config, urls.SCHEMA, content=schema_text))
    _add_exports(files, config, site)
    _add_vendor_files(files, config, site.settings)
    hand_titles = _add_hand_written(files, config, site)
    extras = Extras(
        nav=configured_nav(config.nav),
        schema=schema,
        export_plan=site.export_plan,
        license=site.exports.license,
        size_mark=_size_mark,
        json_ld=lambda entry: _json_ld(entry, site),
        hsds_page=files.get_file_from_path(urls.HSDS_DOC_SOURCE) is not None,
        hand_titles=hand_titles,
    )
    site.extras = extras
    for renderer in site.renderers.values():
        plan = language_plan(renderer, extras)
        for page in plan.pages:
            _add_page(files, config, page, site.drawn)
        site.framed += plan.framed


def write_framed_pages(config: MkDocsConfig, site: Site) -> int:
    """After MkDocs wrote the frames: every entry and list page in every language."""
    started = time.perf_counter()
    site_dir = Path(config.site_dir)
    bodies = reuse.Bodies(site.cache, site.scope)
    indexed = None  # the pages the search index reads; None: all
    if not site.settings.preview:  # the bundles from the cache: their pages not written
        keys = _page_keys(site, bodies)
        site.search_todo = _reused_bundles(site, site_dir, keys[0] if keys else None)
        if keys is not None:
            pages = sorted(keys[1])
            indexed = {path for part in site.search_todo for path in reuse.part_pages(part, pages)}
    needed = not site.settings.preview and indexed != set()
    sources = _search_sources(site_dir) if needed else None
    site.frame_html = frames.read_frames(site_dir, site.framed)
    description = config.site_description or ""
    try:
        processes = _made(
            lambda: frames.write(
                site_dir, site.framed, site.links, description, sources, bodies, indexed
            )
        )
    except BaseException:
        _search_sources(site_dir)
        raise
    log.debug(
        "Seiten aus Rahmen / framed pages: %d in %.1f s, %d Prozesse / processes",
        len(site.framed),
        time.perf_counter() - started,
        processes,
    )
    return len(site.framed)


def collect_links(html: str, page: Page, site: Site | None) -> None:
    """The links of a page MkDocs wrote, checked at the end of the build (check_links).

    A frame's links are taken as they will be on the pages filled into it: with its own
    address replaced by one of theirs, as frames.write does.
    """
    if site is None:
        return
    example = site.frame_examples.get(page.url)
    if example is None:
        site.links.add_page(page.url, html)
    else:
        html = html.replace(example.frame, example.path)
        site.links.add_page(example.prefix + example.path, html)


def _add_page(files: Files, config: MkDocsConfig, page: PlannedPage, drawn: dict) -> None:
    """A page MkDocs draws; the HTML we give it is kept in ``drawn`` (the quick preview
    compares it with the next build's)."""
    inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
    file = File.generated(config, page.source, content="", inclusion=inclusion)

    def make_html() -> str:
        drawn[page.source] = html = page.make_html()
        return html

    ReadyPage(page.title, file, config, make_html, page.description, page.meta)
    _replace(files, file)


def _add_exports(files: Files, config: MkDocsConfig, site: Site) -> None:
    """The open-data files under daten/ (the maps read daten/orte.geojson).

    The files go straight into the site, made by a second process while MkDocs and the
    framed pages use the other core (with thousands of entries they take seconds); the
    Daten pages get their sizes at the end of the build (``finish_exports``).
    """
    directory = site.result.directory
    site_dir = Path(config.site_dir)
    plan = exports.planned(directory, site.exports)
    for item in plan:  # known to MkDocs (links to them are checked), written by the job
        _replace(files, _WrittenByUs.generated(config, item.uri, content=b""))
    site.exports_job = parallel.Background(
        lambda: exports.write_all(plan, site_dir),
        worth=len(directory.entries) >= parallel.MIN_SHARE,
    )
    site.export_plan = plan  # each language's Daten page lists them


def _size_mark(item) -> str:
    return markupsafe.Markup(f"<!--WW:GROESSE:{markupsafe.escape(item.uri)}-->")


def finish_exports(config: MkDocsConfig, site: Site) -> None:
    """At the end of the build: the export files are all written, the Daten pages have sizes."""
    if site.exports_job is None:
        return
    written = site.exports_job.result()
    for renderer in site.renderers.values():
        page = Path(config.site_dir) / renderer.settings.prefix(renderer.lang) / urls.DATA
        page = page / "index.html"
        if page.is_file():
            site.data_pages[page] = page.read_text("utf-8")
            page.write_text(with_sizes(site.data_pages[page], written), "utf-8")


def with_sizes(html: str, written: list) -> str:
    """A Daten page with the size of each export file where its mark stands."""
    for item in written:
        html = html.replace(str(_size_mark(item)), file_size(item.size))
    return html


class _WrittenByUs(File):
    """A file of the site that MkDocs knows of but does not write: an export job does."""

    def copy_file(self, dirty: bool = False) -> None:
        pass


def _json_ld(entry, site: Site) -> str:
    """schema.org data of the entry, for search engines; escaped so text cannot leave it.

    The same for every language's page of the entry: made once, then reused.
    """
    if entry.slug not in site.json_ld:
        text = exports.jsonld.script_text(entry, site.result.directory, site.exports)
        site.json_ld[entry.slug] = f'\n<script type="application/ld+json">{text}</script>\n'
    return site.json_ld[entry.slug]


def _add_vendor_files(files: Files, config: MkDocsConfig, chosen: settings.Settings) -> None:
    """Leaflet from the local cache (fetched once by the set-up); missing = maps stay lists."""
    env = chosen.env
    try:
        folders = vendor.ensure(env.offline, vendor.cache_dir(env.vendor_dir), env.npm_registry)
    except vendor.VendorError as exc:
        log.warning("Karten ohne Leaflet / maps without Leaflet (wegweiser vendor): %s", exc)
        return
    for uri, path in vendor.site_files(folders).items():
        _replace(files, File.generated(config, uri, abs_src_path=str(path)))


def index_search(config: MkDocsConfig, site: Site) -> None:
    """After the build: the search index, in the parts that the search pages name
    (search.plan). A failed part is reported; the site and the other parts stay usable."""
    if site.settings.preview:
        return
    site_dir = Path(config.site_dir)
    sources = site_dir / search.SOURCES  # written with the entry pages (write_framed_pages)
    try:
        keys = site.search_todo
        if keys is None:  # not every page has a key: the parts keyed by their sources
            keys = _reused_bundles(site, site_dir, _source_keys(site, sources))
        parts = _search_parts(site)
        todo = [part for part in parts if part in keys]
        log.debug(
            "Suchindex / search index: %d Teile aus dem Cache / parts from the cache, %d neu / new",
            len(parts) - len(todo),
            len(todo),
        )
        failed = set()
        for part, error in search.build_indexes(site_dir, todo, sources):
            failed.add(part)
            log.error(
                "Suchindex konnte nicht erstellt werden / search index failed (%s): %s",
                part.bundle,
                error,
            )
        for part in todo:
            if part not in failed:
                reuse.keep_bundle(site.cache, keys[part], site_dir / part.bundle)
    finally:
        shutil.rmtree(sources, ignore_errors=True)


def _search_parts(site: Site) -> list:
    """The parts of the search index (search.plan), the same for the search pages."""
    trees = {lang: r.settings.prefix(lang) for lang, r in site.renderers.items()}
    return search.plan(trees, site.result.directory.entries)


def _page_keys(site: Site, bodies: reuse.Bodies) -> tuple[dict, dict] | None:
    """Each search part's key from the keys of the pages it reads (their bodies make them):
    known before a page is written; and those pages' keys by path. None when a page has
    no key or there is no cache."""
    if not site.cache.on:
        return None
    keys = {f"{p.prefix}{p.path}index.html": bodies.key(p) for p in site.framed if p.searched}
    if None in keys.values():
        return None
    parts = {part: reuse.bundle_key_of(site.cache, part, keys) for part in _search_parts(site)}
    return parts, keys


def _source_keys(site: Site, sources: Path) -> dict:
    """Each search part's key from the contents of the pages it reads (search.SOURCES)."""
    if not site.cache.on:
        return {part: "" for part in _search_parts(site)}
    pages = reuse.source_paths(sources)
    return {
        part: reuse.bundle_key(site.cache, part, sources, pages) for part in _search_parts(site)
    }


def _reused_bundles(site: Site, site_dir: Path, keys: dict | None) -> dict | None:
    """The search bundles an earlier build made from the same pages, put in place; returns
    the other parts (to be indexed) with their keys; None without keys."""
    if keys is None:
        return None
    return {
        part: key
        for part, key in keys.items()
        if not (key and reuse.restore_bundle(site.cache, key, site_dir / part.bundle))
    }


def finish_cache(site: Site) -> None:
    """At the very end of a full build: what it made kept, what no recent build used dropped."""
    site.cache.finish()
    site.cache.close()


def _search_sources(site_dir: Path) -> Path:
    """Where the entry pages' contents wait for the search index (search.SOURCES), emptied:
    inside the site folder, on the same disk, and gone before the build ends (MkDocs leaves
    a folder whose name starts with "." where it is, so nothing is left from another build)."""
    sources = site_dir / search.SOURCES
    shutil.rmtree(sources, ignore_errors=True)
    return sources


def check_links(config: MkDocsConfig, site: Site) -> None:
    """At the very end: every link of every generated page leads to a file of the site.

    A missing target fails `mkdocs build --strict`, named once with a page that links to it
    (a template's mistake repeats on thousands of pages). Skipped by the quick preview,
    which builds one language and no search index.
    """
    if site.settings.preview:
        return
    started = time.perf_counter()
    missing = site.links.missing(Path(config.site_dir))
    log.debug(
        "Links geprüft / links checked: %d Ziele / targets in %.2f s",
        len(site.links.targets),
        time.perf_counter() - started,
    )
    for target, page, count in missing:
        log.error(
            "Seite '%s' verweist auf '%s', das es in der gebauten Seite nicht gibt"
            "%s / page links to a target that was not built — Vorlage oder Pfad prüfen",
            page or "/",
            target,
            f" (und {count - 1} weitere Links)" if count > 1 else "",
        )


def watched_folder(config: MkDocsConfig) -> Path:
    """The entries folder `mkdocs serve` watches: a saved entry rebuilds the preview."""
    return read_settings(config).entries_dir


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
