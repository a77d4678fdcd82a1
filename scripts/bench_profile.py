#!/usr/bin/env python3
"""Where a build's time goes (issue 19): one `mkdocs build` under cProfile, as a table.

    .venv/bin/python scripts/bench_profile.py -n 5000 [--languages de] [--workdir DIR]
    .venv/bin/python scripts/bench_profile.py --project DIR   # an existing project
    PYTHONPATH=TREE/hooks .venv/bin/python scripts/bench_profile.py --project DIR  # another tree

Generates N synthetic entries (scripts/synth.py) unless ``--project`` names a project,
then builds it once in a fresh process with one worker (``WEGWEISER_WORKERS=1``: every
step in the profiled process) and without network. The profile's clock is cProfile's own
(the wall clock: Pagefind's runs count where they happen; on a shared machine other jobs
stretch every step alike); ``--cpu`` counts CPU time of the process and of every child
it waited for instead (``os.times``, a system call per event: many times slower to
profile). Prints the build's phases
(cumulative CPU seconds and share of the whole build) and the functions with the most
time of their own; ``--markdown`` prints the phase table as Markdown for
scripts/benchmark.md.
"""

from __future__ import annotations

import argparse
import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402

# (label, file name ending, function name): cumulative time of each, in this order.
PHASES = [
    ("ganzer Build / whole build", "mkdocs/commands/build.py", "build"),
    (
        "Einträge laden, prüfen, verorten / load, validate, locate",
        "mkdocs_adapter.py",
        "build_site",
    ),
    ("Seitenplan aller Sprachen / page plan", "mkdocs_adapter.py", "add_pages"),
    ("MkDocs: Navigation / nav", "mkdocs/structure/nav.py", "get_navigation"),
    (
        "MkDocs + Material: gezeichnete Seiten / drawn pages",
        "mkdocs/commands/build.py",
        "_build_page",
    ),
    ("Seiten in Rahmen / framed pages (frames.write)", "site/frames.py", "write"),
    ("  Eintragsseiten (Jinja) / entry pages", "site/render.py", "entry"),
    ("  Listen (Jinja) / term and relation lists", "site/render.py", "_list_page"),
    ("  Sprachumschalter / language switch", "site/render.py", "_language_switch"),
    ("  Markdown + nh3", "site/render.py", "render_markdown"),
    ("  Rahmen füllen / filling frames", "site/frames.py", "fill"),
    ("  Links sammeln / collecting links", "site/linkcheck.py", "add_page"),
    ("  Sitemap", "site/frames.py", "sitemap_with"),
    ("Exporte / exports (daten/)", "exports/__init__.py", "write_all"),
    ("Suchindex (Pagefind) / search index", "site/search.py", "build_indexes"),
    ("Linkprüfung / link check", "site/linkcheck.py", "missing"),
]


def cpu_clock() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


# The profiled process imports nothing of scripts/ (synth.py would put this tree's package
# first on the path): with PYTHONPATH=<tree>/hooks it profiles that tree's package.
PROFILED = """
import cProfile, os, sys
from mkdocs.__main__ import cli
def cpu_clock():
    return sum(os.times()[:4])
profile = cProfile.Profile(*([cpu_clock] if {cpu!r} else []))
try:
    profile.runcall(cli.main, args=["build", "-q", "-f", {config!r}, "-d", {site!r}],
                    standalone_mode=False)
finally:
    profile.dump_stats({out!r})
"""


def profile_build(project: Path, out: Path, cpu: bool = False) -> None:
    code = PROFILED.format(
        cpu=cpu,
        config=str(project / "mkdocs.yml"),
        site=str(project / "site"),
        out=str(out),
    )
    env = {**os.environ, "WEGWEISER_OFFLINE": "1", "NO_MKDOCS_2_WARNING": "1"}
    env["WEGWEISER_WORKERS"] = "1"
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def phase_rows(stats: pstats.Stats) -> list[tuple[str, float]]:
    found = []
    for label, ending, name in PHASES:
        total = 0.0
        for (filename, _line, function), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            if function == name and filename.replace("\\", "/").endswith(ending):
                total += ct
        found.append((label, total))
    return found


def markdown_table(rows: list[tuple[str, float]]) -> str:
    whole = rows[0][1] or 1.0
    lines = ["| Schritt / step | s | Anteil / share |", "| --- | ---: | ---: |"]
    lines += [
        f"| {label} | {seconds:.1f} | {100 * seconds / whole:.0f} % |" for label, seconds in rows
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--languages", help="z. B. / e.g. de or de,en,ar (default: mkdocs.yml)")
    parser.add_argument("--project", type=Path, help="ein vorhandenes Projekt / existing project")
    parser.add_argument("--workdir", type=Path, help="Arbeitsordner / work directory")
    parser.add_argument("--top", type=int, default=25, help="Funktionen / functions listed")
    parser.add_argument("--markdown", action="store_true", help="nur die Tabelle / table only")
    parser.add_argument("--cpu", action="store_true", help="CPU-Zeit statt Wanduhr / CPU time")
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="wegweiser-profile-"))
    project = args.project
    if project is None:
        project = work / "project"
        languages = args.languages.split(",") if args.languages else None
        synth.write(synth.make(args.n), project, languages)
    out = work / "build.prof"
    profile_build(project, out, args.cpu)
    stats = pstats.Stats(str(out))
    rows = phase_rows(stats)
    print(markdown_table(rows))
    if not args.markdown:
        print()
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
