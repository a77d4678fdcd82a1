"""Helpers for browser tests: the built site on 127.0.0.1 and Debian's Chromium via Playwright."""

from __future__ import annotations

import functools
import os
import shutil
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from helpers import serving

# Injected before any page script: records errors and dialogs, so a payload that runs shows.
CANARY = """
window.__errors = [];
window.addEventListener('error', e => window.__errors.push(String(e.message)));
window.alert = window.confirm = window.prompt = () => { window.__errors.push('dialog'); };
"""


def assert_nothing_ran(page) -> None:
    """No payload set the canary attribute, raised an error or opened a dialog."""
    assert page.evaluate("document.body.dataset.pwned") is None
    assert page.evaluate("window.__errors") == []


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("WEGWEISER_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium fehlt: apt-get install chromium (scripts/test.py does this as root)")
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    below = "/"  # the path the site is published at, as on a GitHub Pages project site

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(self.below):
            return str(Path(self.directory) / "nonexistent-outside-the-published-path")
        return super().translate_path("/" + path[len(self.below) :])


@contextmanager
def serve(directory: Path, below: str = "/"):
    """The built site on a free port of 127.0.0.1, for as long as the block runs; with
    ``below`` ("/wegweiser/") only at that path, and 404 everywhere else."""
    handler_class = type("Handler", (_QuietHandler,), {"below": below})
    handler = functools.partial(handler_class, directory=str(directory))
    with serving(ThreadingHTTPServer(("127.0.0.1", 0), handler)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}{below}"


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
