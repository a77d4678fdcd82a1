"""``wegweiser from-issue``: a submitted GitHub issue form becomes an entry file or a change.

GitHub writes a submitted form as Markdown: for each field a line ``### <label>``, a
blank line, the answer (``_No response_`` when empty; checkboxes as ``- [X] …``). The
labels come from our own forms in ``.github/ISSUE_TEMPLATE/``. The body is written by
anyone, so it is treated as hostile: size-limited, each heading must appear exactly once
(an answer cannot fake another field), control characters are refused, every value is
written quoted (entrytext / yamledit), the file name comes from ``slugify`` and the folder
from the list of municipalities, an existing entry is found by its slug in the validated
directory (never by a path from the body), and the result passes the usual validation.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from wegweiser import pipeline
from wegweiser.core import freshness
from wegweiser.core.files import write_atomically
from wegweiser.core.findings import ERROR, Finding, format_text, read_locale
from wegweiser.core.model import Entry
from wegweiser.core.validate import SLUG, Validator, entry_files
from wegweiser.editorial import yamledit
from wegweiser.editorial.entrytext import entry_text, one_line
from wegweiser.editorial.mdtext import md
from wegweiser.editorial.new import _words as new_words
from wegweiser.editorial.new import build_values, fixed_options, pick, target_path

MAX_BODY = 65_536  # GitHub's own limit for an issue body
NO_RESPONSE = "_No response_"
FORMS = {"neuer-ort": "neuer-ort.yml", "info-falsch": "info-falsch.yml"}
STATUS_SAME, STATUS_CHANGED, STATUS_GONE = 1, 0, 2  # option index in info-falsch.yml
CHANGEABLE = {
    "phone": ("phone",),
    "email": ("email",),
    "website": ("website",),
    "opening_hours": ("opening_hours",),
    "street": ("address", "street"),
    "postcode": ("address", "postcode"),
}


class IssueError(Exception):
    """The body cannot be used; ``finding`` says where and why."""

    def __init__(self, finding: Finding):
        super().__init__(finding.code)
        self.finding = finding


@dataclass
class Form:
    name: str
    fields: list[dict]  # the form's input elements (id, type, attributes, validations)

    def labels(self) -> dict[str, dict]:
        return {f["attributes"]["label"]: f for f in self.fields}


def load_form(forms_dir: Path, name: str) -> Form:
    data = yaml.safe_load((forms_dir / FORMS[name]).read_text("utf-8"))  # our own file
    fields = [f for f in data["body"] if f.get("type") != "markdown"]
    return Form(name, fields)


def parse_body(body: str, form: Form, shown: str = "issue") -> dict[str, str]:
    """Answers by field id; raises IssueError with a line number for an unusable body."""
    if len(body) > MAX_BODY:
        raise IssueError(Finding(shown, 1, 1, ERROR, "issue.too_large", {"max": MAX_BODY}))
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    labels = form.labels()
    starts: dict[str, int] = {}
    for number, line in enumerate(lines):
        label = line[4:].strip() if line.startswith("### ") else None
        if label in labels:
            if label in starts:
                params = {"value": label, "first": starts[label] + 1}
                raise IssueError(
                    Finding(shown, number + 1, 1, ERROR, "issue.heading_twice", params)
                )
            starts[label] = number
    answers = {}
    order = sorted(starts.items(), key=lambda item: item[1])
    for index, (label, start) in enumerate(order):
        end = order[index + 1][1] if index + 1 < len(order) else len(lines)
        field = labels[label]
        answers[field["id"]] = _answer(lines[start + 1 : end], field, shown, start + 2)
    _require(form, answers, shown)
    return answers


def _answer(lines: list[str], field: dict, shown: str, first_line: int) -> str:
    text = "\n".join(lines).strip()
    if text == NO_RESPONSE:
        return ""
    for offset, line in enumerate(lines):
        bad = next((c for c in line if unicodedata.category(c) in ("Cc", "Cs", "Co")), None)
        if bad and bad != "\t":
            params = {"field": field["attributes"]["label"], "char": f"U+{ord(bad):04X}"}
            raise IssueError(
                Finding(shown, first_line + offset, 1, ERROR, "issue.control_char", params)
            )
    if field.get("type") == "checkboxes":
        return "yes" if re.search(r"^- \[[xX]\] ", text, re.MULTILINE) else ""
    return text


def _require(form: Form, answers: dict[str, str], shown: str) -> None:
    for field in form.fields:
        if field.get("validations", {}).get("required") and not answers.get(field["id"]):
            params = {"value": field["attributes"]["label"]}
            raise IssueError(Finding(shown, 1, 1, ERROR, "issue.missing_field", params))


def detect_form(body: str, forms_dir: Path) -> str:
    """The form whose first field's heading the body has."""
    for name in FORMS:
        first = load_form(forms_dir, name).fields[0]["attributes"]["label"]
        if re.search(rf"^### {re.escape(first)}\s*$", body[:MAX_BODY], re.MULTILINE):
            return name
    raise IssueError(Finding("issue", 1, 1, ERROR, "issue.unknown_form", {}))


# -- new place --------------------------------------------------------------------------------


Outcome = tuple[
    "Path | None", "str | None", list[Finding]
]  # file, new text (None: remove), findings


def new_place(root: Path, answers: dict[str, str], today: str) -> Outcome:
    """Path and text of the new entry file, or findings why not."""
    validator = Validator(root, root / "entries")
    answers = dict(answers)
    answers["category"] = _category(answers.get("category", ""), validator)
    towns = [(t.name, t.name) for t in validator.lists["municipalities"].values()]
    answers["city"] = pick(one_line(answers.get("city", "")), towns) or answers.get("city", "")
    for key, choices in (("method", "methods"), *((k, k) for k in FORM_CHOICES)):
        answers[key] = _fixed(answers.get(key, ""), choices)
    values = build_values(answers, today)
    if answers.get("description"):
        values = {**values, "description": answers["description"].strip()}
    path = target_path(root, values, validator.lists)
    shown = path.relative_to(root).as_posix()
    if path.exists() or any(p.stem == path.stem for p in entry_files(root / "entries")):
        return path, "", [Finding(shown, 1, 1, ERROR, "issue.exists", {"value": path.stem})]
    text, _lines = entry_text(values, tool="wegweiser from-issue")
    entry, findings = validator.check_bytes(text.encode("utf-8"), path.stem, shown)
    return path, text, findings if entry is None else [f for f in findings if not f.is_error]


def _category(label: str, validator: Validator) -> str:
    """A category label from the dropdown to its identifier (unknown: left for validation)."""
    options = [(tid, t.name) for tid, t in validator.lists["categories"].items()]
    return pick(one_line(label), options) or one_line(label)


# Dropdowns of the form "Neuen Ort vorschlagen" beside the method: answer key = choice name.
FORM_CHOICES = ("appointment", "cost", "wheelchair")


def _fixed(label: str, choices: str = "methods") -> str:
    """A dropdown's label (always German, as in the form) to its value; unknown: as written,
    so that the check names it."""
    if not label:
        return ""
    return pick(one_line(label), fixed_options(choices, new_words("de"))) or one_line(label)


# -- correction of an existing entry ----------------------------------------------------------


def find_entry(root: Path, reference: str) -> Entry | None:
    """The entry a report names, by a slug found in it (a page address or a file name)."""
    directory = pipeline.checked(root).directory
    for candidate in reversed(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", reference.lower())):
        if SLUG.match(candidate) and candidate in directory.entries:
            return directory.entries[candidate]
    return None


def correction(root: Path, answers: dict[str, str], form: Form) -> Outcome:
    """(path, new text or None for removal, findings) for an "Info falsch" form."""
    entry = find_entry(root, answers.get("eintrag", ""))
    if entry is None:
        params = {"value": answers.get("eintrag", "")}
        return None, "", [Finding("issue", 1, 1, ERROR, "issue.no_such_entry", params)]
    path = root / entry.source
    options = next(f for f in form.fields if f["id"] == "status")["attributes"]["options"]
    status = options.index(answers["status"]) if answers.get("status") in options else -1
    if status == STATUS_GONE:
        return path, None, []
    text = path.read_bytes().decode("utf-8")
    try:
        text = _apply(text, answers, changed=status != STATUS_SAME)
    except yamledit.EditError as exc:
        return (
            path,
            "",
            [Finding(entry.source, 1, 1, ERROR, "issue.edit_by_hand", {"why": str(exc)})],
        )
    validator = Validator(root, root / "entries")
    valid, findings = validator.check_bytes(text.encode("utf-8"), path.stem, entry.source)
    return path, text, findings if valid is None else [f for f in findings if not f.is_error]


def _apply(text: str, answers: dict, changed: bool) -> str:
    """The reported changes and the new Stand; "all still right" changes only the date."""
    today = freshness.build_date()
    if not changed:
        return freshness.confirmed_text(text, today)
    for key, doc_path in CHANGEABLE.items():
        if answers.get(key):
            text = yamledit.set_value(text, doc_path, one_line(answers[key]))
    if answers.get("verified_by"):
        text = yamledit.set_value(text, ("verified", "by"), one_line(answers["verified_by"]))
    method = _fixed(answers.get("method", ""))
    if method:
        text = yamledit.set_value(text, ("verified", "method"), method)
    return freshness.confirmed_text(text, today)


# -- the command ------------------------------------------------------------------------------


def add_parser(sub, common) -> None:
    parser = sub.add_parser(
        "from-issue",
        help="ausgefülltes Formular (GitHub-Issue) in einen Eintrag oder eine Änderung umsetzen",
    )
    parser.add_argument("body", type=Path, help="Datei mit dem Text des Issues ('-' = stdin)")
    parser.add_argument("--form", choices=sorted(FORMS), help="Formular (Standard: erkennen)")
    parser.add_argument(
        "--forms-dir", type=Path, help="Ordner der Formulare (Standard: .github/ISSUE_TEMPLATE)"
    )
    parser.add_argument(
        "--summary",
        type=Path,
        help="Zusammenfassung (Markdown) für den Pull Request hierhin schreiben",
    )
    common(parser)
    parser.set_defaults(run=run_from_issue)


def run_from_issue(args) -> int:
    root = args.root.resolve()
    forms_dir = args.forms_dir or root / ".github" / "ISSUE_TEMPLATE"
    try:
        body = _read_body(args.body)
        name = args.form or detect_form(body, forms_dir)
        form = load_form(forms_dir, name)
        answers = parse_body(body, form)
    except IssueError as exc:
        print(format_text(exc.finding, args.lang), file=sys.stderr)
        _write_problems(args.summary, [exc.finding], args.lang)
        return 2
    except OSError as exc:  # the body file or a form is missing: say which, no traceback
        where = exc.filename or str(args.body)
        finding = Finding(str(where), 1, 1, ERROR, "file.unreadable", {"reason": exc.strerror})
        print(format_text(finding, args.lang), file=sys.stderr)
        return 2
    if name == "neuer-ort":
        today = freshness.build_date().isoformat()
        path, text, findings = new_place(root, answers, today)
    else:
        path, text, findings = correction(root, answers, form)
    for finding in findings:
        print(format_text(finding, args.lang), file=sys.stderr)
    if any(f.is_error for f in findings):
        _write_problems(args.summary, findings, args.lang)
        return 1
    if text is None:
        path.unlink()
    else:
        write_atomically(path, text)
    shown = path.relative_to(root).as_posix()
    if args.summary:
        write_atomically(args.summary, _summary(name, shown, answers, text is None, args.lang))
    print(shown)
    return 0


def _read_body(source: Path) -> str:
    raw = sys.stdin.buffer.read(MAX_BODY * 4 + 1) if str(source) == "-" else _read_file(source)
    if len(raw) > MAX_BODY * 4:
        raise IssueError(Finding("issue", 1, 1, ERROR, "issue.too_large", {"max": MAX_BODY}))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise IssueError(Finding("issue", 1, 1, ERROR, "yaml.encoding", {"byte": "?"})) from None


def _read_file(source: Path) -> bytes:
    with source.open("rb") as handle:
        return handle.read(MAX_BODY * 4 + 1)


def _summary(form: str, shown: str, answers: dict, removed: bool, lang: str) -> str:
    """The pull request's text: what the form said, escaped (it is anyone's text)."""
    words = {**read_locale("de")["issue"], **read_locale(lang).get("issue", {})}
    head = words["removed" if removed else form].format(path=md(shown))
    lines = [head, ""]
    if answers.get("verified_by"):
        lines += [f"**{words['checked_by']}** {md(answers['verified_by'])}", ""]
    if answers.get("was"):
        lines += [f"**{words['said']}**", "", f"> {md(answers['was'], limit=2000)}", ""]
    lines.append(words["review"])
    return "\n".join(lines) + "\n"


def _write_problems(target: Path | None, findings: list[Finding], lang: str) -> None:
    """The answer in the issue when nothing could be made: each problem, escaped."""
    if target is None:
        return
    words = {**read_locale("de")["issue"], **read_locale(lang).get("issue", {})}
    lines = [words["problems"], ""]
    lines += [f"- {md(format_text(f, lang), limit=600)}" for f in findings]
    write_atomically(target, "\n".join([*lines, "", words["fix_and_relabel"]]) + "\n")
