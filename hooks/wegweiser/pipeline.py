"""load → validate → locate → Directory: the one way from entry files to the Directory.

The build, every command and the exports take their Directory from here, so a volunteer
sees the same findings locally, in the pull request and in the build. The Directory is
built from located entries: every entry has its ``place`` before any index is made.
"""

from __future__ import annotations

import datetime as dt
import pickle
from pathlib import Path

from wegweiser import geo
from wegweiser.core import buildcache, freshness, hours
from wegweiser.core.findings import sort_key
from wegweiser.core.model import Directory, Entry
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
    shown_on: dt.date | None = None,
    keep_expired: bool = False,
    cache: buildcache.Store | None = None,
) -> tuple[Result, geo.Report]:
    """Load, validate, locate (cache ▶ geocoder ▶ municipality centre), then the Directory.

    The geocoding findings join the others; the report says what was looked up.
    Entries are located in the directory's order (the lookup budget goes by it).
    ``shown_on`` is the day the site shows (the build day): offers past their
    ``valid_until`` leave the Directory (unless ``keep_expired``: the editors' lists name
    them), and the opening days are counted from it. ``cache``: each file's check is kept
    there, and taken from there when the file is the same (core/buildcache.py).
    """
    entries_dir = entries_dir or root / "entries"
    shown_on = shown_on or freshness.build_date()
    validator = Validator(root, entries_dir, today)
    if cache is not None:
        validator.use_cache(cache)
    valid, findings = validator.check_entries()
    ordered = Directory.order([e for e in valid if keep_expired or not e.expired(shown_on)])
    shown_cache = f"{entries_dir.name}/{geo.CACHE_NAME}"
    report = geo.locate_directory(
        ordered, validator.lists, entries_dir, geocoding, max_lookups, shown_cache
    )
    add_schedules(ordered, shown_on, cache)
    directory = Directory.build(ordered, validator.lists)
    findings = sorted(set(findings), key=sort_key) + report.findings
    return Result(directory, findings, validator), report


def relocated(
    previous: Result, changed: set[Path], geocoding: geo.GeocodeSettings, shown_on: dt.date
) -> Result:
    """``located`` again after the entry files ``changed`` were saved (`mkdocs serve`):
    only they are checked, located and given their coming days anew; every other entry is
    the one ``previous`` made. The findings are the whole set's check and the changed
    entries' locating."""
    validator = previous.validator
    valid, findings = validator.recheck(changed)
    earlier = {id(entry) for entry in previous.directory.entries.values()}
    ordered = Directory.order([e for e in valid if not e.expired(shown_on)])
    fresh = [entry for entry in ordered if id(entry) not in earlier]
    shown_cache = f"{validator.entries_dir.name}/{geo.CACHE_NAME}"
    report = geo.locate_directory(
        fresh, validator.lists, validator.entries_dir, geocoding, None, shown_cache
    )
    add_schedules(fresh, shown_on)
    directory = Directory.build(ordered, validator.lists)
    return Result(directory, sorted(set(findings), key=sort_key) + report.findings, validator)


def add_schedules(
    entries: list[Entry], day: dt.date, cache: buildcache.Store | None = None
) -> None:
    """Each entry's coming days from ``day`` on (None without opening hours and status);
    with ``cache``, an entry file's days are kept and taken from there on the same day."""
    states = [e.municipality.data.get("state") if e.municipality else None for e in entries]
    keys = [
        buildcache.digest("days", cache.engine, e.digest, state, day.isoformat())
        if cache is not None and cache.on and e.digest
        else ""
        for e, state in zip(entries, states, strict=True)
    ]
    stored = cache.get_many("days", [k for k in keys if k]) if cache is not None else {}
    for entry, state, key in zip(entries, states, keys, strict=True):
        try:
            entry.schedule = pickle.loads(stored[key]) if key in stored else None
        except Exception:  # a value the cache cannot give back: made again
            stored.pop(key, None)
        if key not in stored:
            entry.schedule = hours.schedule(entry.data, state, day)
            if key:
                cache.put("days", key, pickle.dumps(entry.schedule, pickle.HIGHEST_PROTOCOL))
    if cache is not None:
        cache.flush()


def offline(root: Path, entries_dir: Path | None = None, keep_expired: bool = False) -> Result:
    """The Directory located from the committed cache and the centres alone, never the
    network (reports, exports without a build, benchmarks, the editors' attention list)."""
    geocoding = geo.GeocodeSettings(offline=True)
    result, _report = located(root, geocoding, entries_dir, keep_expired=keep_expired)
    return result
