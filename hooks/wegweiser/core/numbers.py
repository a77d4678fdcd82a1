"""Numbers from settings people write: a wrong one falls back to the default here, and
settings.check names it with its place in mkdocs.yml."""

from __future__ import annotations

from collections.abc import Mapping


def positive_int(extra: Mapping | None, key: str, default: int) -> int:
    """A setting that must be a positive whole number; anything else gives ``default``."""
    value = (extra or {}).get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default
