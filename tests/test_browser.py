"""What a visitor sees, in headless Chromium against the built fixture site."""

from urllib.parse import urlsplit

import pytest
from browser import CANARY, assert_nothing_ran

pytestmark = pytest.mark.browser


@pytest.fixture
def page(site):
    url, chromium = site
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.add_init_script(CANARY)
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.requests = requests
    page.base = url
    yield page
    context.close()


def test_hostile_entry_runs_nothing(page):
    page.goto(page.base + "orte/runder-tisch-test/")
    heading = page.locator("h1").first.inner_text()
    assert heading.startswith("Runder Tisch </title><script>")
    assert "{{ 7*7 }}" in heading
    page.mouse.move(200, 300)
    page.locator(".ww-description a").first.hover()
    assert_nothing_ran(page)


def test_instant_navigation_from_home_to_entry(page):
    page.goto(page.base)
    page.get_by_role("link", name="Koordinierungskreis").first.click()
    page.wait_for_url("**/kategorien/koordinierungskreis/")
    page.locator(".ww-card__name").first.click()
    page.wait_for_url("**/orte/runder-tisch-test/")
    assert page.locator(".ww-entry").count() == 1
    assert_nothing_ran(page)


def search_results(page) -> str:
    page.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    return page.locator("#ww-search").inner_text()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Beratung", "Familienstützpunkt Bunde"),  # full word, stemmed on both sides
        ("Treffpunkte", "Familienstützpunkt Bunde"),  # plural of "Treffpunkt"
        ("Netzwerks", "Koordinierungsstelle Migration"),  # genitive of "Netzwerk"
        ("Niedersachsen", "Koordinierungsstelle Migration"),  # a word of the description
    ],
)
def test_search_finds_entries_with_german_stemming(page, query, expected):
    page.goto(page.base + "suche/?q=" + query)
    assert expected in search_results(page)
    assert_nothing_ran(page)


def test_search_from_home_page_after_instant_navigation(page):
    page.goto(page.base + "kategorien/")
    page.locator("a.md-logo").first.click()  # instant navigation to the home page
    page.wait_for_url(page.base)
    page.fill("#ww-q", "Familien")
    page.press("#ww-q", "Enter")
    assert "Familienstützpunkt Bunde" in search_results(page)
    page.goto(page.base + "kategorien/")
    page.locator('a.md-nav__link[href$="suche/"]').first.dispatch_event("click")
    page.wait_for_url("**/suche/")
    page.locator(".pagefind-ui__search-input").fill("Bunde")
    assert "Familienstützpunkt Bunde" in search_results(page)


def test_search_shows_hostile_text_as_text(page):
    page.goto(page.base + "suche/?q=pwned")
    assert "<script>document.body.dataset.pwned" in search_results(page)
    assert_nothing_ran(page)


def test_search_transfers_little(page):
    sizes = []
    page.on("response", lambda r: sizes.append(len(r.body())) if "/pagefind/" in r.url else None)
    page.goto(page.base + "suche/?q=Beratung")
    search_results(page)
    assert sum(sizes) < 300_000


def test_no_request_leaves_the_site(page):
    for path in [
        "",
        "orte/koordinierungsstelle-migration-und-teilhabe/",
        "kategorien/",
        "gemeinden/leer/",
        "karte/",  # the map waits for a click: no tile server is asked
        "mitmachen/felder/",
        "suche/?q=Beratung",
    ]:
        page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
    hosts = {urlsplit(u).netloc for u in page.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(page.base).netloc}
