"""Findings: one message format for the command line, pull requests and the build.

``path:line:col: error|warning: what is wrong — how to fix it``

A finding stores a message *code* and its parameters; the words come from the
locale files (``locales/<lang>.yml``, section ``messages``), so the same finding
reads in German or English and tests can assert the exact text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources

from wegweiser.core.loader import load_bytes

ERROR = "error"
WARNING = "warning"
MAX_QUOTE = 60


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    severity: str
    code: str
    params: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def quote(value: object) -> str:
    """Show a bad value safely: on one line, invisible characters named, long values cut."""
    text = str(value)
    shown = []
    for char in text[:MAX_QUOTE]:
        if char.isprintable() and char not in "\u200b\u200c\u200d\u2060\ufeff":
            shown.append(char)
        else:
            shown.append(f"<U+{ord(char):04X}>")
    more = "…" if len(text) > MAX_QUOTE else ""
    return '"' + "".join(shown) + more + '"'


@functools.cache
def catalog(lang: str) -> dict[str, dict[str, str]]:
    """The messages of one language; English fills gaps so a message is never missing."""
    messages = read_locale("en").get("messages", {})
    if lang != "en":
        messages = {**messages, **read_locale(lang).get("messages", {})}
    return messages


@functools.cache
def read_locale(lang: str) -> dict:
    data = (
        resources.files("wegweiser.core").joinpath("locales").joinpath(f"{lang}.yml").read_bytes()
    )
    return load_bytes(data).value  # our loader: "yes" and "no" stay words


def message(finding: Finding, lang: str = "de") -> tuple[str, str]:
    """The message and the hint for a finding, in ``lang``."""
    entry = catalog(lang).get(finding.code)
    if entry is None:  # a programming mistake, but still never a crash in front of a volunteer
        return finding.code, ", ".join(f"{k}={v}" for k, v in finding.params.items())
    params = {k: quote(v) if k.startswith("value") else v for k, v in finding.params.items()}
    if "reason" in params:  # a reason code ("timeout") in words, where the locale has them
        reason = catalog(lang).get(f"reason.{params['reason']}")
        params["reason"] = reason["text"] if reason else params["reason"]
    return entry["text"].format_map(params), entry.get("hint", "").format_map(params)


def one_line(text: str) -> str:
    """Every character a terminal or CI log would not print as itself, named instead.

    A file name or a duplicated key may hold a line break; raw, it would start a new log
    line such as ``::error::…`` that GitHub Actions reads as a command of its own.
    """
    return "".join(c if c.isprintable() else f"<U+{ord(c):04X}>" for c in text)


def format_text(finding: Finding, lang: str = "de") -> str:
    text, hint = message(finding, lang)
    tail = f" — {hint}" if hint else ""
    line = f"{finding.path}:{finding.line}:{finding.col}: {finding.severity}: {text}{tail}"
    return one_line(line)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(finding: Finding, lang: str = "de") -> str:
    """A workflow command that GitHub shows as an annotation on the changed line.

    Everything a volunteer wrote is escaped, so text such as ``::stop-commands::``
    inside an entry can never start a command of its own.
    """
    text, hint = message(finding, lang)
    body = one_line(f"{text} — {hint}" if hint else text)
    props = ",".join(
        f"{key}={_escape_property(one_line(str(value)))}"
        for key, value in (("file", finding.path), ("line", finding.line), ("col", finding.col))
    )
    return f"::{finding.severity} {props}::{_escape_data(body)}"


def sort_key(finding: Finding) -> tuple:
    return (finding.path, finding.line, finding.col, finding.code)
