"""An entry as its page shows it, in words, as Markdown: the change report puts it under
each changed entry, so an editor reads the result, not only YAML.

Name, category, town, summary, address, the coming week's hours, closures, appointment,
cost, accessibility, meetings, phone, e-mail, website, transport: in the page's words
(``ui`` of the locale), each value escaped (``mdtext.md``): it is a pull request's text.
"""

from __future__ import annotations

import datetime as dt

from wegweiser.core import hours
from wegweiser.core.findings import read_locale
from wegweiser.core.lists import Lists
from wegweiser.core.model import Entry
from wegweiser.editorial.mdtext import md
from wegweiser.site import openstate
from wegweiser.site.render import meeting_words, ui_strings


def report_words(lang: str) -> dict[str, str]:
    """The change report's words (locales: ``report``)."""
    return {**read_locale("de")["report"], **read_locale(lang).get("report", {})}


def visitor_view(entry: Entry | None, lists: Lists | None, lang: str, today: dt.date) -> list[str]:
    """The entry's page in words, as a quoted block under a heading; [] for no entry."""
    if entry is None or lists is None:
        return []
    ui = ui_strings(lang)
    category = lists["categories"].get(entry.category)
    where = [category.label(lang) if category else entry.category]
    if entry.municipality:
        where.append(entry.municipality.name)
    head = [f"**{md(entry.text('name', lang))}**", md(" · ".join(where))]
    head.append(md(entry.text("summary", lang)))
    if entry.valid_until:
        head.append(md(ui["valid_until"].format(date=f"{entry.valid_until:%d.%m.%Y}")))
    facts = [f"**{md(label)}:** {md(text, 2000)}" for label, text in _facts(entry, ui, today)]
    lines = [f"#### {report_words(lang)['visitor']}", ""]
    lines += ["> " + "  \n> ".join(head), ">"]
    return lines + [f"> - {fact}" for fact in facts] + [""]


def _facts(entry: Entry, ui: dict, today: dt.date) -> list[tuple[str, str]]:
    """(label, text) of each fact the page lists, in the page's order."""
    facts = [(ui["address"], _address(entry))]
    if entry.get("opening_hours") or entry.get("status"):
        facts.append((f"{ui['opening_hours']} ({ui['week_title']})", _week(entry, ui, today)))
    if closures := openstate.closure_lines(entry, today, ui):
        facts.append((ui["closures"], "; ".join(closures)))
    facts += _terms(entry, ui)
    if meetings := entry.get("meetings"):
        place = f", {meetings['place']}" if meetings.get("place") else ""
        facts.append((ui["meetings"], meeting_words(meetings, ui) + place))
    facts += [(ui[key], entry.get(key)) for key in ("phone", "email", "website") if entry.get(key)]
    if entry.get("transport"):
        facts.append((ui["transport"], entry.get("transport")))
    return facts


def _address(entry: Entry) -> str:
    address = entry.address
    town = " ".join(str(address.get(key, "")) for key in ("postcode", "city")).strip()
    return ", ".join(str(p) for p in (address.get("street"), address.get("extra"), town) if p)


def _week(entry: Entry, ui: dict, today: dt.date) -> str:
    """The table of the next seven days, a day per item, as the page shows it today."""
    state = entry.municipality.data.get("state") if entry.municipality else None
    schedule = hours.schedule(entry.data, state, today)
    if schedule is None:
        return str(entry.get("opening_hours", ""))
    days = []
    for row in openstate.week_rows(schedule, ui):
        extra = [text for text in (row.comment, row.note) if text]
        days.append(f"{row.day}: {row.hours}" + (f" ({'; '.join(extra)})" if extra else ""))
    return " · ".join(days)


def _terms(entry: Entry, ui: dict) -> list[tuple[str, str]]:
    """Appointment, cost and accessibility in the page's words, with their notes."""
    facts = []
    if appointment := entry.get("appointment"):
        text = _with_note(ui[f"appointment_{appointment['need']}"], appointment)
        if appointment.get("url"):
            text += f" ({ui['appointment_book']}: {appointment['url']})"
        facts.append((ui["appointment"], text))
    if cost := entry.get("cost"):
        facts.append((ui["cost"], _with_note(ui[f"cost_{cost['fee']}"], cost)))
    if access := entry.get("accessibility"):
        features = [ui[f"feature_{name}"] for name in access.get("features", ())]
        note = [access["note"]] if access.get("note") else []
        text = "; ".join([ui[f"wheelchair_{access['wheelchair']}"], *features, *note])
        facts.append((ui["accessibility"], text))
    return facts


def _with_note(text: str, value: dict) -> str:
    return f"{text}: {value['note']}" if value.get("note") else text
