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


def test_preview_follows_entry_changes(site_copy):
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
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_OFFLINE": "1"}
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        url = f"http://127.0.0.1:{port}/orte/familienstuetzpunkt-bunde/"
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
