"""A region's own words, templates and theme parts (overrides/): they win over the engine's,
and every mistake in them is a message with path:line:col, in the check and the build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIXTURES, copy_fixture_site, mkdocs_build, wegweiser
from wegweiser.site import overrides

OWN = FIXTURES / "overrides"


def with_overrides(tmp_path: Path, kind: str) -> Path:
    site = copy_fixture_site(tmp_path / "site")
    shutil.copytree(OWN / kind, site / overrides.FOLDER)
    return site


def test_every_mistake_is_named_with_its_place(tmp_path):
    site = with_overrides(tmp_path, "bad")
    run = wegweiser("check", "--root", site)
    assert run.returncode == 1
    assert run.stdout == (OWN / "bad.expected").read_text("utf-8")
    assert run.stderr.strip() == "10 Fehler, 0 Warnungen in 5 Dateien (3 Einträge in Ordnung)."


def test_the_messages_in_english(tmp_path):
    run = wegweiser("check", "--root", with_overrides(tmp_path, "bad"), "--lang", "en")
    assert run.stdout.splitlines()[:2] == [
        'overrides/locales/de.yml:4:3: error: Unknown text "home_leed" — Write the key exactly as under ui: in hooks/wegweiser/core/locales/de.yml; similar: home_lead.',
        'overrides/locales/de.yml:5:17: error: The text for places_count lacks the placeholder {count} — The program fills something in there; write {count} into the text, as in the original: "{count} Orte"',
    ]


def test_the_build_stops_with_the_same_messages_and_no_traceback(tmp_path):
    result = mkdocs_build(with_overrides(tmp_path, "bad"), tmp_path / "out")
    assert result.returncode != 0
    said = result.stdout + result.stderr  # MkDocs prints why it stopped on stdout
    for line in (OWN / "bad.expected").read_text("utf-8").splitlines():
        assert line in said
    assert "Traceback" not in said
    assert not (tmp_path / "out" / "index.html").exists()


def test_the_regions_words_templates_and_theme_win(tmp_path):
    result = mkdocs_build(with_overrides(tmp_path, "good"), tmp_path / "out")
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "out/index.html").read_text("utf-8")
    assert "<h1>Wegweiser Musterland</h1>" in home
    assert '<p class="region-gruss">Wegweiser Musterland grüßt.</p>' in home
    assert '<p class="ww-lead">' in home, "the engine's lead stays, after the region's part"
    assert ">1 Stelle</span>" in home and ">1 Ort</span>" not in home  # place_count_one
    assert "Suchen Sie oben nach einem Ort" in home  # a text the region left alone
    assert '<footer class="region-footer">' in home
    english = (tmp_path / "out/en/index.html").read_text("utf-8")
    assert "<h1>Wegweiser Musterland (English)</h1>" in english
    assert ">1 place</span>" in english  # English counts are the engine's own
    arabic = (tmp_path / "out/ar/index.html").read_text("utf-8")
    assert "<h1>Wegweiser</h1>" in arabic
    entry = (tmp_path / "out/orte/familienstuetzpunkt-bunde/index.html").read_text("utf-8")
    assert "region-footer" in entry and "ResizeObserver" in entry  # the engine's main.html too


def test_a_template_that_fails_while_filled_in_names_its_line(tmp_path):
    site = with_overrides(tmp_path, "good")
    (site / "overrides/templates/_gruss.html").write_text(
        "<p>\n{{ ui.home_title }} {{ kreis.name }}</p>\n", "utf-8"
    )
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    assert (
        "overrides/templates/_gruss.html:2:1: error: Die Vorlage _gruss.html lässt sich nicht "
        "füllen: 'kreis' is undefined — Nur Namen benutzen, die die Vorlage des Wegweisers "
        "benutzt (hooks/wegweiser/site/templates/_gruss.html)." in result.stdout + result.stderr
    )
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("text", "names"),
    [("{count} Orte", {"count"}), ("Seite {page} von {pages}", {"page", "pages"}),
     ("{{wörtlich}}", set()), ("{a.b} {c[0]}", {"a", "c"}), ("{offen", None), ("zu}", None)],
)  # fmt: skip
def test_placeholders(text, names):
    assert overrides.placeholders(text) == names


def test_without_the_folder_nothing_changes(tmp_path):
    assert overrides.read(tmp_path) == overrides.Overrides()
    assert overrides.theme_dir(tmp_path) == ""
