"""What tests share: paths, a private copy of the fixture site, building it with MkDocs,
and the `wegweiser` command as a subprocess. Fixtures live in conftest.py."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
FIXTURE_SITE = FIXTURES / "site"


def copy_fixture_site(target: Path) -> Path:
    """A writable copy of the fixture site whose mkdocs.yml points at this repository."""
    shutil.copytree(FIXTURE_SITE, target)
    config = target / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("../../../", f"{REPO.as_posix()}/"), "utf-8"
    )
    return target


def mkdocs_build(
    site_dir: Path,
    out: Path,
    strict: bool = True,
    env: dict | None = None,
    extra_args: list[str] | None = None,
) -> subprocess.CompletedProcess:
    command = (
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-f",
            str(site_dir / "mkdocs.yml"),
            "-d",
            str(out),
        ]
        + (["--strict"] if strict else [])
        + (extra_args or [])
    )
    # Builds in tests never reach the network; a test that wants a geocoder passes its URL.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_OFFLINE": "1", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def build_with(base: Path, page_size: int, entries: dict[str, str]) -> Path:
    """The fixture site with more ``entries`` (path below entries/ -> YAML) and a smaller
    ``page_size``, built with `mkdocs build --strict` into ``base``/out."""
    site = copy_fixture_site(base / "src")
    for name, text in entries.items():
        (site / "entries" / name).write_text(text, "utf-8")
    config = site / "mkdocs.yml"
    wegweiser = "  wegweiser:\n"
    config.write_text(
        config.read_text("utf-8").replace(wegweiser, f"{wegweiser}    page_size: {page_size}\n")
    )
    result = mkdocs_build(site, base / "out")
    assert result.returncode == 0, result.stderr
    return base / "out"


def assert_paged_in_sitemap(site: Path, path: str) -> str:
    """Pages 1–3 of the list at ``path`` are in the sitemap in de, en and ar; the sitemap."""
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for prefix in ("", "en/", "ar/"):
        for page in ("", "2/", "3/"):
            assert f"<loc>https://wegweiser.test/{prefix}{path}{page}</loc>" in sitemap
    return sitemap


def wegweiser(*args: str, stdin: str | bytes | None = None, env: dict | None = None):
    """The `wegweiser` command as a subprocess, the way volunteers and CI call it."""
    return subprocess.run(
        [sys.executable, "-m", "wegweiser.cli", *[str(a) for a in args]],
        input=stdin,
        capture_output=True,
        text=not isinstance(stdin, bytes),
        timeout=120,
        env={**os.environ, **(env or {})},
    )
