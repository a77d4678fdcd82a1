"""The GitHub files: workflows pass zizmor, every action is pinned, forms and hooks parse."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import REPO

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def zizmor() -> str:
    found = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if not found:
        pytest.fail("zizmor is missing: pip install -e '.[test]'")
    return found


def test_the_four_workflows_exist():
    names = {p.name for p in WORKFLOWS}
    assert names == {"pruefen.yml", "veroeffentlichen.yml", "pflege.yml", "formular.yml"}


def test_zizmor_finds_nothing_even_pedantic():
    result = subprocess.run(
        [zizmor(), "--offline", "--persona", "pedantic", "--format", "plain", str(GITHUB)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout
    # a workflow zizmor cannot parse is skipped with a warning, not reported as a finding
    assert "failed to parse" not in result.stderr, result.stderr
    completed = set(re.findall(r"completed \S*?([\w-]+\.yml)", result.stderr))
    assert completed == {p.name for p in WORKFLOWS}, result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit_sha(path):
    text = path.read_text("utf-8")
    for step in steps(load(path)):
        uses = step.get("uses")
        if uses and not uses.startswith("./"):
            assert PINNED.match(uses), uses
            # the version stays readable next to the SHA, for the humans who update it
            assert re.search(rf"{re.escape(uses)} # v\d+\.\d+\.\d+", text), uses


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege(path):
    workflow = load(path)
    assert workflow["permissions"] == {}, "no rights by default; each job asks for its own"
    assert "pull_request_target" not in workflow["on"]
    assert "workflow_run" not in workflow["on"]
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, name
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


def test_pull_request_check_report_and_build():
    text = (GITHUB / "workflows" / "pruefen.yml").read_text("utf-8")
    assert "wegweiser check --format github" in text
    assert "mkdocs build --strict" in text
    assert "wegweiser.cli report" in text and "GITHUB_STEP_SUMMARY" in text


def test_the_report_runs_the_base_branchs_program_never_the_pull_requests():
    jobs = load(GITHUB / "workflows" / "pruefen.yml")["jobs"]
    # the job that runs the pull request's code (install, check, build) writes no report
    assert not any("report" in s.get("run", "") for s in jobs["pruefen"]["steps"])
    steps = jobs["bericht"]["steps"]
    checkouts = {s["with"]["path"]: s["with"] for s in steps if "checkout@" in s.get("uses", "")}
    assert set(checkouts) == {"pr", "basis"}
    assert checkouts["basis"]["ref"] == "${{ github.event.pull_request.base.sha }}"
    assert "ref" not in checkouts["pr"] and checkouts["pr"]["fetch-depth"] == 0
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0].startswith("python -m pip install --require-hashes")
    assert "-r basis/requirements/ci.lock" in runs[0]
    assert 'PYTHONPATH="$PWD/basis/hooks" python -P -m wegweiser.cli report' in runs[1]
    # pr/ is named only as the repository the report reads with git: nothing runs from it
    assert "--root pr " in runs[1]
    assert not any(re.search(r"\bpr\b", run.replace("--root pr ", "")) for run in runs)


def test_publishing_deploys_to_pages():
    workflow = load(GITHUB / "workflows" / "veroeffentlichen.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    uses = [s.get("uses", "") for s in steps(workflow)]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)


def test_scheduled_care_updates_one_issue_and_geocodes():
    workflow = load(GITHUB / "workflows" / "pflege.yml")
    assert "schedule" in workflow["on"]
    text = (GITHUB / "workflows" / "pflege.yml").read_text("utf-8")
    assert "wegweiser stale --format markdown" in text
    assert "gh issue edit" in text and "<!-- wegweiser:stale -->" in text
    assert "wegweiser geocode" in text


def test_issue_body_never_reaches_a_script_directly():
    for path in WORKFLOWS:
        for step in steps(load(path)):
            assert "github.event.issue" not in step.get("run", ""), path.name


def test_issue_forms_parse_and_have_unique_ids():
    for path in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml"):
        data = yaml.safe_load(path.read_text("utf-8"))
        if path.name == "config.yml":
            continue
        ids = [f["id"] for f in data["body"] if f["type"] != "markdown"]
        labels = [f["attributes"]["label"] for f in data["body"] if f["type"] != "markdown"]
        assert len(set(ids)) == len(ids) and len(set(labels)) == len(labels), path.name


def test_report_button_opens_the_form_field_it_fills():
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "info-falsch.yml").read_text("utf-8"))
    assert "eintrag" in [f.get("id") for f in form["body"]]
    source = (REPO / "hooks" / "wegweiser" / "site" / "render.py").read_text("utf-8")
    assert '"template": "info-falsch.yml"' in source and '"eintrag": entry.source' in source


def codeowners() -> list[tuple[str, str]]:
    """(pattern, owner) per line; only the forms this file uses, so owner_of is exact."""
    rules = []
    for line in (GITHUB / "CODEOWNERS").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, owner = line.split()
            assert pattern == "*" or (pattern.startswith("/") and "*" not in pattern), pattern
            rules.append((pattern, owner))
    return rules


def owner_of(path: str) -> str:
    """GitHub's rule: the last matching line wins."""
    owner = ""
    for pattern, who in codeowners():
        folder = pattern.endswith("/") and path.startswith(pattern[1:])
        if pattern == "*" or folder or path == pattern[1:] or path.startswith(pattern[1:] + "/"):
            owner = who
    return owner


@pytest.mark.parametrize(
    "path",
    [
        "hooks/wegweiser/editorial/report.py",
        ".github/workflows/pruefen.yml",
        ".github/CODEOWNERS",
        ".ci/propose-pr",
        "scripts/test.py",
        "requirements/ci.lock",
        "tests/test_report.py",
        "docs/impressum.md",
        "docs/overrides/main.html",
        "mkdocs.yml",
        "pyproject.toml",
        ".pre-commit-config.yaml",
        "README.md",
        "ein/neuer/ordner.py",
    ],
)
def test_codeowners_give_everything_outside_entries_to_the_core_team(path):
    assert owner_of(path) == "@wegweiser-demo/kernteam"


def test_codeowners_give_entries_and_lists_to_the_editors():
    for path in ("entries/leer/x.yml", "entries/_lists/categories.yml", "entries/_geocache.json"):
        assert owner_of(path) == "@wegweiser-demo/redaktion", path


def test_pull_request_template_has_a_checklist():
    text = (GITHUB / "pull_request_template.md").read_text("utf-8")
    assert text.count("- [ ]") >= 3
