"""Faults: a build killed at any moment, and a geocoder failing in every way, lose nothing.

Committed files live under ``entries/`` (the entries, the lists, ``_geocache.json``). A
build only ever replaces the cache atomically, so whatever kills it, each committed file
is either untouched or (the cache only) completely the new version, and the next build
succeeds.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import copy_fixture_site, mkdocs_build
from nominatim import fake_nominatim
from wegweiser import geo

pytestmark = pytest.mark.slow  # every test builds a site, many kill the build


CACHE = Path("entries") / geo.CACHE_NAME
KNOWN = "beispielweg 1|26831|bunde|de"  # the fixture's Bunde address, already in the cache


def snapshot(root: Path) -> dict[str, bytes]:
    """Every committed file under entries/, by path: what a killed build must not change."""
    entries = root / "entries"
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in entries.rglob("*") if p.is_file()
    }


def with_cache(site: Path) -> Path:
    """The fixture site with a committed cache holding one address."""
    cache = geo.GeoCache(site / CACHE)
    cache.store(KNOWN, geo.CachedPlace(53.1834, 7.2668, "house", "26831", "Bunde"))
    cache.save()
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8") + "    geocoding: {timeout: 1, min_delay: 0}\n", "utf-8"
    )
    return site


def start_build(site: Path, out: Path, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site / "mkdocs.yml")]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    # Its own process group: SIGKILL reaches the build and Pagefind, which it starts.
    return subprocess.Popen(
        [*command, "-d", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def timed_build(site: Path, out: Path, env: dict) -> float:
    started = time.monotonic()
    assert start_build(site, out, env).wait(timeout=300) == 0
    return time.monotonic() - started


def kill_after(site: Path, out: Path, env: dict, seconds: float) -> None:
    build = start_build(site, out, env)
    time.sleep(seconds)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait(timeout=60)


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_build_killed_at_any_point_leaves_committed_files_intact(tmp_path, share):
    site = with_cache(copy_fixture_site(tmp_path / "site"))
    offline = {"WEGWEISER_OFFLINE": "1"}
    normal = timed_build(site, tmp_path / "first", offline)
    before = snapshot(site)
    kill_after(site, tmp_path / "out", offline, normal * share)
    assert snapshot(site) == before
    again = mkdocs_build(site, tmp_path / "out")  # into the half-written output folder
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "out" / "orte" / "familienstuetzpunkt-bunde" / "index.html").is_file()
    assert snapshot(site) == before


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_build_killed_while_geocoding_keeps_an_old_or_a_whole_new_cache(tmp_path, share):
    """With a geocoder, the build writes the cache: killed, it is the old file or the new one."""
    site = with_cache(copy_fixture_site(tmp_path / "site"))
    before = snapshot(site)
    with fake_nominatim() as server:
        env = {"WEGWEISER_OFFLINE": "0", "WEGWEISER_GEOCODER_URL": server.url}
        normal = timed_build(with_cache(copy_fixture_site(tmp_path / "probe")), tmp_path / "p", env)
        kill_after(site, tmp_path / "out", env, normal * share)
        after = {k: v for k, v in snapshot(site).items() if not k.endswith(".tmp")}
        cache = after.pop(CACHE.as_posix())
        assert after == {k: v for k, v in before.items() if k != CACHE.as_posix()}
        if cache != before[CACHE.as_posix()]:  # then the whole new file, never a part
            places = json.loads(cache)["places"]
            assert KNOWN in places and "bergmannstrasse 37|26789|leer|de" in places
        leftovers = {Path(k).name for k in set(snapshot(site)) - set(before)}
        assert all(name.startswith(".") and name.endswith(".tmp") for name in leftovers)
        again = mkdocs_build(site, tmp_path / "out", env=env)
    assert again.returncode == 0, again.stderr


# -- the geocoder failing in every way --------------------------------------------------------


@pytest.mark.parametrize(
    ("street", "reason"),
    [
        ("Fehler 1", "Dienst meldet einen Fehler"),
        ("Haenger 1", "Dienst antwortet nicht rechtzeitig"),
        ("Kaputt 1", "Dienst gibt eine unlesbare Antwort"),
        ("Bremse 1", "Dienst meldet zu viele Anfragen (429)"),
        ("Unsinn 1", "Dienst gibt eine unlesbare Antwort"),
    ],
)
def test_failing_geocoder_never_fails_the_build_or_loses_the_cache(tmp_path, street, reason):
    site = with_cache(copy_fixture_site(tmp_path / "site"))
    leer = site / "entries" / "leer" / "koordinierungsstelle-migration-und-teilhabe.yml"
    leer.write_text(leer.read_text("utf-8").replace("Bergmannstraße 37", street), "utf-8")
    before = snapshot(site)
    with fake_nominatim() as server:
        server.hang_seconds = 2.0
        env = {"WEGWEISER_OFFLINE": "0", "WEGWEISER_GEOCODER_URL": server.url}
        result = mkdocs_build(site, tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr
    assert f"konnte nicht nachgeschlagen werden ({reason})" in result.stderr
    assert snapshot(site) == before  # an outage learns nothing and overwrites nothing
    assert "Traceback" not in result.stderr


def test_unreachable_geocoder_never_fails_the_build(tmp_path):
    site = with_cache(copy_fixture_site(tmp_path / "site"))
    before = snapshot(site)
    with fake_nominatim() as server:
        closed = server.url  # the port is closed once the block ends
    env = {"WEGWEISER_OFFLINE": "0", "WEGWEISER_GEOCODER_URL": closed}
    result = mkdocs_build(site, tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr
    # geopy reports a refused connection as a service error, not as "unavailable"
    assert "konnte nicht nachgeschlagen werden (Dienst meldet einen Fehler)" in result.stderr
    assert snapshot(site) == before


def test_hostile_geocoder_answer_stays_data(tmp_path):
    """A geocoder that answers with HTML, line breaks and CI commands: quoted, never raw."""
    site = with_cache(copy_fixture_site(tmp_path / "site"))
    leer = site / "entries" / "leer" / "koordinierungsstelle-migration-und-teilhabe.yml"
    leer.write_text(leer.read_text("utf-8").replace("Bergmannstraße 37", "Boese 1"), "utf-8")
    with fake_nominatim() as server:
        env = {"WEGWEISER_OFFLINE": "0", "WEGWEISER_GEOCODER_URL": server.url}
        result = mkdocs_build(site, tmp_path / "out", env=env)
    assert result.returncode == 0, result.stderr
    logs = result.stdout + result.stderr
    assert not [line for line in logs.splitlines() if line.lstrip().startswith("::")]
    # the warning quotes the answer on one line, its line breaks named
    assert '"<script>alert(1)</script><U+000A>::error file=x::geocoder' in logs
    cached = json.loads((site / CACHE).read_text("utf-8"))["places"]
    assert KNOWN in cached and any("<script>" in p.get("display", "") for p in cached.values())
    page = tmp_path / "out" / "orte" / "koordinierungsstelle-migration-und-teilhabe" / "index.html"
    assert "<script>alert(1)" not in page.read_text("utf-8")


def test_geocache_symlink_is_neither_read_nor_replaced(tmp_path):
    """A pull request may turn entries/_geocache.json into a link to any file of the runner."""
    site = copy_fixture_site(tmp_path / "site")
    outside = tmp_path / "outside.json"
    outside.write_text('{"format": 1, "places": {}}\n', "utf-8")
    (site / CACHE).symlink_to(outside)
    with fake_nominatim() as server:
        env = {"WEGWEISER_OFFLINE": "0", "WEGWEISER_GEOCODER_URL": server.url}
        result = mkdocs_build(site, tmp_path / "out", env=env)
        asked = len(server.requests)
    assert result.returncode == 0, result.stderr
    assert 'Der Speicher der Koordinaten ist nicht lesbar ("symlink")' in result.stderr
    assert asked == 0 and (site / CACHE).is_symlink()
    assert outside.read_text("utf-8") == '{"format": 1, "places": {}}\n'
