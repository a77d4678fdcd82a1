"""HTML for the directory's pages, made from the Directory with Jinja (autoescaped).

The pages are plain HTML fragments: the MkDocs adapter hands them to the theme
as ready content, so no entry text ever passes through a Markdown or template
engine that could run it. Entry Markdown (``description``) is rendered on its
own, with raw HTML shown as text and the result cleaned by nh3.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import jinja2
import markdown
import nh3

from wegweiser import urls
from wegweiser.core import freshness
from wegweiser.core.findings import read_locale
from wegweiser.core.model import Directory, Entry, is_sensitive
from wegweiser.site import drafts, maps, openstate, overrides, paging, search
from wegweiser.site.drafts import Drafts

ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "a", "br", "code", "blockquote"}
# An entry page lists at most this many places of each relation, so that it does not grow
# with a network's size (a network of 800 members made a 116 KB page); a longer relation
# gets list pages of its own below the entry's page, linked as "Alle 87 Mitglieder ansehen".
RELATIONS_SHOWN = 10
# The words of the search filters (urls.FILTERS, urls.FLAGS) in the locale files.
FILTER_WORDS = {
    "categories": "category",
    "municipalities": "municipality",
    "languages": "filter_language",
    "topics": "filter_topic",
    "audiences": "audience",
}
FLAG_WORDS = {
    "free": "cost_free",
    "walk_in": "appointment_not_needed",
    "wheelchair": "wheelchair_yes",
}
# What wegweiser-near.js says, from the locale files (ui.near_<key>).
NEAR_WORDS = (
    "km",
    "about_km",
    "from",
    "from_here",
    "unknown",
    "denied",
    "loading",
    "failed",
    "none",
)


@dataclass(frozen=True)
class SiteSettings:
    """What pages need from the site configuration (mkdocs.yml), without MkDocs types."""

    site_url: str = ""
    repo_url: str = ""
    branch: str = "main"
    lang: str = "de"  # the default language, at the site's root
    languages: tuple[str, ...] = ("de",)  # every interface language; others under /<code>/
    map: maps.MapSettings = maps.MapSettings()
    today: dt.date = field(default_factory=freshness.build_date)  # ages count to this day
    stale_after_months: int = freshness.DEFAULT_MONTHS
    page_size: int = paging.PAGE_SIZE  # places per page of a term's list
    operator_email: str = ""  # extra.wegweiser.operator.email: feedback without an account
    # the region's own words and templates (site/overrides.py): lang -> ui key -> text
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False)
    templates: str = ""  # the region's templates folder, looked up before the engine's

    @property
    def repository(self) -> urls.Repository:
        return urls.Repository(self.repo_url, self.branch)

    def contributing_url(self) -> str:
        return self.repository.file("CONTRIBUTING.md")

    def prefix(self, lang: str) -> str:
        """Where a language's pages live: the default at the root, others under "<code>/"."""
        return urls.tree(lang, self.lang)

    def subscribe_url(self, entry: Entry) -> str:
        return urls.subscribe(self.site_url, entry.slug)

    def edit_url(self, entry: Entry) -> str:
        return self.repository.edit(entry.source)

    def report_url(self, entry: Entry, ui: dict) -> str:
        if not self.repo_url:
            return ""
        page = urls.absolute(self.site_url, urls.entry_path(entry.slug)) if self.site_url else ""
        params = {
            # the issue form .github/ISSUE_TEMPLATE/info-falsch.yml, its field "eintrag" filled in
            "template": "info-falsch.yml",
            "eintrag": entry.source,
            "labels": "info-falsch",
            "title": ui["report_title"].format(name=entry.name),
            "body": ui["report_body"].format(name=entry.name, source=entry.source, url=page),
        }
        return self.repository.new_issue(params)

    def page_url(self, lang: str, path: str) -> str:
        """A page of ``lang``'s tree as visitors reach it (absolute where the site has an
        address)."""
        return urls.absolute(self.site_url, self.prefix(lang) + path)

    def mail_url(self, entry: Entry, ui: dict, lang: str) -> str:
        """An e-mail to the operator about the entry, in the visitor's language: its name,
        page and file, and a checklist. "" when mkdocs.yml names no operator e-mail."""
        name = entry.text("name", lang)
        page = self.page_url(lang, urls.entry_path(entry.slug))
        return urls.mailto(
            self.operator_email,
            ui["feedback_subject"].format(name=name),
            ui["feedback_body"].format(name=name, url=page, source=entry.source),
        )

    def search_feedback(self, ui: dict, lang: str) -> dict[str, str]:
        """The links of an empty search result (e-mail, GitHub issue), with QUERY_TOKEN
        where the search page's script puts the visitor's query, percent-encoded."""
        page = self.page_url(lang, urls.SEARCH)
        subject = ui["search_empty_subject"].format(query=QUERY_TOKEN)
        body = ui["search_empty_body"].format(query=QUERY_TOKEN, url=page)
        issue = {"title": subject, "body": body} if self.repo_url else None
        return {
            "mail": urls.mailto(self.operator_email, subject, body),
            "issue": self.repository.new_issue(issue) if issue else "",
        }


# Letters and digits only: percent-encoding leaves it as it is, so the script finds it in
# an encoded link and replaces it with the encoded query (wegweiser-search.js).
QUERY_TOKEN = "WWQUERY7Q"
# Where the language switch, drawn once per depth, takes each page's path (_language_switch).
PATH_TOKEN = "WWSEITENPFAD7Q"


@functools.cache
def _split_heading(content: str) -> tuple[str, str]:
    """A page's HTML cut after its first heading of level 1 ("" when it starts without)."""
    start = content.lstrip()
    if not start.startswith("<h1") or "</h1>" not in start:
        return "", content
    end = start.index("</h1>") + len("</h1>")
    return start[:end], start[end:]


def environment(templates: str = "") -> jinja2.Environment:
    """Jinja with the engine's templates, also as "wegweiser/<name>"; a region's templates
    folder (``templates``) first, so its files replace or extend the engine's."""
    engine = jinja2.PackageLoader("wegweiser.site", "templates")
    loaders = [engine, jinja2.PrefixLoader({overrides.ENGINE_PREFIX: engine})]
    if templates:
        loaders.insert(0, jinja2.FileSystemLoader(templates))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # templates are package files: no stat() of each before every page
    )
    env.filters["markdown"] = render_markdown
    env.globals.update(
        entry_path=urls.entry_path,
        term_path=urls.term_path,
        section_path=urls.section_path,
        relation_path=urls.relation_path,
        page_path=urls.page_path,
        search_path=urls.SEARCH,
        hsds_doc=urls.HSDS_DOC,
        vendor_dir=urls.VENDOR_DIR,
        is_sensitive=is_sensitive,
        osm_link=lambda e: urls.osm_link(e.place.lat, e.place.lon),
        route_links=lambda e: urls.route_links(e.place.lat, e.place.lon),
        hours_data=drafts.later(openstate.page_data),  # JSON of words: made when they are known
        hours_words=drafts.later(openstate.script_words),
        hours_state=openstate.static_state,
        week_rows=openstate.week_rows,
        geojson_uri=urls.GEOJSON,
        calendar_uri=urls.entry_calendar,
        meeting_words=meeting_words,
        example_mark=example_mark,
        search_marks=drafts.later(search_marks),
        label=drafts.later(lambda term, lang: term.label(lang)),
        label_beside_native=drafts.later(label_beside_native),
        text_in=drafts.later(text_in),
        plain_text=drafts.later(lambda e, key, lang: e.text(key, lang)),
        german_attr=drafts.later(german_attr),
        german_meta=drafts.later(german_meta),
        translation_notes=drafts.later(translation_notes),
        description_in=drafts.later(lambda e, lang: render_markdown(e.text("description", lang))),
        every_page_mark=EVERY_PAGE_MARK,
        every_page_word=search.EVERY_PAGE_WORD,
        filter_params=urls.FILTERS,
        flag_params=urls.FLAGS,
        flag_value=urls.FLAG_VALUE,
        filter_words=FILTER_WORDS,
        flag_words=FLAG_WORDS,
        municipalities_uri=urls.MUNICIPALITIES_DATA,
        near_words=near_words,
        near_path=urls.NEAR,
        map_path=urls.MAP,
        icons_uri=urls.ICONS,
    )
    return env


def near_words(ui: dict) -> dict[str, str]:
    """The words of "In meiner Nähe" for its script, in the page's language."""
    return {key: ui[f"near_{key}"] for key in NEAR_WORDS}


_EXAMPLE_MARK = jinja2.utils.markupsafe.Markup(' <span class="ww-example-mark">({})</span>')


def example_mark(entry: Entry, key: str, ui: dict) -> str:
    """ "(Beispiel)" after a field the entry marks as invented (``example_fields``).

    A function, not a macro: it runs for every field of every entry page.
    """
    if key in entry.data.get("example_fields", ()):
        return _EXAMPLE_MARK.format(ui["example_mark"])
    return ""


EVERY_PAGE_MARK = jinja2.utils.markupsafe.Markup(
    f'<span class="ww-every" hidden>{search.EVERY_PAGE_WORD}</span>'
)


def search_marks(entry: Entry, lists, lang: str) -> jinja2.utils.markupsafe.Markup:
    """What the search knows of an entry page besides its text, hidden from visitors: its
    filter values (search.filter_values) and the keywords of its category and topics in the
    page's language (search.keywords). Filters count even where Pagefind reads no text."""
    escape = jinja2.utils.markupsafe.escape
    marks = "".join(
        f'<span data-pagefind-filter="{key}:{escape(value)}"></span>'
        for key, value in search.filter_values(entry)
    )
    if words := search.keywords(entry, lists, lang):
        marks += f"<p>{escape(' '.join(words))}</p>"
    return jinja2.utils.markupsafe.Markup(f'<div class="ww-marks" hidden>{marks}</div>')


def label_beside_native(term, lang: str) -> str:
    """ " (Arabisch)" after a language's own name ("العربية") where the page's language
    names it otherwise; "" where it has no name for it or names it the same."""
    native = term.data.get("native", term.name)
    if term.has_label(lang) and native != term.label(lang):
        return f" ({term.label(lang)})"
    return ""


Markup = jinja2.utils.markupsafe.Markup


def text_in(entry: Entry, key: str, lang: str) -> Markup:
    """An entry's text in the page's language; the German original, marked as German,
    where there is no translation."""
    translated = entry.translation(lang).get(key)
    if translated or lang == "de":
        return jinja2.utils.markupsafe.escape(translated or entry.get(key))
    return Markup('<span lang="de" dir="ltr">{}</span>').format(entry.get(key))


def german_attr(entry: Entry, key: str, lang: str, name: str = "lang") -> Markup:
    """' lang="de" dir="ltr"' (or ' data-name-lang="de"') where the page shows the entry's
    text ``key`` in German for want of a translation."""
    if key not in entry.german_texts(lang):
        return Markup("")
    return Markup(' lang="de" dir="ltr"' if name == "lang" else f' {name}="de"')


def german_meta(entry: Entry, lang: str) -> Markup:
    """The search's note of what a result shows in German (``german_in_results``)."""
    german = german_in_results(entry, lang)
    return Markup(' data-pagefind-meta="german:{}"').format(german) if german else Markup("")


_NOTE = Markup('<p class="ww-note ww-note--{}" role="note" data-pagefind-ignore>{}</p>\n')


def translation_notes(entry: Entry, lang: str, ui: dict) -> Markup:
    """ "Nur auf Deutsch" where a text has no translation; "maschinell übersetzt"."""
    notes = Markup("")
    if entry.untranslated(lang):
        notes += _NOTE.format("german", ui["only_in_german"])
    if entry.translation(lang).get("machine_translated"):
        notes += _NOTE.format("machine", ui["machine_translated"])
    return notes


def german_in_results(entry: Entry, lang: str) -> str:
    """What a search result of the entry shows in German on ``lang``'s search page, for
    wegweiser-search.js to mark as German: "title" when the name has no translation, "text"
    when the summary and the description (if any) have none; "" when all is translated."""
    german = entry.german_texts(lang)
    shown = ["title"] if "name" in german else []
    if "summary" in german and ("description" in german or not entry.get("description")):
        shown.append("text")
    return " ".join(shown)


@functools.cache
def ui_strings(lang: str) -> dict[str, str]:
    """The engine's texts of the web page in ``lang`` (German where it has none), ``text_dir``,
    the writing direction, for the few places that must isolate digits on RTL pages, and
    ``page_lang``, for the few that show an entry's text in the page's language. A region's
    own texts come on top, per page (``Renderer``)."""
    return {
        **overrides.engine_texts(lang),
        "text_dir": language_info(lang)[1],
        "page_lang": lang,
    }


@functools.cache
def language_info(lang: str) -> tuple[str, str]:
    """(own name, writing direction) of an interface language, from its locale file."""
    data = read_locale(lang)
    return str(data.get("name", lang)), str(data.get("dir", "ltr"))


def meeting_words(value: dict, ui: dict) -> str:
    """``meetings`` in words: "jeden Monat, am ersten Mittwoch, 14:00–16:00 Uhr"."""
    day = ui[f"day_{value['day']}"]
    if value.get("week"):
        day = f"{ui['week_' + value['week']]} {day}"
    words = ui["meetings_rule"].format(
        repeat=ui[f"repeat_{value['repeat']}"], day=day, time=value["time"].replace("-", "–")
    )
    return words


_converters = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread, reused: setting one up cost as much as converting a text."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = markdown.Markdown(extensions=["sane_lists"], output_format="html")
        _converters.markdown = converter
    return converter


@functools.lru_cache(maxsize=32768)  # each language's page renders the same German text again
def render_markdown(text: str) -> jinja2.utils.markupsafe.Markup:
    """Markdown to safe HTML: raw HTML shows as text, links only to web, mail and phone."""
    source = html.escape(text, quote=False)
    converted = _markdown().reset().convert(source)
    cleaned = nh3.clean(
        converted,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="nofollow noopener noreferrer",
    )
    return jinja2.utils.markupsafe.Markup(cleaned)


class Listed(list):
    """The places of one page of a list, with their cards drawn before (``cards``): the
    engine's _macros.html takes them; a region's templates may draw their own."""

    def __init__(self, entries: list[Entry], cards: list):
        super().__init__(entries)
        self.cards = cards


class Renderer:
    """Renders every kind of page for one Directory and one interface language."""

    def __init__(
        self,
        directory: Directory,
        settings: SiteSettings,
        lang: str | None = None,
        env: jinja2.Environment | None = None,
        drafts: Drafts | None = None,
    ):
        """``env``: the templates (``environment``), shared by a build's languages: each
        template is compiled once, not once per language. ``drafts``, shared by them too:
        each entry page drawn once for the languages in which it differs only in words
        (site/drafts.py); without it, every page is drawn whole."""
        self.directory = directory
        self.settings = settings
        self.lang = lang or settings.lang
        self.ui = {**ui_strings(self.lang), **settings.texts.get(self.lang, {})}
        self.dir = language_info(self.lang)[1]
        self.env = env or environment(settings.templates)
        self._switches: dict[str, str] = {}  # the language switch per depth (root)
        self._card_cache: dict[tuple[str, str], str] = {}  # (slug, depth) -> list card
        self._fields: dict[str, str] = {}  # list -> the filters of its pages
        self.drafts = drafts

    def _render(self, template: str, path: str, **context) -> str:
        """A page at ``path`` of this language's tree ("orte/x/"), with the language switch."""
        base, root = self._bases(path)
        html = self._fill(template, **self._common(base, root, self.ui, self.lang), **context)
        return self._language_switch(root, path) + html

    def _bases(self, path: str) -> tuple[str, str]:
        """(this language's root, the site's root) relative to ``path``."""
        base = "../" * path.count("/")
        return base, base + "../" * self.settings.prefix(self.lang).count("/")

    def _common(self, base: str, root: str, ui, lang: str) -> dict:
        """What every template sees."""
        return {
            "base": base,
            "root": root,
            "ui": ui,
            "d": self.directory,
            "lists": self.directory.lists,
            "lang": lang,
            "default_lang": self.settings.lang,
            "map": self.settings.map,
        }

    def _fill(self, template: str, **context) -> str:
        """``template`` filled in; a failing region template is a TemplateProblem with its
        place, never a traceback in the build log."""
        try:
            return self.env.get_template(template).render(**context)
        except Exception as exc:  # Jinja's errors, and a KeyError from a .format() in it
            problem = overrides.template_problem(exc, self.settings.templates)
            if problem is None:
                raise
            raise problem from None

    def _language_switch(self, root: str, path: str) -> str:
        """The links to the page in every language: drawn once per depth (``root``) with a
        token for the page's path, then filled in; thousands of pages share a depth."""
        if len(self.settings.languages) < 2:
            return ""
        switch = self._switches.get(root)
        if switch is None:
            switch = self._switches[root] = self._fill(
                "languages.html",
                ui=self.ui,
                current=self.lang,
                links=[
                    (code, *language_info(code), f"{root}{self.settings.prefix(code)}{PATH_TOKEN}")
                    for code in self.settings.languages
                ],
            )
        return switch.replace(PATH_TOKEN, str(jinja2.utils.markupsafe.escape(path)))

    def entry(self, entry: Entry) -> str:
        """The entry's page: drawn whole, or filled into its draft (``drafts``)."""
        path = urls.entry_path(entry.slug)
        values = {  # in the page's words, or where its language's pages are: marks in a draft
            "report_url": self.settings.report_url(entry, self.ui),
            "mail_url": self.settings.mail_url(entry, self.ui, self.lang),
            "root": self._bases(path)[1],
        }
        if self.drafts is None:
            values.pop("root")
            return self._render("entry.html", path, **self._entry_context(entry, self.ui), **values)
        key = self._draft_key(entry, values)
        draft = self.drafts.get(key) or self.drafts.keep(key, self._draw(entry, path, values))
        return self._language_switch(values["root"], path) + draft.fill(self.ui, self.lang, values)

    def _entry_context(self, entry: Entry, ui) -> dict:
        return {
            "e": entry,
            "edit_url": self.settings.edit_url(entry),
            "subscribe_url": self.settings.subscribe_url(entry),
            "contributing_url": self.settings.contributing_url(),
            "age": freshness.months_between(entry.verified_on, self.settings.today),
            "stale_after": self.settings.stale_after_months,
            "relations": self._relations(entry, ui),
            "closures": openstate.closure_lines(entry, self.settings.today, ui),
        }

    def _draw(self, entry: Entry, path: str, values: dict) -> drafts.Draft:
        """The entry's page with marks for its words, drawn in this language."""
        words = drafts.Words(self.ui, self.lang)
        marked = {
            name: drafts.value(words, name) if found else "" for name, found in values.items()
        }
        common = self._common(self._bases(path)[0], marked.pop("root"), words, words.lang)
        html = self._fill("entry.html", **common, **self._entry_context(entry, words), **marked)
        return drafts.Draft(html, words)

    def _draft_key(self, entry: Entry, values: dict) -> tuple:
        """What decides the shape of the entry's page beyond its words and per-language
        values (site/drafts.py): languages with the same key share its draft."""
        return (entry.slug, *(bool(found) for found in values.values()))

    def _relations(self, entry: Entry, ui=None) -> list[tuple[str, list[Entry], int, str]]:
        """The entry page's relations: (heading, places shown, how many in all, relation).

        A relation longer than RELATIONS_SHOWN shows its first places and links its
        list pages; ``relation`` is "" for part_of and coordinated_by (one place each).
        """
        ui = self.ui if ui is None else ui
        rows = []
        for key in ("part_of", "coordinated_by"):
            if (other := self.directory.entries.get(entry.get(key))) is not None:
                rows.append((ui[key], [other], 1, ""))
        for relation in urls.RELATION_PAGES:
            if places := self.related(entry, relation):
                rows.append((ui[relation], places[:RELATIONS_SHOWN], len(places), relation))
        return rows

    def _related_shown(self, entry: Entry) -> list[Entry]:
        """The places the entry page names (its relations' first places)."""
        return [place for _, places, _, _ in self._relations(entry) for place in places]

    def related(self, entry: Entry, relation: str) -> list[Entry]:
        """The places of one of the entry's relations (a key of urls.RELATION_PAGES), sorted."""
        directory = self.directory
        if relation == "members":
            return directory.members_of.get(entry.slug, [])
        if relation == "coordinates":
            return directory.coordinates.get(entry.slug, [])
        part_of = directory.entries.get(entry.get("part_of"))  # shown under its own heading
        return [n for n in directory.networks.get(entry.slug, []) if n is not part_of]

    def relation(self, entry: Entry, relation: str, page: int = 1) -> str:
        """Page ``page`` of the list of a relation too long for the entry page."""
        return self._list_page(
            "relation.html",
            urls.relation_path(entry.slug, relation),
            self.related(entry, relation),
            page,
            e=entry,
            relation=relation,
        )

    def relation_title(self, entry: Entry, relation: str, page: int = 1) -> str:
        name = entry.text("name", self.lang)
        label = self.ui[f"{relation}_page_title"].format(name=name)
        return self._page_title(label, page, self.relation_pages(entry, relation))

    def relation_pages(self, entry: Entry, relation: str) -> int:
        """How many list pages the relation fills; 0 when the entry page shows it all."""
        total = len(self.related(entry, relation))
        return paging.page_count(total, self.settings.page_size) if total > RELATIONS_SHOWN else 0

    def term(self, list_name: str, term_id: str, page: int = 1) -> str:
        """Page ``page`` of a term's places (``term_pages`` says how many there are), with
        the ways to narrow the list (the search's filters) and to sort it by distance."""
        return self._list_page(
            "term.html",
            urls.term_path(list_name, term_id),
            self._entries_for(list_name, term_id),
            page,
            term=self.directory.lists[list_name][term_id],
            list_name=list_name,
            filled=self.filled,
            labels=self.category_labels,
            near_uri=urls.near_data(list_name, term_id),
            fields=self._list_fields(list_name),
        )

    def _list_fields(self, list_name: str) -> str:
        """The filters of a list's pages, the same on each of them: drawn once per list (they
        were a third of the time of a build's list pages)."""
        if list_name not in self._fields:
            skip = (list_name, "municipalities")
            args = (self.directory.lists, self.filled, self.lang, self.ui)
            self._fields[list_name] = self._macro(
                "filters", *args, template="_finder.html", skip=skip
            )
        return self._fields[list_name]

    @functools.cached_property
    def filled(self) -> dict[str, list[str]]:
        """For each list a filter chooses from (urls.FILTERS), the ids of its terms that have
        places, in the list's order: a choice that finds nothing is not offered."""
        return {
            name: [tid for tid in self.directory.lists[name] if self._entries_for(name, tid)]
            for name in urls.FILTERS
        }

    @functools.cached_property
    def category_labels(self) -> dict[str, list[str]]:
        """Category id -> [its name in the page's language, "de" where that is German]."""
        return {
            cid: [term.label(self.lang), "" if term.has_label(self.lang) else "de"]
            for cid, term in self.directory.lists["categories"].items()
        }

    def _list_page(self, template: str, path: str, entries: list, page: int, **context) -> str:
        """Page ``page`` of the places ``entries``, listed at ``path`` in pages of page_size."""
        pages = paging.Paging(page, len(entries), self.settings.page_size)
        shown, at = entries[pages.start : pages.stop], urls.page_path(path, page)
        cards = self._cards(shown, "../" * at.count("/"))
        return self._render(
            template, at, entries=Listed(shown, cards), pages=pages, list_path=path, **context
        )

    def keep_cards(self, other: Renderer, slugs: set[str]) -> None:
        """The list cards ``other`` drew of the entries ``slugs`` (the same entries, language
        and templates), drawn here no more (the quick preview, livepreview.py)."""
        cards = other._card_cache.items()
        self._card_cache.update({key: card for key, card in cards if key[0] in slugs})

    def _cards(self, entries: list[Entry], base: str) -> list:
        """The list cards of ``entries`` on a page at depth ``base``: each drawn once per
        language and depth, though a place stands in the lists of its category, town,
        topics and languages (the lists were the larger part of a build's time)."""
        cards = []
        for entry in entries:
            card = self._card_cache.get((entry.slug, base))
            if card is None:
                card = self._card_cache[entry.slug, base] = self._card(entry, base)
            cards.append(card)
        return cards

    def _card(self, entry: Entry, base: str) -> str:
        """An entry's list card: drawn, or filled into its draft (as ``entry``)."""
        lists = self.directory.lists
        if self.drafts is None:
            return self._macro("entry_card", entry, base, lists, self.lang, self.ui)
        key = ("card", entry.slug, base)
        draft = self.drafts.get(key)
        if draft is None:
            words = drafts.Words(self.ui, self.lang)
            card = self._macro("entry_card", entry, base, lists, words.lang, words)
            draft = self.drafts.keep(key, drafts.Draft(card, words))
        return Markup(draft.fill(self.ui, self.lang, {}))

    def _macro(self, name: str, *args, template: str = "_macros.html", **kwargs):
        """A macro of ``template`` (the region's, where it has its own), called from here."""
        try:
            return getattr(self.env.get_template(template).module, name)(*args, **kwargs)
        except Exception as exc:  # as in _fill: a region's mistake is named with its place
            problem = overrides.template_problem(exc, self.settings.templates)
            if problem is None:
                raise
            raise problem from None

    def term_title(self, list_name: str, term_id: str, page: int = 1) -> str:
        """The term's name, and which page of how many when its places fill more than one."""
        label = self.directory.lists[list_name][term_id].label(self.lang)
        return self._page_title(label, page, self.term_pages(list_name, term_id))

    def _page_title(self, label: str, page: int, pages: int) -> str:
        if pages <= 1:
            return label
        return f"{label} – {self.ui['page_of'].format(page=page, pages=pages)}"

    def term_pages(self, list_name: str, term_id: str) -> int:
        """How many pages the term's places fill (at least one)."""
        return paging.page_count(
            len(self._entries_for(list_name, term_id)), self.settings.page_size
        )

    def overview(self, list_name: str) -> str:
        counts = {
            tid: len(self._entries_for(list_name, tid)) for tid in self.directory.lists[list_name]
        }
        path = urls.section_path(list_name)
        return self._render("overview.html", path, list_name=list_name, counts=counts)

    def home(self) -> str:
        counts = {
            name: {tid: len(self._entries_for(name, tid)) for tid in self.directory.lists[name]}
            for name in urls.SECTIONS
        }
        suggest = {"template": "neuer-ort.yml", "labels": "neuer-ort"}  # .github/ISSUE_TEMPLATE/
        suggest_url = self.settings.repository.new_issue(suggest)
        return self._render(
            "home.html", "", counts=counts, sections=urls.SECTIONS, suggest_url=suggest_url
        )

    def near_page(self) -> str:
        """ "In meiner Nähe": every place of the map data sorted by distance on the device;
        a category narrows the list."""
        return self._render(
            "near.html",
            urls.NEAR,
            map_uri=self.map_uri,
            labels=self.category_labels,
            filled=self.filled,
        )

    def _entries_for(self, list_name: str, term_id: str) -> list[Entry]:
        return self.directory.index(list_name).get(term_id, [])

    def map_page(self) -> str:
        """The overview map: category filter, map (after consent), and beside it the
        municipalities with their number of places, each linking to its list.

        Not every place: the page would grow with the directory (1 MB at 5,000 entries).
        The counts per category let the filter update the list without the places.
        """
        directory = self.directory
        counts = {
            cid: len(directory.by_category.get(cid, [])) for cid in directory.lists["categories"]
        }
        return self._render(
            "map.html",
            urls.MAP,
            colours=maps.colour_index(directory),
            counts=counts,
            municipalities=self._categories_by_municipality(),
            map_uri=self.map_uri,
            labels=self.category_labels,
        )

    @property
    def map_uri(self) -> str:
        """The map data of this language: with the entries' names in it where any entry has
        one (measured: cheaper for a visitor than the German file plus a table of names)."""
        return urls.map_data(self.lang if self.directory.has_names_in(self.lang) else None)

    def _categories_by_municipality(self) -> dict[str, dict[str, int]]:
        """Municipality -> category -> number of places, in the order of the lists."""
        order = list(self.directory.lists["categories"])
        result = {}
        for mid in self.directory.lists["municipalities"]:
            if places := self.directory.by_municipality.get(mid):
                found = Counter(e.category for e in places)
                result[mid] = {cid: found[cid] for cid in order if found[cid]}
        return result

    def data_page(self, files: list, license, size=None, hsds_page: bool = False) -> str:
        """The "Daten" page: every export file with format, size and licence; a link to the
        HSDS field mapping when the site has that hand-written page (``hsds_page``).

        ``size(file)`` writes a file's size; by default from ``file.size``.
        """
        size = size or (lambda item: file_size(item.size))
        return self._render(
            "data.html", urls.DATA, files=files, license=license, size=size, hsds_page=hsds_page
        )

    def hand_written(self, content: str, path: str, german: bool) -> str:
        """A hand-written page (docs/: Impressum, Mitmachen …) as MkDocs made its HTML, at
        ``path`` of this language's tree, with the language switch; ``german``: the German
        original stands in for a missing translation, marked so and said so."""
        heading, rest = _split_heading(content)
        return self._render(
            "page.html",
            path,
            heading=jinja2.utils.markupsafe.Markup(heading),
            content=jinja2.utils.markupsafe.Markup(rest),
            german=german and self.lang != "de",
        )

    def search(self) -> str:
        """The search page: the form with the filters, the bundles of the language's index
        and the categories each holds (search.plan), so a query asks only the bundles it needs."""
        parts = search.plan({self.lang: self.settings.prefix(self.lang)}, self.directory.entries)
        return self._render(
            "search.html",
            urls.SEARCH,
            bundles=[part.bundle for part in parts],
            bundle_categories=[" ".join(part.categories) for part in parts],
            filled=self.filled,
            feedback=self.settings.search_feedback(self.ui, self.lang),
            query_token=QUERY_TOKEN,
        )

    def field_reference(self, schema: dict, schema_url: str) -> str:
        return self._render(
            "fields.html",
            urls.FIELDS,
            schema=schema,
            schema_url=schema_url,
            rows=list(_field_rows(schema, "", schema.get("required", ()))),
        )


def _field_rows(schema: dict, prefix: str = "", required=()):
    for key, sub in schema.get("properties", {}).items():
        name = f"{prefix}{key}"
        yield {
            "name": name,
            "title": sub.get("title", ""),
            "description": sub.get("description", ""),
            "required": key in required,
            "values": sub.get("x-values") or sub.get("items", {}).get("x-values"),
            "enum": sub.get("enum") if "x-values" not in sub else None,
            "example": json.dumps(sub["examples"][0], ensure_ascii=False)
            if sub.get("examples")
            else "",
        }
        if sub.get("type") == "object" and "properties" in sub:
            yield from _field_rows(sub, f"{name}.", sub.get("required", ()))
        items = sub.get("items", {})
        if items.get("type") == "object":
            yield from _field_rows(items, f"{name}[].", items.get("required", ()))


def file_size(size: int) -> str:
    """German file sizes: "830 Bytes", "12,4 KB", "3,1 MB"."""
    if size < 1000:
        return f"{size} Bytes"
    unit, value = ("KB", size / 1000) if size < 1_000_000 else ("MB", size / 1_000_000)
    return f"{value:.1f} {unit}".replace(".", ",")


def page_title(text: str) -> str:
    """Titles go into the theme's templates, which do not escape: escape them here, once."""
    return html.escape(text, quote=True)
