#!/usr/bin/env python3
"""How fast a volunteer's preview follows a saved entry (`mkdocs serve`).

    .venv/bin/python scripts/bench_serve.py -n 500 --runs 5

Generates N synthetic entries (scripts/synth.py), starts `mkdocs serve` on 127.0.0.1,
then saves one entry with a new summary several times and measures, each time, the
seconds from the save until the entry's page shows the new text. Prints the median, and
from the server's log how each save was shown: by the quick preview (livepreview.py,
"Vorschau: N Seite(n) neu in … s") or by a whole build.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import synth  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def page(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 300) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        if text in page(url):
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(url)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--all-languages", action="store_true", help="preview every language")
    args = parser.parse_args(argv)
    project = Path(tempfile.mkdtemp(prefix="wegweiser-serve-")) / "project"
    synth.generate(project, args.n)
    entry = sorted((project / "entries").glob("*/*.yml"))[args.n // 2]
    port = free_port()
    env = {**os.environ, "WEGWEISER_OFFLINE": "1", "NO_MKDOCS_2_WARNING": "1"}
    if args.all_languages:
        env["WEGWEISER_PREVIEW_LANGUAGES"] = "all"
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(project / "mkdocs.yml")]
    command += ["--dev-addr", f"127.0.0.1:{port}"]
    log_path = project.parent / "serve.log"
    with log_path.open("w", encoding="utf-8") as log:
        server = subprocess.Popen(command, stdout=log, stderr=log, env=env)
    url = f"http://127.0.0.1:{port}/orte/{entry.stem}/"
    times = []
    try:
        first = wait_for(url, "<h1")
        print(f"first build and serve: {first:.1f} s")
        original = entry.read_text("utf-8")
        for run in range(args.runs):
            marker = f"Geänderte Kurzbeschreibung Nummer {run} für die Vorschau."
            text = re.sub(r"^summary: .*$", f"summary: {marker}", original, count=1, flags=re.M)
            entry.write_text(text, "utf-8")
            times.append(wait_for(url, marker))
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    shown = [line for line in log_path.read_text("utf-8").splitlines() if "Vorschau" in line]
    whole = log_path.read_text("utf-8").count("Building documentation") - 1
    print("\n".join(shown) or "no quick preview")
    print(f"whole builds after the first: {whole} (log: {log_path})")
    languages = "all languages" if args.all_languages else "default language"
    print(f"{args.n} entries, preview of the {languages}: save → updated page, runs {times}")
    print(f"median {statistics.median(times):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
