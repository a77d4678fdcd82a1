"""One engine, many regions: a region made by `wegweiser init` takes an engine update by
merging the branch `engine`, on throw-away git repositories. The merge never conflicts,
the strict build passes, the engine's change arrives and the region's own words and
templates still win (README: "Eigenen Wegweiser anlegen")."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from helpers import GIT_ENV, REPO, commit, git, init_instance, mkdocs_build, wegweiser
from wegweiser.editorial import instance

# The engine change made upstream: a template, a locale text, a new check.
NEWS = '<p class="ww-engine-news">Neu im Wegweiser</p>\n'
NEW_SEARCH_WORDS = "Suchen Sie oben – neu formuliert vom Programm."
CHECK_ANCHOR = "        findings += self._check_web_addresses(data, doc, shown)\n"
NEW_CHECK = """
def _short_summary(data: dict, doc: Document, shown: str) -> list[Finding]:
    if len(data.get("summary", "")) < 40:
        return [finding_at(doc, shown, ("summary",), "summary.short", {}, WARNING)]
    return []
"""
NEW_MESSAGE = '  summary.short: {text: "Die Kurzbeschreibung ist sehr kurz", hint: "Ein ganzer Satz hilft."}\n'


def engine_repository(folder: Path) -> Path:
    """A copy of this repository (demo and engine, as on main), with the branch `engine`."""
    listed = subprocess.run(
        ["git", "-C", str(REPO), "ls-files", "-z", "-co", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout.decode()
    for path in filter(None, listed.split("\0")):
        if (REPO / path).is_file():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / path, folder / path)
    git(folder, "init", "-q", "-b", "main")
    commit(folder, "Wegweiser")
    publish_engine(folder)
    return folder


def publish_engine(upstream: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "scripts/engine_branch.py"), "--repo", str(upstream)],
        capture_output=True,
        text=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr


def change_the_engine(upstream: Path) -> None:
    """A template, a locale text (one the region overrides, one it does not), a new check."""
    home = upstream / "hooks/wegweiser/site/templates/home.html"
    home.write_text(home.read_text("utf-8") + NEWS, "utf-8")
    de = upstream / "hooks/wegweiser/core/locales/de.yml"
    text = de.read_text("utf-8").replace("  home_title: Wegweiser\n", "  home_title: Wegweiser 2\n")
    old_search = next(ln for ln in text.splitlines(True) if ln.startswith("  home_search:"))
    text = text.replace(old_search, f'  home_search: "{NEW_SEARCH_WORDS}"\n')
    anchor = next(ln for ln in text.splitlines(True) if ln.startswith("  confirm.unreadable:"))
    de.write_text(text.replace(anchor, anchor + NEW_MESSAGE), "utf-8")
    validate = upstream / "hooks/wegweiser/core/validate.py"
    code = validate.read_text("utf-8")
    assert CHECK_ANCHOR in code, "tests/test_upgrade.py: the new check needs its anchor"
    code = code.replace(
        CHECK_ANCHOR, CHECK_ANCHOR + "        findings += _short_summary(data, doc, shown)\n"
    )
    validate.write_text(code + NEW_CHECK, "utf-8")
    commit(upstream, "Neu: ein Hinweis auf der Startseite, neue Worte, eine neue Prüfung")


def region_data(kreis: Path) -> None:
    """What a region adds: a place, its own title (init wrote it) and its own template."""
    made = wegweiser(
        "new", "--root", kreis, "--no-input", "--name", "Beratung Musterstadt",
        "--category", "beratungsstelle", "--city", "Musterstadt",
        "--summary", "Beratung für alle.", "--verified-by", "Redaktion",
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    own = kreis / "overrides/templates/home.html"
    own.parent.mkdir(parents=True)
    own.write_text(
        '{% extends "wegweiser/home.html" %}\n'
        '{% block title %}<h1 class="region-title">{{ ui.home_title }}</h1>{% endblock %}\n',
        "utf-8",
    )
    commit(kreis, "Unser erster Ort, unser Titel")


def test_an_engine_update_merges_without_conflict_and_the_region_still_wins(tmp_path):
    upstream = engine_repository(tmp_path / "wegweiser")
    kreis = tmp_path / "mein-kreis"
    assert init_instance(kreis).returncode == 0
    git(kreis, "init", "-q", "-b", "main")
    first = commit(kreis, "Eigener Wegweiser")
    # Joining the engine's history once, as README and init say.
    git(kreis, "remote", "add", "wegweiser", str(upstream))
    git(kreis, "fetch", "-q", "wegweiser", instance.ENGINE_BRANCH)
    git(kreis, "merge", "--allow-unrelated-histories", "-X", "theirs", "-m", "verbunden", "wegweiser/engine")  # fmt: skip
    assert git(kreis, "diff", "--name-only", first, "HEAD") == "", "init wrote the engine as it is"
    region_data(kreis)
    before = git(kreis, "rev-parse", "HEAD")

    change_the_engine(upstream)
    publish_engine(upstream)
    pulled = subprocess.run(
        ["git", "-C", str(kreis), "pull", "--no-rebase", "--no-edit", "wegweiser", "engine"],
        capture_output=True,
        text=True,
        env={**GIT_ENV, "PATH": "/usr/bin:/bin"},
    )
    assert pulled.returncode == 0 and "CONFLICT" not in pulled.stdout, pulled.stdout + pulled.stderr
    assert git(kreis, "status", "--porcelain") == ""
    changed = git(kreis, "diff", "--name-only", before, "HEAD").splitlines()
    assert changed == [
        "hooks/wegweiser/core/locales/de.yml",
        "hooks/wegweiser/core/validate.py",
        "hooks/wegweiser/site/templates/home.html",
    ]

    own_engine = {"PYTHONPATH": str(kreis / "hooks")}  # the region's copy of the engine
    checked = wegweiser("check", "--root", kreis, env=own_engine)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "warning: Die Kurzbeschreibung ist sehr kurz — Ein ganzer Satz hilft." in checked.stdout
    result = mkdocs_build(kreis, tmp_path / "site", env=own_engine)
    assert result.returncode == 0, result.stderr
    home = (tmp_path / "site/index.html").read_text("utf-8")
    assert NEWS.strip() in home  # the engine's new template
    assert NEW_SEARCH_WORDS in home  # the engine's new words where the region has none
    assert '<h1 class="region-title">Wegweiser Landkreis Musterland</h1>' in home  # the region's
    assert "Wegweiser 2" not in home
    assert (tmp_path / "site/orte/beratung-musterstadt/index.html").is_file()


def test_the_engine_branch_holds_the_engine_and_nothing_of_the_demo(tmp_path):
    upstream = engine_repository(tmp_path / "wegweiser")
    files = git(upstream, "ls-tree", "-r", "--name-only", "engine").splitlines()
    assert files == instance.engine_files(REPO)
    assert "mkdocs.yml" not in files and not [
        f for f in files if f.startswith(("entries/", "tests/"))
    ]
    found = subprocess.run(
        ["git", "-C", str(upstream), "grep", "-l", "-I", "wegweiser-demo", "engine"],
        capture_output=True,
        text=True,
    )
    assert found.returncode == 1 and found.stdout == ""  # 1: nothing found
    tip = git(upstream, "rev-parse", "engine")
    publish_engine(upstream)  # main has not changed: the branch stays
    assert git(upstream, "rev-parse", "engine") == tip
