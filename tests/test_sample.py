"""The repository's own sample directory, template and docs stay valid and complete."""

import json
import re
import shutil

from helpers import REPO
from wegweiser.core.validate import base_schema, check_directory


def test_sample_entries_are_clean():
    result = check_directory(REPO)
    assert [f for f in result.findings] == []
    assert len(result.directory.entries) >= 15
    categories = {e.category for e in result.directory.entries.values()}
    assert {
        "koordinierungsstelle",
        "koordinierungskreis",
        "familienstuetzpunkt",
        "treffpunkt",
        "runder-tisch",
        "netzwerk",
    } <= categories


def test_invented_sample_data_is_marked():
    for entry in check_directory(REPO).directory.entries.values():
        for key in ("email", "website"):
            value = entry.get(key, "")
            if value and "example.org" not in value:
                assert key not in entry.get("example_fields", []) and not entry.get("example")


def test_template_is_a_valid_entry_and_names_every_field(tmp_path):
    shutil.copytree(REPO / "entries" / "_lists", tmp_path / "entries" / "_lists")
    (tmp_path / "entries" / "leer").mkdir()
    template = (REPO / "entries" / "_template.yml").read_text("utf-8")
    (tmp_path / "entries" / "leer" / "vorlage.yml").write_text(template, "utf-8")
    assert check_directory(tmp_path).findings == []
    assert template.startswith("# yaml-language-server: $schema=")
    for key in base_schema()["properties"]:
        assert re.search(rf"^#? ?{key}:", template, re.MULTILINE), key


def test_sample_site_builds_strict(sample_site):
    schema = json.loads((sample_site / "schema" / "entry.schema.json").read_text("utf-8"))
    assert schema["properties"]["category"]["enum"]


def test_readme_names_the_two_commands():
    readme = (REPO / "README.md").read_text("utf-8")
    assert "python3 scripts/serve.py" in readme and "python3 scripts/test.py" in readme
    assert "python3 scripts/test.py" in (REPO / ".ci" / "run").read_text("utf-8")


def _setting_names(value, prefix=""):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _setting_names(child, f"{prefix}{key}.")


def test_readme_explains_every_setting_of_mkdocs_yml():
    from wegweiser.settings import project_settings

    extra, _site_url = project_settings(REPO)
    assert {"geocoding", "map"} <= set(extra)
    readme = (REPO / "README.md").read_text("utf-8")
    missing = [name for name in _setting_names(extra) if f"`{name}`" not in readme]
    assert missing == []
