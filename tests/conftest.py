"""Shared fixtures (the helpers they use are in helpers.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import REPO, copy_fixture_site, mkdocs_build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The repository's own sample site (all its languages), built once, strict."""
    out = tmp_path_factory.mktemp("sample") / "site"
    result = mkdocs_build(REPO, out)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    return copy_fixture_site(tmp_path / "site")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The fixture site, built once with `mkdocs build --strict`, on Monday 2 November 2026
    (the days of its opening-hours tables are then the same whenever the tests run)."""
    base = tmp_path_factory.mktemp("built")
    site = copy_fixture_site(base / "src")
    out = base / "out"
    result = mkdocs_build(site, out, env={"SOURCE_DATE_EPOCH": "1793577600"})
    assert result.returncode == 0, result.stderr
    return out


HOSTILE_FIGURE = pytest.StashKey[str]()  # set by tests/test_hostile.py


def pytest_terminal_summary(terminalreporter, config):
    """The hostile corpus's figure at the end of the run, when its test ran."""
    if figure := config.stash.get(HOSTILE_FIGURE, None):
        terminalreporter.write_line(figure)


@pytest.fixture(scope="module")
def site(built_site):
    """The built fixture site on 127.0.0.1 and a headless Chromium: (url, browser)."""
    from browser import browser, serve

    with serve(built_site) as url, browser() as chromium:
        yield url, chromium
