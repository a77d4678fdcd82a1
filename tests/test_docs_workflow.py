"""The volunteers' guide: complete, linked from the site, German first."""

import re

from helpers import REPO
from wegweiser.core.validate import base_schema

GUIDE = (REPO / "CONTRIBUTING.md").read_text("utf-8")


def test_guide_explains_every_field():
    missing = [key for key in base_schema()["properties"] if f"`{key}`" not in GUIDE]
    assert missing == []
    for part in ("street", "postcode", "city", "date", "by", "method", "role"):
        assert f"`{part}`" in GUIDE, part


def test_guide_is_german_first_then_english():
    german = GUIDE.index("# Mitmachen beim Wegweiser")
    english = GUIDE.index("# Contributing to Wegweiser")
    assert german < english
    for step in ("Eintrag bearbeiten", "Commit changes", "Propose changes", "Info falsch? Melden"):
        assert step in GUIDE[:english], step


def test_site_links_to_the_guide():
    assert re.search(
        r"\]\(https://github\.com/[^)]+/blob/main/CONTRIBUTING\.md\)",
        (REPO / "docs" / "mitmachen.md").read_text("utf-8"),
    )
    readme = (REPO / "README.md").read_text("utf-8")
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in readme


def test_readme_lists_the_editors_commands_and_workflows():
    readme = (REPO / "README.md").read_text("utf-8")
    for command in (
        "wegweiser new",
        "wegweiser report",
        "wegweiser stale",
        "wegweiser confirm",
        "wegweiser from-issue",
        "wegweiser attention",
        "wegweiser preview",
    ):
        assert command in readme, command
    for workflow in (REPO / ".github" / "workflows").glob("*.yml"):
        assert f"`{workflow.name}`" in readme, workflow.name
