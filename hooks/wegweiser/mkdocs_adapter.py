"""The only module that knows MkDocs: turns the Directory into MkDocs files and pages.

Generated pages carry ready HTML (``ReadyPage``): MkDocs skips Markdown for them and
only wraps the content in the theme. That keeps entry text away from Markdown
extensions and saves the conversion time of thousands of pages.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import freshness, geocode, maps, search, vendor
from .findings import format_text
from .render import ENTRY_DIR, SEARCH_URI, SECTIONS, Renderer, SiteSettings, page_title
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
    ):
        super().__init__(page_title(title), file, config)
        self._make_html = make_html
        self._meta = {"title": page_title(title)}
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
    renderer: Renderer


ASSETS = {
    "assets/wegweiser/wegweiser.css": "wegweiser.css",
    "assets/wegweiser/wegweiser-search.js": "wegweiser-search.js",
    "assets/wegweiser/wegweiser-map.js": "wegweiser-map.js",
}


def register_assets(config: MkDocsConfig) -> None:
    """The site's own style and search loader, served by the site (no third party)."""
    for uri in ASSETS:
        target = config.extra_css if uri.endswith(".css") else config.extra_javascript
        if uri not in [str(item) for item in target]:
            target.append(uri)


def _extra(config: MkDocsConfig) -> dict:
    return (config.extra or {}).get("wegweiser", {}) or {}


def settings_from(config: MkDocsConfig) -> tuple[Path, Path, SiteSettings]:
    extra = _extra(config)
    root = Path(config.config_file_path).resolve().parent
    entries = (root / extra.get("entries_dir", "entries")).resolve()
    settings = SiteSettings(
        site_url=config.site_url or "",
        repo_url=str(extra.get("repo_url", "")),
        branch=str(extra.get("branch", "main")),
        lang=str(extra.get("language", "de")),
        map=maps.MapSettings.from_config(extra),
        stale_after_months=freshness.stale_after_months(extra),
    )
    return root, entries, settings


def build_site(config: MkDocsConfig) -> Site:
    root, entries_dir, settings = settings_from(config)
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
    return Site(root, result, Renderer(result.directory, settings))


def add_pages(files: Files, config: MkDocsConfig, site: Site) -> None:
    directory, renderer = site.result.directory, site.renderer

    def add(uri: str, title: str, make_html, description: str = "", in_nav: bool = False):
        inclusion = InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV
        file = File.generated(config, uri, content="", inclusion=inclusion)
        ReadyPage(title, file, config, make_html, description)
        _replace(files, file)

    add("index.md", renderer.ui["home_title"], renderer.home, in_nav=True)
    for entry in directory.entries.values():
        add(
            f"{ENTRY_DIR}/{entry.slug}.md",
            entry.name,
            lambda e=entry: renderer.entry(e),
            entry.summary,
        )
    for list_name, section in SECTIONS.items():
        add(
            f"{section}/index.md",
            renderer.ui[list_name],
            lambda n=list_name: renderer.overview(n),
            in_nav=True,
        )
        for term_id, term in directory.lists[list_name].items():
            add(
                f"{section}/{term_id}.md",
                term.label(renderer.settings.lang),
                lambda n=list_name, t=term_id: renderer.term(n, t),
            )
    for uri, name in ASSETS.items():
        content = resources.files("wegweiser").joinpath("assets").joinpath(name).read_bytes()
        _replace(files, File.generated(config, uri, content=content))
    schema = entry_schema(directory.lists)
    _replace(
        files,
        File.generated(
            config, SCHEMA_URI, content=json.dumps(schema, ensure_ascii=False, indent=2)
        ),
    )
    add(maps.MAP_URI, renderer.ui["map"], renderer.map_page, in_nav=True)
    _replace(files, File.generated(config, maps.GEOJSON_URI, content=maps.geojson_text(directory)))
    _add_vendor_files(files, config)
    add(SEARCH_URI, renderer.ui["search"], renderer.search, in_nav=True)
    add(
        FIELDS_URI,
        renderer.ui["fields_title"],
        lambda: renderer.field_reference(schema, SCHEMA_URI),
        in_nav=True,
    )


def _add_vendor_files(files: Files, config: MkDocsConfig) -> None:
    """Leaflet from the local cache (fetched once by the set-up); missing = maps stay lists."""
    offline = geocode.GeocodeSettings.from_config({}).offline
    try:
        folders = vendor.ensure(offline=offline)
    except vendor.VendorError as exc:
        log.warning("Karten ohne Leaflet / maps without Leaflet (wegweiser vendor): %s", exc)
        return
    for uri, path in vendor.site_files(folders).items():
        _replace(files, File.generated(config, uri, abs_src_path=str(path)))


def index_search(config: MkDocsConfig) -> None:
    """After the build: the search index. A failure is reported, and the site stays usable."""
    try:
        search.build_index(Path(config.site_dir))
    except search.SearchIndexError as exc:
        log.warning("Suchindex konnte nicht erstellt werden / search index failed: %s", exc)


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
