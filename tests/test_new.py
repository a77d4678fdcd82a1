"""`wegweiser new` end to end: a subprocess answering questions on stdin, and with flags."""

import yaml
from helpers import wegweiser

ANSWERS = [
    "Sprachcafé am Hafen",  # name
    "3",  # category: Netzwerk (third in the fixture list)
    "leer",  # municipality, any case
    "Jeden Dienstag Deutsch üben bei Kaffee und Tee.",
    "Hafenstraße 3",
    "26789",
    "0491 12345",
    "keine-adresse",  # e-mail: wrong, asked again after the check
    "",  # website: left empty
    "",  # opening hours
    "3",  # appointment: not needed
    "kostenlos",  # cost: a label works as well as a number
    "",  # wheelchair: left empty
    "Bus 610 bis Hafen",  # transport
    "Ehrenamt Sprachcafé",
    "2",  # method: e-mail
    "info@sprachcafe.example.org",  # the e-mail again, now right
]


def new(root, *args, stdin=""):
    env = {"SOURCE_DATE_EPOCH": "1793491200"}  # 2026-11-01
    return wegweiser("new", "--root", root, *args, stdin=stdin, env=env)


def check(root):
    return wegweiser("check", "--root", root)


def test_questions_on_stdin_write_a_valid_entry(site_copy):
    result = new(site_copy, stdin="\n".join(ANSWERS) + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("Neuer Eintrag: entries/leer/sprachcafe-am-hafen.yml")
    assert '"keine-adresse" ist keine gültige E-Mail-Adresse' in result.stderr
    text = (site_copy / "entries/leer/sprachcafe-am-hafen.yml").read_text("utf-8")
    assert text.startswith("# Dieser Eintrag wurde mit „wegweiser new“ angelegt.")
    assert "# Telefon. Eine Telefonnummer" in text  # annotated
    data = yaml.safe_load(text)
    assert data["category"] == "netzwerk"
    assert data["address"] == {"street": "Hafenstraße 3", "postcode": "26789", "city": "Leer"}
    assert data["verified"] == {
        "date": "2026-11-01",
        "by": "Ehrenamt Sprachcafé",
        "method": "email",
    }
    assert "website" not in data and "accessibility" not in data
    assert (data["appointment"], data["cost"]) == ({"need": "not_needed"}, {"fee": "free"})
    assert data["transport"] == "Bus 610 bis Hafen"
    assert check(site_copy).returncode == 0


def test_flags_only_and_no_overwrite(site_copy):
    flags = [
        "--no-input",
        "--name",
        "Treff: Café International",
        "--category",
        "Netzwerk",  # the label works as well as the identifier
        "--city",
        "bunde",
        "--summary",
        "Ein Treffpunkt für alle, jeden Freitag.",
        "--verified-by",
        "Redaktion",
        "--date",
        "2026-10-01",
    ]
    first = new(site_copy, *flags)
    assert first.returncode == 0, first.stderr
    path = site_copy / "entries/bunde/treff-cafe-international.yml"
    assert yaml.safe_load(path.read_text("utf-8"))["name"] == "Treff: Café International"
    before = path.read_bytes()
    again = new(site_copy, *flags)
    assert again.returncode == 1
    assert "gibt es schon; nichts überschrieben" in again.stderr
    assert path.read_bytes() == before
    assert check(site_copy).returncode == 0


def test_missing_flags_without_questions(site_copy):
    result = new(site_copy, "--no-input", "--name", "Nur ein Name")
    assert result.returncode == 2
    assert "--category, --city, --summary, --verified-by" in result.stderr
    assert "Traceback" not in result.stderr


def test_hostile_answers_stay_values(site_copy):
    flags = [
        "--no-input",
        "--name",
        "Böse &anker *alias !!python/object",
        "--category",
        "netzwerk",
        "--city",
        "Leer",
        "--summary",
        "Zeile eins\nname: überschrieben",
        "--verified-by",
        "Redaktion",
    ]
    result = new(site_copy, *flags)
    assert result.returncode == 0, result.stderr
    path = site_copy / "entries/leer/boese-anker-alias-python-object.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["name"] == "Böse &anker *alias !!python/object"
    assert data["summary"] == "Zeile eins name: überschrieben"


def test_write_failure_is_a_message_not_a_traceback(site_copy):
    # A file where the municipality's folder should be: writing fails even for root.
    (site_copy / "entries" / "bunde").write_text("", "utf-8")
    flags = ["--no-input", "--name", "Neuer Ort", "--category", "netzwerk", "--city", "Bunde"]
    result = new(site_copy, *flags, "--summary", "Ein neuer Ort in Bunde.", "--verified-by", "Rd")
    assert result.returncode == 2
    assert "Lesen oder Schreiben ging nicht" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(site_copy.glob("entries/**/.*.tmp"))
