#!/usr/bin/env python3
"""What a visitor downloads and waits for, at scale: map, search, a first visit.

    .venv/bin/python -m pip install -e ".[bench]"   # folium, for the baseline only
    .venv/bin/python scripts/bench_visitor.py -n 5000 --runs 5

Builds a synthetic project (scripts/synth.py) without network, then in one run measures

- the map data (``daten/orte.geojson``) raw and gzip,
- the overview map page's weight: HTML + map data + map scripts and styles, gzip,
- in headless Chromium: the time from opening ``karte/`` until the clustered markers are
  on screen (consent already given in the session, tiles answered locally with 404),

and, as the baseline in the same run, the same points drawn the folium way: one folium
page with a MarkerCluster of ``Marker``s with popups (Leaflet served locally too, since
folium's CDNs are not reachable here). Medians of ``--runs``; ratios ours / folium.

It also measures, in Chromium, the bytes (gzip) a first visit to an entry page transfers
and the Pagefind bytes a first search query transfers, in German and in Arabic (all of a
language's bundles: a large directory's index comes in parts). ``--search-only`` measures
just these search bytes; ``--languages de,ar`` builds fewer interface languages.

``--slow-phone`` measures what a visitor on a slow prepaid connection waits for (issue 19),
in Chromium with the network emulated (400 kbit/s down, 400 ms round trip), the CPU slowed
4× and a cold cache each run, the site served gzip-compressed as GitHub Pages sends it:
the start page to the first search result for a typed word, and an entry page until its
open state ("Jetzt geöffnet …") stands on the page. Medians of ``--runs``, with the bytes
(gzip) that crossed the wire.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # browser helpers: Debian's Chromium on loopback
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402
from browser import _QuietHandler, browser, serve  # noqa: E402
from helpers import serving  # noqa: E402
from wegweiser.site import vendor  # noqa: E402

MARKERS = ".marker-cluster, .ww-pin-icon, .leaflet-marker-icon"
# folium's popups need jQuery; fetched like Leaflet (pinned, checked), for the baseline only.
JQUERY = vendor.Package(
    "jquery",
    "3.7.1",
    "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
    {"package/dist/jquery.min.js": "jquery.min.js"},
)


# a language's Pagefind bundles: pagefind/, pagefind-2/, … (search.Part.bundle)
PAGEFIND = re.compile(r"/pagefind(-\d+)?/")


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def build(project: Path, site: Path) -> float:
    env = {**os.environ, "WEGWEISER_OFFLINE": "1", "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")]
    subprocess.run([*command, "-d", str(site)], check=True, env=env)
    return time.perf_counter() - start


def need_folium() -> None:
    """Stop before the long build if the baseline cannot be drawn: folium is not installed."""
    if importlib.util.find_spec("folium") is None:
        sys.exit(
            "folium fehlt, es ist nur für den Vergleich da / folium is missing, it draws only "
            "the baseline:\n"
            '    .venv/bin/python -m pip install -e ".[bench]"\n'
            "(--search-only geht ohne folium / works without folium)"
        )


def folium_baseline(site: Path) -> Path:
    """The folium way: every marker and popup written into the page as script."""
    import folium
    from folium.plugins import MarkerCluster

    data = json.loads((site / "daten" / "orte.geojson").read_text("utf-8"))
    local = "/assets/vendor/"
    jquery = vendor.installed(JQUERY) or vendor.fetch(JQUERY)
    (site / "assets" / "vendor" / "jquery.min.js").write_bytes(
        (jquery / "jquery.min.js").read_bytes()
    )
    folium.Map.default_js = [
        ("leaflet", local + "leaflet/leaflet.js"),
        ("jquery", local + "jquery.min.js"),
    ]
    folium.Map.default_css = [("leaflet_css", local + "leaflet/leaflet.css")]
    MarkerCluster.default_js = [
        ("markercluster", local + "leaflet.markercluster/leaflet.markercluster.js")
    ]
    MarkerCluster.default_css = [
        ("mc", local + "leaflet.markercluster/MarkerCluster.css"),
        ("mcd", local + "leaflet.markercluster/MarkerCluster.Default.css"),
    ]
    # the same tile server as ours; the browser answers both with 404 (no network here)
    tiles = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    fmap = folium.Map(location=[52.5, 8.5], zoom_start=7, tiles=tiles, attr="OSM", max_zoom=19)
    cluster = MarkerCluster().add_to(fmap)
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        name = feature["properties"]["name"]
        folium.Marker([lat, lon], popup=folium.Popup(name, parse_html=True), tooltip=name).add_to(
            cluster
        )
    path = site / "folium-baseline.html"
    fmap.save(str(path))
    return path


def time_to_markers(url: str, runs: int, consent: bool) -> list[float]:
    times = []
    with browser() as chromium:
        for _ in range(runs):
            context = chromium.new_context(viewport={"width": 1300, "height": 900})
            if consent:
                context.add_init_script("sessionStorage.setItem('wegweiser-map-consent', 'yes')")
            context.route("https://**/*", lambda route: route.fulfill(status=404, body=""))
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url, wait_until="commit")
            page.wait_for_selector(MARKERS, timeout=120_000)
            times.append(time.perf_counter() - start)
            context.close()
    return times


def transferred(url: str, action) -> tuple[int, dict[str, int]]:
    """Bytes (gzip, as a server would send them) of every response during ``action(tab)``."""
    sizes: dict[str, int] = {}
    with browser() as chromium:
        context = chromium.new_context()
        context.route("https://**/*", lambda route: route.fulfill(status=404, body=""))
        tab = context.new_page()
        tab.on("response", lambda r: sizes.__setitem__(r.url, gz(r.body())) if r.ok else None)
        action(tab, url)
        context.close()
    return sum(sizes.values()), sizes


def first_visit(tab, url):
    tab.goto(url)
    tab.wait_for_load_state("networkidle")


def first_query(word):
    def run(tab, url):
        tab.goto(url + word)
        tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=60_000)
        tab.wait_for_load_state("networkidle")

    return run


# -- a slow phone --------------------------------------------------------------------------

SLOW_NETWORK = {  # Chrome DevTools' protocol: bytes per second, milliseconds
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400_000 / 8,
    "uploadThroughput": 400_000 / 8,
}
CPU_SLOWDOWN = 4
COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg")


class _GzipHandler(_QuietHandler):
    """The site as GitHub Pages sends it: text compressed with gzip when the browser asks."""

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        kind = self.guess_type(str(path))
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and wants and kind.startswith(COMPRESSED)):
            return super().do_GET()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve_gzip(directory: Path):
    handler = functools.partial(_GzipHandler, directory=str(directory))
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/"


def slow_visit(chromium, url: str, action) -> tuple[float, int]:
    """Seconds from opening ``url`` until ``action(tab)`` returns, on a slow phone with a
    cold cache, and the bytes that crossed the wire (as encoded, so gzip where sent so)."""
    context = chromium.new_context()
    context.route("https://**/*", lambda route: route.fulfill(status=404, body=""))
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    wire = []
    cdp.on("Network.loadingFinished", lambda event: wire.append(event["encodedDataLength"]))
    start = time.perf_counter()
    tab.goto(url, wait_until="commit")
    action(tab)
    seconds = time.perf_counter() - start
    context.close()
    return seconds, int(sum(wire))


def typed_search(word: str):
    def run(tab):
        field = tab.locator("#ww-q")
        field.fill(word, timeout=120_000)
        field.press("Enter")
        tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=120_000)

    return run


def open_state(tab):
    tab.locator(".ww-open[data-state]").first.wait_for(timeout=120_000)


def slow_phone(n: int, site: Path, runs: int) -> int:
    """Start page to a first search result, and an entry page to its open state."""
    entry = next(
        path.parent.name
        for path in sorted((site / "orte").glob("*/index.html"))
        if b'class="ww-open' in path.read_bytes()
    )
    cases = [
        ("start page → first result for 'Beratung'", "", typed_search("Beratung")),
        ("entry page → open state shown", f"orte/{entry}/", open_state),
    ]
    print(f"| {n} entries, slow phone, median of {runs} | seconds | bytes on the wire |")
    print("| --- | ---: | ---: |")
    with serve_gzip(site) as url, browser() as chromium:
        for label, path, action in cases:
            done = [slow_visit(chromium, url + path, action) for _ in range(runs)]
            seconds = statistics.median(s for s, _ in done)
            wire = statistics.median(b for _, b in done)
            print(f"| {label} | {seconds:.2f} s | {wire / 1024:.0f} KB |")
    return 0


def page_weight(site: Path) -> dict[str, int]:
    html = (site / "karte" / "index.html").read_bytes()
    data = (site / "daten" / "orte.geojson").read_bytes()
    assets = [site / "assets" / "wegweiser" / "wegweiser-map.js"]
    assets += [
        site / uri
        for uri in vendor.site_files(vendor.ensure(offline=True))
        if uri.endswith((".js", ".css"))
    ]
    scripts = sum(gz(p.read_bytes()) for p in assets)
    return {
        "html": len(html),
        "html_gz": gz(html),
        "data": len(data),
        "data_gz": gz(data),
        "scripts_gz": scripts,
        "total_gz": gz(html) + gz(data) + scripts,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--languages", help="interface languages, e.g. de,ar (default: all)")
    parser.add_argument("--search-only", action="store_true", help="only the search bytes")
    parser.add_argument("--slow-phone", action="store_true", help="only the slow phone")
    args = parser.parse_args(argv)
    if not (args.search_only or args.slow_phone):
        need_folium()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="wegweiser-map-bench-"))
    project, site = work / "project", work / "site"
    if not (project / "mkdocs.yml").exists():
        languages = args.languages.split(",") if args.languages else None
        synth.write(synth.make(args.n), project, languages)
    build_s = build(project, site)
    if args.slow_phone:
        return slow_phone(args.n, site, args.runs)
    if args.search_only:
        return search_only(args.n, site, build_s)
    weight = page_weight(site)
    folium_page = folium_baseline(site)
    folium_bytes = folium_page.read_bytes()
    entry = sorted(p.name for p in (site / "orte").iterdir())[
        len(list((site / "orte").iterdir())) // 2
    ]
    with serve(site) as url:
        ours = time_to_markers(url + "karte/", args.runs, consent=True)
        theirs = time_to_markers(url + folium_page.name, args.runs, consent=False)
        visit, visit_files = transferred(url + f"orte/{entry}/", first_visit)
        search_de, de_files = transferred(url + "suche/?q=", first_query("Beratung"))
        search_ar, ar_files = transferred(url + "ar/suche/?q=", first_query("الأسرة"))
    ours_s, theirs_s = statistics.median(ours), statistics.median(theirs)
    kb = 1024
    print(f"| {args.n} entries | Wegweiser | folium baseline | ratio |")
    print("| --- | --- | --- | --- |")
    print(
        f"| map data (GeoJSON) | {weight['data'] / kb:.0f} KB, "
        f"gzip {weight['data_gz'] / kb:.0f} KB | – | – |"
    )
    print(
        f"| map page HTML | {weight['html'] / kb:.0f} KB, gzip {weight['html_gz'] / kb:.0f} KB "
        f"| {len(folium_bytes) / kb:.0f} KB, gzip {gz(folium_bytes) / kb:.0f} KB | "
        f"{(weight['html'] + weight['data']) / len(folium_bytes):.2f} (HTML+data) |"
    )
    print(
        f"| page weight, gzip (HTML + data + map scripts) | {weight['total_gz'] / kb:.0f} KB "
        f"| {(gz(folium_bytes) + weight['scripts_gz']) / kb:.0f} KB | "
        f"{weight['total_gz'] / (gz(folium_bytes) + weight['scripts_gz']):.2f} |"
    )
    print(
        f"| time to clustered markers, median of {args.runs} | {ours_s:.2f} s | {theirs_s:.2f} s "
        f"| {ours_s / theirs_s:.2f} |"
    )
    pagefind_de = sum(v for k, v in de_files.items() if PAGEFIND.search(k))
    pagefind_ar = sum(v for k, v in ar_files.items() if PAGEFIND.search(k))
    print(f"| first visit to an entry page (all files, gzip) | {visit / kb:.0f} KB | – | – |")
    biggest = sorted(visit_files.items(), key=lambda kv: -kv[1])[:3]
    largest = ", ".join(f"{k.rsplit('/', 1)[-1] or k}: {v / kb:.0f} KB" for k, v in biggest)
    print(f"|   of which the largest | {largest} | | |")
    print(
        f"| first search query, Pagefind files (gzip), de / ar | {pagefind_de / kb:.0f} KB"
        f" / {pagefind_ar / kb:.0f} KB | – | – |"
    )
    print(
        f"| search page in all, first query, de / ar | {search_de / kb:.0f} KB"
        f" / {search_ar / kb:.0f} KB | – | – |"
    )
    print(f"\nbuild of the synthetic site: {build_s:.1f} s; runs ours {ours}, folium {theirs}")
    return 0


def search_only(n: int, site: Path, build_s: float) -> int:
    """The Pagefind bytes (gzip) of a first query, by file, in German and in Arabic."""
    kb = 1024
    with serve(site) as url:
        for path, word in (("suche/?q=", "Beratung"), ("ar/suche/?q=", "الأسرة")):
            _total, files = transferred(url + path, first_query(word))
            found = {k.removeprefix(url): v for k, v in files.items() if PAGEFIND.search(k)}
            print(f"{n} entries, {path}{word}: Pagefind {sum(found.values()) / kb:.1f} KB gzip")
            for name, size in sorted(found.items()):
                print(f"  {size / kb:7.1f} KB  {name}")
    print(f"build of the synthetic site: {build_s:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
