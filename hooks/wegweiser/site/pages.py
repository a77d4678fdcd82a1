"""The page plan of one interface language: which pages exist, where, with what title.

Pages MkDocs draws (``PlannedPage``: home, overviews, map, search, data, field reference,
and one frame per kind of framed page) and pages filled into those frames after the build
(``frames.FramedPage``: entries, term lists, relation lists). The MkDocs adapter turns the
plan into MkDocs files; nothing here knows MkDocs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from wegweiser import urls
from wegweiser.site.frames import SHELL, SHELL_BODY, SHELL_DESC, SHELL_PAGE, SHELL_TITLE, FramedPage
from wegweiser.site.render import Renderer
from wegweiser.site.reuse import PageKeys


@dataclass(frozen=True)
class PlannedPage:
    """A page MkDocs draws around ready HTML."""

    source: str  # MkDocs' name for it, in its language's tree: "ar/karte.md"
    title: str
    make_html: Callable[[], str]
    description: str = ""
    in_nav: bool = False
    meta: dict | None = None


@dataclass(frozen=True)
class Extras:
    """What a language's pages need beside the Directory (the same for every language)."""

    nav: list[tuple[str, str]]  # mkdocs.yml's top-level (title, path)
    schema: dict  # the entry schema, for the field reference
    export_plan: list  # the export files, for the Daten page
    license: object  # the data licence
    size_mark: Callable  # writes a file's size on the Daten page (filled in at the end)
    json_ld: Callable  # an entry's schema.org script, the same in every language
    hsds_page: bool  # whether the site has the hand-written HSDS mapping
    # the titles of hand-written pages in other languages: (lang, path) -> title; a page
    # without one is the German original, named in German (hand_written)
    hand_titles: Mapping[tuple[str, str], str] = field(default_factory=dict)


@dataclass
class LanguagePlan:
    """Every page of one language, in the order they are added."""

    renderer: Renderer
    extras: Extras
    pages: list[PlannedPage] = field(default_factory=list)
    framed: list[FramedPage] = field(default_factory=list)
    frames: set[str] = field(default_factory=set)

    @property
    def prefix(self) -> str:
        return self.renderer.settings.prefix(self.renderer.lang)

    @functools.cached_property
    def nav(self) -> list[dict]:
        return nav(self.renderer, self.extras.nav, self.extras.hand_titles)

    def add(
        self, path: str, source: str, title: str, make_html, listed: bool = False, about: str = ""
    ) -> None:
        """A page MkDocs draws at ``path`` of this language's tree; ``about``: its description."""
        meta = page_meta(self.renderer, self.nav, path)
        listed = listed and not self.prefix  # MkDocs' nav is the default language's
        page = PlannedPage(self.prefix + source, title, make_html, about, listed, meta)
        self.pages.append(page)

    @functools.cached_property
    def keys(self) -> PageKeys:
        return PageKeys(self.renderer)

    def framed_page(
        self,
        frame: str,
        path: str,
        title: str,
        body,
        description="",
        lastmod="",
        searched=False,
        key="",
    ):
        """A page filled into ``frame`` after the build (frames.write); ``searched``: its
        content goes into the search index; ``key``: what its body shows (reuse.PageKeys)."""
        if frame not in self.frames:  # the frame itself is a page MkDocs and Material draw
            self.frames.add(frame)
            source = f"{frame.rstrip('/')}.md"
            self.add(frame, source, SHELL_TITLE, lambda: SHELL_BODY, about=SHELL_DESC)
        lastmod = lastmod or self.renderer.settings.today.isoformat()
        page = FramedPage(
            self.prefix, frame, path, title, description, lastmod, body, searched, key
        )
        self.framed.append(page)

    def framed_list(self, shell: str, path: str, pages: int, title, body, key) -> None:
        """A list in ``pages`` pages at ``path``, ``path``2/, …: ``title(page)``, ``body(page)``,
        ``key(page)``. Later pages are one level deeper than the first: a frame of their own.
        """
        for page in range(1, pages + 1):
            self.framed_page(
                shell if page == 1 else f"{shell}{SHELL_PAGE}/",
                urls.page_path(path, page),
                title(page),
                functools.partial(body, page),
                key=key(page),
            )


def language_plan(renderer: Renderer, extras: Extras) -> LanguagePlan:
    """The pages of one interface language: at the root for the default, else under <code>/."""
    plan = LanguagePlan(renderer, extras)
    plan.add(urls.HOME, urls.HOME_SOURCE, renderer.ui["home_title"], renderer.home, True)
    _entry_pages(plan)
    _section_pages(plan)
    _fixed_pages(plan)
    return plan


def _entry_pages(plan: LanguagePlan) -> None:
    renderer, lang = plan.renderer, plan.renderer.lang
    for entry in renderer.directory.entries.values():
        plan.framed_page(
            urls.entry_path(SHELL),
            urls.entry_path(entry.slug),
            entry.text("name", lang),
            lambda e=entry: renderer.entry(e) + plan.extras.json_ld(e),
            entry.text("summary", lang),
            entry.verified_on.isoformat(),
            searched=True,  # search.Part.glob: the entry pages
            key=plan.keys.entry(entry),
        )
        for relation in urls.RELATION_PAGES:  # only relations longer than the entry page shows
            plan.framed_list(
                urls.relation_path(SHELL, relation),  # "orte/_rahmen/mitglieder/"
                urls.relation_path(entry.slug, relation),
                renderer.relation_pages(entry, relation),
                functools.partial(renderer.relation_title, entry, relation),
                functools.partial(renderer.relation, entry, relation),
                functools.partial(plan.keys.relation, entry, relation),
            )


def _section_pages(plan: LanguagePlan) -> None:
    renderer = plan.renderer
    for list_name in urls.SECTIONS:
        plan.add(
            urls.section_path(list_name),
            urls.section_source(list_name),
            renderer.ui[list_name],
            lambda n=list_name: renderer.overview(n),
            True,
        )
        for term_id in renderer.directory.lists[list_name]:
            plan.framed_list(
                f"{urls.section_path(list_name)}{SHELL}/",
                urls.term_path(list_name, term_id),
                renderer.term_pages(list_name, term_id),
                functools.partial(renderer.term_title, list_name, term_id),
                functools.partial(renderer.term, list_name, term_id),
                functools.partial(plan.keys.term, list_name, term_id),
            )


def _fixed_pages(plan: LanguagePlan) -> None:
    renderer, ui, extras = plan.renderer, plan.renderer.ui, plan.extras
    plan.add(urls.MAP, urls.MAP_SOURCE, ui["map"], renderer.map_page, True)
    plan.add(urls.SEARCH, urls.SEARCH_SOURCE, ui["search"], renderer.search, True)
    plan.add(
        urls.NEAR, urls.NEAR_SOURCE, ui["near_title"], renderer.near_page, about=ui["near_lead"]
    )
    plan.add(
        urls.DATA,
        urls.DATA_SOURCE,
        ui["data_title"],
        lambda: renderer.data_page(
            extras.export_plan, extras.license, extras.size_mark, extras.hsds_page
        ),
        True,
    )
    plan.add(
        urls.FIELDS,
        urls.FIELDS_SOURCE,
        ui["fields_title"],
        lambda: renderer.field_reference(extras.schema, urls.SCHEMA),
        True,
    )


def page_meta(renderer: Renderer, items: list[dict], path: str) -> dict:
    """What the theme needs of a page of ``renderer``'s language at ``path`` (generated or
    hand-written): its language, the top navigation (``nav``) with the active tab, home."""
    prefix = renderer.settings.prefix(renderer.lang)
    return {
        "lang": renderer.lang,
        "ww_nav": [dict(item, active=_active(item["path"], path, prefix)) for item in items],
        "ww_home": prefix or "./",
    }


def _generated_titles(renderer: Renderer) -> dict[str, str]:
    """The top-level pages the site makes (path -> title in the renderer's language)."""
    ui = renderer.ui
    generated = {urls.HOME: ui["nav_start"], urls.MAP: ui["map"], urls.SEARCH: ui["search"]}
    generated[urls.DATA] = ui["data_title"]
    generated |= {urls.section_path(name): ui[name] for name in urls.SECTIONS}
    return generated


def nav(
    renderer: Renderer,
    configured: list[tuple[str, str]],
    hand_titles: Mapping[tuple[str, str], str] | None = None,
) -> list[dict]:
    """The top navigation of generated pages: mkdocs.yml's nav, in the page's language.

    Generated pages (home, sections, map, search, data) get their titles from the locale;
    hand-written pages (Mitmachen, Impressum, …) exist in every language's tree, named by
    their translation (``hand_titles``) or, where there is none, in German, marked so.
    """
    prefix, lang = renderer.settings.prefix(renderer.lang), renderer.lang
    generated = _generated_titles(renderer)
    items = []
    for title, path in configured:
        if path in generated:
            items.append(
                {"title": title if not prefix else generated.pop(path), "path": prefix + path}
            )
            generated.pop(path, None)
        elif own := (hand_titles or {}).get((lang, path)) if prefix else None:
            items.append({"title": own, "path": prefix + path})
        else:
            items.append({"title": title, "path": prefix + path, "lang": "de" if prefix else None})
    items += [{"title": title, "path": prefix + path} for path, title in generated.items()]
    return items


def hand_written(configured: list[tuple[str, str]]) -> list[str]:
    """The paths of mkdocs.yml's top-level hand-written pages (docs/: "impressum/", …):
    every top-level page the site does not make itself. The start page is made."""
    made = {urls.HOME, urls.MAP, urls.SEARCH, urls.DATA, urls.FIELDS, urls.NEAR}
    made |= {urls.section_path(name) for name in urls.SECTIONS}
    return [path for _title, path in configured if path not in made]


def _active(item: str, page: str, prefix: str) -> bool:
    """A tab is active on its own page and below it ("kategorien/" on "kategorien/x/")."""
    if prefix and not item.startswith(prefix):
        return False
    item = item.removeprefix(prefix)
    return page == item or (bool(item) and page.startswith(item))


def configured_nav(nav_config: list | None) -> list[tuple[str, str]]:
    """Top-level (title, URL path) of mkdocs.yml's nav; a section stands for its first page."""
    items = []
    for item in nav_config or []:
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
