"""The GitHub files: workflows pass zizmor, every action is pinned, forms and hooks parse."""

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import FIXTURE_SITE, REPO, commit, git, run_step, runner_env, workflow_step
from test_issueform import NEW_PLACE
from wegweiser.editorial.mdtext import md

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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_installs_exactly_what_ci_tests(path):
    """From requirements/ci.lock with hashes, on the Python the lock was made for; the
    project itself without resolving anything (issue 17: no unpinned install)."""
    lock_python = "3.11"
    assert lock_python in (REPO / "README.md").read_text("utf-8")
    for name, job in load(path)["jobs"].items():
        job_steps = job.get("steps", [])
        installs = [s["run"] for s in job_steps if "pip install" in s.get("run", "")]
        if not installs:
            continue
        pythons = [
            s["with"]["python-version"] for s in job_steps if "setup-python" in s.get("uses", "")
        ]
        assert pythons == [lock_python], (path.name, name, pythons)
        for command in (line.strip() for run in installs for line in run.splitlines()):
            if "pip install" not in command:
                continue
            locked = "--require-hashes" in command and "ci.lock" in command
            project = "--no-deps" in command and command.endswith("-e .")
            assert locked or project, (path.name, name, command)
        assert any("--require-hashes" in run and "ci.lock" in run for run in installs), name


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


# -- pull requests the workflows open: checked by the workflow, others' work never overwritten --

BOT = "github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>"
EDITOR = "Redakteurin <redaktion@example.org>"
OPEN_PR = "Pull Request öffnen, prüfen, Bericht als Kommentar"
PROPOSE_COORDINATES = "Koordinaten als Pull Request vorschlagen, prüfen, Bericht als Kommentar"
FAKE_GH = """#!{python}
# gh as the workflows call it: records each call (and the file a --body-file names).
import json, os, sys
args = sys.argv[1:]
body = None
if "--body-file" in args:
    with open(args[args.index("--body-file") + 1], encoding="utf-8") as handle:
        body = handle.read()
with open(os.environ["FAKE_GH_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps({{"args": args, "body": body}}) + "\\n")
if args[:2] == ["pr", "view"]:  # asked for --json state --jq .state
    state = os.environ.get("FAKE_GH_PR_STATE")  # OPEN, CLOSED, MERGED; none: gh fails
    if not state:
        sys.exit(1)
    print(state)
if args[:2] == ["pr", "create"]:
    print("https://github.com/wegweiser-demo/wegweiser/pull/8")
"""


@dataclass
class Run:
    result: subprocess.CompletedProcess
    calls: list[dict]  # what gh was asked, in order
    summary: str  # the job summary

    def called(self, *prefix: str) -> list[dict]:
        return [c for c in self.calls if c["args"][: len(prefix)] == list(prefix)]


class FakeGitHub:
    """A throw-away GitHub: ``origin`` a bare repository holding main (the fixture entries,
    the forms, .ci/), a fake ``gh`` on PATH that records its calls, a checkout per job."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path
        seed = tmp_path / "seed"
        shutil.copytree(FIXTURE_SITE / "entries", seed / "entries")
        (seed / "entries" / "_geocache.json").write_text('{"format": 1, "places": {}}', "utf-8")
        (seed / "mkdocs.yml").write_text("site_name: T\nextra: {wegweiser: {}}\n", "utf-8")
        shutil.copytree(GITHUB / "ISSUE_TEMPLATE", seed / ".github" / "ISSUE_TEMPLATE")
        shutil.copytree(REPO / ".ci", seed / ".ci")
        git(seed, "init", "-q", "-b", "main")
        commit(seed, "start")
        self.origin = tmp_path / "origin.git"
        git(tmp_path, "clone", "-q", "--bare", str(seed), str(self.origin))
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        (self.bin / "gh").write_text(FAKE_GH.format(python=sys.executable), "utf-8")
        (self.bin / "gh").chmod(0o755)
        self.count = 0

    def checkout(self) -> Path:
        """actions/checkout of main with its history (fetch-depth: 0), as each job starts."""
        self.count += 1
        work = self.tmp / f"work{self.count}"
        git(self.tmp, "clone", "-q", str(self.origin), str(work))
        return work

    def step(self, workflow: str, job: str, name: str, work: Path, values: dict, **env) -> Run:
        self.count += 1
        runner = self.tmp / f"runner{self.count}"
        env = runner_env(runner, **env)
        result = run_step(workflow_step(workflow, job, name), work, values, env, [self.bin])
        log, summary = runner / "gh.jsonl", runner / "summary.md"
        calls = [json.loads(x) for x in log.read_text("utf-8").splitlines()] if log.exists() else []
        return Run(result, calls, summary.read_text("utf-8") if summary.exists() else "")

    def form(self, **env) -> Run:
        """formular.yml for issue 7 with the label set: read the form, open the pull request."""
        work = self.checkout()
        read = self.step("formular.yml", "uebernehmen", "Formular lesen", work, FORM)
        assert read.result.returncode == 0, read.result.stderr
        return self.step("formular.yml", "uebernehmen", OPEN_PR, work, {**FORM, **GH}, **env)

    def head(self, branch: str) -> str:
        return git(self.origin, "rev-parse", f"refs/heads/{branch}")

    def made_by(self, rev: str) -> str:
        return git(self.origin, "log", "-1", "--format=%an <%ae>|%cn <%ce>", rev)


FORM = {"ISSUE_BODY": NEW_PLACE, "NUMBER": "7"}
GH = {"GH_TOKEN": "fake", "GH_REPO": "wegweiser-demo/wegweiser"}
BRANCH = "formular/issue-7"


def test_the_forms_pull_request_gets_the_check_and_the_report_as_a_comment(tmp_path):
    github = FakeGitHub(tmp_path)
    run = github.form()
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    assert github.made_by(github.head(BRANCH)) == f"{BOT}|{BOT}"
    files = git(github.origin, "show", "--name-only", "--format=", github.head(BRANCH))
    assert files == "entries/leer/sprachcafe-am-hafen.yml"
    [create] = run.called("pr", "create", "--head", BRANCH)
    assert "Closes #7" in create["body"]
    [comment] = run.called("pr", "comment", BRANCH)
    body = comment["body"]
    assert "### Prüfung (wegweiser check)" in body and "Alles in Ordnung" in body
    assert "## Was sich im Wegweiser ändert" in body
    assert "### Neu: Sprachcafé am Hafen" in body and "Einträge: 1 neu" in body
    assert "außerhalb von entries" not in body  # the form adds an entry, nothing else
    assert body in run.summary
    assert run.called("issue") == []


def test_a_branch_an_editor_pushed_to_is_never_overwritten(tmp_path):
    github = FakeGitHub(tmp_path)
    assert github.form().result.returncode == 0
    editor = github.checkout()
    git(editor, "switch", "-q", BRANCH)
    entry = editor / "entries" / "leer" / "sprachcafe-am-hafen.yml"
    entry.write_text(entry.read_text("utf-8").replace("Hafenstraße 3", "Hafenstraße 5"), "utf-8")
    theirs = commit(editor, "Hausnummer korrigiert", who=EDITOR)
    git(editor, "push", "-q", "origin", BRANCH)
    run = github.form()  # the label is set again
    assert run.result.returncode == 0, run.result.stderr
    assert github.head(BRANCH) == theirs
    [told] = run.called("issue", "comment", "7")
    assert f"Der Zweig `{BRANCH}` hat 1 Commit(s), die nicht von diesem Workflow" in told["body"]
    assert "*The branch" in told["body"] and told["body"] in run.summary
    assert run.called("pr") == []


def test_the_workflows_own_branch_is_renewed_on_the_new_main(tmp_path):
    github = FakeGitHub(tmp_path)
    assert github.form().result.returncode == 0
    before = github.head(BRANCH)
    main = github.checkout()  # meanwhile main moves on
    (main / "entries" / "_geocache.json").write_text('{"format": 1, "places": {} }', "utf-8")
    commit(main, "main moves", who=EDITOR)
    git(main, "push", "-q", "origin", "main")
    run = github.form(FAKE_GH_PR_STATE="OPEN")
    assert run.result.returncode == 0, run.result.stderr
    after = github.head(BRANCH)
    assert after != before and github.made_by(after) == f"{BOT}|{BOT}"
    assert git(github.origin, "rev-parse", f"{after}^") == github.head("main")
    assert run.called("pr", "create") == []  # the pull request is there already
    assert len(run.called("pr", "comment", BRANCH)) == 1
    assert run.called("issue") == []


def test_a_branch_whose_name_only_ends_like_it_is_another_branch(tmp_path):
    github = FakeGitHub(tmp_path)
    decoy = github.checkout()
    git(decoy, "push", "-q", "origin", f"HEAD:refs/heads/x/refs/heads/{BRANCH}")
    run = github.form()
    assert run.result.returncode == 0, run.result.stderr
    assert github.made_by(github.head(BRANCH)) == f"{BOT}|{BOT}"
    assert len(run.called("pr", "comment", BRANCH)) == 1


def test_a_closed_pull_request_of_the_branch_gets_a_new_one(tmp_path):
    github = FakeGitHub(tmp_path)
    run = github.form(FAKE_GH_PR_STATE="CLOSED")
    assert run.result.returncode == 0, run.result.stderr
    assert len(run.called("pr", "create", "--head", BRANCH)) == 1


def test_the_coordinates_pull_request_gets_the_check_and_the_report_too(tmp_path):
    github = FakeGitHub(tmp_path)
    work = github.checkout()
    quiet = github.step("pflege.yml", "geokodieren", PROPOSE_COORDINATES, work, GH)
    assert quiet.result.returncode == 0 and "Keine neuen Koordinaten." in quiet.result.stdout
    assert quiet.calls == []
    cache = '{"format": 1, "places": {"x": {"lat": 53.2, "lon": 7.4, "precision": "house"}}}'
    (work / "entries" / "_geocache.json").write_text(cache, "utf-8")
    run = github.step("pflege.yml", "geokodieren", PROPOSE_COORDINATES, work, GH)
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    assert github.made_by(github.head("pflege/koordinaten")) == f"{BOT}|{BOT}"
    assert len(run.called("pr", "create", "--head", "pflege/koordinaten")) == 1
    [comment] = run.called("pr", "comment", "pflege/koordinaten")
    assert "## Was sich im Wegweiser ändert" in comment["body"]
    assert "entries\\/\\_geocache\\.json" in comment["body"]


def test_a_missing_cache_file_is_new_coordinates_too(tmp_path):
    github = FakeGitHub(tmp_path)
    work = github.checkout()
    git(work, "rm", "-q", "--cached", "entries/_geocache.json")  # as if never committed
    git(work, "commit", "-q", "-m", "no cache yet")
    run = github.step("pflege.yml", "geokodieren", PROPOSE_COORDINATES, work, GH)
    assert run.result.returncode == 0, run.result.stdout + run.result.stderr
    assert len(run.called("pr", "comment", "pflege/koordinaten")) == 1


def test_errors_the_check_finds_are_in_the_comment_and_fail_the_job(tmp_path):
    github = FakeGitHub(tmp_path)
    main = github.checkout()
    (main / "entries" / "leer" / "kaputt.yml").write_text("name: Kaputt\ncategory: netzwrek\n")
    commit(main, "a broken entry on main", who=EDITOR)
    git(main, "push", "-q", "origin", "main")
    run = github.form()
    assert run.result.returncode == 1  # the run is red: someone has to look
    [comment] = run.called("pr", "comment", BRANCH)
    check = comment["body"].split("### Prüfung (wegweiser check)", 1)[1].split("## Was", 1)[0]
    assert f"**{md('2 Fehler, 0 Warnungen in 1 Dateien')}" in check
    message = 'entries/leer/kaputt.yml:2:11: error: category: "netzwrek"'
    assert f"- {md(message)}" in check
