"""Entry pages written on several cores: same site, and a failed share is done again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from helpers import copy_fixture_site, site_tree
from wegweiser.core import parallel

FORK = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


def test_shares_cover_every_item_once_in_order():
    items = list(range(11))
    parts = parallel.shares(items, 3)
    assert [len(p) for p in parts] == [4, 4, 3]
    assert [x for part in parts for x in part] == items
    assert parallel.shares(items[:2], 5) == [[0], [1]]


def test_workers_setting(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "3")
    assert parallel.cores() == 3
    monkeypatch.setenv(parallel.WORKERS_ENV, "kaputt")
    assert parallel.cores() >= 1


def _record(folder: Path):
    def work(share):
        for item in share:
            (folder / f"{item}.txt").write_text(str(os.getpid()), "utf-8")

    return work


@pytest.fixture
def forking(monkeypatch):
    """Fork for tiny shares; ``forking(n)`` asks for n processes."""
    if not parallel.can_fork():
        pytest.skip("forks on Linux only, in a process without other threads")
    monkeypatch.setattr(parallel, "MIN_SHARE", 2)
    return lambda workers: monkeypatch.setenv(parallel.WORKERS_ENV, str(workers))


def test_children_write_their_shares(tmp_path, forking):
    forking(3)
    assert parallel.share_out(list(range(9)), _record(tmp_path)) == 3
    writers = {p.read_text("utf-8") for p in tmp_path.iterdir()}
    assert len(list(tmp_path.iterdir())) == 9
    assert str(os.getpid()) in writers and len(writers) == 3


def test_a_failed_child_share_is_done_by_the_parent(tmp_path, forking):
    forking(2)
    parent = os.getpid()
    record = _record(tmp_path)

    def work(share):
        if os.getpid() != parent:
            (tmp_path / "partial.txt").write_text("x", "utf-8")
            os._exit(9)  # dies like a process killed for lack of memory
        record(share)

    parallel.share_out(list(range(6)), work)
    assert {p.read_text("utf-8") for p in tmp_path.glob("[0-9].txt")} == {str(parent)}
    assert len(list(tmp_path.glob("[0-9].txt"))) == 6


def test_no_fork_while_other_threads_run(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_SHARE", 2)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    stop = threading.Event()
    server = threading.Thread(target=stop.wait)  # like `mkdocs serve`'s web server
    server.start()
    try:
        assert parallel.share_out(list(range(8)), _record(tmp_path)) == 1
    finally:
        stop.set()
        server.join()
    assert {p.read_text("utf-8") for p in tmp_path.iterdir()} == {str(os.getpid())}


BUILD = (
    "import sys; from wegweiser.core import parallel; parallel.MIN_SHARE = 2; "
    "from mkdocs.__main__ import cli; sys.argv = ['mkdocs', *sys.argv[1:]]; cli()"
)


def _build(site: Path, out: Path, workers: str) -> str:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "WEGWEISER_OFFLINE": "1",
        parallel.WORKERS_ENV: workers,
        "WEGWEISER_CACHE_DIR": "off",  # both builds make every page (tests/test_incremental.py
        # compares builds with and without the cache)
    }
    command = [sys.executable, "-c", BUILD, "build", "-v", "-f", str(site / "mkdocs.yml")]
    result = subprocess.run(
        [*command, "-d", str(out)], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


@pytest.mark.slow
@FORK
def test_site_built_on_two_cores_equals_the_one_built_on_one(tmp_path):
    site = copy_fixture_site(tmp_path / "src")
    alone = _build(site, tmp_path / "one", "1")
    shared = _build(site, tmp_path / "two", "2")
    assert "1 Prozesse / processes" in alone
    assert "2 Prozesse / processes" in shared
    one, two = site_tree(tmp_path / "one"), site_tree(tmp_path / "two")
    assert sorted(one) == sorted(two)
    differ = [name for name in one if one[name] != two[name]]
    # Pagefind lists its languages in no fixed order (a hash map): compare that one as data
    entry = "pagefind/pagefind-entry.json"
    if entry in differ:
        assert json.loads(one[entry]) == json.loads(two[entry])
        differ.remove(entry)
    assert differ == []
    assert "orte/familienstuetzpunkt-bunde/index.html" in two
    assert not any("_rahmen" in name for name in two)


def test_background_work_returns_its_result_from_the_child(tmp_path, forking):
    forking(2)
    parent = os.getpid()

    def work():
        (tmp_path / "done.txt").write_text(str(os.getpid()), "utf-8")
        return {"rows": [1, 2, 3]}

    job = parallel.Background(work)
    assert job.forked
    assert job.result() == {"rows": [1, 2, 3]}
    assert job.result() == {"rows": [1, 2, 3]}  # asked twice, done once
    assert (tmp_path / "done.txt").read_text("utf-8") != str(parent)


def test_background_work_is_done_here_when_the_child_fails(forking):
    forking(2)
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            raise MemoryError
        return "here"

    job = parallel.Background(work)
    assert job.forked and job.result() == "here"


def test_background_work_not_forked_for_little_or_on_one_core(monkeypatch):
    assert not parallel.Background(lambda: 1, worth=False).forked
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    job = parallel.Background(lambda: os.getpid())
    assert not job.forked and job.result() == os.getpid()


def test_map_shares_returns_each_shares_result_in_order(forking):
    forking(3)
    results = parallel.map_shares(list(range(10)), lambda share: [(x, os.getpid()) for x in share])
    assert [x for part in results for x, _ in part] == list(range(10))
    assert len({pid for part in results for _, pid in part}) == 3


def test_entries_checked_on_several_cores_give_the_same_result(tmp_path, forking, monkeypatch):
    from helpers import FIXTURES, REPO
    from wegweiser.core.findings import format_text
    from wegweiser.core.validate import check_directory

    shutil.copytree(REPO / "entries", tmp_path / "entries")
    for bad in sorted((FIXTURES / "invalid").glob("*.yml")):  # broken files among good ones
        shutil.copy(bad, tmp_path / "entries" / "leer" / bad.name)

    def check():
        result = check_directory(tmp_path)
        return result, [format_text(f, "de") for f in result.findings]

    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    (alone, alone_text) = check()
    forking(3)
    (shared, shared_text) = check()
    assert len(alone_text) > 30 and shared_text == alone_text
    assert list(shared.directory.entries) == list(alone.directory.entries)
    terms = shared.directory.lists["municipalities"]
    for entry in shared.directory.entries.values():
        assert entry.municipality is None or entry.municipality is terms[entry.municipality.id]
