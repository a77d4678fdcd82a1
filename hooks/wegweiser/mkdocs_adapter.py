"""The only module that knows MkDocs: turns the Directory into MkDocs files and pages.

Generated pages carry ready HTML (``ReadyPage``): MkDocs skips Markdown for them and
only wraps the content in the theme. That keeps entry text away from Markdown
extensions and saves the conversion time of thousands of pages.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import markupsafe
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import exports, freshness, geocode, legal, linkcheck, maps, paging, parallel, search, vendor
from .findings import format_text
from .render import (
    RELATION_PAGES,
    SEARCH_URI,
    SECTIONS,
    Renderer,
    SiteSettings,
    entry_path,
    file_size,
    page_title,
    relation_path,
)
from .validate import Result, check_directory, entry_schema

log = logging.getLogger("mkdocs.plugins.wegweiser")

SCHEMA_URI = "schema/entry.schema.json"
FIELDS_URI = "mitmachen/felder.md"


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
        self.content = self._make_html()
        self.toc = get_toc([])
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


@dataclass
class Site:
    root: Path
    result: Result
    renderers: dict[str, Renderer]  # one per interface language, the default first
    exports: exports.ExportSettings
    json_ld: dict[str, str] = field(default_factory=dict)  # per entry, for all languages
    exports_job: parallel.Background | None = None  # the export files, being written
    export_plan: list = field(default_factory=list)  # the export files, for the Daten pages
    framed: list[FramedPage] = field(default_factory=list)  # filled into frames after the build
    links: linkcheck.Links = field(default_factory=linkcheck.Links)  # checked at the end

    @functools.cached_property
    def frame_examples(self) -> dict[str, FramedPage]:
        """Each frame's address ("ar/orte/_rahmen/") -> a page filled into it."""
        examples: dict[str, FramedPage] = {}
        for page in self.framed:
            examples.setdefault(page.prefix + page.frame, page)
        return examples

    @property
    def renderer(self) -> Renderer:
        return next(iter(self.renderers.values()))


ASSETS = {
    "assets/wegweiser/wegweiser.css": "wegweiser.css",
    "assets/wegweiser/wegweiser-search.js": "wegweiser-search.js",
    "assets/wegweiser/wegweiser-map.js": "wegweiser-map.js",
    "assets/wegweiser/wegweiser-offline.js": "wegweiser-offline.js",
    "assets/wegweiser/wegweiser-print.js": "wegweiser-print.js",
    "sw.js": "sw.js",  # at the root: a service worker controls only pages below it
}


def register_assets(config: MkDocsConfig) -> None:
    """The site's own style and search loader, served by the site (no third party)."""
    for uri in ASSETS:
        if uri == "sw.js":  # loaded by wegweiser-offline.js, not by pages
            continue
        target = config.extra_css if uri.endswith(".css") else config.extra_javascript
        if uri not in [str(item) for item in target]:
            target.append(uri)


def fill_legal(markdown: str, config: MkDocsConfig) -> str:
    """Hand-written pages: the operator's details from mkdocs.yml where the marker stands."""
    return legal.fill(markdown, _extra(config))


def _extra(config: MkDocsConfig) -> dict:
    return (config.extra or {}).get("wegweiser", {}) or {}


def settings_from(config: MkDocsConfig, preview: bool = False) -> tuple[Path, Path, SiteSettings]:
    extra = _extra(config)
    root = Path(config.config_file_path).resolve().parent
    entries = (root / extra.get("entries_dir", "entries")).resolve()
    settings = SiteSettings(
        site_url=config.site_url or "",
        repo_url=str(extra.get("repo_url", "")),
        branch=str(extra.get("branch", "main")),
        lang=str(extra.get("language", "de")),
        languages=_languages(extra, preview),
        map=maps.MapSettings.from_config(extra),
        stale_after_months=freshness.stale_after_months(extra),
        page_size=paging.page_size(extra),
    )
    return root, entries, settings


def quick_preview(preview: bool) -> bool:
    """A preview skips what a volunteer checking an entry does not need (other languages,
    the search index), unless WEGWEISER_PREVIEW_LANGUAGES=all asks for the whole site."""
    return preview and os.environ.get("WEGWEISER_PREVIEW_LANGUAGES", "") != "all"


def _languages(extra: dict, preview: bool = False) -> tuple[str, ...]:
    """The interface languages: the default first, then the others as configured.

    A preview (`mkdocs serve`) builds the default language only, so a saved entry shows
    within seconds; WEGWEISER_PREVIEW_LANGUAGES=all previews every language.
    """
    default = str(extra.get("language", "de"))
    if quick_preview(preview):
        return (default,)
    others = [str(code) for code in extra.get("languages") or [] if str(code) != default]
    return (default, *dict.fromkeys(others))


def build_site(config: MkDocsConfig, preview: bool = False) -> Site:
    root, entries_dir, settings = settings_from(config, preview)
    result = check_directory(root, entries_dir)
    located = geocode.locate_directory(
        result.directory.entries.values(),
        result.directory.lists,
        entries_dir,
        geocode.GeocodeSettings.from_config(_extra(config), settings.site_url),
        shown_cache=f"{entries_dir.name}/{geocode.CACHE_NAME}",
    )
    result.findings.extend(located.findings)
    for finding in result.findings:
        # Errors fail `mkdocs build --strict` (CI); the broken entry is left out of the site,
        # so a preview or a non-strict build still succeeds.
        (log.warning if finding.is_error else log.info)(format_text(finding, settings.lang))
    renderers = {lang: Renderer(result.directory, settings, lang) for lang in settings.languages}
    site = Site(root, result, renderers, export_settings(config))
    site.links.site_url = settings.site_url
    return site


def add_pages(files: Files, config: MkDocsConfig, site: Site) -> None:
    """The files all languages share, then every generated page in every language."""
    directory = site.result.directory
    for uri, name in ASSETS.items():
        content = resources.files("wegweiser").joinpath("assets").joinpath(name).read_bytes()
        _replace(files, File.generated(config, uri, content=content))
    schema = entry_schema(directory.lists)
    schema_text = json.dumps(schema, ensure_ascii=False, indent=2)
    _replace(files, File.generated(config, SCHEMA_URI, content=schema_text))
    _add_exports(files, config, site)
    _add_vendor_files(files, config)
    hsds_page = files.get_file_from_path(HSDS_DOC_URI) is not None  # hand-written, German
    for renderer in site.renderers.values():
        _add_language(files, config, site, renderer, schema, hsds_page)


HSDS_DOC_URI = "daten/hsds.md"  # the HSDS field mapping, a hand-written page (docs/daten/)


def _add_language(
    files: Files,
    config: MkDocsConfig,
    site: Site,
    renderer: Renderer,
    schema: dict,
    hsds_page: bool,
) -> None:
    """The pages of one interface language: at the root for the default, else under <code>/."""
    directory = site.result.directory
    ui, lang = renderer.ui, renderer.lang
    prefix = renderer.settings.prefix(lang)
    in_nav = not prefix  # MkDocs' nav is the default language's; the others bring their own
    nav = _nav(renderer, config)

    def add(path: str, uri: str, title: str, make_html, description: str = "", listed=False):
        meta = {
            "lang": lang,
            "ww_nav": [dict(item, active=_active(item["path"], path, prefix)) for item in nav],
            "ww_home": prefix or "./",
        }
        _add_page(files, config, prefix + uri, title, make_html, description, listed, meta)

    frames: set[str] = set()

    def framed(frame: str, path: str, title: str, body, description="", lastmod=""):
        """A page filled into ``frame`` after the build (write_framed_pages)."""
        if frame not in frames:  # the frame itself is a page MkDocs and Material draw
            frames.add(frame)
            add(frame, f"{frame.rstrip('/')}.md", SHELL_TITLE, lambda: SHELL_BODY, SHELL_DESC)
        lastmod = lastmod or renderer.settings.today.isoformat()
        site.framed.append(FramedPage(prefix, frame, path, title, description, lastmod, body))

    def framed_list(shell: str, path: str, pages: int, title, body):
        """A list in ``pages`` pages at ``path``, ``path``2/, …: ``title(page)``, ``body(page)``.

        Later pages are one level deeper than the first: a frame of their own.
        """
        for page in range(1, pages + 1):
            framed(
                shell if page == 1 else f"{shell}{SHELL_PAGE}/",
                paging.page_path(path, page),
                title(page),
                functools.partial(body, page),
            )

    add("", "index.md", ui["home_title"], renderer.home, listed=in_nav)
    for entry in directory.entries.values():
        framed(
            entry_path(SHELL),
            entry_path(entry.slug),
            entry.text("name", lang),
            lambda e=entry: renderer.entry(e) + _json_ld(e, site),
            entry.text("summary", lang),
            entry.verified_on.isoformat(),
        )
        for relation in RELATION_PAGES:  # only relations longer than the entry page shows
            framed_list(
                relation_path(SHELL, relation),  # "orte/_rahmen/mitglieder/"
                relation_path(entry.slug, relation),
                renderer.relation_pages(entry, relation),
                functools.partial(renderer.relation_title, entry, relation),
                functools.partial(renderer.relation, entry, relation),
            )
    for list_name, section in SECTIONS.items():
        add(
            f"{section}/",
            f"{section}/index.md",
            ui[list_name],
            lambda n=list_name: renderer.overview(n),
            listed=in_nav,
        )
        for term_id in directory.lists[list_name]:
            framed_list(
                f"{section}/{SHELL}/",
                f"{section}/{term_id}/",
                renderer.term_pages(list_name, term_id),
                functools.partial(renderer.term_title, list_name, term_id),
                functools.partial(renderer.term, list_name, term_id),
            )
    add("karte/", maps.MAP_URI, ui["map"], renderer.map_page, listed=in_nav)
    add("suche/", SEARCH_URI, ui["search"], renderer.search, listed=in_nav)
    add(
        "daten/",
        exports.DATA_PAGE_URI,
        ui["data_title"],
        lambda: renderer.data_page(site.export_plan, site.exports.license, _size_mark, hsds_page),
        listed=in_nav,
    )
    add(
        "mitmachen/felder/",
        FIELDS_URI,
        ui["fields_title"],
        lambda: renderer.field_reference(schema, SCHEMA_URI),
        listed=in_nav,
    )


# Entry pages, and the pages of the term and relation lists, share a few frames: all pages
# of one kind in one language have the same depth, navigation state and assets. So MkDocs
# and Material draw each frame once, around markers, and each page is its frame with its own
# address, title, description and content: Material's page rendering was the largest part
# of a build with thousands of entries.
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


def write_framed_pages(config: MkDocsConfig, site: Site) -> int:
    """After MkDocs wrote the frames: every entry and list page in every language.

    Pages are written on all cores (parallel.share_out): with thousands of entries this
    was the longest step of a build. Returns the number of pages.
    """
    site_dir = Path(config.site_dir)
    keys = dict.fromkeys((page.prefix, page.frame) for page in site.framed)
    frames = {key: (site_dir / key[0] / key[1] / "index.html").read_text("utf-8") for key in keys}
    fallback = page_title(config.site_description or "")

    def write(share) -> linkcheck.Links:
        """Writes the pages of ``share``; the links of their content (the frames' own
        links were collected when MkDocs wrote the frames: collect_links)."""
        links = linkcheck.Links(site.links.site_url)
        for page in share:
            body = page.body()
            html = _fill_frame(frames[page.prefix, page.frame], page, body, fallback)
            target = site_dir / page.prefix / page.path / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, "utf-8")
            links.add_page(page.prefix + page.path, body)
        return links

    started = time.perf_counter()
    found = parallel.map_shares(site.framed, write)
    for links in found:
        site.links.merge(links)
    log.debug(
        "Seiten aus Rahmen / framed pages: %d in %.1f s, %d Prozesse / processes",
        len(site.framed),
        time.perf_counter() - started,
        len(found),
    )
    for prefix, frame in keys:
        shutil.rmtree(site_dir / prefix / frame.split("/")[0] / SHELL, ignore_errors=True)
    urls = [(page.prefix + page.path, page.lastmod) for page in site.framed]
    _sitemap_with(site_dir, config.site_url or "", urls)
    return len(site.framed)


def _fill_frame(frame: str, page: FramedPage, body: str, fallback_description: str) -> str:
    description = page_title(page.description) if page.description else fallback_description
    return (
        frame.replace(page.frame, page.path)
        .replace(SHELL_TITLE, page_title(page.title))
        .replace(SHELL_DESC, description)
        .replace(SHELL_BODY, body)
    )


def collect_links(html: str, page: Page, site: Site | None) -> None:
    """The links of a page MkDocs wrote, checked at the end of the build (check_links).

    A frame's links are taken as they will be on the pages filled into it: with its own
    address replaced by one of theirs, as write_framed_pages does.
    """
    if site is None:
        return
    example = site.frame_examples.get(page.url)
    if example is None:
        site.links.add_page(page.url, html)
    else:
        html = html.replace(example.frame, example.path)
        site.links.add_page(example.prefix + example.path, html)


def _sitemap_with(site_dir: Path, site_url: str, pages: list[tuple[str, str]]) -> None:
    """MkDocs' sitemap lists the frames; it lists the framed pages instead."""
    sitemap = site_dir / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text("utf-8")
    text = re.sub(rf"\s*<url>\s*<loc>[^<]*/{SHELL}/[^<]*</loc>.*?</url>", "", text, flags=re.S)
    base = site_url.rstrip("/") + "/" if site_url else "/"
    urls = "".join(
        f"\n    <url>\n         <loc>{base}{path}</loc>"
        f"\n         <lastmod>{day}</lastmod>\n    </url>"
        for path, day in pages
    )
    text = text.replace("</urlset>", f"{urls}\n</urlset>")
    sitemap.write_text(text, "utf-8")
    with gzip.GzipFile(site_dir / "sitemap.xml.gz", "wb", mtime=0) as packed:
        packed.write(text.encode("utf-8"))


def _nav(renderer: Renderer, config: MkDocsConfig) -> list[dict]:
    """The top navigation of generated pages: mkdocs.yml's nav, in the page's language.

    Generated pages (home, sections, map, search) get their titles from the locale;
    hand-written pages (Mitmachen, Impressum, …) exist in German and keep their titles.
    """
    ui, prefix = renderer.ui, renderer.settings.prefix(renderer.lang)
    generated = {"": ui["nav_start"], "karte/": ui["map"], "suche/": ui["search"]}
    generated["daten/"] = ui["data_title"]
    generated |= {f"{section}/": ui[name] for name, section in SECTIONS.items()}
    nav = []
    for title, path in _configured_nav(config):
        if path in generated:
            nav.append(
                {"title": title if not prefix else generated.pop(path), "path": prefix + path}
            )
            generated.pop(path, None)
        else:
            nav.append({"title": title, "path": path, "lang": "de" if prefix else None})
    nav += [{"title": title, "path": prefix + path} for path, title in generated.items()]
    return nav


def _active(item: str, page: str, prefix: str) -> bool:
    """A tab is active on its own page and below it ("kategorien/" on "kategorien/x/")."""
    if prefix and not item.startswith(prefix):
        return False
    item = item.removeprefix(prefix)
    return page == item or (bool(item) and page.startswith(item))


def _configured_nav(config: MkDocsConfig) -> list[tuple[str, str]]:
    """Top-level (title, URL path) of mkdocs.yml's nav; a section stands for its first page."""
    items = []
    for item in config.nav or []:
        if not isinstance(item, dict):
            continue
        title, target = next(iter(item.items()))
        while isinstance(target, list) and target:
            first = target[0]
            target = next(iter(first.values())) if isinstance(first, dict) else first
        if isinstance(target, str) and target.endswith(".md"):
            page = target[:-3]
            path = "" if page == "index" else page.removesuffix("/index") + "/"
            items.append((str(title), path))
    return items


def _add_page(
    files: Files,
    config: MkDocsConfig,
    uri: str,
    title: str,
    make_html: Callable[[], str],
    description: str = "",
    in_nav: bool = False,
    meta: dict | None = None,
) -> None:
    inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
    file = File.generated(config, uri, content="", inclusion=inclusion)
    ReadyPage(title, file, config, make_html, description, meta)
    _replace(files, file)


def export_settings(config: MkDocsConfig) -> exports.ExportSettings:
    licence = exports.DataLicense.from_config(_extra(config), config.site_name or "")
    return exports.ExportSettings(site_url=config.site_url or "", license=licence)


def _add_exports(files: Files, config: MkDocsConfig, site: Site) -> None:
    """The open-data files under daten/ (the maps read daten/orte.geojson).

    The files go straight into the site, made by a second process while MkDocs and the
    framed pages use the other core (with thousands of entries they take seconds); the
    Daten page gets their sizes at the end of the build (``finish_exports``).
    """
    directory, settings = site.result.directory, site.exports
    site_dir = Path(config.site_dir)
    plan = exports.planned(directory, settings)
    for item in plan:  # known to MkDocs (links to them are checked), written by the job
        _replace(files, _WrittenByUs.generated(config, item.uri, content=b""))
    site.exports_job = parallel.Background(
        lambda: exports.write_all(plan, site_dir),
        worth=len(directory.entries) >= parallel.MIN_SHARE,
    )
    site.export_plan = plan  # each language's Daten page lists them (_add_language)


def _size_mark(item) -> str:
    return markupsafe.Markup(f"<!--WW:GROESSE:{markupsafe.escape(item.uri)}-->")


def finish_exports(config: MkDocsConfig, site: Site) -> None:
    """At the end of the build: the export files are all written, the Daten page has sizes."""
    if site.exports_job is None:
        return
    written = site.exports_job.result()
    folder = exports.DATA_PAGE_URI.removesuffix("index.md")
    for renderer in site.renderers.values():
        page = Path(config.site_dir) / renderer.settings.prefix(renderer.lang) / folder
        page = page / "index.html"
        if page.is_file():
            html = page.read_text("utf-8")
            for item in written:
                html = html.replace(str(_size_mark(item)), file_size(item.size))
            page.write_text(html, "utf-8")


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


def _add_vendor_files(files: Files, config: MkDocsConfig) -> None:
    """Leaflet from the local cache (fetched once by the set-up); missing = maps stay lists."""
    try:
        folders = vendor.ensure(offline=geocode.network_forbidden())
    except vendor.VendorError as exc:
        log.warning("Karten ohne Leaflet / maps without Leaflet (wegweiser vendor): %s", exc)
        return
    for uri, path in vendor.site_files(folders).items():
        _replace(files, File.generated(config, uri, abs_src_path=str(path)))


def index_search(config: MkDocsConfig, site: Site, preview: bool = False) -> None:
    """After the build: the search index, in the parts that the search pages name
    (search.plan). A failed part is reported; the site and the other parts stay usable."""
    if quick_preview(preview):
        return
    trees = {lang: r.settings.prefix(lang) for lang, r in site.renderers.items()}
    parts = search.plan(trees, site.result.directory.entries)
    for part, error in search.build_indexes(Path(config.site_dir), parts):
        log.warning(
            "Suchindex konnte nicht erstellt werden / search index failed (%s): %s",
            part.bundle,
            error,
        )


def check_links(config: MkDocsConfig, site: Site, preview: bool = False) -> None:
    """At the very end: every link of every generated page leads to a file of the site.

    A missing target fails `mkdocs build --strict`, named once with a page that links to it
    (a template's mistake repeats on thousands of pages). Skipped by the quick preview,
    which builds one language and no search index.
    """
    if quick_preview(preview):
        return
    started = time.perf_counter()
    missing = site.links.missing(Path(config.site_dir))
    log.debug(
        "Links geprüft / links checked: %d Ziele / targets in %.2f s",
        len(site.links.targets),
        time.perf_counter() - started,
    )
    for target, page, count in missing:
        log.warning(
            "Seite '%s' verweist auf '%s', das es in der gebauten Seite nicht gibt"
            "%s / page links to a target that was not built — Vorlage oder Pfad prüfen",
            page or "/",
            target,
            f" (und {count - 1} weitere Links)" if count > 1 else "",
        )


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
