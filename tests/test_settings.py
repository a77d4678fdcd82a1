"""The settings are read and checked once: a setting of the wrong kind is a clear error with
its place in mkdocs.yml, in the build and in the commands, and nothing is half-built."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import REPO, mkdocs_build, wegweiser
from wegweiser import settings


def with_settings(site: Path, lines: str) -> Path:
    """The site's mkdocs.yml with ``lines`` under extra.wegweiser, replacing those keys."""
    config = site / "mkdocs.yml"
    text = config.read_text("utf-8")
    for line in lines.splitlines():
        key = line.split(":")[0]
        text = re.sub(rf"^{key}:.*\n", "", text, flags=re.M)
    marker = "  wegweiser:\n"
    config.write_text(text.replace(marker, marker + lines), "utf-8")
    return config


def line_of(config: Path, text: str) -> int:
    return next(
        i for i, line in enumerate(config.read_text("utf-8").splitlines(), 1) if text in line
    )


def test_a_bad_setting_stops_the_build_with_its_place_and_no_traceback(site_copy, tmp_path):
    config = with_settings(site_copy, "    page_size: viele\n    languages: [de, xx]\n")
    result = mkdocs_build(site_copy, tmp_path / "out")
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    page_line = line_of(config, "page_size: viele")
    assert (
        f"mkdocs.yml:{page_line}:16: error: page_size muss eine ganze Zahl größer als 0 / a whole "
        "number above 0 sein, nicht 'viele' — z. B. page_size: 12"
    ) in output
    languages_line = line_of(config, "languages: [de, xx]")
    assert re.search(
        rf"mkdocs\.yml:{languages_line}:\d+: error: unbekannte Sprache 'xx' / unknown language — "
        r"eine Datei hooks/wegweiser/core/locales/<code>\.yml anlegen",
        output,
    )
    assert not (tmp_path / "out" / "orte").exists()  # stopped before any page was written


def test_commands_report_the_same_problem_and_stop(site_copy):
    with_settings(site_copy, "    stale_after_months: -3\n")
    run = wegweiser("stale", "--root", site_copy)
    assert run.returncode == 2
    assert "error: stale_after_months muss eine ganze Zahl größer als 0" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("lines", "wrong"),
    [
        ("    region: {bbox: [1, 2, 3]}\n", "bbox muss vier Zahlen haben"),
        ("    geocoding: {timeout: lang}\n", "timeout muss eine Zahl sein"),
        ("    map: {max_zoom: 0}\n", "max_zoom muss eine ganze Zahl größer als 0"),
        ("    repo_url: github.com/x/y\n", "repo_url muss mit https:// beginnen"),
        ("    operator: Landkreis\n", "operator muss Schlüssel mit Werten haben"),
        ("    languages: de\n", "languages muss eine Liste sein"),
    ],
)
def test_each_kind_of_bad_setting_is_named(site_copy, lines, wrong):
    config = with_settings(site_copy, lines)
    with pytest.raises(settings.SettingsError) as caught:
        settings.read_project(site_copy)
    (problem,) = caught.value.problems
    assert problem.startswith(f"mkdocs.yml:{line_of(config, lines.strip()[:12])}:")
    assert wrong in problem


def test_the_sample_settings_are_read_once_into_one_frozen_object():
    chosen = settings.read_project(REPO, settings.Environment.read({"WEGWEISER_OFFLINE": "1"}))
    assert chosen.site.languages == ("de", "en", "ar", "fa", "uk", "ru", "tr")
    assert chosen.entries_dir == REPO / "entries"
    assert chosen.geocoding.offline and chosen.env.offline
    assert chosen.site_url == chosen.site.site_url == chosen.exports.site_url
    with pytest.raises(AttributeError):
        chosen.site_url = "https://elsewhere.example/"  # frozen


def test_the_environment_is_read_once_and_only_what_we_use():
    env = settings.Environment.read({"WEGWEISER_PREVIEW_LANGUAGES": "all", "HOME": "/root"})
    assert env.values == {"WEGWEISER_PREVIEW_LANGUAGES": "all"}
    assert env.preview_everything
    preview = settings.read(REPO, extra={"languages": ["de", "en"]}, env=env, preview=True)
    assert preview.site.languages == ("de", "en") and not preview.preview
    quick = settings.read(
        REPO, extra={"languages": ["de", "en"]}, preview=True, env=settings.Environment()
    )
    assert quick.site.languages == ("de",) and quick.preview
