"""Untrusted text into GitHub Markdown (job summaries, issues, pull requests), inert.

Entry text comes from anyone's pull request. In Markdown it must stay text: no HTML,
no links or images, no @mentions or #references, no emoji codes, no table breaks, and
no line of its own (a line starting with ``::`` in a job log is a workflow command).
CommonMark lets every ASCII punctuation character be escaped with a backslash, so we
escape all of them, fold every line break into a space and name invisible characters.
"""

from __future__ import annotations

import re
import string

MAX_SHOWN = 300
_PUNCTUATION = set(string.punctuation)
_SPACES = re.compile(r"\s+")


def md(value: object, limit: int = MAX_SHOWN) -> str:
    """``value`` as Markdown that shows exactly its characters, on one line, cut at ``limit``."""
    text = _SPACES.sub(" ", str(value)).strip()
    cut = len(text) > limit
    out = []
    for char in text[:limit]:
        if char in _PUNCTUATION:
            out.append("\\" + char)
        elif not char.isprintable() or char in "\u200b\u200c\u200d\u2060\ufeff":
            out.append(f"\\<U\\+{ord(char):04X}\\>")
        else:
            out.append(char)
    return "".join(out) + (" …" if cut else "")
