"""The benchmark's data generator makes valid, deterministic projects."""

import functools
import importlib.util
import json
import sys

from helpers import REPO
from wegweiser.core.validate import check_directory


@functools.cache
def _synth():
    spec = importlib.util.spec_from_file_location("synth", REPO / "scripts" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def _tree(root):
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_generated_entries_are_valid(tmp_path):
    _synth().generate(tmp_path, 30, seed=3)
    result = check_directory(tmp_path)
    assert [f for f in result.findings if f.is_error] == []
    assert result.findings == []
    assert len(result.directory.entries) == 30
    assert (tmp_path / "mkdocs.yml").is_file()
    assert (tmp_path / "entries" / "_lists" / "municipalities.yml").is_file()


def test_generated_entries_use_relations_and_translations(tmp_path):
    _synth().generate(tmp_path, 60, seed=1)
    entries = check_directory(tmp_path).directory.entries.values()
    categories = {e.category for e in entries}
    assert {"netzwerk", "koordinierungsstelle"} <= categories
    assert any(e.get("part_of") for e in entries)
    assert any(e.get("coordinated_by") for e in entries)
    assert any(e.get("translations") for e in entries)
    assert all(e.get("example") is True for e in entries)


def test_every_street_address_is_in_the_geocoding_cache(tmp_path):
    if importlib.util.find_spec("wegweiser.geo") is None:
        return  # the cache is written once the geocoding module exists
    from wegweiser.geo import address_key

    _synth().generate(tmp_path, 40, seed=2)
    cache = json.loads((tmp_path / "entries" / "_geocache.json").read_text("utf-8"))
    for entry in check_directory(tmp_path).directory.entries.values():
        sensitive = entry.category in ("unterkunft", "frauenhaus")
        if entry.address.get("street") and not sensitive:
            assert address_key(entry.address) in cache["places"], entry.slug


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    synth = _synth()
    synth.generate(tmp_path / "a", 30, seed=5)
    synth.generate(tmp_path / "b", 30, seed=5)
    synth.generate(tmp_path / "c", 30, seed=6)
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first == second
    assert first != _tree(tmp_path / "c")
