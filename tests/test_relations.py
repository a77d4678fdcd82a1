"""An entry page lists at most RELATIONS_SHOWN places of each relation; the rest are a link away.

The fixture site gets RELATIONS_SHOWN + 3 more places in Leer that say they are part of
the Koordinierungsstelle, and ``page_size: 5``: its members (those plus Familienstützpunkt
Bunde and the Runder Tisch) then fill three list pages below its entry page. The places it
coordinates (one) stay a short list on the entry page, with no link and no page.
"""

import json
import re

import pytest
from browser import browser, serve
from helpers import assert_paged_in_sitemap, build_with
from test_a11y import violations
from test_paging import cards, read
from wegweiser.site.render import RELATIONS_SHOWN, ui_strings

DE, AR = ui_strings("de"), ui_strings("ar")
NAME = "Koordinierungsstelle Migration und Teilhabe"
NETWORK = "orte/koordinierungsstelle-migration-und-teilhabe"
MEMBERS = f"{NETWORK}/mitglieder"
NEW = [f"Mitglied {n:02d}" for n in range(1, RELATIONS_SHOWN + 4)]
MEMBER_NAMES = ["Familienstützpunkt Bunde", *NEW, "Runder Tisch"]  # sorted by name
EXTRA = """name: Mitglied {n:02d}
category: familienstuetzpunkt
summary: Ein Ort, damit die Koordinierungsstelle viele Mitglieder hat.
address:
  city: Leer
verified:
  date: 2026-01-01
  by: Redaktion
part_of: koordinierungsstelle-migration-und-teilhabe
"""


@pytest.fixture(scope="module")
def related_site(tmp_path_factory):
    extra = {f"leer/mitglied-{n:02d}.yml": EXTRA.format(n=n) for n in range(1, len(NEW) + 1)}
    return build_with(tmp_path_factory.mktemp("related"), 5, extra)


def relation_lists(html):
    """Heading -> names listed under it on an entry page."""
    found = re.findall(
        r'<h2 data-pagefind-ignore>([^<]+)</h2>\s*<ul class="ww-relations"[^>]*>(.*?)</ul>',
        html,
        re.S,
    )
    return {label: re.findall(r'<li><a href="[^"]+">([^<]*)', items) for label, items in found}


def short(name):
    """The Runder Tisch's name is long and hostile (escaped markup): its first words."""
    return "Runder Tisch" if name.startswith("Runder Tisch") else name


def test_entry_page_shows_the_first_members_and_links_all(related_site):
    html = read(related_site, NETWORK)
    members = relation_lists(html)[DE["members"]]
    assert [short(name) for name in members] == MEMBER_NAMES[:RELATIONS_SHOWN]
    link = DE["members_all"].format(count=len(MEMBER_NAMES))
    assert f'<a href="../../{MEMBERS}/">{link}</a>' in html
    assert html.count("ww-relations__all") == 1  # the one long relation
    assert relation_lists(html)[DE["coordinates"]] == ["Familienstützpunkt Bunde"]
    assert not (related_site / NETWORK / "koordiniert").exists()  # a short list: no page
    assert not (related_site / NETWORK / "netzwerke").exists()


def test_short_relations_have_no_link_and_no_page(related_site):
    html = read(related_site, "orte/familienstuetzpunkt-bunde")
    assert relation_lists(html)[DE["networks"]] == [NAME]
    assert "ww-relations__all" not in html
    assert [p.name for p in (related_site / "orte" / "familienstuetzpunkt-bunde").iterdir()] == [
        "index.html"
    ]


def test_members_pages_list_every_member_once_in_order(related_site):
    pages = [read(related_site, path) for path in (MEMBERS, f"{MEMBERS}/2", f"{MEMBERS}/3")]
    shown = [[short(name) for name in cards(html)] for html in pages]
    assert shown == [MEMBER_NAMES[:5], MEMBER_NAMES[5:10], MEMBER_NAMES[10:]]
    assert not (related_site / MEMBERS / "4").exists()
    title = f"Mitglieder von {NAME} – Seite 2 von 3"
    assert f"<title>{title} - Wegweiser Test</title>" in pages[1]
    assert "Seite 2 von 3: Orte 6 bis 10 von 15" in pages[1]
    assert '<a href="../../../../orte/koordinierungsstelle-migration-und-teilhabe/">' in pages[1]
    assert '<a href="../../../../' + MEMBERS + '/3/" rel="next">' in pages[1]
    for html in pages:
        assert "data-pagefind-body" not in html  # search finds the places, not this list
        assert "<script>document" not in html  # the Runder Tisch's name stays text


def test_arabic_members_page_switches_language_on_the_same_page(related_site):
    html = read(related_site, f"ar/{MEMBERS}/2")
    assert '<html lang="ar"' in html and '<body dir="rtl"' in html
    switch = re.search(r'<nav class="ww-langs".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switch) == [
        (f"../../../../../{MEMBERS}/2/", "de"),
        (f"../../../../../en/{MEMBERS}/2/", "en"),
        (f"../../../../../ar/{MEMBERS}/2/", "ar"),
    ]
    name = "مكتب تنسيق الهجرة والمشاركة"
    title = (
        f"{AR['members_page_title'].format(name=name)} – {AR['page_of'].format(page=2, pages=3)}"
    )
    assert f"<title>{title} - Wegweiser Test</title>" in html
    entry = read(related_site, f"ar/{NETWORK}")
    assert AR["members_all"].format(count=len(MEMBER_NAMES)) in entry


def test_sitemap_lists_the_members_pages_and_no_frame_is_left(related_site):
    sitemap = assert_paged_in_sitemap(related_site, f"{MEMBERS}/")
    assert "_rahmen" not in sitemap and "/koordiniert/" not in sitemap
    assert [str(p) for p in related_site.rglob("*_rahmen*")] == []


def test_search_indexes_each_entry_page_and_no_list(related_site):
    entries = 3 + len(NEW)  # the fixture's entries and the new members
    for lang, bundle in {"de": "pagefind", "en": "en/pagefind", "ar": "ar/pagefind"}.items():
        index = json.loads((related_site / bundle / "pagefind-entry.json").read_text("utf-8"))
        pages = {code: info["page_count"] for code, info in index["languages"].items()}
        assert pages == {lang: entries}  # one bundle per language (search.plan)


@pytest.mark.browser
def test_visitor_opens_all_members_prints_them_and_meets_no_barrier(related_site):
    with serve(related_site) as url, browser() as chromium:
        tab = chromium.new_page()
        tab.goto(url + NETWORK + "/")
        tab.get_by_role("link", name=DE["members_all"].format(count=len(MEMBER_NAMES))).click()
        tab.wait_for_url(f"**/{MEMBERS}/")
        assert violations(tab) == []
        tab.get_by_role("link", name=DE["page_next"]).click()
        tab.wait_for_url(f"**/{MEMBERS}/2/")
        assert tab.locator(".ww-card__name").all_inner_texts() == MEMBER_NAMES[5:10]
        tab.wait_for_selector("html[data-ww-qr=ready]")  # printing: a code per card
        tab.emulate_media(media="print")
        assert tab.locator(".ww-qr").count() == 5 and tab.locator(".ww-qr").first.is_visible()
        tab.emulate_media(media="screen")
        tab.get_by_role("link", name=DE["relation_back"].format(name=NAME)).click()
        tab.wait_for_url(f"**/{NETWORK}/")
        tab.goto(url + f"ar/{MEMBERS}/3/")
        assert violations(tab) == []
