"""Finding the right place (issue 16): filters that combine, "In meiner Nähe", the start
page, search in every language.

The fixture site gets four counselling places (a category, a topic and the language Dari
of their own, keywords in Arabic and Ukrainian) at points of their own; its other places
stand at their municipalities' centres (the build is offline).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import CANARY, assert_nothing_ran, browser, serve
from helpers import copy_fixture_site, mkdocs_build
from wegweiser.site import search
from wegweiser.site.render import ui_strings

DE, AR = ui_strings("de"), ui_strings("ar")
LISTS = {
    "categories.yml": "- id: beratungsstelle\n  name: Beratungsstelle\n"
    "  translations: {ar: مركز استشارات}\n  icon: beratung\n",
    "topics.yml": "- id: gesundheit\n  name: Gesundheit\n  translations: {ar: الصحة}\n"
    "  keywords: {ar: [طبيب, مستشفى], uk: [лікар]}\n",
    "languages.yml": "- {id: prs, name: Dari, native: دری, dir: rtl}\n",
}
PLACE = """name: {name}
category: beratungsstelle
summary: Beratung zu Gesundheit und Alltag.
address:
  city: {city}
location: {{lat: {lat}, lon: {lon}}}
languages: [{languages}]
topics: [gesundheit]
{facts}verified:
  date: 2026-01-10
  by: Redaktion
"""
ALL_FACTS = "cost: {fee: free}\nappointment: {need: not_needed}\naccessibility: {wheelchair: yes}\n"
# name -> (city, lat, lon, languages, facts)
PLACES = {
    "Migrationsberatung Leer": ("Leer", 53.232, 7.460, "de, prs", ALL_FACTS),
    "Gesundheitsberatung Leer": ("Leer", 53.240, 7.470, "de, ar", "cost: {fee: paid}\n"),
    "Beratung Bunde": ("Bunde", 53.190, 7.270, "de, prs", ALL_FACTS),
    "Beratung Erkelenz": ("Erkelenz", 51.080, 6.320, "de, prs", "cost: {fee: free}\n"),
}


@pytest.fixture(scope="module")
def finding_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("finding")
    site = copy_fixture_site(base / "src")
    for name, text in LISTS.items():
        path = site / "entries" / "_lists" / name
        path.write_text(path.read_text("utf-8") + text, "utf-8")
    for name, (city, lat, lon, languages, facts) in PLACES.items():
        slug = name.lower().replace(" ", "-")
        text = PLACE.format(
            name=name, city=city, lat=lat, lon=lon, languages=languages, facts=facts
        )
        (site / "entries" / "leer" / f"{slug}.yml").write_text(text, "utf-8")
    out = base / "out"
    result = mkdocs_build(site, out, env={"SOURCE_DATE_EPOCH": "1793577600"})
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def visit(finding_site):
    with serve(finding_site) as url, browser() as chromium:
        yield url, chromium


# -- what the build writes --------------------------------------------------------------


def test_entry_pages_carry_their_filters_and_keywords(finding_site):
    html = (finding_site / "ar/orte/migrationsberatung-leer/index.html").read_text("utf-8")
    marks = html.split('<div class="ww-marks" hidden>')[1].split("</div>")[0]
    filters = [
        "kategorie:beratungsstelle",
        "gemeinde:leer",
        "sprache:de",
        "sprache:prs",
        "thema:gesundheit",
        "kostenlos:ja",
        "ohne-termin:ja",
        "rollstuhl:ja",
    ]
    assert marks.split("</span>")[:-1] == [f'<span data-pagefind-filter="{f}">' for f in filters]
    assert marks.endswith("<p>طبيب مستشفى</p>")  # the Arabic keywords on the Arabic page
    german = (finding_site / "orte/migrationsberatung-leer/index.html").read_text("utf-8")
    assert "طبيب" not in german and "<p>лікар</p>" not in german


def test_near_files_hold_a_list_and_the_municipalities(finding_site):
    data = json.loads((finding_site / "daten/naehe/kategorien/beratungsstelle.geojson").read_text())
    assert sorted(f["id"] for f in data["features"]) == sorted(
        name.lower().replace(" ", "-") for name in PLACES
    )
    assert data["license"]["id"] == "ODbL-1.0"
    towns = json.loads((finding_site / "daten/gemeinden.json").read_text("utf-8"))
    assert ["bunde", "Bunde", 53.1833, 7.2667, ["26831"]] in towns["municipalities"]
    # the map data of a language with names of its own: those names, the others German
    arabic = json.loads((finding_site / "daten/orte.ar.geojson").read_text("utf-8"))
    named = {
        f["id"]: (f["properties"]["name"], f["properties"].get("lang")) for f in arabic["features"]
    }
    assert named["koordinierungsstelle-migration-und-teilhabe"] == (
        "مكتب تنسيق الهجرة والمشاركة",
        "ar",
    )
    assert named["beratung-bunde"] == ("Beratung Bunde", None)
    assert 'data-geojson="../../daten/orte.ar.geojson"' in (
        finding_site / "ar/karte/index.html"
    ).read_text("utf-8")


# -- filters that combine ---------------------------------------------------------------

SEARCHES = {  # the address of a search -> exactly the places it finds
    "suche/?kategorie=beratungsstelle&sprache=prs&gemeinde=leer": ["Migrationsberatung Leer"],
    "suche/?kategorie=beratungsstelle&sprache=prs": [
        "Beratung Bunde",
        "Beratung Erkelenz",
        "Migrationsberatung Leer",
    ],
    "suche/?thema=gesundheit&kostenlos=ja&ohne-termin=ja&rollstuhl=ja": [
        "Beratung Bunde",
        "Migrationsberatung Leer",
    ],
    "suche/?q=Gesundheit&gemeinde=leer&sprache=ar": ["Gesundheitsberatung Leer"],
    "suche/?q=Gesundheit&gemeinde=leer&sprache=ar&sprache=prs": [
        "Gesundheitsberatung Leer",
        "Migrationsberatung Leer",
    ],
    "suche/?kategorie=beratungsstelle&gemeinde=bunde&kostenlos=ja&ohne-termin=ja": [
        "Beratung Bunde"
    ],
    "suche/?kategorie=beratungsstelle&gemeinde=erkelenz&rollstuhl=ja": [],
}


def found(tab) -> list[str]:
    tab.wait_for_selector(".pagefind-ui__message:not(:empty)", timeout=15_000)
    tab.wait_for_function("!document.getElementById('ww-search').hasAttribute('aria-busy')")
    tab.wait_for_load_state("networkidle")
    return sorted(tab.locator(".pagefind-ui__result-link").all_inner_texts())


@pytest.mark.browser
@pytest.mark.parametrize("address", SEARCHES)
def test_a_combined_filter_from_the_address_finds_exactly_the_matching_places(visit, address):
    url, chromium = visit
    tab = chromium.new_page()
    tab.goto(url + address)
    assert found(tab) == SEARCHES[address]
    # the form shows what the address says, a list named twice as a multiple choice
    asked: dict[str, list[str]] = {}
    for pair in address.split("?")[1].split("&"):
        name, value = pair.split("=")
        asked.setdefault(name, []).append(value)
    for name, values in asked.items():
        field = tab.locator(f"#ww-finder [name='{name}']").first
        if field.get_attribute("type") == "checkbox":
            assert field.is_checked(), name
        elif name != "q":
            chosen = field.evaluate("s => [...s.selectedOptions].map(o => o.value)")
            assert chosen == values, name
    tab.close()


def test_every_entry_page_starts_with_the_word_filters_alone_search_for(finding_site):
    """Filters alone search for a word every entry page holds, not for an empty term (for
    which Pagefind 1.5 would load its whole word index); the search page names the word."""
    word = search.EVERY_PAGE_WORD
    for prefix in ("", "ar/"):
        for page in (finding_site / prefix / "orte").glob("*/index.html"):
            body = page.read_text("utf-8").split("data-pagefind-body", 1)[1].split(">", 1)[1]
            assert body.startswith(f'<span class="ww-every" hidden>{word}</span>'), page
        form = (finding_site / prefix / "suche" / "index.html").read_text("utf-8")
        assert f'data-every-page="{word}"' in form


@pytest.mark.browser
@pytest.mark.parametrize("address", ["suche/?kategorie=beratungsstelle", "suche/?q=Beratung"])
def test_the_word_of_every_entry_page_never_shows_in_a_result(visit, address):
    url, chromium = visit
    tab = chromium.new_page()
    tab.goto(url + address)
    assert found(tab)
    assert search.EVERY_PAGE_WORD not in tab.locator("#ww-search").inner_text()
    excerpt = tab.locator(".pagefind-ui__result-excerpt").first.inner_text()
    assert excerpt and not excerpt[0].isspace()
    tab.close()


@pytest.mark.browser
def test_choosing_filters_keeps_the_address_to_share_and_counts_in_the_page_language(visit):
    url, chromium = visit
    tab = chromium.new_page()
    tab.goto(url + "ar/suche/?q=Beratung")
    assert len(found(tab)) >= 4
    tab.select_option("#ww-finder select[name=sprache]", "prs")
    tab.check("#ww-finder [name=kostenlos]")
    tab.select_option("#ww-finder select[name=gemeinde]", "leer")
    tab.wait_for_url(
        lambda u: u.endswith("/ar/suche/?q=Beratung&gemeinde=leer&sprache=prs&kostenlos=ja")
    )
    assert found(tab) == ["Migrationsberatung Leer"]
    assert tab.locator(".pagefind-ui__message").inner_text() == AR["search_found_one"]
    # the labels of the choices are Arabic; where a name has no Arabic, German and marked
    option = tab.locator("#ww-finder select[name=kategorie] option[value=beratungsstelle]")
    assert option.inner_text() == "مركز استشارات"
    german = tab.locator("#ww-finder select[name=kategorie] option[value=familienstuetzpunkt]")
    assert german.get_attribute("lang") == "de"
    tab.goto(tab.url)  # the address opens the same search
    assert found(tab) == ["Migrationsberatung Leer"]
    tab.close()


@pytest.mark.browser
def test_a_list_page_narrows_itself_through_the_search(visit):
    url, chromium = visit
    tab = chromium.new_page()
    tab.goto(url + "gemeinden/leer/")
    tab.locator("details.ww-tool summary", has_text=DE["filter_title"]).click()
    tab.select_option("form[data-ww-finder] select[name=sprache]", "prs")
    tab.locator("form[data-ww-finder] button[type=submit]").click()
    tab.wait_for_url(lambda u: u.endswith("/suche/?gemeinde=leer&sprache=prs"))
    assert found(tab) == ["Migrationsberatung Leer"]
    tab.close()


@pytest.mark.browser
def test_without_javascript_the_lists_remain_the_way_in(visit):
    url, chromium = visit
    context = chromium.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(url + "kategorien/beratungsstelle/")
    assert tab.locator("[data-ww-tool]").first.is_hidden()
    assert tab.locator(".ww-card__name").count() == 4
    tab.goto(url + "suche/?kategorie=beratungsstelle")
    assert tab.locator("#ww-finder").is_hidden()
    assert tab.locator("#ww-search-fallback a").count() == 3
    context.close()


# -- search in every language -----------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("prefix", "word"), [("ar/", "طبيب"), ("ar/", "مستشفى")])
def test_a_keyword_finds_german_only_entries_of_its_topic(visit, prefix, word):
    url, chromium = visit
    tab = chromium.new_page()
    tab.goto(f"{url}{prefix}suche/?q={word}")
    assert found(tab) == sorted(PLACES)
    title = tab.locator(".pagefind-ui__result-title").first
    assert title.get_attribute("lang") == "de"  # the names are German only
    tab.close()


# -- near me ------------------------------------------------------------------------------

GEOLOCATION_SPY = """
window.__asked = 0;
if (navigator.geolocation) {
  const real = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
  navigator.geolocation.getCurrentPosition = (...args) => { window.__asked++; return real(...args); };
}
"""


def by_distance(lat: float, lon: float, names: dict[str, tuple[float, float]]) -> list[str]:
    def km(point):
        return math.dist(
            (lat, lon * math.cos(math.radians(lat))),
            (point[0], point[1] * math.cos(math.radians(lat))),
        )

    return sorted(names, key=lambda name: km(names[name]))


@pytest.mark.browser
def test_near_me_sorts_from_the_location_asked_only_on_a_click_and_sent_nowhere(visit):
    url, chromium = visit
    here = {"latitude": 53.19, "longitude": 7.27}  # Beratung Bunde's point
    context = chromium.new_context(geolocation=here, permissions=["geolocation"])
    context.add_init_script(CANARY + GEOLOCATION_SPY)
    tab = context.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(url + "kategorien/beratungsstelle/")
    tab.wait_for_load_state("networkidle")
    assert tab.evaluate("window.__asked") == 0  # not before the click
    before = len(requests)
    tab.locator("details.ww-near summary").click()
    tab.get_by_role("button", name=DE["near_here"]).click()
    tab.wait_for_selector(".ww-near[data-sorted]")
    assert tab.evaluate("window.__asked") == 1
    names = tab.locator(".ww-near__list .ww-card__name").all_inner_texts()
    points = {name: PLACES[name][1:3] for name in PLACES}
    assert names == by_distance(53.19, 7.27, points)
    assert names[0] == "Beratung Bunde"
    assert tab.locator(".ww-near__status").inner_text() == DE["near_from_here"]
    assert tab.locator(".ww-near__distance").first.inner_text() == "0 km"
    # only the list's own file was fetched, from the site; no address holds the location
    after = [urlsplit(u) for u in requests[before:]]
    assert [u.path for u in after] == ["/daten/naehe/kategorien/beratungsstelle.geojson"]
    assert all("53.19" not in u.geturl() and "7.27" not in u.geturl() for u in after)
    assert_nothing_ran(tab)
    context.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("prefix", "typed", "first"),
    [
        ("", "Erkelenz", "Beratung Erkelenz"),
        ("", "26831", "Beratung Bunde"),  # Bunde's postcode
        ("ar/", "Leer", "Migrationsberatung Leer"),
    ],
)
def test_near_me_from_a_municipality_or_postcode_puts_the_nearest_first(
    visit, prefix, typed, first
):
    url, chromium = visit
    context = chromium.new_context()  # no permission: the location is never needed here
    context.add_init_script(CANARY + GEOLOCATION_SPY)
    tab = context.new_page()
    tab.goto(url + prefix + "kategorien/beratungsstelle/")
    ui = AR if prefix else DE
    tab.locator("details.ww-near summary").click()
    tab.fill("#ww-near-place", typed)
    tab.get_by_role("button", name=ui["near_sort"]).click()
    tab.wait_for_selector(".ww-near[data-sorted]")
    names = tab.locator(".ww-near__list .ww-card__name").all_inner_texts()
    assert names[0] == first
    assert len(names) == 4
    assert tab.evaluate("window.__asked") == 0
    assert_nothing_ran(tab)
    context.close()


@pytest.mark.browser
def test_near_me_on_its_own_page_narrows_by_category_and_marks_german_names(visit):
    url, chromium = visit
    tab = chromium.new_page()
    tab.goto(url + "ar/naehe/")
    tab.fill("#ww-near-place", "Bunde")
    tab.locator(".ww-near__pick button").click()
    tab.wait_for_selector(".ww-near[data-sorted]")
    first = tab.locator(".ww-near__list .ww-card__name").first
    assert first.inner_text() == "Familienstützpunkt Bunde"  # at Bunde's centre: 0 km
    assert first.get_attribute("lang") == "de"
    distance = tab.locator(".ww-near__distance").first.inner_text()
    assert distance == AR["near_about_km"].format(km="0")  # a centre: "about"
    total = tab.locator(".ww-near__list li").count()
    tab.select_option("#ww-near-category", "koordinierungsstelle")
    tab.wait_for_function(f"document.querySelectorAll('.ww-near__list li').length < {total}")
    names = tab.locator(".ww-near__list .ww-card__name").all_inner_texts()
    assert names == ["مكتب تنسيق الهجرة والمشاركة"]
    tab.close()


# -- the start page ---------------------------------------------------------------------


@pytest.mark.browser
def test_the_start_page_leads_to_a_task(visit):
    url, chromium = visit
    tab = chromium.new_page()
    requests: list[str] = []
    tab.on("request", lambda r: requests.append(r.url))
    tab.goto(url + "ar/")
    tab.wait_for_load_state("networkidle")
    order = tab.evaluate(
        "[...document.querySelectorAll('.md-content form[role=search], .ww-tiles')]"
        ".map(e => e.tagName)"
    )
    assert order == ["FORM", "UL"]  # the search box first, then the tiles
    tile = tab.locator(".ww-tile", has_text="مركز استشارات")
    assert "4" in tile.inner_text() or "٤" in tile.inner_text()
    assert tab.locator(".ww-tile .ww-icon").count() == tab.locator(".ww-tile").count()
    assert {urlsplit(u).netloc for u in requests} == {urlsplit(url).netloc}  # icons too
    assert any(u.endswith("/assets/wegweiser/icons.svg") for u in requests)
    with tab.expect_navigation():
        tab.locator(".ww-tile", has_text=AR["near_title"]).click()
    assert tab.url.endswith("/ar/naehe/")
    tab.close()
