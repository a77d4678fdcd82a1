"""The exports in the built fixture site: the Daten page, JSON-LD and calendars on entry pages."""

from __future__ import annotations

import json
import re

import icalendar
import pytest
from browser import browser, serve
from test_map import CANARY, HOSTILE_NAME, assert_nothing_ran

HOSTILE = "orte/runder-tisch-test/index.html"


def read(site, path):
    return (site / path).read_text("utf-8")


def json_ld(page: str) -> str:
    return re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)


def test_data_page_links_every_file_with_format_size_and_licence(built_site):
    page = read(built_site, "daten/index.html")
    for name in ("orte.geojson", "orte.csv", "orte-excel.csv", "hsds.json", "sitzungen.ics"):
        assert f'href="../daten/{name}" download><code>{name}</code>' in page, name
        assert (built_site / "daten" / name).stat().st_size > 100
    assert "Open Data Commons Open Database License (ODbL)" in page  # from the fixture's mkdocs.yml
    assert "„Wegweiser Test“" in page
    assert re.search(r"<td>\d+,\d KB</td>", page)
    # sizes are filled in at the end of the build, when the export files are written
    assert "WW:GROESSE" not in page
    sizes = re.findall(r"<td>\d+(?:,\d)? (?:Bytes|KB|MB)</td>", page)
    assert len(sizes) == page.count(" download><code>")
    home = read(built_site, "index.html")
    nav = home[home.index('<nav class="md-nav md-nav--primary"') :]
    assert 'href="daten/"' in nav  # reachable from every page's navigation


def test_exports_carry_the_configured_licence(built_site):
    geo = json.loads(read(built_site, "daten/orte.geojson"))
    assert geo["license"]["id"] == "ODbL-1.0" and len(geo["features"]) == 3
    hsds = json.loads(read(built_site, "daten/hsds.json"))
    assert hsds["license"]["attribution"] == "Wegweiser Test"
    assert "ODbL" in read(built_site, "daten/sitzungen.ics").replace("\r\n ", "")


def test_entry_page_json_ld_is_valid_and_escaped(built_site):
    page = read(built_site, HOSTILE)
    text = json_ld(page)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    assert data["name"] == HOSTILE_NAME
    assert data["@type"] == "Organization"
    assert data["address"]["streetAddress"] == "Johannismarkt 17 <b>"
    office = json.loads(
        json_ld(read(built_site, "orte/koordinierungsstelle-migration-und-teilhabe/index.html"))
    )
    assert office["@type"] == "GovernmentOffice"
    assert (
        office["url"] == "https://wegweiser.test/orte/koordinierungsstelle-migration-und-teilhabe/"
    )


def test_entry_page_offers_its_calendar(built_site):
    page = read(built_site, HOSTILE)
    assert 'href="../../daten/sitzungen/runder-tisch-test.ics"' in page
    assert 'href="webcal://wegweiser.test/daten/sitzungen/runder-tisch-test.ics"' in page
    assert "alle zwei Wochen, Mittwoch, 18:00–20:00 Uhr" in page
    calendar = icalendar.Calendar.from_ical(
        (built_site / "daten/sitzungen/runder-tisch-test.ics").read_bytes()
    )
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1  # text with "END:VEVENT" cannot start an event of its own
    assert str(events[0]["summary"]) == HOSTILE_NAME
    assert "END:VEVENT BEGIN:VEVENT; Gäste, willkommen" in str(events[0]["description"])
    assert events[0]["rrule"]["INTERVAL"] == [2]
    assert "sitzungen" not in read(built_site, "orte/familienstuetzpunkt-bunde/index.html")


@pytest.mark.browser
def test_hostile_entry_with_json_ld_runs_nothing_in_chromium(built_site):
    with serve(built_site) as url, browser() as chromium:
        context = chromium.new_context()
        context.add_init_script(CANARY)
        page = context.new_page()
        page.goto(url + "orte/runder-tisch-test/")
        page.wait_for_load_state("networkidle")
        assert_nothing_ran(page)
        scripts = page.locator('script[type="application/ld+json"]')
        assert scripts.count() == 1
        data = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
        )
        assert data["name"] == HOSTILE_NAME
        assert "Ratssaal </script>" in page.locator(".ww-meetings").inner_text()
        context.close()
