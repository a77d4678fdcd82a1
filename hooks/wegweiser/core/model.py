"""Entries and the directory they form: indexes and relations, built once per build."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from wegweiser.core.hours import Schedule
from wegweiser.core.lists import Lists, Term

RELATION_FIELDS = ("members", "part_of", "coordinated_by")
TEXTS = ("name", "summary", "description")  # the texts an entry's translations give
# Precision of a place, from exact to coarse. "manual" = coordinates written in the entry.
PRECISIONS = ("manual", "house", "street", "postcode", "municipality")


@dataclass(frozen=True)
class Place:
    """Where an entry is shown on maps and in exports."""

    lat: float
    lon: float
    precision: str  # one of PRECISIONS
    source: str  # manual | cache | geocoder | gazetteer

    @property
    def approximate(self) -> bool:
        return self.precision == "municipality"


@dataclass(eq=False)  # an entry is itself: identity, not a field-by-field comparison of its data
class Entry:
    slug: str
    source: str  # path from the repository root, e.g. "entries/leer/familienstuetzpunkt-bunde.yml"
    data: dict
    municipality: Term | None
    verified_on: dt.date
    tel: dict[str, str] = field(default_factory=dict)  # phone as written -> E.164
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict, repr=False)
    place: Place | None = None  # set by the geocoding stage; None = on no map
    # The coming days (core/hours.py), set by the pipeline for the build day; None = no
    # opening hours and no status, and the page says nothing about being open.
    schedule: Schedule | None = None
    # The SHA-256 of the entry file's bytes (validate.py); "" = not from a file: such an
    # entry's pages are never taken from the build cache (site/reuse.py).
    digest: str = field(default="", repr=False)

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def category(self) -> str:
        return self.data["category"]

    @property
    def summary(self) -> str:
        return self.data["summary"]

    @property
    def valid_until(self) -> dt.date | None:
        """The last day of a time-limited offer (``valid_until``); None = no end."""
        value = self.data.get("valid_until")
        return dt.date.fromisoformat(value) if value else None

    def expired(self, today: dt.date) -> bool:
        """Past its ``valid_until``: the file stays, the site and the data leave it out."""
        return self.valid_until is not None and self.valid_until < today

    @property
    def address(self) -> dict:
        return self.data.get("address", {})

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    @property
    def spoken(self) -> list[tuple[str, str]]:
        """(code, note) of each language spoken at the place: ``ar`` or ``{code: ar, note:
        donnerstags}`` in the file; a plain code has the note ""."""
        return [
            (item, "") if isinstance(item, str) else (item["code"], item.get("note", ""))
            for item in self.data.get("languages", ())
        ]

    def translation(self, lang: str) -> dict:
        """The entry's ``translations`` for ``lang`` (empty for German, the original)."""
        return self.data.get("translations", {}).get(lang, {}) if lang != "de" else {}

    def text(self, key: str, lang: str = "de") -> str:
        """A text field in ``lang`` where translated, else the German original."""
        return self.translation(lang).get(key) or self.data.get(key, "")

    def german_texts(self, lang: str) -> tuple[str, ...]:
        """The texts (of TEXTS) that ``lang``'s pages show in German, having no translation."""
        if lang == "de":
            return ()
        have = self.translation(lang)
        return tuple(key for key in TEXTS if self.data.get(key) and not have.get(key))

    def untranslated(self, lang: str) -> bool:
        """True when a text shown on the page exists only in German for ``lang``."""
        return bool(self.german_texts(lang))


@dataclass
class Directory:
    """All valid entries with their indexes; the one object every output is made from."""

    entries: dict[str, Entry]
    lists: Lists
    by_category: dict[str, list[Entry]] = field(default_factory=dict)
    by_municipality: dict[str, list[Entry]] = field(default_factory=dict)
    by_topic: dict[str, list[Entry]] = field(default_factory=dict)
    by_audience: dict[str, list[Entry]] = field(default_factory=dict)
    by_language: dict[str, list[Entry]] = field(default_factory=dict)  # spoken at the place
    members_of: dict[str, list[Entry]] = field(default_factory=dict)
    coordinates: dict[str, list[Entry]] = field(default_factory=dict)
    networks: dict[str, list[Entry]] = field(default_factory=dict)

    def index(self, list_name: str) -> dict[str, list[Entry]]:
        """The places of each term of a list ("categories", "municipalities", "topics",
        "audiences", "languages" spoken), in the directory's order."""
        return {
            "categories": self.by_category,
            "municipalities": self.by_municipality,
            "topics": self.by_topic,
            "audiences": self.by_audience,
            "languages": self.by_language,
        }[list_name]

    def has_names_in(self, lang: str) -> bool:
        """Whether any entry has its name in ``lang`` (not German): the maps of that
        language then read data with those names."""
        return lang != "de" and any(e.translation(lang).get("name") for e in self.entries.values())

    @staticmethod
    def order(entries: list[Entry]) -> list[Entry]:
        """The directory's order: by name, then slug."""
        return sorted(entries, key=lambda e: (e.name.casefold(), e.slug))

    @classmethod
    def build(cls, entries: list[Entry], lists: Lists) -> Directory:
        ordered = cls.order(entries)
        directory = cls({e.slug: e for e in ordered}, lists)
        indexes = {
            key: defaultdict(list) for key in ("cat", "mun", "top", "aud", "lan", "mem", "coo")
        }
        for entry in ordered:
            indexes["cat"][entry.category].append(entry)
            if entry.municipality:
                indexes["mun"][entry.municipality.id].append(entry)
            for topic in entry.get("topics", []):
                indexes["top"][topic].append(entry)
            for audience in entry.get("audiences", []):
                indexes["aud"][audience].append(entry)
            for spoken, _note in entry.spoken:
                indexes["lan"][spoken].append(entry)
            if entry.get("part_of"):
                indexes["mem"][entry.get("part_of")].append(entry)
            if entry.get("coordinated_by"):
                indexes["coo"][entry.get("coordinated_by")].append(entry)
        directory.by_category = dict(indexes["cat"])
        directory.by_municipality = dict(indexes["mun"])
        directory.by_topic = dict(indexes["top"])
        directory.by_audience = dict(indexes["aud"])
        directory.by_language = dict(indexes["lan"])
        directory.members_of = directory._with_listed_members(indexes["mem"])
        directory.coordinates = dict(indexes["coo"])
        directory.networks = directory._networks()
        return directory

    def _with_listed_members(self, part_of: dict[str, list[Entry]]) -> dict[str, list[Entry]]:
        """Members named by the network itself plus entries that say they are ``part_of`` it."""
        result: dict[str, list[Entry]] = {}
        for slug, entry in self.entries.items():
            listed = [self.entries[m] for m in entry.get("members", []) if m in self.entries]
            joined = [e for e in part_of.get(slug, []) if e not in listed]
            if listed or joined:
                result[slug] = sorted(listed + joined, key=lambda e: e.name.casefold())
        return result

    def _networks(self) -> dict[str, list[Entry]]:
        """The reverse of ``members_of``: for each entry, the networks it belongs to."""
        result: dict[str, list[Entry]] = defaultdict(list)
        for slug, members in self.members_of.items():
            for member in members:
                result[member.slug].append(self.entries[slug])
        return dict(result)


def is_sensitive(entry: Entry, directory: Directory) -> bool:
    """A place of a category marked ``sensitive`` (a shelter): shown only at its municipality's
    centre, without street, everywhere."""
    return directory.lists.sensitive(entry.category)
