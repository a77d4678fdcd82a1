"""The settings, read and checked once: ``extra.wegweiser`` in mkdocs.yml and the
``WEGWEISER_*`` environment variables, as one frozen ``Settings`` object.

The build (from MkDocs' config) and the commands (from the file) read the same settings
here and pass them on; no other module reads mkdocs.yml or the environment. A setting of
the wrong kind is an error with its place in mkdocs.yml, as entries get
(``mkdocs.yml:62:16: error: … — …``).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from wegweiser.core import fields, freshness
from wegweiser.core.findings import WARNING, Finding, format_text, read_locale
from wegweiser.exports.base import DataLicense, ExportSettings
from wegweiser.geo.settings import GeocodeSettings, network_forbidden
from wegweiser.site import maps, overrides, paging
from wegweiser.site.render import SiteSettings

CONFIG_NAME = "mkdocs.yml"


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry MkDocs' own tags (``!ENV``, ``!relative``): read them as None."""


_TolerantLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda *args: None)


def _config(path: Path) -> dict:
    """mkdocs.yml as data; empty when it is missing or not YAML (MkDocs itself says why)."""
    if not path.is_file():
        return {}
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_TolerantLoader) or {}
    except (yaml.YAMLError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _wegweiser(data: dict) -> dict:
    return dict((data.get("extra") or {}).get("wegweiser") or {})


def project_settings(root: Path) -> tuple[dict, str]:
    """``extra.wegweiser`` and ``site_url`` of ``root/mkdocs.yml`` (empty when it is missing)."""
    data = _config(root / CONFIG_NAME)
    return _wegweiser(data), str(data.get("site_url") or "")


def project_root(root: Path, lang: str = "de") -> Path | None:
    """The project folder of a command (``--root``); None, with a message, without entries/."""
    root = root.resolve()
    if (root / "entries").is_dir():
        return root
    words = {**read_locale("de")["cli"], **read_locale(lang).get("cli", {})}
    print(words["no_entries"].format(path=root / "entries"), file=sys.stderr)
    return None


# -- the environment ------------------------------------------------------------------------


@dataclass(frozen=True)
class Environment:
    """The WEGWEISER_* variables (and SOURCE_DATE_EPOCH), read once.

    Two process-level knobs are read where they act: WEGWEISER_WORKERS (core.parallel,
    how many processes fork) and WEGWEISER_SEARCH_PART_SIZE (site.search, a test setting).
    """

    values: Mapping[str, str] = field(default_factory=dict)  # only the variables we read

    NAMES = (
        "WEGWEISER_OFFLINE",
        "WEGWEISER_GEOCODER_URL",
        "WEGWEISER_PREVIEW_LANGUAGES",
        "WEGWEISER_VENDOR_DIR",
        "WEGWEISER_NPM_REGISTRY",
        "SOURCE_DATE_EPOCH",
    )

    @classmethod
    def read(cls, env: Mapping[str, str] | None = None) -> Environment:
        env = os.environ if env is None else env
        return cls({name: env[name] for name in cls.NAMES if name in env})

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    @property
    def offline(self) -> bool:
        return network_forbidden(self.values)

    @property
    def preview_everything(self) -> bool:
        """WEGWEISER_PREVIEW_LANGUAGES=all: the preview builds every language and the index."""
        return self.get("WEGWEISER_PREVIEW_LANGUAGES") == "all"

    @property
    def vendor_dir(self) -> str:
        return self.get("WEGWEISER_VENDOR_DIR")

    @property
    def npm_registry(self) -> str:
        return self.get("WEGWEISER_NPM_REGISTRY")

    @property
    def build_date(self) -> dt.date:
        return freshness.build_date(self.values)


# -- the settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkSettings:
    """``extra.wegweiser.links``: which addresses `wegweiser links` never asks, and how
    gently it asks the others (one server is never hammered)."""

    exclude: tuple[str, ...] = ()  # beginnings of addresses (https://…) or host names
    per_host: int = 2  # requests to one host at the same time
    delay: float = 1.0  # seconds between the start of two requests to the same host

    @classmethod
    def from_config(cls, extra: Mapping) -> LinkSettings:
        raw = extra.get("links") or {}
        return cls(
            exclude=tuple(str(item) for item in raw.get("exclude") or ()),
            per_host=int(raw.get("per_host", cls.per_host)),
            delay=float(raw.get("delay", cls.delay)),
        )


class SettingsError(Exception):
    """Settings that cannot be used; ``problems`` are whole messages with their places."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Settings:
    """Everything the stages need from mkdocs.yml and the environment."""

    root: Path  # the project folder (where mkdocs.yml is)
    entries_dir: Path
    site_name: str
    site_url: str
    extra: Mapping  # extra.wegweiser as written (the operator's details for the legal pages)
    site: SiteSettings  # what pages need; its languages are those this build makes
    geocoding: GeocodeSettings
    exports: ExportSettings
    env: Environment
    preview: bool = False  # a quick preview (`mkdocs serve`): one language, no search index
    links: LinkSettings = field(default_factory=LinkSettings)  # `wegweiser links` only
    # Worth saying once, not wrong: no operator e-mail, so pages offer no e-mail feedback.
    notices: tuple[Finding, ...] = ()

    @property
    def lang(self) -> str:
        return self.site.lang

    @property
    def stale_after_months(self) -> int:
        return self.site.stale_after_months


def read(
    root: Path,
    site_url: str = "",
    site_name: str = "",
    extra: Mapping | None = None,
    env: Environment | None = None,
    preview: bool = False,
    config_path: Path | None = None,
) -> Settings:
    """The settings of the project at ``root`` from ``extra`` (``extra.wegweiser``).

    ``preview``: `mkdocs serve`, which builds only the default language unless
    WEGWEISER_PREVIEW_LANGUAGES=all. Raises SettingsError for a setting of the wrong kind.
    """
    extra = dict(extra or {})
    env = env or Environment.read()
    problems = check(extra, config_path or root / CONFIG_NAME)
    own = overrides.read(root)  # the region's words and templates (overrides/)
    problems += [format_text(finding) for finding in own.errors]
    if problems:
        raise SettingsError(problems)
    quick = preview and not env.preview_everything
    site = SiteSettings(
        site_url=site_url or "",
        repo_url=str(extra.get("repo_url", "")),
        branch=str(extra.get("branch", "main")),
        lang=str(extra.get("language", "de")),
        languages=_languages(extra, quick),
        map=maps.MapSettings.from_config(extra),
        today=env.build_date,
        stale_after_months=freshness.stale_after_months(extra),
        page_size=paging.page_size(extra),
        operator_email=operator_email(extra),
        texts=own.texts,
        templates=own.templates,
    )
    return Settings(
        root=root,
        entries_dir=(root / str(extra.get("entries_dir", "entries"))).resolve(),
        site_name=site_name,
        site_url=site_url or "",
        extra=extra,
        site=site,
        geocoding=GeocodeSettings.from_config(extra, site_url or "", env=env.values),
        exports=ExportSettings(
            site_url=site_url or "",
            license=DataLicense.from_config(extra, site_name),
            languages=site.languages,
        ),
        env=env,
        preview=quick,
        links=LinkSettings.from_config(extra),
        notices=_notices(site, config_path or root / CONFIG_NAME),
    )


def operator_email(extra: Mapping) -> str:
    """``operator.email``: where visitors write without an account ("" when none is set)."""
    operator = extra.get("operator")
    return str(operator.get("email") or "").strip() if isinstance(operator, Mapping) else ""


def _notices(site: SiteSettings, config_path: Path) -> tuple[Finding, ...]:
    """What the build says once: no operator e-mail, so no e-mail link on any page."""
    if site.operator_email:
        return ()
    places = _Places(config_path)
    line, col = places.of(("extra", "wegweiser", "operator", "email"))
    return (Finding(places.shown, line, col, WARNING, "operator.no_email", {}),)


def read_project(root: Path, env: Environment | None = None) -> Settings:
    """The settings of the project at ``root`` for a command: its mkdocs.yml (if any)."""
    path = root / CONFIG_NAME
    data = _config(path)
    site_url, site_name = str(data.get("site_url") or ""), str(data.get("site_name") or "")
    return read(root.resolve(), site_url, site_name, _wegweiser(data), env, config_path=path)


def for_command(root: Path) -> Settings | None:
    """A command's settings; None, with every problem on stderr, where mkdocs.yml has bad ones."""
    try:
        return read_project(root)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return None


def _languages(extra: Mapping, quick_preview: bool = False) -> tuple[str, ...]:
    """The interface languages: the default first, then the others as configured; a quick
    preview builds the default language only, so a saved entry shows within seconds."""
    default = str(extra.get("language", "de"))
    if quick_preview:
        return (default,)
    others = [str(code) for code in extra.get("languages") or [] if str(code) != default]
    return (default, *dict.fromkeys(others))


# -- checking -------------------------------------------------------------------------------

_WHOLE = "eine ganze Zahl größer als 0 / a whole number above 0"


def check(extra: Mapping, config_path: Path) -> list[str]:
    """Every problem of ``extra.wegweiser``, each as "mkdocs.yml:line:col: error: …"."""
    places = _Places(config_path)
    problems = []

    def problem(path: tuple[str, ...], text: str, hint: str) -> None:
        line, col = places.of(("extra", "wegweiser", *path))
        problems.append(f"{places.shown}:{line}:{col}: error: {text} — {hint}")

    for key in ("page_size", "stale_after_months"):
        if key in extra and not _is_positive_int(extra[key]):
            problem((key,), f"{key} muss {_WHOLE} sein, nicht {extra[key]!r}", f"z. B. {key}: 12")
    if "language" in extra and not _known_language(extra["language"]):
        text = f"unbekannte Sprache {extra['language']!r} / unknown language"
        problem(("language",), text, _add_language)
    languages = extra.get("languages")
    if languages is not None and not isinstance(languages, list):
        problem(("languages",), "languages muss eine Liste sein / must be a list", "[de, en, ar]")
    for index, code in enumerate(languages if isinstance(languages, list) else []):
        if not _known_language(code):
            problem(
                ("languages", index),
                f"unbekannte Sprache {code!r} / unknown language",
                _add_language,
            )
    repo_url = extra.get("repo_url")
    if repo_url and not str(repo_url).startswith(("https://", "http://")):
        problem(
            ("repo_url",),
            f"repo_url muss mit https:// beginnen, nicht {repo_url!r}",
            "z. B. https://github.com/verein/wegweiser",
        )
    for section in ("geocoding", "map", "region", "data_license", "operator", "links"):
        if (
            section in extra
            and extra[section] is not None
            and not isinstance(extra[section], Mapping)
        ):
            problem(
                (section,),
                f"{section} muss Schlüssel mit Werten haben / must be a mapping",
                "siehe README „Einstellungen“",
            )
    _check_numbers(extra, problem)
    _check_links(extra, problem)
    _check_operator_email(extra, problem)
    return problems


def _check_operator_email(extra: Mapping, problem) -> None:
    """The operator's e-mail becomes a mailto: link on every page: it must be one address,
    without anything that would add recipients or header fields to the link."""
    address = operator_email(extra)
    if not address:
        return
    try:
        fields.check_email(address)
    except fields.FieldProblem:
        problem(
            ("operator", "email"),
            f"operator.email ist keine E-Mail-Adresse / is not an e-mail address: {address!r}",
            "z. B. email: redaktion@landkreis-leer.de",
        )


_add_language = "eine Datei hooks/wegweiser/core/locales/<code>.yml anlegen (README „Sprachen“)"


def _check_numbers(extra: Mapping, problem) -> None:
    """The numbers of the geocoding, map and region sections, each wrong one to ``problem``."""
    geocoding = extra.get("geocoding") if isinstance(extra.get("geocoding"), Mapping) else {}
    for key in ("timeout", "max_lookups_per_build"):
        if key in geocoding and not _is_number(geocoding[key]):
            problem(
                ("geocoding", key),
                f"{key} muss eine Zahl sein, nicht {geocoding[key]!r}",
                f"z. B. {key}: 10",
            )
    map_ = extra.get("map") if isinstance(extra.get("map"), Mapping) else {}
    if "max_zoom" in map_ and not _is_positive_int(map_["max_zoom"]):
        problem(("map", "max_zoom"), f"max_zoom muss {_WHOLE} sein", "z. B. max_zoom: 19")
    region = extra.get("region") if isinstance(extra.get("region"), Mapping) else {}
    bbox = region.get("bbox")
    if bbox is not None and not (
        isinstance(bbox, list) and len(bbox) == 4 and all(_is_number(v) for v in bbox)
    ):
        problem(
            ("region", "bbox"),
            "bbox muss vier Zahlen haben: Süd, West, Nord, Ost",
            "z. B. bbox: [50.3, 5.8, 53.9, 10.7]",
        )


_LINK_KEYS = ("exclude", "per_host", "delay")
_EXCLUDE_EXAMPLE = "z. B. exclude: [https://www.facebook.com/, linkedin.com]"


def _check_links(extra: Mapping, problem) -> None:
    """``links``: known keys, an exclude list of addresses or host names, gentle numbers."""
    links = extra.get("links") if isinstance(extra.get("links"), Mapping) else {}
    for key in links:
        if key not in _LINK_KEYS:
            text = f"unbekannte Einstellung links.{key} / unknown setting"
            problem(("links", key), text, "erlaubt sind / allowed: " + ", ".join(_LINK_KEYS))
    exclude = links.get("exclude")
    if exclude is not None and not isinstance(exclude, list):
        problem(
            ("links", "exclude"), "exclude muss eine Liste sein / must be a list", _EXCLUDE_EXAMPLE
        )
    for index, item in enumerate(exclude if isinstance(exclude, list) else []):
        if not _is_exclusion(item):
            problem(
                ("links", "exclude", index),
                f"{item!r} ist weder Anfang einer Adresse noch Servername / "
                "is neither the beginning of an address nor a host name",
                "eine Adresse mit https:// am Anfang oder ein Servername wie facebook.com",
            )
    if "per_host" in links and not _is_positive_int(links["per_host"]):
        problem(("links", "per_host"), f"per_host muss {_WHOLE} sein", "z. B. per_host: 2")
    delay = links.get("delay", 0)
    if not _is_number(delay) or delay < 0:
        problem(
            ("links", "delay"),
            f"delay muss eine Zahl ab 0 sein (Sekunden), nicht {delay!r}",
            "z. B. delay: 1",
        )


def _is_exclusion(item) -> bool:
    """``https://host/path…`` (the beginning of addresses) or ``host.name`` (that host and
    its subdomains)."""
    if not isinstance(item, str) or not item or any(c.isspace() for c in item):
        return False
    if item.lower().startswith(("http://", "https://")):
        return len(item.split("://", 1)[1]) > 0
    return "/" not in item and ":" not in item


def _is_positive_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _known_language(code) -> bool:
    return isinstance(code, str) and (
        resources.files("wegweiser.core").joinpath("locales", f"{code}.yml").is_file()
    )


class _Places:
    """Line and column of a setting in mkdocs.yml, from YAML's node tree (1-based); the file
    is read again only when a setting is wrong."""

    def __init__(self, path: Path):
        self.path, self.shown = path, path.name

    @functools.cached_property
    def root(self):
        try:
            return yaml.compose(self.path.read_text("utf-8"), Loader=_TolerantLoader)
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            return None

    def of(self, path: tuple) -> tuple[int, int]:
        node, found = self.root, (1, 1)
        for key in path:
            node = _child(node, key)
            if node is None:
                break
            found = (node.start_mark.line + 1, node.start_mark.column + 1)
        return found


def _child(node, key):
    if isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return None
