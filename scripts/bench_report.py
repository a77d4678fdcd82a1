#!/usr/bin/env python3
"""How long ``wegweiser report`` takes next to ``wegweiser check`` on the same tree (issue 17).

    .venv/bin/python scripts/bench_report.py -n 5000 --runs 5 [--rev COMMIT] [--workdir DIR]

Generates N synthetic entries (scripts/synth.py) in a throw-away git repository and
commits them as ``base``; then a pull request's worth of changes as ``head``: a few
entries edited (summary, phone, street), one added, one renamed, one deleted that other
entries name in ``members``, ``part_of`` or ``coordinated_by`` (so the report has new
findings on unchanged entries), and one given an error. Then, each time in a fresh
process without network and taking turns, ``wegweiser check`` of the tree and
``wegweiser report base head``; it prints the medians of wall and CPU time (the CPU time
of a process and its workers is steadier when others share the machine) and the ratios
report / check.

``--rev`` measures the program of another commit (unpacked with ``git archive``, imported
before the installed one), e.g. the commit before a change, with the same tree and runs.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402

ENV = {"WEGWEISER_OFFLINE": "1", "NO_MKDOCS_2_WARNING": "1"}
RUN = "import sys; from wegweiser.cli import main; sys.exit(main())"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip()


def commit(repo: Path, message: str, tag: str) -> None:
    git(repo, "add", "-A")
    who = ["-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    git(repo, *who, "commit", "-q", "--no-verify", "-m", message)
    git(repo, "tag", "-f", tag)


# -- the tree and the pull request -----------------------------------------------------------


def make_tree(project: Path, n: int) -> None:
    """N entries committed as ``base``, the pull request's changes as ``head``."""
    synth.generate(project, n)
    git(project, "init", "-q", "-b", "main")
    commit(project, "base", "base")
    change_entries(project)
    commit(project, "head", "head")


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text("utf-8")
    changed, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    if not count:
        raise SystemExit(f"{path}: no {pattern!r} to change")
    path.write_text(changed, "utf-8")


def change_entries(project: Path) -> None:
    """What a busy pull request does; every choice depends on the tree alone."""
    entries = project / "entries"
    files = sorted(p for p in entries.glob("*/*.yml"))
    named = referenced(files)
    gone = next(p for p in files if p.stem in named)  # others name it: their findings are new
    plain = [p for p in files if p.stem not in named and has_street(p)]
    third = len(plain) // 3
    edit(plain[third], r"^summary: .*$", "summary: Neue Sprechzeiten und ein neues Angebot.")
    edit(plain[third + 1], r"^phone: .*$", "phone: 0491 9254-77")
    edit(plain[third + 2], r"^  street: .*$", "  street: Am Markt 3")
    edit(plain[third + 3], r"^category: .*$", "category: beratungstelle")  # a typo: an error
    added = plain[third + 4].with_name("sprachcafe-am-hafen.yml")
    shutil.copyfile(plain[third + 4], added)
    edit(added, r"^name: .*$", "name: Sprachcafé am Hafen")
    edit(added, r"^  street: .*$", "  street: Am Hafen 12")
    renamed = plain[2 * third]
    renamed.rename(renamed.with_name(f"{renamed.stem}-neu.yml"))
    gone.unlink()


def has_street(path: Path) -> bool:
    """Shelters and district-wide bodies have none; a moved address needs one."""
    return "\n  street: " in path.read_text("utf-8")


def referenced(files: list[Path]) -> set[str]:
    """Slugs other entries name (members, part_of, coordinated_by)."""
    names: set[str] = set()
    for path in files:
        text = path.read_text("utf-8")
        names.update(re.findall(r"^(?:part_of|coordinated_by): (\S+)$", text, re.MULTILINE))
        block = re.search(r"^members:\n((?:  - .*\n)+)", text, re.MULTILINE)
        if block:
            names.update(re.findall(r"^  - (\S+)$", block.group(1), re.MULTILINE))
    return names


# -- measuring -------------------------------------------------------------------------------


def program(rev: str | None, work: Path) -> dict[str, str]:
    """The environment that runs the program of ``rev`` (default: this working tree)."""
    if rev is None:
        return {**os.environ, **ENV, "PYTHONPATH": str(REPO / "hooks")}
    source = work / "src"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev, "hooks"],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    return {**os.environ, **ENV, "PYTHONPATH": str(source / "hooks")}


@dataclass
class Run:
    seconds: float  # wall clock
    cpu: float  # user + system of the process and the workers it forked


def timed(command: list[str], env: dict[str, str], ok: tuple[int, ...]) -> tuple[Run, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in ok:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Run(seconds, cpu), done.stdout


def measure(project: Path, runs: int, env: dict[str, str], out: Path) -> tuple[list, list]:
    """Check and report taking turns; check finds the new error, so exit 1 is expected."""
    check = [sys.executable, "-c", RUN, "check", "--root", str(project)]
    report = [sys.executable, "-c", RUN, "report", "base", "head", "--root", str(project)]
    checks, reports = [], []
    for index in range(runs):
        checks.append(timed(check, env, (0, 1))[0])
        run, text = timed(report, env, (0,))
        reports.append(run)
        out.write_text(text, "utf-8")
        say(
            f"run {index + 1}/{runs}: check {checks[-1].seconds:.2f} s "
            f"(cpu {checks[-1].cpu:.2f} s), report {run.seconds:.2f} s (cpu {run.cpu:.2f} s)"
        )
    return checks, reports


def summary(checks: list[Run], reports: list[Run]) -> list[str]:
    """Medians of wall time (what people wait for) and of CPU time (what the machine does,
    steadier when others share it), and their ratios report / check."""
    lines = []
    for what in ("seconds", "cpu"):
        check = statistics.median(getattr(r, what) for r in checks)
        report = statistics.median(getattr(r, what) for r in reports)
        name = "wall" if what == "seconds" else "cpu "
        lines.append(
            f"{name}: wegweiser check median {check:.2f} s, wegweiser report base head "
            f"median {report:.2f} s, ratio report / check {report / check:.2f}x"
        )
    return lines


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000, help="number of entries")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rev", help="measure the program of this commit (default: as it is)")
    parser.add_argument("--workdir", type=Path, help="kept; its tree is reused when there")
    args = parser.parse_args(argv)
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="wegweiser-bench-report-"))).resolve()
    project = work / f"n{args.n}"
    try:
        if not (project / ".git").exists():
            started = time.perf_counter()
            make_tree(project, args.n)
            say(f"{args.n} entries and a pull request in {time.perf_counter() - started:.1f} s")
        env = program(args.rev, work)
        checks, reports = measure(project, args.runs, env, work / "report.md")
        if args.workdir:
            say(f"the last report: {work / 'report.md'}")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"program: {args.rev or 'working tree'}; {args.n} entries, {args.runs} runs")
    print("\n".join(summary(checks, reports)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
