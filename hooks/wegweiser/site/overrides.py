"""A region's own words and page parts, in a folder of its own beside mkdocs.yml.

::

    overrides/locales/<lang>.yml   ui: texts that replace the engine's (core/locales/<lang>.yml)
    overrides/templates/*.html     page templates that replace the engine's (site/templates/);
                                   one may extend the engine's as "wegweiser/<name>.html";
                                   the region's own parts start with "_"
    overrides/theme/               Material theme parts (main.html, partials/…), before ours

The engine never ships a file there, so a region that takes engine updates by merging
never has a conflict in it (README: "Eigenen Wegweiser anlegen"). Every file is checked
once, each problem a Finding with path:line:col: an unknown language, section or text key,
a text without the engine's placeholders or with one the engine does not fill, a template
the engine does not have or that Jinja cannot read.
"""

from __future__ import annotations

import functools
import string
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import jinja2

from wegweiser.core.findings import ERROR, Finding, read_locale, sort_key
from wegweiser.core.loader import Document, LoadError, load_bytes
from wegweiser.core.schemacheck import did_you_mean

FOLDER = "overrides"
ENGINE_PREFIX = "wegweiser"  # {% extends "wegweiser/home.html" %}: the engine's own template


@dataclass(frozen=True)
class Overrides:
    """What a region replaces: texts per language, a templates folder, and the findings."""

    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    templates: str = ""  # the region's templates folder; "" when it has none
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


class TemplateProblem(Exception):
    """A region template that failed while a page was made; ``finding`` names its line."""

    def __init__(self, finding: Finding):
        super().__init__(finding.code)
        self.finding = finding


def engine_languages() -> list[str]:
    """The interface languages the engine has texts for (core/locales/<code>.yml)."""
    folder = resources.files("wegweiser.core").joinpath("locales")
    return sorted(item.name[:-4] for item in folder.iterdir() if item.name.endswith(".yml"))


def engine_templates() -> list[str]:
    folder = resources.files("wegweiser.site").joinpath("templates")
    return sorted(item.name for item in folder.iterdir() if item.name.endswith(".html"))


def theme_dir(root: Path) -> str:
    """The region's theme parts (overrides/theme/), "" when there are none."""
    folder = root / FOLDER / "theme"
    return str(folder) if folder.is_dir() else ""


def read(root: Path) -> Overrides:
    """The overrides of the project at ``root``, checked; empty without the folder."""
    folder = root / FOLDER
    texts: dict[str, dict[str, str]] = {}
    findings: list[Finding] = []
    locales = folder / "locales"
    for path in sorted(locales.glob("*.yml")) if locales.is_dir() else ():
        shown = path.relative_to(root).as_posix()
        lang_texts, problems = _read_texts(path, shown)
        findings += problems
        if lang_texts:
            texts[path.stem] = lang_texts
    templates = folder / "templates"
    if templates.is_dir():
        findings += _check_templates(templates, root)
    return Overrides(
        texts=texts,
        templates=str(templates) if templates.is_dir() else "",
        findings=tuple(sorted(findings, key=sort_key)),
    )


def _read_texts(path: Path, shown: str) -> tuple[dict[str, str], list[Finding]]:
    """The ui texts of one file, those without a problem; and the problems."""
    lang = path.stem
    if lang not in engine_languages():
        params = {"value": lang, "known": ", ".join(engine_languages())}
        return {}, [Finding(shown, 1, 1, ERROR, "override.unknown_language", params)]
    try:
        doc = load_bytes(path.read_bytes())
    except LoadError as exc:
        p = exc.problem
        return {}, [Finding(shown, p.line, p.col, ERROR, p.code, p.params)]
    value = doc.value if doc.value is not None else {}
    if not isinstance(value, dict):
        return {}, [Finding(shown, *doc.where(()), ERROR, "override.not_mapping", {})]
    findings = [
        Finding(
            shown, *doc.where((key,), key=True), ERROR, "override.unknown_section", {"value": key}
        )
        for key in value
        if key != "ui"
    ]
    ui = value.get("ui") if value.get("ui") is not None else {}
    if not isinstance(ui, dict):
        return {}, [
            *findings,
            Finding(shown, *doc.where(("ui",)), ERROR, "override.not_mapping", {}),
        ]
    texts = {}
    for key, text in ui.items():
        problems = _check_text(doc, shown, lang, key, text)
        findings += problems
        if not problems:
            texts[key] = text
    return texts, findings


@functools.cache
def engine_texts(lang: str) -> dict[str, str]:
    """The engine's ui texts in ``lang``, German where the language has none."""
    return {**read_locale("de")["ui"], **read_locale(lang).get("ui", {})}


def _check_text(doc: Document, shown: str, lang: str, key: str, text) -> list[Finding]:
    """One overridden text: a known key, a text, the same placeholders as the engine's."""
    known = engine_texts(lang)
    if key not in known:
        line, col = doc.where(("ui", key), key=True)
        params = {"value": key, "suggestion": did_you_mean(key, known) or "–", "lang": lang}
        return [Finding(shown, line, col, ERROR, "override.unknown_key", params)]
    line, col = doc.where(("ui", key))
    if not isinstance(text, str):
        return [Finding(shown, line, col, ERROR, "override.not_text", {"key": key})]
    wanted, written = placeholders(known[key]), placeholders(text)
    if written is None:
        return [Finding(shown, line, col, ERROR, "override.braces", {"key": key})]
    if wanted is None:  # the engine's text is no format string: nothing is filled in
        return []
    problems = []
    for name in sorted(wanted - written):
        params = {"key": key, "missing": f"{{{name}}}", "value": known[key]}
        problems.append(Finding(shown, line, col, ERROR, "override.placeholder_missing", params))
    for name in sorted(written - wanted):
        allowed = ", ".join(f"{{{n}}}" for n in sorted(wanted)) or "–"
        params = {"key": key, "unknown": f"{{{name}}}", "allowed": allowed}
        problems.append(Finding(shown, line, col, ERROR, "override.placeholder_unknown", params))
    return problems


def placeholders(text: str) -> set[str] | None:
    """The names a text fills in ("{count} Orte" -> {"count"}); None when its braces do not
    pair up ("{count Orte")."""
    try:
        fields = [name for _text, name, _spec, _conv in string.Formatter().parse(text)]
    except ValueError:
        return None
    return {name.split(".")[0].split("[")[0] for name in fields if name is not None}


def _check_templates(folder: Path, root: Path) -> list[Finding]:
    """Each region template replaces one of the engine's (or is a part, "_…") and parses."""
    engine = engine_templates()
    env = jinja2.Environment()
    findings = []
    for path in sorted(folder.rglob("*.html")):
        shown = path.relative_to(root).as_posix()
        name = path.relative_to(folder).as_posix()
        if name not in engine and not path.name.startswith("_"):
            params = {"value": name, "known": ", ".join(engine)}
            findings.append(Finding(shown, 1, 1, ERROR, "override.unknown_template", params))
            continue
        try:
            env.parse(path.read_text("utf-8"), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            params = {"reason": exc.message or "Jinja", "name": name}
            findings.append(
                Finding(shown, exc.lineno or 1, 1, ERROR, "override.template_syntax", params)
            )
        except UnicodeDecodeError:
            params = {"byte": "UTF-8"}
            findings.append(Finding(shown, 1, 1, ERROR, "yaml.encoding", params))
    return findings


def template_problem(exc: Exception, folder: str) -> TemplateProblem | None:
    """A TemplateProblem when ``exc`` arose in a region template (its deepest line in the
    traceback); None for anything else (the engine's own templates are tested)."""
    if not folder:
        return None
    base = Path(folder)
    place = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).is_relative_to(base):
            place = (Path(frame.filename), frame.lineno)
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        place = (Path(exc.filename), exc.lineno)
    if place is None or not place[0].is_relative_to(base):
        return None
    path, line = place
    shown = path.relative_to(base.parent.parent).as_posix()  # overrides/templates/x.html
    params = {"reason": str(getattr(exc, "message", None) or exc), "name": path.name}
    finding = Finding(shown, line or 1, 1, ERROR, "override.template_failed", params)
    return TemplateProblem(finding)
