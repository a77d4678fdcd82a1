"""Work shared between languages (issue 19) never mixes them up.

Whatever one language's page makes once and the others reuse (Markdown of a description,
the language switch drawn once per depth, frames) must give each page its own language
and its own address. Timings stay in scripts/benchmark.md, not here.
"""

import datetime as dt
import re
from pathlib import Path

from helpers import FIXTURES
from wegweiser.core.model import Directory, Entry
from wegweiser.core.validate import Validator
from wegweiser.site import render
from wegweiser.site.render import Renderer, SiteSettings, render_markdown

DAY = dt.date(2026, 1, 1)
LANGUAGES = ("de", "en", "ar")


def _place(slug: str, **data) -> Entry:
    data = {"name": slug.title(), "category": "familienstuetzpunkt", "summary": "Ein Ort."} | data
    data |= {"address": {"city": "Leer"}, "verified": {"date": str(DAY), "by": "Redaktion"}}
    return Entry(slug, f"entries/{slug}.yml", data, None, DAY)


def _renderers(entries: list[Entry]) -> dict[str, Renderer]:
    lists = Validator(FIXTURES, FIXTURES / "site" / "entries").lists
    directory = Directory.build(entries, lists)
    settings = SiteSettings(languages=LANGUAGES, today=DAY)
    return {lang: Renderer(directory, settings, lang) for lang in LANGUAGES}


def _switch(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="ww-langs".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', nav)


def test_a_translated_description_shows_on_its_language_and_the_german_on_the_others():
    translated = _place(
        "arabisch",
        description="Beratung **auf Deutsch**.",
        translations={"ar": {"name": "مكان", "description": "استشارة **بالعربية**."}},
    )
    renderers = _renderers([translated])
    pages = {}
    for lang in ("ar", "de", "en", "ar", "de"):  # in turns: whatever is reused, reused again
        page = renderers[lang].entry(translated)
        assert pages.setdefault(lang, page) == page, lang
    assert "<strong>بالعربية</strong>" in pages["ar"]
    assert "auf Deutsch" not in pages["ar"]
    for lang in ("de", "en"):
        assert "<strong>auf Deutsch</strong>" in pages[lang]
        assert "بالعربية" not in pages[lang]
    assert '<h1 data-pagefind-meta="title">مكان</h1>' in pages["ar"]
    assert '<span lang="de" dir="ltr">Arabisch</span>' in pages["en"]
    # the same text converted once, whichever page asked first
    assert render_markdown("استشارة **بالعربية**.") == "<p>استشارة <strong>بالعربية</strong>.</p>"


def test_the_language_switch_drawn_once_per_depth_names_each_pages_own_address():
    first, second = _place("erster-ort"), _place("zweiter-ort")
    renderers = _renderers([first, second])
    for lang, root in (("de", "../../"), ("ar", "../../../")):
        renderer = renderers[lang]
        for entry in (first, second, first):
            assert _switch(renderer.entry(entry)) == [
                (f"{root}orte/{entry.slug}/", "de"),
                (f"{root}en/orte/{entry.slug}/", "en"),
                (f"{root}ar/orte/{entry.slug}/", "ar"),
            ]
        # another depth, the same language: its own switch
        term = renderer.term("categories", "familienstuetzpunkt")
        links = [href for href, _code in _switch(term)]
        assert links[0] == f"{root}kategorien/familienstuetzpunkt/"
    assert 'aria-current="page">العربية' in renderers["ar"].entry(first)
    assert 'aria-current="page">Deutsch' in renderers["de"].entry(first)


def test_a_regions_own_macros_draw_the_cards_of_every_list(tmp_path):
    """A region's _macros.html (overrides/templates/) as written before cards were drawn
    once: its own card on every list page, each place once."""
    engine = (Path(render.__file__).parent / "templates" / "_macros.html").read_text("utf-8")
    old_list = engine.replace(
        "entries.cards[loop.index0] if entries.cards is defined else entry_card(",
        "entry_card(",
    ).replace('<li class="ww-card">', '<li class="ww-card region-card">')
    (tmp_path / "_macros.html").write_text(old_list, "utf-8")
    places = [_place("erster-ort"), _place("zweiter-ort")]
    lists = Validator(FIXTURES, FIXTURES / "site" / "entries").lists
    settings = SiteSettings(languages=LANGUAGES, today=DAY, templates=str(tmp_path))
    renderer = Renderer(Directory.build(places, lists), settings, "en")
    for _ in range(2):
        page = renderer.term("categories", "familienstuetzpunkt")
        assert page.count('<li class="ww-card region-card">') == 2
        assert page.count('href="../../orte/erster-ort/"') == 1
