"""``wegweiser import``: spreadsheets and HSDS files become entries, checked as usual."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO
from wegweiser import exports, pipeline
from wegweiser.core.validate import check_directory

SETTINGS = exports.ExportSettings(site_url="https://wegweiser.example.org/")
HEADER = "name,category,summary,street,postcode,city,phone,topics,verified_date,verified_by"


def empty_project(root: Path) -> Path:
    (root / "entries").mkdir(parents=True)
    shutil.copytree(REPO / "entries" / "_lists", root / "entries" / "_lists")
    return root


def wegweiser(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "wegweiser.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def sample_exports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    for item in exports.build_all(pipeline.offline(REPO).directory, SETTINGS):
        (folder / item.name).write_bytes(item.content)
    return folder


def test_hsds_export_imports_back_to_the_same_entries(sample_exports, tmp_path):
    project = empty_project(tmp_path / "p")
    run = wegweiser("import", str(sample_exports / "hsds.json"), "--root", str(project))
    assert run.returncode == 0, run.stdout + run.stderr
    assert (
        "22 Einträge angelegt, 0 aktualisiert, 0 schon vorhanden, 0 Zeilen abgelehnt." in run.stderr
    )
    original = check_directory(REPO).directory.entries
    imported = check_directory(project)
    assert [f for f in imported.findings if f.is_error] == []
    assert {s: e.source for s, e in imported.directory.entries.items()} == {
        s: e.source for s, e in original.items()
    }
    for slug, entry in original.items():
        assert imported.directory.entries[slug].data == entry.data, slug


# The fields of issue 15, each a column or a JSON cell of the table.
HOURS_FIELDS = ("closures", "status", "appointment", "cost", "accessibility", "transport")
HOURS_FIELDS += ("valid_until",)


def test_csv_export_imports_back_with_the_fields_a_table_holds(sample_exports, tmp_path):
    project = empty_project(tmp_path / "p")
    for name in ("orte.csv", "orte-excel.csv"):
        run = wegweiser("import", str(sample_exports / name), "--root", str(project), "--update")
        assert run.returncode == 0, run.stdout + run.stderr
    original = check_directory(REPO).directory.entries
    imported = check_directory(project).directory.entries
    assert set(imported) == set(original)
    table_fields = ("name", "category", "summary", "address", "topics", "languages", "verified")
    for slug, entry in original.items():
        for key in (*table_fields, "phone", "opening_hours", "part_of", "members", *HOURS_FIELDS):
            assert imported[slug].get(key) == entry.get(key), (slug, key)
    # The sample shows each of these somewhere, so the loop above compared real values.
    assert all(any(e.get(key) for e in original.values()) for key in HOURS_FIELDS)
    assert any(isinstance(code, dict) for e in original.values() for code in e.get("languages", []))


def test_rejected_rows_are_reported_with_row_number_and_reason(tmp_path):
    project = empty_project(tmp_path / "p")
    sheet = tmp_path / "liste.csv"
    sheet.write_text(
        f"{HEADER}\n"
        "Sprachcafé Leer,treffpunkt,Deutsch üben bei Kaffee und Kuchen.,Mühlenstraße 1,26789,Leer,0491 12345,sprache,2026-03-01,Redaktion\n"
        "Kaputt,zauberei,Eine Kategorie gibt es nicht.,,,Leer,,,2026-03-01,Redaktion\n"
        "Beratung Bunde,beratungsstelle,Beratung für Familien in Bunde.,,,Bunde,12,,2026-03-01,Redaktion\n"
        "Sprachcafé Leer,treffpunkt,Noch einmal dieselbe Kennung in der Datei.,,,Leer,,,2026-03-01,Redaktion\n",
        "utf-8",
    )
    run = wegweiser("import", str(sheet), "--root", str(project))
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "entries/leer/sprachcafe-leer.yml: angelegt"
    assert lines[1] == (
        f'{sheet}:3:1: error: Zeile 3 abgelehnt ("Kaputt"): category: "zauberei" steht nicht in der Liste'
        " — Wählen Sie einen Wert aus entries/_lists/categories.yml oder bitten Sie die Redaktion, ihn dort aufzunehmen."
        " Die anderen Zeilen sind davon nicht betroffen."
    )
    assert lines[2].startswith(
        f'{sheet}:4:1: error: Zeile 4 abgelehnt ("Beratung Bunde"): phone: "12" ist keine gültige Telefonnummer'
    )
    assert lines[3].startswith(
        f'{sheet}:5:1: error: Zeile 5: Die Kennung "sprachcafe-leer" kommt in der Datei schon in Zeile 2 vor'
    )
    assert "Traceback" not in run.stderr
    written = (project / "entries" / "leer" / "sprachcafe-leer.yml").read_text("utf-8")
    assert written.startswith(f"# Importiert aus {sheet}, Zeile 2\nname: Sprachcafé Leer\n")
    assert sorted(
        p.name for p in (project / "entries").rglob("*.yml") if "_lists" not in p.parts
    ) == ["sprachcafe-leer.yml"]


def test_existing_entries_stay_unless_update(tmp_path):
    project = empty_project(tmp_path / "p")
    sheet = tmp_path / "liste.csv"
    row = "Sprachcafé Leer,treffpunkt,{summary},,,Leer,,,2026-03-01,Redaktion\n"
    sheet.write_text(f"{HEADER}\n" + row.format(summary="Deutsch üben bei Kaffee."), "utf-8")
    assert wegweiser("import", str(sheet), "--root", str(project)).returncode == 0
    target = project / "entries" / "leer" / "sprachcafe-leer.yml"
    sheet.write_text(f"{HEADER}\n" + row.format(summary="Jetzt auch mit Kinderbetreuung."), "utf-8")
    again = wegweiser("import", str(sheet), "--root", str(project))
    assert again.returncode == 0
    assert (
        f"{sheet}:2:1: warning: Zeile 2: Den Eintrag gibt es schon: entries/leer/sprachcafe-leer.yml"
        in again.stdout
    )
    assert "Deutsch üben" in target.read_text("utf-8")
    update = wegweiser("import", str(sheet), "--root", str(project), "--update")
    assert "entries/leer/sprachcafe-leer.yml: aktualisiert" in update.stdout
    assert "Kinderbetreuung" in target.read_text("utf-8")


def test_mapping_file_renames_columns(tmp_path):
    project = empty_project(tmp_path / "p")
    sheet = tmp_path / "tabelle.csv"
    sheet.write_text(
        "Einrichtung;Art;Angebot;Ort;Geprüft am;Geprüft von;Sprachen\n"
        "Frauenberatung Weener;beratungsstelle;Beratung für Frauen, vertraulich.;Weener;2026-03-01;Redaktion;de, ar, fa\n",
        "utf-8-sig",
    )
    mapping = tmp_path / "zuordnung.yml"
    mapping.write_text(
        "name: Einrichtung\ncategory: Art\nsummary: Angebot\ncity: Ort\n"
        "verified_date: Geprüft am\nverified_by: Geprüft von\nlanguages: Sprachen\n",
        "utf-8",
    )
    run = wegweiser("import", str(sheet), "--mapping", str(mapping), "--root", str(project))
    assert run.returncode == 0, run.stdout + run.stderr
    entry = check_directory(project).directory.entries["frauenberatung-weener"]
    assert entry.get("languages") == ["de", "ar", "fa"]
    assert entry.address == {"city": "Weener"}


def test_missing_column_and_unknown_mapping_field_are_clear(tmp_path):
    project = empty_project(tmp_path / "p")
    sheet = tmp_path / "t.csv"
    sheet.write_text("Name,Ort\nA,Leer\n", "utf-8")
    run = wegweiser("import", str(sheet), "--root", str(project))
    assert run.returncode == 1
    assert run.stdout.startswith(f'{sheet}:1:1: error: Die Spalte "name" fehlt — ')
    mapping = tmp_path / "m.yml"
    mapping.write_text("titel: Name\n", "utf-8")
    run = wegweiser("import", str(sheet), "--mapping", str(mapping), "--root", str(project))
    assert run.stdout.startswith(f'{mapping}:1:1: error: Zuordnungsdatei: "titel" ist kein Feld')
    broken = tmp_path / "kaputt.json"
    broken.write_text('{"contents": [', "utf-8")
    run = wegweiser("import", str(broken), "--root", str(project))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stdout.startswith(f"{broken}:1:")


def test_a_broken_hsds_record_is_rejected_alone(sample_exports, tmp_path):
    import json

    project = empty_project(tmp_path / "p")
    page = json.loads((sample_exports / "hsds.json").read_text("utf-8"))
    page["contents"][1] = "kein Angebot"
    page["contents"][2]["service_at_locations"] = [{"location": {"addresses": [None]}}]
    broken = tmp_path / "hsds.json"
    broken.write_text(json.dumps(page), "utf-8")
    run = wegweiser("import", str(broken), "--root", str(project))
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (
        f"{broken}:2:1: error: Datensatz 2 ist kein HSDS-Angebot, wie der Import es lesen kann (AttributeError:"
        in run.stdout
    )
    assert f"{broken}:3:1: error: Datensatz 3 ist kein HSDS-Angebot" in run.stdout
    assert (
        "20 Einträge angelegt, 0 aktualisiert, 0 schon vorhanden, 2 Zeilen abgelehnt." in run.stderr
    )
    empty = tmp_path / "leer.csv"
    empty.write_text(HEADER + "\n", "utf-8")
    run = wegweiser("import", str(empty), "--root", str(project))
    assert run.stdout.startswith(
        f"{empty}:1:1: error: Die Datei enthält keine Zeilen mit Einträgen"
    )
