"""Incremental rebuilds (issue 19): the build cache gives exactly the site a build without
it gives — after nothing changed, after one entry changed, after a list, a word, a template,
a setting or the engine changed — it is ignored when broken, and never lands in the entries
or the site. Timings are the benchmark's (scripts/bench.py --warm), not the tests'."""

from __future__ import annotations

import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from helpers import copy_fixture_site, mkdocs_build, site_tree
from test_parallel import BUILD
from wegweiser.core import buildcache, parallel
from wegweiser.core.files import snapshot
from wegweiser.livepreview import saved_entries
from wegweiser.site import search
from wegweiser.site.reuse import glob_pattern, part_pages

DAY = {"SOURCE_DATE_EPOCH": "1793577600"}  # Monday 2 November 2026: the same pages every day
ENTRY = Path("entries/leer/familienstuetzpunkt-bunde.yml")


def build(project: Path, out: Path, cache: Path | str) -> str:
    """``mkdocs build --strict --verbose`` of ``project`` into ``out`` with the cache at
    ``cache`` ("off": none); returns the log."""
    env = {**DAY, buildcache.ENV: str(cache)}
    result = mkdocs_build(project, out, env=env, extra_args=["--verbose"])
    assert result.returncode == 0, result.stderr
    return result.stderr


def differences(one: Path, other: Path) -> list[str]:
    """Every file that is not the same in both sites: byte for byte, but Pagefind's filter
    chunks as it writes them, in an order of its own each run (helpers.site_tree)."""
    a, b = site_tree(one), site_tree(other)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def search_text(site: Path) -> str:
    """All that the search bundles hold of the pages (Pagefind's fragments, gzip'd JSON)."""
    texts = []
    for fragment in sorted(site.rglob("pagefind*/fragment/*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        texts.append(json.loads(data)["content"])
    return "\n".join(sorted(texts))


def cached_bodies(cache: Path) -> int:
    with sqlite3.connect(cache / buildcache.FILE) as connection:
        return connection.execute("SELECT count(*) FROM item WHERE kind = 'body'").fetchone()[0]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, path
    path.write_text(text.replace(old, new), "utf-8")


def test_a_warm_build_is_the_cold_build_after_no_change_and_after_one_changed_entry(tmp_path):
    project = copy_fixture_site(tmp_path / "project")
    cache = tmp_path / "cache"
    assert "3 neu / new" in build(project, tmp_path / "cold", cache)  # de, en, ar indexed
    assert cached_bodies(cache) > 0
    assert "3 Teile aus dem Cache / parts from the cache, 0 neu" in build(
        project, tmp_path / "warm", cache
    )
    assert not (tmp_path / "warm" / search.SOURCES).exists()  # no page written for the index
    assert differences(tmp_path / "cold", tmp_path / "warm") == []
    # the name shows on the entry's page, in its lists and on the page of the network it
    # is a member of (koordinierungsstelle-migration-und-teilhabe): all must follow
    edit(project / ENTRY, "name: Familienstützpunkt Bunde", "name: Familienzentrum Bunde")
    assert "0 Teile aus dem Cache" in build(project, tmp_path / "warm-changed", cache)
    build(project, tmp_path / "cold-changed", "off")
    assert differences(tmp_path / "cold-changed", tmp_path / "warm-changed") == []
    network = tmp_path / "warm-changed/orte/koordinierungsstelle-migration-und-teilhabe/index.html"
    assert "Familienzentrum Bunde" in network.read_text("utf-8")
    assert search_text(tmp_path / "warm-changed") == search_text(tmp_path / "cold-changed")
    assert search_text(tmp_path / "warm") == search_text(tmp_path / "cold")
    assert search_text(tmp_path / "warm") != search_text(tmp_path / "warm-changed")


CHANGES = {
    "list": ("entries/_lists/categories.yml", "name: Familienstützpunkt", "name: Familienbüro"),
    "setting": ("mkdocs.yml", "branch: test-branch", "branch: andere"),  # "Bearbeiten" links
    "the day": None,  # SOURCE_DATE_EPOCH a day later: ages and opening days move
}


@pytest.mark.slow
@pytest.mark.parametrize("change", ["list", "setting", "locale", "template", "the day"])
def test_what_shapes_the_pages_invalidates_them(tmp_path, change):
    """After each change the warm build equals a cold build of the changed project."""
    project = copy_fixture_site(tmp_path / "project")
    cache = tmp_path / "cache"
    build(project, tmp_path / "before", cache)
    env = dict(DAY)
    if change == "locale":  # a region's own word, on every entry page
        words = project / "overrides/locales/de.yml"
        words.parent.mkdir(parents=True)
        words.write_text('ui:\n  verified: "Zuletzt geprüft"\n', "utf-8")
    elif change == "template":  # a region's own template for the entry pages
        template = project / "overrides/templates/entry.html"
        template.parent.mkdir(parents=True)
        own = '{% include "wegweiser/entry.html" %}<p>Einer von {{ d.entries | length }}</p>'
        template.write_text(own, "utf-8")
    elif change == "the day":
        env["SOURCE_DATE_EPOCH"] = str(int(DAY["SOURCE_DATE_EPOCH"]) + 86400)
    else:
        edit(project / CHANGES[change][0], *CHANGES[change][1:])
    for out, where in (("warm", cache), ("cold", "off")):
        result = mkdocs_build(project, tmp_path / out, env={**env, buildcache.ENV: str(where)})
        assert result.returncode == 0, result.stderr
    assert differences(tmp_path / "cold", tmp_path / "warm") == []
    assert differences(tmp_path / "before", tmp_path / "warm") != []  # the change shows


def test_a_cache_of_another_engine_is_never_read(tmp_path):
    old = buildcache.Store(tmp_path, engine="0.1.0 and its files")
    old.put("body", "k", b"made by the old engine")
    old.finish()
    old.close()
    assert buildcache.Store(tmp_path, engine="0.1.0 and its files").get("body", "k")
    new = buildcache.Store(tmp_path, engine="0.2.0 and its files")
    assert new.get("body", "k") is None
    assert new.on


def test_the_engine_digest_covers_version_and_templates(monkeypatch):
    import wegweiser

    before = buildcache.engine_digest()
    monkeypatch.setattr(wegweiser, "__version__", "99.0.0")
    assert buildcache.engine_digest() != before


def test_values_no_recent_build_used_are_dropped(tmp_path):
    for generation in range(buildcache.KEEP_BUILDS + 1):
        store = buildcache.Store(tmp_path, engine="e")
        if generation == 0:
            store.put("body", "old", b"x")
        store.put("body", f"new{generation}", b"y")
        store.finish()
        store.close()
    store = buildcache.Store(tmp_path, engine="e")
    assert store.get("body", "old") is None
    assert store.get("body", f"new{buildcache.KEEP_BUILDS}") == b"y"


def test_a_broken_cache_is_ignored_with_a_message(tmp_path):
    project = copy_fixture_site(tmp_path / "project")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / buildcache.FILE).write_bytes(b"no database, a half-copied file" * 100)
    log = build(project, tmp_path / "with-broken", cache)
    assert "Build-Cache unlesbar, wird neu angelegt / build cache unreadable" in log
    assert "Traceback" not in log
    build(project, tmp_path / "without", "off")
    assert differences(tmp_path / "without", tmp_path / "with-broken") == []
    assert cached_bodies(cache) > 0  # started afresh


def test_the_cache_lives_beside_mkdocs_yml_never_in_the_entries_or_the_site(tmp_path):
    project = copy_fixture_site(tmp_path / "project")
    build(project, tmp_path / "site", "")
    assert (project / buildcache.FOLDER / buildcache.FILE).is_file()
    assert not list((tmp_path / "site").rglob("*.sqlite3*"))
    log = build(project, tmp_path / "site2", project / "entries" / "cache")
    assert "Build-Cache nicht in" in log
    assert not (project / "entries" / "cache").exists()
    assert buildcache.folder(project, {buildcache.ENV: "off"}) is None


def test_only_saved_entries_take_the_quick_preview(tmp_path):
    project = copy_fixture_site(tmp_path / "project")
    entries = project / "entries"
    tops = [entries, project / "mkdocs.yml"]
    before = snapshot(tops)
    edit(project / ENTRY, "Bunde.", "Bunde!")
    assert saved_entries(before, snapshot(tops), entries) == {project / ENTRY}
    edit(entries / "_lists/categories.yml", "Netzwerk", "Netz")
    assert saved_entries(before, snapshot(tops), entries) == set()  # a list: a whole build
    (entries / "leer/neu.yml").write_text("name: x\n", "utf-8")
    assert saved_entries(snapshot(tops), snapshot(tops), entries) == set()  # nothing changed


def test_search_parts_are_told_apart_as_pagefind_globs_them():
    pattern = glob_pattern("ar/orte/{fa*,ab}/index.html")
    assert pattern.match("ar/orte/fahrrad/index.html")
    assert pattern.match("ar/orte/ab/index.html")
    assert not pattern.match("ar/orte/abc/index.html")
    assert not pattern.match("ar/orte/fa/x/index.html")
    assert not pattern.match("orte/fahrrad/index.html")


def test_a_search_part_is_keyed_by_the_pages_pagefind_reads_for_it():
    pages = ["orte/ab/index.html", "orte/fa/index.html", "ar/orte/ab/index.html"]
    by_pattern = SimpleNamespace(glob="orte/{a*}/index.html")
    assert part_pages(by_pattern, pages) == ["orte/ab/index.html"]
    by_slugs = SimpleNamespace(glob="ar/orte/*/index.html", slugs=("ab",))
    assert part_pages(by_slugs, pages) == ["ar/orte/ab/index.html"]
    whole = SimpleNamespace(glob="orte/*/index.html", slugs=())
    assert part_pages(whole, pages) == pages[:2]


@pytest.mark.slow
def test_the_cache_gives_the_same_site_when_every_core_writes(tmp_path):
    """Forked children read and keep bodies in the cache at the same time (every share is
    forked here: parallel.MIN_SHARE = 2): cold, then warm after a change, equals a build
    without the cache in one process."""
    project = copy_fixture_site(tmp_path / "project")
    command = [sys.executable, "-c", BUILD, "build", "-f", str(project / "mkdocs.yml")]

    def build_in(out: str, workers: str, cache: Path | str) -> None:
        env = {**os.environ, **DAY, "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_OFFLINE": "1"}
        env |= {parallel.WORKERS_ENV: workers, buildcache.ENV: str(cache)}
        result = subprocess.run(
            [*command, "-d", str(tmp_path / out)], capture_output=True, text=True, env=env
        )
        assert result.returncode == 0, result.stderr[-3000:]

    build_in("cold", "2", tmp_path / "cache")
    edit(project / ENTRY, "name: Familienstützpunkt Bunde", "name: Familienzentrum Bunde")
    build_in("warm", "2", tmp_path / "cache")
    build_in("alone", "1", "off")
    assert differences(tmp_path / "alone", tmp_path / "warm") == []


@pytest.mark.slow
def test_only_the_search_parts_of_changed_pages_are_indexed_again(tmp_path):
    """Parts of one entry each (WEGWEISER_SEARCH_PART_SIZE=1): after one entry changed,
    the parts of the pages that show it are indexed again (their pages written for
    Pagefind), the others come from the cache; the site equals a build without it."""
    project = copy_fixture_site(tmp_path / "project")
    cache = tmp_path / "cache"
    env = {**DAY, search.PART_SIZE_VARIABLE: "1", "WEGWEISER_OFFLINE": "1"}

    def build_in(out: str, where: Path | str) -> str:
        result = mkdocs_build(
            project, tmp_path / out, env={**env, buildcache.ENV: str(where)}, extra_args=["-v"]
        )
        assert result.returncode == 0, result.stderr
        return result.stderr

    build_in("cold", cache)
    edit(project / ENTRY, "name: Familienstützpunkt Bunde", "name: Familienzentrum Bunde")
    log = build_in("warm", cache)
    reused = re.search(r"(\d+) Teile aus dem Cache / parts from the cache, (\d+) neu", log)
    assert int(reused.group(1)) > 0 and int(reused.group(2)) > 0, log
    build_in("without", "off")
    assert differences(tmp_path / "without", tmp_path / "warm") == []
    assert search_text(tmp_path / "without") == search_text(tmp_path / "warm")


def test_a_broken_link_is_still_found_when_the_page_comes_from_the_cache(tmp_path):
    """The links of a kept page are kept with it: a warm build names a broken link too."""
    project = copy_fixture_site(tmp_path / "project")
    template = project / "overrides/templates/entry.html"
    template.parent.mkdir(parents=True)
    broken = '{% include "wegweiser/entry.html" %}<a href="../../nirgendwo/">weg</a>'
    template.write_text(broken, "utf-8")
    env = {**DAY, buildcache.ENV: str(tmp_path / "cache")}
    said = []
    for out in ("cold", "warm"):
        result = mkdocs_build(project, tmp_path / out, env=env)
        assert result.returncode == 1, out
        said.append([line for line in result.stderr.splitlines() if "verweist auf" in line])
    assert len(said[0]) == 3 and all("nirgendwo/'" in line for line in said[0])  # de, en, ar
    assert said[0] == said[1]
    assert cached_bodies(tmp_path / "cache") > 0


# In a process of its own: `mkdocs serve`'s preview build into one folder, the entry saved,
# the quick preview, then a whole preview build of the saved project into another folder.
QUICK_AND_WHOLE = """
import json, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
from helpers import site_tree

project, out, entry, old, new = sys.argv[1:6]

def config_for(site_dir):
    config = load_config(str(Path(project) / "mkdocs.yml"), site_dir=site_dir)
    config.plugins.on_startup(command="serve", dirty=False)  # the quick preview's build
    return config

config = config_for(out + "/quick")
build(config)
hooks = next(m for m in list(sys.modules.values()) if getattr(m, "_serving", None) is True)
from wegweiser import livepreview
path = Path(project) / entry
path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
writer = livepreview.Exports()
quick = livepreview.quickly(hooks._site, config, writer)
writer.wait()
build(config_for(out + "/whole"))
a, b = site_tree(Path(out + "/whole")), site_tree(Path(out + "/quick"))
print(json.dumps([quick, sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))]))
"""


@pytest.mark.parametrize(
    "old, new",
    [
        ("name: Familienstützpunkt Bunde", "name: Familienzentrum Bunde"),  # lists, network
        ("name: Familienstützpunkt Bunde", "name: Zentrum Bunde"),  # now last: the order
        ("date: 2026-03-01", "date: 2026-10-01"),  # the Stand: the sitemap's date too
        ("Beratung und Treffpunkt", "Treffpunkt und Beratung"),  # the open data too
    ],
)
def test_the_quick_preview_gives_the_site_a_whole_preview_build_gives(tmp_path, old, new):
    project = copy_fixture_site(tmp_path / "project")
    env = {**os.environ, **DAY, "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_OFFLINE": "1"}
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).parent), env.get("PYTHONPATH", "")])
    command = [sys.executable, "-c", QUICK_AND_WHOLE, str(project), str(tmp_path), str(ENTRY)]
    result = subprocess.run([*command, old, new], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    quick, differences = json.loads(result.stdout.splitlines()[-1])
    assert quick, result.stderr[-3000:]  # the save was shown by the quick preview
    assert differences == []
