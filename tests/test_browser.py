"""What a visitor sees, in headless Chromium against the built fixture site."""

from urllib.parse import urlsplit

import pytest
from browser import CANARY, assert_nothing_ran
from wegweiser.site import vendor

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
    page.locator("#ww-q").fill("Bunde")  # the search page's own form, searching as one types
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
    assert not [u for u in page.requests if "resize-observer" in u]  # only old browsers load it


POLYFILL = vendor.site_path(vendor.RESIZE_OBSERVER, vendor.RESIZE_OBSERVER_FILE)
# A box observed, then made 50 px wide: true once the observer reports the new width.
REPORTS_A_RESIZE = """() => new Promise(done => {
  const box = document.body.appendChild(document.createElement("div"));
  new ResizeObserver(seen => seen.some(e => e.contentRect.width === 50) && done(true)).observe(box);
  box.style.width = "50px";
  setTimeout(() => done(false), 5000);
})"""

SIDEBAR_HEIGHTS = (
    "[...document.querySelectorAll('.md-sidebar__scrollwrap')].map(e => e.style.height)"
)


def old_browser(page, polyfill_lost: bool = False) -> None:
    """The tab as in Safari before 13.1 (older iPhones): no ResizeObserver. Requests are
    recorded all the same; none is sent beyond the site (nor the polyfill, if ``lost``)."""
    page.context.add_init_script("delete window.ResizeObserver")

    def only_local(route):
        url = route.request.url
        lost = polyfill_lost and url.endswith(POLYFILL)
        route.continue_() if url.startswith(page.base) and not lost else route.abort()

    page.context.route("**/*", only_local)


def visit_works(page, path: str) -> None:
    page.goto(page.base + path)
    page.wait_for_load_state("networkidle")
    assert page.locator(".md-header").is_visible()
    # Material sized its sidebars: its bundle ran through (without a ResizeObserver it stops)
    heights = page.evaluate(SIDEBAR_HEIGHTS)
    assert heights and all(h.endswith("px") for h in heights), (path, heights)


def only_the_site_was_asked(page) -> None:
    hosts = {urlsplit(u).netloc for u in page.requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlsplit(page.base).netloc}
    assert page.base + POLYFILL in page.requests


def test_a_browser_without_resize_observer_gets_it_from_the_site(page):
    """Material's bundle would fetch a polyfill from unpkg.com; the site serves one itself,
    before the bundle runs."""
    old_browser(page)
    for path in ("", "ar/orte/koordinierungsstelle-migration-und-teilhabe/", "suche/?q=Beratung"):
        visit_works(page, path)
        assert "[polyfill code]" in page.evaluate("String(ResizeObserver)")  # juggle's
        assert page.evaluate(REPORTS_A_RESIZE) is True
    assert "Familienstützpunkt Bunde" in search_results(page)
    only_the_site_was_asked(page)
    assert_nothing_ran(page)


def test_a_lost_polyfill_sends_the_browser_nowhere_else(page):
    """The file did not come (a weak connection, a build without `wegweiser vendor`): an
    inert stand-in keeps the bundle from asking elsewhere, and the page still works."""
    old_browser(page, polyfill_lost=True)
    visit_works(page, "orte/koordinierungsstelle-migration-und-teilhabe/")
    assert "[polyfill code]" not in page.evaluate("String(ResizeObserver)")
    only_the_site_was_asked(page)
