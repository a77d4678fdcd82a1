"""Write an entry as annotated YAML: a comment per field, every value quoted so it stays text.

Used by ``wegweiser new`` and ``wegweiser from-issue``. Values are written as JSON
strings (valid YAML double-quoted scalars) or, for several lines, as a literal block,
so no answer can add a key, an anchor or a tag. The text is read back with the
project's own loader and must give exactly the values it was made from.
"""

from __future__ import annotations

import json
import re

from wegweiser.core.loader import load_bytes
from wegweiser.core.validate import base_schema

ORDER = [
    "name",
    "category",
    "summary",
    "description",
    "topics",
    "audiences",
    "address",
    "phone",
    "email",
    "website",
    "opening_hours",
    "languages",
    "verified",
]
HEADER = """\
# Dieser Eintrag wurde mit „{tool}“ angelegt.
# Was jedes Feld bedeutet: die Kommentare hier, die Vorlage entries/_template.yml und
# CONTRIBUTING.md. Weitere freiwillige Felder (Ansprechpersonen, Übersetzungen …) stehen
# in der Vorlage; kopieren Sie sie von dort. Prüfen: wegweiser check
"""
_BLOCK_SAFE = re.compile(r"^[^\s#][^\t]*$")


class EntryTextError(Exception):
    """The values could not be written so that they read back unchanged (a program error)."""


def one_line(text: str) -> str:
    """Fold line breaks and runs of spaces: one-line fields must not carry line breaks."""
    return re.sub(r"\s+", " ", text).strip()


def entry_text(values: dict, tool: str = "wegweiser new") -> tuple[str, dict[tuple, int]]:
    """The annotated file and the line of each written field (for messages about answers)."""
    schema = base_schema()["properties"]
    lines: list[str] = HEADER.format(tool=tool).splitlines()
    where: dict[tuple, int] = {}
    keys = [k for k in ORDER if k in values] + [k for k in values if k not in ORDER]
    for key in keys:
        lines.append("")
        _write(lines, where, (key,), values[key], schema.get(key, {}), 0)
    text = "\n".join(lines) + "\n"
    if load_bytes(text.encode("utf-8")).value != values:
        raise EntryTextError("entry text does not read back as written")
    return text, where


def _write(lines: list[str], where: dict, path: tuple, value, spec: dict, depth: int) -> None:
    pad = "  " * depth
    lines += [f"{pad}# {part}" for part in _comment(spec)]
    where[path] = len(lines) + 1
    key = path[-1]
    if isinstance(value, dict):
        lines.append(f"{pad}{key}:")
        for child, sub in value.items():
            _write(
                lines,
                where,
                path + (child,),
                sub,
                spec.get("properties", {}).get(child, {}),
                depth + 1,
            )
    elif isinstance(value, list):
        lines.append(f"{pad}{key}:")
        lines += [f"{pad}  - {_scalar(item)}" for item in value]
    elif isinstance(value, str) and "\n" in value and _block_ok(value):
        lines.append(f"{pad}{key}: |-")
        lines += [f"{pad}  {row}" if row else "" for row in value.split("\n")]
    else:
        lines.append(f"{pad}{key}: {_scalar(value)}")


def _comment(spec: dict) -> list[str]:
    title, text = spec.get("title", ""), spec.get("description", "")
    if not title:
        return []
    return [f"{title}. {text}".strip() if text else f"{title}."]


def _scalar(value) -> str:
    return json.dumps(str(value), ensure_ascii=False)


def _block_ok(value: str) -> bool:
    """A literal block reads back exactly only for plain lines without trailing blanks."""
    rows = value.split("\n")
    plain = all(not r or (_BLOCK_SAFE.match(r) and r == r.rstrip()) for r in rows)
    return plain and bool(rows[0]) and bool(rows[-1])
