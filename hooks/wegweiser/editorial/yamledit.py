"""Change one value in an entry file in place: comments, order and layout stay as they are.

The value's exact span comes from PyYAML's scanner (start and end of the scalar token);
a missing key is added beside its siblings. The result is read again and must equal the
old values with exactly this one change, so an unusual layout is refused, never garbled.
"""

from __future__ import annotations

import copy
import json

import yaml

from wegweiser.core.loader import LoadError, load_bytes


class EditError(Exception):
    """This value cannot be changed automatically (the editors change it by hand)."""


def set_value(text: str, path: tuple, value: str) -> str:
    """``text`` with the scalar at ``path`` (e.g. ("address", "street")) set to ``value``."""
    try:
        doc = load_bytes(text.encode("utf-8"))
    except LoadError as exc:
        raise EditError(exc.problem.code) from None
    if _get(doc.value, path) == value:
        return text  # nothing to do: keep the quoting as the volunteer wrote it
    new = json.dumps(value, ensure_ascii=False)
    if path in doc.marks:
        changed = _replace(text, doc.marks[path], new)
    else:
        changed = _insert(text, doc, path, new)
    expected = copy.deepcopy(doc.value)
    node = expected
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    try:
        ok = load_bytes(changed.encode("utf-8")).value == expected
    except LoadError:
        ok = False
    if not ok:
        raise EditError("edit.layout")
    return changed


def _replace(text: str, mark: tuple[int, int], new: str) -> str:
    line, col = mark
    for token in yaml.scan(text):
        start = token.start_mark
        if isinstance(token, yaml.ScalarToken) and (start.line + 1, start.column + 1) == (
            line,
            col,
        ):
            return text[: start.index] + new + text[token.end_mark.index :]
    raise EditError("edit.layout")


def _insert(text: str, doc, path: tuple, new: str) -> str:
    """A new key: at the end for a top-level field, else before its first sibling."""
    lines = text.split("\n")
    if len(path) == 1:
        while lines and lines[-1] == "":
            lines.pop()
        return "\n".join([*lines, f"{path[0]}: {new}", ""])
    siblings = [pos for key, pos in doc.key_marks.items() if key[:-1] == path[:-1]]
    if not siblings:
        raise EditError("edit.layout")
    line, col = min(siblings)
    lines.insert(line - 1, f"{' ' * (col - 1)}{path[-1]}: {new}")
    return "\n".join(lines)


def _get(data, path: tuple):
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
