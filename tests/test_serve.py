"""`mkdocs serve` rebuilds the preview when a volunteer saves an entry."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest


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


@pytest.mark.parametrize("cache", ["", "off"])
def test_a_saved_entry_is_shown_without_a_whole_build(site_copy, tmp_path, cache):
    """The quick preview (livepreview.py), with the build cache and without: the entry's
    page, its list and the page of the network it belongs to follow the save; a saved list
    is a whole build again."""
    log = tmp_path / "serve.log"
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-f", str(site_copy / "mkdocs.yml")]
    command += ["--dev-addr", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_OFFLINE": "1"}
    env["WEGWEISER_CACHE_DIR"] = cache
    base = f"http://127.0.0.1:{port}/"
    with log.open("w") as out:
        server = subprocess.Popen(command, stdout=out, stderr=out, env=env)
    try:
        assert wait_for(base + "orte/familienstuetzpunkt-bunde/", "Familienstützpunkt Bunde")
        entry = site_copy / "entries" / "leer" / "familienstuetzpunkt-bunde.yml"
        text = entry.read_text("utf-8")
        entry.write_text(text.replace("Familienstützpunkt Bunde", "Familienzentrum Bunde"), "utf-8")
        for page in (
            "orte/familienstuetzpunkt-bunde/",
            "kategorien/familienstuetzpunkt/",
            "orte/koordinierungsstelle-migration-und-teilhabe/",
        ):
            assert wait_for(base + page, "Familienzentrum Bunde"), page
        assert "Vorschau: " in log.read_text("utf-8")
        assert "alles neu" not in log.read_text("utf-8")
        categories = site_copy / "entries" / "_lists" / "categories.yml"
        categories.write_text(
            categories.read_text("utf-8").replace("name: Familienstützpunkt", "name: Familienbüro"),
            "utf-8",
        )
        assert wait_for(base + "kategorien/familienstuetzpunkt/", "Familienbüro")
        assert "Building documentation" in log.read_text("utf-8").split("Vorschau: ")[-1]
    finally:
        server.terminate()
        server.wait(timeout=30)
