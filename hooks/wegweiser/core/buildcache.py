"""The build cache: what one build made, kept for the next (incremental rebuilds).

One SQLite file in a folder beside mkdocs.yml (``.wegweiser-cache/``, never under
``entries/`` nor in the site; ``WEGWEISER_CACHE_DIR`` names another folder, ``off`` none).
SQLite writes every change as a transaction: a killed build leaves the file as it was
before or after, never half. Every value is found by a key that is a hash of everything
that shapes it (the callers make the keys: ``digest``); nothing is ever looked up by name
alone, so a stale value cannot be found, only an unused one kept.

The file says which program wrote it (``FORMAT``, the engine's version and the hash of its
own files): a cache of another version, or one SQLite cannot read, is removed and started
afresh, with one message and never a traceback. Values no build used in its last
``KEEP_BUILDS`` builds are dropped at the end of a build, so the cache does not grow.

Forked children (core/parallel.py) each open their own connection (``Store.connection``);
a connection is never carried across a fork.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import sqlite3
import sys
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path

import wegweiser

FOLDER = ".wegweiser-cache"  # beside mkdocs.yml; the repository's .gitignore names it
ENV = "WEGWEISER_CACHE_DIR"  # another folder, or "off" for no cache
OFF = {"off", "0", "no", "false", "aus"}
FILE = "wegweiser-cache.sqlite3"
FORMAT = "1"  # the layout of the file; another layout is another version
KEEP_BUILDS = 3  # values unused for this many full builds are dropped
# The packages whose version shapes the output beside our own files.
PACKAGES = (
    "mkdocs",
    "mkdocs-material",
    "jinja2",
    "markdown",
    "nh3",
    "pyyaml",
    "pagefind",
    "holidays",
    "opening_hours_py",
    "phonenumbers",
    "jsonschema",
    "fastjsonschema",
    "confusable-homoglyphs",
)

log = logging.getLogger("mkdocs.plugins.wegweiser")


def digest(*parts: object) -> str:
    """A key: the SHA-256 of the parts, each told apart from the next (by its length)."""
    hashed = hashlib.sha256()
    texts = []
    for part in parts:
        if isinstance(part, bytes):
            hashed.update(f"{len(texts)}:{len(part)}b".encode())
            hashed.update(part)
        else:
            text = str(part)
            texts.append(f"{len(text)}:{text}")
    hashed.update("".join(texts).encode("utf-8", "surrogatepass"))
    return hashed.hexdigest()


def folder(root: Path, env: Mapping[str, str] | None = None) -> Path | None:
    """Where the cache of the project at ``root`` lives; None when it is switched off."""
    env = os.environ if env is None else env
    chosen = env.get(ENV, "").strip()
    if chosen.lower() in OFF:
        return None
    return Path(chosen).resolve() if chosen else root / FOLDER


def files_digest(paths: Iterable[Path], base: Path) -> str:
    """The hash of files' names (from ``base``) and bytes, in a fixed order; a file that
    cannot be read counts by its name and the reason."""
    parts: list[object] = []
    for path in sorted(paths):
        parts.append(path.relative_to(base).as_posix())
        try:
            parts.append(path.read_bytes())
        except OSError as exc:
            parts.append(f"unreadable: {exc.strerror}")
    return digest(*parts)


def tree_digest(top: Path) -> str:
    """The hash of every file below ``top`` (none: the hash of nothing), caches left out."""
    if not top.is_dir():
        return digest("absent", top.name)
    paths = [
        path
        for path in top.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    ]
    return files_digest(paths, top)


@functools.cache
def _code_digest() -> str:
    """The engine's Python code as this process loaded it (it does not reload it)."""
    package = Path(wegweiser.__file__).parent
    return files_digest(package.rglob("*.py"), package)


def engine_digest() -> str:
    """The engine: its version, its code as loaded, its data files as they are now
    (templates, locales, assets, schema: read again by every build), Python and the
    versions of the packages that shape the output."""
    package = Path(wegweiser.__file__).parent
    data = [p for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    data = [p for p in data if "__pycache__" not in p.parts]
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=-")
    return digest(
        wegweiser.__version__, sys.version, _code_digest(), files_digest(data, package), *versions
    )


class Store:
    """The cache file: values by kind and key. Every failure turns the cache off for the
    rest of the build with one message; the build itself never fails for it."""

    def __init__(self, where: Path | None, engine: str | None = None):
        self.where = where
        self.engine = engine or engine_digest()
        self.generation = 0
        self._connections: dict[int, sqlite3.Connection] = {}
        self._pending: list[tuple[str, str, bytes]] = []
        if where is not None:
            self._open()

    @property
    def on(self) -> bool:
        return self.where is not None

    @property
    def path(self) -> Path | None:
        return self.where / FILE if self.where is not None else None

    def _open(self) -> None:
        try:
            self.generation = self._checked_generation()
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._start_afresh(exc)

    def _checked_generation(self) -> int:
        connection = self.connection()
        with connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)"
            )
            connection.execute(
                "CREATE TABLE IF NOT EXISTS item (kind TEXT, key TEXT, value BLOB, used INTEGER,"
                " PRIMARY KEY (kind, key))"
            )
            meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
            if not meta:
                meta = {"format": FORMAT, "engine": self.engine, "generation": "0"}
                connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        if meta.get("format") != FORMAT or meta.get("engine") != self.engine:
            raise ValueError("anderes Programm / another version of the program")
        return int(meta["generation"]) + 1

    def _start_afresh(self, problem: Exception) -> None:
        """A cache of another version, or unreadable: removed, then a new, empty one."""
        if not isinstance(problem, ValueError):
            log.info(  # not the volunteer's mistake: never fails a strict build
                "Build-Cache unlesbar, wird neu angelegt / build cache unreadable, starting "
                "afresh: %s: %s",
                self.path,
                problem,
            )
        self.close()
        try:
            for name in (FILE, f"{FILE}-wal", f"{FILE}-shm", f"{FILE}-journal"):
                (self.where / name).unlink(missing_ok=True)
            self.generation = self._checked_generation()
        except (sqlite3.Error, OSError, ValueError) as exc:
            self._give_up(exc)

    def _give_up(self, problem: Exception) -> None:
        log.info(
            "Build ohne Cache / building without cache (%s): %s — Ordner löschen oder "
            "%s=off setzen / delete the folder or set %s=off",
            self.where,
            problem,
            ENV,
            ENV,
        )
        self.close()
        self.where = None

    def connection(self) -> sqlite3.Connection:
        """This process's own connection (a forked child opens its own)."""
        pid = os.getpid()
        if pid not in self._connections:
            self.where.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=60)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._connections = {pid: connection}  # an inherited one is never used
        return self._connections[pid]

    def get_many(self, kind: str, keys: Iterable[str], mark: bool = True) -> dict[str, bytes]:
        """The values stored for ``keys`` (those found), marked as used by this build
        (``mark``; forked children leave that to the parent: ``touch``)."""
        keys = list(dict.fromkeys(keys))
        if not self.on or not keys:
            return {}
        try:
            found = self._select(kind, keys)
            if mark:
                self.touch(kind, keys)
            return found
        except sqlite3.Error as exc:
            self._give_up(exc)
            return {}

    def _select(self, kind: str, keys: list[str]) -> dict[str, bytes]:
        connection, found = self.connection(), {}
        for chunk in _chunks(keys):
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, value FROM item WHERE kind = ? AND key IN ({marks})"
            found.update(connection.execute(query, [kind, *chunk]).fetchall())
        return found

    def touch(self, kind: str, keys: Iterable[str]) -> None:
        """``keys`` are used by this build: kept (values not used for a while are dropped)."""
        if not self.on:
            return
        try:
            with self.connection() as connection:
                for chunk in _chunks(list(keys)):
                    marks = ",".join("?" * len(chunk))
                    connection.execute(
                        f"UPDATE item SET used = ? WHERE kind = ? AND key IN ({marks})",
                        [self.generation, kind, *chunk],
                    )
        except sqlite3.Error as exc:
            self._give_up(exc)

    def get(self, kind: str, key: str) -> bytes | None:
        return self.get_many(kind, [key]).get(key)

    def put(self, kind: str, key: str, value: bytes) -> None:
        """Kept until ``flush`` (one transaction for many values)."""
        if self.on:
            self._pending.append((kind, key, value))
            if len(self._pending) >= 2000:
                self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not self.on or not pending:
            return
        try:
            with self.connection() as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO item VALUES (?, ?, ?, ?)",
                    [(kind, key, value, self.generation) for kind, key, value in pending],
                )
        except sqlite3.Error as exc:
            self._give_up(exc)

    def finish(self) -> None:
        """At the end of a full build: this build's number kept, old values dropped."""
        self.flush()
        if not self.on:
            return
        try:
            with self.connection() as connection:
                connection.execute(
                    "UPDATE meta SET value = ? WHERE name = 'generation'", [str(self.generation)]
                )
                connection.execute(
                    "DELETE FROM item WHERE used <= ?", [self.generation - KEEP_BUILDS]
                )
        except sqlite3.Error as exc:
            self._give_up(exc)

    def close(self) -> None:
        connection = self._connections.pop(os.getpid(), None)
        self._connections = {}
        if connection is not None:
            connection.close()


def _chunks(keys: list[str], size: int = 500) -> Iterable[list[str]]:
    """SQLite takes a limited number of values in one statement."""
    for start in range(0, len(keys), size):
        yield keys[start : start + size]
