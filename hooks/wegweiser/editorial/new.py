"""``wegweiser new``: a valid, annotated entry file from a few questions (or flags).

Every question has a flag; what no flag answers is asked with input(). The file name
(slug) comes from the name, the folder from the municipality. Nothing is written until
the whole entry passes the same validation as ``wegweiser check``; in a conversation,
a field with an error is asked again.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wegweiser.core.files import write_atomically
from wegweiser.core.findings import format_text, read_locale
from wegweiser.core.lists import Lists
from wegweiser.core.validate import Validator, entry_files, slugify
from wegweiser.editorial.entrytext import entry_text, one_line
from wegweiser.settings import project_root

METHODS = ["phone", "email", "visit", "website", "self", "press"]
# Choices that are no list file: name -> (prefix of their words in the locale, values).
FIXED_CHOICES = {
    "methods": ("method", METHODS),
    "appointment": ("appointment", ["required", "recommended", "not_needed"]),
    "cost": ("cost", ["free", "reduced", "paid"]),
    "wheelchair": ("wheelchair", ["yes", "limited", "no"]),
}
MAX_ROUNDS = 5


@dataclass(frozen=True)
class Question:
    key: str  # flag and answer name
    path: tuple  # where the answer goes in the entry
    required: bool = False
    choices: str = ""  # a list name, or "methods"


QUESTIONS = [
    Question("name", ("name",), True),
    Question("category", ("category",), True, "categories"),
    Question("city", ("address", "city"), True, "municipalities"),
    Question("summary", ("summary",), True),
    Question("street", ("address", "street")),
    Question("postcode", ("address", "postcode")),
    Question("phone", ("phone",)),
    Question("email", ("email",)),
    Question("website", ("website",)),
    Question("opening_hours", ("opening_hours",)),
    Question("appointment", ("appointment", "need"), False, "appointment"),
    Question("cost", ("cost", "fee"), False, "cost"),
    Question("wheelchair", ("accessibility", "wheelchair"), False, "wheelchair"),
    Question("transport", ("transport",)),
    Question("verified_by", ("verified", "by"), True),
    Question("method", ("verified", "method"), False, "methods"),
]


def add_parser(sub, common: Callable, date_type: Callable) -> None:
    new = sub.add_parser(
        "new", help="neuen Eintrag anlegen: fragt nach den Angaben (oder nimmt sie als Optionen)"
    )
    for question in QUESTIONS:
        flag = "--" + question.key.replace("_", "-")
        new.add_argument(flag, dest=question.key, help=_words("de")[f"q_{question.key}"])
    new.add_argument("--date", type=date_type, help="Stand (Standard: heute), JJJJ-MM-TT")
    new.add_argument(
        "--no-input", action="store_true", help="nichts fragen (für Skripte): fehlt etwas, Fehler"
    )
    common(new)
    new.set_defaults(run=run_new)


def _words(lang: str) -> dict[str, str]:
    return {**read_locale("de")["new"], **read_locale(lang).get("new", {})}


class Asker:
    """Questions on stdout, answers from stdin; end of input counts as an empty answer."""

    def __init__(self, lang: str, lists: Lists, enabled: bool):
        self.words = _words(lang)
        self.lists = lists
        self.enabled = enabled

    def ask(self, question: Question) -> str:
        options = self.options(question)
        if options:
            self.show(options)
        for _attempt in range(MAX_ROUNDS):
            answer = self.read(question)
            if not answer and not question.required:
                return ""
            if not answer:
                print(self.words["required"])
                continue
            if not options:
                return answer
            chosen = pick(answer, options)
            if chosen:
                return chosen
            print(self.words["choose"])
        raise SystemExit(self.words["gave_up"])

    def normalise(self, question: Question, answer: str) -> str:
        """A flag's value as the entry writes it ("leer" -> "Leer", "3" -> "netzwerk")."""
        options = self.options(question)
        return (pick(answer, options) or answer) if options and answer else answer

    def read(self, question: Question) -> str:
        suffix = "" if question.required else f" {self.words['optional']}"
        try:
            return input(f"{self.words['q_' + question.key]}{suffix}: ").strip()
        except EOFError:
            print()
            return ""

    def options(self, question: Question) -> list[tuple[str, str]]:
        """(value as written in the entry, label) for a choice question."""
        if question.choices in FIXED_CHOICES:
            return fixed_options(question.choices, self.words)
        if question.choices == "municipalities":
            return [(t.name, t.name) for t in self.lists["municipalities"].values()]
        if question.choices:
            return [(tid, t.name) for tid, t in self.lists[question.choices].items()]
        return []

    def show(self, options: list[tuple[str, str]]) -> None:
        for number, (value, label) in enumerate(options, 1):
            shown = label if label == value else f"{label} ({value})"
            print(f"  {number:>2}. {shown}")


def fixed_options(name: str, words: dict[str, str]) -> list[tuple[str, str]]:
    """(value, label) of a choice that is no list file (FIXED_CHOICES)."""
    prefix, values = FIXED_CHOICES[name]
    return [(value, words[f"{prefix}_{value}"]) for value in values]


def pick(answer: str, options: list[tuple[str, str]]) -> str:
    """A number, a value or a label (any case) from the options, else ""."""
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1][0]
    folded = answer.casefold()
    for value, label in options:
        if folded in (value.casefold(), label.casefold()):
            return value
    return ""


def build_values(answers: dict[str, str], date: str) -> dict:
    """The entry as nested values, in the order of the questions; empty answers left out."""
    values: dict = {}
    for question in QUESTIONS:
        answer = one_line(answers.get(question.key) or "")
        if not answer:
            continue
        node = values
        for key in question.path[:-1]:
            node = node.setdefault(key, {})
        node[question.path[-1]] = answer
    if "address" in values:  # the order of the template: street, postcode, city
        order = ("street", "postcode", "city")
        values["address"] = {k: values["address"][k] for k in order if k in values["address"]}
    values.setdefault("verified", {})["date"] = date
    verified = values.pop("verified")  # date first, as in the template
    values["verified"] = {"date": verified.pop("date"), **verified}
    return values


def target_path(root: Path, values: dict, lists: Lists) -> Path:
    town = lists.municipality_by_name(values.get("address", {}).get("city", ""))
    folder = town.id if town else slugify(values.get("address", {}).get("city", "")) or "ort"
    # A name in another script (Arabic, Cyrillic …) has no ASCII letters: category and town then
    slug = slugify(values.get("name", "")) or slugify(f"{values.get('category', '')} {folder}")
    return root / "entries" / folder / f"{slug or 'eintrag'}.yml"


def run_new(args) -> int:
    from wegweiser.core.freshness import build_date

    root = project_root(args.root, args.lang)
    if root is None:
        return 2
    said = {**read_locale("de")["cli"], **read_locale(args.lang).get("cli", {})}
    validator = Validator(root, root / "entries")
    asker = Asker(args.lang, validator.lists, enabled=not args.no_input)
    answers = {q.key: asker.normalise(q, getattr(args, q.key) or "") for q in QUESTIONS}
    date = (args.date or build_date()).isoformat()
    for _round in range(MAX_ROUNDS):
        missing = _ask_missing(answers, asker)
        if missing:
            print(_words(args.lang)["missing"].format(flags=missing), file=sys.stderr)
            return 2
        values = build_values(answers, date)
        path = target_path(root, values, validator.lists)
        if _taken(root, path):
            print(
                said["new_exists"].format(path=path.relative_to(root).as_posix()), file=sys.stderr
            )
            return 1
        text, lines = entry_text(values)
        shown = path.relative_to(root).as_posix()
        entry, findings = validator.check_bytes(text.encode("utf-8"), path.stem, shown)
        for finding in findings:
            print(format_text(finding, args.lang), file=sys.stderr)
        if entry is not None:
            write_atomically(path, text)
            print(said["new_written"].format(path=shown))
            return 0
        print(said["new_invalid"], file=sys.stderr)
        if not asker.enabled:
            return 1
        _forget_wrong(answers, findings, lines)
        print(said["new_retry"], file=sys.stderr)
    return 1


def _ask_missing(answers: dict[str, str], asker: Asker) -> str:
    """Ask what is still open; without questions, name the missing required flags."""
    missing = []
    for question in QUESTIONS:
        if answers.get(question.key) or answers.get(question.key) is None:
            continue
        if asker.enabled:
            answers[question.key] = asker.ask(question) or None  # None: skipped, not again
        elif question.required:
            missing.append("--" + question.key.replace("_", "-"))
        else:
            answers[question.key] = None  # skip, never ask
    return ", ".join(missing)


def _forget_wrong(answers: dict, findings: list, lines: dict[tuple, int]) -> None:
    """Clear the answers whose line has an error, so exactly those are asked again."""
    bad_lines = {f.line for f in findings if f.is_error}
    for question in QUESTIONS:
        if lines.get(question.path) in bad_lines:
            answers[question.key] = ""


def _taken(root: Path, path: Path) -> bool:
    """The file exists, or another folder has an entry with this file name (slugs are unique)."""
    if path.exists():
        return True
    return any(other.stem == path.stem for other in entry_files(root / "entries"))
