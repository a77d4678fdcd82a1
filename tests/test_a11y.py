"""WCAG 2.1 AA: axe-core finds no violation on the pages visitors use, in German and Arabic."""

import pytest
from browser import browser, serve

pytestmark = pytest.mark.browser

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGES = [
    "",
    "orte/koordinierungsstelle-migration-und-teilhabe/",
    "kategorien/koordinierungsstelle/",
    "karte/",
    "suche/?q=Beratung",
    "suche/?kategorie=koordinierungsstelle&gemeinde=leer",
    "naehe/",
]


@pytest.fixture(scope="module")
def tab(built_site):
    with serve(built_site) as url, browser() as chromium:
        context = chromium.new_context()
        context.route("https://tile.openstreetmap.org/**", lambda r: r.fulfill(status=404))
        page = context.new_page()
        page.base = url
        yield page
        context.close()


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options=WCAG_21_AA).response
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


@pytest.mark.parametrize("prefix", ["", "ar/"])
@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations(tab, prefix, path):
    tab.goto(tab.base + prefix + path)
    if path.startswith("suche/"):
        tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
        tab.wait_for_function("!document.getElementById('ww-search').hasAttribute('aria-busy')")
    tab.wait_for_load_state("networkidle")
    assert violations(tab) == []


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_no_axe_violations_with_the_map_shown(tab, prefix):
    tab.goto(tab.base + prefix + "karte/")
    if tab.locator(".ww-map__show").is_visible():  # consent holds for the session
        tab.locator(".ww-map__show").click()
    tab.wait_for_selector("[data-ww-map][data-state=ready]", timeout=15_000)
    assert violations(tab) == []


def test_focus_is_visible_on_links(tab):
    tab.goto(tab.base + "kategorien/koordinierungsstelle/")
    tab.keyboard.press("Tab")
    for _ in range(12):
        tab.keyboard.press("Tab")
        outline = tab.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; })()"
        )
        assert outline, tab.evaluate("document.activeElement.outerHTML")
