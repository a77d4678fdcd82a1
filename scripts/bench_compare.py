#!/usr/bin/env python3
"""Two or more commits' builds in turn: is a change slower, and by how much?

    .venv/bin/python scripts/bench_compare.py --revs 3e0ca0d,HEAD -n 5000 --runs 3

For each commit, ``git archive`` unpacks it into the work directory and its own
``scripts/synth.py`` writes N synthetic entries (with the interface languages of its
mkdocs.yml: all seven as shipped). Then the builds take turns, each in a fresh process
without network (A B, B A, A B, …), so a machine that gets busier or quieter during the
run weighs on every commit alike. Reports per commit the medians of wall time, CPU time
(the build and every process it waited for) and peak memory, and each commit's ratio to
the first: the median of the ratios of the runs taken side by side. ``scripts/bench.py``
compares one tree with the plain mkdocs-material baseline; this compares trees.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import bench  # noqa: E402  (snapshot, run: the same way of timing as the benchmark)

GENERATE = (
    "import sys\nfrom pathlib import Path\nimport synth\n"
    "synth.write(synth.make(int(sys.argv[2])), Path(sys.argv[1]), None)\n"
)


def prepare(work: Path, rev: str, n: int) -> tuple[Path, str]:
    """The commit unpacked and its project with N entries: (project, short commit)."""
    source, short = bench.snapshot(work / rev, rev)
    project = work / rev / f"n{n}"
    if not (project / "mkdocs.yml").exists():
        environment = {**bench.ENV, "PYTHONPATH": f"{source / 'hooks'}:{source / 'scripts'}"}
        subprocess.run(
            [sys.executable, "-c", GENERATE, str(project), str(n)],
            check=True,
            env={**os.environ, **environment},
        )
    return project, short


def build(project: Path, source: Path, log: Path) -> bench.Run:
    bench.ENV["PYTHONPATH"] = str(source / "hooks")
    return bench.run(bench.mkdocs_build(project), log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--revs", required=True, help="e.g. 3e0ca0d,HEAD (the first: 1.00)")
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    revs = args.revs.split(",")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="wegweiser-compare-"))
    prepared = {rev: prepare(work, rev, args.n) for rev in revs}
    runs: dict[str, list[bench.Run]] = {rev: [] for rev in revs}
    for turn in range(args.runs):
        for rev in revs if turn % 2 == 0 else reversed(revs):
            project, _short = prepared[rev]
            done = build(project, work / rev / "src", work / f"build-{rev}-{turn}.log")
            runs[rev].append(done)
            print(
                f"run {turn + 1}/{args.runs} {rev}: wall {done.seconds:.1f} s, "
                f"CPU {done.cpu_s:.1f} s, peak {done.peak_mb:.0f} MB",
                flush=True,
            )
    first = revs[0]
    print(f"\nN={args.n}, median of {args.runs} builds each, taken in turns")
    print(
        "| Stand / commit | Wanduhr / wall | CPU | Spitzenspeicher / peak RSS | "
        f"Verhältnis zu / ratio to {first} (wall, CPU) |"
    )
    print("| --- | ---: | ---: | ---: | ---: |")
    for rev in revs:
        mine = runs[rev]
        wall = statistics.median(r.seconds for r in mine)
        cpu = statistics.median(r.cpu_s for r in mine)
        peak = statistics.median(r.peak_mb for r in mine)
        pairs = list(zip(mine, runs[first], strict=True))
        wall_ratio = statistics.median(a.seconds / b.seconds for a, b in pairs)
        cpu_ratio = statistics.median(a.cpu_s / b.cpu_s for a, b in pairs)
        print(
            f"| `{prepared[rev][1]}` ({rev}) | {wall:.1f} s | {cpu:.1f} s | {peak:.0f} MB | "
            f"{wall_ratio:.2f}×, {cpu_ratio:.2f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
