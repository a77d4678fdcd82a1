"""CSV: one row per entry, for spreadsheets, with a CSVW metadata file for the licence.

Two files with the same rows: ``orte.csv`` (UTF-8, comma; for programs) and
``orte-excel.csv`` (UTF-8 with byte order mark, semicolon), which German Excel opens
correctly with a double click. The column names are the entry's field names, so
``wegweiser import`` reads the file back without a mapping.
"""

from __future__ import annotations

import csv
import io
import json

from wegweiser.core.model import Directory, Entry
from wegweiser.exports.base import ExportSettings, public_point

LIST_SEPARATOR = ", "  # inside one cell: topics, audiences, languages, members
# A cell beginning with one of these is a formula to a spreadsheet (OWASP "CSV injection"):
# "=HYPERLINK(…)", but also a phone number "+49 491 …". Such a cell gets a leading
# apostrophe, which spreadsheets show as text; ``wegweiser import`` takes it off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
TEXT_MARK = "'"
COLUMNS = {
    "slug": "Kennung (Dateiname ohne .yml)",
    "name": "Name",
    "category": "Kategorie (Kennung)",
    "summary": "Kurzbeschreibung",
    "description": "Beschreibung (Markdown)",
    "topics": "Themen (Kennungen, durch Komma getrennt)",
    "audiences": "Zielgruppen (Kennungen, durch Komma getrennt)",
    "street": "Straße und Hausnummer",
    "extra": "Adresszusatz",
    "postcode": "Postleitzahl",
    "city": "Gemeinde",
    "lat": "Breitengrad (WGS 84)",
    "lon": "Längengrad (WGS 84)",
    "precision": "Genauigkeit des Punkts (manual, house, street, postcode, municipality)",
    "phone": "Telefon",
    "email": "E-Mail",
    "website": "Webseite",
    "opening_hours": "Öffnungszeiten (OpenStreetMap-Format)",
    "languages": "Sprachen vor Ort (Sprachcodes)",
    "language_notes": "Hinweise zu Sprachen (JSON: Sprachcode -> Hinweis)",
    "appointment_need": "Termin (required = nur mit, recommended = empfohlen, not_needed = ohne)",
    "appointment_url": "Termin buchen (Webseite)",
    "appointment_note": "Termin: Hinweis",
    "cost_fee": "Kosten (free = kostenlos, reduced = ermäßigt, paid = kostenpflichtig)",
    "cost_note": "Kosten: Hinweis",
    "wheelchair": "Mit dem Rollstuhl (yes, limited, no)",
    "accessibility_features": "Ausstattung für Barrierefreiheit (Kennungen, durch Komma getrennt)",
    "accessibility_note": "Barrierefreiheit: Hinweis",
    "transport": "Anfahrt mit Bus und Bahn",
    "closures": "Schließzeiten (JSON: Liste mit from, to, note oder holiday)",
    "status_state": "Vorübergehend geschlossen (temporarily_closed)",
    "status_until": "Vorübergehend geschlossen bis (JJJJ-MM-TT)",
    "status_note": "Vorübergehend geschlossen: Hinweis",
    "valid_until": "Angebot gültig bis (JJJJ-MM-TT)",
    "verified_date": "Stand: Datum der Prüfung",
    "verified_by": "Stand: geprüft von",
    "verified_method": "Stand: Art der Prüfung",
    "part_of": "Gehört zu (Kennung)",
    "coordinated_by": "Koordiniert von (Kennung)",
    "members": "Mitglieder (Kennungen)",
    "example": "Erfundener Beispiel-Eintrag (true)",
    "url": "Seite im Wegweiser",
}


# Columns for a field inside another: column -> (field, inner field).
NESTED_COLUMNS = {
    "appointment_need": ("appointment", "need"),
    "appointment_url": ("appointment", "url"),
    "appointment_note": ("appointment", "note"),
    "cost_fee": ("cost", "fee"),
    "cost_note": ("cost", "note"),
    "wheelchair": ("accessibility", "wheelchair"),
    "accessibility_features": ("accessibility", "features"),
    "accessibility_note": ("accessibility", "note"),
    "status_state": ("status", "state"),
    "status_until": ("status", "until"),
    "status_note": ("status", "note"),
}
JSON_COLUMNS = ("closures", "language_notes")  # a list or mapping, as JSON text in one cell


def row(entry: Entry, directory: Directory, settings: ExportSettings) -> dict[str, str]:
    data, address, verified = entry.data, entry.address, entry.data["verified"]
    point = public_point(entry, directory)
    lat, lon, precision = point if point else ("", "", "")
    values = {
        "slug": entry.slug,
        "street": address.get("street"),
        "extra": address.get("extra"),
        "postcode": address.get("postcode"),
        "city": address["city"],
        "lat": lat,
        "lon": lon,
        "precision": precision,
        "verified_date": verified["date"],
        "verified_by": verified["by"],
        "verified_method": verified.get("method"),
        "example": "true" if data.get("example") else "",
        "url": settings.page_url(entry),
        "languages": LIST_SEPARATOR.join(code for code, _note in entry.spoken),
        "language_notes": _json({code: note for code, note in entry.spoken if note}),
        "closures": _json(data.get("closures")),
    }
    for key, (outer, inner) in NESTED_COLUMNS.items():
        values[key] = _cell(data.get(outer, {}).get(inner))
    for key in COLUMNS:
        if key not in values:
            values[key] = _cell(data.get(key))
    return {key: as_text("" if values[key] is None else str(values[key])) for key in COLUMNS}


def _cell(value):
    """A list (topics, features …) as one cell, its values joined by LIST_SEPARATOR."""
    return LIST_SEPARATOR.join(value) if isinstance(value, list) else value


def _json(value) -> str | None:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else None


def as_text(cell: str) -> str:
    """A cell a spreadsheet shows as text, never computes: see FORMULA_STARTS."""
    return TEXT_MARK + cell if cell.startswith(FORMULA_STARTS) else cell


def from_text(cell: str) -> str:
    """``as_text`` undone (the import reads our own tables back)."""
    if cell.startswith(TEXT_MARK) and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def csv_text(directory: Directory, settings: ExportSettings, excel: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=list(COLUMNS), delimiter=";" if excel else ",", lineterminator="\r\n"
    )
    writer.writeheader()
    for entry in directory.entries.values():
        writer.writerow(row(entry, directory, settings))
    return ("\ufeff" if excel else "") + buffer.getvalue()


def csvw_metadata(settings: ExportSettings, csv_name: str) -> str:
    """W3C "CSV on the Web" metadata: what each column means, and the licence."""
    columns = [{"name": k, "titles": k, "dc:description": text} for k, text in COLUMNS.items()]
    licence = settings.license
    meta = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_name,
        "dc:license": {"@id": licence.url} if licence.url else licence.id,
        "dc:rights": licence.name,
        "dc:creator": licence.attribution,
        "dc:description": (
            "Eine Zelle, die mit = + - @, Tabulator oder Zeilenumbruch beginnt, trägt ein "
            "Apostroph davor, damit Tabellenprogramme sie als Text zeigen / a cell beginning "
            "with one of these carries a leading apostrophe, so spreadsheets show it as text."
        ),
        "dialect": {"delimiter": ",", "encoding": "utf-8", "header": True},
        "tableSchema": {"columns": columns, "primaryKey": "slug"},
    }
    return json.dumps(meta, ensure_ascii=False, indent=1)
