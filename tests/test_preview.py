"""A preview for reviewers: each changed entry as its page shows it, in the change report;
and the pull request's check, replayed on a throw-away git repository, linking the
changed entries' pages inside the built site it uploads."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import (
    FIXTURE_SITE,
    REPO,
    commit,
    copy_fixture_site,
    git,
    run_step,
    runner_env,
    workflow_step,
)
from wegweiser.editorial.mdtext import md

MONDAY = "1793577600"  # 2 November 2026: the week of opening hours is always the same
LEER = "entries/leer"
KOORD = f"{LEER}/koordinierungsstelle-migration-und-teilhabe.yml"
CAFE = """name: "Sprachcafé & Beratung | am Hafen"
category: netzwerk
summary: Deutsch üben und Fragen klären, bei Kaffee und Tee.
address: {street: Hafenstraße 3, postcode: "26789", city: Leer}
opening_hours: Tu 15:00-17:00; Th 09:00-12:00
closures:
  - {from: 2026-12-21, to: 2027-01-04, note: Weihnachtspause}
phone: 0491 12345-0
email: cafe@example.org
website: https://cafe.example.org/
appointment: {need: not_needed, note: Einfach vorbeikommen}
cost: {fee: free}
accessibility: {wheelchair: limited, features: [lift], note: Aufzug im Hof}
verified: {date: 2026-10-01, by: Redaktion}
translations:
  en: {name: Language café at the harbour, summary: Practise German and ask questions.}
"""
CAFE_AS_VISITORS_SEE_IT = (
    (
        "#### So zeigt die Seite den Eintrag\n\n"
        "> **Sprachcafé \\& Beratung \\| am Hafen**  \n"  # two spaces: a line break
        "> Netzwerk · Leer  \n"
        "> Deutsch üben und Fragen klären\\, bei Kaffee und Tee\\.\n"
        ">\n"
    )
    + """> - **Adresse:** Hafenstraße 3\\, 26789 Leer
> - **Öffnungszeiten \\(Die nächsten 7 Tage\\):** Mo 02\\.11\\.\\: geschlossen · Di 03\\.11\\.\\: 15\\:00–17\\:00 · Mi 04\\.11\\.\\: geschlossen · Do 05\\.11\\.\\: 09\\:00–12\\:00 · Fr 06\\.11\\.\\: geschlossen · Sa 07\\.11\\.\\: geschlossen · So 08\\.11\\.\\: geschlossen
> - **Geschlossen:** 21\\.12\\.2026–04\\.01\\.2027\\: Weihnachtspause
> - **Termin:** Ohne Termin\\: Einfach vorbeikommen
> - **Kosten:** Kostenlos
> - **Barrierefreiheit:** Mit dem Rollstuhl nur teilweise zugänglich\\; Aufzug\\; Aufzug im Hof
> - **Telefon:** 0491 12345\\-0
> - **E\\-Mail:** cafe\\@example\\.org
> - **Webseite:** https\\:\\/\\/cafe\\.example\\.org\\/
"""
)
ENDED = """name: Ferienprogramm Leer
category: netzwerk
summary: Ausflüge und Spiele in den Herbstferien.
address: {city: Leer}
valid_until: 2026-10-01
verified: {date: 2026-09-01, by: Redaktion}
"""


def _fixture_name(path: str) -> str:
    import yaml

    return yaml.safe_load((FIXTURE_SITE / path).read_text("utf-8"))["name"]


ROUND_TABLE = _fixture_name("entries/erkelenz/runder-tisch-test.yml")  # hostile, escaped


def pull_request(repo: Path) -> str:
    """On top of ``repo``'s commit: a new café, a changed phone number, a removed entry and
    an offer that has ended. Returns the base commit."""
    base = git(repo, "rev-parse", "HEAD")
    (repo / LEER / "sprachcafe.yml").write_text(CAFE, "utf-8")
    (repo / LEER / "ferienprogramm.yml").write_text(ENDED, "utf-8")
    koord = repo / KOORD
    koord.write_text(koord.read_text("utf-8").replace("999028-21", "999028-99"), "utf-8")
    git(repo, "rm", "-q", "entries/erkelenz/runder-tisch-test.yml")
    commit(repo, "a pull request")
    return base


# -- the change report: each changed entry as visitors will see it ---------------------------


@pytest.fixture
def reported(tmp_path):
    """`wegweiser report` (German, English) of the pull request on the fixture entries."""
    repo = tmp_path / "repo"
    copy_fixture_site(repo)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "start")
    base = pull_request(repo)
    env = {**os.environ, "WEGWEISER_OFFLINE": "1", "SOURCE_DATE_EPOCH": MONDAY}
    command = [sys.executable, "-m", "wegweiser.cli", "report", base, "HEAD", "--root", repo]

    def run(lang: str) -> str:
        done = subprocess.run(
            [*map(str, command), "--lang", lang], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    return run("de"), run("en")


def sections(report: str) -> dict[str, str]:
    """The report's entry sections by heading ("Neu: …")."""
    parts = re.split(r"^### ", report, flags=re.MULTILINE)[1:]
    return {part.split("\n", 1)[0]: part for part in parts}


def test_a_new_entry_is_shown_as_its_page_will_show_it(reported):
    german, _english = reported
    cafe = sections(german)[f"Neu: {md('Sprachcafé & Beratung | am Hafen')}"]
    assert cafe.endswith("\n\n" + CAFE_AS_VISITORS_SEE_IT + "\n")
    table = cafe.index("| Feld | Wert |")
    assert table < cafe.index("#### So zeigt die Seite den Eintrag")  # the YAML's fields first


def test_a_changed_entry_shows_the_new_facts_and_a_removed_one_none(reported):
    german, _english = reported
    found = sections(german)
    changed = found["Geändert: Koordinierungsstelle Migration und Teilhabe"]
    assert "| Telefon \\(phone\\) | 0491 999028\\-21 | 0491 999028\\-99 |" in changed
    assert "> - **Telefon:** 0491 999028\\-99" in changed
    assert (
        "> - **Öffnungszeiten \\(Die nächsten 7 Tage\\):** Mo 02\\.11\\.\\: 08\\:30–12\\:00"
        in changed
    )
    assert "So zeigt die Seite" not in found[f"Gelöscht: {md(ROUND_TABLE)}"]


def test_the_view_speaks_the_reports_language(reported):
    _german, english = reported
    cafe = sections(english)["New: Sprachcafé \\& Beratung \\| am Hafen"]
    assert "#### How the site shows the entry\n\n> **Language café at the harbour**  \n" in cafe
    assert "> - **Cost:** Free of charge\n" in cafe
    assert "> - **Appointment:** No appointment needed\\: Einfach vorbeikommen\n" in cafe


# -- pruefen.yml: the built site as an artifact, its changed pages in the job summary -------


PREVIEW = ("pruefen.yml", "pruefen", "Vorschau in der Zusammenfassung")
ARTIFACT = "https://github.com/example/wegweiser-test/actions/runs/7/artifacts/42"


@pytest.fixture
def checked(tmp_path):
    """The job's checkout (the fixture site with the pull request on top) after the step
    "Seite bauen" ran there; the base commit."""
    work = copy_fixture_site(tmp_path / "work")
    git(work, "init", "-q", "-b", "main")
    commit(work, "start")
    base = pull_request(work)
    build = workflow_step("pruefen.yml", "pruefen", "Seite bauen")
    env = runner_env(tmp_path / "build", SOURCE_DATE_EPOCH=MONDAY, NO_MKDOCS_2_WARNING="1")
    done = run_step(build, work, {}, env)
    assert done.returncode == 0, done.stderr
    return work, base


def preview_summary(work: Path, base: str, artifact: str, runner: Path) -> str:
    env = runner_env(runner)
    done = run_step(
        workflow_step(*PREVIEW), work, {"BASE_SHA": base, "ARTIFACT_URL": artifact}, env
    )
    assert done.returncode == 0, done.stderr
    return (runner / "summary.md").read_text("utf-8")


def test_the_summary_links_each_changed_entrys_pages_inside_the_built_site(checked, tmp_path):
    work, base = checked
    summary = preview_summary(work, base, ARTIFACT, tmp_path / "runner")
    local = "http://localhost:8000/"
    rows = [line for line in summary.splitlines() if line.startswith("| ")]
    cafe, koord = "orte/sprachcafe/", "orte/koordinierungsstelle-migration-und-teilhabe/"
    assert rows == [
        "| Eintrag | Seiten in der Vorschau |",
        "| --- | --- |",
        f"| {md(ROUND_TABLE)} (Gelöscht) | die Seite fällt weg |",
        "| Ferienprogramm Leer (Neu) | nicht auf der Seite "
        "(Fehler in der Prüfung, oder das Angebot ist abgelaufen) |",
        "| Koordinierungsstelle Migration und Teilhabe (Geändert) | "
        f"[de]({local}{koord}) · [en]({local}en/{koord}) · [ar]({local}ar/{koord}) |",
        f"| {md('Sprachcafé & Beratung | am Hafen')} (Neu) | "
        f"[de]({local}{cafe}) · [en]({local}en/{cafe}) · [ar]({local}ar/{cafe}) |",
    ]
    assert summary.startswith("### Vorschau der gebauten Seite\n\n")
    assert f"[Artefakt „vorschau“ herunterladen]({ARTIFACT}) (ZIP" in summary
    # every link leads to a page of the site the step before built (and uploads)
    links = re.findall(r"\]\(http://localhost:8000/([^)]*)\)", summary)
    assert len(links) == 6
    for link in links:
        assert (work / "site" / link / "index.html").is_file(), link
    page = (work / "site" / cafe / "index.html").read_text("utf-8")
    assert "Sprachcafé &amp; Beratung | am Hafen" in page


def test_without_an_artifact_link_the_summary_still_names_the_pages(checked, tmp_path):
    work, base = checked
    summary = preview_summary(work, base, "", tmp_path / "runner")
    assert "herunterladen" not in summary and "](http://localhost:8000/orte/sprachcafe/)" in summary


def test_the_upload_is_the_built_site_and_the_summary_reads_no_expression():
    import yaml

    data = yaml.safe_load((REPO / ".github" / "workflows" / "pruefen.yml").read_text("utf-8"))
    steps = data["jobs"]["pruefen"]["steps"]
    names = [s.get("name") for s in steps]
    upload = steps[names.index("Vorschau hochladen")]
    assert upload["uses"].startswith("actions/upload-artifact@")
    assert upload["with"]["path"] == "site/" and upload["id"] == "vorschau"
    assert names.index("Seite bauen") < names.index("Vorschau hochladen") < names.index(PREVIEW[2])
    summary = steps[names.index(PREVIEW[2])]
    assert "${{" not in summary["run"]  # expressions only through env
    assert summary["env"]["ARTIFACT_URL"] == "${{ steps.vorschau.outputs.artifact-url }}"
