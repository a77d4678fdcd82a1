"""Long lists come in pages of a fixed size: no page grows with the number of entries.

The fixture site gets four more places in Leer and ``page_size: 2``: Leer's list (five
places) then fills three pages, Bunde's (one place) stays a single page. One of the new
places is a Familienstützpunkt, so Leer has places of two categories on the map page.
"""

import re

import pytest
from browser import browser, serve
from helpers import assert_paged_in_sitemap, build_with
from test_a11y import violations
from wegweiser.site import paging
from wegweiser.site.render import ui_strings

DE, AR = ui_strings("de"), ui_strings("ar")
LEER = [  # Leer's places, sorted by name as the lists are
    "Koordinierungsstelle Migration und Teilhabe",
    "Treffpunkt Leer 1",
    "Treffpunkt Leer 2",
    "Treffpunkt Leer 3",
    "Treffpunkt Leer 4",
]
EXTRA = """name: Treffpunkt Leer {n}
category: {category}
summary: Ein Treffpunkt, damit die Liste von Leer mehrere Seiten hat.
address:
  city: Leer
verified:
  date: 2026-01-0{n}
  by: Redaktion
"""


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory):
    extra = {
        f"leer/treffpunkt-leer-{n}.yml": EXTRA.format(
            n=n, category="familienstuetzpunkt" if n == 4 else "koordinierungsstelle"
        )
        for n in range(1, 5)
    }
    return build_with(tmp_path_factory.mktemp("paged"), 2, extra)


def read(site, path):
    return (site / path / "index.html").read_text("utf-8")


def cards(html):
    return re.findall(r'class="ww-card__name" href="[^"]+">(?:<span[^>]*>)?([^<]+)<', html)


def pages_nav(html):
    found = re.search(r'<nav class="ww-pages".*?</nav>', html, re.S)
    return found.group(0) if found else ""


def test_page_numbers_stay_few_however_long_the_list():
    assert paging.Paging(1, 2, 50).numbers() == [1]
    assert paging.Paging(1, 500, 50).numbers() == [1, 2, 3, None, 10]
    assert paging.Paging(4, 500, 50).numbers() == [1, 2, 3, 4, 5, 6, None, 10]  # no "…" for 1
    assert paging.Paging(200, 20_000, 50).numbers() == [1, None, 198, 199, 200, 201, 202, None, 400]
    assert paging.Paging(400, 20_000, 50).numbers() == [1, None, 398, 399, 400]
    last = paging.Paging(400, 19_999, 50)
    assert (last.start, last.stop, last.count) == (19_950, 19_999, 400)
    assert paging.page_count(0, 50) == 1  # an empty list still has its page


def test_page_size_setting_falls_back_to_the_default():
    assert paging.page_size({"page_size": 20}) == 20
    for bad in ({}, {"page_size": 0}, {"page_size": "viele"}, {"page_size": None}):
        assert paging.page_size(bad) == paging.PAGE_SIZE


def test_a_long_list_fills_pages_in_order_without_gaps_or_repeats(paged_site):
    shown = [
        cards(read(paged_site, path))
        for path in ("gemeinden/leer", "gemeinden/leer/2", "gemeinden/leer/3")
    ]
    assert shown == [LEER[:2], LEER[2:4], LEER[4:]]
    assert not (paged_site / "gemeinden" / "leer" / "4").exists()
    assert not (paged_site / "gemeinden" / "leer" / "1").exists()  # page 1 is the list itself
    assert "Seite 2 von 3: Orte 3 bis 4 von 5" in read(paged_site, "gemeinden/leer/2")


def test_each_page_links_previous_next_and_itself(paged_site):
    first, middle, last = (
        pages_nav(read(paged_site, p))
        for p in ("gemeinden/leer", "gemeinden/leer/2", "gemeinden/leer/3")
    )
    assert 'rel="prev"' not in first
    assert '<a href="../../gemeinden/leer/2/" rel="next">' in first
    assert '<a href="../../../gemeinden/leer/" rel="prev">' in middle
    assert '<a href="../../../gemeinden/leer/3/" rel="next">' in middle
    assert (
        '<a href="../../../gemeinden/leer/2/" aria-label="Seite 2" aria-current="page">2</a>'
        in middle
    )
    assert '<a href="../../../gemeinden/leer/2/" rel="prev">' in last and 'rel="next"' not in last
    assert f'aria-label="{DE["pages_nav"]}"' in middle


def test_titles_say_which_page(paged_site):
    assert "<title>Leer – Seite 2 von 3 - Wegweiser Test</title>" in read(
        paged_site, "gemeinden/leer/2"
    )
    assert "<title>Leer – Seite 1 von 3 - Wegweiser Test</title>" in read(
        paged_site, "gemeinden/leer"
    )


def test_a_short_list_looks_as_before(paged_site, built_site):
    bunde = read(paged_site, "gemeinden/bunde")
    assert "<title>Bunde - Wegweiser Test</title>" in bunde
    assert '<p class="ww-count">1 Ort</p>' in bunde
    assert "ww-pages" not in bunde
    leer = read(built_site, "gemeinden/leer")  # the default page size: one page
    assert "ww-pages" not in leer and "<title>Leer - Wegweiser Test</title>" in leer


def test_language_switch_points_to_the_same_page(paged_site):
    html = read(paged_site, "ar/gemeinden/leer/3")
    switch = re.search(r'<nav class="ww-langs".*?</nav>', html, re.S).group(0)
    assert re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', switch) == [
        ("../../../../gemeinden/leer/3/", "de"),
        ("../../../../en/gemeinden/leer/3/", "en"),
        ("../../../../ar/gemeinden/leer/3/", "ar"),
    ]
    for prefix in ("", "en/"):
        assert cards(read(paged_site, f"{prefix}gemeinden/leer/3")) == LEER[4:]


def test_arabic_pages_are_right_to_left_in_arabic(paged_site):
    html = read(paged_site, "ar/gemeinden/leer/2")
    assert '<html lang="ar"' in html and '<body dir="rtl"' in html
    nav = pages_nav(html)
    assert f'aria-label="{AR["pages_nav"]}"' in nav
    assert f"{AR['page_previous']}</a>" in nav and f"{AR['page_next']} <span" in nav
    assert AR["page_number"].format(page=1) in nav
    title = AR["page_of"].format(page=2, pages=3)
    assert f"<title>Leer – {title} - Wegweiser Test</title>" in html


def test_sitemap_lists_every_page_in_every_language(paged_site):
    sitemap = assert_paged_in_sitemap(paged_site, "gemeinden/leer/")
    assert "gemeinden/leer/4/" not in sitemap and "gemeinden/bunde/2/" not in sitemap


@pytest.mark.browser
def test_visitor_pages_through_prints_and_meets_no_barrier(paged_site):
    with serve(paged_site) as url, browser() as chromium:
        tab = chromium.new_page()
        tab.goto(url + "gemeinden/leer/")
        tab.get_by_role("link", name=DE["page_next"]).click()
        tab.wait_for_url("**/gemeinden/leer/2/")
        assert tab.locator(".ww-card__name").all_inner_texts() == LEER[2:4]
        tab.get_by_role("link", name=DE["page_number"].format(page=3)).click()
        tab.wait_for_url("**/gemeinden/leer/3/")
        assert violations(tab) == []
        tab.wait_for_selector("html[data-ww-qr=ready]")  # printing: a code per card, no page links
        tab.emulate_media(media="print")
        assert tab.locator(".ww-qr").count() == 1 and tab.locator(".ww-qr").is_visible()
        assert tab.locator(".ww-pages").is_hidden()
        tab.emulate_media(media="screen")
        tab.goto(url + "ar/gemeinden/leer/2/")
        previous = tab.get_by_role("link", name=AR["page_previous"]).bounding_box()
        following = tab.get_by_role("link", name=AR["page_next"]).bounding_box()
        assert following["x"] < previous["x"]  # right to left: "next" is on the left
        assert min(previous["height"], following["height"]) >= 24  # easy to tap (WCAG 2.5.8)
        assert violations(tab) == []


@pytest.mark.browser
def test_map_filter_recounts_the_places_of_each_municipality(paged_site):
    with serve(paged_site) as url, browser() as chromium:
        context = chromium.new_context()
        context.route("https://tile.openstreetmap.org/**", lambda r: r.fulfill(status=404))
        tab = context.new_page()
        tab.goto(url + "karte/")
        tab.wait_for_selector("[data-ww-filter][data-ready]")
        items = tab.locator(".ww-map-list li:visible")
        assert items.all_inner_texts() == ["Leer\n5 Orte", "Bunde\n1 Ort", "Erkelenz\n1 Ort"]
        tab.get_by_label("Familienstützpunkt (2)").uncheck()
        assert items.all_inner_texts() == ["Leer\n4 Orte", "Erkelenz\n1 Ort"]
        tab.get_by_label("Koordinierungsstelle (4)").uncheck()
        assert items.all_inner_texts() == ["Erkelenz\n1 Ort"]
        tab.get_by_label("Familienstützpunkt (2)").check()
        assert items.all_inner_texts() == ["Leer\n1 Ort", "Bunde\n1 Ort", "Erkelenz\n1 Ort"]
        context.close()
