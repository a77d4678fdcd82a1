"""``wegweiser init DIR``: a region's own Wegweiser, complete and buildable, in one go.

The answers come from flags or, without ``--no-input``, from questions on stdin (an
answer with a problem is asked again). Everything is checked before anything is written:
each answer, then every file against what is already in DIR (an existing file is never
overwritten; one that already holds exactly what init would write is left as it is).
The files are written to a folder beside DIR and moved into place at the end, so a
failure never leaves a half-written Wegweiser. ``--from-hsds FILE`` then imports another
system's HSDS export into it (its places' towns become municipalities where no
``--municipality`` names them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wegweiser.core import fields
from wegweiser.core.findings import format_text, read_locale
from wegweiser.core.hours import LAENDER
from wegweiser.editorial import importer, instance, regionfiles
from wegweiser.editorial.regionfiles import Municipality, Region
from wegweiser.site.overrides import engine_languages

DEFAULT_LANGUAGES = ("de", "en", "ar", "fa", "uk", "ru", "tr")
KINDS = ("stadt", "gemeinde", "samtgemeinde", "kreis")
GERMANY = ((47.2, 55.1), (5.8, 15.1))  # (south, north), (west, east): a centre lies inside
REQUIRED = ("name", "repo", "operator_email", "state")
OPTIONAL = (
    "operator_name",
    "operator_street",
    "operator_postcode",
    "operator_city",
    "operator_phone",
    "responsible",
    "languages",
    "site_url",
)
MAX_ROUNDS = 5


class Bad(Exception):
    """An answer init cannot use: the key of its words in the locale's ``init`` section."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key, self.params = key, params


def words(lang: str) -> dict[str, str]:
    return {**read_locale("de")["init"], **read_locale(lang).get("init", {})}


def add_parser(sub) -> None:
    said = words("de")
    init = sub.add_parser(
        "init", help="einen eigenen Wegweiser für eine Region anlegen (fragt oder nimmt Optionen)"
    )
    init.add_argument("directory", type=Path, help="neuer oder leerer Ordner")
    for key in (*REQUIRED, *OPTIONAL):
        init.add_argument("--" + key.replace("_", "-"), dest=key, help=said["q_" + key])
    init.add_argument(
        "--municipality",
        action="append",
        default=[],
        help=said["q_municipality"] + " (mehrmals möglich)",
    )
    init.add_argument("--from-hsds", type=Path, help="Orte aus einem HSDS-3.0-Export übernehmen")
    init.add_argument(
        "--no-input", action="store_true", help="nichts fragen (für Skripte): fehlt etwas, Fehler"
    )
    init.add_argument("--lang", choices=["de", "en"], default="de", help="Sprache der Meldungen")
    init.set_defaults(run=run_init)


# -- answers ---------------------------------------------------------------------------------


def parse_name(text: str) -> str:
    text = text.strip()
    if not text or len(text) > 120 or fields.one_line_problem(text):
        raise Bad("bad_name", value=text)
    return text


def parse_repo(text: str) -> str:
    found = re.fullmatch(
        r"https://github\.com/([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100}?)(\.git)?/?",
        text.strip(),
    )
    if not found:
        raise Bad("bad_repo", value=text)
    return f"https://github.com/{found[1]}/{found[2]}"


def parse_email(text: str) -> str:
    try:
        fields.check_email(text.strip())
    except fields.FieldProblem:
        raise Bad("bad_email", value=text) from None
    return text.strip()


def parse_state(text: str) -> str:
    """A Land by its code (NI) or name (niedersachsen) -> its name (Niedersachsen)."""
    wanted = text.strip().casefold()
    for name, code in LAENDER.items():
        if wanted in (name.casefold(), code.casefold()):
            return name
    raise Bad("bad_state", value=text, known=", ".join(LAENDER.values()))


def parse_languages(text: str) -> tuple[str, ...]:
    codes = [c for c in re.split(r"[\s,;]+", text.strip()) if c]
    for code in codes:
        if code not in engine_languages():
            raise Bad("bad_language", value=code, known=", ".join(engine_languages()))
    if not codes:
        raise Bad("bad_language", value=text, known=", ".join(engine_languages()))
    return tuple(dict.fromkeys(codes))


def parse_site_url(text: str) -> str:
    text = text.strip()
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", text):
        raise Bad("bad_site_url", value=text)
    return text if text.endswith("/") else text + "/"


def parse_municipality(text: str) -> Municipality:
    """ "Musterstadt;12345,12346;53.2,7.4" (and ";kreis" or another kind at the end)."""
    parts = [p.strip() for p in text.split(";")]
    if len(parts) not in (3, 4):
        raise Bad("bad_municipality", value=text)
    name, codes, centre = parts[:3]
    parse_name(name)
    postcodes = tuple(c for c in re.split(r"[\s,]+", codes) if c)
    for code in postcodes:
        if not re.fullmatch(r"\d{5}", code):
            raise Bad("bad_postcode", value=text, postcode=code)
    kind = parts[3].lower() if len(parts) == 4 else _kind(name)
    if kind not in KINDS:
        raise Bad("bad_kind", value=text, kind=kind, known=", ".join(KINDS))
    return Municipality(name, postcodes, _centre(text, centre), kind)


def _kind(name: str) -> str:
    words_ = name.casefold()
    return (
        "kreis"
        if words_.startswith(("landkreis ", "kreis ")) or words_.endswith("kreis")
        else "gemeinde"
    )


def _centre(text: str, centre: str) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in re.split(r"[\s,]+", centre.strip()))
    except ValueError:
        raise Bad("bad_centre", value=text, centre=centre) from None
    (south, north), (west, east) = GERMANY
    if not (south <= lat <= north and west <= lon <= east):
        swapped = south <= lon <= north and west <= lat <= east
        raise Bad("centre_swapped" if swapped else "centre_outside", value=text, centre=centre)
    return lat, lon


PARSERS: dict[str, Callable[[str], object]] = {
    "name": parse_name,
    "repo": parse_repo,
    "operator_email": parse_email,
    "state": parse_state,
    "languages": parse_languages,
    "site_url": parse_site_url,
}


@dataclass
class Answers:
    """What init was told, each answer checked; ``problems`` for the ones it cannot use."""

    values: dict
    municipalities: list[Municipality]
    problems: list[str]
    refused: set[str] = field(default_factory=set)  # flags given, but with a problem


def from_flags(args, said: dict[str, str]) -> Answers:
    """Every answer given as a flag, checked; the problems as messages naming the flag."""
    answers = Answers({}, [], [])
    values, problems, found = answers.values, answers.problems, answers.municipalities
    for key in (*REQUIRED, *OPTIONAL):
        raw = getattr(args, key)
        if raw is None:
            continue
        try:
            values[key] = PARSERS.get(key, _one_line)(raw)
        except Bad as bad:
            problems.append(_flag_problem(key, bad, said))
            answers.refused.add(key)
    for raw in args.municipality:
        try:
            found.append(parse_municipality(raw))
        except Bad as bad:
            problems.append(_flag_problem("municipality", bad, said))
            answers.refused.add("municipality")
    return answers


def _one_line(text: str) -> str:
    text = text.strip()
    if fields.one_line_problem(text, words=False) or len(text) > 200:
        raise Bad("bad_line", value=text)
    return text


def _flag_problem(key: str, bad: Bad, said: dict[str, str]) -> str:
    flag = "--" + key.replace("_", "-")
    return f"{flag}: {said[bad.key].format(**bad.params)}"


# -- questions -------------------------------------------------------------------------------


class Asker:
    """Questions on stdout, answers from stdin; an answer with a problem is asked again.
    End of input counts as an empty answer."""

    def __init__(self, said: dict[str, str]):
        self.said = said

    def line(self, prompt: str) -> str:
        try:
            return input(prompt + ": ").strip()
        except EOFError:
            print()
            return ""

    def ask(self, key: str, default: str = "", required: bool = False):
        parse = PARSERS.get(key, _one_line)
        shown = self.said["q_" + key] + (f" [{default}]" if default else "")
        if not required and not default:
            shown += " " + self.said["optional"]
        for _round in range(MAX_ROUNDS):
            answer = self.line(shown) or default
            if not answer and not required:
                return None
            if not answer:
                print(self.said["required"])
                continue
            try:
                return parse(answer)
            except Bad as bad:
                print(self.said[bad.key].format(**bad.params))
        raise SystemExit(self.said["gave_up"])

    def municipalities(self, at_least_one: bool) -> list[Municipality]:
        print(self.said["municipality_help"])
        found: list[Municipality] = []
        for _round in range(MAX_ROUNDS * 20):
            answer = self.line(self.said["q_municipality"])
            if not answer and (found or not at_least_one):
                return found
            if not answer:
                print(self.said["required"])
                continue
            try:
                found.append(parse_municipality(answer))
            except Bad as bad:
                print(self.said[bad.key].format(**bad.params))
        raise SystemExit(self.said["gave_up"])


def ask_missing(answers: Answers, asker: Asker, hsds: bool) -> None:
    """Ask for what no flag said: the required answers, then the others with a default."""
    values = answers.values
    for key in REQUIRED:
        if key not in values and not (key == "state" and hsds):
            values[key] = asker.ask(key, required=True)
    if not answers.municipalities:
        answers.municipalities += asker.municipalities(at_least_one=not hsds)
    for key in OPTIONAL:
        if key not in values:
            default = _default(key, values)
            values[key] = asker.ask(key, default)


def _default(key: str, values: dict) -> str:
    if key == "operator_name":
        return values.get("name", "")
    if key == "languages":
        return ", ".join(DEFAULT_LANGUAGES)
    if key == "site_url" and values.get("repo"):
        return pages_url(values["repo"])
    return ""


def pages_url(repo: str) -> str:
    """Where GitHub Pages publishes the repository: https://owner.github.io/name/."""
    owner, name = repo.rstrip("/").split("/")[-2:]
    host = f"{owner.lower()}.github.io"
    return f"https://{host}/" if name.lower() == host else f"https://{host}/{name}/"


# -- the region ------------------------------------------------------------------------------


def missing(answers: Answers, places: list[Municipality], said: dict[str, str]) -> list[str]:
    """What init still lacks (after flags and questions), and municipalities named twice."""
    values, problems = answers.values, []
    needed = [k for k in REQUIRED if values.get(k) is None]
    if "state" in needed and places and all(m.state for m in places) and not answers.municipalities:
        needed.remove("state")  # every town of the HSDS export names its Land
    if not answers.municipalities and not places:
        needed.append("municipality")
    needed = [key for key in needed if key not in answers.refused]
    if needed:
        flags = ", ".join("--" + k.replace("_", "-") for k in needed)
        problems.append(said["missing"].format(flags=flags))
    seen: set[str] = set()
    for place in answers.municipalities:
        if place.id in seen:
            problems.append(said["municipality_twice"].format(value=place.name))
        seen.add(place.id)
    return problems


def region_of(answers: Answers, places: list[Municipality]) -> Region:
    """The region from the answers; HSDS towns that no --municipality names are added."""
    values = answers.values
    given = {m.id for m in answers.municipalities}
    towns = [*answers.municipalities, *(m for m in places if m.id not in given)]
    state = values.get("state") or next(m.state for m in towns if m.state)
    operator = {
        "name": values.get("operator_name") or values["name"],
        "street": values.get("operator_street") or "",
        "postcode": values.get("operator_postcode") or "",
        "city": values.get("operator_city") or "",
        "phone": values.get("operator_phone") or "",
        "responsible": values.get("responsible") or "",
    }
    return Region(
        name=values["name"],
        repo=values["repo"],
        email=values["operator_email"],
        state=state,
        languages=values.get("languages") or DEFAULT_LANGUAGES,
        municipalities=tuple(towns),
        site_url=values.get("site_url") or pages_url(values["repo"]),
        operator=operator,
    )


def hsds_places(path: Path) -> list[Municipality]:
    """The towns of an HSDS export (read_rows has read it): each with the postcodes and the
    middle of the points of its places, its district (``region``) and Land."""
    towns: dict[str, dict] = {}
    for service in json.loads(path.read_text("utf-8"))["contents"]:
        try:
            location = (service.get("service_at_locations") or [{}])[0].get("location") or {}
            address = (location.get("addresses") or [{}])[0]
            city = str(address.get("city") or "").strip()
            point = (float(location["latitude"]), float(location["longitude"]))
        except (AttributeError, IndexError, TypeError, ValueError):
            continue  # the import names this record
        except KeyError:
            point = None
        if not city:
            continue
        town = towns.setdefault(city, {"postcodes": set(), "points": [], "address": address})
        if re.fullmatch(r"\d{5}", str(address.get("postal_code") or "")):
            town["postcodes"].add(address["postal_code"])
        if point and None not in point:
            town["points"].append(point)
    return [_town(name, town) for name, town in towns.items()]


def _town(name: str, town: dict) -> Municipality:
    points, address = town["points"], town["address"]
    centre = None
    if points:
        centre = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    district = str(address.get("region") or "")
    try:
        state = parse_state(str(address.get("state_province") or ""))
    except Bad:
        state = ""
    kind = "kreis" if name == district else _kind(name)
    postcodes = tuple(sorted(town["postcodes"])) if kind != "kreis" else ()
    return Municipality(name, postcodes, centre, kind, district, state)


# -- writing ---------------------------------------------------------------------------------


def planned_files(engine: Path, region: Region) -> dict[str, tuple[bytes, int]]:
    """Every file of the new Wegweiser: path -> (content, mode). The engine's as they are
    in its checkout (scripts stay executable), the region's made by regionfiles."""
    files = {}
    for path in instance.engine_files(engine):
        source = engine / path
        files[path] = (source.read_bytes(), source.stat().st_mode & 0o777)
    for path, text in regionfiles.make(engine, region).items():
        files[path] = (text.encode("utf-8"), 0o644)
    return dict(sorted(files.items()))


def clashes(target: Path, files: dict[str, tuple[bytes, int]]) -> list[str]:
    """The files init would have to overwrite: existing and different (or in the way)."""
    if target.exists() and not target.is_dir():
        return [str(target)]
    found = []
    for path, (content, _mode) in files.items():
        there = target / path
        blocked = any(p.is_file() for p in there.parents if p != target and target in p.parents)
        if blocked or (there.exists() and not (there.is_file() and there.read_bytes() == content)):
            found.append(str(there))
    return found


def write(target: Path, files: dict[str, tuple[bytes, int]], rows, shown: str, lang: str):
    """All files into a folder beside ``target``, the HSDS rows imported there, then moved
    in; on any failure the folder goes and ``target`` stays as it was. The import's report."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-init-", dir=target.parent))
    try:
        for path, (content, mode) in files.items():
            place = staging / path
            place.parent.mkdir(parents=True, exist_ok=True)
            place.write_bytes(content)
            place.chmod(mode)
        report = importer.import_rows(rows, staging, shown, lang=lang) if rows else None
        _move_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


def _move_in(staging: Path, target: Path) -> None:
    if not target.exists():
        os.rename(staging, target)
        return
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        there = target / path.relative_to(staging)
        if not there.exists():  # one that exists holds the same (clashes checked it)
            there.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, there)
    shutil.rmtree(staging)


def engine_address(engine: Path) -> str:
    """The address the engine's checkout was cloned from, for the merge commands; "" if none."""
    try:
        done = subprocess.run(
            ["git", "-C", str(engine), "remote", "get-url", "origin"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


# -- the command -----------------------------------------------------------------------------


def run_init(args) -> int:
    said = words(args.lang)
    engine = instance.engine_root()
    if engine is None:
        print(said["no_engine"], file=sys.stderr)
        return 2
    answers = from_flags(args, said)
    rows, places, shown = [], [], str(args.from_hsds or "")
    if args.from_hsds:
        try:
            rows = importer.read_rows(args.from_hsds, shown)
        except importer.ImportError_ as exc:
            print(format_text(exc.finding, args.lang), file=sys.stderr)
            return 2
        places = hsds_places(args.from_hsds)
    if not args.no_input and not answers.problems:
        print(said["intro"].format(path=args.directory))
        ask_missing(answers, Asker(said), hsds=bool(places))
    answers.problems += missing(answers, places, said)
    if not args.directory.resolve().parent.is_dir():
        answers.problems.append(said["no_parent"].format(path=args.directory.resolve().parent))
    if answers.problems:
        return _refuse(answers.problems, said)
    region = region_of(answers, places)
    files = planned_files(engine, region)
    if found := clashes(args.directory, files):
        return _refuse([said["exists"].format(path=path) for path in found], said)
    report = write(args.directory, files, rows, shown, args.lang)
    return _summary(args, region, files, report, engine)


def _refuse(problems: list[str], said: dict[str, str]) -> int:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(said["nothing_written"], file=sys.stderr)
    return 2


def _summary(args, region: Region, files: dict, report, engine: Path) -> int:
    said = words(args.lang)
    if report is not None:
        for path in report.written:
            print(read_locale(args.lang)["cli"]["import_written"].format(path=path))
        for finding in report.findings:
            print(format_text(finding, args.lang))
        counts = {"skipped": len(report.skipped), "rejected": report.rejected}
        summary = read_locale(args.lang)["cli"]["import_summary"]
        print(summary.format(written=len(report.written), updated=0, **counts))
    counts = {"files": len(files), "municipalities": len(region.municipalities)}
    print(said["written"].format(name=region.name, path=args.directory, **counts))
    address = engine_address(engine) or said["engine_address"]
    print(said["next"].format(path=args.directory, engine=address, branch=instance.ENGINE_BRANCH))
    return 1 if report is not None and report.rejected else 0
