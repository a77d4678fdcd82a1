"""Maps: the built fixture site's map data, and what a visitor sees in headless Chromium."""

import base64
import hashlib
import json
import tarfile
from dataclasses import replace
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser import CANARY, assert_nothing_ran, serve
from helpers import copy_fixture_site, mkdocs_build
from wegweiser.site import vendor

TILE_HOST = "tile.openstreetmap.org"
HOSTILE_NAME = (
    "Runder Tisch </title><script>document.body.dataset.pwned='name'</script> & {{ 7*7 }}"
    " <img src=x onerror=alert(1)> ${alert(2)}"
)


def test_one_geojson_holds_every_located_entry(built_site):
    data = json.loads((built_site / "daten" / "orte.geojson").read_text("utf-8"))
    by_id = {f["id"]: f for f in data["features"]}
    assert set(by_id) == {
        "familienstuetzpunkt-bunde",
        "koordinierungsstelle-migration-und-teilhabe",
        "runder-tisch-test",
    }
    hostile = by_id["runder-tisch-test"]
    assert hostile["properties"]["name"] == HOSTILE_NAME  # data stays data; pages escape it
    assert hostile["properties"]["url"] == "orte/runder-tisch-test/"
    # offline build: no cache, so the municipality's centre from the gazetteer
    assert hostile["geometry"]["coordinates"] == [6.3156, 51.0797]
    assert hostile["properties"]["precision"] == "municipality"


def test_map_pages_inline_no_markers(built_site):
    page = (built_site / "karte" / "index.html").read_text("utf-8")
    assert 'data-geojson="../daten/orte.geojson"' in page
    assert "L.marker" not in page and "6.3156" not in page
    entry = (built_site / "orte" / "familienstuetzpunkt-bunde" / "index.html").read_text("utf-8")
    assert 'data-lat="53.1833"' in entry and "orte.geojson" not in entry


def test_map_list_counts_places_per_category_without_listing_them(built_site):
    """The list beside the map names municipalities with their numbers of places, so the
    page stays the same size however many places there are; the filter recounts."""
    html = (built_site / "karte" / "index.html").read_text("utf-8")
    assert "orte/" not in html.split('class="ww-map-list"')[1]  # no place is listed
    item = (
        '<li data-counts="koordinierungskreis:1"><a href="../gemeinden/erkelenz/">Erkelenz</a>'
        ' <span class="ww-map-list__meta ww-map-list__count">1 Ort</span></li>'
    )
    assert item in html
    assert 'data-one="1 Ort" data-many="{count} Orte"' in html


@pytest.mark.slow
def test_builds_are_reproducible(tmp_path):
    outputs = []
    for name in ("a", "b"):
        site = copy_fixture_site(tmp_path / f"src-{name}")
        result = mkdocs_build(site, tmp_path / name)
        assert result.returncode == 0, result.stderr
        outputs.append(tmp_path / name)
    for path in (
        "daten/orte.geojson",
        "karte/index.html",
        "orte/runder-tisch-test/index.html",
        "assets/wegweiser/wegweiser-map.js",
    ):
        assert (outputs[0] / path).read_bytes() == (outputs[1] / path).read_bytes(), path


def test_leaflet_is_served_by_the_site_not_a_cdn(built_site):
    for name in (
        "leaflet/leaflet.js",
        "leaflet.markercluster/leaflet.markercluster.js",
        "@juggle/resize-observer/resize-observer.umd.js",  # for browsers without one
    ):
        assert (built_site / "assets" / "vendor" / name).stat().st_size > 10_000
    for path in built_site.rglob("*.html"):
        text = path.read_text("utf-8")
        for cdn in ("unpkg.com", "jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn"):
            assert cdn not in text, (path, cdn)


def one_file_tarball(path: Path, member: str, body: bytes) -> bytes:
    """An npm tarball holding one file, written where a registry serves it; its bytes."""
    packed = BytesIO()
    with tarfile.open(fileobj=packed, mode="w:gz") as tar:
        info = tarfile.TarInfo(member)
        info.size = len(body)
        tar.addfile(info, BytesIO(body))
    path.parent.mkdir(parents=True)
    path.write_bytes(packed.getvalue())
    return packed.getvalue()


def test_vendor_refuses_a_tarball_that_does_not_match_its_hash(tmp_path):
    forged = tmp_path / "leaflet" / "-" / "leaflet-1.9.4.tgz"
    one_file_tarball(forged, "package/dist/leaflet.js", b"alert('not leaflet')")
    # a mirror (WEGWEISER_NPM_REGISTRY) serving a forged tarball
    with serve(tmp_path) as url, pytest.raises(vendor.VendorError, match="integrity mismatch"):
        vendor.fetch(vendor.PACKAGES[0], tmp_path / "cache", registry=url)
    assert not (tmp_path / "cache" / "leaflet-1.9.4").exists()


def test_a_scoped_package_comes_from_its_npm_address_into_a_folder_of_its_own(tmp_path):
    """@juggle/resize-observer: the tarball from npm's address for a scope, unpacked into one
    folder named like npm's tarball (not a folder "@juggle" with another inside)."""
    member, body = "package/lib/exports/resize-observer.umd.js", b"window.ResizeObserver = {};"
    tgz = tmp_path / "@juggle" / "resize-observer" / "-" / "resize-observer-3.4.0.tgz"
    digest = hashlib.sha512(one_file_tarball(tgz, member, body)).digest()
    package = replace(
        vendor.RESIZE_OBSERVER,
        integrity="sha512-" + base64.b64encode(digest).decode(),
        files={member: vendor.RESIZE_OBSERVER_FILE},
    )
    with serve(tmp_path) as url:
        folder = vendor.fetch(package, tmp_path / "cache", registry=url)
    assert folder == tmp_path / "cache" / "juggle-resize-observer-3.4.0"
    assert (folder / vendor.RESIZE_OBSERVER_FILE).read_bytes() == body
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [folder.name]


# -- in the browser -----------------------------------------------------------------------


@pytest.fixture
def page(site):
    """A visitor's tab; tile requests are answered locally and recorded, never sent out."""
    url, chromium = site
    context = chromium.new_context(viewport={"width": 1300, "height": 900})
    context.add_init_script(CANARY)
    requests, tiles = [], []
    context.on("request", lambda r: requests.append(r.url))
    png = (Path(vendor.installed(vendor.PACKAGES[0])) / "images" / "layers.png").read_bytes()

    def tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=png)

    context.route(f"https://{TILE_HOST}/**", tile)
    page = context.new_page()
    page.base, page.requests, page.tiles = url, requests, tiles
    yield page
    context.close()


def show_map(page):
    page.wait_for_selector("[data-ww-map][data-offered]")
    button = page.get_by_role("button", name="Karte anzeigen")
    if button.is_visible():  # after the first click, the choice holds for the session
        button.click()
    page.wait_for_selector("[data-ww-map][data-state=ready]", timeout=15_000)


@pytest.mark.browser
def test_overview_lists_municipalities_and_loads_no_tiles_before_the_click(page):
    page.goto(page.base + "karte/")
    page.wait_for_load_state("networkidle")
    items = page.locator(".ww-map-list li")
    assert items.all_inner_texts() == ["Leer\n1 Ort", "Bunde\n1 Ort", "Erkelenz\n1 Ort"]
    assert page.tiles == []
    hosts = {urlsplit(u).netloc for u in page.requests}
    assert hosts == {urlsplit(page.base).netloc}
    assert "tile.openstreetmap.org" in page.locator(".ww-map__text").inner_text()
    show_map(page)
    page.wait_for_selector(".ww-pin")
    assert page.get_attribute("[data-ww-map]", "data-markers") == "3"
    assert page.tiles and all(urlsplit(u).netloc == TILE_HOST for u in page.tiles)
    assert "OpenStreetMap-Mitwirkende" in page.locator(".leaflet-control-attribution").inner_text()
    assert_nothing_ran(page)


@pytest.mark.browser
def test_hostile_names_in_tooltips_and_popups_stay_text(page):
    page.goto(page.base + "karte/")
    show_map(page)
    page.wait_for_selector(".ww-pin")
    pins = page.locator(".ww-map .ww-pin-icon")  # Bunde and Leer are one cluster here
    texts = []
    for i in range(pins.count()):
        pins.nth(i).hover()
        pins.nth(i).click()
        page.wait_for_selector(".leaflet-popup-content")
        texts.append(page.locator(".leaflet-popup-content").inner_text())
    assert any(HOSTILE_NAME in t for t in texts)
    assert page.locator(".leaflet-popup-content script, .leaflet-tooltip script").count() == 0
    assert page.locator(".leaflet-pane img[onerror], .leaflet-pane svg").count() == 0
    assert_nothing_ran(page)
    page.goto(page.base + "orte/runder-tisch-test/")
    show_map(page)
    page.locator(".ww-pin-icon").hover()
    assert page.locator(".leaflet-tooltip").inner_text() == HOSTILE_NAME
    assert_nothing_ran(page)


@pytest.mark.browser
def test_category_filter_hides_municipalities_and_markers(page):
    page.goto(page.base + "karte/")
    show_map(page)
    assert page.get_attribute("[data-ww-map]", "data-shown") == "3"
    page.get_by_label("Koordinierungskreis (1)").uncheck()
    assert page.locator(".ww-map-list li:visible a").all_inner_texts() == ["Leer", "Bunde"]
    assert page.get_attribute("[data-ww-map]", "data-shown") == "2"
    assert page.locator(".ww-map .ww-pin-icon").count() == 0  # Erkelenz's pin is gone
    page.get_by_label("Koordinierungskreis (1)").check()
    assert page.get_attribute("[data-ww-map]", "data-shown") == "3"
    assert page.locator(".ww-map-list li:visible").count() == 3


@pytest.mark.browser
def test_map_works_after_instant_navigation_and_remembers_the_choice(page):
    page.goto(page.base)
    page.locator('a.md-nav__link[href$="karte/"]').first.dispatch_event("click")
    page.wait_for_url("**/karte/")
    show_map(page)
    page.locator(".ww-map-list a").first.click()  # instant navigation to Leer's places
    page.wait_for_url("**/gemeinden/leer/")
    page.locator(".ww-card__name").first.click()  # and on to an entry page
    page.wait_for_url("**/orte/**")
    # consent is remembered for the session: the entry's own map appears without a click
    page.wait_for_selector("[data-ww-map][data-state=ready]", timeout=15_000)
    assert page.get_attribute("[data-ww-map]", "data-markers") == "1"
    assert_nothing_ran(page)


@pytest.mark.browser
def test_keyboard_can_leave_the_map(page):
    page.goto(page.base + "orte/familienstuetzpunkt-bunde/")
    show_map(page)
    page.focus(".ww-map")
    for _ in range(8):
        page.keyboard.press("Tab")
    inside = page.evaluate("document.querySelector('.ww-map').contains(document.activeElement)")
    assert inside is False


@pytest.mark.browser
def test_without_javascript_the_list_leads_to_every_place(site):
    url, chromium = site
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "karte/")
    assert page.locator(".ww-map-list li a").all_inner_texts() == ["Leer", "Bunde", "Erkelenz"]
    found = []
    for link in page.locator(".ww-map-list li a").evaluate_all("links => links.map(a => a.href)"):
        page.goto(link)
        found += page.locator(".ww-card__name").all_inner_texts()
    assert found == [
        "Koordinierungsstelle Migration und Teilhabe",
        "Familienstützpunkt Bunde",
        HOSTILE_NAME,
    ]
    page.goto(url + "karte/")
    assert "braucht JavaScript" in page.locator(".ww-map").inner_text()
    assert page.get_by_role("button", name="Karte anzeigen").is_hidden()
    context.close()


def show_any_map(page):
    """show_map on a page in any language: the button by its place, not its words."""
    page.wait_for_selector("[data-ww-map][data-offered]")
    if page.locator(".ww-map__show").is_visible():  # the choice holds for the session
        page.locator(".ww-map__show").click()
    page.wait_for_selector("[data-ww-map][data-state=ready]", timeout=15_000)


def popup_of(page, collection: dict, slug: str, data: str = "orte.ar.geojson"):
    """The popup of one place on the Arabic map: the map data cut down to that place (as
    in test_hours_browser), so its marker stands alone, never in a cluster. A tab of its
    own, without the service worker, which would answer from its cache."""
    one = dict(collection, features=[f for f in collection["features"] if f["id"] == slug])
    context = page.context.browser.new_context(service_workers="block")
    context.route(f"https://{TILE_HOST}/**", lambda r: r.fulfill(status=200, body=b""))
    context.route(f"**/daten/{data}", lambda r: r.fulfill(json=one))
    tab = context.new_page()
    tab.goto(page.base + "ar/karte/")
    show_any_map(tab)
    tab.locator(".ww-pin-icon").click()
    name = tab.locator(".leaflet-popup-content .ww-popup__name")
    category = tab.locator(".leaflet-popup-content .ww-popup__category")
    shown = (name.inner_text(), name.get_attribute("lang"), name.get_attribute("dir"))
    shown = shown, (category.inner_text(), category.get_attribute("lang"))
    context.close()
    return shown


@pytest.mark.browser
def test_the_arabic_map_names_places_and_categories_in_arabic(page, built_site):
    """Names in popups and tooltips, category names and the legend in the page's language;
    German where there is no Arabic, marked lang="de" (left to right)."""
    page.goto(page.base + "ar/karte/")
    show_any_map(page)
    assert (
        page.locator("[data-ww-map]")
        .get_attribute("data-geojson")
        .endswith("daten/orte.ar.geojson")
    )
    legend = page.locator("[data-ww-filter] [data-label-of]")
    assert legend.evaluate_all("s => s.map(e => [e.textContent, e.lang])") == [
        ["مكتب التنسيق", ""],
        ["Koordinierungskreis", "de"],
        ["Familienstützpunkt", "de"],
    ]
    collection = json.loads((built_site / "daten" / "orte.ar.geojson").read_text("utf-8"))
    assert popup_of(page, collection, "koordinierungsstelle-migration-und-teilhabe") == (
        ("مكتب تنسيق الهجرة والمشاركة", None, None),
        ("مكتب التنسيق", None),
    )
    assert popup_of(page, collection, "familienstuetzpunkt-bunde") == (
        ("Familienstützpunkt Bunde", "de", "ltr"),
        ("Familienstützpunkt", "de"),
    )
    assert popup_of(page, collection, "runder-tisch-test") == (
        ("طاولة مستديرة <script>document.body.dataset.pwned='ar'</script>", None, None),
        ("Koordinierungskreis", "de"),
    )
    page.goto(page.base + "ar/orte/familienstuetzpunkt-bunde/")  # German only: marked
    show_any_map(page)
    page.locator(".ww-pin-icon").hover()
    tooltip = page.locator(".leaflet-tooltip span")
    assert (tooltip.inner_text(), tooltip.get_attribute("lang")) == (
        "Familienstützpunkt Bunde",
        "de",
    )
    assert_nothing_ran(page)
