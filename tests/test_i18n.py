"""Interface languages: page trees per language, right-to-left, untranslated and machine text."""

import re

import pytest
from browser import browser, serve
from wegweiser.core.findings import read_locale
from wegweiser.core.model import Entry
from wegweiser.site.render import german_in_results, ui_strings

AR = ui_strings("ar")
EN = ui_strings("en")


def page(built_site, path):
    return (built_site / path / "index.html").read_text("utf-8")


def test_every_language_has_its_tree_with_lang_and_direction(built_site):
    for prefix, lang, direction in (("", "de", "ltr"), ("en/", "en", "ltr"), ("ar/", "ar", "rtl")):
        html = page(built_site, f"{prefix}orte/familienstuetzpunkt-bunde")
        assert f'<html lang="{lang}"' in html
        assert f'<body dir="{direction}"' in html


def test_pages_link_their_language_versions_with_hreflang_and_a_switch(built_site):
    html = page(built_site, "ar/kategorien/koordinierungsstelle")
    switch = re.search(r'<nav class="ww-langs".*?</nav>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switch)
    assert links == [
        ("../../../kategorien/koordinierungsstelle/", "de"),
        ("../../../en/kategorien/koordinierungsstelle/", "en"),
        ("../../../ar/kategorien/koordinierungsstelle/", "ar"),
    ]
    assert f'aria-label="{AR["language_switch"]}"' in switch
    assert 'hreflang="de" lang="de" dir="ltr" rel="alternate">Deutsch</a>' in switch
    assert 'lang="ar" dir="rtl" aria-current="page">العربية</a>' in switch
    # Material fetches sitemap.xml below every <link rel=alternate>: there must be none
    assert '<link rel="alternate"' not in html


def test_translated_text_is_shown_and_the_rest_is_marked_german(built_site):
    html = page(built_site, "ar/orte/koordinierungsstelle-migration-und-teilhabe")
    assert '<h1 data-pagefind-meta="title">مكتب تنسيق الهجرة والمشاركة</h1>' in html
    assert AR["only_in_german"] in html  # the description has no Arabic translation
    assert AR["machine_translated"] in html
    assert '<div class="ww-description" lang="de" dir="ltr">' in html
    english = page(built_site, "en/orte/familienstuetzpunkt-bunde")
    assert (
        '<h1 data-pagefind-meta="title"><span lang="de" dir="ltr">Familienstützpunkt Bunde</span></h1>'
        in english
    )
    assert EN["only_in_german"] in english
    assert EN["machine_translated"] not in english
    german = page(built_site, "orte/familienstuetzpunkt-bunde")
    assert "ww-note" not in german


def test_entry_pages_tell_the_search_what_a_result_shows_in_german(built_site):
    bunde = page(built_site, "ar/orte/familienstuetzpunkt-bunde")
    assert 'data-pagefind-body data-pagefind-meta="german:title text">' in bunde
    assert "german:" not in page(built_site, "orte/familienstuetzpunkt-bunde")
    # an Arabic name and summary, a German description: neither title nor text is German
    assert "german:" not in page(built_site, "ar/orte/koordinierungsstelle-migration-und-teilhabe")

    def entry(german_description: str = "", **arabic) -> Entry:
        data = {"name": "Treff", "summary": "Ein Ort.", "description": german_description}
        data["translations"] = {"ar": arabic}
        return Entry("treff", "entries/treff.yml", data, None, None)

    assert german_in_results(entry(), "ar") == "title text"
    assert german_in_results(entry(), "de") == ""
    assert german_in_results(entry(name="ملتقى"), "ar") == "text"
    assert german_in_results(entry(summary="مكان."), "ar") == "title"
    assert german_in_results(entry("Mehr.", name="ملتقى"), "ar") == "text"
    assert german_in_results(entry("Mehr.", name="ملتقى", description="المزيد."), "ar") == ""


def test_interface_words_and_navigation_come_in_the_page_language(built_site):
    html = page(built_site, "ar/orte/familienstuetzpunkt-bunde")
    assert f"<dt data-pagefind-ignore>{AR['address']}</dt>" in html
    nav = re.search(r'<ul class="md-nav__list".*?</ul>', html, re.S).group(0)
    assert f'href="../../kategorien/" class="md-nav__link">{AR["categories"]}</a>' in nav
    assert f'class="md-nav__link">{AR["map"]}</a>' in nav
    # Material's own words (labels of header, navigation) follow the page too
    assert 'aria-label="تصفح"' in html and 'aria-label="عنوان العارضة"' in html


def test_places_can_be_found_by_the_languages_spoken_there(built_site):
    html = page(built_site, "sprachen/en")
    assert "Koordinierungsstelle Migration und Teilhabe" in html
    assert "Familienstützpunkt Bunde" not in html
    arabic = page(built_site, "ar/sprachen/no")  # "no" (Norwegian) stays a language code
    assert 'lang="no"' in arabic


def test_adding_a_language_is_a_data_file():
    for code in ("de", "en", "ar", "fa", "uk", "ru", "tr"):
        locale = read_locale(code)
        assert locale["dir"] in ("ltr", "rtl") and locale["name"]
        assert set(locale["ui"]) == set(read_locale("de")["ui"]), code


@pytest.mark.browser
def test_arabic_page_is_laid_out_right_to_left_and_search_works_in_arabic(built_site):
    with serve(built_site) as url, browser() as chromium:
        tab = chromium.new_page()
        tab.goto(url + "ar/orte/koordinierungsstelle-migration-und-teilhabe/")
        assert tab.evaluate("getComputedStyle(document.body).direction") == "rtl"
        description = tab.locator(".ww-description")
        assert description.evaluate("e => getComputedStyle(e).direction") == "ltr"
        tab.goto(url + "ar/suche/?q=" + "الهجرة")
        tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
        results = tab.locator("#ww-search").inner_text()
        assert "مكتب تنسيق الهجرة والمشاركة" in results
        link = tab.locator(".pagefind-ui__result-link").first.get_attribute("href")
        assert link.startswith("/ar/orte/"), link


# How each result is marked: its slug -> (title's lang, dir; excerpt's lang, dir).
RESULT_MARKS = """() => Object.fromEntries([...document.querySelectorAll('.pagefind-ui__result')].map(r => {
  const title = r.querySelector('.pagefind-ui__result-title');
  const excerpt = r.querySelector('.pagefind-ui__result-excerpt');
  const slug = r.querySelector('a').getAttribute('href').split('/').at(-2);
  return [slug, [title.lang, title.dir, excerpt.lang, excerpt.dir]];
}))"""


def result_marks(tab, url: str) -> dict[str, list[str]]:
    tab.goto(url)
    tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    tab.wait_for_load_state("networkidle")
    assert tab.locator(".pagefind-ui__result-tags").count() == 0  # the meta "german" is not shown
    return tab.evaluate(RESULT_MARKS)


@pytest.mark.browser
def test_german_texts_in_arabic_search_results_are_marked_left_to_right(built_site):
    """Bunde has no Arabic text: its title and excerpt are German, as on its page. The
    Koordinierungsstelle has an Arabic name and summary: those stay unmarked, right to left."""
    with serve(built_site) as url, browser() as chromium:
        tab = chromium.new_page()
        marks = result_marks(tab, url + "ar/suche/?q=Familien")
        assert marks["familienstuetzpunkt-bunde"] == ["de", "ltr", "de", "ltr"]
        excerpt = tab.locator(".pagefind-ui__result-excerpt[lang=de]").first
        assert excerpt.evaluate("e => getComputedStyle(e).direction") == "ltr"
        # its German description matched: left to right, but not claimed to be German
        assert marks["koordinierungsstelle-migration-und-teilhabe"] == ["", "", "", "ltr"]
        marks = result_marks(tab, url + "ar/suche/?q=" + "الهجرة")
        assert marks == {"koordinierungsstelle-migration-und-teilhabe": ["", "", "", ""]}
        title = tab.locator(".pagefind-ui__result-title").first
        assert title.evaluate("e => getComputedStyle(e).direction") == "rtl"
        marks = result_marks(tab, url + "en/suche/?q=Bunde")  # the same German, on the left
        assert marks["familienstuetzpunkt-bunde"] == ["de", "ltr", "de", "ltr"]
        assert result_marks(tab, url + "suche/?q=Bunde")["familienstuetzpunkt-bunde"] == [""] * 4
