"""One engine, many regions: which files of a region's repository belong to the engine.

A region's Wegweiser (an *instance*, made by ``wegweiser init``) holds two kinds of files
that never share a path:

- **the engine's** (``ENGINE_FILES``): the program, its set-up and the workflows. ``init``
  copies them unchanged; the region never edits them and takes them again with every
  update, by merging the engine's branch ``engine`` (made from the engine's ``main`` by
  ``scripts/engine_branch.py``: these files and nothing else, no demo).
- **the region's**: everything else — mkdocs.yml, entries/, docs/, overrides/ (its own
  words, templates and theme parts), CODEOWNERS, the issue forms, CONTRIBUTING.md,
  README.md. ``init`` writes them once; the engine's branch never has them.

So a merge of the engine's branch only ever changes files the region did not touch:
it cannot conflict (tests/test_upgrade.py proves it on throw-away repositories).
"""

from __future__ import annotations

from pathlib import Path

import wegweiser

# A folder ends with "/": everything below it. Kept in one place: init copies exactly these,
# scripts/engine_branch.py puts exactly these on the branch ``engine``.
ENGINE_FILES = (
    "hooks/",  # the package and the thin MkDocs hook file
    "pyproject.toml",
    "requirements/",
    "scripts/_bootstrap.py",
    "scripts/serve.py",
    ".ci/propose-pr",
    ".ci/attention-issues",
    ".github/workflows/",
    ".github/pull_request_template.md",
    ".pre-commit-config.yaml",
    ".gitignore",
    "CHANGELOG.md",
)
ENGINE_BRANCH = "engine"
# What a working copy has beside the tracked files: never part of the engine.
_LEFT_OUT = ("__pycache__", ".egg-info", ".pyc")


def is_engine_file(path: str) -> bool:
    """Whether ``path`` (relative, with "/") belongs to the engine."""
    if any(part.endswith(_LEFT_OUT) for part in path.split("/")):
        return False
    return any(
        path.startswith(item) if item.endswith("/") else path == item for item in ENGINE_FILES
    )


def engine_root() -> Path | None:
    """The engine's own repository (this package's checkout); None for an installed copy,
    which has no workflows and no set-up to hand on."""
    root = Path(wegweiser.__file__).resolve().parent.parent.parent
    wanted = ("pyproject.toml", "hooks/wegweiser_hooks.py", ".github/workflows")
    return root if all((root / name).exists() for name in wanted) else None


def engine_files(root: Path) -> list[str]:
    """The engine's files in the checkout at ``root``, sorted, relative with "/"."""
    found = []
    for item in ENGINE_FILES:
        path = root / item
        if item.endswith("/"):
            found += [p.relative_to(root).as_posix() for p in path.rglob("*") if p.is_file()]
        elif path.is_file():
            found.append(item)
    return sorted(p for p in found if is_engine_file(p))
