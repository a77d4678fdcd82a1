"""The coming days of a place (core/hours.py), the checks of the new fields, and where
they go: stale, JSON-LD, the publishing schedule (issue 15). The visitor's view is in
test_hours_browser.py."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import yaml
from helpers import FIXTURE_SITE, REPO, wegweiser
from wegweiser import pipeline
from wegweiser.core import hours
from wegweiser.core.findings import format_text, read_locale
from wegweiser.core.validate import Validator, base_schema
from wegweiser.exports import jsonld
from wegweiser.exports.base import ExportSettings
from wegweiser.site.openstate import holiday_name, page_data, week_rows

MONDAY = dt.date(2026, 6, 1)  # Thursday 4 June 2026 is Corpus Christi
RULES = "Mo-Fr 09:00-12:00; PH off"
MORNING = (hours.Span(540, 720),)


def days_of(data: dict, state: str, first=MONDAY, days=7):
    return hours.schedule(data, state, first, days).days


def test_corpus_christi_closes_only_where_it_is_a_holiday():
    nrw = days_of({"opening_hours": RULES}, "Nordrhein-Westfalen")
    lower_saxony = days_of({"opening_hours": RULES}, "Niedersachsen")
    assert (nrw[3].spans, nrw[3].reason, nrw[3].note) == ((), "holiday", "Fronleichnam")
    assert (lower_saxony[3].spans, lower_saxony[3].reason) == (MORNING, "")
    assert [d.spans for d in nrw[:3]] == [MORNING] * 3


def test_holiday_hours_of_their_own_and_rules_silent_on_holidays():
    special = days_of({"opening_hours": "Mo-Fr 09:00-12:00; PH 10:00-11:00"}, "Bayern")
    assert special[3].spans == (hours.Span(600, 660),)
    silent = days_of({"opening_hours": "Mo-Fr 09:00-12:00"}, "Bayern")
    assert silent[3].spans == (hours.Span(0, 1440, open=False),)  # never "open" on a guess


def test_a_holiday_no_calendar_can_evaluate_is_unknown():
    # Buß- und Bettag 2028 (Saxony): no country known to opening-hours-py has it.
    day = dt.date(2028, 11, 22)
    assert hours.holiday_calendar(day) is None
    sachsen = days_of({"opening_hours": RULES}, "Sachsen", first=day, days=1)
    assert sachsen[0].spans == (hours.Span(0, 1440, open=False),)
    assert sachsen[0].note == "Buß- und Bettag"


def test_closures_and_status_close_whole_days():
    data = {
        "opening_hours": RULES,
        "closures": [{"from": "2026-12-28", "to": "2026-12-30", "note": "Inventur"}],
    }
    data["closures"].append({"holiday": "Heiligabend"})
    december = days_of(data, "Niedersachsen", first=dt.date(2026, 12, 23), days=8)
    assert [(d.date.day, d.reason) for d in december if d.reason] == [
        (24, "closure"),
        (25, "holiday"),
        (26, "holiday"),
        (28, "closure"),
        (29, "closure"),
        (30, "closure"),
    ]
    assert december[5].until == dt.date(2026, 12, 30) and december[5].note == "Inventur"
    assert december[0].spans == MORNING and december[4].spans == ()
    status = {
        "opening_hours": RULES,
        "status": {"state": "temporarily_closed", "until": "2026-06-02"},
    }
    shut = days_of(status, "Niedersachsen")
    assert [d.reason for d in shut[:3]] == ["status", "status", ""]


def test_midnight_splits_and_comments():
    data = {"opening_hours": 'Fr 22:00-26:00; Mo 10:00-12:00 "nach Vereinbarung"'}
    days = days_of(data, "Niedersachsen")
    assert days[0].spans == (hours.Span(600, 720, True, "nach Vereinbarung"),)
    assert days[4].spans == (hours.Span(1320, 1440),)
    assert days[5].spans == (hours.Span(0, 120),)


def test_page_data_is_compact_and_the_table_resolves_each_day():
    schedule = hours.schedule({"opening_hours": RULES}, "Nordrhein-Westfalen", MONDAY, 7)
    ui = {**read_locale("de")["ui"]}
    data = json.loads(str(page_data(schedule, ui)))
    assert data["s"] == "2026-06-01"
    assert data["t"] == [[[540, 720, 1]], []]
    assert data["d"] == [0, 0, 0, 1, 0, 1, 1]
    assert data["m"] == ["Heute Feiertag (Fronleichnam) – geschlossen"]
    assert data["r"] == {"3": 0}
    rows = week_rows(schedule, ui)
    assert [(r.day, r.hours, r.note) for r in rows[2:4]] == [
        ("Mi 03.06.", "09:00–12:00", ""),
        ("Do 04.06.", "geschlossen", "Feiertag (Fronleichnam)"),
    ]


def test_every_day_a_place_may_close_on_has_a_name_in_every_language():
    schema = base_schema()["properties"]["closures"]["items"]["properties"]["holiday"]
    assert tuple(schema["enum"]) == hours.CLOSURE_DAYS
    for path in sorted((REPO / "hooks/wegweiser/core/locales").glob("*.yml")):
        ui = yaml.safe_load(path.read_text("utf-8"))["ui"]
        for name in hours.CLOSURE_DAYS:
            assert holiday_name(name, ui) != name or path.stem == "de", (path.stem, name)
    # ... and every holiday the library names in any Land is one of them.
    for land in hours.LAENDER.values():
        assert set(hours.public_holidays(land, 2027).values()) <= set(hours.CLOSURE_DAYS)


# -- the checks -----------------------------------------------------------------------------

ENTRY = """\
name: Sprechstunde Leer
category: familienstuetzpunkt
summary: Beratung für Familien in Leer.
address: {{city: Leer}}
opening_hours: "{rules}"
{extra}verified: {{date: 2026-03-01, by: Redaktion}}
"""


def check(extra: str, today=dt.date(2026, 11, 24)) -> list[str]:
    validator = Validator(FIXTURE_SITE, FIXTURE_SITE / "entries", today=today)
    text = ENTRY.format(rules=RULES, extra=extra)
    _entry, findings = validator.check_bytes(text.encode(), "x", "entries/leer/x.yml")
    return [format_text(f) for f in sorted(findings)]


def test_what_is_over_is_a_warning_with_its_place():
    assert check("status: {state: temporarily_closed, until: 2026-11-01}\n") == [
        'entries/leer/x.yml:6:44: warning: status.until: "2026-11-01" ist vorbei; die Seite '
        "zeigt wieder die Öffnungszeiten — Ist die Stelle wieder offen, löschen Sie status; "
        "sonst tragen Sie ein neues until ein."
    ]
    assert check("valid_until: 2026-10-31\n") == [
        'entries/leer/x.yml:6:14: warning: valid_until: Das Angebot endete am "2026-10-31"; es '
        "steht nicht mehr auf der Seite, der Karte und in den Daten — Läuft es weiter, tragen "
        "Sie ein neues Datum ein; sonst löschen Sie die Datei."
    ]
    assert check("closures:\n  - {from: 2026-07-20, to: 2026-08-07}\n") == [
        'entries/leer/x.yml:7:28: warning: closures[1].to: Die Schließzeit bis "2026-08-07" ist '
        "vorbei — Löschen Sie diese Schließzeit; die Seite beachtet sie nicht mehr."
    ]
    assert check("valid_until: 2027-01-31\n") == []


def test_a_sensitive_place_names_no_way_there(tmp_path):
    site = shutil.copytree(FIXTURE_SITE, tmp_path / "site")
    validator = Validator(site, site / "entries", today=dt.date(2026, 11, 24))
    assert validator.lists.sensitive("unterkunft")
    text = (
        "name: Unterkunft\ncategory: unterkunft\nsummary: Eine Unterkunft in Leer.\n"
        "address: {city: Leer}\ntransport: Bus 610 bis Rathaus\n"
        "verified: {date: 2026-03-01, by: Redaktion}\n"
    )
    entry, findings = validator.check_bytes(text.encode(), "u", "entries/leer/u.yml")
    assert entry is None
    assert [f.code for f in findings] == ["address.sensitive_exact"]


def test_an_expired_offer_leaves_the_directory_but_not_the_check(tmp_path):
    site = shutil.copytree(FIXTURE_SITE, tmp_path / "site")
    text = ENTRY.format(rules=RULES, extra="valid_until: 2026-05-31\n")
    (site / "entries" / "leer" / "vorbei.yml").write_text(text, "utf-8")
    offline = pipeline.geo.GeocodeSettings(offline=True)
    result, _ = pipeline.located(site, offline, shown_on=MONDAY)
    assert "vorbei" not in result.directory.entries
    result, _ = pipeline.located(site, offline, shown_on=dt.date(2026, 5, 31))
    assert "vorbei" in result.directory.entries
    assert pipeline.checked(site).errors == []


def test_stale_names_offers_that_end(tmp_path):
    site = shutil.copytree(FIXTURE_SITE, tmp_path / "site")
    for slug, day in (("endet", "2026-12-20"), ("vorbei", "2026-11-01"), ("spaeter", "2027-06-30")):
        text = ENTRY.format(rules=RULES, extra=f"valid_until: {day}\n").replace(
            "Sprechstunde Leer", f"Sprechstunde {slug}"
        )
        (site / "entries" / "leer" / f"{slug}.yml").write_text(text, "utf-8")
    run = wegweiser("stale", "--root", str(site), "--today", "2026-12-04", "--months", "60")
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        'entries/leer/vorbei.yml:6:14: warning: valid_until: Das Angebot endete am "2026-11-01"; '
        "es steht nicht mehr auf der Seite, der Karte und in den Daten — Läuft es weiter, "
        "tragen Sie ein neues Datum ein; sonst löschen Sie die Datei.",
        'entries/leer/endet.yml:6:14: warning: valid_until: Das Angebot endet am "2026-12-20", '
        "in 16 Tagen; danach verschwindet es von der Seite — Fragen Sie nach, ob es "
        "weiterläuft, und tragen Sie dann ein neues Datum ein.",
    ]
    markdown = wegweiser(
        "stale", "--root", str(site), "--today", "2026-12-04", "--format", "markdown"
    ).stdout
    assert "## Angebote mit Ende (valid_until)" in markdown
    assert (
        "- [ ] **Sprechstunde endet** — entries\\/leer\\/endet\\.yml — endet am 2026-12-20 — "
        "[Seite](https://wegweiser.test/orte/endet/)" in markdown
    )
    assert "spaeter" not in markdown


# -- where the days go ------------------------------------------------------------------------


def test_json_ld_says_the_week_and_the_holiday(tmp_path):
    site = shutil.copytree(FIXTURE_SITE, tmp_path / "site")
    text = ENTRY.format(rules=RULES, extra="cost: {fee: free}\n")
    text = text.replace("city: Leer", "city: Erkelenz").replace(
        "familienstuetzpunkt",
        "koordinierungsstelle",  # a GovernmentOffice: it has hours
    )
    (site / "entries" / "erkelenz" / "amt.yml").write_text(text, "utf-8")
    offline = pipeline.geo.GeocodeSettings(offline=True)
    result, _ = pipeline.located(site, offline, shown_on=MONDAY)
    entry = result.directory.entries["amt"]
    thing = jsonld.thing(entry, result.directory, ExportSettings(site_url="https://x.test/"))
    assert thing["openingHoursSpecification"] == [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"],
            "opens": "09:00",
            "closes": "12:00",
        }
    ]
    assert thing["specialOpeningHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "validFrom": "2026-06-04",
        "validThrough": "2026-06-04",
        "description": "Fronleichnam",
        "opens": "00:00",
        "closes": "00:00",
    }
    assert thing["isAccessibleForFree"] is True


def test_the_site_is_rebuilt_every_day_within_its_horizon():
    workflow = yaml.safe_load((REPO / ".github/workflows/veroeffentlichen.yml").read_text())
    crons = [item["cron"] for item in workflow[True]["schedule"]]  # YAML reads "on" as True
    assert crons and all(cron.split()[2:] == ["*", "*", "*"] for cron in crons)
    assert hours.HORIZON_DAYS >= 14  # a few failed mornings still leave the pages right
