"""Open data: the directory in the formats other services read, built with the site.

Plain Python: the MkDocs adapter asks for the files and adds them to the site; tests and
``scripts/bench_exports.py`` call the same function. The output depends only on the
entries and the settings (no clock), so the same entries give the same bytes.

=====================  ========================================================
``daten/orte.geojson``  every place with a point (the file the maps use)
``daten/orte.csv``      one row per entry; ``orte-excel.csv`` for German Excel
``daten/hsds.json``     Open Referral HSDS 3.0 (see docs/daten/hsds.md)
``daten/sitzungen.ics`` meetings of bodies; one calendar per body below it
=====================  ========================================================

Not listed on the Daten page, read by the site's own scripts: the map data in each
interface language whose entries have names in it (``daten/orte.ar.geojson``), and the
files of "In meiner Nähe" (exports/near.py).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from wegweiser import urls
from wegweiser.core.model import Directory
from wegweiser.exports import geojson, hsds, ical, jsonld, near, table
from wegweiser.exports.base import DataLicense, ExportSettings

__all__ = [
    "DataLicense",
    "ExportFile",
    "ExportSettings",
    "WrittenFile",
    "build_all",
    "planned",
    "jsonld",
    "write_all",
]


@dataclass(frozen=True)
class ExportFile:
    """One export file; its content is made when first asked for (``planned`` makes none)."""

    uri: str
    make: Callable[[], bytes] = field(repr=False, compare=False)
    format: str = ""
    description: str = ""  # German, for the Daten page
    listed: bool = True  # on the Daten page; per-entry calendars are linked from their pages
    # the text in pieces, for files too big to hold at once (HSDS); written piece by piece
    pieces: Callable[[], Iterable[str]] | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.uri.rsplit("/", 1)[-1]

    @functools.cached_property
    def content(self) -> bytes:
        return self.make()


@dataclass(frozen=True)
class WrittenFile:
    """An export file once written: what the Daten page lists about it."""

    uri: str
    size: int
    format: str
    description: str
    listed: bool

    @property
    def name(self) -> str:
        return self.uri.rsplit("/", 1)[-1]


def write_all(planned_files: list[ExportFile], site_dir: Path) -> list[WrittenFile]:
    """The ``planned`` export files, made and written under ``site_dir`` (the built site)."""
    written = []
    for item in planned_files:
        target = site_dir / item.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.pieces:
            with target.open("w", encoding="utf-8", newline="") as out:
                for piece in item.pieces():
                    out.write(piece)
            size = target.stat().st_size
        else:
            content = item.make()  # not item.content: nothing stays in memory once written
            target.write_bytes(content)
            size = len(content)
        written.append(WrittenFile(item.uri, size, item.format, item.description, item.listed))
    return written


def build_all(directory: Directory, settings: ExportSettings) -> list[ExportFile]:
    """Every export file, made."""
    files = planned(directory, settings)
    for item in files:
        _ = item.content
    return files


def planned(directory: Directory, settings: ExportSettings) -> list[ExportFile]:
    """Every export file, named and described; each is made when its content is read."""
    licence = settings.license.as_json()
    files = [
        ExportFile(
            urls.GEOJSON,
            lambda: geojson.geojson_text(directory, {"license": licence}).encode(),
            "GeoJSON (RFC 7946)",
            "Alle Orte mit Punkt auf der Karte, für Karten-Programme (z. B. QGIS, uMap). "
            "Schutzbedürftige Orte nur ungefähr, in der Mitte ihrer Gemeinde.",
        ),
        ExportFile(
            urls.CSV,
            lambda: table.csv_text(directory, settings).encode(),
            "CSV (UTF-8, Komma)",
            "Eine Zeile je Eintrag, für Programme und Tabellen. Spalten = Feldnamen.",
        ),
        ExportFile(
            urls.EXCEL_CSV,
            lambda: table.csv_text(directory, settings, excel=True).encode(),
            "CSV für Excel (UTF-8 mit BOM, Semikolon)",
            "Dieselbe Tabelle; öffnet sich in deutschem Excel per Doppelklick richtig.",
        ),
        ExportFile(
            urls.CSV_METADATA,
            lambda: table.csvw_metadata(settings, urls.CSV.rsplit("/", 1)[1]).encode(),
            "CSVW-Metadaten (JSON)",
            "Was jede Spalte der Tabelle bedeutet, und die Lizenz (W3C „CSV on the Web“).",
        ),
        ExportFile(
            urls.HSDS,
            lambda: hsds.hsds_text(directory, settings).encode(),
            "Open Referral HSDS 3.0 (JSON)",
            "Der Standard für Verzeichnisse sozialer Angebote: Organisationen, Angebote, Orte, "
            "Adressen, Telefon, Zeiten, Sprachen. Zuordnung der Felder: siehe unten.",
            pieces=lambda: hsds.hsds_pieces(directory, settings),
        ),
    ]
    return files + map_files(directory, settings) + calendars(directory, settings)


def map_files(directory: Directory, settings: ExportSettings) -> list[ExportFile]:
    """The map data of each other language with names of its own, and "In meiner Nähe"."""
    members = {"license": settings.license.as_json()}
    files = [
        ExportFile(
            urls.map_data(lang),
            functools.partial(_map_bytes, directory, members, lang),
            listed=False,
        )
        for lang in settings.languages
        if directory.has_names_in(lang)
    ]
    files.append(
        ExportFile(
            urls.MUNICIPALITIES_DATA,
            lambda: near.municipalities_text(directory, members).encode(),
            listed=False,
        )
    )
    features = functools.cache(lambda: near.near_features(directory))  # once, when first asked
    for uri, places in near.list_files(directory):
        make = functools.partial(_near_bytes, places, features, members)
        files.append(ExportFile(uri, make, listed=False))
    return files


def _map_bytes(directory: Directory, members: dict, lang: str) -> bytes:
    return geojson.geojson_text(directory, members, lang).encode()


def _near_bytes(places: list, features: Callable[[], dict], members: dict) -> bytes:
    return near.near_text(places, features(), members).encode()


def calendars(directory: Directory, settings: ExportSettings) -> list[ExportFile]:
    bodies = ical.with_meetings(directory)
    files = [
        ExportFile(
            urls.CALENDAR,
            lambda: ical.calendar_bytes(bodies, settings, "Wegweiser: Sitzungstermine"),
            "iCalendar (.ics)",
            "Regelmäßige Sitzungen von Gremien (Koordinierungskreis, Runder Tisch …) zum "
            "Abonnieren im Kalender. Jede Eintragsseite hat einen eigenen Kalender.",
        )
    ]
    for entry in bodies:
        uri = urls.entry_calendar(entry.slug)
        make = functools.partial(ical.calendar_bytes, [entry], settings, entry.name)
        files.append(ExportFile(uri, make, listed=False))
    return files
