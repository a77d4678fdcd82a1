"""The lock file CI installs from: complete, hashed, made with the command the README shows."""

import re
import tomllib

from helpers import REPO

LOCK = REPO / "requirements" / "ci.lock"


def pinned() -> dict[str, str]:
    text = LOCK.read_text("utf-8")
    return {_name(m[1]): m[2] for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+) \\$", text, re.M)}


def _name(requirement: str) -> str:
    return re.split(r"[<>=!\[; ~]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_every_dependency_and_test_tool_is_pinned_with_hashes():
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    wanted += ["setuptools"]  # the build backend, for --no-build-isolation
    missing = {_name(r) for r in wanted} - set(pinned())
    assert not missing, f"requirements/ci.lock is stale, missing {missing}: see README"
    blocks = re.split(r"\n(?=[A-Za-z0-9._-]+==)", LOCK.read_text("utf-8"))[1:]
    assert all("--hash=sha256:" in block for block in blocks)


def test_readme_shows_the_command_that_made_the_lock():
    header = next(ln for ln in LOCK.read_text("utf-8").splitlines() if "pip-compile " in ln)
    readme = (REPO / "README.md").read_text("utf-8").replace("\\\n    ", "")
    for option in re.findall(r"--[a-z-]+(?:=\S+)?", header):
        assert option.split("=")[0] in readme, option
