"""The editing-workflow commands of ``wegweiser``: init, new, from-issue, report, stale,
confirm, links.

Kept apart from cli.py so the check/geocode/vendor commands stay short; cli.py only
calls ``add_workflow_commands``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from wegweiser.core.findings import WARNING, Finding, format_text, read_locale

LANGS = ["de", "en"]


def words(lang: str) -> dict[str, str]:
    return {**read_locale("de")["cli"], **read_locale(lang).get("cli", {})}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"JJJJ-MM-TT / YYYY-MM-DD: {text!r}") from None


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."), help="Projektordner (Standard: .)")
    parser.add_argument("--lang", choices=LANGS, default="de", help="Sprache der Meldungen")


def add_workflow_commands(sub) -> None:
    from wegweiser.editorial import from_issue, init, links, new

    init.add_parser(sub)
    new.add_parser(sub, _common, _date)
    from_issue.add_parser(sub, _common)
    links.add_parser(sub, _common)

    report = sub.add_parser(
        "report", help="Änderungsbericht (Markdown) zwischen zwei Commits, für den Pull Request"
    )
    report.add_argument("base", help="Stand vorher, z. B. origin/main")
    report.add_argument("head", help="Stand nachher, z. B. HEAD")
    report.add_argument("--output", type=Path, help="in diese Datei schreiben statt auf stdout")
    _common(report)
    report.set_defaults(run=run_report)

    stale = sub.add_parser("stale", help="Einträge auflisten, deren Stand zu alt ist")
    stale.add_argument("--months", type=int, help="Grenze in Monaten (Standard: mkdocs.yml)")
    stale.add_argument("--today", type=_date, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    stale.add_argument("--format", choices=["text", "markdown"], default="text")
    _common(stale)
    stale.set_defaults(run=run_stale)

    confirm = sub.add_parser(
        "confirm", help="Eintrag unverändert bestätigen: setzt nur verified.date auf heute"
    )
    confirm.add_argument("files", nargs="+", type=Path)
    confirm.add_argument("--today", type=_date, help="Datum JJJJ-MM-TT (Standard: heute)")
    _common(confirm)
    confirm.set_defaults(run=run_confirm)


def run_report(args) -> int:
    from wegweiser.core.files import write_atomically
    from wegweiser.editorial import gitrev, report

    root = args.root.resolve()
    try:
        comparison = report.compare(root, args.base, args.head)
    except gitrev.GitError as exc:
        print(
            words(args.lang)["git_failed"].format(base=args.base, head=args.head), file=sys.stderr
        )
        print(f"git: {exc}", file=sys.stderr)
        return 2
    text = report.render_markdown(comparison, args.lang)
    if args.output:
        try:
            write_atomically(args.output, text)
        except OSError as exc:
            params = {"reason": exc.strerror}
            print(
                format_text(Finding(str(args.output), 1, 1, "error", "file.unwritable", params)),
                file=sys.stderr,
            )
            return 2
    else:
        sys.stdout.write(text)
    return 0


def run_stale(args) -> int:
    from wegweiser import pipeline, settings
    from wegweiser.core import freshness

    root = args.root.resolve()
    chosen = settings.for_command(root)
    if chosen is None:
        return 2
    months = args.months or chosen.stale_after_months
    today = args.today or chosen.env.build_date
    result = pipeline.checked(root)
    old = freshness.stale_entries(result.directory.entries.values(), today, months)
    ending = freshness.ending_entries(result.directory.entries.values(), today)
    if args.format == "markdown":
        from wegweiser.editorial.stale import stale_markdown

        text = stale_markdown(
            old, today, months, chosen.extra, chosen.site_url, args.lang, ending=ending
        )
        sys.stdout.write(text)
        return 0
    for entry in old:
        print(format_text(stale_finding(entry, today), args.lang))
    for entry in ending:
        print(format_text(ending_finding(entry, today), args.lang))
    print(words(args.lang)["stale_summary"].format(count=len(old), months=months), file=sys.stderr)
    return 0


def ending_finding(entry, today: dt.date) -> Finding:
    """A time-limited offer that ended (and left the site) or ends soon."""
    line, col = entry.marks.get(("valid_until",), (1, 1))
    days = (entry.valid_until - today).days
    code = "valid_until.expired" if days < 0 else "valid_until.soon"
    params = {"field": "valid_until", "value": entry.valid_until.isoformat(), "days": days}
    return Finding(entry.source, line, col, WARNING, code, params)


def stale_finding(entry, today: dt.date) -> Finding:
    from wegweiser.core.freshness import months_between

    line, col = entry.marks.get(("verified", "date"), (1, 1))
    params = {
        "date": entry.verified_on.isoformat(),
        "months": months_between(entry.verified_on, today),
        "path": entry.source,
    }
    return Finding(entry.source, line, col, WARNING, "stale.old", params)


def run_confirm(args) -> int:
    from wegweiser.core import freshness

    today = args.today or freshness.build_date()
    said = words(args.lang)
    failed = 0
    for path in args.files:
        try:
            freshness.confirm_file(path, today)
        except freshness.ConfirmError as exc:
            failed += 1
            finding = Finding(str(path), 1, 1, "error", str(exc), {})
            print(format_text(finding, args.lang), file=sys.stderr)
            continue
        except (OSError, UnicodeDecodeError) as exc:
            failed += 1
            params = {"reason": getattr(exc, "strerror", None) or str(exc)}
            print(
                format_text(
                    Finding(str(path), 1, 1, "error", "file.unreadable", params), args.lang
                ),
                file=sys.stderr,
            )
            continue
        print(said["confirmed"].format(path=path, date=today.isoformat()))
    return 1 if failed else 0
