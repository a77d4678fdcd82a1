"""Reading two revisions of the repository with git: what changed, and each side's files.

Used by ``wegweiser report``. Each revision's entry files are read as git stores them
(``stored_files``, ``read_blobs``) and its lists and geocoding cache are exported with
``git archive`` into a temporary folder; ``revisions.py`` checks them with the same
Validator as the build, so the lists of allowed values and the references are those of
that revision.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

ENTRIES = "entries"


class GitError(Exception):
    """git failed (unknown revision, not a repository); the message is git's own."""


@dataclass(frozen=True)
class FileChange:
    status: str  # A added, M modified, D deleted, R renamed
    old: str  # path at BASE ("" when added)
    new: str  # path at HEAD ("" when deleted)


def git(repo: Path, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args],
            input=stdin,
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(str(exc)) from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


def resolve(repo: Path, rev: str) -> str:
    """The commit a name points to; refuses options disguised as revisions."""
    if rev.startswith("-"):
        raise GitError(f"not a revision: {rev}")
    return git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}").decode().strip()


def changed_files(repo: Path, base: str, head: str) -> list[FileChange]:
    """Every file changed between the two commits; renames stay renames (``-M``)."""
    raw = git(repo, "diff", "--name-status", "-M", "-z", base, head)
    return _parse_name_status(raw.decode("utf-8", "surrogateescape"))


def _parse_name_status(text: str) -> list[FileChange]:
    parts = text.split("\0")
    changes, index = [], 0
    while index < len(parts) and parts[index]:
        status = parts[index][0]
        if status in "RC":
            old, new = parts[index + 1], parts[index + 2]
            changes.append(FileChange("R" if status == "R" else "A", old, new))
            index += 3
            continue
        path = parts[index + 1]
        kind = {"A": "A", "D": "D"}.get(status, "M")
        changes.append(FileChange(kind, "" if kind == "A" else path, "" if kind == "D" else path))
        index += 2
    return changes


def export_entries(repo: Path, rev: str, target: Path, paths: list[str] | None = None) -> Path:
    """Write ``entries/`` (or only ``paths`` of it) as it is at ``rev`` into ``target``;
    returns ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    paths = [ENTRIES] if paths is None else paths
    if not paths or not git(repo, "ls-tree", "--name-only", rev, "--", *paths).strip():
        (target / ENTRIES).mkdir()  # the revision has no entries (or none of ``paths``) yet
        return target
    archive = git(repo, "--literal-pathspecs", "archive", "--format=tar", rev, "--", *paths)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter=_inside_only)
    return target


def _inside_only(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, but a link out of the folder is skipped, not an exception.

    Such a link can only come from a hostile pull request; the check of that pull request
    already reports it (file.symlink), so the report simply leaves it out.
    """
    try:
        return tarfile.data_filter(member, dest)
    except tarfile.FilterError:
        return None


def blob_text(repo: Path, rev: str, path: str) -> str:
    """A file's text at ``rev`` as stored (no filters, no textconv); "" when it is no file."""
    data = blob(repo, rev, path)
    return "" if data is None else data.decode("utf-8", "replace")


def blob(repo: Path, rev: str, path: str) -> bytes | None:
    """A file's bytes at ``rev`` as stored; None when it is no file."""
    try:
        return git(repo, "cat-file", "blob", f"{rev}:{path}")
    except GitError:
        return None


@dataclass(frozen=True)
class StoredFile:
    mode: str  # 100644 a file, 100755 an executable one, 120000 a link, 160000 a submodule
    oid: str
    path: str

    @property
    def regular(self) -> bool:
        return self.mode in ("100644", "100755")


def stored_files(repo: Path, rev: str, folder: str = ENTRIES) -> list[StoredFile]:
    """Every file below ``folder`` at ``rev`` as git stores it, without writing it out."""
    raw = git(repo, "ls-tree", "-r", "-z", rev, "--", folder).decode("utf-8", "surrogateescape")
    files = []
    for record in filter(None, raw.split("\0")):
        meta, path = record.split("\t", 1)
        mode, _kind, oid = meta.split(" ")
        files.append(StoredFile(mode, oid, path))
    return files


def read_blobs(repo: Path, oids: list[str]) -> dict[str, bytes]:
    """The contents of many blobs from one ``git cat-file --batch``, by object id."""
    wanted = sorted(set(oids))
    if not wanted:
        return {}
    out = git(repo, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in wanted).encode())
    contents, at = {}, 0
    for oid in wanted:  # each: "<oid> <type> <size>\n<content>\n", in the order asked
        end = out.index(b"\n", at)
        header = out[at:end].decode().split()
        if len(header) != 3 or header[1] != "blob":
            raise GitError(f"not a file: {oid}")
        size = int(header[2])
        contents[oid] = out[end + 1 : end + 1 + size]
        at = end + 1 + size + 1
    return contents
