"""Validation: every invalid fixture file gives exactly its expected messages."""

import datetime as dt
import shutil
import unicodedata
from pathlib import Path

import pytest
from helpers import FIXTURES
from wegweiser.core.findings import format_github, format_text
from wegweiser.core.validate import Validator, check_directory, slugify

TODAY = dt.date(2026, 11, 24)
INVALID = sorted((FIXTURES / "invalid").glob("*.yml"))


@pytest.fixture(scope="module")
def validator():
    return Validator(FIXTURES, FIXTURES / "site" / "entries", today=TODAY)


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture_gives_exact_messages(validator, path):
    entry, findings = validator.check_file(path)
    expected = path.with_suffix(".expected").read_text("utf-8")
    assert entry is None
    assert "\n".join(format_text(f) for f in sorted(findings)) + "\n" == expected


def test_there_are_many_invalid_fixtures():
    assert len(INVALID) >= 25


def test_fixture_site_is_valid_and_typed():
    result = check_directory(FIXTURES / "site", today=TODAY)
    assert result.findings == []
    entry = result.directory.entries["koordinierungsstelle-migration-und-teilhabe"]
    assert entry.address["postcode"] == "26789"
    assert entry.get("languages") == ["de", "en", "no"]
    assert entry.tel == {"0491 999028-21": "+4949199902821"}
    assert entry.verified_on == dt.date(2026, 1, 15)


def test_boolean_and_number_fields_are_typed(tmp_path, validator):
    path = tmp_path / "ort-mit-lage.yml"
    path.write_text(
        "name: Ort mit Lage\ncategory: netzwerk\nsummary: Ein Ort mit Koordinaten.\n"
        "address: {city: Leer}\nlocation: {lat: 53.23, lon: 7.45}\nexample: true\n"
        "verified: {date: 2026-01-01, by: Redaktion}\n",
        "utf-8",
    )
    entry, findings = validator.check_file(path)
    assert findings == []
    assert entry.get("location") == {"lat": 53.23, "lon": 7.45}
    assert entry.get("example") is True


def test_english_messages(validator):
    _, findings = validator.check_file(FIXTURES / "invalid" / "unknown-key.yml")
    assert format_text(max(findings), "en") == (
        'invalid/unknown-key.yml:4:1: error: Unknown field "adress" — Did you mean address?'
    )


def test_github_annotation_escapes_injected_commands(validator, tmp_path):
    path = tmp_path / "x.yml"
    path.write_text('name: Ort\ncategory: "x\\n::stop-commands::token%0A"\n', "utf-8")
    _, findings = validator.check_file(path)
    lines = [format_github(f) for f in findings]
    assert all(line.count("\n") == 0 for line in lines)
    assert any(line.startswith("::error file=") and ",line=2,col=11::" in line for line in lines)
    assert not any("\n::stop-commands::" in line for line in lines)
    assert any('"x<U+000A>::stop-commands::token%250A"' in line for line in lines)


def _site_with(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "site" / "entries", root / "entries")
    for name, text in files.items():
        (root / "entries" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "entries" / name).write_text(text, "utf-8")
    return root


ENTRY = (
    "name: {name}\ncategory: netzwerk\nsummary: Ein Netzwerk für die Prüfung.\n"
    "address: {{street: Hauptstraße 1, city: Leer}}\n"
    "verified: {{date: 2026-01-01, by: Redaktion}}\n"
)


def test_cross_entry_checks(tmp_path):
    root = _site_with(
        tmp_path,
        {
            "leer/netz-a.yml": ENTRY.format(name="Netz A") + "members: [netz-b, gibt-es-nicht]\n",
            "leer/netz-b.yml": ENTRY.format(name="Netz B") + "part_of: netz-b\n",
            "leer/netz-c.yml": ENTRY.format(name="Netz A"),
            "bunde/netz-c.yml": ENTRY.format(name="Netz C"),
            "leer/Gross.yml": ENTRY.format(name="Gross"),
            "leer/con.yml": ENTRY.format(name="Con"),
            "leer/alt.yaml": ENTRY.format(name="Alt"),
            "Leer Stadt/ok.yml": ENTRY.format(name="Ok"),
        },
    )
    result = check_directory(root, today=TODAY)
    got = {format_text(f) for f in result.findings}
    assert got == {
        'entries/Leer Stadt:1:1: error: Ordnername "Leer Stadt" ist nicht erlaubt — Nur kleine Buchstaben a-z, Ziffern und Bindestriche, z. B. leer-stadt.',
        'entries/leer/Gross.yml:1:1: error: Dateiname "Gross.yml" ist nicht erlaubt — Nur kleine Buchstaben a-z, Ziffern und Bindestriche, ohne Umlaute, z. B. gross.yml.',
        'entries/leer/con.yml:1:1: error: Dateiname "con.yml" ist nicht erlaubt — Nur kleine Buchstaben a-z, Ziffern und Bindestriche, ohne Umlaute, z. B. con-ort.yml.',
        'entries/leer/alt.yaml:1:1: error: Dateiname "alt.yaml" endet nicht auf .yml — Benennen Sie die Datei um, damit sie auf .yml endet.',
        'entries/leer/netz-a.yml:6:19: error: members: Den Eintrag "gibt-es-nicht" gibt es nicht — Schreiben Sie den Dateinamen eines Eintrags ohne .yml.',
        'entries/leer/netz-b.yml:6:10: error: part_of verweist auf den Eintrag selbst ("netz-b") — Nennen Sie einen anderen Eintrag oder löschen Sie das Feld.',
        'entries/leer/netz-c.yml:1:1: error: Den Dateinamen "netz-c" gibt es schon: entries/bunde/netz-c.yml — Jeder Eintrag braucht einen eigenen Dateinamen; hängen Sie z. B. den Ort an.',
    }
    assert "netz-a" not in result.directory.entries  # an entry with an error stays out of the site
    assert "ok" in result.directory.entries


def test_likely_duplicate_is_a_warning(tmp_path):
    root = _site_with(
        tmp_path,
        {
            "leer/netz-a.yml": ENTRY.format(name="Netz A"),
            "leer/netz-a-zwei.yml": ENTRY.format(name="Netz  A"),
        },
    )
    result = check_directory(root, today=TODAY)
    assert [(f.severity, f.code, f.path) for f in result.findings] == [
        ("warning", "entry.likely_duplicate", "entries/leer/netz-a.yml")
    ]
    assert {"netz-a", "netz-a-zwei"} <= set(result.directory.entries)


LOOKALIKE_HINT = (
    "Prüfen Sie, ob es derselbe Ort ist, und löschen Sie dann eine Datei. Zeichen aus einer "
    "anderen Schrift (z. B. kyrillisches М statt M) können auch einen Ort vortäuschen."
)


def _lookalike(slug: str, name: str, here: str, there: str, other: str = "a-original") -> str:
    return (
        f'entries/leer/{slug}.yml:1:7: warning: Wahrscheinlich doppelt: "{name}" mit gleicher '
        f"Adresse steht auch in entries/leer/{other}.yml – sieht gleich aus, ist aber anders "
        f"geschrieben (hier {here}, dort {there}) — {LOOKALIKE_HINT}"
    )


def test_names_that_only_look_alike_are_likely_duplicates(tmp_path):
    """NFD for NFC, a Cyrillic or Greek letter for a Latin one, full-width letters: the
    warning says so and names the code points; different names and places stay silent."""
    nfd = unicodedata.normalize("NFD", "Müller Haus")
    root = _site_with(
        tmp_path,
        {
            "leer/a-original.yml": ENTRY.format(name="Müller Haus"),
            "leer/b-nfd.yml": ENTRY.format(name=nfd),
            "leer/c-cyrillic.yml": ENTRY.format(name="Мüller Haus"),
            "leer/d-greek.yml": ENTRY.format(name="Müller Ηaus"),
            "leer/e-wide.yml": ENTRY.format(name="Ｍüller Haus"),
            "leer/f-other.yml": ENTRY.format(name="Möller Haus"),
            "leer/g-other-street.yml": ENTRY.format(name="Мüller Haus").replace(" 1,", " 2,"),
            "leer/h-integration.yml": ENTRY.format(name="Integration Leer"),
            "leer/i-cyrillic-i.yml": ENTRY.format(name="Іntegration Leer"),  # capital І
            "leer/j-small-i.yml": ENTRY.format(name="іntegration leer"),  # small і
        },
    )
    result = check_directory(root, today=TODAY)
    assert [format_text(f) for f in result.findings] == [
        _lookalike("b-nfd", nfd, "U+0075 U+0308", "U+00FC"),
        _lookalike("c-cyrillic", "Мüller Haus", "U+041C", "U+004D"),
        _lookalike("d-greek", "Müller Ηaus", "U+0397", "U+0048"),
        _lookalike("e-wide", "Ｍüller Haus", "U+FF2D", "U+004D"),
        _lookalike("i-cyrillic-i", "Іntegration Leer", "U+0406", "U+0049", "h-integration"),
        _lookalike(
            "j-small-i", "іntegration leer", "U+0456, U+006C", "U+0049, U+004C", "h-integration"
        ),
    ]
    assert format_text(result.findings[1], "en") == (
        'entries/leer/c-cyrillic.yml:1:7: warning: Likely a duplicate: "Мüller Haus" with the '
        "same address is also in entries/leer/a-original.yml – it looks the same but is written "
        "differently (here U+041C, there U+004D) — Check whether it is the same place, then "
        "delete one file. Letters of another script (e.g. Cyrillic М for M) can also imitate a "
        "place."
    )
    assert all(f.severity == "warning" for f in result.findings)
    assert {"a-original", "b-nfd", "c-cyrillic", "f-other"} <= set(result.directory.entries)


def test_an_address_that_only_looks_alike_is_the_same_place(tmp_path):
    """The same name at "Hauptstraße 1" written with a Cyrillic а: the street's code points."""
    root = _site_with(
        tmp_path,
        {
            "leer/a-original.yml": ENTRY.format(name="Netz A"),
            "leer/b-street.yml": ENTRY.format(name="Netz A").replace("Haupt", "Hаupt"),
        },
    )
    assert [format_text(f) for f in check_directory(root, today=TODAY).findings] == [
        _lookalike("b-street", "Netz A", "U+0430", "U+0061")
    ]


def test_skeleton_follows_unicode_tr39():
    """The prototypes recovered from confusable_homoglyphs' two-way table: Cyrillic and
    Greek capitals meet Latin ones, Cyrillic "І" and Latin "I" both become "l"; every
    prototype is its own (so a newer table that broke the recovery would show here)."""
    from confusable_homoglyphs.confusables import confusables_data
    from wegweiser.core import lookalike

    assert {lookalike.prototype(c) for c in "MМΜ"} == {"M"}
    assert {lookalike.prototype(c) for c in "IІΙl1"} == {"l"}
    assert {lookalike.prototype(c) for c in "oοо"} == {"o"}
    assert lookalike.prototype("ü") == "ü" and lookalike.prototype("m") == "rn"
    assert lookalike.skeleton("Мüller") == lookalike.skeleton(
        unicodedata.normalize("NFD", "Müller")
    )
    for char in (c for c in confusables_data if len(c) == 1):
        target = lookalike.prototype(char)
        assert len(target) > 1 or lookalike.prototype(target) == target, char


def test_a_host_wholly_in_another_script_is_a_warning_with_its_punycode(validator, tmp_path):
    """аррӏе.com (Cyrillic) and links in Markdown: a warning at the address, naming the
    xn-- form; a Latin host with an umlaut, or already in punycode, passes silently."""
    path = tmp_path / "webseite.yml"

    def check(website: str, description: str = "Ein Ort."):
        path.write_text(
            ENTRY.format(name="Ort") + f"website: {website}\ndescription: '{description}'\n",
            "utf-8",
        )
        entry, findings = validator.check_file(path)
        assert entry is not None
        return [format_text(f, "en").replace(str(path), path.name) for f in sorted(findings)]

    assert check("https://аррӏе.com/kontakt") == [
        f'{path.name}:6:10: warning: website: in the host name "аррӏе.com", "аррӏе" is not in '
        "Latin letters; the link leads to xn--80ak6aa92e.com — Check that this is the right "
        "site: letters of another script can imitate a known address (Cyrillic аррӏе.com for "
        "apple.com)."
    ]
    assert check("https://example.сом/", "Siehe [hier](https://ραρα.de/x).") == [
        f'{path.name}:6:10: warning: website: in the host name "example.сом", "сом" is not in '
        "Latin letters; the link leads to example.xn--l1adi — Check that this is the right site: "
        "letters of another script can imitate a known address (Cyrillic аррӏе.com for apple.com).",
        f'{path.name}:7:14: warning: description: in the host name "ραρα.de", "ραρα" is not in '
        "Latin letters; the link leads to xn--mxaa0cb.de — Check that this is the right site: "
        "letters of another script can imitate a known address (Cyrillic аррӏе.com for apple.com).",
    ]
    assert check("https://müller.de/", "[Beratung](https://www.straße.de/)") == []
    assert check("https://xn--80ak6aa92e.com/") == []


def test_symlink_is_refused(tmp_path):
    secret = tmp_path / "secret.yml"
    secret.write_text(ENTRY.format(name="Geheim"), "utf-8")
    root = _site_with(tmp_path, {})
    (root / "entries" / "leer" / "link.yml").symlink_to(secret)
    codes = [f.code for f in check_directory(root, today=TODAY).findings]
    assert codes == ["file.symlink"]


def test_broken_list_file_is_reported_not_crashed(tmp_path):
    root = _site_with(tmp_path, {"_lists/topics.yml": "- id: Familie\n  name: Familie\n- id: x\n"})
    got = [format_text(f) for f in check_directory(root, today=TODAY).findings]
    assert got[:2] == [
        'entries/_lists/topics.yml:1:7: error: Kennung "Familie" ist nicht erlaubt — Nur kleine Buchstaben a-z, Ziffern und Bindestriche, z. B. familienstuetzpunkt.',
        "entries/_lists/topics.yml:3:3: error: Pflichtfeld name fehlt in [2] — Ergänzen Sie name: mit einem Wert; siehe Vorlage entries/_template.yml.",
    ]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Familienstützpunkt Bunde", "familienstuetzpunkt-bunde"),
        (
            "Runder Tisch – Integration (Rhein-Erft-Kreis)",
            "runder-tisch-integration-rhein-erft-kreis",
        ),
        ("Straße ÄÖÜ", "strasse-aeoeue"),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_message_can_be_formatted(lang):
    """A brace in a text is a placeholder for str.format: a lone "{" crashed the message."""
    import collections

    from wegweiser.core.findings import catalog

    for entry in catalog(lang).values():
        for part in ("text", "hint"):
            entry.get(part, "").format_map(collections.defaultdict(str))


def test_each_phone_number_is_parsed_once_and_a_bad_one_fails_every_time(monkeypatch):
    """The schema's format check and the tel: link both ask; phonenumbers answers once."""
    import phonenumbers
    from wegweiser.core import fields

    fields._e164.cache_clear()
    calls = []
    real_parse = phonenumbers.parse
    monkeypatch.setattr(phonenumbers, "parse", lambda *a: calls.append(a) or real_parse(*a))
    for _ in range(3):
        assert fields.normalise_phone("0491 999028-21") == "+4949199902821"
    assert len(calls) == 1
    for _ in range(2):
        with pytest.raises(fields.FieldProblem) as info:
            fields.normalise_phone("0491 1")
        assert info.value.code == "format.phone"
    assert len(calls) == 3
    with pytest.raises(fields.FieldProblem) as info:
        fields.normalise_phone("0491 abc")
    assert info.value.code == "format.phone_chars"


def test_municipality_is_found_by_name_first_of_a_name_wins():
    from wegweiser.core.lists import Lists, Term

    lists = Lists(
        {
            "municipalities": {
                "odd": Term("odd", ["Leer"]),  # a name that is not text (a broken list)
                "leer": Term("leer", "Leer"),
                "leer-2": Term("leer-2", "Leer"),
                "bunde": Term("bunde", "Bunde"),
            }
        }
    )
    assert lists.municipality_by_name("Leer").id == "leer"
    assert lists.municipality_by_name("Bunde").id == "bunde"
    assert lists.municipality_by_name("Weener") is None
    assert lists.municipality_by_name(["Leer"]).id == "odd"  # not hashable: compared one by one
