"""Impressum, Datenschutz and Barrierefreiheit name who runs the site: from mkdocs.yml.

The hand-written pages hold a marker ``<!-- wegweiser:betreiber -->``; the build puts
the operator's details from ``extra.wegweiser.operator`` there, so a region that takes
over the project edits one setting instead of three pages. Values are escaped.
"""

from __future__ import annotations

import html

MARKER = "<!-- wegweiser:betreiber -->"
FIELDS = ("name", "street", "postcode", "city", "email", "phone", "responsible")


def operator_block(extra: dict) -> str:
    """The operator as Markdown lines; a clearly marked placeholder when none is set."""
    operator = {k: str(v) for k, v in ((extra or {}).get("operator") or {}).items() if v}
    if not operator.get("name"):
        return (
            "**Noch kein Betreiber eingetragen.** Tragen Sie in `mkdocs.yml` unter "
            "`extra.wegweiser.operator` Name, Anschrift und Kontakt der verantwortlichen "
            "Stelle ein."
        )
    e = {k: html.escape(v) for k, v in operator.items()}
    town = " ".join(p for p in (e.get("postcode", ""), e.get("city", "")) if p)
    lines = [f"**{e['name']}**", e.get("street", ""), town]
    if "email" in e:
        lines.append(f'E-Mail: <a href="mailto:{e["email"]}">{e["email"]}</a>')
    if "phone" in e:
        lines.append(f"Telefon: {e['phone']}")
    if "responsible" in e:
        lines.append(f"Verantwortlich für den Inhalt: {e['responsible']}")
    return "  \n".join(line for line in lines if line)


def fill(markdown: str, extra: dict) -> str:
    return markdown.replace(MARKER, operator_block(extra)) if MARKER in markdown else markdown
