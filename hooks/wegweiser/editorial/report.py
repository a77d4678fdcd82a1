"""The change report of a pull request: what happens to the directory if it is merged.

``wegweiser report BASE HEAD`` compares two commits: entries added, changed (field by
field, old → new), renamed and removed; where each changed place lands on the map
(cache and gazetteer only, never the network); messages that are new at HEAD; whether
anything outside ``entries/`` changed too (program, settings, pages, tests, CI: all of it
needs the core team); and each new line of raw HTML in a hand-written page
(``rawhtml.py``); and each changed entry as its page will show it (``visitor.py``).
Everything from an entry is escaped (``mdtext.md``).

In CI the report runs with the code of the base branch (``pruefen.yml``, job ``bericht``),
never with the pull request's own: a pull request cannot switch off its own warning.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from wegweiser import geo, urls
from wegweiser.core.findings import format_text, read_locale
from wegweiser.core.freshness import build_date
from wegweiser.core.lists import Lists
from wegweiser.core.loader import LoadError, load_bytes
from wegweiser.core.model import Entry
from wegweiser.core.validate import Result, base_schema
from wegweiser.editorial import gitrev, rawhtml, revisions
from wegweiser.editorial.mdtext import md
from wegweiser.editorial.visitor import visitor_view
from wegweiser.settings import Environment, SettingsError, read_project

MAX_DETAILED = 100  # entries shown in detail
MAX_CELL = 5000  # the longest text an entry may have: editors see it whole
MAX_REPORT = 900_000  # bytes; GitHub takes at most 1 MiB of job summary


@dataclass
class EntryChange:
    status: str  # added, changed, renamed, removed
    old_path: str
    new_path: str
    old: dict | None  # the file's raw fields (None: missing or unreadable)
    new: dict | None
    entry: Entry | None = None  # the valid entry at HEAD (None: not published)


@dataclass
class Comparison:
    entries: list[EntryChange] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)
    new_findings: list = field(default_factory=list)
    geocode_findings: list = field(default_factory=list)
    raw_html: list[rawhtml.Hit] = field(default_factory=list)
    head_lists: Lists | None = None  # the lists at HEAD: names of categories for visitor_view


def is_code(path: str) -> bool:
    """Everything outside entries/ runs, builds or shapes the site: only the core team
    approves it (.github/CODEOWNERS), whatever the folder; editors approve entries."""
    return not path.startswith(f"{gitrev.ENTRIES}/")


def is_entry(path: str) -> bool:
    parts = path.split("/")
    return (
        parts[0] == gitrev.ENTRIES
        and len(parts) > 1
        and path.endswith((".yml", ".yaml"))
        and not any(p.startswith(("_", ".")) for p in parts[1:])
    )


def compare(repo: Path, base: str, head: str, today: dt.date | None = None) -> Comparison:
    """Everything the report says, computed from two commits of ``repo``."""
    base_rev, head_rev = gitrev.resolve(repo, base), gitrev.resolve(repo, head)
    changes = gitrev.changed_files(repo, base_rev, head_rev)
    if any(_touches_entries(c) for c in changes):
        comparison = _compare_entries(repo, base_rev, head_rev, changes, today)
    else:  # code or docs only: nothing to validate
        comparison = _sort_files(changes, None, None)
    comparison.raw_html = rawhtml.in_pages(repo, base_rev, head_rev, changes)
    return comparison


def _compare_entries(repo: Path, base_rev: str, head_rev: str, changes, today) -> Comparison:
    with tempfile.TemporaryDirectory(prefix="wegweiser-report-") as tmp:
        old, new = revisions.check_both(repo, base_rev, head_rev, Path(tmp), today)
        comparison = _sort_files(changes, old, new)
        comparison.head_lists = new.result.directory.lists
        _locate(comparison, new, repo)
    comparison.new_findings = _new_findings(old.result, new.result, changes)
    comparison.new_findings += comparison.geocode_findings
    return comparison


def _touches_entries(change: gitrev.FileChange) -> bool:
    return any(p.startswith(f"{gitrev.ENTRIES}/") for p in (change.old, change.new))


def _sort_files(changes, old: revisions.Side | None, new: revisions.Side | None) -> Comparison:
    comparison = Comparison()
    entries = new.result.directory.entries.values() if new else []
    by_source = {e.source: e for e in entries}
    for change in changes:
        path = change.new or change.old
        if is_code(path) or (change.old and is_code(change.old)):
            comparison.code.append(path)
        elif is_entry(change.new) or is_entry(change.old):
            status = {"A": "added", "D": "removed", "R": "renamed"}.get(change.status, "changed")
            comparison.entries.append(
                EntryChange(
                    status,
                    change.old,
                    change.new,
                    _raw(old, change.old),
                    _raw(new, change.new),
                    by_source.get(change.new),
                )
            )
        elif path.startswith(f"{gitrev.ENTRIES}/_lists/"):
            comparison.lists.append(path)
        else:
            comparison.other.append(path)
    return comparison


def _raw(side: revisions.Side | None, path: str) -> dict | None:
    """The fields as written, even when the entry is invalid (the diff still helps)."""
    data = side.read(path) if side and path else None
    if data is None:
        return None
    try:
        value = load_bytes(data).value
    except LoadError:
        return None
    return value if isinstance(value, dict) else None


def _locate(comparison: Comparison, new: revisions.Side, repo: Path) -> None:
    """Where added or changed places land: committed cache and gazetteer, never the network."""
    wanted = [c.entry for c in comparison.entries if c.entry is not None]
    if not wanted:
        return
    try:
        offline = Environment({"WEGWEISER_OFFLINE": "1"})
        settings = read_project(repo, offline).geocoding
    except SettingsError:  # the pull request's mkdocs.yml: the build says what is wrong
        settings = geo.GeocodeSettings(offline=True)
    lists, entries_dir = new.result.directory.lists, new.root / gitrev.ENTRIES
    located = geo.locate_directory(wanted, lists, entries_dir, settings, max_lookups=0)
    # "not looked up yet" is said beside the place; the rest (outside the region, other
    # postcode, not found) are messages the editors should read.
    quiet = {"geocode.unavailable", "geocode.unavailable_none"}
    comparison.geocode_findings = [f for f in located.findings if f.code not in quiet]


def _finding_key(finding, renamed: dict[str, str]) -> tuple:
    path = renamed.get(finding.path, finding.path)
    return (path, finding.code, tuple(sorted((k, str(v)) for k, v in finding.params.items())))


def _new_findings(old: Result, new: Result, changes) -> list:
    """Messages at HEAD that BASE did not have (a moved line is not a new message)."""
    renamed = {c.new: c.old for c in changes if c.status == "R"}
    before = {_finding_key(f, {}) for f in old.findings}
    return [f for f in new.findings if _finding_key(f, renamed) not in before]


# -- the Markdown ----------------------------------------------------------------------------


def flatten(value, prefix: str = "") -> dict[str, str]:
    """Fields as ``dotted.path -> text``: lists of words on one line, people one by one."""
    if isinstance(value, dict):
        flat: dict[str, str] = {}
        for key, child in value.items():
            flat.update(flatten(child, f"{prefix}{key}."))
        return flat
    if isinstance(value, list):
        if all(not isinstance(item, (dict, list)) for item in value):
            return {prefix[:-1]: ", ".join(str(item) for item in value)}
        flat = {}
        for index, item in enumerate(value, 1):
            flat.update(flatten(item, f"{prefix[:-1]}[{index}]."))
        return flat
    return {prefix[:-1]: "" if value is None else str(value)}


def field_rows(old: dict | None, new: dict | None) -> list[tuple[str, str, str]]:
    """(field, old, new) for every field that differs, in the order of the newer file."""
    before, after = flatten(old or {}), flatten(new or {})
    keys = list(after) + [k for k in before if k not in after]
    return [(k, before.get(k, ""), after.get(k, "")) for k in keys if before.get(k) != after.get(k)]


def _titles() -> dict[str, str]:
    schema = base_schema()["properties"]
    titles = {key: sub.get("title", key) for key, sub in schema.items()}
    for key, sub in schema.items():
        nested = sub.get("properties") or sub.get("items", {}).get("properties") or {}
        for child, spec in nested.items():
            titles[f"{key}.{child}"] = f"{titles[key]}: {spec.get('title', child)}"
    return titles


def _label(path: str, titles: dict[str, str]) -> str:
    plain = "".join(part.split("[")[0] + "." for part in path.split(".")).rstrip(".")
    title = titles.get(plain) or titles.get(plain.split(".")[0], "")
    return f"{md(title)} \\({md(path)}\\)" if title else md(path)


def render_markdown(comparison: Comparison, lang: str = "de") -> str:
    words = {**read_locale("de")["report"], **read_locale(lang).get("report", {})}
    lines = [f"## {words['title']}", ""]
    if comparison.code:
        lines += _code_warning(comparison.code, words)
    if comparison.raw_html:
        lines += _raw_html_warning(comparison.raw_html, words)
    lines += [_summary_line(comparison, words), ""]
    for kind in ("lists", "other"):
        paths = getattr(comparison, kind)
        if paths:
            lines += [f"{words[kind]} {_paths(paths)}", ""]
    titles = _titles()
    today = build_date()  # the week of opening hours a visitor sees now
    for change in comparison.entries[:MAX_DETAILED]:
        lines += _entry_section(change, words, titles, lang)
        lines += visitor_view(change.entry, comparison.head_lists, lang, today)
    if len(comparison.entries) > MAX_DETAILED:
        lines += [words["more"].format(count=len(comparison.entries) - MAX_DETAILED), ""]
    lines += _findings_section(comparison.new_findings, words, lang)
    return _capped("\n".join(lines).rstrip() + "\n", words)


def _capped(text: str, words: dict) -> str:
    """Cut at a line end below GitHub's size limit (in bytes, not characters), and say so."""
    data = text.encode("utf-8")
    if len(data) <= MAX_REPORT:
        return text
    head = data[:MAX_REPORT].decode("utf-8", "ignore")
    return head[: head.rfind("\n") + 1] + f"\n{words['cut']}\n"


def _paths(paths: list[str], most: int = 30) -> str:
    return ", ".join(md(p) for p in paths[:most]) + (" …" if len(paths) > most else "")


def _code_warning(paths: list[str], words: dict) -> list[str]:
    return ["> [!WARNING]", f"> **{words['code']}** {_paths(paths)}", f"> {words['code_hint']}", ""]


def _raw_html_warning(hits: list[rawhtml.Hit], words: dict) -> list[str]:
    """Each new line of raw HTML in a page, as path:line and the line itself (escaped)."""
    lines = ["> [!CAUTION]", f"> **{words['raw_html']}**", ">"]
    for hit in hits[:MAX_DETAILED]:
        shown = md(hit.text, rawhtml.MAX_SHOWN) if hit.text else words["raw_file"]
        lines.append(f"> - {md(f'{hit.path}:{hit.line}')} — {shown}")
    if len(hits) > MAX_DETAILED:
        lines.append(f"> - {words['raw_more'].format(count=len(hits) - MAX_DETAILED)}")
    return [*lines, ">", f"> {words['raw_html_hint']}", ""]


def _summary_line(comparison: Comparison, words: dict) -> str:
    counts = {s: 0 for s in ("added", "changed", "renamed", "removed")}
    for change in comparison.entries:
        counts[change.status] += 1
    errors = sum(f.is_error for f in comparison.new_findings)
    return words["summary"].format(
        **counts, errors=errors, warnings=len(comparison.new_findings) - errors
    )


def _entry_section(change: EntryChange, words: dict, titles: dict, lang: str) -> list[str]:
    data = change.new if change.new is not None else change.old
    name = md((data or {}).get("name") or "?")
    if change.status == "renamed":
        where = f"{md(change.old_path)} → {md(change.new_path)}"
    else:
        where = md(change.new_path or change.old_path)
    lines = [f"### {words[change.status]}: {name}", "", where, ""]
    if change.status == "renamed" and Path(change.old_path).stem != Path(change.new_path).stem:
        lines += [words["new_address"], ""]  # the slug is the page's address
    if change.status != "removed" and _place_matters(change):
        lines += _state_line(change, words)
    lines += _table(change, words, titles)
    return lines


def _place_matters(change: EntryChange) -> bool:
    """The map line for new places and moved addresses; a new phone number needs none."""
    if change.entry is None or change.status == "added":
        return True
    return any(
        k.startswith(("address", "location")) for k, _o, _n in field_rows(change.old, change.new)
    )


def _state_line(change: EntryChange, words: dict) -> list[str]:
    if change.entry is None:
        return [f"**{words['not_published']}**", ""]
    place = change.entry.place
    if place is None:
        return [words["no_place"], ""]
    link = f"[{place.lat:.5f}, {place.lon:.5f}]({urls.osm_link(place.lat, place.lon)})"
    if not place.approximate:
        kind = words[f"precision_{place.precision}"]
    elif change.entry.address.get("street"):
        kind = words["approximate"]
    else:
        kind = words["no_street"]
    return [f"{words['map']} {link} — {kind}", ""]


def _table(change: EntryChange, words: dict, titles: dict) -> list[str]:
    if change.status == "removed":
        return []
    if change.status == "added":
        rows = [(k, v) for k, _old, v in field_rows(None, change.new)]
        head = [f"| {words['field']} | {words['value']} |", "| --- | --- |"]
        return head + [f"| {_label(k, titles)} | {md(v, MAX_CELL)} |" for k, v in rows] + [""]
    rows = field_rows(change.old, change.new)
    if not rows:
        return [words["same"], ""]
    head = [f"| {words['field']} | {words['old']} | {words['new']} |", "| --- | --- | --- |"]
    body = [f"| {_label(k, titles)} | {_cell(o, words)} | {_cell(n, words)} |" for k, o, n in rows]
    return head + body + [""]


def _cell(value: str, words: dict) -> str:
    return md(value, MAX_CELL) if value != "" else f"*{words['empty']}*"


def _findings_section(findings: list, words: dict, lang: str) -> list[str]:
    if not findings:
        return []
    lines = [f"### {words['findings']}", ""]
    for finding in findings[:MAX_DETAILED]:
        lines.append(f"- {md(format_text(finding, lang), limit=600)}")
    return lines + [""]
