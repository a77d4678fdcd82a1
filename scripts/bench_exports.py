#!/usr/bin/env python3
"""Export figures at scale: how long the open-data files take, and how big they are.

    .venv/bin/python scripts/bench_exports.py -n 5000 --runs 5

Generates a synthetic project (scripts/synth.py), checks and locates it once from its
geocoding cache (no network), then times ``exports.build_all`` — every file under
``daten/`` — ``--runs`` times in this process and reports the median, plus each file's
size raw and gzip (what a web server with compression sends). The JSON-LD of the entry
pages is timed separately: it is made while the pages render, not as a file.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(REPO / "hooks"))  # the package, also without `pip install -e`

import synth  # noqa: E402
from wegweiser import exports, pipeline  # noqa: E402
from wegweiser.exports import (  # noqa: E402
    geojson,  # noqa: E402
    hsds,
    table,
)

SETTINGS = exports.ExportSettings(site_url="https://wegweiser.example.org/")


def timed(work, runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def size(count: int) -> str:
    return f"{count / 1000:,.1f} kB".replace(",", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    project = (args.workdir or Path(tempfile.mkdtemp(prefix="wegweiser-exports-"))) / "project"
    if not (project / "mkdocs.yml").exists():
        synth.generate(project, args.n)
    directory = pipeline.offline(project).directory
    median, runs = timed(lambda: exports.build_all(directory, SETTINGS), args.runs)
    parts = {
        "GeoJSON": lambda: geojson.geojson_text(directory),
        "CSV (both)": lambda: [table.csv_text(directory, SETTINGS, excel) for excel in (0, 1)],
        "HSDS": lambda: hsds.hsds_text(directory, SETTINGS),
        "iCalendar (all)": lambda: exports.calendars(directory, SETTINGS),
    }
    part_medians = {name: timed(work, args.runs)[0] for name, work in parts.items()}
    entries = list(directory.entries.values())
    ld_median, _ = timed(
        lambda: [exports.jsonld.script_text(e, directory, SETTINGS) for e in entries], args.runs
    )
    files = exports.build_all(directory, SETTINGS)
    print(f"{len(entries)} entries, {args.runs} runs")
    each = ", ".join(f"{t:.2f}" for t in runs)
    print(f"all exports (build_all): median {median:.2f} s  (runs: {each})")
    print("  of which " + ", ".join(f"{k} {v:.2f} s" for k, v in part_medians.items()))
    print(f"JSON-LD of every entry page: median {ld_median:.2f} s\n")
    print("| file | raw | gzip |")
    print("| --- | ---: | ---: |")
    listed = [f for f in files if f.listed]
    for item in listed:
        packed = len(gzip.compress(item.content, 6))
        print(f"| `{item.uri}` | {size(len(item.content))} | {size(packed)} |")
    calendars = [f for f in files if not f.listed]
    total = sum(len(f.content) for f in calendars)
    print(f"| {len(calendars)} calendars `daten/sitzungen/*.ics` | {size(total)} (together) | – |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
