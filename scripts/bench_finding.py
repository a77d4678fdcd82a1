#!/usr/bin/env python3
"""Finding the right place at scale (issue 16): what a visitor downloads, measured in Chromium.

    .venv/bin/python scripts/bench_finding.py --sizes 5000,20000 --runs 3
    .venv/bin/python scripts/bench_finding.py --sizes 20000 --built DIR/n20000/project/site

For each size N, builds a synthetic project (scripts/synth.py, no network; one build at a
time) and measures, in Debian's headless Chromium on loopback, the bytes (gzip, as a server
would send them) of every response

- of the first filtered query on the search page (``FILTERED``: a category and a spoken
  language from the address), in German and in Arabic: the Pagefind files alone and the
  whole visit (page, scripts, styles, index);
- of a first visit to the start page (``/`` and ``/ar/``), until the network is idle;

medians of ``--runs`` fresh browser contexts. It also weighs the map data of each
interface language three ways (gzip): one file per language (what the site serves),
the German file plus a table of the names in that language, and one file with every
language's names inline. Timings stay out of the tests; they are printed here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # browser helpers: Debian's Chromium on loopback
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402
from bench_visitor import PAGEFIND, build  # noqa: E402
from browser import browser, serve  # noqa: E402

FILTERED = "suche/?kategorie=beratungsstelle&sprache=ar"
KB = 1024


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def first_visit(chromium, url: str, ready=None) -> dict[str, int]:
    """URL -> gzip bytes of every answered request while ``url`` opens (and ``ready``)."""
    sizes: dict[str, int] = {}
    context = chromium.new_context(service_workers="block")
    context.route("https://**/*", lambda route: route.fulfill(status=404, body=""))
    tab = context.new_page()
    tab.on("response", lambda r: sizes.__setitem__(r.url, gz(r.body())) if r.ok else None)
    tab.goto(url)
    if ready:
        ready(tab)
    tab.wait_for_load_state("networkidle")
    context.close()
    return sizes


def results_shown(tab) -> None:
    """The search has answered: a message, no longer busy (as tests/test_finding.py waits)."""
    tab.wait_for_selector(".pagefind-ui__message:not(:empty)", timeout=120_000)
    tab.wait_for_function("!document.getElementById('ww-search').hasAttribute('aria-busy')")


def median_kb(values: list[int]) -> float:
    return round(statistics.median(values) / KB, 1)


# What a Pagefind file is, by its name: the kinds a first query loads.
KINDS = {
    "pf_meta": "page list (pf_meta)",
    "pf_filter": "filters (pf_filter)",
    "pf_index": "word index (pf_index)",
    "pf_fragment": "results (pf_fragment)",
    "pagefind": "program (pagefind.js, wasm, entry)",
}


def kind(url: str) -> str:
    name = url.split("?")[0].rsplit("/", 1)[-1]
    return next((label for suffix, label in KINDS.items() if suffix in name), "other")


def visits(url: str, runs: int) -> dict[str, tuple[float, float]]:
    """Per page measured: (median KB gzip of everything, median KB of Pagefind's files);
    for the searches also the Pagefind files by kind and bundles asked, printed."""
    pages = {
        "search de": (FILTERED, results_shown),
        "search ar": ("ar/" + FILTERED, results_shown),
        "start de": ("", None),
        "start ar": ("ar/", None),
    }
    found: dict[str, tuple[float, float]] = {}
    with browser() as chromium:
        for name, (path, ready) in pages.items():
            totals, index = [], []
            for _ in range(runs):
                sizes = first_visit(chromium, url + path, ready)
                totals.append(sum(sizes.values()))
                index.append(sum(v for k, v in sizes.items() if PAGEFIND.search(k)))
            found[name] = (median_kb(totals), median_kb(index))
            if ready:  # the last run's Pagefind files, by kind and bundle
                by_kind: dict[str, int] = {}
                for address, size in sizes.items():
                    if PAGEFIND.search(address):
                        by_kind[kind(address)] = by_kind.get(kind(address), 0) + size
                asked = sorted({m.group(0) for a in sizes if (m := PAGEFIND.search(a))})
                parts = ", ".join(f"{k} {v / KB:.1f}" for k, v in sorted(by_kind.items()))
                print(f"  {name}: bundles {' '.join(asked)}; KB gzip: {parts}", flush=True)
    return found


def map_data(site: Path) -> dict[str, dict[str, float]]:
    """Per language with names of its own: KB gzip of its own file, of the German file plus
    a name table (id -> name), and of one file with every language's names inline."""
    german_bytes = (site / "daten" / "orte.geojson").read_bytes()
    german = json.loads(german_bytes)
    inline = json.loads(german_bytes)
    by_id = {f["id"]: f for f in inline["features"]}
    tables = {}
    for path in sorted((site / "daten").glob("orte.*.geojson")):
        lang = path.name.split(".")[1]
        own = json.loads(path.read_bytes())
        table = {
            f["id"]: f["properties"]["name"] for f in own["features"] if "lang" in f["properties"]
        }
        for slug, name in table.items():
            by_id[slug]["properties"].setdefault("names", {})[lang] = name
        compact = json.dumps(table, ensure_ascii=False, separators=(",", ":")).encode()
        tables[lang] = (gz(path.read_bytes()), gz(compact), len(table))
    inline_gz = gz(json.dumps(inline, ensure_ascii=False, separators=(",", ":")).encode())
    rows = {"de": {"own": gz(german_bytes) / KB, "features": len(german["features"])}}
    for lang, (own, table, named) in tables.items():
        rows[lang] = {
            "own": own / KB,
            "german_plus_table": (gz(german_bytes) + table) / KB,
            "table": table / KB,
            "named": named,
        }
    rows["inline"] = {"own": inline_gz / KB}
    return rows


def measure(
    n: int, runs: int, work: Path, languages: list[str] | None, built: Path | None = None
) -> None:
    project, site = work / f"n{n}" / "project", work / f"n{n}" / "site"
    if built is not None:  # a site built before (e.g. by scripts/bench.py --workdir)
        site = built
        print(f"\nN={n}: the site built before in {site}", flush=True)
    else:
        if not (project / "mkdocs.yml").exists():
            synth.write(synth.make(n), project, languages)
        seconds = build(project, site)
        print(f"\nN={n}: build {seconds:.0f} s (one build, not a timing benchmark)", flush=True)
    with serve(site) as url:
        found = visits(url, runs)
    print(f"| N={n}, median of {runs}, KB gzip | everything | Pagefind files |")
    print("| --- | --- | --- |")
    for name, (total, index) in found.items():
        print(f"| {name}: {FILTERED if 'search' in name else 'first visit'} | {total} | {index} |")
    rows = map_data(site)
    print(f"\nmap data, N={n} ({rows['de']['features']} places), KB gzip:")
    print(f"  German file (shared): {rows['de']['own']:.1f}")
    print(f"  one file, every language inline: {rows['inline']['own']:.1f}")
    for lang, row in rows.items():
        if lang in ("de", "inline"):
            continue
        print(
            f"  {lang}: own file {row['own']:.1f} | German + name table "
            f"{row['german_plus_table']:.1f} (table {row['table']:.1f}, {row['named']} names)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5000", help="e.g. 5000,20000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--languages", help="interface languages, e.g. de,ar (default: all)")
    parser.add_argument(
        "--built", type=Path, help="measure this site, built before with --sizes' one size"
    )
    args = parser.parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="wegweiser-finding-bench-"))
    languages = args.languages.split(",") if args.languages else None
    for n in (int(size) for size in args.sizes.split(",")):
        measure(n, args.runs, work, languages, args.built)
    return 0


if __name__ == "__main__":
    sys.exit(main())
