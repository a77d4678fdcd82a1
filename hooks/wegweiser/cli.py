"""The ``wegweiser`` command: the same checks as the build, for volunteers and CI."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from wegweiser import __version__, pipeline, settings
from wegweiser.core.findings import format_github, format_text, read_locale
from wegweiser.core.lists import shown_path
from wegweiser.editorial.commands import add_workflow_commands
from wegweiser.settings import project_root
from wegweiser.site import overrides


def summary_words(lang: str) -> dict[str, str]:
    """The closing lines of ``wegweiser check``; the words live in locales/<lang>.yml."""
    return read_locale(lang)["cli"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:  # a full disk, a read-only folder: a message, never a traceback
        from wegweiser.core.findings import ERROR, Finding

        where = str(exc.filename or "wegweiser")
        finding = Finding(where, 1, 1, ERROR, "file.io", {"reason": exc.strerror or str(exc)})
        print(format_text(finding, getattr(args, "lang", "de")), file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wegweiser", description="Wegweiser: Einträge prüfen und verwalten."
    )
    parser.add_argument(
        "--version", action="version", version=f"wegweiser {__version__}", help="Version zeigen"
    )
    sub = parser.add_subparsers(required=True, metavar="BEFEHL")
    _add_check(sub)
    _add_data_commands(sub)
    add_workflow_commands(sub)  # new, from-issue, report, stale, confirm, links, attention, preview
    return parser


def _add_check(sub) -> None:
    check = sub.add_parser(
        "check", help="alle Einträge prüfen (wie der Build und die Pull-Request-Prüfung)"
    )
    check.add_argument(
        "files",
        nargs="*",
        type=Path,
        help="nur Meldungen zu diesen Dateien zeigen (geprüft wird immer alles)",
    )
    check.add_argument("--root", type=Path, default=Path("."), help="Projektordner (Standard: .)")
    check.add_argument("--lang", choices=["de", "en"], default="de", help="Sprache der Meldungen")
    check.add_argument(
        "--format",
        choices=["text", "github", "markdown"],
        default="text",
        help="github: Anmerkungen für GitHub Actions; markdown: Kommentar für einen Pull Request",
    )
    check.set_defaults(run=run_check)


def _add_data_commands(sub) -> None:
    """geocode, vendor, import, schema."""
    geocode = sub.add_parser(
        "geocode",
        help="neue oder geänderte Adressen nachschlagen (Speicher: entries/_geocache.json)",
    )
    geocode.add_argument("--root", type=Path, default=Path("."), help="Projektordner (Standard: .)")
    geocode.add_argument("--lang", choices=["de", "en"], default="de", help="Sprache der Meldungen")
    geocode.add_argument(
        "--limit", type=int, default=None, help="höchstens so viele Adressen nachschlagen"
    )
    geocode.set_defaults(run=run_geocode)

    fetch = sub.add_parser(
        "vendor",
        help="Leaflet und Co. (Karten, alte Browser) aus dem npm-Verzeichnis holen (geprüft)",
    )
    fetch.set_defaults(run=run_vendor)

    imports = sub.add_parser(
        "import",
        help="Einträge aus einer Tabelle (.csv) oder einem HSDS-Export (.json) anlegen",
    )
    imports.add_argument("file", type=Path, help="Tabelle (.csv, UTF-8) oder daten/hsds.json")
    imports.add_argument(
        "--mapping", type=Path, help="Zuordnungsdatei (YAML): feld: Spaltenname je Zeile"
    )
    imports.add_argument(
        "--update", action="store_true", help="vorhandene Einträge durch die Zeile ersetzen"
    )
    imports.add_argument("--root", type=Path, default=Path("."), help="Projektordner (Standard: .)")
    imports.add_argument("--lang", choices=["de", "en"], default="de", help="Sprache der Meldungen")
    imports.set_defaults(run=run_import)

    schema = sub.add_parser(
        "schema", help="das JSON Schema eines Eintrags ausgeben (mit erlaubten Werten)"
    )
    schema.add_argument("--root", type=Path, default=Path("."))
    schema.set_defaults(run=run_schema)


def run_check(args) -> int:
    root = project_root(args.root, args.lang)
    if root is None:
        return 2
    words = summary_words(args.lang)
    result = pipeline.checked(root)
    own = overrides.read(root)  # the region's words and templates, checked like entries
    wanted = {shown_path(path.resolve(), root) for path in args.files}
    findings = [f for f in [*result.findings, *own.findings] if not wanted or f.path in wanted]
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    entries = len(result.directory.entries)
    if findings:
        files = len({f.path for f in findings})
        summary = words["bad"].format(
            errors=errors, warnings=warnings, files=files, entries=entries
        )
    else:
        summary = words["ok"].format(entries=entries)
    if args.format == "markdown":
        sys.stdout.write(check_markdown(findings, summary, args.lang))
        return 1 if errors else 0
    render = format_github if args.format == "github" else format_text
    for finding in findings:
        print(render(finding, args.lang))
    print(summary, file=sys.stderr)
    return 1 if errors else 0


MAX_MARKDOWN = 50  # messages in a pull request comment; the rest are in the job's log


def check_markdown(findings: list, summary: str, lang: str) -> str:
    """The check as Markdown for a pull request: every message escaped (it quotes entries)."""
    from wegweiser.editorial.mdtext import md

    words = summary_words(lang)
    lines = [f"### {words['check_title']}", "", f"**{md(summary)}**", ""]
    lines += [f"- {md(format_text(f, lang), limit=600)}" for f in findings[:MAX_MARKDOWN]]
    if len(findings) > MAX_MARKDOWN:
        lines.append(f"- {words['check_more'].format(count=len(findings) - MAX_MARKDOWN)}")
    return "\n".join(lines).rstrip() + "\n"


def run_geocode(args) -> int:
    """Fill the cache for new addresses (editors, scheduled jobs); report what was found."""
    from wegweiser.core.validate import entry_files

    root = project_root(args.root, args.lang)
    chosen = settings.for_command(root) if root else None
    if chosen is None:
        return 2
    words = summary_words(args.lang)
    files = len(list(entry_files(root / "entries")))  # no limit: every new address
    limit = args.limit if args.limit is not None else files
    _result, report = pipeline.located(root, chosen.geocoding, max_lookups=limit)
    for entry, place in report.looked_up:
        if place.found:
            line = words["geocode_found"].format(
                path=entry.source, precision=place.precision, lat=place.lat, lon=place.lon
            )
        else:
            line = words["geocode_not_found"].format(path=entry.source)
        print(line)
    for finding in report.findings:
        print(format_text(finding, args.lang))
    found = sum(p.found for _e, p in report.looked_up)
    print(
        words["geocode_summary"].format(
            asked=len(report.looked_up), found=found, failed=len(report.failures)
        ),
        file=sys.stderr,
    )
    return 1 if report.failures else 0


def run_vendor(args) -> int:
    from wegweiser.site import vendor

    env = settings.Environment.read()
    try:
        folders = vendor.ensure(False, vendor.cache_dir(env.vendor_dir), env.npm_registry)
    except vendor.VendorError as exc:
        print(f"Leaflet: {exc}", file=sys.stderr)
        return 1
    for name, folder in folders.items():
        print(f"{name}: {folder}")
    return 0


def run_import(args) -> int:
    """Rows to entry files; rejected rows are reported and change nothing."""
    from wegweiser.editorial import importer

    root = project_root(args.root, args.lang)
    if root is None:
        return 2
    words = summary_words(args.lang)
    shown = str(args.file)
    try:
        mapping = importer.read_mapping(args.mapping, str(args.mapping)) if args.mapping else {}
        rows = importer.read_rows(args.file, shown, mapping)
    except importer.ImportError_ as exc:
        print(format_text(exc.finding, args.lang))
        return 1
    report = importer.import_rows(rows, root, shown, update=args.update, lang=args.lang)
    for path in report.written:
        print(words["import_written"].format(path=path))
    for path in report.updated:
        print(words["import_updated"].format(path=path))
    for finding in report.findings:
        print(format_text(finding, args.lang))
    counts = {"skipped": len(report.skipped), "rejected": report.rejected}
    print(
        words["import_summary"].format(
            written=len(report.written), updated=len(report.updated), **counts
        ),
        file=sys.stderr,
    )
    return 1 if report.rejected else 0


def run_schema(args) -> int:
    from wegweiser.core.validate import Validator, entry_schema

    root = args.root.resolve()
    validator = Validator(root, root / "entries")
    json.dump(entry_schema(validator.lists), sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
