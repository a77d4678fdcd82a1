"""load → validate → locate → Directory: the one way from entry files to the Directory.

The build, every command and the exports take their Directory from here, so a volunteer
sees the same findings locally, in the pull request and in the build. The Directory is
built from located entries: every entry has its ``place`` before any index is made.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wegweiser import geo
from wegweiser.core.findings import sort_key
from wegweiser.core.model import Directory
from wegweiser.core.validate import Result, Validator, check_directory


def checked(root: Path, entries_dir: Path | None = None, today: dt.date | None = None) -> Result:
    """Load and validate (``wegweiser check``): the Directory of the valid entries, unlocated."""
    return check_directory(root, entries_dir, today)


def located(
    root: Path,
    geocoding: geo.GeocodeSettings,
    entries_dir: Path | None = None,
    today: dt.date | None = None,
    max_lookups: int | None = None,
) -> tuple[Result, geo.Report]:
    """Load, validate, locate (cache ▶ geocoder ▶ municipality centre), then the Directory.

    The geocoding findings join the others; the report says what was looked up.
    Entries are located in the directory's order (the lookup budget goes by it).
    """
    entries_dir = entries_dir or root / "entries"
    validator = Validator(root, entries_dir, today)
    valid, findings = validator.check_entries()
    ordered = Directory.order(valid)
    shown_cache = f"{entries_dir.name}/{geo.CACHE_NAME}"
    report = geo.locate_directory(
        ordered, validator.lists, entries_dir, geocoding, max_lookups, shown_cache
    )
    directory = Directory.build(ordered, validator.lists)
    findings = sorted(set(findings), key=sort_key) + report.findings
    return Result(directory, findings), report


def offline(root: Path, entries_dir: Path | None = None) -> Result:
    """The Directory located from the committed cache and the centres alone, never the
    network (reports, exports without a build, benchmarks)."""
    result, _report = located(root, geo.GeocodeSettings(offline=True), entries_dir)
    return result
