"""Property tests (hypothesis): random YAML and random field values through load → validate → render.

Whatever a pull request holds: no exception escapes, every finding has a line and a
column, every message is one line, and accepted text reaches the page escaped.
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path

import markupsafe
import pytest
from helpers import FIXTURES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wegweiser.core.findings import format_github, format_text
from wegweiser.core.model import Directory
from wegweiser.core.validate import Validator
from wegweiser.site.render import Renderer, SiteSettings

TODAY = dt.date(2026, 11, 24)
FAST = settings(
    max_examples=1500,
    deadline=None,
    database=None,  # nothing written into the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# Pieces that YAML, Markdown, HTML and templates give meaning to, and text around them.
TOKENS = [
    "name", "category", "summary", "address", "city", "description", "contacts", "role",
    ": ", ":", "- ", "\n", "\r\n", "  ", "\t", "#", "&a ", "*a", "!!python/object ", "!x ",
    "<<: ", "{", "}", "[", "]", ",", '"', "'", "|", ">", "---\n", "...", "%YAML 1.1\n",
    "? ", "\\", "\\e", "\\x07", "<script>", "</script>", "{{ 7*7 }}", "{% x %}", "${x}", "`",
    "javascript:", "[x](", ")", "\ufeff", "\u202e", "\u200b", "\u200c", "مرکز", "ü", "\x00",
    "\x1b", "\xff", "Leer", "netzwerk", "2026-01-01", "0491 999028-21", ".nan", "1e400",
]  # fmt: skip
VALID = {
    "name": "Ein Ort",
    "category": "netzwerk",
    "summary": "Ein Ort zum Prüfen der Eigenschaften.",
    "address": {"street": "Hauptstraße 1", "city": "Leer"},
    "verified": {"date": "2026-01-01", "by": "Redaktion"},
}


@pytest.fixture(scope="module")
def validator():
    return Validator(FIXTURES, FIXTURES / "site" / "entries", today=TODAY)


def check(validator, path: Path, data: bytes):
    """check_file on ``data``; asserts what must hold for every finding."""
    path.write_bytes(data)
    entry, findings = validator.check_file(path)
    for finding in findings:
        assert finding.line >= 1 and finding.col >= 1, finding
        for line in (format_text(finding), format_github(finding), format_text(finding, "en")):
            assert "\n" not in line and "\r" not in line
    assert entry is None or not any(f.is_error for f in findings)
    return entry, findings


@pytest.mark.slow
@FAST
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=40))
def test_random_yaml_never_escapes_as_an_exception(validator, tmp_path, pieces):
    check(validator, tmp_path / "zufall.yml", "".join(pieces).encode("utf-8", "surrogatepass"))


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_never_escape_as_an_exception(validator, tmp_path, data):
    check(validator, tmp_path / "bytes.yml", data)


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.seen: set[str] = set()
        self.handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.seen.add(tag)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]


PAGE_TAGS = {"div", "h1", "h2", "p", "dl", "dt", "dd", "a", "br", "ul", "li", "strong", "time"}
PAGE_TAGS |= {"em", "code", "blockquote", "ol", "span", "button"}
MARKUP = ["<script>", "</script>", "<img src=x onerror=alert(1)>", '"', "'", "&amp;", "&", "<",
          ">", "{{ 7*7 }}", "{% raw %}", "${x}", "`", "\\", "::error::", "[x](#a)", "*", "_"]  # fmt: skip
# Printable text of every script (no controls, no invisible format characters), mixed with markup.
printable = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), max_size=6)
texts = st.lists(st.sampled_from(MARKUP) | printable, min_size=1, max_size=12).map(
    lambda parts: "Ort " + "".join(parts) + " zum Prüfen"
)


@pytest.mark.slow
@FAST
@given(name=texts, summary=texts, street=texts, role=texts, by=texts, description=texts)
def test_accepted_text_appears_escaped(validator, tmp_path, **values):
    data = json.loads(json.dumps(VALID))
    data["name"], data["summary"] = values["name"], values["summary"]
    data["address"]["street"], data["verified"]["by"] = values["street"], values["by"]
    data["contacts"] = [{"role": values["role"]}]
    data["description"] = values["description"]
    text = json.dumps(data, ensure_ascii=False)  # JSON is YAML; every value a quoted string
    entry, _findings = check(validator, tmp_path / "werte.yml", text.encode("utf-8"))
    event("accepted" if entry else "refused")
    if entry is None:
        return
    page = Renderer(Directory.build([entry], validator.lists), SiteSettings()).entry(entry)
    for key in ("name", "summary", "street", "role"):
        assert str(markupsafe.escape(values[key])) in page, key
    tags = Tags()
    tags.feed(page)
    assert tags.handlers == []
    assert tags.seen <= PAGE_TAGS, tags.seen - PAGE_TAGS
