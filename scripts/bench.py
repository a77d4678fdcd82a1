"""Benchmark (issue 8, "Scale"): how check and build grow with the number of entries.

    python scripts/bench.py --sizes 500,5000 --runs 3 [--write-docs] [--workdir DIR]

For each size N, ``scripts/synth.py`` writes a synthetic project with N entries and,
beside it, a BASELINE: a plain mkdocs-material site (same theme settings, no hooks, MkDocs'
default plugins, that is Material's built-in search) with N equivalent hand-written Markdown
pages kept out of the navigation; and the same site without any plugin (no search), to
show what the search costs there.
Then, each time in a fresh subprocess with WEGWEISER_OFFLINE=1:

- ``wegweiser check --root`` (validation alone),
- ``mkdocs build`` of our project and of both baselines, taking turns, with wall time and
  peak memory (the largest resident set of the build or any process it waited for,
  e.g. Pagefind, read from ``os.wait4``),
- Pagefind alone over the built site (the search index is part of our build).

It reports medians, the build time as a ratio to the baseline, and sizes: the whole
site, entry pages (``site/orte/*/index.html``), map data (``site/daten/orte.geojson``)
and the search index (``site/pagefind``). ``--write-docs`` updates scripts/benchmark.md;
rows of sizes (or sets of languages, ``--languages``) not measured in this run are kept
from the file, and so are the sections below its data (``scripts/bench_report.py``'s and
``scripts/bench_profile.py``'s).

What is measured is the last commit, unpacked with ``git archive`` into the work
directory (``--working-tree``: the files as they are now). Generated trees live in a
temporary directory (or ``--workdir``), never in the repository.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS_PAGE = REPO / "scripts" / "benchmark.md"  # for developers, not part of the site
# Every build here is cold (no build cache: WEGWEISER_CACHE_DIR=off) but those of --warm.
ENV = {"WEGWEISER_OFFLINE": "1", "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_CACHE_DIR": "off"}
DATA_MARK = "<!-- bench-data"

synth = None  # scripts/synth.py of the measured source tree, imported by use_source()


def snapshot(work: Path, rev: str = "HEAD") -> tuple[Path, str]:
    """A commit (the last one by default), unpacked with ``git archive``: what is measured
    stays put while others edit the working tree; ``--rev`` measures an older tree with
    this script, so both trees are timed the same way."""
    source = work / "src"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "--format=tar", rev], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    return source, _head(rev)


def use_source(source: Path) -> None:
    """Generator, hook and package all from ``source``, in this process and in children."""
    global synth
    sys.path.insert(0, str(source / "hooks"))
    sys.path.insert(0, str(source / "scripts"))
    import synth as module  # its REPO is ``source``: lists, docs, mkdocs.yml and hook file

    synth = module
    # Before the editable install's path (a .pth entry), so children import the same code.
    ENV["PYTHONPATH"] = str(source / "hooks")


# -- running one command -------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_mb: float  # largest resident set of the process or any child it waited for
    log: str
    # CPU seconds of the process and every descendant it waited for (user + system): on a
    # busy machine a steadier measure of the work done than the wall time.
    cpu_s: float = 0.0


def run(
    command: list[str], log_path: Path, cwd: Path | None = None, more: dict | None = None
) -> Run:
    """Run ``command`` in a fresh process; wall time and peak memory from ``wait4``."""
    env = {**os.environ, **ENV, **(more or {})}
    with log_path.open("w", encoding="utf-8") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        # Linux reports the maximum over the child and every descendant it waited for.
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log_path.read_text("utf-8", errors="replace")
    if process.returncode != 0:
        tail = "\n".join(text.splitlines()[-30:])
        raise SystemExit(f"failed ({process.returncode}): {shlex.join(command)}\n{tail}")
    return Run(seconds, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime)


def wegweiser_command() -> list[str]:
    script = Path(sys.executable).parent / "wegweiser"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from wegweiser.cli import main; sys.exit(main())"]


def mkdocs_build(project: Path) -> list[str]:
    config, site = project / "mkdocs.yml", project / "site"
    return [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)]


# -- the baseline --------------------------------------------------------------------------

# A plain mkdocs-material site: MkDocs' default `plugins` is [search], so a site made with
# `mkdocs new` and `theme: material` builds Material's search index. Our build makes one too
# (Pagefind), so this is the baseline the ratio is taken against; PLAIN_CONFIG drops it.
BASELINE_CONFIG = """\
# Baseline for scripts/bench.py: plain mkdocs-material, no hooks, default plugins (search).
site_name: Baseline
site_url: https://baseline.example.org/
theme:
  name: material
  language: de
  font: false
  features:
    - navigation.instant
    - navigation.tabs
  palette:
    primary: indigo
    accent: indigo
nav:
  - Start: index.md
not_in_nav: |
  /orte/
extra:
  generator: false
"""


PLAIN_CONFIG = BASELINE_CONFIG.replace(
    "default plugins (search).", "no plugins (no search)."
).replace("nav:\n", "plugins: []\nnav:\n", 1)


def baseline_page(data: dict) -> str:
    """The same facts as an entry page, written by hand in Markdown."""
    address = data["address"]
    where = ", ".join(
        part
        for part in (
            address.get("street", ""),
            address.get("extra", ""),
            f"{address.get('postcode', '')} {address['city']}".strip(),
        )
        if part
    )
    rows = [
        ("Kategorie", data["category"]),
        ("Adresse", where),
        ("Telefon", data.get("phone", "")),
        ("E-Mail", data.get("email", "")),
        ("Webseite", data.get("website", "")),
        ("Öffnungszeiten", data.get("opening_hours", "")),
        ("Sprachen", ", ".join(data.get("languages", []))),
        ("Themen", ", ".join(data.get("topics", []))),
        ("Zielgruppen", ", ".join(data.get("audiences", []))),
        ("Stand", f"{data['verified']['date']}, {data['verified']['by']}"),
    ]
    table = "\n".join(f"| {key} | {value} |" for key, value in rows if value)
    parts = [f"# {data['name']}", data["summary"], f"| Feld | Angabe |\n| --- | --- |\n{table}"]
    parts.append(data.get("description", "").strip())
    for lang, text in data.get("translations", {}).items():
        parts.append(f"## {lang}: {text['name']}\n\n{text['summary']}")
    return "\n\n".join(p for p in parts if p) + "\n"


def write_baseline(made, root: Path, config: str = BASELINE_CONFIG) -> None:
    docs = root / "docs"
    (docs / "orte").mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    (docs / "index.md").write_text("# Baseline\n\nEine Startseite.\n", "utf-8")
    for entry in made.entries:
        (docs / "orte" / f"{entry['slug']}.md").write_text(baseline_page(entry["data"]), "utf-8")


# -- sizes ---------------------------------------------------------------------------------


def tree_size(path: Path) -> tuple[int, int]:
    """Bytes (sum of file sizes) and number of files under ``path``."""
    total = count = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(folder, name))
            count += 1
    return total, count


def map_data(site: Path) -> Path:
    """The one GeoJSON all maps draw from, by the address book of the measured tree (or the
    names older trees used)."""
    try:
        from wegweiser.urls import GEOJSON
    except ImportError:
        try:
            from wegweiser.maps import GEOJSON_URI as GEOJSON
        except ImportError:
            GEOJSON = "karte/orte.geojson"
    return site / GEOJSON


def entry_page_sizes(site: Path) -> list[int]:
    return sorted(p.stat().st_size for p in (site / "orte").glob("*/index.html"))


# -- one size ------------------------------------------------------------------------------


@dataclass
class Row:
    n: int
    runs: int
    check_s: float
    build_s: float
    build_peak_mb: float
    base_s: float
    base_peak_mb: float
    pagefind_s: float
    site_mb: float
    site_files: int
    base_site_mb: float
    entry_median_kb: float
    entry_max_kb: float
    base_entry_median_kb: float
    map_kb: float | None
    search_mb: float
    warnings: int
    date: str
    command: str
    commit: str = ""
    pagefind_peak_mb: float | None = None
    map_gzip_kb: float | None = None
    largest_html: str = ""
    largest_html_kb: float | None = None
    plain_s: float | None = None  # the baseline without any plugin (no search)
    plain_peak_mb: float | None = None
    baseline: str = "search"  # rows before 2026-11-25 (session 11): "plain"
    export_s: float | None = None  # every file under daten/, made in one process
    first_query_kb: float | None = None  # Pagefind files of a first German query, gzip
    build_cpu_s: float | None = None  # CPU seconds (user + system), build and descendants
    base_cpu_s: float | None = None
    # the interface languages built, as in mkdocs.yml: "de" or "de,en,ar,fa,uk,ru,tr"; rows
    # before issue 19 were all measured with --languages de
    languages: str = "de"

    @property
    def key(self) -> tuple[int, str]:
        """A row stands for a size and a set of languages: later runs replace it."""
        return self.n, self.languages

    @property
    def ratio(self) -> float:
        return self.build_s / self.base_s


LANGUAGES: list[str] | None = None  # --languages: interface languages to build


def measure(n: int, runs: int, seed: int, work: Path, command: str, commit: str) -> Row:
    project, baseline, logs = work / f"n{n}" / "project", work / f"n{n}" / "baseline", work / "logs"
    plain = work / f"n{n}" / "plain"
    for path in (project, baseline, plain):
        shutil.rmtree(path, ignore_errors=True)
    logs.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    made = synth.make(n, seed)
    synth.write(made, project, LANGUAGES)
    write_baseline(made, baseline)
    write_baseline(made, plain, PLAIN_CONFIG)
    say(f"N={n}: generated in {time.perf_counter() - started:.1f} s")

    checks, builds, bases, plains, pagefinds = [], [], [], [], []
    for index in range(runs):
        checks.append(
            run([*wegweiser_command(), "check", "--root", str(project)], logs / "check.log")
        )
        targets = [(project, builds, "build"), (baseline, bases, "baseline")]
        for target, results, name in [*targets, (plain, plains, "plain")]:
            shutil.rmtree(target / "site", ignore_errors=True)
            results.append(run(mkdocs_build(target), logs / f"{name}-{n}-{index}.log"))
        pagefinds.append(pagefind_alone(project / "site", logs / "pagefind.log"))
        say(
            f"N={n} run {index + 1}/{runs}: check {checks[-1].seconds:.1f} s, "
            f"build {builds[-1].seconds:.1f} s (CPU {builds[-1].cpu_s:.1f} s), "
            f"baseline {bases[-1].seconds:.1f} s (CPU {bases[-1].cpu_s:.1f} s), "
            f"without search {plains[-1].seconds:.1f} s, pagefind {pagefinds[-1].seconds:.1f} s"
        )
    row = _row(n, runs, project, baseline, checks, builds, bases, pagefinds, command)
    row.commit = commit
    row.build_cpu_s = statistics.median(b.cpu_s for b in builds)
    row.base_cpu_s = statistics.median(b.cpu_s for b in bases)
    row.languages = built_languages(project / "mkdocs.yml")
    say(
        f"N={n} medians: build {row.build_s:.1f} s / baseline {row.base_s:.1f} s = "
        f"{row.ratio:.2f}×; CPU {row.build_cpu_s:.1f} s / {row.base_cpu_s:.1f} s = "
        f"{row.build_cpu_s / row.base_cpu_s:.2f}×"
    )
    row.pagefind_peak_mb = statistics.median(p.peak_mb for p in pagefinds)
    row.plain_s = statistics.median(p.seconds for p in plains)
    row.plain_peak_mb = statistics.median(p.peak_mb for p in plains)
    row.export_s = export_seconds(work / f"n{n}", runs, logs / f"exports-{n}.log")
    row.first_query_kb = first_query_kb(project / "site")
    say(f"N={n}: exports {row.export_s} s, first query {row.first_query_kb} kB")
    return row


def measure_warm(n: int, runs: int, seed: int, work: Path) -> dict:
    """``--warm``: the build cache (issue 19). Each run: a cold ``mkdocs build`` with an
    empty cache, one entry's summary changed, a warm build; then a warm build with nothing
    changed. Medians of the wall and CPU seconds, and the ratio cold / warm."""
    project, logs = work / f"warm{n}" / "project", work / "logs"
    cache = work / f"warm{n}" / "cache"
    shutil.rmtree(project, ignore_errors=True)
    logs.mkdir(parents=True, exist_ok=True)
    synth.write(synth.make(n, seed), project, LANGUAGES)
    entry = sorted((project / "entries").glob("*/*.yml"))[n // 2]
    original = entry.read_text("utf-8")
    with_cache = {"WEGWEISER_CACHE_DIR": str(cache)}
    found: dict[str, list[Run]] = {"cold": [], "warm": [], "unchanged": []}
    for index in range(runs):
        shutil.rmtree(cache, ignore_errors=True)
        entry.write_text(original, "utf-8")
        for kind in found:
            if kind == "warm":
                marker = f"summary: Geänderte Kurzbeschreibung Nummer {index} für den Benchmark."
                entry.write_text(
                    re.sub(r"^summary: .*$", marker, original, count=1, flags=re.M), "utf-8"
                )
            shutil.rmtree(project / "site", ignore_errors=True)
            log = logs / f"{kind}-{n}-{index}.log"
            found[kind].append(run(mkdocs_build(project), log, more=with_cache))
        say(
            f"N={n} run {index + 1}/{runs}: "
            + ", ".join(
                f"{k} {v[-1].seconds:.1f} s (CPU {v[-1].cpu_s:.1f} s)" for k, v in found.items()
            )
        )
    entry.write_text(original, "utf-8")
    medians = {
        f"{kind}_{what}": statistics.median(getattr(r, attr) for r in results)
        for kind, results in found.items()
        for what, attr in (("s", "seconds"), ("cpu_s", "cpu_s"))
    }
    medians["cache_mb"] = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 1e6
    return {"n": n, "runs": runs, "languages": built_languages(project / "mkdocs.yml"), **medians}


WARM_HEAD = (
    "Einträge / entries",
    "Sprachen / languages",
    "Läufe / runs",
    "kalt / cold",
    "warm, ein Eintrag geändert / one entry changed",
    "Verhältnis / ratio",
    "CPU kalt / cold",
    "CPU warm",
    "CPU-Verhältnis / ratio",
    "warm, nichts geändert / nothing changed",
    "Cache",
)


def warm_table(rows: list[dict]) -> str:
    """``--warm``'s figures as a Markdown table."""
    lines = ["| " + " | ".join(WARM_HEAD) + " |", "| ---: | --- " + "| ---: " * 9 + "|"]
    for r in rows:
        cells = [
            f"{r['n']:,}".replace(",", " "),
            r["languages"],
            str(r["runs"]),
            f"{r['cold_s']:.1f} s",
            f"{r['warm_s']:.1f} s",
            f"**{r['cold_s'] / r['warm_s']:.2f}×**",
            f"{r['cold_cpu_s']:.1f} s",
            f"{r['warm_cpu_s']:.1f} s",
            f"{r['cold_cpu_s'] / r['warm_cpu_s']:.2f}×",
            f"{r['unchanged_s']:.1f} s",
            f"{r['cache_mb']:.0f} MB",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def built_languages(config: Path) -> str:
    """The interface languages the project's mkdocs.yml builds, "de,en,…"."""
    match = re.search(r"^    languages: \[(.*)\]$", config.read_text("utf-8"), re.MULTILINE)
    return ",".join(code.strip() for code in match.group(1).split(",")) if match else "de"


SEARCH_STEP = (  # the package's layout of the measured tree: wegweiser.site (now) or flat
    "import sys\nfrom pathlib import Path\ntry:\n    from wegweiser.site import search\n"
    "except ImportError:\n    from wegweiser import search\n"
    "search.index_built_site(Path(sys.argv[1]))"
)


def pagefind_alone(site: Path, log: Path) -> Run:
    """The search-index step of our build on its own (the same runs), over the built site."""
    for bundle in bundles(site):
        shutil.rmtree(bundle)
    return run([sys.executable, "-c", SEARCH_STEP, str(site)], log)


def bundles(site: Path) -> list[Path]:
    """Every Pagefind bundle: pagefind/, pagefind-2/, en/pagefind/, … (search.Part.bundle)."""
    return [p for p in [*site.glob("pagefind*"), *site.glob("*/pagefind*")] if p.is_dir()]


def export_seconds(folder: Path, runs: int, log: Path) -> float | None:
    """``scripts/bench_exports.py`` on the project in ``folder``: median of making every file."""
    script = Path(synth.__file__).with_name("bench_exports.py")
    command = [sys.executable, str(script), "--workdir", str(folder), "--runs", str(runs)]
    match = re.search(r"median ([0-9.]+) s", run(command, log).log)
    return float(match.group(1)) if match else None


def first_query_kb(site: Path) -> float | None:
    """Pagefind bytes (gzip) a first German search query loads, in headless Chromium."""
    try:
        import bench_visitor  # from the measured tree's scripts/, like synth
    except ImportError:  # no Playwright (the test extras): not measured
        return None
    with bench_visitor.serve(site) as url:
        query = bench_visitor.first_query("Beratung")
        _total, files = bench_visitor.transferred(url + "suche/?q=", query)
    found = [size for name, size in files.items() if bench_visitor.PAGEFIND.search(name)]
    return sum(found) / 1e3


def _row(n, runs, project, baseline, checks, builds, bases, pagefinds, command) -> Row:
    site = project / "site"
    site_bytes, site_files = tree_size(site)
    base_bytes, _ = tree_size(baseline / "site")
    pages, base_pages = entry_page_sizes(site), entry_page_sizes(baseline / "site")
    geojson = map_data(site)
    warnings = [ln for ln in builds[-1].log.splitlines() if ln.startswith("WARNING")]
    for line in warnings[:5]:
        say(f"  build warning: {line}")

    def median(items, key="seconds"):
        return statistics.median(getattr(item, key) for item in items)

    largest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
    return Row(
        n=n,
        runs=runs,
        check_s=median(checks),
        build_s=median(builds),
        build_peak_mb=median(builds, "peak_mb"),
        base_s=median(bases),
        base_peak_mb=median(bases, "peak_mb"),
        pagefind_s=median(pagefinds),
        site_mb=site_bytes / 1e6,
        site_files=site_files,
        base_site_mb=base_bytes / 1e6,
        entry_median_kb=statistics.median(pages) / 1e3 if pages else 0.0,
        entry_max_kb=max(pages) / 1e3 if pages else 0.0,
        base_entry_median_kb=statistics.median(base_pages) / 1e3 if base_pages else 0.0,
        map_kb=geojson.stat().st_size / 1e3 if geojson.exists() else None,
        map_gzip_kb=len(gzip.compress(geojson.read_bytes())) / 1e3 if geojson.exists() else None,
        largest_html=largest.relative_to(site).as_posix(),
        largest_html_kb=largest.stat().st_size / 1e3,
        search_mb=sum(tree_size(bundle)[0] for bundle in bundles(site)) / 1e6,
        warnings=len(warnings),
        date=dt.date.today().isoformat(),
        command=command,
    )


# -- report --------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "–"

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return {
        "CPU": cpu,
        "Kerne / cores": str(len(os.sched_getaffinity(0))),
        "Last vorher / load average before (1, 5, 15 min)": load,
        "System": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "MkDocs": version("mkdocs"),
        "mkdocs-material": version("mkdocs-material"),
        "Pagefind": version("pagefind"),
        "Datum / date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _num(value: float | None, digits: int = 1) -> str:
    """1 234.5: a space between thousands reads the same in German and English."""
    return "–" if value is None else f"{value:,.{digits}f}".replace(",", " ")


def _map(r: Row) -> str:
    if r.map_kb is None:
        return "–"
    packed = "" if r.map_gzip_kb is None else f" ({_num(r.map_gzip_kb)} kB)"
    return f"{_num(r.map_kb)} kB{packed}"


def _largest(r: Row) -> str:
    return f"`{r.largest_html}` {_num(r.largest_html_kb)} kB" if r.largest_html else "–"


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{_num(value)} s"


def _times(ours: float, base: float | None) -> str:
    return "–" if not base else f"{ours / base:.2f}×"


def _plain_mark(r: Row) -> str:
    """Rows measured before the baseline had its search plugin: marked, not mixed up."""
    return "" if r.baseline == "search" else " (ohne Suche / no search)"


def _kb(value: float | None) -> str:
    return "–" if value is None else f"{_num(value)} kB"


def _mb(value: float | None) -> str:
    return "–" if value is None else f"{_num(value, 0)} MB"


def _languages(r: Row) -> str:
    codes = r.languages.split(",")
    return codes[0] if len(codes) == 1 else str(len(codes))


def _cpu(r: Row) -> str:
    if not (r.build_cpu_s and r.base_cpu_s):
        return "–"
    return f"{_num(r.build_cpu_s)} s / {_num(r.base_cpu_s)} s = {r.build_cpu_s / r.base_cpu_s:.2f}×"


def tables(rows: list[Row]) -> str:
    rows = sorted(rows, key=lambda r: (r.n, -len(r.languages.split(","))))
    time_head = (
        "| Einträge / entries | Sprachen / languages | Läufe / runs | `wegweiser check` | "
        "`mkdocs build` | "
        "davon Pagefind / of which Pagefind | Baseline | Verhältnis / ratio | "
        "Baseline ohne Suche / without search | Verhältnis dazu / ratio to it | "
        "Spitzenspeicher / peak RSS | davon Pagefind / Pagefind RSS | Baseline RSS | "
        "CPU Build / Baseline | Warnungen / warnings |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: | ---: |"
    )
    time_rows = [
        f"| {_num(r.n, 0)} | {_languages(r)} | {r.runs} | {_num(r.check_s)} s | "
        f"{_num(r.build_s)} s | "
        f"{_num(r.pagefind_s)} s | {_num(r.base_s)} s{_plain_mark(r)} | **{r.ratio:.2f}×** | "
        f"{_seconds(r.plain_s)} | {_times(r.build_s, r.plain_s)} | "
        f"{_num(r.build_peak_mb, 0)} MB | {_mb(r.pagefind_peak_mb)} | "
        f"{_num(r.base_peak_mb, 0)} MB | {_cpu(r)} | {r.warnings} |"
        for r in rows
    ]
    size_head = (
        "| Einträge / entries | Sprachen / languages | Website / site | Dateien / files | "
        "Baseline-Website / site | "
        "Eintragsseite Median / entry page median | größte / largest | "
        "Baseline-Eintragsseite Median | Kartendaten / map data (gzip) | "
        "Suchindex / search index | erste Suche / first query (gzip) | "
        "Export (`daten/`) | größte HTML-Seite / largest HTML page |\n"
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| --- |"
    )
    size_rows = [
        f"| {_num(r.n, 0)} | {_languages(r)} | {_num(r.site_mb)} MB | {_num(r.site_files, 0)} | "
        f"{_num(r.base_site_mb)} MB | "
        f"{_num(r.entry_median_kb)} kB | {_num(r.entry_max_kb)} kB | "
        f"{_num(r.base_entry_median_kb)} kB | "
        f"{_map(r)} | {_num(r.search_mb)} MB | {_kb(r.first_query_kb)} | "
        f"{_seconds(r.export_s)} | {_largest(r)} |"
        for r in rows
    ]
    return "\n".join([time_head, *time_rows, "", size_head, *size_rows])


DOCS_INTRO = """\
# Benchmark

Wie wächst der Aufwand mit der Zahl der Einträge? `scripts/bench.py` erzeugt mit
`scripts/synth.py` erfundene, gültige Einträge (mit Gemeinden, Beziehungen, Übersetzungen
und zwischengespeicherten Koordinaten), prüft sie mit `wegweiser check` und baut die Seite
mit `mkdocs build` — jedes Mal in einem frischen Prozess, ohne Netz
(`WEGWEISER_OFFLINE=1`). Zum Vergleich baut es eine schlichte mkdocs-material-Seite
(gleiches Theme, keine Hooks, die Standard-Plugins von MkDocs, also Materials eingebaute
Suche) mit genauso vielen handgeschriebenen Markdown-Seiten derselben Angaben, die nicht
im Menü stehen: die **Baseline**. Weil unser Build auch einen Suchindex baut, ist das der
Vergleich für das Verhältnis. Daneben steht dieselbe Seite ganz ohne Plugins (ohne Suche).
Zeiten sind Mediane über die Läufe; „Verhältnis“ ist unser Build geteilt durch die Baseline.

*How cost grows with the number of entries: synthetic valid entries, checked and built in
fresh processes without network, against a plain mkdocs-material site with the same number
of equivalent hand-written Markdown pages and MkDocs' default plugins, i.e. Material's
built-in search (the baseline; our build makes a search index too). Beside it, the same
site without any plugin. Times are medians; the ratio is our build time divided by the
baseline's.*

Diese Seite schreibt `python scripts/bench.py --write-docs`; Zeilen anderer Größen oder
Sprachen aus früheren Läufen bleiben stehen, ebenso die Abschnitte unter den Daten am Ende
(von Hand: das Profil aus `scripts/bench_profile.py`, `wegweiser report` aus
`scripts/bench_report.py`). „Sprachen“ ist die Zahl der Sprachen der Oberfläche (7 = wie
`mkdocs.yml` ausgeliefert wird) oder die eine Sprache (`--languages de`); die
CPU-Spalte zählt Prozess und Kindprozesse (Pagefind, geteilte Arbeit), ruhiger als die
Wanduhr, wenn andere den Rechner mitbenutzen. *Written by the benchmark; rows of other
sizes or languages are kept, and so are the sections at the end (by hand). "Languages" is
the number of interface languages (7 = as shipped) or the one language; the CPU column
counts the process and its children, steadier than the wall clock on a shared machine.*
"""

DOCS_NOTES = """\
## Was gemessen wird / What is measured

- **`wegweiser check`**: die ganze Prüfung wie für Ehrenamtliche, mit Start des Programms.
  *Validation alone, including interpreter start-up.*
- **`mkdocs build`**: der ganze Build mit Suchindex (Pagefind läuft in `on_post_build`);
  „davon Pagefind“ sind dieselben Pagefind-Läufe (`search.index_built_site`: je Sprache
  und je Teil von höchstens 8.000 Einträgen einer) allein über die fertige Seite; seit
  Issue 19 liest der Build statt der fertigen Seiten nur ihren Inhalt (`search.SOURCES`),
  etwa ein Drittel schneller als diese Spalte. Der Build nutzt alle Kerne: Einträge prüfen
  und Seiten schreiben in geteilten Prozessen, die Exporte in einem zweiten.
  *The full build including the search index; the Pagefind column is the same runs (one
  per language and part) alone over the built site; since issue 19 the build reads only
  the pages' content, about a third faster than this column. The build uses every core.*
- **Spitzenspeicher / peak RSS**: größter Arbeitsspeicher eines Prozesses des Builds
  (MkDocs oder Pagefind), aus `os.wait4`; „davon Pagefind“ ist der größte Pagefind-Lauf.
  *Largest resident set of any process in the build (MkDocs or Pagefind), from
  `os.wait4`; the Pagefind column is Pagefind alone.*
- **Website / site**: Summe der Dateigrößen unter `site/`. Unser Build hat außer den
  Eintragsseiten auch Seiten je Kategorie, Gemeinde und Thema, Schema, Feldreferenz und
  Suchindex; die Baseline nur die Eintragsseiten. *Our site also has a page per category,
  municipality and topic plus the search index; the baseline has only the entry pages.*
- **Kartendaten / map data**: die eine GeoJSON-Datei aller Orte (`site/daten/orte.geojson`),
  in Klammern mit gzip gepackt, „–“ wenn es sie nicht gibt. *The one GeoJSON file the map
  page loads; in brackets gzip-compressed; "–" if absent.*
- **erste Suche / first query**: was Pagefind bei der ersten Suche („Beratung“ auf
  `suche/`) in Chromium lädt, gzip-gepackt gezählt (wie ein Server mit Kompression es
  sendet); „–“ ohne Playwright. *Pagefind bytes of a first German query in headless
  Chromium, counted gzip-compressed.*
- **Export (`daten/`)**: alle Dateien der offenen Daten erzeugen (`scripts/bench_exports.py`,
  Median); im Build macht das ein zweiter Prozess neben dem Rest. *Making every open-data
  file; in the build a second process does it beside the rest.*
- **größte HTML-Seite / largest HTML page**: die größte HTML-Datei unter `site/`, ungepackt.
  *The largest HTML file of the site, uncompressed.*
"""


def docs_page(rows: list[Row], info: dict[str, str]) -> str:
    commands = sorted({f"{r.command}   # {r.commit or '?'}, {r.date}" for r in rows})
    machine_lines = "\n".join(f"| {k} | {v} |" for k, v in info.items())
    data = json.dumps([asdict(r) for r in sorted(rows, key=Row.key.fget)], ensure_ascii=False)
    return "\n".join(
        [
            DOCS_INTRO,
            "## Ergebnisse / Results",
            "",
            tables(rows),
            "",
            "Befehle / commands (Commit, Datum / date):",
            "",
            *[f"    {c}" for c in commands],
            "",
            "## Rechner / Machine",
            "",
            "| | |\n| --- | --- |",
            machine_lines,
            "",
            DOCS_NOTES,
            f"{DATA_MARK} (für / for scripts/bench.py)\n{data}\n-->",
            "",
        ]
    )


def earlier_rows(path: Path) -> list[Row]:
    """Rows kept in the docs page from earlier runs."""
    if not path.exists():
        return []
    text = path.read_text("utf-8")
    match = re.search(re.escape(DATA_MARK) + r"[^\n]*\n(.*?)\n-->", text, re.DOTALL)
    if not match:
        return []
    try:
        # rows written before the baseline had its search plugin carry no "baseline" key
        return [Row(**{"baseline": "plain", **item}) for item in json.loads(match.group(1))]
    except (ValueError, TypeError):
        return []


def sections_below(path: Path) -> str:
    """What stands below the data (other scripts' sections, e.g. bench_report.py's): kept."""
    text = path.read_text("utf-8") if path.exists() else ""
    match = re.search(re.escape(DATA_MARK) + r"[^\n]*\n.*?\n-->\n", text, re.DOTALL)
    return text[match.end() :] if match else ""


def _head(rev: str = "HEAD") -> str:
    command = ["git", "-C", str(REPO), "rev-parse", "--short", rev]
    return subprocess.run(command, capture_output=True, text=True).stdout.strip()


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Wegweiser-Benchmark / benchmark (issue 8)")
    parser.add_argument("--sizes", default="500,5000,20000", help="z. B. / e.g. 500,5000")
    parser.add_argument("--runs", type=int, default=3, help="Läufe je Größe / runs per size")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--languages",
        help="Sprachen der Oberfläche, z. B. de oder de,en,ar (Standard: wie mkdocs.yml)",
    )
    parser.add_argument("--workdir", type=Path, help="Arbeitsordner (bleibt) / kept work dir")
    parser.add_argument(
        "--rev", default="HEAD", help="dieser Stand statt HEAD / measure this commit instead"
    )
    parser.add_argument("--write-docs", action="store_true", help="scripts/benchmark.md schreiben")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="Build-Cache: kalt gegen warm mit einem geänderten Eintrag / cold vs warm cache",
    )
    parser.add_argument(
        "--working-tree",
        action="store_true",
        help="die Dateien, wie sie jetzt sind / measure uncommitted files (default: HEAD)",
    )
    args = parser.parse_args(argv)
    global LANGUAGES
    LANGUAGES = [code.strip() for code in args.languages.split(",")] if args.languages else None
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    command = shlex.join(["python", "scripts/bench.py", *(sys.argv[1:] if argv is None else argv)])
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="wegweiser-bench-"))).resolve()
    if work.is_relative_to(REPO):
        parser.error("--workdir must be outside the repository / außerhalb des Repositorys")
    info = machine()
    try:
        if args.working_tree:
            source, commit = REPO, _head() + "+working-tree"
        else:
            source, commit = snapshot(work, args.rev)
        use_source(source)
        info["Commit"] = commit
        if args.warm:
            warm = [measure_warm(n, args.runs, args.seed, work) for n in sizes]
            print(warm_table(warm))
            print(f"\n    {command}   # {commit}, {dt.date.today().isoformat()}")
            return 0
        rows = [measure(n, args.runs, args.seed, work, command, commit) for n in sizes]
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print(tables(rows))
    if args.write_docs:
        measured = {r.key for r in rows}
        kept = [r for r in earlier_rows(DOCS_PAGE) if r.key not in measured]
        below = sections_below(DOCS_PAGE)
        DOCS_PAGE.write_text(docs_page(kept + rows, info) + below, "utf-8")
        say(f"written: {DOCS_PAGE.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
