"""Both revisions of a pull request, each checked as ``wegweiser check`` checks a tree.

The report needs every finding at BASE and at HEAD to tell which are new, and a pull
request changes a handful of entries among thousands. So the entry files are read as git
stores them (one ``ls-tree`` and one ``cat-file --batch``) instead of written out, and a
file both revisions have alike (same path, same content) is checked once when both have
the same lists of allowed values: its findings and its entry are the same on both sides.
What only all entries together show (one slug per file, references, likely duplicates,
folder names) is still checked whole for each revision, from those results, so a removed
entry that others name or a new duplicate of an unchanged entry is found as before. Only
what the Validator and the geocoder read besides entries, ``entries/_*`` (lists, geocoding
cache), is written out.

A link or a submodule below ``entries/`` (only a hostile or broken pull request has one)
means what ``git archive`` and the file system make of it (``gitrev._inside_only``): then
both revisions are written out whole and checked from disk, as before.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from wegweiser.core import parallel
from wegweiser.core.validate import (
    Checked,
    Result,
    Validator,
    check_directory,
    folder_problem,
    stored_layout,
)
from wegweiser.editorial import gitrev

ENTRIES = gitrev.ENTRIES
LISTS = f"{ENTRIES}/_lists/"


@dataclass
class Side:
    """One revision: its findings and valid entries, and where its files are."""

    repo: Path
    rev: str
    root: Path  # the revision written out: its entries/_* (all of entries/ if stored is None)
    result: Result
    stored: dict[str, bytes] | None = None  # entry files as git stores them, by path

    def read(self, path: str) -> bytes | None:
        """A file's bytes at this revision; None when there is none."""
        if self.stored is None:
            try:
                return (self.root / path).read_bytes()
            except OSError:
                return None
        if path in self.stored:
            return self.stored[path]
        return gitrev.blob(self.repo, self.rev, path)


def check_both(
    repo: Path, base: str, head: str, tmp: Path, today: dt.date | None = None
) -> tuple[Side, Side]:
    """BASE and HEAD checked, each with the findings it would have on its own."""
    listings = [gitrev.stored_files(repo, rev) for rev in (base, head)]
    if not all(f.regular and f.path.startswith(f"{ENTRIES}/") for ls in listings for f in ls):
        old = _written_out(repo, base, tmp / "base", today)
        return old, _written_out(repo, head, tmp / "head", today)
    base_files, head_files = ({f.path: f.oid for f in ls} for ls in listings)
    new = _Pending(repo, head, head_files, tmp / "head", today)
    same_lists = _lists(base_files) == _lists(head_files)  # else: other findings for any file
    old = _Pending(
        repo, base, base_files, tmp / "base", today, new.validator if same_lists else None
    )
    contents = gitrev.read_blobs(repo, [*old.files.values(), *new.files.values()])
    checked = _check_once([old, new], contents)
    return old.done(checked, contents), new.done(checked, contents)


def _written_out(repo: Path, rev: str, target: Path, today: dt.date | None) -> Side:
    """The revision's entries/ written out with ``git archive`` and checked from disk."""
    root = gitrev.export_entries(repo, rev, target)
    return Side(repo, rev, root, check_directory(root, today=today))


def _lists(files: dict[str, str]) -> set[tuple[str, str]]:
    return {(path, oid) for path, oid in files.items() if path.startswith(LISTS)}


class _Pending:
    """One revision read from git: its entry files and folders, its Validator, and its
    ``entries/_*`` written out (the lists and the geocoding cache)."""

    def __init__(
        self,
        repo: Path,
        rev: str,
        files: dict[str, str],  # every file below entries/: path -> object id
        target: Path,
        today: dt.date | None,
        validator: Validator | None = None,
    ):
        self.repo, self.rev = repo, rev
        tops = {"/".join(path.split("/")[:2]) for path in files}
        beside = sorted(top for top in tops if top.split("/")[1].startswith("_"))
        self.root = gitrev.export_entries(repo, rev, target, beside)
        self.validator = validator or Validator(self.root, self.root / ENTRIES, today)
        entry_files, self.folders = stored_layout(list(files))
        self.files = {path: files[path] for path in entry_files}  # in the order found

    def key(self, path: str) -> tuple:
        """Alike on both sides: the same path, content and Validator (so the same lists)."""
        return id(self.validator), path, self.files[path]

    def done(self, checked: dict[tuple, Checked], contents: dict[str, bytes]) -> Side:
        """What all files together show, from each file's own check."""
        results = [(path, checked[self.key(path)]) for path in self.files]
        valid, findings = self.validator.check_together(results)
        findings += [f for folder in self.folders if (f := folder_problem(folder))]
        stored = {path: contents[oid] for path, oid in self.files.items()}
        return Side(self.repo, self.rev, self.root, self.validator.result(valid, findings), stored)


def _check_once(sides: list[_Pending], contents: dict[str, bytes]) -> dict[tuple, Checked]:
    """Each distinct file checked once, on every core (as ``wegweiser check`` does)."""
    todo = {side.key(path): (side.validator, path) for side in sides for path in side.files}
    keys = list(todo)

    def check(share) -> list[Checked]:
        return [todo[key][0].check_stored(todo[key][1], contents[key[2]]) for key in share]

    results = [one for share in parallel.map_shares(keys, check) for one in share]
    return dict(zip(keys, results, strict=True))
