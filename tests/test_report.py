"""`wegweiser report BASE HEAD` on a throw-away git repository with real commits."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import markdown
import pytest
from helpers import FIXTURE_SITE, FIXTURES, REPO, commit, git, run_step, workflow_step
from wegweiser.editorial.mdtext import md

LEER = "entries/leer"
KOORD = f"{LEER}/koordinierungsstelle-migration-und-teilhabe.yml"
BUNDE = f"{LEER}/familienstuetzpunkt-bunde.yml"


def make_repo(path: Path) -> Path:
    shutil.copytree(FIXTURE_SITE / "entries", path / "entries")
    (path / "mkdocs.yml").write_text("site_name: T\nextra: {wegweiser: {}}\n", "utf-8")
    git(path, "init", "-q", "-b", "main")
    commit(path, "start")
    return path


CODE_WARNING = (
    "Dieser Pull Request ändert auch Dateien außerhalb von entries/ "
    "(Programm, Einstellungen, Seiten, Tests oder CI):"
)
RAW_WARNING = "Neues rohes HTML in handgeschriebenen Seiten."


def report(repo: Path, base: str, head: str = "HEAD", *args: str):
    # a fixed day: the report shows the week of opening hours a visitor sees on it
    env = {**os.environ, "WEGWEISER_OFFLINE": "1", "SOURCE_DATE_EPOCH": "1793577600"}
    return subprocess.run(
        [sys.executable, "-m", "wegweiser.cli", "report", base, head, "--root", str(repo), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


NEW_ENTRY = """name: Sprachcafé Leer
category: netzwerk
summary: Jeden Dienstag Deutsch üben bei Kaffee und Tee.
address:
  street: Bergmannstraße 37
  postcode: "26789"
  city: Leer
verified: {date: 2026-01-10, by: Redaktion}
"""


@pytest.fixture
def history(tmp_path):
    """One commit after the start that adds, changes, renames and removes an entry."""
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    (repo / LEER / "sprachcafe-leer.yml").write_text(NEW_ENTRY, "utf-8")
    text = (repo / KOORD).read_text("utf-8")
    (repo / KOORD).write_text(text.replace("0491 999028-21", "0491 999028-99"), "utf-8")
    os.makedirs(repo / "entries/bunde", exist_ok=True)
    git(repo, "mv", BUNDE, "entries/bunde/familienstuetzpunkt-bunde.yml")
    git(repo, "rm", "-q", "entries/erkelenz/runder-tisch-test.yml")
    head = commit(repo, "change everything")
    return repo, base, head


def test_added_changed_renamed_removed(history):
    repo, base, head = history
    result = report(repo, base, head)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Einträge: 1 neu, 1 geändert, 1 umbenannt oder verschoben, 1 gelöscht." in out
    assert "### Neu: Sprachcafé Leer" in out
    assert "| Telefon \\(phone\\) | 0491 999028\\-21 | 0491 999028\\-99 |" in out
    assert (
        "### Umbenannt: Familienstützpunkt Bunde\n\nentries\\/leer\\/familienstuetzpunkt\\-bunde\\.yml"
        " → entries\\/bunde\\/familienstuetzpunkt\\-bunde\\.yml" in out
    )
    assert "Der Dateiname ändert sich" not in out  # moved to another folder, same address
    assert "### Gelöscht: Runder Tisch" in out
    assert "außerhalb von entries" not in out and "rohes HTML" not in out


def test_new_place_links_to_openstreetmap(history):
    repo, base, head = history
    out = report(repo, base, head).stdout
    section = out.split("### Neu: Sprachcafé Leer")[1]
    assert "Karte: [" in section
    assert "](https://www.openstreetmap.org/?mlat=" in section


def test_removed_entry_that_others_name_shows_new_errors(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "rm", "-q", KOORD)
    commit(repo, "remove the coordinating office")
    out = report(repo, base).stdout
    assert "### Neue Meldungen" in out
    assert "Den Eintrag" in out and "gibt es nicht" in out


FAMILIENZENTRUM = """name: Familienzentrum Leer
category: familienstuetzpunkt
summary: Treffpunkt für Familien in Leer.
address:
  street: Hafenstraße 3
  postcode: "26789"
  city: Leer
verified: {date: 2026-02-01, by: Redaktion}
coordinated_by: koordinierungsstelle-migration-und-teilhabe
"""
TREFFPUNKT = """name: Treffpunkt Anleger Leer
category: netzwerk
summary: Offenes Café für alle.
address:
  street: Am Hafen 1
  postcode: "26789"
  city: Leer
verified: {date: 2026-02-01, by: Redaktion}
"""


def busy_pull_request(tmp_path: Path, lists_too: bool) -> tuple[Path, str]:
    """Every kind of change at once; findings on entries the pull request leaves alone
    (a removed entry others name, a new duplicate of an old one) and in a new folder."""
    repo = make_repo(tmp_path / "repo")
    (repo / LEER / "familienzentrum-leer.yml").write_text(FAMILIENZENTRUM, "utf-8")
    (repo / LEER / "treffpunkt-leer.yml").write_text(TREFFPUNKT, "utf-8")
    base = commit(repo, "two more")
    git(repo, "rm", "-q", KOORD)  # named by Bunde, the round table and the family centre
    (repo / LEER / "sprachcafe-leer.yml").write_text(NEW_ENTRY, "utf-8")
    (repo / "entries/bunde").mkdir()
    shutil.copyfile(repo / BUNDE, repo / "entries/bunde/familienstuetzpunkt-bunde-kopie.yml")
    git(repo, "mv", "entries/erkelenz/runder-tisch-test.yml", "entries/erkelenz/runder-tisch.yml")
    text = TREFFPUNKT.replace("Offenes Café für alle.", "Offenes Café, dienstags.")
    (repo / LEER / "treffpunkt-leer.yml").write_text(text.replace("netzwerk", "netzwek"), "utf-8")
    (repo / "entries/Leer Ost").mkdir()
    ost = NEW_ENTRY.replace("Sprachcafé Leer", "Sprachcafé Leer-Ost")
    (repo / "entries/Leer Ost/sprachcafe-leer-ost.yml").write_text(ost, "utf-8")
    if lists_too:  # other lists: every file is checked again against them
        topics = repo / "entries/_lists/topics.yml"
        topics.write_text(topics.read_text("utf-8") + "- id: arbeit\n  name: Arbeit\n", "utf-8")
    commit(repo, "a busy pull request")
    return repo, base


@pytest.mark.parametrize("lists_too", [False, True], ids=["same-lists", "new-lists"])
def test_the_report_of_a_busy_pull_request_is_exactly_as_expected(tmp_path, lists_too):
    repo, base = busy_pull_request(tmp_path, lists_too)
    result = report(repo, base)
    assert result.returncode == 0, result.stderr
    expected = FIXTURES / "report" / f"busy{'-lists' if lists_too else ''}.md"
    assert result.stdout == expected.read_text("utf-8")


def odd_layout(repo: Path) -> None:
    """Files the check skips, refuses or finds twice, where only the walk order tells which."""
    bunde = (repo / BUNDE).read_text("utf-8")
    for path in [
        "entries/.versteckt/ort.yml",
        "entries/_entwuerfe/ort.yml",
        f"{LEER}/_entwurf.yml",
        f"{LEER}/.ort.yml",
        f"{LEER}/ort.yaml",
        f"{LEER}/Ort Neu.yml",
        f"{LEER}/a/familienstuetzpunkt-bunde.yml",  # after leer/'s own files on disk
        "entries/treffpunkt-leer.yml",  # the top folder's files come first
        f"{LEER}/con/ort.yml",
        "entries/Leer Ost/ort-ost.yml",
        f"{LEER}/notiz.txt",
    ]:
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(bunde, "utf-8")
    os.chmod(repo / BUNDE, 0o755)


def same_as_written_out(side, tmp: Path) -> None:
    """The findings and valid entries a check of the revision written out would have."""
    from wegweiser.core.validate import check_directory
    from wegweiser.editorial import gitrev

    root = gitrev.export_entries(side.repo, side.rev, tmp)
    expected = check_directory(root)

    def findings(result):
        return [(f, sorted(f.params.items())) for f in result.findings]

    assert findings(side.result) == findings(expected)
    assert list(side.result.directory.entries) == list(expected.directory.entries)


@pytest.mark.parametrize("lists_too", [False, True], ids=["same-lists", "new-lists"])
def test_both_revisions_read_from_git_find_what_a_check_of_each_finds(tmp_path, lists_too):
    from wegweiser.editorial import gitrev, revisions

    repo, base = busy_pull_request(tmp_path, lists_too)
    odd_layout(repo)
    head = commit(repo, "odd files")
    old, new = revisions.check_both(repo, base, head, tmp_path / "read")
    assert old.stored is not None and new.stored is not None  # not written out
    assert {f.code for f in new.result.findings} >= {"file.duplicate_slug", "file.bad_folder"}
    same_as_written_out(old, tmp_path / "base")
    same_as_written_out(new, tmp_path / "head")
    assert new.read(f"{LEER}/notiz.txt") == gitrev.blob(repo, head, f"{LEER}/notiz.txt")


def test_code_changes_are_flagged(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "x.yml").write_text("on: push\n", "utf-8")
    (repo / "mkdocs.yml").write_text("site_name: Anders\n", "utf-8")
    commit(repo, "sneak in a workflow")
    out = report(repo, base).stdout
    assert f"> **{CODE_WARNING}**" in out
    assert "\\.github\\/workflows\\/x\\.yml" in out and "mkdocs\\.yml" in out


def test_hostile_entry_text_stays_text(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    hostile = NEW_ENTRY.replace(
        "Jeden Dienstag Deutsch üben bei Kaffee und Tee.",
        '"<img src=x onerror=alert(1)> [klick](https://evil.example) @admin #1 ::error::x | y"',
    )
    (repo / LEER / "boese.yml").write_text(hostile, "utf-8")
    commit(repo, "hostile")
    out = report(repo, base).stdout
    unescaped = re.compile(r"(?<!\\)(<img|\]\(https://evil|::error|@admin|#1)")
    assert not unescaped.search(out)
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in out
    rendered = markdown.markdown(out, extensions=["tables"])
    tags = set(re.findall(r"<([a-z0-9]+)", rendered))
    table = {"table", "thead", "tbody", "tr", "th", "td"}
    visitor_view = {"h4", "blockquote", "br", "ul", "li", "strong"}  # the page in words
    assert tags <= {"h2", "h3", "p", "a", "em"} | table | visitor_view
    links = re.findall(r'<a href="([^"]+)"', rendered)
    assert links and all(u.startswith("https://www.openstreetmap.org/?mlat=") for u in links)
    for line in out.splitlines():
        assert not line.startswith("::")
        if line.startswith("|"):
            assert line.count(" | ") + 2 == line.count("|") - line.count("\\|")


def test_only_comments_changed(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    path = repo / KOORD
    path.write_text("# ein Kommentar\n" + path.read_text("utf-8"), "utf-8")
    commit(repo, "comment")
    out = report(repo, base).stdout
    assert "Die Angaben sind gleich geblieben" in out


def test_unknown_revision_is_a_clear_message(tmp_path):
    repo = make_repo(tmp_path / "repo")
    result = report(repo, "nicht-da")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "nicht-da" in result.stderr


def test_output_file_is_written(history, tmp_path):
    repo, base, head = history
    target = tmp_path / "bericht.md"
    result = report(repo, base, head, "--output", str(target))
    assert result.returncode == 0
    assert target.read_text("utf-8").startswith("## Was sich im Wegweiser ändert")


def test_cached_address_shows_the_exact_point_and_geocoder_warnings(tmp_path):
    import json

    from wegweiser.geo import address_key

    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    (repo / LEER / "sprachcafe-leer.yml").write_text(
        NEW_ENTRY.replace("Bergmannstraße 37", "Hafenstraße 3"), "utf-8"
    )
    cache = {
        "format": 1,
        "places": {
            address_key({"street": "Hafenstraße 3", "postcode": "26789", "city": "Leer"}): {
                "lat": 53.2301,
                "lon": 7.4502,
                "precision": "house",
                "postcode": "26787",
                "display": "Hafenstraße 3, Leer",
            }
        },
    }
    (repo / "entries" / "_geocache.json").write_text(json.dumps(cache), "utf-8")
    commit(repo, "a place with a cached point")
    out = report(repo, base).stdout
    link = "https://www.openstreetmap.org/?mlat=53.23010&mlon=7.45020#map=17/53.23010/7.45020"
    assert f"Karte: [53.23010, 7.45020]({link}) — genau: Hausnummer" in out
    assert "fand der Geokodierer die Postleitzahl" in out


def test_symlink_out_of_the_repository_is_left_out(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    os.symlink("/etc/passwd", repo / LEER / "passwd.yml")
    commit(repo, "hostile link")
    result = report(repo, base)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_renamed_file_warns_that_the_page_address_changes(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "mv", BUNDE, f"{LEER}/fsp-bunde.yml")
    commit(repo, "shorter name")
    out = report(repo, base).stdout
    assert "Der Dateiname ändert sich, damit auch die Adresse der Seite" in out


def test_a_huge_change_stays_below_githubs_summary_limit():
    from wegweiser.editorial import report as rep

    data = {"name": "X", "description": "ä" * 5000}
    changes = [
        rep.EntryChange("changed", f"entries/a/{i}.yml", f"entries/a/{i}.yml", {}, data)
        for i in range(300)
    ]
    text = rep.render_markdown(rep.Comparison(entries=changes))
    assert len(text.encode()) <= rep.MAX_REPORT + 500
    assert text.rstrip().endswith("stehen in den Dateien des Pull Requests.")


def test_unwritable_output_is_a_message(history, tmp_path):
    repo, base, head = history
    (tmp_path / "datei").write_text("", "utf-8")
    result = report(repo, base, head, "--output", str(tmp_path / "datei" / "x.md"))
    assert result.returncode == 2
    assert "Die Datei lässt sich nicht schreiben" in result.stderr
    assert "Traceback" not in result.stderr


# -- everything outside entries/ is code, and raw HTML in pages is named ---------------------


@pytest.mark.parametrize(
    "path",
    [".ci/run", "requirements/ci.lock", "tests/test_x.py", "docs/x.md", "README.md", "neu/x"],
)
def test_every_change_outside_entries_is_flagged(tmp_path, path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text("harmlos\n", "utf-8")
    commit(repo, f"change {path}")
    out = report(repo, base).stdout
    warning = out.split(f"> **{CODE_WARNING}**", 1)[1].split("\n", 1)[0]
    assert md(path) in warning


def test_lists_and_the_geocache_are_the_editors_not_code(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    (repo / "entries" / "_geocache.json").write_text('{"format": 1, "places": {}}', "utf-8")
    commit(repo, "cache")
    assert CODE_WARNING not in report(repo, base).stdout


def test_raw_html_in_a_page_is_named_with_path_and_line(tmp_path):
    repo = make_repo(tmp_path / "repo")
    (repo / "docs").mkdir()
    (repo / "docs" / "alt.md").write_text("# Alt\n\n<div>schon immer da</div>\n", "utf-8")
    base = commit(repo, "a page that had HTML before")
    page = [
        "# Impressum",  # 1
        "",
        "Fragen an <kontakt@wegweiser.example> oder <https://wegweiser.example/>.",  # 3: autolinks
        '<iframe src="https://evil.example"></iframe>',  # 4
        "Ein [Link](javascript:alert(1)) und `code`.",  # 5
        '{ onclick="alert(1)" }',  # 6: attr_list
        "<SCRIPT>alert(1)</SCRIPT>",  # 7
        "Online = erreichbar; Station=3.",  # 8: no handler
    ]
    (repo / "docs" / "impressum.md").write_text("\n".join(page) + "\n", "utf-8")
    alt = (repo / "docs" / "alt.md").read_text("utf-8")
    (repo / "docs" / "alt.md").write_text(alt + "<img src=x onerror=alert(1)>\n", "utf-8")
    (repo / "docs" / "seite.html").write_text("<script>alert(1)</script>\n", "utf-8")
    (repo / "docs" / "overrides").mkdir()
    (repo / "docs" / "overrides" / "main.html").write_text("<div>theme</div>\n", "utf-8")
    commit(repo, "pages with HTML")
    out = report(repo, base).stdout
    caution = out.split(f"> **{RAW_WARNING}", 1)[1].split("\n\n", 1)[0]
    named = re.findall(r"^> - (\S+) — (.*)$", caution, re.MULTILINE)
    assert [where for where, _ in named] == [
        md("docs/alt.md:4"),
        md("docs/impressum.md:4"),
        md("docs/impressum.md:5"),
        md("docs/impressum.md:6"),
        md("docs/impressum.md:7"),
        md("docs/seite.html:1"),
    ]
    assert dict(named)[md("docs/impressum.md:4")] == md(page[3])  # the line itself, inert
    assert (
        dict(named)[md("docs/seite.html:1")]
        == "die ganze Datei kommt so, wie sie ist, in die Seite"
    )
    assert "Nur das Kernteam darf das freigeben" in caution
    assert md("docs/overrides/main.html") in out.split(f"> **{CODE_WARNING}**", 1)[1]
    rendered = markdown.markdown(out, extensions=["tables"])
    assert "<iframe" not in rendered and "<script" not in rendered.lower()


def test_raw_html_is_named_in_english_too(tmp_path):
    repo = make_repo(tmp_path / "repo")
    base = git(repo, "rev-parse", "HEAD")
    (repo / "docs").mkdir()
    (repo / "docs" / "x.md").write_text("<script>alert(1)</script>\n", "utf-8")
    commit(repo, "script")
    out = report(repo, base, "HEAD", "--lang", "en").stdout
    assert "> **This pull request also changes files outside entries/" in out
    assert "> **New raw HTML in hand-written pages." in out
    assert f"> - {md('docs/x.md:1')} — " in out


# -- the report as pruefen.yml runs it: the base branch's program on the pull request's files --


def ci_workspace(tmp_path: Path) -> tuple[Path, str]:
    """The report job's workspace: pr/ is a repository whose base commit carries the program
    (hooks/); the pull request on top edits report.py to say nothing and adds a docs page
    with a script. Returns the workspace and the base commit; basis/ is not made yet."""
    workspace = tmp_path / "ws"
    pr = make_repo(workspace / "pr")
    shutil.copytree(
        REPO / "hooks", pr / "hooks", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    base = commit(pr, "the program")
    hostile = pr / "hooks" / "wegweiser" / "editorial" / "report.py"
    hostile.write_text(
        hostile.read_text("utf-8")
        + "\n\ndef render_markdown(comparison, lang='de'):  # the pull request's own report\n"
        + "    return '## Was sich im Wegweiser ändert\\n\\nAlles harmlos.\\n'\n",
        "utf-8",
    )
    (pr / "docs").mkdir()
    (pr / "docs" / "x.md").write_text("# X\n\nText.\n\n<script>alert(1)</script>\n", "utf-8")
    commit(pr, "a quiet report and a script")
    return workspace, base


def run_report_step(workspace: Path, base: str) -> str:
    step = workflow_step("pruefen.yml", "bericht", "Änderungsbericht")
    runner = workspace.parent / "runner"
    runner.mkdir(exist_ok=True)
    summary = runner / "summary.md"
    env = {"RUNNER_TEMP": str(runner), "GITHUB_STEP_SUMMARY": str(summary)}
    result = run_step(step, workspace, {"BASE_SHA": base}, env)
    assert result.returncode == 0, result.stderr
    return summary.read_text("utf-8")


def test_the_pull_requests_own_report_code_would_say_nothing(tmp_path):
    """The attack the workflow must not fall for: run the pull request's program, and the
    warning is gone (so the next test proves something)."""
    workspace, base = ci_workspace(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(workspace / "pr" / "hooks"), "WEGWEISER_OFFLINE": "1"}
    command = [sys.executable, "-P", "-m", "wegweiser.cli", "report", base, "HEAD", "--root", "pr"]
    done = subprocess.run(command, cwd=workspace, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "## Was sich im Wegweiser ändert\n\nAlles harmlos.\n"


def test_the_base_branchs_program_still_warns_and_names_the_script(tmp_path):
    workspace, base = ci_workspace(tmp_path)
    git(workspace / "pr", "worktree", "add", "--detach", "-q", str(workspace / "basis"), base)
    out = run_report_step(workspace, base)
    code = out.split(f"> **{CODE_WARNING}**", 1)[1].split("\n", 1)[0]
    assert md("hooks/wegweiser/editorial/report.py") in code and md("docs/x.md") in code
    assert f"> - {md('docs/x.md:5')} — {md('<script>alert(1)</script>')}" in out
    assert "Alles harmlos" not in out
