"""The region's own files of a new Wegweiser, made from the engine repository's demo.

The demo region in the engine's repository is the template: its hand-written pages, lists,
issue forms, CODEOWNERS and mkdocs.yml are copied with the demo's repository, owner and
example places replaced by the region's, so a new region starts from what the demo shows
today. The demo's own names are read from its files (mkdocs.yml), never written here.
"""

from __future__ import annotations

import json
import re
import string
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from wegweiser.core.validate import slugify
from wegweiser.editorial import instance
from wegweiser.settings import project_settings

# The demo's files a region takes as its own (a folder ends with "/"), besides mkdocs.yml,
# municipalities.yml and the README, which are written for the region.
COPIED = (
    "entries/_lists/categories.yml",
    "entries/_lists/topics.yml",
    "entries/_lists/audiences.yml",
    "entries/_lists/languages.yml",
    "entries/_template.yml",
    "docs/",
    ".github/CODEOWNERS",
    ".github/ISSUE_TEMPLATE/",
    "CONTRIBUTING.md",
    "SECURITY.md",
)
OVERRIDES_README = "overrides/README.md"


class DemoChanged(Exception):
    """The demo's mkdocs.yml no longer has a line init fills in (a test keeps them in step)."""


@dataclass(frozen=True)
class Municipality:
    name: str
    postcodes: tuple[str, ...]
    centre: tuple[float, float] | None  # (lat, lon)
    kind: str = "gemeinde"
    district: str = ""
    state: str = ""

    @property
    def id(self) -> str:
        return slugify(self.name)


@dataclass(frozen=True)
class Region:
    name: str
    repo: str  # https://github.com/owner/name
    email: str  # the editors' address: operator, Nominatim contact
    state: str  # the Land's German name, for municipalities without their own
    languages: tuple[str, ...] = ("de",)
    municipalities: tuple[Municipality, ...] = ()
    site_url: str = ""
    operator: dict[str, str] = field(default_factory=dict)  # name, street, … (legal.FIELDS)

    @property
    def owner(self) -> str:
        return self.repo.rstrip("/").split("/")[-2]


def make(demo: Path, region: Region) -> dict[str, str]:
    """Every region file of the new Wegweiser: relative path -> text."""
    demo_repo = str(project_settings(demo)[0].get("repo_url") or "")
    replace = _substitutions(demo_repo, region)
    files = {}
    for path in _copied(demo):
        if _other_language(path, region.languages):
            continue
        files[path] = _substitute((demo / path).read_text("utf-8"), replace)
    files["SECURITY.md"] = _security(files["SECURITY.md"], region.email)
    files["mkdocs.yml"] = mkdocs_yml((demo / "mkdocs.yml").read_text("utf-8"), region)
    header = (demo / "entries/_lists/municipalities.yml").read_text("utf-8")
    files["entries/_lists/municipalities.yml"] = municipalities_yml(header, region)
    files["README.md"] = _kit("README.md", region)
    files[OVERRIDES_README] = _kit("overrides-README.md", region)
    title = json.dumps(f"Wegweiser {region.name}", ensure_ascii=False)
    files[f"overrides/locales/{region.languages[0]}.yml"] = (
        "# Eigene Texte dieser Region (overrides/README.md); Schlüssel wie unter ui: in\n"
        f"# hooks/wegweiser/core/locales/{region.languages[0]}.yml.\nui:\n  home_title: {title}\n"
    )
    return files


def _other_language(path: str, languages: tuple[str, ...]) -> bool:
    """A translation of a hand-written page (docs/<code>/…) into a language the region
    does not have: the region's site would publish it without a way to it."""
    parts = path.split("/")
    code = parts[1] if len(parts) > 2 and parts[0] == "docs" else ""
    return len(code) in (2, 3) and code.isalpha() and code.islower() and code not in languages


def _copied(demo: Path) -> list[str]:
    found = []
    for item in COPIED:
        if item.endswith("/"):
            found += [
                p.relative_to(demo).as_posix() for p in (demo / item).rglob("*") if p.is_file()
            ]
        else:
            found.append(item)
    return sorted(p for p in found if not instance.is_engine_file(p))


def _substitutions(demo_repo: str, region: Region) -> list[tuple[str, str]]:
    """(demo's text, region's text): the repository, its teams, the example places."""
    first = region.municipalities[0]
    names = [m.name for m in region.municipalities if m.kind != "kreis"] or [first.name]
    few = names[:3]
    listed = ", ".join(few[:-1]) + f" oder {few[-1]}" if len(few) > 1 else few[0]
    demo_owner = demo_repo.rstrip("/").split("/")[-2] if demo_repo.count("/") >= 4 else ""
    pairs = [
        ("Leer, Bunde, Weener, Erkelenz, Peine", ", ".join(names[:5])),
        ("Leer, Bunde oder Erkelenz", listed),
        ("entries/leer/", f"entries/{first.id}/"),
        ("entries/bunde/", f"entries/{first.id}/"),
        ("city: Leer", f"city: {first.name}"),
        ("im-landkreis-leer", f"im-{slugify(region.name)}"),
        ("treffpunkt-anleger-leer", f"treffpunkt-anleger-{first.id}"),
    ]
    if demo_repo:
        pairs += [(demo_repo.rstrip("/"), region.repo.rstrip("/"))]
    if demo_owner:
        pairs += [(f"@{demo_owner}/", f"@{region.owner}/")]
    return pairs


def _substitute(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


def _security(text: str, email: str) -> str:
    """SECURITY.md with the region's address instead of the demo's placeholder."""
    text = re.sub(
        r"\*\*sicherheit@[^*]+\*\*[^\n]*\n[^\n]*echte Adresse ein\.", f"**{email}**.", text
    )
    return text.replace(" (a placeholder the\noperator replaces)", "")


# -- mkdocs.yml ------------------------------------------------------------------------------


def mkdocs_yml(demo: str, region: Region) -> str:
    """The demo's mkdocs.yml, its comments kept, with the region's values."""
    q = _quoted
    operator = {"name": region.name, "email": region.email, **region.operator}
    lines = [  # (the whole line, the region's value; a comment after "" is kept)
        (r"site_name: .*", f"site_name: {q('Wegweiser ' + region.name)}"),
        (r"site_url: .*", f"site_url: {q(region.site_url)}"),
        (r"  language: \w+", f"  language: {region.languages[0]}"),
        (r"    repo_url: .*", f"    repo_url: {q(region.repo)}"),
        (r"    language: \w+", f"    language: {region.languages[0]}"),
        (r"    languages: \[.*\]", f"    languages: [{', '.join(region.languages)}]"),
        (r'      contact: ""( *#.*)?', f"      contact: {q(region.email)}"),
    ]
    for key in ("name", "street", "postcode", "city", "email", "phone", "responsible"):
        lines.append((rf'      {key}: ""( *#.*)?', f"      {key}: {q(operator.get(key, ''))}"))
    text = _after(
        demo, "    data_license:\n", r"      attribution: .*", q("Wegweiser " + region.name)
    )
    for pattern, value in lines:
        keep = "name:" not in pattern  # the demo's example operator stays out

        def line(match: re.Match, value: str = value, keep: bool = keep) -> str:
            comment = (match.group(1) or "").strip() if keep and match.groups() else ""
            return f"{value}  {comment}" if comment else value

        text, count = re.subn(rf"^{pattern}$", line, text, count=1, flags=re.M)
        if count != 1:
            raise DemoChanged(f"mkdocs.yml: {pattern}")
    return text


def _after(text: str, anchor: str, pattern: str, value: str) -> str:
    """``text`` with the first line matching ``pattern`` after ``anchor`` set to its key and
    ``value`` (a key that other sections have too, such as ``attribution``)."""
    head, found, tail = text.partition(anchor)
    tail, count = re.subn(
        rf"^{pattern}$", lambda m: m[0].split(":")[0] + f": {value}", tail, count=1, flags=re.M
    )
    if not found or count != 1:
        raise DemoChanged(f"mkdocs.yml: {anchor.strip()} {pattern}")
    return head + found + tail


def _quoted(value: str) -> str:
    """A YAML scalar that stays text whatever it holds (JSON's string is YAML)."""
    return json.dumps(value, ensure_ascii=False)


# -- municipalities.yml ---------------------------------------------------------------------


def municipalities_yml(demo: str, region: Region) -> str:
    """The demo list's explaining comments, then the region's municipalities."""
    comments = []
    for line in demo.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line)
    items = [_municipality(m, region) for m in region.municipalities]
    return "\n".join(comments) + f"\n\n# {region.name}\n\n" + "\n".join(items)


def _municipality(m: Municipality, region: Region) -> str:
    data: dict = {
        "id": m.id,
        "name": m.name,
        "kind": m.kind,
        "district": m.district or region.name,
        "state": m.state or region.state,
    }
    if m.postcodes:
        data["postcodes"] = list(m.postcodes)
    text = yaml.safe_dump([data], allow_unicode=True, sort_keys=False, default_flow_style=False)
    text = re.sub(r"^(\s*- )'(\d{5})'$", r'\1"\2"', text, flags=re.M)
    if m.centre:
        text += f"  centre:\n    lat: {m.centre[0]:.4f}\n    lon: {m.centre[1]:.4f}\n"
    return text


def _kit(name: str, region: Region) -> str:
    """A text of the kit (editorial/kit/) with the region's values for $name, $repo, …"""
    text = resources.files("wegweiser.editorial").joinpath("kit", name).read_text("utf-8")
    values = {
        "name": region.name,
        "repo": region.repo,
        "site_url": region.site_url,
        "lang": region.languages[0],
        "engine_branch": instance.ENGINE_BRANCH,
    }
    return string.Template(text).substitute(values)
