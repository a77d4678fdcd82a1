"""The pre-commit hook runs `wegweiser check` on the staged entries of a real git repository."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import FIXTURE_SITE, GIT_ENV, REPO, git


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PRE_COMMIT_HOME": str(repo.parent / "pc-home")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_hook_blocks_a_broken_entry_and_passes_a_good_one(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE_SITE / "entries", repo / "entries")
    shutil.copy(REPO / ".pre-commit-config.yaml", repo)
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)
    git(repo, "init", "-q", "-b", "main")
    assert pre_commit(repo, "validate-config", ".pre-commit-config.yaml").returncode == 0
    git(repo, "add", "-A")
    good = pre_commit(repo, "run")
    assert good.returncode == 0, good.stdout + good.stderr
    broken = repo / "entries" / "leer" / "kaputt.yml"
    broken.write_text("name: Kaputt\ncategory: netzwrek\n", "utf-8")
    git(repo, "add", "-A")
    bad = pre_commit(repo, "run")
    assert bad.returncode == 1
    assert 'entries/leer/kaputt.yml:2:11: error: category: "netzwrek" steht nicht in der Liste' in (
        bad.stdout
    )
