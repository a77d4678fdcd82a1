"""`wegweiser check` as a volunteer and CI call it: a real subprocess, real files."""

import subprocess
import sys

import pytest
from wegweiser.editorial.mdtext import md


def check(root, *args):
    return subprocess.run(
        [sys.executable, "-m", "wegweiser.cli", "check", "--root", str(root), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_clean_directory_exits_zero(site_copy):
    result = check(site_copy)
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "Alles in Ordnung: 3 Einträge geprüft."


@pytest.fixture
def broken(site_copy):
    (site_copy / "entries" / "leer" / "kaputt.yml").write_text(
        "name: Kaputt\ncategory: netzwrek\nsummary: Ein kaputter Eintrag.\n"
        "address: {city: Leer}\nphone: 0491 ABC\nverified: {date: 2026-01-01, by: R}\n",
        "utf-8",
    )
    return site_copy


def test_every_problem_at_once_and_exit_one(broken):
    result = check(broken)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        'entries/leer/kaputt.yml:2:11: error: category: "netzwrek" steht nicht in der Liste — Meinten Sie netzwerk? Alle Werte stehen in entries/_lists/categories.yml.',
        'entries/leer/kaputt.yml:5:8: error: phone: "0491 ABC" ist keine Telefonnummer — Nur Ziffern, Leerzeichen, + ( ) / - sind erlaubt, z. B. 0491 999028-21.',
        "entries/leer/kaputt.yml:6:34: error: verified.by ist zu kurz (1 Zeichen, mindestens 2) — Schreiben Sie etwas mehr.",
    ]
    assert "3 Fehler, 0 Warnungen in 1 Dateien" in result.stderr
    assert "Traceback" not in result.stderr


def test_english(broken):
    result = check(broken, "--lang", "en")
    assert result.stdout.splitlines()[0] == (
        'entries/leer/kaputt.yml:2:11: error: category: "netzwrek" is not in the list — Did you mean netzwerk? All values are in entries/_lists/categories.yml.'
    )


def test_github_annotations(broken):
    result = check(broken, "--format", "github")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        '::error file=entries/leer/kaputt.yml,line=2,col=11::category: "netzwrek" steht nicht in der Liste — Meinten Sie netzwerk? Alle Werte stehen in entries/_lists/categories.yml.'
    )


def test_only_named_files(broken):
    result = check(broken, str(broken / "entries" / "leer" / "familienstuetzpunkt-bunde.yml"))
    assert result.returncode == 0 and result.stdout == ""


def test_missing_entries_folder_is_explained(tmp_path):
    result = check(tmp_path)
    assert result.returncode == 2
    assert "Ordner" in result.stderr and "nicht gefunden" in result.stderr


def test_warnings_do_not_fail(site_copy):
    (site_copy / "entries" / "leer" / "ort-falsche-plz.yml").write_text(
        "name: Ort mit falscher PLZ\ncategory: netzwerk\nsummary: Ein Eintrag mit Warnung.\n"
        "address: {city: Leer, postcode: '26831'}\nverified: {date: 2026-01-01, by: Redaktion}\n",
        "utf-8",
    )
    result = check(site_copy)
    assert result.returncode == 0
    assert result.stdout.strip() == (
        'entries/leer/ort-falsche-plz.yml:4:33: warning: Postleitzahl "26831" gehört nicht zu Leer (bekannt: 26789) — Prüfen Sie Postleitzahl und Gemeinde.'
    )


def test_schema_command_prints_allowed_values(site_copy):
    result = subprocess.run(
        [sys.executable, "-m", "wegweiser.cli", "schema", "--root", str(site_copy)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert '"familienstuetzpunkt"' in result.stdout


def test_markdown_for_a_pull_request_comment_is_inert(broken):
    result = check(broken, "--format", "markdown")
    assert result.returncode == 1 and result.stderr == ""
    lines = result.stdout.splitlines()
    summary = md("3 Fehler, 0 Warnungen in 1 Dateien (3 Einträge in Ordnung).")
    assert lines[:4] == ["### Prüfung (wegweiser check)", "", f"**{summary}**", ""]
    message = 'entries/leer/kaputt.yml:2:11: error: category: "netzwrek" steht nicht in der Liste'
    assert lines[4].startswith(f"- {md(message)}")
    assert len(lines) == 7 and all(line.startswith("- ") for line in lines[4:])


def test_markdown_of_a_clean_directory_in_english(site_copy):
    result = check(site_copy, "--format", "markdown", "--lang", "en")
    assert result.returncode == 0
    summary = md("All good: 3 entries checked.")
    assert result.stdout == f"### Check (wegweiser check)\n\n**{summary}**\n"
