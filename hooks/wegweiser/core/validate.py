"""From files under ``entries/`` to Entry objects and findings.

One pass: find the files, load each with positions, check it against the schema and
the field rules, then check what only the whole set can tell (unique slugs, references,
likely duplicates). Every finding is collected; nothing stops at the first problem.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import pickle
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath

from wegweiser.core import buildcache, fields, hours, lookalike, meetings, parallel
from wegweiser.core.findings import ERROR, WARNING, Finding, sort_key
from wegweiser.core.lists import LISTS_DIR, Lists, load_lists, packaged_schema, shown_path
from wegweiser.core.loader import Document, LoadError, load_bytes
from wegweiser.core.model import Directory, Entry
from wegweiser.core.schemacheck import SchemaChecker, branch, did_you_mean, field_label

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 80
WINDOWS_NAMES = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
MARKDOWN_LINK = re.compile(
    r"\]\(\s*<?([^)\s>]*)|^\s{0,3}\[[^\]]+\]:\s*<?(\S*?)>?(?:\s|$)|<([a-zA-Z][a-zA-Z0-9+.\-]*:[^>\s]*)>",
    re.MULTILINE,
)


def base_schema() -> dict:
    return packaged_schema("entry.schema.json")


def entry_schema(lists: Lists) -> dict:
    """The entry schema with every list-backed field's allowed values filled in."""
    schema = copy.deepcopy(base_schema())

    def fill(node):
        if isinstance(node, dict):
            if "x-values" in node:
                node["enum"] = lists.allowed(node["x-values"])
            for child in node.values():
                fill(child)
        elif isinstance(node, list):
            for child in node:
                fill(child)

    fill(schema)
    return schema


Checked = tuple[Entry | None, list[Finding]]  # one file's entry (if valid alone), its findings


@dataclass
class Result:
    directory: Directory
    findings: list[Finding]
    # what checked them (pipeline.relocated checks again); not part of the result itself
    validator: Validator | None = field(default=None, repr=False, compare=False)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]


def finding_at(
    doc: Document, shown: str, path, code: str, params: dict, severity: str = ERROR
) -> Finding:
    """A finding placed at ``path`` of a loaded document."""
    line, col = doc.where(tuple(path))
    return Finding(shown, line, col, severity, code, params)


class Validator:
    """Holds what every file is checked against: lists, compiled schema, today's date."""

    def __init__(self, root: Path, entries_dir: Path, today: dt.date | None = None):
        self.root = root
        self.entries_dir = entries_dir
        self.today = today or dt.date.today()
        formats = fields.format_checker()
        self.lists, self.findings = load_lists(entries_dir, root, formats)
        self.schema = entry_schema(self.lists)
        self.checker = SchemaChecker(self.schema, formats)
        self.cache: buildcache.Store | None = None  # each file's check, kept (``use_cache``)
        self.checked: list[tuple[Path, str, Checked]] = []  # the last check_entries, per file
        self._scope = ""

    def use_cache(self, store: buildcache.Store) -> None:
        """Keep each file's check in ``store``, keyed by the file's path and bytes, the
        engine, the lists and the day: a file checked before is not checked again."""
        self.cache = store
        lists = buildcache.tree_digest(self.entries_dir / LISTS_DIR)
        self._scope = buildcache.digest("checked", store.engine, lists, self.today.isoformat())

    def shown(self, path: Path) -> str:
        return shown_path(path, self.root)

    # -- one file ---------------------------------------------------------------------------

    def check_file(self, path: Path) -> tuple[Entry | None, list[Finding]]:
        shown = self.shown(path)
        if path.is_symlink():
            return None, [Finding(shown, 1, 1, ERROR, "file.symlink", {})]
        if problem := _name_problem(path, shown):
            return None, [problem]
        try:
            data = path.read_bytes()
        except OSError as exc:
            return None, [Finding(shown, 1, 1, ERROR, "file.unreadable", {"reason": exc.strerror})]
        return self.check_read(data, path.stem, shown)

    def check_read(self, data: bytes, slug: str, shown: str) -> Checked:
        """A file's bytes as read: ``check_bytes``, the entry marked with their hash."""
        entry, findings = self.check_bytes(data, slug, shown)
        if entry is not None:
            entry.digest = hashlib.sha256(data).hexdigest()
        return entry, findings

    def check_stored(self, shown: str, data: bytes) -> tuple[Entry | None, list[Finding]]:
        """A regular file as a git revision stores it (``shown``: its path from the project
        root): the same checks and findings as ``check_file`` on it written out."""
        path = PurePosixPath(shown)
        if problem := _name_problem(path, shown):
            return None, [problem]
        return self.check_bytes(data, path.stem, shown)

    def check_bytes(self, data: bytes, slug: str, shown: str) -> tuple[Entry | None, list[Finding]]:
        """One entry's content that is not (yet) a file: import, new and from-issue check here."""
        try:
            doc = load_bytes(data)
        except LoadError as exc:
            p = exc.problem
            return None, [Finding(shown, p.line, p.col, ERROR, p.code, p.params)]
        if not isinstance(doc.value, dict):
            return None, [Finding(shown, 1, 1, ERROR, "entry.not_mapping", {})]
        return self._check_document(doc, slug, shown)

    def _check_document(self, doc: Document, slug: str, shown: str):
        data, findings = self.checker.check(doc, shown)
        refused = {(f.line, f.col) for f in findings if f.is_error}  # one message per value
        findings += [
            f
            for f in self._check_texts(data, doc, shown)
            if f.code != "text.line_break" or (f.line, f.col) not in refused
        ]
        if any(f.is_error for f in findings):
            return None, findings
        tel = {}
        for number in [data.get("phone")] + [c.get("phone") for c in data.get("contacts", [])]:
            if number:
                tel[number] = fields.normalise_phone(number)
        city = self.lists.municipality_by_name(data["address"]["city"])
        findings += self._check_postcode(data, city, doc, shown)
        findings += self._check_web_addresses(data, doc, shown)
        if problem := self._exact_place_of_sensitive(data, doc, shown):
            return None, [*findings, problem]
        if data.get("meetings"):
            findings += self._check_meetings(data["meetings"], doc, shown)
            if any(f.is_error for f in findings):
                return None, findings
        findings += self._check_times(data, doc, shown)
        if any(f.is_error for f in findings):
            return None, findings
        verified_on = dt.date.fromisoformat(data["verified"]["date"])
        if verified_on > self.today:  # the schema checked against the real today
            params = {"field": "verified.date", "value": data["verified"]["date"]}
            path = ("verified", "date")
            return None, [*findings, finding_at(doc, shown, path, "format.date_future", params)]
        marks = {path: pos for path, pos in doc.marks.items() if path[:1] in _REMEMBERED}
        entry = Entry(slug, shown, data, city, verified_on, tel, marks)
        return entry, findings

    def _check_texts(self, data: dict, doc: Document, shown: str) -> list[Finding]:
        """Invisible characters in any text; unsafe links in Markdown; tidy one-line texts."""
        findings = []
        for path, sub, text in _strings(data, self.schema):
            kind = sub.get("x-text")
            if kind and (hidden := fields.hidden_character(text)):
                params = {"field": field_label(path), "char": hidden[1]}
                findings.append(finding_at(doc, shown, path, "text.hidden_char", params))
            # Only Markdown texts have lines; every other value (a name, a phone number, a
            # time) is one line, or a calendar or a table made from it could gain one.
            problem = None if kind == "markdown" else fields.one_line_problem(text, kind == "line")
            if problem:
                params = {"field": field_label(path), "char": problem[1]}
                findings.append(finding_at(doc, shown, path, problem[0], params))
            if kind == "markdown":
                findings += self._check_links(text, path, doc, shown)
        return findings

    def _check_links(self, text: str, path, doc: Document, shown: str) -> list[Finding]:
        findings = []
        for match in MARKDOWN_LINK.finditer(text):
            target = next(g for g in match.groups() if g is not None)
            if target and not fields.is_safe_link(target):
                params = {"field": field_label(path), "value": target}
                findings.append(finding_at(doc, shown, path, "markdown.unsafe_link", params))
            elif target:
                findings += _other_script_host(target, path, doc, shown)
        return findings

    def _check_web_addresses(self, data: dict, doc: Document, shown: str) -> list[Finding]:
        """A warning for every web address whose host is written in another script."""
        return [
            finding
            for path, sub, text in _strings(data, self.schema)
            if sub.get("format") == "web-url"
            for finding in _other_script_host(text, path, doc, shown)
        ]

    def _exact_place_of_sensitive(self, data, doc, shown) -> Finding | None:
        """A shelter's street must never be in the (public) repository, let alone on a page."""
        if not self.lists.sensitive(data["category"]):
            return None
        category = self.lists["categories"][data["category"]]
        for path in (("address", "street"), ("address", "extra"), ("location",), ("transport",)):
            node = data.get(path[0], {})
            if len(path) == 2 and isinstance(node, dict):
                node = node.get(path[1])
            if node:
                params = {"field": field_label(path), "category": category.name}
                return finding_at(doc, shown, path, "address.sensitive_exact", params)
        return None

    def _check_meetings(self, value: dict, doc: Document, shown: str) -> list[Finding]:
        """Day, week and first date must describe the same meetings (see meetings.py)."""
        return [
            finding_at(doc, shown, ("meetings", *path), code, params)
            for path, code, params in meetings.problems(value)
        ]

    def _check_times(self, data: dict, doc: Document, shown: str) -> list[Finding]:
        """Closures, temporary status and valid_until (see hours.py): order, shape, over."""
        return [
            finding_at(
                doc,
                shown,
                path,
                code,
                {"field": field_label(path), **params},
                ERROR if is_error else WARNING,
            )
            for path, code, params, is_error in hours.problems(data, self.today)
        ]

    def _check_postcode(self, data, city, doc, shown) -> list[Finding]:
        postcode = data["address"].get("postcode")
        known = (city.data.get("postcodes") if city else None) or []
        if postcode and known and postcode not in known:
            params = {"value": postcode, "city": city.name, "known": ", ".join(known)}
            path = ("address", "postcode")
            return [finding_at(doc, shown, path, "address.postcode_city", params, WARNING)]
        return []

    # -- the whole set ----------------------------------------------------------------------

    def check_entries(self) -> tuple[list[Entry], list[Finding]]:
        """Every entry file checked alone, then what only all together show; the valid
        entries (in file order) and every finding."""
        paths = list(entry_files(self.entries_dir))
        if self.cache is not None and self.cache.on:
            checked = self._checked_with_cache(paths)
        else:
            checked = [
                one for share in parallel.map_shares(paths, self._check_files) for one in share
            ]
        shown = [self.shown(path) for path in paths]
        self.checked = list(zip(paths, shown, checked, strict=True))  # for ``recheck``
        valid, findings = self.check_together(list(zip(shown, checked, strict=True)))
        return valid, findings + self._folder_findings()

    def recheck(self, changed: set[Path]) -> tuple[list[Entry], list[Finding]]:
        """``check_entries`` again after the files ``changed`` were saved (the same files
        as before, the same lists): only those are checked anew, then the whole set."""
        place = {shown: index for index, (_path, shown, _one) in enumerate(self.checked)}
        names = [self.shown(path) for path in changed]
        paths = [self.checked[place[name]][0] for name in names if name in place]
        if self.cache is not None and self.cache.on:
            fresh = dict(zip(paths, self._checked_with_cache(paths), strict=True))
        else:
            fresh = {path: self.check_file(path) for path in paths}
        for path, one in fresh.items():
            index = place[self.shown(path)]
            self.checked[index] = (path, self.checked[index][1], one)
        valid, findings = self.check_together([(s, one) for _p, s, one in self.checked])
        return valid, findings + self._folder_findings()

    def check_together(
        self, checked: list[tuple[str, Checked]]
    ) -> tuple[list[Entry], list[Finding]]:
        """What only all the files together show (one slug per file, references, likely
        duplicates), from each file's own check in the order the files were found; the
        valid entries and every finding but the folders'."""
        findings = list(self.findings)
        entries: list[Entry] = []
        seen: dict[str, str] = {}
        for shown, (entry, problems) in checked:
            findings += problems
            if entry and entry.municipality:  # a child's entry has a copy: the lists' own term
                entry.municipality = self.lists["municipalities"][entry.municipality.id]
            slug = PurePosixPath(shown).stem
            if slug in seen:
                params = {"value": slug, "other": seen[slug]}
                findings.append(Finding(shown, 1, 1, ERROR, "file.duplicate_slug", params))
                continue
            seen[slug] = shown
            if entry:
                entries.append(entry)
        known = {e.slug for e in entries} | set(seen)
        findings += _check_references(entries, known)
        findings += _check_duplicates(entries)
        broken = {f.path for f in findings if f.is_error}
        return [e for e in entries if e.source not in broken], findings

    def check_all(self) -> Result:
        """The checked entries as a Directory (not located: see pipeline.located)."""
        return self.result(*self.check_entries())

    def result(self, valid: list[Entry], findings: list[Finding]) -> Result:
        """The valid entries as a Directory, every finding once and in order."""
        return Result(Directory.build(valid, self.lists), sorted(set(findings), key=sort_key))

    def _check_files(self, paths) -> list[tuple[Entry | None, list[Finding]]]:
        """One share of the files (parallel.map_shares checks shares on every core)."""
        return [self.check_file(path) for path in paths]

    def _checked_with_cache(self, paths: list[Path]) -> list[Checked]:
        """Each file's check from the cache where its bytes were checked before, the others
        checked now (on every core) and kept. A file is read once: what is checked is what
        the key says. A value the cache cannot give back is checked again."""
        read = {path: self._read_plain(path) for path in paths}
        keys = {p: buildcache.digest(self._scope, self.shown(p), d) for p, d in read.items() if d}
        stored = self.cache.get_many("checked", keys.values())
        checked: dict[Path, Checked] = {}
        for path, key in keys.items():
            try:
                checked[path] = pickle.loads(stored[key]) if key in stored else None
            except Exception:  # a value of the cache that cannot be read: checked again
                checked[path] = None
        missing = [path for path in paths if checked.get(path) is None]

        def check_share(share) -> list[Checked]:
            return [self._check_data(path, read[path]) for path in share]

        done = [one for share in parallel.map_shares(missing, check_share) for one in share]
        for path, one in zip(missing, done, strict=True):
            checked[path] = one
            if path in keys:
                self.cache.put("checked", keys[path], pickle.dumps(one, pickle.HIGHEST_PROTOCOL))
        self.cache.flush()
        return [checked[path] for path in paths]

    def _read_plain(self, path: Path) -> bytes | None:
        """A regular, well-named file's bytes; None for what ``check_file`` refuses."""
        if path.is_symlink() or _name_problem(path, self.shown(path)):
            return None
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _check_data(self, path: Path, data: bytes | None) -> Checked:
        return (
            self.check_file(path)
            if data is None
            else self.check_read(data, path.stem, self.shown(path))
        )

    def _folder_findings(self) -> list[Finding]:
        findings = []
        for folder in entry_folders(self.entries_dir):
            if folder.is_symlink():  # os.walk does not enter it: its files would vanish silently
                findings.append(Finding(self.shown(folder), 1, 1, ERROR, "file.symlink", {}))
            elif problem := folder_problem(self.shown(folder)):
                findings.append(problem)
        return findings


def folder_problem(shown: str) -> Finding | None:
    """A folder name that is no slug (``shown``: the folder's path as messages show it)."""
    name = PurePosixPath(shown).name
    if SLUG.fullmatch(name) and name not in WINDOWS_NAMES:
        return None
    params = {"value": name, "suggestion": slugify(name) or "ordner"}
    return Finding(shown, 1, 1, ERROR, "file.bad_folder", params)


def _name_problem(path: PurePath, shown: str) -> Finding | None:
    """What is wrong with an entry file's name alone."""
    if path.suffix != ".yml":
        return Finding(shown, 1, 1, ERROR, "file.suffix", {"value": path.name})
    slug = path.stem
    if bad_slug(slug):
        return Finding(
            shown,
            1,
            1,
            ERROR,
            "file.bad_slug",
            {"value": path.name, "suggestion": slugify(slug) or "name"},
        )
    return None


def _other_script_host(url: str, path, doc: Document, shown: str) -> list[Finding]:
    """``аррӏе.com``: a warning that names the punycode form, at the address's place."""
    if not url.lower().startswith(("http:", "https:")) or not (
        found := fields.other_script_host(url)
    ):
        return []
    host, label, punycode = found
    params = {"field": field_label(path), "value": host, "value_label": label, "punycode": punycode}
    return [finding_at(doc, shown, path, "url.other_script", params, WARNING)]


# Positions kept after validation, for the checks that need the whole set of entries.
_REMEMBERED = {
    ("name",),
    ("address",),
    ("location",),
    ("part_of",),
    ("coordinated_by",),
    ("members",),
    ("verified",),  # `wegweiser stale` points at verified.date
    ("valid_until",),  # and at the end of a time-limited offer
}


def bad_slug(slug: str) -> bool:
    """A file name (without .yml) that is not a slug: other letters, a line break, too
    long, or a name Windows keeps for devices (``con``, ``nul``, ``com1`` …)."""
    return not SLUG.fullmatch(slug) or len(slug) > MAX_SLUG or slug in WINDOWS_NAMES


def _strings(value, schema: dict, path: tuple = ()):
    """Yield (path, schema, text) for every string of an entry, with its part of the schema."""
    schema = branch(schema, value)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, child in value.items():
            sub = props.get(key) or (extra if isinstance(extra, dict) else {})
            yield from _strings(child, sub, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, schema.get("items", {}), path + (index,))
    elif isinstance(value, str):
        yield path, schema, value


def _check_references(entries: list[Entry], known: set[str]) -> list[Finding]:
    findings = []
    for entry in entries:
        targets = [
            (("part_of",), entry.get("part_of")),
            (("coordinated_by",), entry.get("coordinated_by")),
        ]
        targets += [(("members", i), m) for i, m in enumerate(entry.get("members", []))]
        for path, target in targets:
            if not target:
                continue
            params = {"field": path[0], "value": target}
            if target == entry.slug:
                code = "ref.self"
            elif target not in known:
                params["suggestion"] = did_you_mean(target, known)
                code = "ref.missing_suggest" if params["suggestion"] else "ref.missing"
            else:
                continue
            line, col = entry.marks.get(path, (1, 1))
            findings.append(Finding(entry.source, line, col, ERROR, code, params))
    return findings


def _check_duplicates(entries: list[Entry]) -> list[Finding]:
    """Same name and same address in two files is most likely one place entered twice.

    Also when the two only look the same: the name or the address written once with
    a precomposed "ü" and once with "u" and a combining mark, or with a Cyrillic "М"
    or Greek "ο" in place of a Latin letter (lookalike.py: NFKC and the TR39 skeleton).
    Such a warning names the code points that differ.
    """
    seen: dict[tuple, Entry] = {}
    alike: dict[tuple, Entry] = {}
    findings = []
    for entry in sorted(entries, key=lambda e: e.source):
        texts = _place_texts(entry)
        key = tuple(_norm(text) for text in texts)
        by_kind = zip(*(lookalike.keys(text) for text in texts), strict=True)
        variants = list(enumerate(by_kind))  # each kind of key compared with its own kind
        line, col = entry.marks.get(("name",), (1, 1))
        params = {"value": entry.name}
        if key in seen:
            params["other"] = seen[key].source
            code = "entry.likely_duplicate"
        elif other := next((alike[v] for v in variants if v in alike), None):
            here, there = _differences(texts, _place_texts(other))
            params |= {"other": other.source, "here": here, "there": there}
            code = "entry.lookalike_duplicate"
        else:
            seen[key] = entry
            for variant in variants:
                alike.setdefault(variant, entry)
            continue
        findings.append(Finding(entry.source, line, col, WARNING, code, params))
    return findings


def _differences(texts, others) -> tuple[str, str]:
    """The differing code points of name, street and city, this entry's and the other's."""
    pieces = [lookalike.differences(a, b) for a, b in zip(texts, others, strict=True)]
    pieces = [(here, there) for here, there in pieces if here or there]
    return ", ".join(h for h, _t in pieces), ", ".join(t for _h, t in pieces)


def _place_texts(entry: Entry) -> tuple[str, str, str]:
    """What makes two entries one place: name, street and city."""
    address = entry.address
    return entry.name, address.get("street", ""), address.get("city", "")


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def entry_files(entries_dir: Path):
    """Every candidate entry file, in a stable order; lists and templates start with "_"."""
    for folder, dirs, files in os.walk(entries_dir):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in sorted(files):
            if _candidate(name):
                yield Path(folder) / name


def entry_folders(entries_dir: Path):
    for folder, dirs, _files in os.walk(entries_dir):
        dirs[:] = sorted(d for d in dirs if not _hidden(d))
        for name in dirs:
            yield Path(folder) / name


def stored_layout(paths: list[str]) -> tuple[list[str], list[str]]:
    """The entry files and folders ``entry_files`` and ``entry_folders`` would find among
    ``paths`` (every file below the entries folder, as "/"-separated paths that start with
    that folder's name) once written out: the same rules, the files in the same order."""
    files, folders = [], set()
    for path in paths:
        parts = path.split("/")
        below = next((i for i, part in enumerate(parts[1:-1], 1) if _hidden(part)), len(parts) - 1)
        folders.update("/".join(parts[: i + 1]) for i in range(1, below))
        if below == len(parts) - 1 and _candidate(parts[-1]):
            files.append(path)
    return sorted(files, key=_walk_order), sorted(folders)


def _walk_order(path: str) -> tuple:
    """``os.walk`` from the top, sorted: a folder's files before its subfolders' files."""
    *folders, name = path.split("/")
    return (*((1, folder) for folder in folders), (0, name))


def _hidden(name: str) -> bool:
    """Lists, the template, the geocoding cache and dot files: never entries."""
    return name.startswith((".", "_"))


def _candidate(name: str) -> bool:
    return not _hidden(name) and name.endswith((".yml", ".yaml"))


_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"}
)


def slugify(text: str) -> str:
    """ASCII file name for a name: "Familienstützpunkt Bunde" -> "familienstuetzpunkt-bunde"."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text.translate(_UMLAUTS))
    text = text.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:MAX_SLUG].rstrip("-")
    return f"{slug}-ort" if slug in WINDOWS_NAMES else slug


def check_directory(
    root: Path, entries_dir: Path | None = None, today: dt.date | None = None
) -> Result:
    """The whole validation, as used by ``wegweiser check``, the build and the tests."""
    return Validator(root, entries_dir or root / "entries", today).check_all()
