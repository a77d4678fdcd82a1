"""What needs an editor, in one list grouped by municipality: ``wegweiser attention``.

An old Stand, offers that end soon or ended, broken or moved links (from the last
``wegweiser links``, read from ``entries/_linkcheck.json``, never the network), places the
map shows only at their municipality's centre (located from the committed cache), texts
that an interface language shows in German, and places without phone, e-mail or website.

Two forms: lines ``path:line:col: warning: …`` like ``wegweiser stale``, and Markdown, one
section per municipality. That section is the body of the municipality's issue, which the
weekly care job keeps up to date, one issue per municipality (``.ci/attention-issues``
finds its issue again by the section's marker).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wegweiser import urls
from wegweiser.core import freshness
from wegweiser.core.findings import WARNING, Finding, message, read_locale, sort_key
from wegweiser.core.model import Directory, Entry, is_sensitive
from wegweiser.editorial import links
from wegweiser.editorial.mdtext import md
from wegweiser.editorial.stale import ending_finding, entry_links, stale_finding

# The kinds of work, in the order each municipality's list shows them.
KINDS = ("stale", "ending", "links", "approximate", "contact", "translations")
MARKER = "<!-- wegweiser:attention:{id} -->"  # how the care job finds a municipality's issue
NO_MUNICIPALITY = "ohne-gemeinde"  # the group of entries whose city is in no list
MAX_BODY = 60_000  # an issue body holds 65,536 characters


@dataclass(frozen=True)
class Item:
    """One thing to do: its kind (of KINDS), the entry, and the warning at its place."""

    kind: str
    entry: Entry
    finding: Finding


@dataclass
class Attention:
    """Everything to do, by municipality (id -> items in the order of KINDS, then file)."""

    today: dt.date
    months: int  # a Stand this old is stale
    languages: tuple[str, ...]  # the interface languages a translation is missing for
    groups: dict[str, list[Item]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # municipality id -> its name

    @property
    def count(self) -> int:
        return sum(len(items) for items in self.groups.values())


def collect(
    directory: Directory,
    link_findings: Iterable[Finding],
    today: dt.date,
    months: int,
    languages: Iterable[str],
) -> Attention:
    """The attention list of ``directory`` (located, offers past their end kept in)."""
    wanted = tuple(code for code in languages if code != "de")
    entries = list(directory.entries.values())
    by_source = {entry.source: entry for entry in entries}
    old = freshness.stale_entries(entries, today, months)
    items = [Item("stale", e, stale_finding(e, today)) for e in old]
    ending = freshness.ending_entries(entries, today)
    items += [Item("ending", e, ending_finding(e, today)) for e in ending]
    items += [
        Item("links", by_source[f.path], f)
        for f in sorted(link_findings, key=sort_key)
        if f.path in by_source
    ]
    items += [Item("approximate", e, f) for e in entries if (f := _approximate(e, directory))]
    items += [Item("contact", e, f) for e in entries if (f := _no_contact(e))]
    items += [Item("translations", e, f) for e in entries if (f := _untranslated(e, wanted))]
    attention = Attention(today, months, wanted)
    order = {mid: n for n, mid in enumerate(directory.lists["municipalities"])}
    for item in sorted(items, key=lambda i: _place_in_list(i, order)):
        attention.groups.setdefault(_municipality(item.entry), []).append(item)
    attention.names = {mid: municipality_name(mid, directory) for mid in attention.groups}
    return attention


def _place_in_list(item: Item, order: dict[str, int]) -> tuple:
    where = order.get(_municipality(item.entry), len(order))
    return (where, KINDS.index(item.kind), item.entry.source, sort_key(item.finding))


def _municipality(entry: Entry) -> str:
    return entry.municipality.id if entry.municipality else NO_MUNICIPALITY


def municipality_name(mid: str, directory: Directory) -> str:
    """The municipality's name ("" for NO_MUNICIPALITY)."""
    term = directory.lists["municipalities"].get(mid)
    return term.name if term else ""


def _approximate(entry: Entry, directory: Directory) -> Finding | None:
    """Shown at the municipality's centre, though it is not a shelter (those must be)."""
    if entry.place is None or not entry.place.approximate or is_sensitive(entry, directory):
        return None
    where = ("address", "street") if ("address", "street") in entry.marks else ("address",)
    line, col = entry.marks.get(where, (1, 1))
    params = {"city": entry.address.get("city", "")}
    return Finding(entry.source, line, col, WARNING, "place.approximate", params)


def _no_contact(entry: Entry) -> Finding | None:
    """No phone, e-mail or website, neither the place's own nor a contact person's."""
    people = entry.get("contacts") or []
    if any(entry.get(key) for key in ("phone", "email", "website")) or any(
        person.get("phone") or person.get("email") for person in people
    ):
        return None
    line, col = entry.marks.get(("name",), (1, 1))
    return Finding(entry.source, line, col, WARNING, "contact.missing", {})


def _untranslated(entry: Entry, languages: tuple[str, ...]) -> Finding | None:
    """The texts each interface language shows in German: "en (summary); ar (name, …)"."""
    missing = [(code, entry.german_texts(code)) for code in languages]
    shown = "; ".join(f"{code} ({', '.join(keys)})" for code, keys in missing if keys)
    if not shown:
        return None
    line, col = entry.marks.get(("name",), (1, 1))
    return Finding(entry.source, line, col, WARNING, "translation.missing", {"languages": shown})


def link_findings(root: Path, entries_dir: Path) -> list[Finding]:
    """Each place in an entry that names an address the last link check found broken or
    moved (``entries/_linkcheck.json``); raises links.ResultsError for an unreadable file."""
    results = links.read_results(entries_dir / links.RESULTS_NAME)
    found = []
    for link in links.find_links(root, entries_dir):
        if link.url in results and (finding := links.finding(link, results[link.url])):
            found.append(finding)
    return found


# -- the Markdown: one section per municipality, the body of its issue -----------------------


def words(lang: str) -> dict[str, str]:
    """The list's words, with the freshness report's (page, edit) beneath them."""
    merged = {**read_locale("de")["stale"], **read_locale(lang).get("stale", {})}
    return {**merged, **read_locale("de")["attention"], **read_locale(lang).get("attention", {})}


@dataclass(frozen=True)
class Targets:
    """Where the list links each entry: its page on the site and its file on GitHub."""

    site_url: str = ""
    repository: urls.Repository = field(default_factory=urls.Repository)


def title(attention: Attention, mid: str, lang: str = "de") -> str:
    """The title of the municipality's issue."""
    name = attention.names.get(mid) or words(lang)["no_municipality"]
    return words(lang)["issue_title"].format(municipality=name)


def section(attention: Attention, mid: str, where: Targets, lang: str = "de") -> str:
    """The Markdown of one municipality: its marker, then what to do, kind by kind."""
    said = words(lang)
    items = attention.groups.get(mid, [])
    name = attention.names.get(mid) or said["no_municipality"]
    lines = [MARKER.format(id=mid), f"## {said['heading'].format(municipality=md(name))}", ""]
    lines += [said["lead"].format(today=attention.today.isoformat(), count=len(items)), ""]
    if not items:
        return "\n".join([*lines, said["none"]]) + "\n"
    size = sum(len(line) + 1 for line in lines)
    for kind in KINDS:
        chosen = [item for item in items if item.kind == kind]
        if not chosen:
            continue
        block = _block(kind, chosen, attention, where, said, lang)
        size += sum(len(line) + 1 for line in block)
        if size > MAX_BODY:
            lines.append(said["more"].format(municipality=mid))
            break
        lines += block
    return "\n".join(lines).rstrip() + "\n"


def _block(kind: str, items: list[Item], attention: Attention, where: Targets, said, lang):
    heading = said[f"kind_{kind}"].format(months=attention.months)
    lines = [f"### {heading}", "", said[f"how_{kind}"], ""]
    if kind == "translations":
        return lines + _translation_lines(items, attention.languages) + [""]
    for item in items:
        text, _hint = message(item.finding, lang)
        place = f"{item.finding.path}:{item.finding.line}"
        site_url = "" if item.entry.expired(attention.today) else where.site_url
        tail = entry_links(item.entry, site_url, where.repository, said)
        lines.append(f"- [ ] **{md(item.entry.name)}** — {md(place)} — {md(text)}{tail}")
    return lines + [""]


def _translation_lines(items: list[Item], languages: tuple[str, ...]) -> list[str]:
    """One line per interface language: the entries it shows in German, with the texts."""
    lines = []
    for code in languages:
        shown = [
            f"{md(item.entry.name)} \\({md(', '.join(keys))}\\)"
            for item in items
            if (keys := item.entry.german_texts(code))
        ]
        if shown:
            language = f"{read_locale(code).get('name', code)} ({code})"
            lines.append(f"- [ ] **{md(language)}:** " + "; ".join(shown))
    return lines


def everything(attention: Attention, where: Targets, lang: str = "de") -> str:
    """All municipalities with something to do, one section each (for reading, not issues)."""
    if not attention.groups:
        return f"{words(lang)['none']}\n"
    return "\n".join(section(attention, mid, where, lang) for mid in attention.groups)


def write_issues(attention: Attention, where: Targets, folder: Path, lang: str = "de") -> None:
    """For the care job: ``<municipality>.md`` for each municipality with something to do,
    and ``index.json`` naming them with their issue's title and number of items."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    index = {}
    for mid, items in attention.groups.items():
        (folder / f"{mid}.md").write_text(section(attention, mid, where, lang), "utf-8")
        index[mid] = {"title": title(attention, mid, lang), "count": len(items)}
    text = json.dumps(index, ensure_ascii=False, indent=1, sort_keys=True)
    (folder / "index.json").write_text(text + "\n", "utf-8")
