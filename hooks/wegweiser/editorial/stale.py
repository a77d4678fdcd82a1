"""The freshness report as Markdown: the body of the one tracking issue the schedule updates;
and the warnings for an old Stand and an ending offer (``wegweiser stale``, ``attention``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from wegweiser import urls
from wegweiser.core.findings import WARNING, Finding, read_locale
from wegweiser.core.freshness import months_between
from wegweiser.core.model import Entry
from wegweiser.editorial.mdtext import md

MARKER = "<!-- wegweiser:stale -->"  # how the scheduled job finds its own issue again
MAX_BODY = 60_000


def stale_markdown(
    entries: list[Entry],
    today: dt.date,
    months: int,
    extra: Mapping,
    site_url: str,
    lang: str = "de",
    ending: list[Entry] = (),
) -> str:
    """A checklist, oldest first, with a link to each page and to its file's editor."""
    words = {**read_locale("de")["stale"], **read_locale(lang).get("stale", {})}
    repository = urls.Repository(str(extra.get("repo_url", "")), str(extra.get("branch", "main")))
    lines = [
        MARKER,
        f"## {words['title'].format(months=months)}",
        "",
        words["lead"].format(today=today.isoformat(), count=len(entries), months=months),
        "",
    ]
    size = sum(len(line) + 1 for line in lines)
    for shown, entry in enumerate(entries):
        item = _item(entry, today, site_url, repository, words)
        size += len(item) + 1
        if size > MAX_BODY:  # an issue body holds 65,536 characters
            lines.append(words["more"].format(count=len(entries) - shown))
            break
        lines.append(item)
    if not entries:
        lines.append(words["none"])
    lines += ["", words["how"]]
    if ending:
        lines += ["", f"## {words['ending_title']}", "", words["ending_lead"], ""]
        lines += [_ending_item(entry, today, site_url, repository, words) for entry in ending]
    return "\n".join(lines) + "\n"


def _ending_item(
    entry: Entry, today: dt.date, site_url: str, repository: urls.Repository, words: dict
) -> str:
    days = (entry.valid_until - today).days
    when = words["ended" if days < 0 else "ends"].format(date=entry.valid_until.isoformat())
    tail = entry_links(entry, site_url if days >= 0 else "", repository, words)
    return f"- [ ] **{md(entry.name)}** — {md(entry.source)} — {when}{tail}"


def _item(
    entry: Entry, today: dt.date, site_url: str, repository: urls.Repository, words: dict
) -> str:
    age = months_between(entry.verified_on, today)
    return (
        f"- [ ] **{md(entry.name)}** — {md(entry.source)} — "
        f"{words['since'].format(date=entry.verified_on.isoformat(), months=age)}"
        + entry_links(entry, site_url, repository, words)
    )


def entry_links(entry: Entry, site_url: str, repository: urls.Repository, words: dict) -> str:
    """ " — [Seite](…) · [Datei bearbeiten](…)": the entry's page (where the site has an
    address; "" for a page that is gone) and its file's editor on GitHub, or ""."""
    links = []
    if site_url:
        links.append(f"[{words['page']}]({urls.absolute(site_url, urls.entry_path(entry.slug))})")
    if repository.url:
        links.append(f"[{words['edit']}]({repository.edit(entry.source)})")
    return " — " + " · ".join(links) if links else ""


def ending_finding(entry: Entry, today: dt.date) -> Finding:
    """A time-limited offer that ended (and left the site) or ends soon."""
    line, col = entry.marks.get(("valid_until",), (1, 1))
    days = (entry.valid_until - today).days
    code = "valid_until.expired" if days < 0 else "valid_until.soon"
    params = {"field": "valid_until", "value": entry.valid_until.isoformat(), "days": days}
    return Finding(entry.source, line, col, WARNING, code, params)


def stale_finding(entry: Entry, today: dt.date) -> Finding:
    """An entry whose Stand is old: at its ``verified.date``, with the command that renews it."""
    line, col = entry.marks.get(("verified", "date"), (1, 1))
    params = {
        "date": entry.verified_on.isoformat(),
        "months": months_between(entry.verified_on, today),
        "path": entry.source,
    }
    return Finding(entry.source, line, col, WARNING, "stale.old", params)
