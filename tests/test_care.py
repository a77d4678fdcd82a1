"""The weekly care job keeps one issue per municipality: pflege.yml's step replayed on the
attention fixture, with a fake `gh` on PATH that keeps issues in a file and records each call."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from helpers import FIXTURE_SITE, FIXTURES, REPO, run_step, runner_env, workflow_step

STEP = ("pflege.yml", "hinweise", "Ein Issue je Gemeinde anlegen, aktualisieren oder schließen")
GH = {"GH_TOKEN": "fake", "GH_REPO": "wegweiser-demo/wegweiser"}
MONDAY = "1793577600"  # 2026-11-02, the day of tests/fixtures/attention/expected.md
FAKE_GH = """#!{python}
# gh with a memory: issues live in FAKE_GH_STATE (a JSON list); each call is recorded.
import json, os, sys
args = sys.argv[1:]
state_file, log_file = os.environ["FAKE_GH_STATE"], os.environ["FAKE_GH_LOG"]
issues = json.load(open(state_file, encoding="utf-8"))
body = open(args[args.index("--body-file") + 1], encoding="utf-8").read() if "--body-file" in args else None
with open(log_file, "a", encoding="utf-8") as log:
    log.write(json.dumps({{"args": args, "body": body}}) + "\\n")

def option(name, default=None):
    return args[args.index(name) + 1] if name in args else default

def issue(number):
    return next(i for i in issues if i["number"] == int(number))

if args[:2] == ["issue", "list"]:
    wanted = option("--state", "open").upper()
    shown = [i for i in issues if option("--label") in i["labels"] and wanted in ("ALL", i["state"])]
    fields = option("--json").split(",")
    print(json.dumps([{{k: i[k] for k in fields}} for i in shown]))
elif args[:2] == ["issue", "create"]:
    number = max([i["number"] for i in issues] + [0]) + 1
    labels = [option("--label")]
    issues.append({{"number": number, "state": "OPEN", "title": option("--title"), "body": body, "labels": labels}})
    print(f"https://github.com/wegweiser-demo/wegweiser/issues/{{number}}")
elif args[:2] == ["issue", "edit"]:
    issue(args[2]).update(title=option("--title"), body=body)
elif args[:2] == ["issue", "close"]:
    issue(args[2])["state"] = "CLOSED"
elif args[:2] == ["issue", "reopen"]:
    issue(args[2])["state"] = "OPEN"
elif args[:2] != ["label", "create"]:
    sys.exit(f"fake gh: unknown call {{args}}")
json.dump(issues, open(state_file, "w", encoding="utf-8"))
"""
BUNDE, LEER = (f"Pflege {name}: Hinweise für die Redaktion" for name in ("Bunde", "Leer"))
HUMAN = {  # an editor's own issue with the label: never touched
    "number": 1,
    "state": "OPEN",
    "title": "Pflege: Ideen",
    "body": "Wir sollten mehr Orte in Bunde aufnehmen.",
    "labels": ["pflege"],
}


class CareJob:
    """The checkout of main (the attention fixture and .ci/), a fake GitHub, and the step."""

    def __init__(self, tmp_path: Path):
        self.work = tmp_path / "work"
        shutil.copytree(FIXTURES / "attention", self.work, ignore=shutil.ignore_patterns("exp*"))
        shutil.copytree(FIXTURE_SITE / "entries" / "_lists", self.work / "entries" / "_lists")
        shutil.copytree(REPO / ".ci", self.work / ".ci")
        self.bin = tmp_path / "bin"
        self.bin.mkdir()
        (self.bin / "gh").write_text(FAKE_GH.format(python=sys.executable), "utf-8")
        (self.bin / "gh").chmod(0o755)
        self.state = tmp_path / "issues.json"
        self.state.write_text(json.dumps([HUMAN]), "utf-8")
        self.tmp, self.runs = tmp_path, 0

    def run(self) -> list[dict]:
        """The step once, as the weekly schedule starts it; the calls gh got."""
        self.runs += 1
        runner = self.tmp / f"runner{self.runs}"
        env = runner_env(runner, FAKE_GH_STATE=str(self.state), SOURCE_DATE_EPOCH=MONDAY)
        done = run_step(workflow_step(*STEP), self.work, GH, env, [self.bin])
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
        log = runner / "gh.jsonl"
        return [json.loads(line) for line in log.read_text("utf-8").splitlines()]

    @property
    def issues(self) -> dict[int, dict]:
        return {i["number"]: i for i in json.loads(self.state.read_text("utf-8"))}


def edit(number: int, title: str) -> list[str]:
    return ["issue", "edit", str(number), "--title", title, "--body-file"]


def changes(calls: list[dict]) -> list[list[str]]:
    """What a run did to issues: every call but reading the list and making the label."""
    kept = [
        c["args"] for c in calls if c["args"][:2] not in (["issue", "list"], ["label", "create"])
    ]
    return [[a for a in args if not a.endswith(".md")] for args in kept]  # temp file names


def expected_section(municipality: str) -> str:
    """The municipality's section of the exact Markdown `wegweiser attention` writes."""
    whole = (FIXTURES / "attention" / "expected.md").read_text("utf-8")
    start = whole.index(f"<!-- wegweiser:attention:{municipality} -->")
    end = whole.find("\n<!-- wegweiser:attention:", start)
    return whole[start : end if end >= 0 else None]


@pytest.fixture
def job(tmp_path) -> CareJob:
    return CareJob(tmp_path)


def test_first_run_opens_one_issue_per_municipality_with_work(job):
    calls = job.run()
    assert changes(calls) == [
        [
            "issue",
            "create",
            "--title",
            BUNDE,
            "--label",
            "pflege",
            "--body-file",
        ],
        [
            "issue",
            "create",
            "--title",
            LEER,
            "--label",
            "pflege",
            "--body-file",
        ],
    ]
    issues = job.issues
    assert sorted(issues) == [1, 2, 3] and issues[1] == HUMAN
    assert issues[2]["body"] == expected_section("bunde")
    assert issues[3]["body"] == expected_section("leer")
    assert all(i["state"] == "OPEN" for i in issues.values())
    summary = (job.tmp / "runner1" / "summary.md").read_text("utf-8")
    assert "- bunde: neues Issue / new issue" in summary and "- leer: neues Issue" in summary


def test_a_second_run_with_the_same_findings_edits_and_never_duplicates(job):
    job.run()
    before = job.issues
    calls = job.run()
    assert changes(calls) == [
        edit(2, BUNDE),
        edit(3, LEER),
    ]
    assert job.issues == before  # the same three issues, the same text


def test_a_municipality_with_nothing_left_gets_its_issue_closed_and_reopened_later(job):
    job.run()
    ended = job.work / "entries" / "bunde" / "abgelaufen.yml"
    offer = ended.read_text("utf-8")
    ended.write_text(offer.replace("valid_until: 2026-10-01", "valid_until: 2027-10-01"), "utf-8")
    calls = job.run()
    edited, close = changes(calls)  # Leer still has work; Bunde is all done
    assert edited == edit(3, LEER)
    assert close[:4] == ["issue", "close", "2", "--comment"] and "Alles erledigt" in close[4]
    assert job.issues[2]["state"] == "CLOSED" and job.issues[3]["state"] == "OPEN"
    assert job.issues[1] == HUMAN
    ended.write_text(offer, "utf-8")  # the offer ended after all: Bunde has work again
    calls = job.run()
    assert changes(calls)[:2] == [
        ["issue", "reopen", "2"],
        edit(2, BUNDE),
    ]
    assert sorted(job.issues) == [1, 2, 3] and job.issues[2]["state"] == "OPEN"


def test_a_second_open_issue_of_a_municipality_is_closed_as_a_duplicate(job):
    job.run()
    twin = {**job.issues[3], "number": 4}  # as if a run had broken off after creating it
    job.state.write_text(json.dumps([*job.issues.values(), twin]), "utf-8")
    calls = job.run()
    assert changes(calls)[-1][:4] == ["issue", "close", "4", "--comment"]
    assert "#3" in changes(calls)[-1][4]
    assert [i["state"] for i in job.issues.values()] == ["OPEN", "OPEN", "OPEN", "CLOSED"]
