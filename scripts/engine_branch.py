#!/usr/bin/env python3
"""Put the engine, and nothing of the demo, on the branch ``engine`` that regions merge.

    .venv/bin/python scripts/engine_branch.py                 # from main, in this repository
    .venv/bin/python scripts/engine_branch.py --source v0.3.0 --repo ../wegweiser
    git push origin engine

The branch's new commit holds exactly the engine's files (ENGINE_FILES in
hooks/wegweiser/editorial/instance.py) as they are in ``--source``; its parent is the
branch's previous commit, so a region that merged the branch once merges only what changed
since. The demo (mkdocs.yml, entries/, docs/, …) and the tests are never on it. Nothing
happens when the engine's files are the same as on the branch. Only git's plumbing is used:
the working copy and the index stay as they are.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from wegweiser.editorial.instance import ENGINE_BRANCH, is_engine_file  # noqa: E402


def git(repo: Path, *args: str, stdin: bytes | None = None, env: dict | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        input=stdin,
        capture_output=True,
        env={**os.environ, **(env or {})},
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"git {' '.join(args)}: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout.decode().strip()


def engine_tree(repo: Path, source: str) -> str:
    """The tree of ``source`` with only the engine's files, written to the object store."""
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "-r", "-z", "--full-tree", source],
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    kept = []
    for item in filter(None, listing):
        meta, path = item.split(b"\t", 1)
        mode, _kind, sha = meta.split()
        if is_engine_file(path.decode()):
            kept.append(b"%s %s\t%s\0" % (mode, sha, path))
    with tempfile.TemporaryDirectory() as folder:
        index = {"GIT_INDEX_FILE": str(Path(folder) / "index")}
        git(repo, "read-tree", "--empty", env=index)
        git(repo, "update-index", "-z", "--index-info", stdin=b"".join(kept), env=index)
        return git(repo, "write-tree", env=index)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default="main", help="the engine's commit (default: main)")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the repository (default: this)")
    parser.add_argument("--branch", default=ENGINE_BRANCH, help=f"default: {ENGINE_BRANCH}")
    args = parser.parse_args(argv)
    source = git(args.repo, "rev-parse", "--verify", f"{args.source}^{{commit}}")
    tree = engine_tree(args.repo, source)
    ref = f"refs/heads/{args.branch}"
    parent = subprocess.run(
        ["git", "-C", str(args.repo), "rev-parse", "--verify", "-q", ref],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if parent and git(args.repo, "rev-parse", f"{parent}^{{tree}}") == tree:
        print(f"{args.branch}: unverändert / unchanged ({parent[:12]})")
        return 0
    init = git(args.repo, "show", f"{source}:hooks/wegweiser/__init__.py")
    version = re.search(r'__version__ = "([^"]+)"', init)
    message = f"Wegweiser {version[1] if version else '?'} (aus / from {source[:12]})"
    commit = git(args.repo, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
    git(args.repo, "update-ref", ref, commit, *([parent] if parent else []))
    print(f"{args.branch}: {commit[:12]} {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
