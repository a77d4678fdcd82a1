"""The project's settings (``extra.wegweiser`` in mkdocs.yml) for code that runs without MkDocs.

The build gets them from MkDocs' own config object; the command line reads the same
file here, so both see the same geocoder, region and map settings.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import yaml

from .findings import read_locale


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry MkDocs' own tags (``!ENV``, ``!relative``): read them as None."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)


def project_settings(root: Path) -> tuple[dict, str]:
    """``extra.wegweiser`` and ``site_url`` of ``root/mkdocs.yml`` (empty when it is missing)."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return {}, ""
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_TolerantLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}, ""
    extra = (data.get("extra") or {}).get("wegweiser") or {}
    return dict(extra), str(data.get("site_url") or "")


def positive_int(extra: Mapping | None, key: str, default: int) -> int:
    """A setting that must be a positive whole number; anything else gives ``default``."""
    value = (extra or {}).get(key, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def project_root(root: Path, lang: str = "de") -> Path | None:
    """The project folder of a command (``--root``); None, with a message, without entries/."""
    root = root.resolve()
    if (root / "entries").is_dir():
        return root
    words = {**read_locale("de")["cli"], **read_locale(lang).get("cli", {})}
    print(words["no_entries"].format(path=root / "entries"), file=sys.stderr)
    return None
