"""Use every core for the long steps of a large build (checking files, writing pages).

MkDocs builds on one core. ``map_shares`` splits a step's items into one share per core:
forked children take a share each, the parent does the first one, and each child's
result comes back pickled (``share_out`` for work that only writes files). ``Background``
runs one piece of work (the exports) in a forked child while the build goes on. A fork
costs little to set up: the child has the parent's memory (entries, templates, frames).

Forking is used only where it is safe and worth it: on Linux, with more than one core,
with many items, and while the process runs a single thread (`mkdocs serve` runs a web
server in threads; a forked child could inherit a lock another thread holds). Otherwise,
and whenever a child fails, the parent does the work itself: the result never depends on
whether it ran in parallel.
"""

from __future__ import annotations

import functools
import os
import pickle
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_SHARE = 250  # fewer items per core: a fork costs more than it saves
WORKERS_ENV = "WEGWEISER_WORKERS"  # e.g. 1 to switch parallel writing off


def cores() -> int:
    """How many processes to use: WEGWEISER_WORKERS, else the cores this process may use."""
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def shares(items: Sequence[T], count: int) -> list[Sequence[T]]:
    """``items`` in ``count`` contiguous, nearly equal parts (none empty)."""
    count = max(1, min(count, len(items)))
    size, extra = divmod(len(items), count)
    parts, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < extra else 0)
        parts.append(items[start:end])
        start = end
    return parts


def can_fork() -> bool:
    """Linux only: macOS system libraries are not safe to use in a forked child."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def map_shares(items: Sequence[T], work: Callable[[Sequence[T]], R]) -> list[R]:
    """``work`` over ``items`` in shares, one per core where that pays; the shares' results.

    The parent does the first share; each other share is a ``Background`` job in a forked
    child, its result sent back pickled (a failed child's share is done by the parent).
    One share (one result) without a fork.
    """
    count = min(cores(), len(items) // MIN_SHARE)
    if count < 2 or not can_fork():
        return [work(items)]
    parts = shares(items, count)
    jobs = [Background(functools.partial(work, part)) for part in parts[1:]]
    try:
        first = work(parts[0])
    except BaseException:
        for job in jobs:
            job.discard()
        raise
    return [first, *(job.result() for job in jobs)]


def share_out(items: Sequence[T], work: Callable[[Sequence[T]], None]) -> int:
    """``map_shares`` for work that only writes files. Returns how many processes worked."""
    return len(map_shares(items, work))


class Background(Generic[R]):
    """``work()`` started now in a forked child, while the parent goes on with the build.

    ``result()`` waits for the child and returns what ``work`` returned (sent back
    pickled through a pipe: keep it small). Without a fork (``can_fork``, ``worth``) or
    when the child failed, ``result()`` runs ``work`` in the parent instead, so the
    result is the same either way. ``work`` may write files; running it twice is safe.
    """

    def __init__(self, work: Callable[[], R], worth: bool = True):
        self._work = work
        self._pid: int | None = None
        self._done = False
        self._value: R | None = None
        self.forked = False  # whether a child does the work
        if not (worth and cores() > 1 and can_fork()):
            return
        read, write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child
            status = 1
            try:
                os.close(read)
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(pickle.dumps(work()))
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read, self.forked = pid, read, True

    def discard(self) -> None:
        """Wait for the child and drop its result (the parent failed; nothing is redone)."""
        if self._pid is not None:
            os.close(self._read)
            os.waitpid(self._pid, 0)
            self._pid = None
        self._done = True

    def result(self) -> R:
        if self._done:
            return self._value  # type: ignore[return-value]
        value, ok = None, False
        if self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:  # read first: a full pipe blocks the child
                data = pipe.read()
            _, status = os.waitpid(self._pid, 0)
            self._pid = None
            if os.waitstatus_to_exitcode(status) == 0:
                value, ok = pickle.loads(data), True  # our own child's bytes
        if not ok:
            value = self._work()
        self._value, self._done = value, True
        return value  # type: ignore[return-value]
