"""Synthetic Wegweiser projects for benchmarks: N realistic, valid, invented entries.

    python scripts/synth.py OUT_DIR -n 500 [--seed 1]

writes a complete project to OUT_DIR: ``mkdocs.yml`` (the repository's own, with the hook
file named by absolute path), a copy of ``docs/``, the real ``entries/_lists/`` plus many
invented municipalities, N entries in one folder per municipality, and a geocoding cache
with a coordinate for every address, so a build needs no network.

Everything is invented (``example: true``; e-mail and web addresses on example.org) and
depends only on N and the seed: the same arguments give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import shutil
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import opening_hours
import phonenumbers

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))  # the package, also when run without `pip install -e`

from wegweiser.core import fields  # noqa: E402
from wegweiser.core.lists import load_lists  # noqa: E402
from wegweiser.core.validate import slugify  # noqa: E402

# The newest "verified" date; fixed so that output does not depend on the day it is made.
LATEST_CHECK = dt.date(2026, 6, 30)

# -- invented places -------------------------------------------------------------------------

# fmt: off
PREFIXES = ["", "", "", "", "Alt", "Neu", "Groß", "Klein", "Ober", "Nieder", "Ost", "West"]
ROOTS = [
    "Brock", "Moor", "Fehn", "Linden", "Eschen", "Holt", "Wester", "Oster", "Hage", "Rade",
    "Bruch", "Wald", "Heide", "Kamp", "Ems", "Leda", "Hunte", "Aller", "Wiesen", "Birken",
    "Erlen", "Buchen", "Stein", "Sand", "Rosen", "Hollen", "Iher", "Jüm", "Loga", "Nort",
    "Süder", "Marien", "Johannis", "Kloster", "Mühlen", "Burg", "Kirch", "Berg", "Dünen",
    "Schwarzen", "Weißen", "Roten", "Hasel", "Eichen", "Weiden", "Ulmen", "Fichten",
]
SUFFIXES = [
    "dorf", "hausen", "feld", "heide", "fehn", "kirchen", "loh", "stedt", "büttel", "siel",
    "horst", "wede", "ohe", "rade", "hagen", "beck", "bruch", "hövel", "dieck", "wald", "kamp",
    "ingen", "um", "moor", "werder", "burg", "rode", "born",
]

# Conservative boxes well inside each state, with postcode ranges used there.
STATES = {
    "Niedersachsen": {
        "box": (52.45, 53.3, 7.4, 10.4),
        "postcodes": [(26000, 27999), (29000, 31999), (37000, 38999), (49000, 49999)],
        "district": "Landkreis",
        "area_codes": [
            "491", "4941", "441", "4921", "4931", "4961", "4951", "4952", "4421", "4131",
            "4141", "511", "5171", "531", "5121", "541", "551", "5141", "5361", "591", "5921",
            "4471", "4441",
        ],
    },
    "Nordrhein-Westfalen": {
        "box": (51.0, 51.8, 6.4, 8.0),
        "postcodes": [(40000, 47999), (50000, 53999), (58000, 59999)],
        "district": "Kreis",
        "area_codes": [
            "2431", "2452", "2433", "2064", "281", "2234", "2271", "2237", "221", "211", "201",
            "231", "251", "521", "241", "228", "2151", "2161", "203", "209", "234", "202",
            "2381", "5251", "271",
        ],
    },
}

STREETS = [
    "Hauptstraße", "Kirchstraße", "Schulstraße", "Bahnhofstraße", "Am Markt", "Lindenallee",
    "Mühlenweg", "Gartenstraße", "Rathausplatz", "Deichstraße", "Kanalstraße", "Am Hafen",
    "Birkenweg", "Feldstraße", "Ringstraße", "Wilhelmstraße", "Friedhofsweg", "Poststraße",
    "Neue Straße", "Am Sportplatz", "Grüner Weg", "Hafenstraße", "Moorweg", "Parkstraße",
]
EXTRAS = ["Erdgeschoss", "1. Etage, Raum 12", "Eingang über den Hof", "Gemeindehaus", "Haus B"]
FIRST_NAMES = ["Anna", "Jutta", "Mehmet", "Olena", "Samir", "Petra", "Jan", "Fatemeh", "Maria"]
LAST_NAMES = [
    "Janssen", "Meyer", "Yilmaz", "Kowalenko", "Haddad", "Schmidt", "de Vries", "Peters",
]
CHECKERS = ["Redaktion Wegweiser", "Koordinierungsstelle", "Ehrenamtliche Redaktion"]
METHODS = ["phone", "email", "visit", "website", "self", "press"]


# -- words per category ----------------------------------------------------------------------

NAMES = {
    "koordinierungsstelle": ["Koordinierungsstelle Integration {place}"],
    "koordinierungskreis": ["Koordinierungskreis Flüchtlingshilfe {place}"],
    "runder-tisch": ["Runder Tisch Integration {place}", "Runder Tisch Flüchtlingshilfe {place}"],
    "netzwerk": ["Netzwerk Willkommen {place}"],
    "familienstuetzpunkt": ["Familienstützpunkt {place}", "Familienzentrum {place}"],
    "treffpunkt": [
        "Treffpunkt „Anleger“ {place}", "Interkulturelles Café {place}",
        "Begegnungsstätte {place}",
    ],
    "beratungsstelle": [
        "Migrationsberatung {place}", "Flüchtlingssozialarbeit {place}",
        "Jugendmigrationsdienst {place}", "Sozialberatung für Zugewanderte {place}",
    ],
    "behoerde": ["Ausländerbehörde {place}", "Bürgerbüro {place}", "Sozialamt {place}"],
    "traeger": ["Diakonisches Werk {place}", "Caritasverband {place}", "AWO Ortsverein {place}"],
    "unterkunft": ["Gemeinschaftsunterkunft {place}", "Wohnprojekt {place}"],
    "frauenhaus": ["Frauenhaus {place}"],
    "sprachkurs": [
        "Sprachcafé {place}", "Deutschkurs für Frauen {place}", "Integrationskurs {place}",
    ],
    "ehrenamt": ["Patenschaftsprojekt {place}", "Ehrenamtsbörse {place}"],
}
WEIGHTS = {
    "beratungsstelle": 25, "familienstuetzpunkt": 14, "treffpunkt": 14, "sprachkurs": 12,
    "ehrenamt": 9, "traeger": 6, "behoerde": 5, "unterkunft": 4, "runder-tisch": 3,
    "koordinierungskreis": 2, "koordinierungsstelle": 1, "netzwerk": 1, "frauenhaus": 1,
}
SUMMARIES = [
    "{what} in {place}: Beratung, Treffen und Hilfe für Zugewanderte, Geflüchtete und Nachbarn.",
    "{what} in {place}. Hier bekommen Familien und Neuangekommene Rat und Begleitung.",
    "Anlaufstelle in {place} für Fragen zu Alltag, Sprache, Schule und Arbeit ({what}).",
    "{what} für {place} und Umgebung: offene Sprechstunden, Gruppen und Vermittlung.",
]
SENTENCES = [
    "Die Stelle hilft beim Ausfüllen von Anträgen und beim Lesen von Briefen.",
    "Ehrenamtliche begleiten zu Terminen bei Ärzten, Schulen und Behörden.",
    "Jeden Monat gibt es ein offenes Frühstück für alle Nachbarinnen und Nachbarn.",
    "Beraten wird vertraulich und kostenlos; auf Wunsch mit Dolmetschung.",
    "Für Kinder gibt es während der Beratung eine Spielecke.",
    "Die Angebote sind barrierefrei erreichbar, der Eingang liegt ebenerdig.",
    "Termine bitte telefonisch vereinbaren, die offene Sprechstunde braucht keine Anmeldung.",
    "Wer eine Wohnung, Arbeit oder einen Kitaplatz sucht, bekommt hier erste Hinweise.",
    "Die Mitarbeitenden arbeiten eng mit den Schulen und Kitas im Ort zusammen.",
    "Im Sprachtreff üben Menschen aus vielen Ländern gemeinsam Deutsch.",
]
BULLETS = [
    "**Beratung** nach Terminabsprache",
    "ein offenes Treffen jede Woche",
    "Hilfe bei *Formularen* und Briefen",
    "Vermittlung an Fachberatungsstellen",
    "Hausaufgabenhilfe für Schulkinder",
    "Sprachtreff zum Deutschüben",
]
TRANSLATED_SUMMARY = {
    "en": "{what} in {place}: advice, meetings and help for newcomers, refugees and neighbours.",
    "ar": "{what} في {place}: استشارات ولقاءات ومساعدة للقادمين الجدد واللاجئين والجيران.",
    "uk": "{what} у {place}: консультації, зустрічі та допомога для новоприбулих і сусідів.",
}
TRANSLATED_DESCRIPTION = {
    "en": "Advice is free and confidential. Appointments by phone; the open hours need none.",
    "ar": "الاستشارة مجانية وسرّية. المواعيد عبر الهاتف، ولا تحتاج الساعات المفتوحة إلى موعد.",
    "uk": "Консультації безкоштовні та конфіденційні. Запис телефоном або без запису.",
}
ROLES = ["Beratung", "Leitung", "Koordination", "Sprechstunde", "Ehrenamtskoordination"]
# fmt: on


@dataclass
class Place:
    """An invented municipality (or, with ``kind == "kreis"``, its district)."""

    id: str
    name: str
    kind: str
    district: str
    state: str
    postcode: str | None
    lat: float
    lon: float
    area_code: str

    def list_item(self) -> str:
        lines = [
            f"- id: {self.id}",
            f"  name: {_scalar(self.name)}",
            f"  kind: {self.kind}",
            f"  district: {_scalar(self.district)}",
            f"  state: {self.state}",
        ]
        if self.postcode:
            lines += ["  postcodes:", f'    - "{self.postcode}"']
        lines += ["  centre:", f"    lat: {self.lat:.4f}", f"    lon: {self.lon:.4f}"]
        return "\n".join(lines) + "\n"


@dataclass
class District:
    kreis: Place
    towns: list[Place]
    network: str = ""  # slug of the district's network entry
    office: str = ""  # slug of its coordination office
    slugs: list[str] = field(default_factory=list)


@dataclass
class Synth:
    """Everything generated, before it is written; the benchmark reuses it for its baseline."""

    districts: list[District]
    entries: list[dict]  # each: slug, folder, data (the entry), lat, lon


# -- generation ------------------------------------------------------------------------------


def make(n: int, seed: int = 1) -> Synth:
    """N invented entries in invented municipalities; deterministic for (n, seed)."""
    rng = random.Random(seed)
    lists, _ = load_lists(REPO / "entries", REPO, fields.format_checker())
    words = Words(rng, lists)
    districts = _districts(rng, max(6, min(800, n // 25)), lists)
    entries: list[dict] = []
    for district in districts:  # a network and a coordination office per district first
        if len(entries) + 2 > n:
            break
        town = district.towns[0]
        entries.append(words.entry("netzwerk", district.kreis, district, kreis_wide=True))
        entries.append(words.entry("koordinierungsstelle", town, district))
        district.network, district.office = entries[-2]["slug"], entries[-1]["slug"]
    towns = [t for d in districts for t in d.towns]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(towns))]  # a few large towns
    rng.shuffle(weights)
    by_town = {t.id: d for d in districts for t in d.towns}
    categories = [c for c in lists["categories"] if c in NAMES and c != "netzwerk"]
    cat_weights = [WEIGHTS.get(c, 3) for c in categories]
    while len(entries) < n:
        town = rng.choices(towns, weights)[0]
        category = rng.choices(categories, cat_weights)[0]
        entries.append(words.entry(category, town, by_town[town.id]))
    _add_members(rng, entries, districts)
    return Synth(districts, entries)


def _districts(rng: random.Random, count: int, lists) -> list[District]:
    taken_names = {t.name.casefold() for t in lists["municipalities"].values()}
    taken_ids = set(lists["municipalities"])
    taken_codes = {p for t in lists["municipalities"].values() for p in t.data.get("postcodes", [])}

    def new_name() -> tuple[str, str]:
        while True:
            prefix = rng.choice(PREFIXES)
            stem = rng.choice(ROOTS) + rng.choice(SUFFIXES)
            name = f"{prefix} {stem.capitalize()}" if prefix else stem.capitalize()
            if prefix in ("Ost", "West") and rng.random() < 0.5:
                name = prefix + stem.lower()
            ident = slugify(name)
            if name.casefold() not in taken_names and ident not in taken_ids:
                taken_names.add(name.casefold())
                taken_ids.add(ident)
                return name, ident

    def new_postcode(state: dict) -> str:
        while True:
            low, high = rng.choice(state["postcodes"])
            code = f"{rng.randint(low, high):05d}"
            if code not in taken_codes:
                taken_codes.add(code)
                return code

    districts = []
    made = 0
    while made < count:
        state_name = "Niedersachsen" if len(districts) % 2 == 0 else "Nordrhein-Westfalen"
        state = STATES[state_name]
        seat_name, _ = new_name()
        district_name = f"{state['district']} {seat_name}"
        kreis_id = slugify(district_name)
        taken_ids.add(kreis_id)
        lat0, lat1, lon0, lon1 = state["box"]
        lat, lon = rng.uniform(lat0 + 0.1, lat1 - 0.1), rng.uniform(lon0 + 0.15, lon1 - 0.15)
        area = rng.choice(state["area_codes"])
        kreis = Place(
            kreis_id, district_name, "kreis", district_name, state_name, None, lat, lon, area
        )
        towns = []
        for index in range(min(rng.randint(8, 14), count - made)):
            name, ident = (seat_name, slugify(seat_name)) if index == 0 else new_name()
            kind = "stadt" if index == 0 or rng.random() < 0.3 else "gemeinde"
            town_lat = min(max(lat + rng.uniform(-0.1, 0.1), lat0), lat1)
            town_lon = min(max(lon + rng.uniform(-0.15, 0.15), lon0), lon1)
            code = new_postcode(state)
            towns.append(
                Place(ident, name, kind, district_name, state_name, code, town_lat, town_lon, area)
            )
            made += 1
        districts.append(District(kreis, towns))
    return districts


def _add_members(rng: random.Random, entries: list[dict], districts: list[District]) -> None:
    """Round tables and coordination groups list a few places of their district."""
    for entry in entries:
        if entry["data"]["category"] in ("runder-tisch", "koordinierungskreis"):
            district = entry["district"]
            others = [s for s in district.slugs if s != entry["slug"]]
            if others:
                members = rng.sample(others, min(len(others), rng.randint(2, 8)))
                entry["data"]["members"] = sorted(members)


class Words:
    """Makes one entry's data from the lists and the word pools above."""

    def __init__(self, rng: random.Random, lists):
        self.rng = rng
        self.lists = lists
        self.topics = list(lists["topics"])
        self.audiences = list(lists["audiences"])
        self.languages = [code for code in lists["languages"] if code != "de"]
        self.names_seen: dict[str, int] = {}
        self.slugs: set[str] = set()
        self.hours_ok: set[str] = set()
        self.latest = min(dt.date.today(), LATEST_CHECK)

    def entry(self, category: str, place: Place, district: District, kreis_wide=False) -> dict:
        rng = self.rng
        name, slug = self._name(category, place)
        term = self.lists["categories"][category]
        data: dict = {"name": name, "category": category}
        data["summary"] = rng.choice(SUMMARIES).format(what=term.name, place=place.name)
        data["description"] = self._description()
        data["topics"] = rng.sample(self.topics, rng.randint(1, 4))
        data["audiences"] = rng.sample(self.audiences, rng.randint(1, 3))
        address = {"city": place.name}
        if term.data.get("sensitive"):  # shelters never show where they are: town only
            address = {"postcode": place.postcode, "city": place.name}
        elif not kreis_wide:
            address = {"street": f"{rng.choice(STREETS)} {rng.randint(1, 120)}"}
            if rng.random() < 0.15:
                address["extra"] = rng.choice(EXTRAS)
            address |= {"postcode": place.postcode, "city": place.name}
        data["address"] = address
        data["phone"] = self.phone(place.area_code)
        data["email"] = f"{slug[:40].rstrip('-')}@example.org"
        if rng.random() < 0.6:
            data["website"] = f"https://www.example.org/{place.id}/{slug}/"
        if rng.random() < 0.4:
            data["contacts"] = [self._contact(place.area_code)]
        if not kreis_wide:
            data["opening_hours"] = self.hours()
        if category in ("koordinierungskreis", "runder-tisch"):
            data["meetings"] = meetings_for(slug)
        data["languages"] = ["de", *rng.sample(self.languages, rng.randint(0, 4))]
        data |= self._visit_facts(slug, sensitive=bool(term.data.get("sensitive")))
        age = dt.timedelta(days=rng.randint(0, 700))
        data["verified"] = {
            "date": (self.latest - age).isoformat(),
            "by": rng.choice(CHECKERS),
            "method": rng.choice(METHODS),
        }
        if category not in ("netzwerk", "koordinierungsstelle"):
            if district.network and rng.random() < 0.6:
                data["part_of"] = district.network
            if district.office and rng.random() < 0.5:
                data["coordinated_by"] = district.office
        if translations := self._translations(term, place):
            data["translations"] = translations
        data["example"] = True
        if category not in ("netzwerk", "koordinierungsstelle"):
            district.slugs.append(slug)
        lat, lon = self._near(place, 0.0 if kreis_wide else 0.02)
        return {
            "slug": slug,
            "folder": place.id,
            "data": data,
            "lat": lat,
            "lon": lon,
            "district": district,
            "sensitive": bool(term.data.get("sensitive")),
        }

    def _name(self, category: str, place: Place) -> tuple[str, str]:
        base = self.rng.choice(NAMES[category]).format(place=place.name)
        count = self.names_seen[base] = self.names_seen.get(base, 0) + 1
        name = base if count == 1 else f"{base} {count}"
        slug = slugify(name)
        while slug in self.slugs:  # names cut at 80 characters can meet
            count = self.names_seen[base] = count + 1
            name = f"{base} {count}"
            slug = f"{slugify(base)[:70].rstrip('-')}-{count}"
        self.slugs.add(slug)
        return name, slug

    def _visit_facts(self, slug: str, sensitive: bool) -> dict:
        """Appointment, cost, access, closures, a language note (issue 15), for some places.

        Drawn from a generator of their own, so every other value is the same as before
        these fields existed (benchmarks compare trees with and without them)."""
        more = random.Random(slug)
        facts: dict = {}
        if more.random() < 0.3:
            facts["appointment"] = {"need": more.choice(["required", "recommended", "not_needed"])}
        if more.random() < 0.3:
            facts["cost"] = {"fee": more.choice(["free", "reduced", "paid"])}
        if more.random() < 0.2 and not sensitive:
            facts["accessibility"] = {"wheelchair": more.choice(["yes", "limited", "no"])}
        if more.random() < 0.1:
            first = dt.date.today() + dt.timedelta(days=more.randint(1, 60))
            last = first + dt.timedelta(days=more.randint(0, 20))
            facts["closures"] = [{"from": first.isoformat(), "to": last.isoformat()}]
        return facts

    def _description(self) -> str:
        rng = self.rng
        paragraphs = [" ".join(rng.sample(SENTENCES, rng.randint(2, 4)))]
        if rng.random() < 0.5:
            items = rng.sample(BULLETS, rng.randint(2, 4))
            paragraphs.append("Was es hier gibt:\n\n" + "\n".join(f"- {b}" for b in items))
        if rng.random() < 0.3:
            paragraphs.append(
                "Mehr dazu auf der [Webseite des Trägers](https://www.example.org/angebote/)."
            )
        paragraphs.append(rng.choice(SENTENCES))
        return "\n\n".join(paragraphs) + "\n"

    def _contact(self, area: str) -> dict:
        rng = self.rng
        contact = {"role": rng.choice(ROLES)}
        if rng.random() < 0.5:
            contact["name"] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if rng.random() < 0.7:
            contact["phone"] = self.phone(area)
        return contact

    def _translations(self, term, place: Place) -> dict:
        rng = self.rng
        result = {}
        for lang, share in (("en", 0.35), ("ar", 0.2), ("uk", 0.2)):
            if rng.random() >= share:
                continue
            what = term.translations.get(lang, term.name)
            text = {
                "name": f"{what} {place.name}",
                "summary": TRANSLATED_SUMMARY[lang].format(what=what, place=place.name),
            }
            if rng.random() < 0.5:
                text["description"] = TRANSLATED_DESCRIPTION[lang] + "\n"
            if lang != "en" or rng.random() < 0.3:
                text["machine_translated"] = True
            result[lang] = text
        return result

    def _near(self, place: Place, spread: float) -> tuple[float, float]:
        lat = place.lat + self.rng.uniform(-spread, spread)
        lon = place.lon + self.rng.uniform(-spread, spread) * 1.6
        return round(lat, 6), round(lon, 6)

    def phone(self, area: str) -> str:
        """A German number such as "0491 9254-0", checked with phonenumbers like the site does."""
        rng = self.rng
        while True:
            length = rng.randint(max(4, 8 - len(area)), 10 - len(area))
            digits = str(rng.randint(2, 9)) + "".join(
                str(rng.randint(0, 9)) for _ in range(length - 1)
            )
            split = rng.randint(max(3, length - 3), length - 1)
            text = f"0{area} {digits[:split]}-{digits[split:]}"
            number = phonenumbers.parse(text, "DE")
            if phonenumbers.is_valid_number(number):
                return text

    def hours(self) -> str:
        """Opening hours in OpenStreetMap syntax; each new form is checked once by the parser."""
        rng = self.rng
        days = rng.choice(["Mo-Fr", "Mo-Th", "Tu,Th", "Mo,We", "We", "Tu", "Th", "Mo-Fr", "Sa"])
        start, end = rng.choice([8, 9, 10]), rng.choice([12, 13])
        half = rng.choice(["00", "30"])
        text = f"{days} {start:02d}:{half}-{end:02d}:00"
        if rng.random() < 0.4:
            later = rng.choice(["Tu", "Th", "We"])
            afternoon = f"{rng.randint(14, 15)}:00-{rng.randint(16, 18)}:00"
            text += f"; {later} {start:02d}:{half}-{end:02d}:00,{afternoon}"
        if rng.random() < 0.3:
            text += "; PH off"
        if text not in self.hours_ok:
            opening_hours.OpeningHours(text)  # raises if the generator made a mistake
            self.hours_ok.add(text)
        return text


# -- writing ---------------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-zÄÖÜäöüß0-9„(][^#\"'\n{}\[\]&*!|>%@`]*$")
_NOT_PLAIN = re.compile(r": |:$|^(true|false|yes|no|on|off|null|~|[0-9.+\-: ]+)$", re.IGNORECASE)


def meetings_for(slug: str) -> dict:
    """A meeting rhythm for a body, from its slug alone: the random stream stays as it was."""
    seed = zlib.crc32(slug.encode())
    first = dt.date(2026, 1, 5) + dt.timedelta(days=seed % 23)  # a day of the first 4 weeks
    start = 9 + seed % 9
    value = {
        "repeat": ("monthly", "every-2-months", "weekly", "every-2-weeks")[seed % 4],
        "day": ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")[first.weekday()],
        "time": f"{start:02d}:00-{start + 2:02d}:00",
        "first": first.isoformat(),
    }
    if value["repeat"].startswith(("monthly", "every-2-months")):
        value["week"] = str((first.day - 1) // 7 + 1)
    return value


def _scalar(value) -> str:
    """A YAML scalar: plain where a person would write it so, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value}"
    text = str(value)
    if _PLAIN.match(text) and not _NOT_PLAIN.search(text) and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


def to_yaml(value, indent: int = 0) -> str:
    """Block-style YAML for the nested dicts, lists and strings of an entry."""
    pad = " " * indent
    lines = []
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, (dict, list)):
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(child, indent + 2))
            elif isinstance(child, str) and "\n" in child:
                body = "\n".join(
                    f"{pad}  {ln}" if ln else "" for ln in child.rstrip("\n").split("\n")
                )
                lines.append(f"{pad}{key}: |\n{body}")
            else:
                lines.append(f"{pad}{key}: {_scalar(child)}")
    else:
        for child in value:
            if isinstance(child, dict):
                inner = to_yaml(child, indent + 2)
                lines.append(f"{pad}- {inner[indent + 2 :]}")
            else:
                lines.append(f"{pad}- {_scalar(child)}")
    return "\n".join(lines)


def write(synth: Synth, root: Path, languages: list[str] | None = None) -> None:
    """The project directory: config, docs, lists, entries and the geocoding cache.

    ``languages``: the interface languages to build (default: as in mkdocs.yml).
    """
    root.mkdir(parents=True, exist_ok=True)
    _write_config(root, languages)
    lists = root / "entries" / "_lists"
    shutil.copytree(REPO / "entries" / "_lists", lists, dirs_exist_ok=True)
    invented = "".join(
        "\n" + place.list_item()
        for district in synth.districts
        for place in [district.kreis, *district.towns]
    )
    municipalities = lists / "municipalities.yml"
    header = "\n# Erfundene Gemeinden für den Benchmark (scripts/synth.py)\n"
    municipalities.write_text(municipalities.read_text("utf-8") + header + invented, "utf-8")
    folders: set[str] = set()
    for entry in synth.entries:
        folder = root / "entries" / entry["folder"]
        if entry["folder"] not in folders:
            folder.mkdir(parents=True, exist_ok=True)
            folders.add(entry["folder"])
        text = "# Erfundener Eintrag (scripts/synth.py)\n" + to_yaml(entry["data"]) + "\n"
        (folder / f"{entry['slug']}.yml").write_text(text, "utf-8")
    write_geocache(synth, root)


def _write_config(root: Path, languages: list[str] | None = None) -> None:
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    hook = (REPO / "hooks" / "wegweiser_hooks.py").as_posix()
    config = config.replace("- hooks/wegweiser_hooks.py", f"- {hook}")
    if languages:
        line = f"    languages: [{', '.join(languages)}]"
        config = re.sub(r"^    languages: \[.*\]$", line, config, flags=re.MULTILINE)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    ignore = shutil.ignore_patterns("benchmark.md")  # where older trees kept the table
    shutil.copytree(REPO / "docs", root / "docs", dirs_exist_ok=True, ignore=ignore)


def write_geocache(synth: Synth, root: Path) -> bool:
    """A cached coordinate for every street address, so a build asks no geocoder.

    Entries without a street (a whole Kreis) and sensitive categories are never looked up,
    so the cache leaves them out, as a real one would. Returns False (and writes nothing)
    where the geocoding module is missing.
    """
    try:
        from wegweiser.geo import CachedPlace, GeoCache, address_key
    except ImportError:
        return False
    cache = GeoCache(root / "entries" / "_geocache.json")
    for entry in synth.entries:
        address = entry["data"]["address"]
        if "street" not in address or entry["sensitive"]:
            continue
        town = f"{address['postcode']} {address['city']}"
        place = CachedPlace(
            lat=entry["lat"],
            lon=entry["lon"],
            precision="house",
            postcode=address["postcode"],
            display=f"{address['street']}, {town}, {entry['district'].kreis.name}, Deutschland",
            checked=entry["data"]["verified"]["date"],
        )
        cache.store(address_key(address), place)
    cache.save()
    return True


def generate(root: Path, n: int, seed: int = 1) -> None:
    """Write a complete synthetic project with ``n`` entries to ``root``."""
    write(make(n, seed), root)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Synthetische Wegweiser-Daten / synthetic data")
    parser.add_argument("out", type=Path, help="Zielordner / output directory")
    parser.add_argument("-n", type=int, default=500, help="Anzahl Einträge / number of entries")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generate(args.out, args.n, args.seed)
    took = time.perf_counter() - started
    print(f"{args.n} entries in {args.out} ({took:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
