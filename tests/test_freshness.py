"""Freshness: the age of each entry's Stand, the notice past the limit, `stale` and `confirm`."""

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import mkdocs_build, wegweiser
from wegweiser.core import freshness

KOORD = "entries/leer/koordinierungsstelle-migration-und-teilhabe.yml"
KOORD_PAGE = "orte/koordinierungsstelle-migration-und-teilhabe/index.html"
BUNDE_PAGE = "orte/familienstuetzpunkt-bunde/index.html"
EPOCH_2027_02_01 = "1801440000"


@pytest.mark.parametrize(
    "earlier, later, months",
    [
        ("2026-01-15", "2026-01-31", 0),
        ("2026-01-15", "2026-02-14", 0),
        ("2026-01-15", "2026-02-15", 1),
        ("2026-01-31", "2027-01-30", 11),
        ("2026-01-31", "2027-01-31", 12),
        ("2026-03-01", "2026-01-01", 0),
    ],
)
def test_whole_months(earlier, later, months):
    d = dt.date.fromisoformat
    assert freshness.months_between(d(earlier), d(later)) == months


def test_build_date_follows_source_date_epoch():
    assert freshness.build_date({"SOURCE_DATE_EPOCH": EPOCH_2027_02_01}) == dt.date(2027, 2, 1)
    assert freshness.build_date({"SOURCE_DATE_EPOCH": "bad"}) == dt.date.today()


@pytest.mark.parametrize("value, months", [(6, 6), ("18", 18), (0, 12), ("ein Jahr", 12)])
def test_setting_is_checked(value, months):
    assert freshness.stale_after_months({"stale_after_months": value}) == months


def test_entry_pages_show_age_and_warn_when_old(site_copy, tmp_path):
    out = tmp_path / "out"
    result = mkdocs_build(site_copy, out, env={"SOURCE_DATE_EPOCH": EPOCH_2027_02_01})
    assert result.returncode == 0, result.stderr
    old = (out / KOORD_PAGE).read_text("utf-8")
    assert '. <span class="ww-age">Geprüft vor 12 Monaten.</span></p>' in old
    assert 'class="ww-stale" role="note"' in old
    assert "zuletzt am 15.01.2026 geprüft, vor 12 Monaten oder länger" in old
    fresh = (out / BUNDE_PAGE).read_text("utf-8")
    assert '. <span class="ww-age">Geprüft vor 11 Monaten.</span></p>' in fresh
    assert "ww-stale" not in fresh
    assert (
        'href="https://github.com/example/wegweiser-test/blob/test-branch/CONTRIBUTING.md"' in old
    )
    report = re.search(r'href="(https://github.com/example/wegweiser-test/issues/new\?[^"]+)"', old)
    query = parse_qs(urlsplit(html.unescape(report.group(1))).query)
    assert query["template"] == ["info-falsch.yml"]  # the issue form, its field filled in
    assert query["eintrag"] == [KOORD]


def test_stale_lists_old_entries_for_editors(site_copy):
    result = wegweiser("stale", "--root", site_copy, "--today", "2027-02-01")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        f"{KOORD}:23:9: warning: Stand 2026-01-15 ist 12 Monate alt — Angaben bei der Stelle "
        f"prüfen; stimmt alles, nur das Datum setzen: wegweiser confirm {KOORD}"
    ]
    assert "1 Einträge" in result.stderr


def test_stale_as_markdown_for_the_tracking_issue(site_copy):
    result = wegweiser(
        "stale",
        "--root",
        site_copy,
        "--today",
        "2027-02-01",
        "--months",
        "6",
        "--format",
        "markdown",
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "<!-- wegweiser:stale -->"
    assert lines[1] == "## Einträge mit altem Stand (älter als 6 Monate)"
    items = [line for line in lines if line.startswith("- [ ] ")]
    assert len(items) == 3
    assert items[0].startswith("- [ ] **Koordinierungsstelle Migration und Teilhabe** — entries\\/")
    assert (
        "[Datei bearbeiten](https://github.com/example/wegweiser-test/edit/test-branch/" in items[0]
    )


def test_confirm_changes_only_the_date(site_copy):
    path = site_copy / KOORD
    before = path.read_text("utf-8").splitlines()
    result = wegweiser("confirm", "--today", "2026-11-20", path)
    assert result.returncode == 0, result.stderr
    after = path.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("  date: 2026-01-15", "  date: 2026-11-20")]


def test_confirm_keeps_quotes_and_refuses_broken_files(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text('name: X  # Kommentar\nverified:\n  date: "2025-01-01" # alt\n', "utf-8")
    assert wegweiser("confirm", "--today", "2026-11-20", path).returncode == 0
    assert (
        path.read_text("utf-8") == 'name: X  # Kommentar\nverified:\n  date: "2026-11-20" # alt\n'
    )
    broken = tmp_path / "kaputt.yml"
    broken.write_text("name: [\n", "utf-8")
    result = wegweiser("confirm", broken)
    assert result.returncode == 1
    assert "kein lesbarer Eintrag" in result.stderr and "Traceback" not in result.stderr


def test_tracking_issue_body_stays_below_githubs_limit():
    from wegweiser.core.model import Entry
    from wegweiser.editorial.stale import stale_markdown

    old = dt.date(2020, 1, 1)
    entries = [
        Entry(f"ort-{i}", f"entries/leer/ort-{i}.yml", {"name": "Ort " * 30}, None, old)
        for i in range(2000)
    ]
    text = stale_markdown(entries, dt.date(2026, 11, 1), 12, {"repo_url": "https://x.test/r"}, "")
    assert len(text) < 65_536
    assert "weitere (alle: wegweiser stale)" in text
