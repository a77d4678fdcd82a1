"""Open-data exports: HSDS against the official schemas, CSV, iCalendar, licence, privacy."""

from __future__ import annotations

import csv
import functools
import gzip
import io
import json
import re
import uuid
from pathlib import Path

import icalendar
import jsonschema
import pytest
from helpers import REPO
from test_synth import _synth
from wegweiser import exports, pipeline
from wegweiser.core.model import is_sensitive
from wegweiser.exports import hsds, table

# The official compiled schemas, kept gzipped in the fixtures (the shared copy beside the
# checkout is not on every machine); test_hsds_fixture_schemas_are_the_official_ones.
HSDS_SCHEMAS = REPO / "tests" / "fixtures" / "hsds-3.0"
SHARED_SCHEMAS = REPO.parent / "shared" / "hsds-3.0" / "schema" / "compiled"
HSDS_NAMES = ("organization", "service", "service_at_location")
SETTINGS = exports.ExportSettings(site_url="https://wegweiser.example.org/")
KOKREIS = "koordinierungskreis-sicherheit-und-integration-in-fluechtlingsunterkuenften"


def test_hsds_fixture_schemas_are_the_official_ones():
    if not SHARED_SCHEMAS.is_dir():
        pytest.skip("../shared/hsds-3.0 is not beside this checkout")
    for name in HSDS_NAMES:
        fixture = gzip.decompress((HSDS_SCHEMAS / f"{name}.json.gz").read_bytes())
        assert fixture == (SHARED_SCHEMAS / f"{name}.json").read_bytes(), name


@functools.cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(gzip.decompress((HSDS_SCHEMAS / f"{name}.json.gz").read_bytes()))
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    assert "uri" in checker.checkers, "rfc3987 is missing: uri fields would go unchecked"
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


def hsds_problems(page: dict) -> list[str]:
    """Every record checked against the official compiled schema of its kind."""
    problems = []
    for service in page["contents"]:
        records = [("service", service), ("organization", service["organization"])]
        records += [("service_at_location", s) for s in service["service_at_locations"]]
        for kind, record in records:
            for error in validator(kind).iter_errors(record):
                path = "/".join(map(str, error.absolute_path))
                problems.append(f"{service['name']}: {kind}/{path}: {error.message}")
    return problems


@pytest.fixture(scope="module")
def sample():
    return pipeline.offline(REPO).directory


@pytest.fixture(scope="module")
def sample_files(sample):
    return {f.uri: f.content for f in exports.build_all(sample, SETTINGS)}


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    root = tmp_path_factory.mktemp("large")
    _synth().generate(root, 2000, seed=5)
    directory = pipeline.offline(root).directory
    return directory, {f.uri: f.content for f in exports.build_all(directory, SETTINGS)}


# -- HSDS ---------------------------------------------------------------------------------


def test_hsds_of_the_sample_validates_against_the_official_schemas(sample_files):
    page = json.loads(sample_files["daten/hsds.json"])
    assert page["total_items"] == len(page["contents"]) == 22
    assert hsds_problems(page) == []


@pytest.mark.slow
def test_hsds_of_a_large_generated_set_validates(large):
    directory, files = large
    page = json.loads(files["daten/hsds.json"])
    assert len(page["contents"]) == 2000
    assert hsds_problems(page) == []
    assert any(s.get("schedules") for s in page["contents"])


def test_hsds_maps_the_main_fields(sample_files):
    page = json.loads(sample_files["daten/hsds.json"])
    by_name = {s["name"]: s for s in page["contents"]}
    leer = by_name["Koordinierungsstelle Migration und Teilhabe"]
    location = leer["service_at_locations"][0]["location"]
    assert location["addresses"][0]["address_1"] == "Bergmannstraße 37"
    assert location["addresses"][0]["postal_code"] == "26789"
    assert location["addresses"][0]["state_province"] == "Niedersachsen"
    assert leer["phones"][0]["number"] == "0491 999028-21"
    assert {"MO", "TU", "WE", "TH", "FR"} <= set(leer["schedules"][0]["byday"].split(","))
    assert [lang["code"] for lang in leer["languages"]][:1] == ["de"]
    kreis = [s for s in page["contents"] if s["organization"]["uri"].endswith(f"/{KOKREIS}/")][0]
    meeting = [s for s in kreis["schedules"] if s["freq"] == "MONTHLY"][0]
    assert (meeting["byday"], meeting["dtstart"], meeting["opens_at"]) == (
        "1WE",
        "2026-02-04",
        "14:00",
    )


def test_opening_hours_follow_the_osm_rule_that_a_later_rule_replaces_an_earlier_one():
    rows = hsds.weekly_hours("Mo-Fr 08:30-12:00; Th 08:30-12:00,14:00-18:00")
    assert rows == (
        (("MO", "TU", "WE", "TH", "FR"), "08:30", "12:00"),
        (("TH",), "14:00", "18:00"),
    )


def test_hsds_ids_are_uuids_from_slugs_and_stay_the_same(sample, sample_files):
    page = json.loads(sample_files["daten/hsds.json"])
    slug = "familienstuetzpunkt-bunde"
    service = [s for s in page["contents"] if s["organization"]["uri"].endswith(f"/{slug}/")][0]
    assert service["id"] == SETTINGS.id(slug, "service")
    assert uuid.UUID(service["id"]).version == 5
    again = {f.uri: f.content for f in exports.build_all(sample, SETTINGS)}
    assert again == sample_files  # same entries, same bytes: no clock in any export


def test_translations_travel_as_attributes_with_a_language(sample_files):
    page = json.loads(sample_files["daten/hsds.json"])
    kreis = [s for s in page["contents"] if s["organization"]["uri"].endswith(f"/{KOKREIS}/")][0]
    arabic = [
        a
        for a in kreis["attributes"]
        if a["link_type"] == "translations.name" and a["taxonomy_term"].get("language") == "ar"
    ]
    assert arabic[0]["value"] == "لجنة تنسيق الأمن والاندماج في مساكن اللاجئين"


# -- privacy ------------------------------------------------------------------------------


def test_no_export_holds_the_exact_place_of_a_sensitive_entry(large):
    directory, files = large
    sensitive = [e for e in directory.entries.values() if is_sensitive(e, directory)]
    assert sensitive
    centres = {
        (
            round(e.municipality.data["centre"]["lat"], 5),
            round(e.municipality.data["centre"]["lon"], 5),
        )
        for e in sensitive
    }
    geo = json.loads(files["daten/orte.geojson"])
    hsds_page = json.loads(files["daten/hsds.json"])
    rows = {r["slug"]: r for r in csv.DictReader(io.StringIO(files["daten/orte.csv"].decode()))}
    by_uri = {s["organization"]["uri"]: s for s in hsds_page["contents"]}
    features = {f["id"]: f for f in geo["features"]}
    for entry in sensitive:
        lon, lat = features[entry.slug]["geometry"]["coordinates"]
        assert (lat, lon) in centres
        row = rows[entry.slug]
        assert (float(row["lat"]), float(row["lon"])) in centres and row["street"] == ""
        location = by_uri[SETTINGS.page_url(entry)]["service_at_locations"][0]["location"]
        assert (location["latitude"], location["longitude"]) in centres
        assert location["addresses"][0]["address_1"] == ""
        ld = exports.jsonld.thing(entry, directory, SETTINGS)
        assert "geo" not in ld and "streetAddress" not in ld["address"]


# -- CSV ----------------------------------------------------------------------------------


def test_csv_has_one_row_per_entry_and_an_excel_twin(sample, sample_files):
    plain = sample_files["daten/orte.csv"].decode("utf-8")
    excel = sample_files["daten/orte-excel.csv"]
    assert not plain.startswith("\ufeff")
    assert excel.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads umlauts
    rows = list(csv.DictReader(io.StringIO(plain)))
    excel_rows = list(csv.DictReader(io.StringIO(excel.decode("utf-8-sig")), delimiter=";"))
    assert rows == excel_rows
    assert len(rows) == len(sample.entries)
    assert list(rows[0]) == list(table.COLUMNS)
    bunde = [r for r in rows if r["slug"] == "familienstuetzpunkt-bunde"][0]
    assert bunde["city"] == "Bunde" and bunde["url"].endswith("/orte/familienstuetzpunkt-bunde/")


def test_csvw_metadata_names_every_column_and_the_licence(sample_files):
    meta = json.loads(sample_files["daten/orte.csv-metadata.json"])
    assert [c["name"] for c in meta["tableSchema"]["columns"]] == list(table.COLUMNS)
    assert meta["dc:license"] == {"@id": "https://creativecommons.org/licenses/by/4.0/deed.de"}


# -- iCalendar ----------------------------------------------------------------------------


def test_calendar_holds_the_meetings_as_a_recurring_event(sample_files):
    calendar = icalendar.Calendar.from_ical(sample_files["daten/sitzungen.ics"])
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]).startswith("Koordinierungskreis Sicherheit")
    assert event["rrule"]["FREQ"] == ["MONTHLY"] and event["rrule"]["BYDAY"] == ["1WE"]
    assert event.decoded("dtstart").isoformat() == "2026-02-04T14:00:00+01:00"
    assert str(event["location"]) == "Rathaus Erkelenz, 41812 Erkelenz"
    assert "erfunden" in str(event["description"])  # the rhythm is invented in the sample
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Berlin"
    own = f"daten/sitzungen/{KOKREIS}.ics"
    assert icalendar.Calendar.from_ical(sample_files[own]).walk("VEVENT")[0]["uid"] == event["uid"]


# -- licence ------------------------------------------------------------------------------


def test_every_export_states_the_licence(sample_files):
    for uri, content in sample_files.items():
        text = content.decode("utf-8-sig")
        if uri.endswith((".json", ".geojson")):
            assert "creativecommons.org/licenses/by/4.0" in text, uri
        elif uri.endswith(".ics"):
            assert "CC BY 4.0" in text.replace("\r\n ", ""), uri
        elif uri.endswith(".csv"):  # CSV has no slot: its CSVW metadata file carries it
            assert "daten/orte.csv-metadata.json" in sample_files


def test_licence_comes_from_mkdocs_yml():
    licence = exports.DataLicense.from_config(
        {"data_license": {"id": "ODbL-1.0", "url": "https://opendatacommons.org/licenses/odbl/"}},
        "Wegweiser Leer",
    )
    assert (licence.id, licence.name, licence.attribution) == (
        "ODbL-1.0",
        "ODbL-1.0",
        "Wegweiser Leer",
    )
    assert exports.DataLicense.from_config({}).id == "CC-BY-4.0"


# -- JSON-LD ------------------------------------------------------------------------------


def test_json_ld_cannot_leave_its_script_element(sample):
    entry = sample.entries["familienstuetzpunkt-bunde"]
    entry.data = {**entry.data, "name": "A </script><script>alert(1)</script> & <!--"}
    try:
        text = exports.jsonld.script_text(entry, sample, SETTINGS)
    finally:
        entry.data = {**entry.data, "name": "Familienstützpunkt Bunde"}
    assert re.search(r"[<>&]", text) is None
    assert json.loads(text)["name"] == "A </script><script>alert(1)</script> & <!--"


def test_json_ld_type_comes_from_the_category(sample):
    office = sample.entries["koordinierungsstelle-migration-und-teilhabe"]
    data = exports.jsonld.thing(office, sample, SETTINGS)
    assert data["@type"] == "GovernmentOffice"
    assert data["telephone"] == "+4949199902821"
    assert data["openingHours"].startswith("Mo-Fr 08:30-12:00")


def test_data_page_file_is_listed_once(sample_files):
    assert len([u for u in sample_files if u.startswith("daten/sitzungen/")]) == 1
    assert Path("daten/orte.geojson").as_posix() in sample_files


def test_hsds_mapping_doc_names_every_entry_field():
    from wegweiser.core.validate import base_schema

    doc = (REPO / "docs" / "daten" / "hsds.md").read_text("utf-8")
    missing = [key for key in base_schema()["properties"] if f"`{key}" not in doc]
    assert missing == []


def test_last_meeting_day_is_a_utc_time_at_its_end():
    from wegweiser.core import meetings

    value = {"repeat": "weekly", "day": "We", "time": "18:00-20:00", "first": "2026-02-04"}
    rule = meetings.schedule({**value, "until": "2026-07-01"}).rrule(exports.ical.TIMEZONE)
    assert rule["UNTIL"].isoformat() == "2026-07-01T21:59:59+00:00"  # summer time: UTC+2
    text = icalendar.vRecur(rule).to_ical().decode()
    assert "UNTIL=20260701T215959Z" in text


def test_json_ld_describes_the_meetings_as_a_schedule(sample):
    body = sample.entries[KOKREIS]
    schedule = exports.jsonld.thing(body, sample, SETTINGS)["event"]["eventSchedule"]
    assert schedule["repeatFrequency"] == "P1M" and schedule["byMonthWeek"] == 1
    assert schedule["byDay"] == "https://schema.org/Wednesday"
    assert (schedule["startTime"], schedule["startDate"]) == ("14:00", "2026-02-04")


def test_files_written_in_pieces_equal_the_made_ones(sample, tmp_path):
    """HSDS is written service by service (its page as objects was the build's memory peak)."""
    planned = exports.planned(sample, SETTINGS)
    assert any(item.pieces for item in planned)
    written = {w.uri: w.size for w in exports.write_all(planned, tmp_path)}
    for item in exports.build_all(sample, SETTINGS):
        assert (tmp_path / item.uri).read_bytes() == item.content, item.uri
        assert written[item.uri] == len(item.content)
    text = hsds.hsds_text(sample, SETTINGS)
    assert text == json.dumps(
        hsds.page(sample, SETTINGS), ensure_ascii=False, separators=(",", ":")
    )
