"""The lists of allowed values: categories, topics, audiences, languages, municipalities.

They are data files under ``entries/_lists/`` so editors extend them without touching
code. They are loaded and checked like entries (same loader, same messages).
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from wegweiser.core.findings import ERROR, Finding
from wegweiser.core.loader import LoadError, load_bytes
from wegweiser.core.schemacheck import SchemaChecker

LIST_NAMES = ("categories", "topics", "audiences", "languages", "municipalities")
LISTS_DIR = "_lists"


@dataclass
class Term:
    """One allowed value; ``data`` keeps list-specific fields (sensitive, centre, …)."""

    id: str
    name: str
    translations: dict[str, str] = field(default_factory=dict)
    data: dict = field(default_factory=dict)

    def label(self, lang: str = "de") -> str:
        return self.translations.get(lang, self.name)

    def has_label(self, lang: str) -> bool:
        """True when the term has a name in ``lang`` (German is the original)."""
        return lang == "de" or lang in self.translations

    def description(self, lang: str = "de") -> str:
        """The term's description in ``lang`` (``descriptions``), else the German one."""
        return (self.data.get("descriptions") or {}).get(lang) or self.data.get("description", "")

    def has_description(self, lang: str) -> bool:
        """True when the description shown in ``lang`` is written in it (German is the
        original); False where the page falls back to German."""
        return lang == "de" or bool((self.data.get("descriptions") or {}).get(lang))


@dataclass
class Lists:
    terms: dict[str, dict[str, Term]]

    def __getitem__(self, name: str) -> dict[str, Term]:
        return self.terms.get(name, {})

    def allowed(self, name: str) -> list[str]:
        """The values an entry may write: ids, except municipalities, written by name."""
        if name == "municipalities":
            return [term.name for term in self[name].values()]
        return list(self[name])

    def sensitive(self, category: str) -> bool:
        """A category whose places never show their exact location (shelters)."""
        term = self["categories"].get(category)
        return bool(term and term.data.get("sensitive"))

    def municipality_by_name(self, name: str) -> Term | None:
        try:
            return self._municipalities_by_name.get(name)
        except TypeError:  # not hashable: compare one by one
            return next((t for t in self["municipalities"].values() if t.name == name), None)

    @functools.cached_property
    def _municipalities_by_name(self) -> dict:
        """Name -> the first municipality of that name; every entry looks its city up here."""
        index: dict = {}
        for term in self["municipalities"].values():
            try:
                index.setdefault(term.name, term)
            except TypeError:  # a name that is not text (the list has a finding): never a match
                continue
        return index


def packaged_schema(name: str) -> dict:
    """One of the JSON Schemas in wegweiser/core/data/ ("entry.schema.json", …)."""
    return json.loads(resources.files("wegweiser.core").joinpath("data", name).read_text("utf-8"))


def lists_schema() -> dict:
    return packaged_schema("lists.schema.json")


def load_lists(entries_dir: Path, root: Path, checker_formats) -> tuple[Lists, list[Finding]]:
    schema = lists_schema()
    checker = SchemaChecker(schema, checker_formats)
    terms: dict[str, dict[str, Term]] = {}
    findings: list[Finding] = []
    for name in LIST_NAMES:
        path = entries_dir / LISTS_DIR / f"{name}.yml"
        shown = shown_path(path, root)
        if path.is_symlink() or path.parent.is_symlink():  # could read any file of the machine
            findings.append(Finding(shown, 1, 1, ERROR, "file.symlink", {}))
            continue
        if not path.is_file():
            findings.append(Finding(shown, 1, 1, ERROR, "lists.missing", {"list": name}))
            continue
        items, problems = _load_one(path, shown, checker, schema["x-lists"][name])
        findings += problems
        terms[name] = items
    return Lists(terms), findings


def _load_one(path: Path, shown: str, checker: SchemaChecker, schema: dict):
    try:
        doc = load_bytes(path.read_bytes())
    except LoadError as exc:
        p = exc.problem
        return {}, [Finding(shown, p.line, p.col, ERROR, p.code, p.params)]
    value, findings = checker.check(doc, shown, schema)
    items: dict[str, Term] = {}
    for index, item in enumerate(value if isinstance(value, list) else []):
        if not isinstance(item, dict) or "id" not in item or "name" not in item:
            continue
        if item["id"] in items:
            line, col = doc.where((index, "id"))
            findings.append(
                Finding(shown, line, col, ERROR, "lists.duplicate_id", {"value": item["id"]})
            )
            continue
        rest = {k: v for k, v in item.items() if k not in ("id", "name", "translations")}
        items[item["id"]] = Term(item["id"], item["name"], item.get("translations", {}), rest)
    return items, findings


def shown_path(path: Path, root: Path) -> str:
    """A path as messages show it: relative to the project root where possible."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
