"""The opening state as a visitor sees it, in Chromium with its clock set (issue 15).

The fixture site gains places in Leer (Lower Saxony) and Erkelenz (North Rhine-
Westphalia), built with SOURCE_DATE_EPOCH on Monday 1 June 2026. Thursday 4 June 2026
is Corpus Christi: a public holiday in North Rhine-Westphalia, not in Lower Saxony.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from browser import browser, serve
from helpers import copy_fixture_site, mkdocs_build
from wegweiser.site import vendor

pytestmark = pytest.mark.browser

BUILD_DAY = dt.datetime(2026, 6, 1, 6, 0, tzinfo=dt.UTC)
HOURS = "Mo-Fr 09:00-12:00; PH off"
BASE = """\
category: familienstuetzpunkt
summary: Beratung für Familien.
address: {{street: Beispielweg 1, city: {city}}}
opening_hours: "{hours}"
verified: {{date: 2026-03-01, by: Redaktion}}
"""
PLACES = {
    "leer/offen-leer.yml": "name: Offen Leer\n" + BASE.format(city="Leer", hours=HOURS),
    "erkelenz/offen-erkelenz.yml": "name: Offen Erkelenz\n"
    + BASE.format(city="Erkelenz", hours=HOURS),
    "leer/pause-leer.yml": "name: Pause Leer\n"
    + BASE.format(city="Leer", hours=HOURS)
    + "closures:\n  - {from: 2026-06-03, to: 2026-06-05, note: Fortbildung}\n",
    "leer/umbau-leer.yml": "name: Umbau Leer\n"
    + BASE.format(city="Leer", hours=HOURS)
    + "status: {state: temporarily_closed, until: 2026-08-15, note: Umbau}\n",
    "leer/abgelaufen-leer.yml": "name: Abgelaufen Leer\n"
    + BASE.format(city="Leer", hours=HOURS)
    + "valid_until: 2026-05-31\n",
}


@pytest.fixture(scope="module")
def hours_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hours")
    site = copy_fixture_site(base / "src")
    for name, text in PLACES.items():
        (site / "entries" / name).write_text(text, "utf-8")
    epoch = str(int(BUILD_DAY.timestamp()))
    result = mkdocs_build(site, base / "out", env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 0, result.stderr
    return base / "out"


@pytest.fixture(scope="module")
def chromium(hours_site):
    with serve(hours_site) as url, browser() as instance:
        yield url, instance


def state_at(chromium, path: str, when: str, script: bool = True) -> tuple[str, str]:
    """The state line of a page at a moment of Berlin's clock ("2026-06-04T10:00")."""
    url, instance = chromium
    context = instance.new_context(java_script_enabled=script)
    try:
        page = context.new_page()
        moment = dt.datetime.fromisoformat(when + "+02:00")  # summer time in Berlin
        page.clock.set_fixed_time(moment)
        page.goto(url + path)
        state = page.locator(".ww-open").first
        return state.inner_text().strip(), state.get_attribute("data-state") or ""
    finally:
        context.close()


def test_holiday_of_one_land_only(chromium):
    """Corpus Christi, 10:00: closed in North Rhine-Westphalia, open in Lower Saxony."""
    assert state_at(chromium, "orte/offen-erkelenz/", "2026-06-04T10:00") == (
        "Heute Feiertag (Fronleichnam) – geschlossen",
        "closed",
    )
    assert state_at(chromium, "orte/offen-leer/", "2026-06-04T10:00") == (
        "Jetzt geöffnet · bis 12:00",
        "open",
    )


def test_closed_now_says_when_it_opens(chromium):
    # Wednesday after closing: Thursday is a holiday in Erkelenz, so it opens on Friday.
    assert state_at(chromium, "orte/offen-erkelenz/", "2026-06-03T13:00")[0] == (
        "Jetzt geschlossen · öffnet Fr 09:00"
    )
    assert state_at(chromium, "orte/offen-leer/", "2026-06-03T13:00")[0] == (
        "Jetzt geschlossen · öffnet Do 09:00"
    )
    assert state_at(chromium, "orte/offen-leer/", "2026-06-03T07:30")[0] == (
        "Jetzt geschlossen · öffnet heute 09:00"
    )


def test_closure_and_temporary_closure(chromium):
    assert state_at(chromium, "orte/pause-leer/", "2026-06-04T10:00") == (
        "Geschlossen bis 05.06. (Fortbildung)",
        "closed",
    )
    assert state_at(chromium, "orte/pause-leer/", "2026-06-08T10:00")[1] == "open"
    assert state_at(chromium, "orte/umbau-leer/", "2026-06-04T10:00") == (
        "Vorübergehend geschlossen bis 15.08.",
        "closed",
    )


def test_past_the_horizon_the_state_is_unknown(chromium):
    text, state = state_at(chromium, "orte/offen-leer/", "2026-08-04T10:00")
    assert state == "unknown"
    assert text.startswith("Diese Seite ist zu alt")


def test_without_javascript_the_page_says_so_and_shows_the_week(chromium):
    text, state = state_at(chromium, "orte/offen-erkelenz/", "2026-06-04T10:00", script=False)
    assert state == ""
    assert "nur mit JavaScript" in text
    url, instance = chromium
    context = instance.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url + "orte/offen-erkelenz/")
    rows = page.locator(".ww-week tr").all_inner_texts()
    context.close()
    assert rows[0].split("\t") == ["Mo 01.06.", "09:00–12:00"]
    assert rows[3].split("\t") == ["Do 04.06.", "geschlossen\nFeiertag (Fronleichnam)"]
    assert rows[5].split("\t") == ["Sa 06.06.", "geschlossen"]


def test_arabic_page_in_its_own_words(chromium):
    assert state_at(chromium, "ar/orte/offen-erkelenz/", "2026-06-04T10:00") == (
        "اليوم عطلة رسمية (عيد القربان) – مغلق",
        "closed",
    )
    assert state_at(chromium, "ar/orte/offen-leer/", "2026-06-04T10:00") == (
        "مفتوح الآن · حتى \u206612:00\u2069",  # the time isolated as left-to-right text
        "open",
    )
    url, instance = chromium
    page = instance.new_page()
    page.clock.set_fixed_time(
        dt.datetime(2026, 6, 4, 10, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    )
    page.goto(url + "ar/orte/offen-leer/")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    today = page.locator(".ww-week tr.ww-week__today")
    assert today.get_attribute("data-date") == "2026-06-04"
    # Dates and times read left to right inside the right-to-left table.
    assert today.inner_text().split("\t") == [
        "الخميس \u206604.06.\u2069",
        "\u206609:00–12:00\u2069",
    ]
    page.close()


def test_cards_in_lists_show_the_state(chromium):
    url, instance = chromium
    page = instance.new_page()
    page.clock.set_fixed_time(
        dt.datetime(2026, 6, 4, 10, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    )
    page.goto(url + "gemeinden/erkelenz/")
    card = page.locator(".ww-card", has_text="Offen Erkelenz").locator(".ww-open")
    assert card.inner_text() == "Heute Feiertag (Fronleichnam) – geschlossen"
    page.goto(url + "gemeinden/leer/")
    card = page.locator(".ww-card", has_text="Offen Leer").locator(".ww-open")
    assert card.inner_text() == "Jetzt geöffnet · bis 12:00"
    page.close()


def test_expired_offer_is_gone_everywhere(hours_site):
    """valid_until in the past: no page, no list, no map point, no search, no export."""
    assert not (hours_site / "orte" / "abgelaufen-leer").exists()
    for path in hours_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".json", ".csv", ".ics", ".xml", ".geojson"}:
            text = path.read_text("utf-8", errors="replace")
            assert "abgelaufen-leer" not in text and "Abgelaufen Leer" not in text, path
    # The search index is compressed: its fragments name every page it holds.
    fragments = list((hours_site / "pagefind").rglob("*.pf_fragment"))
    assert fragments
    import gzip

    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes()).decode("utf-8", errors="replace")
        assert "abgelaufen-leer" not in data
    geojson = json.loads((hours_site / "daten" / "orte.geojson").read_text("utf-8"))
    assert all("abgelaufen" not in f["properties"].get("slug", "") for f in geojson["features"])


@pytest.mark.parametrize(
    ("prefix", "words"),
    [("", "Vorübergehend geschlossen bis 15.08."), ("ar/", "مغلق مؤقتًا حتى \u206615.08.\u2069")],
)
def test_the_map_says_a_place_is_closed_for_now(chromium, hours_site, prefix, words):
    """The popup of a temporarily closed place says so, in the page's language. The map
    data is cut down to that one place, so its marker stands alone."""
    url, instance = chromium
    collection = json.loads((hours_site / "daten" / "orte.geojson").read_text("utf-8"))
    feature = next(f for f in collection["features"] if f["id"] == "umbau-leer")
    assert feature["properties"]["status"] == "temporarily_closed"
    collection["features"] = [feature]
    png = (Path(vendor.installed(vendor.PACKAGES[0])) / "images" / "layers.png").read_bytes()
    context = instance.new_context()
    # every language's map data (daten/orte.ar.geojson …) answered with the one place
    context.route("**/daten/orte*.geojson", lambda r: r.fulfill(json=collection))
    context.route(
        "https://tile.openstreetmap.org/**",
        lambda r: r.fulfill(status=200, content_type="image/png", body=png),
    )
    page = context.new_page()
    page.goto(url + prefix + "karte/")
    page.locator(".ww-map__show").click()
    page.wait_for_selector("[data-ww-map][data-state=ready]", timeout=15_000)
    page.locator(".ww-pin-icon").click()
    assert page.locator(".ww-popup__closed").inner_text() == words
    context.close()
