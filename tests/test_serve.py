"""`mkdocs serve` rebuilds the preview when a volunteer saves an entry."""

import os
import socket
import subprocess
import sys
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.3)
    return False


def serve(site_copy, env: dict | None = None):
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-f",
        str(site_copy / "mkdocs.yml"),
        "--dev-addr",
        f"127.0.0.1:{port}",
    ]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_OFFLINE": "1", **(env or {})}
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    return server, f"http://127.0.0.1:{port}/"


def test_preview_follows_entry_changes(site_copy):
    server, base = serve(site_copy)
    try:
        url = base + "orte/familienstuetzpunkt-bunde/"
        assert wait_for(url, "Familienstützpunkt Bunde")
        entry = site_copy / "entries" / "leer" / "familienstuetzpunkt-bunde.yml"
        entry.write_text(
            entry.read_text("utf-8").replace(
                "Beratung und Treffpunkt für Familien in Bunde.",
                "Neu am Dienstag – offene Sprechstunde für Familien.",
            ),
            "utf-8",
        )
        assert wait_for(url, "Neu am Dienstag – offene Sprechstunde")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_preview_builds_the_default_language_unless_asked_for_all(site_copy):
    server, base = serve(site_copy)
    try:
        assert wait_for(base, "Wegweiser")
        assert fetch(base + "en/") == ""  # not built: a preview stays fast
        assert fetch(base + "pagefind/pagefind.js") == ""  # nor the search index
    finally:
        server.terminate()
        server.wait(timeout=30)
    server, base = serve(site_copy, {"WEGWEISER_PREVIEW_LANGUAGES": "all"})
    try:
        assert wait_for(base + "en/orte/familienstuetzpunkt-bunde/", "Familienstützpunkt Bunde")
    finally:
        server.terminate()
        server.wait(timeout=30)
