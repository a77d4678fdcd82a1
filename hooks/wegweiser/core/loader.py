"""Load one YAML file into plain values that remember where they came from.

PyYAML's YAML 1.1 typing corrupts directory data (postcode ``01067`` becomes 567,
``8:30`` becomes 510, language ``no`` becomes False). So we never let PyYAML
construct values: we read its *event stream* (libyaml's C parser when present) and
compose the tree ourselves. Every scalar stays a string; the schema step decides
later which plain scalars are numbers or booleans. Anchors, aliases, merge keys,
explicit tags, duplicate keys, several documents and deep nesting are refused here
with a line and column, before anything could expand or run.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

import yaml

try:  # libyaml is about ten times faster; the pure-Python parser gives the same events.
    from yaml._yaml import CParser as _FastParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _FastParser = None

MAX_BYTES = 200_000
MAX_DEPTH = 12

Path = tuple  # of str keys and int indexes, e.g. ("contacts", 0, "role")


@dataclass(frozen=True)
class Problem:
    """A reason why a file cannot be used, at a 1-based line and column."""

    code: str
    line: int
    col: int
    params: dict = field(default_factory=dict)


class LoadError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class Document:
    """The loaded value plus the position of every value and key inside it."""

    value: object
    marks: dict[Path, tuple[int, int]]
    key_marks: dict[Path, tuple[int, int]]
    plain: set[Path]  # scalars written without quotes (may become numbers/booleans)

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Best position for ``path``: the key or value itself, else its nearest parent."""
        path = tuple(path)
        table = self.key_marks if key else self.marks
        while path:
            if path in table:
                return table[path]
            if path in self.marks:
                return self.marks[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# The same, in a value after escapes are decoded ("\e[2J", "\0", "\r"): a carriage return
# there is no line break of the file but an attempt to split a line of a log or an export.
_CONTROL_VALUE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_NULLS = {"", "~", "null", "Null", "NULL"}


def load_bytes(data: bytes) -> Document:
    """Decode and parse one entry file; raise LoadError with a position on any problem."""
    if len(data) > MAX_BYTES:
        raise LoadError(Problem("yaml.too_large", 1, 1, {"size": len(data), "max": MAX_BYTES}))
    text = _decode(data)
    _check_characters(text)
    return _compose(text)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a UTF-8 byte order mark is harmless: Windows editors add it
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        problem = Problem("yaml.encoding", line, col, {"byte": f"0x{data[exc.start]:02x}"})
        raise LoadError(problem) from None


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _check_characters(text: str) -> None:
    if match := _CONTROL.search(text):
        line, col = _position(text, match.start())
        raise LoadError(Problem("yaml.control_char", line, col, {"char": f"U+{ord(match[0]):04X}"}))
    if match := _TAB_INDENT.search(text):
        line, col = _position(text, match.end() - 1)
        raise LoadError(Problem("yaml.tab", line, col))


# libyaml's wording for the mistakes volunteers make most, each with its own advice.
_KNOWN_SYNTAX = [
    ("mapping values are not allowed", "yaml.colon"),
    ("found character that cannot start any token", "yaml.bad_start"),
    ("could not find expected ':'", "yaml.missing_colon"),
    ("found unexpected end of stream", "yaml.unclosed_quote"),
    # libyaml >= 0.2.5 (PyYAML 6.0.3+) stops at 1000 levels before our own depth check sees them
    ("exceeded maximum nesting depth", "yaml.too_deep"),
]


def _parser(text: str):
    return _FastParser(text) if _FastParser else yaml.SafeLoader(text)


@contextmanager
def _syntax_problems():
    """The parser's complaints as problems with a position and, where known, their own advice."""
    try:
        yield
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or ""
        code = next((c for start, c in _KNOWN_SYNTAX if problem.startswith(start)), "yaml.syntax")
        raise LoadError(Problem(code, line, col, {"problem": problem, "max": MAX_DEPTH})) from None
    except yaml.YAMLError as exc:  # reader errors without a mark
        raise LoadError(Problem("yaml.syntax", 1, 1, {"problem": str(exc)})) from None


def _mark(event) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _check_escapes(event) -> None:
    r"""Quoted scalars decode escapes such as "\e" or "\x07" into control characters."""
    if event.style == '"' and (match := _CONTROL_VALUE.search(event.value)):
        params = {"char": f"U+{ord(match[0]):04X}"}
        raise LoadError(Problem("yaml.control_char", *_mark(event), params))


class _Composer:
    """Builds dicts, lists and strings from events, with an explicit stack (no recursion)."""

    def __init__(self) -> None:
        self.marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}
        self.plain: set[Path] = set()

    def compose(self, get_event) -> object:
        """The root value; reads the events of one document node by node from ``get_event``.

        Each event is handled before the next is read, so the first problem in the file is the
        one reported. One loop without helper calls for values (keys have one, ``_key``).
        """
        marks, key_marks, plain = self.marks, self.key_marks, self.plain
        root: list = []
        # Each frame: [container, path, pending_key or None]; the bottom frame collects the root.
        stack: list[list] = [[root, None, None]]
        frame = stack[0]
        while True:
            event = get_event()
            kind = type(event)
            if kind is _MAPPING_END or kind is _SEQUENCE_END:
                stack.pop()
                if len(stack) == 1:
                    return root[0]
                frame = stack[-1]
                continue
            if kind not in _NODES or event.anchor or event.tag not in _NO_TAG:
                _refuse_features(event)  # aliases, anchors, tags; other events fail below
                if event is None:  # pragma: no cover - the parser ends every stream with an event
                    raise LoadError(Problem("yaml.empty", 1, 1))
            container, path, key = frame
            if key is None and type(container) is dict:  # a key
                frame[2] = _key(event, kind, path, key_marks)
                continue
            # the bottom frame (path None) holds the document's root value
            child_path = (
                () if path is None else path + ((len(container),) if key is None else (key,))
            )
            marks[child_path] = (event.start_mark.line + 1, event.start_mark.column + 1)
            if kind is _SCALAR:
                style = event.style
                if style == '"':
                    _check_escapes(event)
                value = event.value
                if style in _PLAIN and value in _NULLS:
                    value = None
                elif style in _PLAIN:
                    plain.add(child_path)
            elif kind is _MAPPING_START:
                value = {}
            elif kind is _SEQUENCE_START:
                value = []
            else:
                raise LoadError(Problem("yaml.syntax", *_mark(event), {"problem": kind.__name__}))
            if key is None:
                container.append(value)
            else:
                container[key] = value
                frame[2] = None
            if kind is _SCALAR:
                if len(stack) == 1:
                    return value
                continue
            if len(stack) > MAX_DEPTH:
                raise LoadError(Problem("yaml.too_deep", *_mark(event), {"max": MAX_DEPTH}))
            stack.append(frame := [value, child_path, None])


def _key(event, kind, path: tuple, key_marks: dict) -> str:
    """A mapping's key: a plain or quoted scalar, not ``<<``, not twice in one mapping."""
    if kind is not _SCALAR:
        raise LoadError(Problem("yaml.complex_key", *_mark(event)))
    style = event.style
    if style == '"':
        _check_escapes(event)
    key = event.value
    if key == "<<" and style in _PLAIN:
        raise LoadError(Problem("yaml.merge", *_mark(event)))
    key_path = path + (key,)
    if key_path in key_marks:
        params = {"key": key, "first": key_marks[key_path][0]}
        raise LoadError(Problem("yaml.duplicate_key", *_mark(event), params))
    mark = event.start_mark
    key_marks[key_path] = (mark.line + 1, mark.column + 1)
    return key


_SCALAR = yaml.ScalarEvent
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_MAPPING_END = yaml.MappingEndEvent
_SEQUENCE_END = yaml.SequenceEndEvent
_NODES = {_SCALAR, _MAPPING_START, _SEQUENCE_START}  # events that carry anchor and tag
_NO_TAG = (None, "!")  # "!" alone: the non-specific tag, which changes nothing
_PLAIN = (None, "")  # scalar styles written without quotes


def _refuse_features(event) -> None:
    """Aliases, anchors and explicit tags, refused where they stand."""
    if type(event) is yaml.AliasEvent:
        raise LoadError(Problem("yaml.alias", *_mark(event), {"name": event.anchor}))
    if getattr(event, "anchor", None):
        raise LoadError(Problem("yaml.anchor", *_mark(event), {"name": event.anchor}))
    if getattr(event, "tag", None) not in (None, "!"):
        tag = event.tag.replace("tag:yaml.org,2002:", "!!")  # as the volunteer wrote it
        raise LoadError(Problem("yaml.tag", *_mark(event), {"tag": tag}))


def _compose(text: str) -> Document:
    get_event = _parser(text).get_event
    with _syntax_problems():
        get_event()  # StreamStart
        start = get_event()
        if isinstance(start, yaml.StreamEndEvent):
            raise LoadError(Problem("yaml.empty", 1, 1))
        composer = _Composer()
        value = composer.compose(get_event)
        get_event()  # DocumentEnd
        after = get_event()
        if not isinstance(after, yaml.StreamEndEvent):
            raise LoadError(Problem("yaml.multi_document", *_mark(after)))
    return Document(value, composer.marks, composer.key_marks, composer.plain)
