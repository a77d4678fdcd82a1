"""Impressum, Datenschutz and Barrierefreiheit name who runs the site: from mkdocs.yml.

The hand-written pages hold a marker ``<!-- wegweiser:betreiber -->``; the build puts
the operator's details from ``extra.wegweiser.operator`` there, so a region that takes
over the project edits one setting instead of three pages. Values are escaped. The words
around them ("E-Mail", "Telefon" …) come in the language of the page's text (the locale's
``operator_*`` texts), German where none are given.
"""

from __future__ import annotations

import html

from wegweiser.site import overrides

MARKER = "<!-- wegweiser:betreiber -->"
FIELDS = ("name", "street", "postcode", "city", "email", "phone", "responsible")


def operator_block(extra: dict, ui: dict | None = None) -> str:
    """The operator as Markdown lines, labelled with ``ui``'s words; a clearly marked
    placeholder when none is set."""
    words = ui if ui is not None else overrides.engine_texts("de")
    operator = {k: str(v) for k, v in ((extra or {}).get("operator") or {}).items() if v}
    if not operator.get("name"):
        return words["operator_missing"]
    e = {k: html.escape(v) for k, v in operator.items()}
    town = " ".join(p for p in (e.get("postcode", ""), e.get("city", "")) if p)
    lines = [f"**{e['name']}**", e.get("street", ""), town]
    if "email" in e:
        lines.append(f'{words["operator_email"]}: <a href="mailto:{e["email"]}">{e["email"]}</a>')
    if "phone" in e:
        lines.append(f"{words['operator_phone']}: {e['phone']}")
    if "responsible" in e:
        lines.append(f"{words['operator_responsible']}: {e['responsible']}")
    return "  \n".join(line for line in lines if line)


def fill(markdown: str, extra: dict, ui: dict | None = None) -> str:
    if MARKER not in markdown:
        return markdown
    return markdown.replace(MARKER, operator_block(extra, ui))
