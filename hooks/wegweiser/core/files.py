"""Files written so that a crash or a kill leaves the old file or the new one, never half."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def json_lines(head: Mapping, key: str, records: Mapping[str, object]) -> str:
    """``head`` and, under ``key``, one record per line, in the order given: a committed
    file whose pull-request diff shows each changed record as one changed line."""
    lines = [json.dumps(dict(head), ensure_ascii=False)[:-1] + f', "{key}": {{']
    items = [
        f"  {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
        for k, v in records.items()
    ]
    lines.append(",\n".join(items))
    lines.append("}}")
    return "\n".join(line for line in lines if line) + "\n"


def snapshot(tops: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """Every file below ``tops`` (folders, or single files), by path, with its change time
    and size; hidden files and folders (".git", an editor's ".x.swp") and backups ("x~")
    left out."""
    found: dict[str, tuple[int, int]] = {}
    for top in tops:
        if top.is_file():
            stat = top.stat()
            found[str(top)] = (stat.st_mtime_ns, stat.st_size)
            continue
        for folder, dirs, names in os.walk(top):
            dirs[:] = [name for name in dirs if not name.startswith(".")]
            for name in names:
                if name.startswith(".") or name.endswith("~"):
                    continue
                path = os.path.join(folder, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found
