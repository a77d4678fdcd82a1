"""Raw HTML in hand-written pages: what a pull request adds that visitors' browsers would run.

Entry text is always escaped; the hand-written pages under ``docs/`` are not. MkDocs
passes HTML in a Markdown page through unchanged and copies other files under ``docs/``
(an ``.html``, ``.svg`` or ``.js``) into the site as they are: a ``<script>`` there runs for
every visitor, under the site's own address. ``wegweiser report`` names each such line
with path:line so the core team looks at it before anything is merged.

What counts: a tag (``<script``, ``<iframe``, ``<div``; not an autolink such as
``<https://…>``), an event handler (``onclick=``, also in ``{ onclick=… }``; a tag that
spans lines is named by its first line anyway) and a ``javascript:`` link. Only lines the
pull request adds: a page that already had such a line (or a line that only moved) is not
named again. A theme folder there (``docs/overrides/``, as older sites had) is code,
flagged as a whole by the report's warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from wegweiser.editorial import gitrev

PAGES = "docs/"
THEME = "docs/overrides/"
MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")  # what MkDocs renders as a page
COPIED_AS_IS = (".html", ".htm", ".xhtml", ".svg", ".js", ".mjs")  # active files it copies
RAW = re.compile(
    r"</?[a-z][a-z0-9-]*(?=[\s/>]|$)"  # a tag
    r"|(?<![\w-])on[a-z]+(?:=|\s*=\s*[\"'])"  # an event handler; not "online = …"
    r"|\b(?:java|vb)script\s*:",  # a link that runs code
    re.IGNORECASE,
)
MAX_SHOWN = 120  # characters of the line shown beside path:line


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    text: str  # the line as written; "" for a file that is copied as it is


def new_lines_with_html(old: str, new: str, path: str) -> list[Hit]:
    """Lines of ``new`` with raw HTML that ``old`` did not have."""
    before = set(old.splitlines())
    return [
        Hit(path, number, line.strip())
        for number, line in enumerate(new.splitlines(), 1)
        if line not in before and RAW.search(line)
    ]


def in_pages(repo: Path, base: str, head: str, changes) -> list[Hit]:
    """Every new line of raw HTML in the pages the change adds or edits, in path order."""
    hits: list[Hit] = []
    for change in changes:
        path = change.new
        if not path.startswith(PAGES) or path.startswith(THEME):
            continue
        suffix = Path(path).suffix.lower()
        if suffix in COPIED_AS_IS:
            hits.append(Hit(path, 1, ""))
        elif suffix in MARKDOWN:
            old = gitrev.blob_text(repo, base, change.old) if change.old else ""
            hits += new_lines_with_html(old, gitrev.blob_text(repo, head, path), path)
    return hits
