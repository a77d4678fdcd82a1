"""Every link a visitor can click leads somewhere, in every interface language: a crawl of
the built fixture and sample sites (also published below a path), a visitor's path through
each language in Chromium, and the build failing on a link to nowhere."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from browser import browser, serve
from crawl import Site
from helpers import REPO, copy_fixture_site, mkdocs_build
from wegweiser.site.linkcheck import Links

BELOW = "/wegweiser/"  # a GitHub Pages project site: https://user.github.io/wegweiser/
# Kinds of generated pages with a language switch, by their path in a language's tree.
KINDS = {
    "home": "",
    "overview": "kategorien/",
    "category": "kategorien/familienstuetzpunkt/",
    "municipality": "gemeinden/leer/",
    "topic": "themen/familie/",
    "language": "sprachen/de/",
    "entry": "orte/familienstuetzpunkt-bunde/",
    "map": "karte/",
    "search": "suche/",
    "data": "daten/",
    "fields": "mitmachen/felder/",
}
THEME_CREDIT = "https://squidfunk.github.io/mkdocs-material/"  # Material's footer
_URL = re.compile(r"https?://[^\s\"'<>)\]]+")


def deliberately_external(source: Path) -> tuple[str, ...]:
    """Where the site links elsewhere on purpose: the repository, the data licence, the
    map's tiles and attribution, OpenStreetMap, the theme's credit, and every address
    the entries name (websites, links in descriptions)."""
    config = yaml.safe_load((source / "mkdocs.yml").read_text("utf-8"))
    settings = config["extra"]["wegweiser"]
    found = [settings["repo_url"].rstrip("/") + "/", THEME_CREDIT]
    found += [settings.get("data_license", {}).get("url", "https://creativecommons.org/")]
    found += ["https://www.openstreetmap.org/", "https://tile.openstreetmap.org/"]
    for path in (source / "entries").rglob("*.yml"):
        found += _URL.findall(path.read_text("utf-8"))
    return tuple(found)


def languages(source: Path) -> list[str]:
    config = yaml.safe_load((source / "mkdocs.yml").read_text("utf-8"))
    return list(dict.fromkeys(["de", *config["extra"]["wegweiser"]["languages"]]))


def assert_crawl_clean(folder: Path, url: str, source: Path) -> Site:
    site = Site(folder, url, deliberately_external(source))
    broken = site.crawl()
    assert broken == [], "\n".join(broken[:40])
    return site


@pytest.fixture(scope="module")
def below_a_path(tmp_path_factory) -> tuple[Path, Path]:
    """The fixture site built for https://user.github.io/wegweiser/: (source, built site)."""
    base = tmp_path_factory.mktemp("below")
    source = copy_fixture_site(base / "src")
    config = source / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "site_url: https://wegweiser.test/", f"site_url: https://user.github.io{BELOW}"
    )
    config.write_text(text, "utf-8")
    result = mkdocs_build(source, base / "out")
    assert result.returncode == 0, result.stderr
    return source, base / "out"


# -- the crawl ------------------------------------------------------------------------------


def test_every_address_of_the_fixture_site_leads_to_a_file(built_site):
    site = assert_crawl_clean(built_site, "https://wegweiser.test/", REPO / "tests/fixtures/site")
    assert site.checked > 1000  # pages, map data, sitemap and search bundles were read


@pytest.mark.slow
def test_every_address_of_the_sample_site_leads_to_a_file(sample_site):
    site = assert_crawl_clean(sample_site, "https://wegweiser.example.org/", REPO)
    assert site.checked > 10_000


def test_every_address_leads_to_a_file_when_published_below_a_path(below_a_path):
    source, built = below_a_path
    assert_crawl_clean(built, f"https://user.github.io{BELOW}", source)


def test_the_crawl_finds_a_link_to_nowhere(built_site, tmp_path):
    """The crawl itself is not blind: a page with a wrong link, a search bundle naming a page
    that was not built and a map point without a page are each reported."""
    copy = tmp_path / "copy"
    shutil.copytree(built_site, copy)
    page = copy / "ar" / "kategorien" / "index.html"
    page.write_text(page.read_text("utf-8").replace("</main>", '<a href="../ar/x/">x</a></main>'))
    shutil.rmtree(copy / "en" / "orte" / "familienstuetzpunkt-bunde")
    broken = Site(copy, "https://wegweiser.test/", deliberately_external(REPO)).crawl()
    assert any(b.startswith("ar/kategorien/index.html: ../ar/x/") for b in broken)
    assert any("en/pagefind/" in b and "/en/orte/familienstuetzpunkt-bunde/" in b for b in broken)
    assert any(b.startswith("daten/orte.geojson:") for b in broken)
    assert any(b.startswith("sitemap.xml:") for b in broken)


# -- the build ------------------------------------------------------------------------------


@pytest.mark.slow
def test_a_link_to_nowhere_fails_the_strict_build_naming_page_and_link(site_copy, tmp_path):
    """A theme override (as a region adds one) with a link to a page that is not built:
    on every page, the frames of the entry and list pages included; reported once."""
    theme = site_copy / "overrides" / "theme"  # a region's theme parts (site/overrides.py)
    theme.mkdir(parents=True)
    (theme / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ super() }}'
        "<a href=\"{{ 'nirgends/' | url }}\">x</a>{% endblock %}",
        "utf-8",
    )
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode == 1
    message = re.search(r"ERROR +- +(Seite .*)", result.stderr)
    assert message, result.stderr
    assert re.fullmatch(
        r"Seite '[^']*' verweist auf 'nirgends/', das es in der gebauten Seite nicht gibt"
        r" \(und \d+ weitere Links\) / page links to a target that was not built"
        r" — Vorlage oder Pfad prüfen",
        message[1],
    ), message[1]
    assert result.stderr.count("verweist auf") == 1
    assert "Aborted with 1 errors in strict mode" in result.stdout + result.stderr
    (theme / "main.html").unlink()
    clean = mkdocs_build(site_copy, tmp_path / "clean")
    assert clean.returncode == 0, clean.stderr


def test_links_are_resolved_against_the_page_and_the_site():
    links = Links("https://user.github.io/wegweiser/")
    page = "ar/orte/x/"
    assert links.resolve(page, "../../../kategorien/") == "kategorien/"
    assert links.resolve(page, "../../../assets/a.css?v=1#top") == "assets/a.css"
    assert links.resolve(page, "https://user.github.io/wegweiser/en/daten/") == "en/daten/"
    assert links.resolve(page, "/wegweiser/suche/") == "suche/"
    assert links.resolve(page, "/suche/") == "../suche/"  # outside the published path
    assert links.resolve(page, "../../../../x/") == "../x"
    for away in ("https://example.org/", "mailto:a@b.example", "tel:+49", "#top", "//cdn/x"):
        assert links.resolve(page, away) is None
    links.add_page(page, '<a href="../../../kategorien/">k</a> <img src="../../../nope.png">')
    links.add_page("", '<a href="kategorien/">k</a> <div data-vendor="assets/vendor/">')
    assert links.targets[("kategorien/", False)] == (page, 2)
    assert links.targets[("assets/vendor/", True)] == ("", 1)


# -- a visitor's path in Chromium -----------------------------------------------------------


def visitor_path(url: str, codes: list[str], query: str, chromium) -> None:
    """Per language: start page → search → first result → its page, in that language;
    the map's popup link; the language switch of every kind of page."""
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    tab = context.new_page()
    for code in codes:
        prefix = "" if code == codes[0] else f"{code}/"
        assert_page(tab, tab.goto(url + prefix), code)
        tab.fill("#ww-q", query)
        with tab.expect_navigation():
            tab.locator(".ww-search-form button[type=submit]").click()
        first = tab.locator(".pagefind-ui__result-link").first
        first.wait_for(timeout=15_000)
        with tab.expect_navigation() as result:
            first.click()
        assert_page(tab, result.value, code)
        assert f"/{prefix}orte/" in tab.url, tab.url
        tab.goto(url + prefix + "karte/")
        tab.wait_for_selector("[data-ww-map][data-offered]")
        if tab.locator(".ww-map__show").is_visible():  # the choice holds for the session
            tab.locator(".ww-map__show").click()
        tab.wait_for_selector("[data-ww-map][data-state=ready]", timeout=15_000)
        open_a_popup(tab)
        link = tab.locator(".leaflet-popup-content a").first
        link.wait_for()
        # Its own click: the map may still be panning to show the popup (a moving target).
        with tab.expect_navigation() as popup:
            link.evaluate("a => a.click()")
        assert_page(tab, popup.value, code)
    for kind, path in KINDS.items():  # through every language and back: de → en → … → de
        tab.goto(url + path)
        for code in [*codes[1:], codes[0]]:
            switch = tab.locator(f".ww-langs a[hreflang={code}]")
            assert switch.count() == 1, (kind, code)
            with tab.expect_navigation() as switched:
                switch.click()
            assert_page(tab, switched.value, code, (kind, path))
            assert tab.url.endswith(("" if code == codes[0] else f"{code}/") + path), tab.url
    context.close()


def open_a_popup(tab) -> None:
    """Click a place on the overview map; where all are bundled, click into a bundle first."""
    for _ in range(12):
        pin = tab.locator(".ww-map .ww-pin-icon")
        if pin.count():
            pin.first.click()
            return
        tab.locator(".ww-map .marker-cluster").first.click()
        tab.wait_for_timeout(400)  # the zoom animation
    raise AssertionError("no single place on the map after 12 clicks into bundles")


def assert_page(tab, response, code: str, where=None) -> None:
    """The page answered 200 and is in ``code``. With Material's instant navigation (the
    fixture site) a click loads the page by script: its address is asked once more."""
    status = response.status if response is not None else tab.request.get(tab.url).status
    assert status == 200, (where, tab.url)
    tab.wait_for_load_state()
    # a locator, not evaluate(): it outlives a navigation still finishing (instant loading)
    assert tab.locator("html").get_attribute("lang") == code, (where, tab.url)


@pytest.mark.browser
def test_a_visitor_finds_and_opens_places_in_every_language_of_the_sample(sample_site):
    with serve(sample_site) as url, browser() as chromium:
        visitor_path(url, languages(REPO), "Bunde", chromium)


@pytest.mark.browser
def test_a_visitor_finds_and_opens_places_below_a_path(below_a_path):
    source, built = below_a_path
    with serve(built, below=BELOW) as url, browser() as chromium:
        visitor_path(url, languages(source), "Bunde", chromium)
