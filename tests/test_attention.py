"""`wegweiser attention`: one list of what needs an editor, grouped by municipality.

tests/fixtures/attention/ holds one case of each kind (old Stand, ending and ended offer,
broken link, a place only at its municipality's centre, no contact, missing translations),
a shelter that must stay at the centre unnamed, and a tidy place in a municipality that
then has no section. Next to it, the exact Markdown and text the command writes.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import markdown
import pytest
from helpers import FIXTURE_SITE, FIXTURES, wegweiser

ATTENTION = FIXTURES / "attention"
TODAY = "2026-11-02"


@pytest.fixture
def project(tmp_path) -> Path:
    """A writable copy of the fixture project, with the site fixture's lists."""
    root = tmp_path / "project"
    shutil.copytree(ATTENTION, root, ignore=shutil.ignore_patterns("expected.*"))
    shutil.copytree(FIXTURE_SITE / "entries" / "_lists", root / "entries" / "_lists")
    return root


def attention(root: Path, *args: str):
    return wegweiser("attention", "--root", root, "--today", TODAY, *args)


def test_the_list_as_markdown_has_one_section_per_municipality_with_work(project):
    done = attention(project, "--format", "markdown")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ATTENTION / "expected.md").read_text("utf-8")
    assert (
        done.stderr
        == "7 Hinweise für die Redaktion, Gemeinden mit Hinweisen: 2. Leer: 6, Bunde: 1\n"
    )


def test_the_markdown_links_only_to_the_site_and_the_repository(project):
    html = markdown.markdown(attention(project, "--format", "markdown").stdout)
    links = re.findall(r'<a href="([^"]+)"', html)
    assert links and all(
        link.startswith(("https://wegweiser.test/orte/", "https://github.com/example/"))
        for link in links
    )
    # the ended offer is no longer on the site: only its file is linked
    assert "https://wegweiser.test/orte/abgelaufen/" not in links
    assert (
        "https://github.com/example/wegweiser-test/edit/main/entries/bunde/abgelaufen.yml" in links
    )
    # the shelter is at its municipality's centre on purpose; Erkelenz has nothing to do
    assert "unterkunft" not in html and "Erkelenz" not in html


def test_the_list_as_lines_like_wegweiser_stale(project):
    done = attention(project)
    assert done.returncode == 0, done.stderr
    assert done.stdout == (ATTENTION / "expected.txt").read_text("utf-8")
    for line in done.stdout.splitlines():
        assert re.match(r"^entries/[a-z/-]+\.yml:\d+:\d+: warning: .+ — .+$", line), line


def test_one_municipality_is_the_body_of_its_issue(project):
    bunde = attention(project, "--format", "markdown", "--municipality", "bunde").stdout
    whole = (ATTENTION / "expected.md").read_text("utf-8")
    assert bunde.startswith("<!-- wegweiser:attention:bunde -->\n## Bunde: Hinweise")
    assert bunde == whole[whole.index("<!-- wegweiser:attention:bunde -->") :]
    tidy = attention(project, "--format", "markdown", "--municipality", "erkelenz").stdout
    assert tidy.startswith("<!-- wegweiser:attention:erkelenz -->\n## Erkelenz: Hinweise")
    assert "Hinweise: 0." in tidy and tidy.endswith("Nichts zu tun – alles in Ordnung.\n")


def test_an_unknown_municipality_is_a_message(project):
    done = attention(project, "--municipality", "atlantis")
    assert done.returncode == 2
    assert "Die Gemeinde atlantis steht nicht in entries/_lists/municipalities.yml" in done.stderr
    assert "Traceback" not in done.stderr


def test_issue_files_for_the_care_job(project, tmp_path):
    folder = tmp_path / "issues"
    done = attention(project, "--format", "markdown", "--issues", folder)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["bunde.md", "index.json", "leer.md"]
    index = json.loads((folder / "index.json").read_text("utf-8"))
    assert index == {
        "bunde": {"count": 1, "title": "Pflege Bunde: Hinweise für die Redaktion"},
        "leer": {"count": 6, "title": "Pflege Leer: Hinweise für die Redaktion"},
    }
    whole = (ATTENTION / "expected.md").read_text("utf-8")
    assert (folder / "leer.md").read_text("utf-8") + "\n" + (folder / "bunde.md").read_text(
        "utf-8"
    ) == whole


def test_in_english(project):
    out = attention(project, "--format", "markdown", "--lang", "en").stdout
    assert "## Leer: items for the editors" in out
    assert "### Broken or moved links" in out
    assert "website\\: https\\:\\/\\/kaputt\\.example\\/ is gone \\(HTTP 404\\)" in out


def test_an_unreadable_link_results_file_is_said_and_the_rest_still_listed(project):
    (project / "entries" / "_linkcheck.json").write_text("{kaputt", "utf-8")
    done = attention(project)
    assert done.returncode == 0
    assert done.stderr.startswith("entries/_linkcheck.json:1:1: error: Die Datei lässt sich")
    assert "Traceback" not in done.stderr
    assert "kaputt.example" not in done.stdout and "alter-stand.yml" in done.stdout
