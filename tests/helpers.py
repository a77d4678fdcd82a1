"""What tests share: paths, a private copy of the fixture site, building it with MkDocs,
and the `wegweiser` command as a subprocess. Fixtures live in conftest.py."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
FIXTURE_SITE = FIXTURES / "site"


def copy_fixture_site(target: Path) -> Path:
    """A writable copy of the fixture site whose mkdocs.yml points at this repository."""
    shutil.copytree(FIXTURE_SITE, target)
    config = target / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("../../../", f"{REPO.as_posix()}/"), "utf-8"
    )
    return target


def mkdocs_build(
    site_dir: Path,
    out: Path,
    strict: bool = True,
    env: dict | None = None,
    extra_args: list[str] | None = None,
) -> subprocess.CompletedProcess:
    command = (
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "-f",
            str(site_dir / "mkdocs.yml"),
            "-d",
            str(out),
        ]
        + (["--strict"] if strict else [])
        + (extra_args or [])
    )
    # Builds in tests never reach the network; a test that wants a geocoder passes its URL.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "WEGWEISER_OFFLINE": "1", **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


def build_with(base: Path, page_size: int, entries: dict[str, str]) -> Path:
    """The fixture site with more ``entries`` (path below entries/ -> YAML) and a smaller
    ``page_size``, built with `mkdocs build --strict` into ``base``/out."""
    site = copy_fixture_site(base / "src")
    for name, text in entries.items():
        (site / "entries" / name).write_text(text, "utf-8")
    config = site / "mkdocs.yml"
    wegweiser = "  wegweiser:\n"
    config.write_text(
        config.read_text("utf-8").replace(wegweiser, f"{wegweiser}    page_size: {page_size}\n")
    )
    result = mkdocs_build(site, base / "out")
    assert result.returncode == 0, result.stderr
    return base / "out"


def assert_paged_in_sitemap(site: Path, path: str) -> str:
    """Pages 1–3 of the list at ``path`` are in the sitemap in de, en and ar; the sitemap."""
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    for prefix in ("", "en/", "ar/"):
        for page in ("", "2/", "3/"):
            assert f"<loc>https://wegweiser.test/{prefix}{path}{page}</loc>" in sitemap
    return sitemap


def wegweiser(*args: str, stdin: str | bytes | None = None, env: dict | None = None):
    """The `wegweiser` command as a subprocess, the way volunteers and CI call it."""
    return subprocess.run(
        [sys.executable, "-m", "wegweiser.cli", *[str(a) for a in args]],
        input=stdin,
        capture_output=True,
        text=not isinstance(stdin, bytes),
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@contextmanager
def serving(server: socketserver.BaseServer):
    """``server`` answering on a thread of its own while the block runs, then closed."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


GIT_ENV = {  # a test's git: a fixed identity, never the machine's own config
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str, who: str = "Test <test@example.org>") -> str:
    """git in ``repo`` as ``who`` (author and committer)."""
    name, email = who.removesuffix(">").rsplit(" <", 1)
    identity = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    env = {**os.environ, **GIT_ENV, **identity}
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def commit(repo: Path, message: str, who: str = "Test <test@example.org>") -> str:
    git(repo, "add", "-A", who=who)
    git(repo, "commit", "-q", "-m", message, who=who)
    return git(repo, "rev-parse", "HEAD")


def workflow_step(workflow: str, job: str, name: str) -> dict:
    """The step called ``name`` of ``job`` in .github/workflows/``workflow``."""
    import yaml

    data = yaml.safe_load((REPO / ".github" / "workflows" / workflow).read_text("utf-8"))
    steps = [s for s in data["jobs"][job]["steps"] if s.get("name") == name]
    assert len(steps) == 1, f"{workflow}: job {job} has no single step {name!r}"
    return steps[0]


def runner_env(folder: Path, **more: str) -> dict[str, str]:
    """What GitHub's runner gives a step: a fresh RUNNER_TEMP (``folder``, made here), files
    for outputs and the job summary, a log for a fake ``gh`` (FAKE_GH_LOG), and ``more``."""
    folder.mkdir()
    return {
        "RUNNER_TEMP": str(folder),
        "GITHUB_OUTPUT": str(folder / "output"),
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "FAKE_GH_LOG": str(folder / "gh.jsonl"),
        **more,
    }


def run_step(step: dict, cwd: Path, values: dict, env: dict, path: list[Path] = ()):
    """A step's ``run:`` shell as GitHub's runner starts it (``bash -eo pipefail``), with the
    step's own ``env:``: each ``${{ … }}`` expression replaced by ``values[name]``, the rest
    as written; ``env`` plays the runner (RUNNER_TEMP, GITHUB_STEP_SUMMARY, …). ``path``
    comes first on PATH, then this venv (``python``, ``wegweiser``). No identity from the
    outside: git uses what the step configures."""
    own = {}
    for key, value in (step.get("env") or {}).items():
        if "${{" in str(value):
            assert key in values, f"the test must give {key} (the workflow sets {value})"
            own[key] = values[key]
        else:
            own[key] = str(value)
    outside = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_"))}
    search = [*map(str, path), str(Path(sys.executable).parent), os.environ.get("PATH", "")]
    full = {
        **outside,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **env,
        **own,
        "PATH": os.pathsep.join(search),
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=cwd,
        env=full,
        capture_output=True,
        text=True,
        timeout=300,
    )


def readme_command(marker: str) -> list[str]:
    """The README's shell command that contains ``marker``, split as a shell would (a line
    ending in a backslash goes on), without its comment."""
    import re
    import shlex

    text = (REPO / "README.md").read_text("utf-8").replace("\\\n", " ")
    line = next(ln for ln in text.splitlines() if marker in ln)
    return shlex.split(re.sub(r"\s+#[^\"']*$", "", line))


REGION = {  # what the README's `wegweiser init` makes: tests/test_init.py and its neighbours
    "name": "Landkreis Musterland",
    "repo": "https://github.com/musterland/wegweiser",
    "email": "redaktion@musterland.example",
}


def init_instance(target: Path, *more: str) -> subprocess.CompletedProcess:
    """`wegweiser init` with the README's answers (--no-input) into ``target``."""
    command = readme_command("wegweiser init ../mein-kreis")
    args = [str(target) if a == "../mein-kreis" else a for a in command[2:]]
    return wegweiser("init", *args, *more)


# Pagefind writes its filters from a hash map: the same pages give filter chunks in another
# order (and so another name) from one run to the next, and a list of them (pf_meta,
# pagefind-entry.json) naming those. Compared as a name without the hash and the bytes of
# the unpacked chunk as a multiset; every other file byte for byte.
PAGEFIND_UNORDERED = re.compile(
    r"(/filter/[a-z-]+_|/pagefind\.[a-z-]+_)[0-9a-f]+(\.pf_filter|\.pf_meta)$|entry\.json$"
)


def site_tree(root: Path) -> dict[str, bytes]:
    """A built site's files by path, as two builds of the same pages give them alike."""
    tree: dict[str, bytes] = {}
    unordered: dict[str, list[bytes]] = {}
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        name, data = path.relative_to(root).as_posix(), path.read_bytes()
        if match := PAGEFIND_UNORDERED.search(name):
            # the unpacked chunk as a multiset; a list of chunks names them, so not compared
            chunk = match.group(2) == ".pf_filter"
            data = bytes(sorted(gzip.decompress(data))) if chunk else b""
            name = PAGEFIND_UNORDERED.sub(r"\1*\2" if match.group(1) else r"\g<0>", name)
            unordered.setdefault(name, []).append(data)
        else:
            tree[name] = data
    return tree | {name: b"|".join(sorted(group)) for name, group in unordered.items()}
