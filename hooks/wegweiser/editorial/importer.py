"""``wegweiser import``: entry files from a spreadsheet (CSV) or an HSDS export.

Each row becomes the data of one entry, is written as YAML, read back with the same
loader and checked with the same rules as any entry; only a row without errors is
written (atomically). A row is never half-written, an existing entry is replaced only
with ``update=True``, and every rejected row is reported with its row number and reason.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wegweiser import urls
from wegweiser.core.files import write_atomically
from wegweiser.core.findings import ERROR, WARNING, Finding, message
from wegweiser.core.lists import shown_path
from wegweiser.core.loader import LoadError, load_bytes
from wegweiser.core.validate import Validator, bad_slug, base_schema, entry_files, slugify
from wegweiser.exports.table import (
    COLUMNS,
    JSON_COLUMNS,
    LIST_SEPARATOR,
    NESTED_COLUMNS,
    from_text,
)

REQUIRED_COLUMNS = ("name", "category", "summary", "city", "verified_date", "verified_by")
LIST_COLUMNS = ("topics", "audiences", "languages", "members", "accessibility_features")
# Column -> path in the entry; columns not named here are plain top-level fields.
NESTED = {
    "street": ("address", "street"),
    "extra": ("address", "extra"),
    "postcode": ("address", "postcode"),
    "city": ("address", "city"),
    "verified_date": ("verified", "date"),
    "verified_by": ("verified", "by"),
    "verified_method": ("verified", "method"),
    **NESTED_COLUMNS,
}
META_COLUMNS = ("slug", "lat", "lon", "precision", "url", "example")


class ImportError_(Exception):  # noqa: N801 - "ImportError" is Python's own
    """The whole file cannot be read; carries one finding."""

    def __init__(self, finding: Finding):
        super().__init__(finding.code)
        self.finding = finding


@dataclass
class Report:
    written: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        rejecting = ("import.row_rejected", "import.duplicate_row", "import.bad_record")
        return sum(f.code in rejecting for f in self.findings)


@dataclass
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    data: dict
    slug: str
    problem: str = ""  # why the record could not even be read as an entry


# -- reading ------------------------------------------------------------------------------


def read_rows(path: Path, shown: str, mapping: dict[str, str] | None = None) -> list[Row]:
    """Rows of a CSV file (our columns, or renamed by ``mapping``) or an HSDS JSON file."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")  # Excel writes a byte order mark
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "kein UTF-8"
        finding = Finding(shown, 1, 1, ERROR, "import.unreadable", {"reason": reason})
        raise ImportError_(finding) from None
    json_file = path.suffix.lower() == ".json"
    rows = list(_hsds_rows(text, shown) if json_file else _csv_rows(text, shown, mapping or {}))
    if not rows:
        raise ImportError_(Finding(shown, 1, 1, ERROR, "import.no_rows", {}))
    return rows


def _csv_rows(text: str, shown: str, mapping: dict[str, str]) -> Iterator[Row]:
    first = text.split("\n", 1)[0]
    dialect = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=dialect)
    columns = {key: mapping.get(key, key) for key in COLUMNS}
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        params = {"reason": f"CSV, Zeile 1: {exc}"}
        raise ImportError_(Finding(shown, 1, 1, ERROR, "import.unreadable", params)) from None
    for key in REQUIRED_COLUMNS:
        if columns[key] not in header:
            params = {"value": columns[key], "required": ", ".join(REQUIRED_COLUMNS)}
            raise ImportError_(Finding(shown, 1, 1, ERROR, "import.missing_column", params))
    yield from _csv_records(reader, columns)


def _csv_records(reader: csv.DictReader, columns: dict[str, str]) -> Iterator[Row]:
    """Each row, numbered as a spreadsheet shows it; a row the csv module cannot read (say,
    a cell longer than its limit) is a bad record of its own, and reading goes on."""
    number = 1
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Row(number, {}, f"zeile-{number}", problem=f"CSV: {exc}")
            continue
        values = {key: from_text(str(cells.get(col) or "").strip()) for key, col in columns.items()}
        if any(values.values()):
            yield Row(number, _entry_from_cells(values), values["slug"] or slugify(values["name"]))


def _entry_from_cells(values: dict[str, str]) -> dict:
    data: dict = {}
    for key, value in values.items():
        if not value or key in META_COLUMNS:
            continue
        if key in LIST_COLUMNS:
            value = [v.strip() for v in value.split(LIST_SEPARATOR.strip()) if v.strip()]
        if key in JSON_COLUMNS:
            value = _json_cell(value)
        if key == "language_notes":
            continue  # joined with the codes below
        if key in NESTED:
            outer, inner = NESTED[key]
            data.setdefault(outer, {})[inner] = value
        else:
            data[key] = value
    if values["example"].lower() == "true":
        data["example"] = True
    notes = _json_cell(values.get("language_notes", "")) if values.get("language_notes") else {}
    if isinstance(notes, dict) and data.get("languages"):
        data["languages"] = [
            {"code": code, "note": notes[code]} if notes.get(code) else code
            for code in data["languages"]
        ]
    # Coordinates become the entry's own only where they were the entry's own (or unknown).
    if values["lat"] and values["lon"] and values["precision"] in ("", "manual"):
        data["location"] = {"lat": _number(values["lat"]), "lon": _number(values["lon"])}
    return data


def _json_cell(text: str):
    """A cell holding JSON (closures, language notes); text that is none stays text, and the
    check then names the field."""
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return text


def _number(text: str):
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text  # the schema check names the field and the value


def _hsds_rows(text: str, shown: str) -> Iterator[Row]:
    try:
        page = json.loads(text)
    except json.JSONDecodeError as exc:
        params = {"reason": f"JSON, Zeile {exc.lineno}: {exc.msg}"}
        finding = Finding(shown, exc.lineno, exc.colno, ERROR, "import.unreadable", params)
        raise ImportError_(finding) from None
    except RecursionError:  # nested deeper than Python's JSON reader goes
        params = {"reason": "JSON zu tief verschachtelt / nested too deep"}
        raise ImportError_(Finding(shown, 1, 1, ERROR, "import.unreadable", params)) from None
    if not isinstance(page, dict) or not isinstance(page.get("contents"), list):
        raise ImportError_(Finding(shown, 1, 1, ERROR, "import.not_hsds", {}))
    for number, service in enumerate(page["contents"], start=1):
        try:
            data = entry_from_hsds(service)
            uri = str(service.get("organization", {}).get("uri", ""))
            slug = uri.rstrip("/").rsplit("/", 1)[-1] if f"/{urls.ENTRY_DIR}/" in uri else ""
            slug = slug or slugify(str(data.get("name", "")))
        except (AttributeError, KeyError, IndexError, TypeError, ValueError, RecursionError) as exc:
            # Someone else's HSDS, or a hand-edited file: this record only, no traceback.
            reason = f"{type(exc).__name__}: {str(exc)[:200]}"
            yield Row(number, {}, f"datensatz-{number}", problem=reason)
            continue
        yield Row(number, data, slug)


def entry_from_hsds(service: dict) -> dict:
    """The entry data of one HSDS service as ``exports.hsds`` writes it."""
    organization = service.get("organization", {})
    summary = organization.get("description", "")
    data = {"name": service.get("name", ""), "summary": summary}
    if service.get("description") and service["description"] != summary:
        data["description"] = service["description"]
    for key, source in (("website", "url"), ("email", "email")):
        if service.get(source):
            data[key] = service[source]
    if service.get("phones"):
        data["phone"] = service["phones"][0]["number"]
    data["address"] = _hsds_address(service)
    if service.get("contacts"):
        data["contacts"] = [_hsds_contact(c) for c in service["contacts"]]
    if service.get("languages"):
        data["languages"] = [_hsds_language(language) for language in service["languages"]]
    for attribute in service.get("attributes", []):
        _apply_attribute(data, attribute)
    return data


def _hsds_language(language: dict):
    """A plain code, or code and note where the language is spoken only sometimes."""
    if language.get("note"):
        return {"code": language["code"], "note": language["note"]}
    return language["code"]


def _hsds_address(service: dict) -> dict:
    places = service.get("service_at_locations") or [{}]
    addresses = places[0].get("location", {}).get("addresses") or [{}]
    source = addresses[0]
    address = {
        "street": source.get("address_1"),
        "extra": source.get("address_2"),
        "postcode": source.get("postal_code"),
        "city": source.get("city", ""),
    }
    return {k: v for k, v in address.items() if v}


def _hsds_contact(contact: dict) -> dict:
    result = {"role": contact.get("title", ""), "name": contact.get("name")}
    result["phone"] = contact["phones"][0]["number"] if contact.get("phones") else None
    result["email"] = contact.get("email")
    return {k: v for k, v in result.items() if v}


def _apply_attribute(data: dict, attribute: dict) -> None:
    term = attribute.get("taxonomy_term", {})
    kind, code, value = attribute.get("link_type", ""), term.get("code", ""), attribute.get("value")
    if kind == "categories":
        data["category"] = value
    elif kind in ("topics", "audiences"):
        data.setdefault(kind, []).append(value)
    elif kind == "field":
        data[code] = json.loads(value)
    elif kind.startswith("translations.") and term.get("language"):
        text = json.loads(value) if code == "translations.machine_translated" else value
        data.setdefault("translations", {}).setdefault(term["language"], {})[code[13:]] = text


# -- writing ------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # our loader refuses anchors and aliases


def _text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None  # descriptions stay readable blocks
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def entry_yaml(data: dict, source: str) -> str:
    """YAML in the order of the schema (as in the template), with where it came from."""
    order = list(base_schema()["properties"])
    ordered = dict(
        sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    )
    body = yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return f"# Importiert aus {source}\n{body}"


def import_rows(
    rows: list[Row], root: Path, source: str, update: bool = False, lang: str = "de"
) -> Report:
    validator = Validator(root, root / "entries")
    existing = {path.stem: path for path in entry_files(root / "entries")}
    report, seen = Report(), {}
    for row in rows:
        if row.slug in seen:
            params = {"row": row.number, "value": row.slug, "other": seen[row.slug]}
            report.findings.append(
                Finding(source, row.number, 1, ERROR, "import.duplicate_row", params)
            )
            continue
        seen[row.slug] = row.number
        if row.problem:
            params = {"row": row.number, "reason": row.problem}
            report.findings.append(
                Finding(source, row.number, 1, ERROR, "import.bad_record", params)
            )
            continue
        _import_row(row, validator, existing, report, source, update, lang)
    return report


def _import_row(row, validator, existing, report, source, update, lang) -> None:
    target = existing.get(row.slug)
    if target and not update:
        params = {"row": row.number, "other": shown_path(target, validator.root)}
        report.findings.append(Finding(source, row.number, 1, WARNING, "import.exists", params))
        report.skipped.append(row.slug)
        return
    city = validator.lists.municipality_by_name(row.data.get("address", {}).get("city", ""))
    path = target or validator.entries_dir / (city.id if city else "_unbekannt") / f"{row.slug}.yml"
    text = entry_yaml(row.data, f"{source}, Zeile {row.number}")
    problem = _first_error(validator, text, row.slug, shown_path(path, validator.root), lang)
    if problem:
        name = row.data.get("name", row.slug)
        params = {"row": row.number, "value_name": name, "why": problem[0], "hint": problem[1]}
        report.findings.append(Finding(source, row.number, 1, ERROR, "import.row_rejected", params))
        return
    write_atomically(path, text)
    (report.updated if target else report.written).append(shown_path(path, validator.root))


def _first_error(
    validator: Validator, text: str, slug: str, shown: str, lang: str
) -> tuple[str, str] | None:
    """The first error a volunteer would see for this entry (text, hint); None when fine."""
    if bad_slug(slug):  # the validator's own file-name rule, before anything is written
        params = {"value": f"{slug}.yml", "suggestion": slugify(slug) or "name"}
        return message(Finding(shown, 1, 1, ERROR, "file.bad_slug", params), lang)
    _entry, findings = validator.check_bytes(text.encode("utf-8"), slug, shown)
    errors = [f for f in findings if f.is_error]
    return message(errors[0], lang) if errors else None


def read_mapping(path: Path, shown: str) -> dict[str, str]:
    """``field: Spaltenname`` lines (YAML); unknown fields are an error with the known ones."""
    try:
        value = load_bytes(path.read_bytes()).value
    except (OSError, LoadError) as exc:
        reason = getattr(exc, "strerror", None) or "YAML"
        finding = Finding(shown, 1, 1, ERROR, "import.unreadable", {"reason": reason})
        raise ImportError_(finding) from None
    value = value if isinstance(value, dict) else {}
    for key in value:
        if key not in COLUMNS:
            params = {"value": key, "known": ", ".join(COLUMNS)}
            raise ImportError_(Finding(shown, 1, 1, ERROR, "import.mapping", params))
    return {k: str(v) for k, v in value.items()}
