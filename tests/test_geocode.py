"""Geocoding: geopy's real Nominatim client against a local server that answers like Nominatim."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from nominatim import fake_nominatim
from wegweiser import geo
from wegweiser.core.findings import format_text
from wegweiser.core.model import Place
from wegweiser.core.validate import check_directory


def write_entry(root, slug, street, postcode="26789", city="Leer", extra=""):
    folder = root / "entries" / "orte"
    folder.mkdir(parents=True, exist_ok=True)
    address = f"  street: {json.dumps(street)}\n" if street else ""
    (folder / f"{slug}.yml").write_text(
        f"name: Stelle {slug}\ncategory: familienstuetzpunkt\nsummary: Eine Stelle zum Testen.\n"
        f'address:\n{address}  postcode: "{postcode}"\n  city: {city}\n'
        f"verified:\n  date: 2026-03-01\n  by: Redaktion\n{extra}",
        "utf-8",
    )


@pytest.fixture
def project(site_copy):
    """The fixture site without its entries: each test writes the ones it needs."""
    for path in (site_copy / "entries").glob("*/*.yml"):
        if not path.parent.name.startswith("_"):
            path.unlink()
    return site_copy


def settings_for(server, **overrides):
    values = {
        "url": server.url,
        "contact": "redaktion@wegweiser.test",
        "timeout": 0.5,
        "min_delay": 0.0,
        "site_url": "https://wegweiser.test/",
    }
    return geo.GeocodeSettings(**{**values, **overrides})


def run(project, settings, max_lookups=None):
    result = check_directory(project)
    assert not result.errors, [format_text(f) for f in result.errors]
    entries = result.directory.entries
    report = geo.locate_directory(
        entries.values(), result.directory.lists, project / "entries", settings, max_lookups
    )
    return entries, report


def messages(report):
    return [format_text(f) for f in report.findings]


def cache_file(project):
    return project / "entries" / geo.CACHE_NAME


def test_hit_is_a_structured_query_with_contact_and_lands_in_the_cache(project):
    write_entry(project, "treffpunkt", "Bergmannstraße 37")
    with fake_nominatim() as server:
        entries, report = run(project, settings_for(server))
    place = entries["treffpunkt"].place
    assert (place.lat, place.lon, place.precision, place.source) == (
        53.2321,
        7.463,
        "house",
        "geocoder",
    )
    assert report.findings == []
    [request] = server.requests
    assert request["path"] == "/search"
    query = request["query"]
    assert {k: query[k] for k in ("street", "postalcode", "city", "country")} == {
        "street": "Bergmannstraße 37",
        "postalcode": "26789",
        "city": "Leer",
        "country": "de",
    }
    assert query["format"] == "json" and query["addressdetails"] == "1"
    assert "q" not in query
    agent = request["headers"]["User-Agent"]
    assert agent.startswith("Wegweiser/") and "redaktion@wegweiser.test" in agent
    cached = json.loads(cache_file(project).read_text("utf-8"))
    assert cached["places"] == {
        "bergmannstrasse 37|26789|leer|de": {
            "lat": 53.2321,
            "lon": 7.463,
            "precision": "house",
            "postcode": "26789",
            "display": "Bergmannstraße 37, Leer, Deutschland",
            "checked": cached["places"]["bergmannstrasse 37|26789|leer|de"]["checked"],
        }
    }


def test_cache_is_sorted_one_address_per_line_and_never_asked_again(project):
    for slug, street in (("b", "Zweite Straße 2"), ("a", "Erste Straße 1"), ("c", "Nirgendwo 9")):
        write_entry(project, slug, street)
    with fake_nominatim() as server:
        run(project, settings_for(server))
        assert len(server.requests) == 3
        entries, report = run(project, settings_for(server))
        assert len(server.requests) == 3  # found and not-found answers are both cached
    assert entries["a"].place.source == "cache"
    assert report.cache_saved is False
    lines = cache_file(project).read_text("utf-8").splitlines()
    assert [line.split('"')[1] for line in lines[1:-1]] == [
        "erste strasse 1|26789|leer|de",
        "nirgendwo 9|26789|leer|de",
        "zweite strasse 2|26789|leer|de",
    ]


def test_same_address_written_differently_is_one_cache_key():
    a = geo.address_key({"street": "Bergmannstraße  37 ", "postcode": "26789", "city": "Leer"})
    b = geo.address_key({"street": "BERGMANNSTRASSE 37", "postcode": "26789", "city": "leer"})
    assert a == b == "bergmannstrasse 37|26789|leer|de"


def test_manual_location_wins_and_asks_nothing(project):
    write_entry(
        project, "hand", "Bergmannstraße 37", extra="location:\n  lat: 53.25\n  lon: 7.44\n"
    )
    with fake_nominatim() as server:
        entries, report = run(project, settings_for(server))
    assert server.requests == []
    assert entries["hand"].place == Place(53.25, 7.44, "manual", "manual")


def test_not_found_falls_back_to_the_municipality_centre_with_a_warning(project):
    write_entry(project, "weg", "Nirgendwo 9")
    with fake_nominatim() as server:
        entries, report = run(project, settings_for(server))
    assert entries["weg"].place == Place(53.2311, 7.461, "municipality", "gazetteer")
    assert messages(report) == [
        'entries/orte/weg.yml:5:3: warning: Adresse "Nirgendwo 9, 26789 Leer" wurde nicht gefunden; '
        "die Karte zeigt ungefähr die Mitte von Leer — Prüfen Sie Straße, Hausnummer und Postleitzahl, "
        "oder tragen Sie unter location die Koordinaten ein."
    ]


@pytest.mark.parametrize(
    ("street", "reason"),
    [
        ("Fehler 1", "Dienst meldet einen Fehler"),
        ("Haenger 1", "Dienst antwortet nicht rechtzeitig"),
        ("Kaputt 1", "Dienst gibt eine unlesbare Antwort"),
        ("Bremse 1", "Dienst meldet zu viele Anfragen (429)"),
    ],
)
def test_service_failure_is_an_outage_not_a_miss(project, street, reason):
    write_entry(project, "eins", street)
    write_entry(project, "zwei", "Bergmannstraße 37")
    slept = []
    with fake_nominatim() as server:
        server.hang_seconds = 2.0
        settings = settings_for(server)
        result = check_directory(project)
        entries = result.directory.entries
        cache = geo.GeoCache(cache_file(project))
        client = geo.NominatimClient(settings, sleep=slept.append)
        locator = geo.Locator(result.directory.lists, cache, settings, client)
        report = locator.locate_all(entries.values())
        cache.save()
        asked = len(server.requests)
    # The failing service is asked once (429: once more after Retry-After), then left alone.
    assert asked == (2 if street.startswith("Bremse") else 1)
    assert slept == ([1] if street.startswith("Bremse") else [])
    assert [f.reason for _e, f in report.failures] == [locator.outage.reason]
    for slug in ("eins", "zwei"):
        assert entries[slug].place.source == "gazetteer"
    assert not cache_file(project).exists()  # nothing learnt, nothing written, nothing lost
    assert f"konnte nicht nachgeschlagen werden ({reason})" in messages(report)[0]


def test_rate_limit_once_then_success_honours_retry_after(project):
    write_entry(project, "eins", "Einmal-Bremse 1")
    slept = []
    with fake_nominatim() as server:
        settings = settings_for(server)
        result = check_directory(project)
        cache = geo.GeoCache(cache_file(project))
        client = geo.NominatimClient(settings, sleep=slept.append)
        geo.Locator(result.directory.lists, cache, settings, client).locate_all(
            result.directory.entries.values()
        )
    assert slept == [1]
    assert result.directory.entries["eins"].place.source == "geocoder"


def test_result_far_outside_the_region_is_a_warning_naming_what_was_found(project):
    write_entry(project, "fern", "Weitweg 5")
    write_entry(project, "plz", "Falsche-PLZ 5")
    with fake_nominatim() as server:
        _entries, report = run(project, settings_for(server))
    assert messages(report) == [
        'entries/orte/fern.yml:5:3: warning: Der Punkt für "Weitweg 5, 26789 Leer" liegt außerhalb der Region '
        '(48.13820, 11.57760; gefunden: "Weitweg 5, Leer, Deutschland") — Prüfen Sie die Adresse. '
        "Bei location: Breitengrad (lat) und Längengrad (lon) vertauscht?",
        'entries/orte/plz.yml:5:3: warning: Für "Falsche-PLZ 5, 26789 Leer" fand der Geokodierer die '
        'Postleitzahl "99999" ("Falsche-PLZ 5, Leer, Deutschland") — Prüfen Sie Postleitzahl und Straße; '
        "stimmt die Adresse, tragen Sie unter location die Koordinaten ein.",
    ]


def test_swapped_manual_location_is_a_warning(project):
    write_entry(project, "tausch", "", extra="location:\n  lat: 7.44\n  lon: 53.25\n")
    entries, report = run(project, geo.GeocodeSettings(offline=True))
    assert entries["tausch"].place.precision == "manual"
    assert [f.code for f in report.findings] == ["geocode.outside_region"]
    assert report.findings[0].line == 11


def test_sensitive_places_are_never_looked_up_and_show_only_the_municipality(project):
    write_entry(project, "unterkunft", "")  # a street would be an error (test_validate)
    path = project / "entries" / "orte" / "unterkunft.yml"
    path.write_text(path.read_text("utf-8").replace("familienstuetzpunkt", "unterkunft"), "utf-8")
    with fake_nominatim() as server:
        entries, report = run(project, settings_for(server))
    assert server.requests == []
    assert entries["unterkunft"].place == Place(53.2311, 7.461, "municipality", "gazetteer")


def test_public_server_needs_a_contact_and_offline_forbids_the_network():
    public = geo.GeocodeSettings.from_config({"geocoding": {"min_delay": 0}}, env={})
    assert public.refusal() == "no_contact"
    assert public.min_delay == 1.0  # Nominatim's policy: one request per second at most
    configured = geo.GeocodeSettings.from_config(
        {"geocoding": {"contact": "a@b.org"}}, env={"WEGWEISER_OFFLINE": "1"}
    )
    assert configured.refusal() == "offline"
    own = geo.GeocodeSettings.from_config(
        {"geocoding": {"url": "https://geo.example.org", "min_delay": 0}},
        env={"WEGWEISER_GEOCODER_URL": "http://127.0.0.1:9"},
    )
    assert (own.url, own.refusal(), own.min_delay) == ("http://127.0.0.1:9", None, 0.0)


def test_offline_build_tells_why_and_uses_the_gazetteer(project):
    write_entry(project, "eins", "Bergmannstraße 37")
    entries, report = run(project, geo.GeocodeSettings(offline=True))
    assert entries["eins"].place.source == "gazetteer"
    assert "keine Netzverbindung erlaubt (WEGWEISER_OFFLINE)" in messages(report)[0]


def test_unreadable_cache_is_kept_and_nothing_is_looked_up(project):
    write_entry(project, "eins", "Bergmannstraße 37")
    broken = '{"format": 1, "places": {\n<<<<<<< HEAD\n'
    cache_file(project).write_text(broken, "utf-8")
    with fake_nominatim() as server:
        _entries, report = run(project, settings_for(server))
    assert server.requests == []
    assert cache_file(project).read_text("utf-8") == broken
    assert [f.code for f in report.findings] == ["geocode.unavailable", "geocode.cache_unreadable"]


def test_lookups_per_build_are_limited(project):
    for i in range(3):
        write_entry(project, f"s{i}", f"Straße {i}")
    with fake_nominatim() as server:
        _entries, report = run(project, settings_for(server, max_lookups=2))
    assert len(server.requests) == 2
    assert "Höchstzahl Anfragen pro Build erreicht" in messages(report)[0]


KILLER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from wegweiser.core.files import write_atomically
    path, i = Path(sys.argv[1]), 0
    print("ready", flush=True)
    while True:
        i += 1
        write_atomically(path, '{"n": %d, "pad": "%s"}\\n' % (i, "x" * 2_000_000))
    """
)


def test_sigkill_while_writing_leaves_a_whole_file(tmp_path):
    target = tmp_path / "cache.json"
    target.write_text('{"n": 0}\n', "utf-8")
    for delay in (0.05, 0.2, 0.45):
        child = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(target)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout.readline().strip() == "ready"
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        assert json.loads(target.read_text("utf-8"))["n"] >= 0
    # A write cut off by SIGKILL can only leave its hidden temporary file behind.
    others = {p.name for p in tmp_path.iterdir()} - {"cache.json"}
    assert all(name.startswith(".cache.json.") and name.endswith(".tmp") for name in others)


def cli(project, *args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "wegweiser.cli", "geocode", "--root", str(project), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.slow
def test_wegweiser_geocode_fills_the_cache_and_reports(project):
    write_entry(project, "eins", "Bergmannstraße 37")
    write_entry(project, "zwei", "Nirgendwo 9")
    with fake_nominatim() as server:
        env = {"WEGWEISER_GEOCODER_URL": server.url}
        result = cli(project, env=env)
        again = cli(project, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "entries/orte/eins.yml: gefunden (house) 53.2321, 7.463",
        "entries/orte/zwei.yml: Adresse nicht gefunden",
    ]
    assert result.stderr.strip() == "2 Adressen nachgeschlagen, 1 gefunden, 0 Fehler des Dienstes."
    assert "bergmannstrasse 37|26789|leer|de" in cache_file(project).read_text("utf-8")
    assert again.stderr.strip() == "0 Adressen nachgeschlagen, 0 gefunden, 0 Fehler des Dienstes."


def test_wegweiser_geocode_exits_one_when_the_service_fails(project):
    write_entry(project, "eins", "Fehler 3")
    with fake_nominatim() as server:
        result = cli(project, env={"WEGWEISER_GEOCODER_URL": server.url})
    assert result.returncode == 1
    assert "Dienst meldet einen Fehler" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_build_geocodes_once_and_survives_a_failing_geocoder(site_copy, tmp_path):
    from helpers import mkdocs_build

    env = {"WEGWEISER_OFFLINE": "0"}
    with fake_nominatim() as server:
        env["WEGWEISER_GEOCODER_URL"] = server.url
        first = mkdocs_build(site_copy, tmp_path / "one", env=env)
        second = mkdocs_build(site_copy, tmp_path / "two", env=env)
        assert first.returncode == 0, first.stderr
        assert second.returncode == 0, second.stderr
        assert len(server.requests) == 3  # the second build asked nothing: all cached
        bunde = site_copy / "entries" / "leer" / "familienstuetzpunkt-bunde.yml"
        bunde.write_text(bunde.read_text("utf-8").replace("Beispielweg 1", "Fehler 1"), "utf-8")
        cached = cache_file(site_copy).read_text("utf-8")
        third = mkdocs_build(site_copy, tmp_path / "three", env=env)
    assert third.returncode == 0, third.stderr  # --strict, and still green
    assert 'Adresse "Fehler 1, 26831 Bunde" konnte nicht nachgeschlagen werden' in third.stderr
    assert cache_file(site_copy).read_text("utf-8") == cached
