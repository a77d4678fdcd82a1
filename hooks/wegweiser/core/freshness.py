"""How old an entry's "Stand" (``verified.date``) is, and confirming an entry unchanged.

Ages are counted in whole calendar months against one "today" that callers pass in:
the build takes it from ``SOURCE_DATE_EPOCH`` when set (the reproducible-builds
convention, also how tests fix the date), else the real date.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from wegweiser.core.loader import LoadError, load_bytes
from wegweiser.core.model import Entry
from wegweiser.core.numbers import positive_int

DEFAULT_MONTHS = 12


def build_date(env: Mapping[str, str] = os.environ) -> dt.date:
    """The day ages are counted to: ``SOURCE_DATE_EPOCH`` (seconds, UTC) or today."""
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def stale_after_months(extra: Mapping | None) -> int:
    """``extra.wegweiser.stale_after_months``; anything but a positive whole number: 12."""
    return positive_int(extra, "stale_after_months", DEFAULT_MONTHS)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole months from ``earlier`` to ``later`` (0 when later is not a full month on)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def is_stale(verified_on: dt.date, today: dt.date, months: int = DEFAULT_MONTHS) -> bool:
    return months_between(verified_on, today) >= months


def stale_entries(
    entries: Iterable[Entry], today: dt.date, months: int = DEFAULT_MONTHS
) -> list[Entry]:
    """Entries whose Stand is ``months`` or more old, oldest first."""
    old = [e for e in entries if is_stale(e.verified_on, today, months)]
    return sorted(old, key=lambda e: (e.verified_on, e.source))


# Time-limited offers (``valid_until``) are named this many days before they leave the site.
ENDING_WARNING_DAYS = 42


def ending_entries(
    entries: Iterable[Entry], today: dt.date, days: int = ENDING_WARNING_DAYS
) -> list[Entry]:
    """Offers that ended already or end within ``days``, soonest first."""
    limit = today + dt.timedelta(days=days)
    ending = [e for e in entries if e.valid_until is not None and e.valid_until <= limit]
    return sorted(ending, key=lambda e: (e.valid_until, e.source))


# -- confirming an entry unchanged ---------------------------------------------------------

_DATE_TOKEN = re.compile(r"""(["']?)\d{4}-\d{2}-\d{2}\1""")


class ConfirmError(Exception):
    """The date cannot be replaced safely by a one-line edit; the reason is a message code."""


def confirmed_text(text: str, today: dt.date) -> str:
    """The file's text with only ``verified.date`` set to ``today``: comments and order stay.

    The new text is read again and compared with the old one, so nothing but the date
    can ever change (an unusual layout is refused instead of rewritten).
    """
    try:
        doc = load_bytes(text.encode("utf-8"))
    except LoadError as exc:
        raise ConfirmError("confirm.unreadable") from exc
    if (doc.value or {}).get("verified", {}).get("date") is None:
        raise ConfirmError("confirm.no_date")
    line, col = doc.marks[("verified", "date")]
    lines = text.split("\n")
    head, tail = lines[line - 1][: col - 1], lines[line - 1][col - 1 :]
    match = _DATE_TOKEN.match(tail)
    if not match:
        raise ConfirmError("confirm.no_date")
    quote = match[1]
    lines[line - 1] = f"{head}{quote}{today.isoformat()}{quote}{tail[match.end() :]}"
    new_text = "\n".join(lines)
    expected = doc.value
    expected["verified"]["date"] = today.isoformat()
    if load_bytes(new_text.encode("utf-8")).value != expected:  # pragma: no cover - safety net
        raise ConfirmError("confirm.no_date")
    return new_text


def confirm_file(path: Path, today: dt.date) -> None:
    """Set the Stand of one entry file to ``today``, atomically."""
    from wegweiser.core.files import write_atomically

    # bytes, not read_text: Windows line endings must stay as they are
    write_atomically(path, confirmed_text(path.read_bytes().decode("utf-8"), today))
