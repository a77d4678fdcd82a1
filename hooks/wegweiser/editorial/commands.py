"""The editing-workflow commands of ``wegweiser``: init, new, from-issue, report, stale,
confirm, links, attention, preview.

Kept apart from cli.py so the check/geocode/vendor commands stay short; cli.py only
calls ``add_workflow_commands``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from wegweiser.core.findings import Finding, format_text, read_locale

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
    _add_attention(sub)
    _add_preview(sub)


def _add_preview(sub) -> None:
    preview = sub.add_parser(
        "preview",
        help="Vorschau eines Pull Requests (Markdown): die Seiten der geänderten Einträge in "
        "der gebauten Seite",
    )
    preview.add_argument("base", help="Stand vorher, z. B. origin/main")
    preview.add_argument("head", help="Stand nachher, z. B. HEAD")
    preview.add_argument(
        "--site", type=Path, default=Path("site"), help="die gebaute Seite (Standard: site)"
    )
    preview.add_argument("--artifact-url", default="", help="Adresse des Artefakts der Seite")
    _common(preview)
    preview.set_defaults(run=run_preview)


def _add_attention(sub) -> None:
    attention = sub.add_parser(
        "attention",
        help="was die Redaktion tun sollte, je Gemeinde: alter Stand, Ende, Links, Karte, "
        "Kontakt, Übersetzungen",
    )
    attention.add_argument("--format", choices=["text", "markdown"], default="text")
    attention.add_argument("--municipality", metavar="KENNUNG", help="nur diese Gemeinde")
    attention.add_argument("--months", type=int, help="Stand veraltet ab (Standard: mkdocs.yml)")
    attention.add_argument("--today", type=_date, help="Stichtag JJJJ-MM-TT (Standard: heute)")
    attention.add_argument(
        "--issues",
        type=Path,
        metavar="ORDNER",
        help="je Gemeinde mit Hinweisen ORDNER/<gemeinde>.md und ORDNER/index.json schreiben "
        "(für .ci/attention-issues)",
    )
    _common(attention)
    attention.set_defaults(run=run_attention)


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


def run_preview(args) -> int:
    from wegweiser import settings
    from wegweiser.editorial import gitrev, preview

    root = args.root.resolve()
    chosen = settings.for_command(root)
    if chosen is None:
        return 2
    trees = {lang: chosen.site.prefix(lang) for lang in chosen.site.languages}
    try:
        pages = preview.changed_pages(root, args.base, args.head, args.site, trees)
    except gitrev.GitError as exc:
        said = words(args.lang)["git_failed"].format(base=args.base, head=args.head)
        print(f"{said}\ngit: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(preview.summary_markdown(pages, args.artifact_url, args.lang))
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
    from wegweiser.editorial.stale import ending_finding, stale_finding

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


def run_attention(args) -> int:
    from wegweiser import pipeline, settings
    from wegweiser.editorial import attention

    root = settings.project_root(args.root, args.lang)
    chosen = settings.for_command(root) if root else None
    if chosen is None:
        return 2
    result = pipeline.offline(root, chosen.entries_dir, keep_expired=True)
    listing = attention.collect(
        result.directory,
        _link_findings(root, chosen.entries_dir, args.lang),
        args.today or chosen.env.build_date,
        args.months or chosen.stale_after_months,
        chosen.site.languages,
    )
    if args.municipality:
        if not _known_municipality(args.municipality, result.directory):
            text = words(args.lang)["attention_unknown"].format(municipality=args.municipality)
            print(text, file=sys.stderr)
            return 2
        listing.groups = {args.municipality: listing.groups.get(args.municipality, [])}
        listing.names[args.municipality] = attention.municipality_name(
            args.municipality, result.directory
        )
    where = attention.Targets(chosen.site_url, chosen.site.repository)
    if args.issues:
        attention.write_issues(listing, where, args.issues, args.lang)
    elif args.format == "markdown" and args.municipality:
        sys.stdout.write(attention.section(listing, args.municipality, where, args.lang))
    elif args.format == "markdown":
        sys.stdout.write(attention.everything(listing, where, args.lang))
    else:
        for item in (item for items in listing.groups.values() for item in items):
            print(format_text(item.finding, args.lang))
    print(_attention_summary(listing, args.lang), file=sys.stderr)
    return 0


def _link_findings(root: Path, entries_dir: Path, lang: str) -> list:
    """The last link check's findings; an unreadable results file is said, not fatal."""
    from wegweiser.core.lists import shown_path
    from wegweiser.editorial import attention, links

    try:
        return attention.link_findings(root, entries_dir)
    except links.ResultsError as exc:
        where = shown_path(entries_dir / links.RESULTS_NAME, root)
        problem = Finding(where, 1, 1, "error", "file.unreadable", {"reason": str(exc)})
        print(format_text(problem, lang), file=sys.stderr)
        return []


def _known_municipality(mid: str, directory) -> bool:
    from wegweiser.editorial.attention import NO_MUNICIPALITY

    return mid == NO_MUNICIPALITY or mid in directory.lists["municipalities"]


def _attention_summary(listing, lang: str) -> str:
    counts = ", ".join(
        f"{listing.names.get(mid) or mid}: {len(items)}" for mid, items in listing.groups.items()
    )
    with_work = sum(1 for items in listing.groups.values() if items)
    text = words(lang)["attention_summary"].format(count=listing.count, municipalities=with_work)
    return f"{text} {counts}".rstrip()


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
