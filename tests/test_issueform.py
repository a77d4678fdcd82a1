"""`wegweiser from-issue` on bodies in GitHub's format for submitted issue forms."""

import pytest
import yaml
from helpers import REPO, wegweiser

FORMS = REPO / ".github" / "ISSUE_TEMPLATE"

# Exactly as GitHub writes a submitted "Neuen Ort vorschlagen" form (CRLF line ends included).
NEW_PLACE = (
    "### Name des Ortes\r\n\r\nSprachcafé am Hafen\r\n\r\n"
    "### Art der Stelle\r\n\r\nNetzwerk\r\n\r\n"
    "### Kurzbeschreibung\r\n\r\nJeden Dienstag Deutsch üben\r\nbei Kaffee und Tee.\r\n\r\n"
    "### Gemeinde\r\n\r\nleer\r\n\r\n"
    "### Straße und Hausnummer\r\n\r\nHafenstraße 3\r\n\r\n"
    "### Postleitzahl\r\n\r\n26789\r\n\r\n"
    "### Telefon\r\n\r\n_No response_\r\n\r\n"
    "### E-Mail\r\n\r\n_No response_\r\n\r\n"
    "### Webseite\r\n\r\n_No response_\r\n\r\n"
    "### Öffnungszeiten\r\n\r\nTu 15:00-17:00\r\n\r\n"
    "### Beschreibung\r\n\r\nWir treffen uns im Gemeindehaus.\r\n\r\nAlle sind willkommen.\r\n\r\n"
    "### Wer hat die Angaben geprüft?\r\n\r\nEhrenamt Sprachcafé\r\n\r\n"
    "### Woher stammen die Angaben?\r\n\r\nAuskunft der Stelle selbst\r\n\r\n"
    "### Einverständnis\r\n\r\n- [X] Die Angaben dürfen veröffentlicht werden "
    "(keine Namen von Personen ohne deren Einverständnis)."
)


def form_body(answers: dict[str, str], form: str = "neuer-ort.yml") -> str:
    """A body as GitHub renders it, from answers by field id (missing = no response)."""
    spec = yaml.safe_load((FORMS / form).read_text("utf-8"))
    parts = []
    for field in spec["body"]:
        if field["type"] == "markdown":
            continue
        value = answers.get(field["id"], "") or "_No response_"
        parts.append(f"### {field['attributes']['label']}\n\n{value}")
    return "\n\n".join(parts)


def from_issue(root, body: str, *args):
    env = {"SOURCE_DATE_EPOCH": "1793491200"}  # 2026-11-01
    args = ("from-issue", "-", "--root", root, "--forms-dir", FORMS, *args)
    return wegweiser(*args, stdin=body.encode("utf-8"), env=env)


def out(result):
    return result.stdout.decode(), result.stderr.decode()


def check(root):
    return wegweiser("check", "--root", root)


def test_new_place_form_becomes_a_valid_entry(site_copy, tmp_path):
    summary = tmp_path / "pr.md"
    result = from_issue(site_copy, NEW_PLACE, "--summary", str(summary))
    stdout, stderr = out(result)
    assert result.returncode == 0, stderr
    assert stdout.strip() == "entries/leer/sprachcafe-am-hafen.yml"
    data = yaml.safe_load((site_copy / stdout.strip()).read_text("utf-8"))
    assert data["category"] == "netzwerk"
    assert data["summary"] == "Jeden Dienstag Deutsch üben bei Kaffee und Tee."
    assert data["description"] == "Wir treffen uns im Gemeindehaus.\n\nAlle sind willkommen."
    assert data["verified"] == {"date": "2026-11-01", "by": "Ehrenamt Sprachcafé", "method": "self"}
    assert "phone" not in data
    assert check(site_copy).returncode == 0
    assert "sprachcafe\\-am\\-hafen" in summary.read_text("utf-8")
    assert "**Geprüft von (laut Formular):** Ehrenamt Sprachcafé" in summary.read_text("utf-8")


def test_form_options_match_the_lists():
    from wegweiser.core.fields import format_checker
    from wegweiser.core.lists import load_lists

    spec = yaml.safe_load((FORMS / "neuer-ort.yml").read_text("utf-8"))
    options = next(f for f in spec["body"] if f.get("id") == "category")["attributes"]["options"]
    lists, _ = load_lists(REPO / "entries", REPO, format_checker())
    assert options == [t.name for t in lists["categories"].values()]


HOSTILE = {
    "name": "<script>alert(1)</script>\nname: x",
    "category": "Netzwerk",
    "summary": "&anchor *alias !!python/object/apply:os.system ['rm -rf /'] {{ 7*7 }}",
    "city": "Leer",
    "street": "Hafenstraße 3\ncategory: frauenhaus",
    "verified_by": "Redaktion ${{ github.token }}",
    "description": "<img src=x onerror=alert(1)>\n\n---\nname: zweites Dokument",
    "consent": "- [X] ok",
}


def test_hostile_form_stays_text(site_copy):
    result = from_issue(site_copy, form_body(HOSTILE))
    stdout, stderr = out(result)
    assert result.returncode == 0, stderr
    path = site_copy / stdout.strip()
    assert path.parent == site_copy / "entries" / "leer"
    assert path.name == "script-alert-1-script-name-x.yml"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["name"] == "<script>alert(1)</script> name: x"  # one line, still text
    assert data["category"] == "netzwerk"
    assert data["address"]["street"] == "Hafenstraße 3 category: frauenhaus"
    assert data["summary"].startswith("&anchor *alias !!python")
    assert data["description"].endswith("---\nname: zweites Dokument")
    assert check(site_copy).returncode == 0


def test_a_faked_heading_inside_an_answer_is_refused(site_copy):
    body = form_body({**HOSTILE, "summary": "Text\n### Gemeinde\n\nBunde"})
    result = from_issue(site_copy, body)
    _stdout, stderr = out(result)
    assert result.returncode == 2
    assert "issue:" in stderr and 'Die Überschrift "Gemeinde" steht doppelt' in stderr
    assert not list((site_copy / "entries").rglob("script-*"))


@pytest.mark.parametrize(
    "name, slug",
    [
        ("../../../etc/passwd", "etc-passwd"),
        ("..", "netzwerk-leer"),
        ("CON", "con-ort"),
        ("مركز", "netzwerk-leer"),
    ],
)
def test_path_tricks_in_the_name(site_copy, name, slug):
    result = from_issue(site_copy, form_body({**HOSTILE, "name": name}))
    _stdout, stderr = out(result)
    made = [p for p in (site_copy / "entries").rglob("*.yml") if "_lists" not in p.parts]
    inside = all(p.resolve().is_relative_to((site_copy / "entries").resolve()) for p in made)
    assert inside
    if slug:
        assert result.returncode == 0, stderr
        assert (site_copy / "entries" / "leer" / f"{slug}.yml").is_file()
    else:
        assert result.returncode in (0, 1), stderr
        assert "Traceback" not in stderr


def test_huge_body_is_refused_without_reading_it_all(site_copy):
    result = from_issue(site_copy, NEW_PLACE + "x" * 300_000)
    _stdout, stderr = out(result)
    assert result.returncode == 2
    assert "zu lang" in stderr and "Traceback" not in stderr


def test_control_characters_are_refused(site_copy):
    result = from_issue(site_copy, form_body({**HOSTILE, "summary": "Text mit \x1b[31m Farbe"}))
    _stdout, stderr = out(result)
    assert result.returncode == 2
    assert "U+001B" in stderr


def test_invalid_answers_are_reported_not_written(site_copy):
    result = from_issue(site_copy, form_body({**HOSTILE, "city": "Atlantis", "phone": "abc"}))
    _stdout, stderr = out(result)
    assert result.returncode == 1
    assert '"Atlantis" steht nicht in der Liste' in stderr
    assert not list((site_copy / "entries").rglob("script-*"))


KOORD = "entries/leer/koordinierungsstelle-migration-und-teilhabe.yml"


def test_correction_changes_only_the_reported_fields(site_copy):
    before = (site_copy / KOORD).read_text("utf-8")
    body = form_body(
        {
            "eintrag": "https://wegweiser.test/orte/koordinierungsstelle-migration-und-teilhabe/",
            "status": "Einiges hat sich geändert (unten eintragen)",
            "was": "Neue Nummer seit Oktober. <b>@admin</b>",
            "phone": "0491 999028-55",
            "verified_by": "Telefonat mit der Stelle",
            "method": "Anruf",
        },
        "info-falsch.yml",
    )
    result = from_issue(site_copy, body)
    stdout, stderr = out(result)
    assert result.returncode == 0, stderr
    assert stdout.strip() == KOORD
    after = (site_copy / KOORD).read_text("utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b
    ]
    assert [b.strip() for _a, b in changed] == [
        'phone: "0491 999028-55"',
        "date: 2026-11-01",
        'by: "Telefonat mit der Stelle"',
        'method: "phone"',
    ]
    data = yaml.safe_load(after)
    assert data["phone"] == "0491 999028-55"
    assert str(data["verified"]["date"]) == "2026-11-01"
    assert data["verified"]["method"] == "phone"
    assert check(site_copy).returncode == 0


def test_correction_all_still_right_only_renews_the_date(site_copy):
    before = (site_copy / KOORD).read_text("utf-8")
    body = form_body(
        {
            "eintrag": KOORD,
            "status": "Alles stimmt noch (nur den Stand erneuern)",
            "phone": "0000 ignoriert",
            "verified_by": "Jemand anderes",
            "method": "Anruf",
        },
        "info-falsch.yml",
    )
    result = from_issue(site_copy, body)
    assert result.returncode == 0, out(result)[1]
    after = (site_copy / KOORD).read_text("utf-8")
    assert after == before.replace("2026-01-15", "2026-11-01")


def test_correction_of_an_unknown_entry(site_copy):
    body = form_body(
        {"eintrag": "../../mkdocs.yml", "status": "Den Ort gibt es nicht mehr", "verified_by": "x"},
        "info-falsch.yml",
    )
    result = from_issue(site_copy, body)
    assert result.returncode == 1
    assert "finden wir nicht" in out(result)[1]
    assert (site_copy / "mkdocs.yml").is_file()


def test_place_gone_removes_the_file(site_copy):
    body = form_body(
        {
            "eintrag": "entries/erkelenz/runder-tisch-test.yml",
            "status": "Den Ort gibt es nicht mehr",
            "verified_by": "Redaktion",
        },
        "info-falsch.yml",
    )
    result = from_issue(site_copy, body)
    assert result.returncode == 0, out(result)[1]
    assert not (site_copy / "entries/erkelenz/runder-tisch-test.yml").exists()


def test_problems_are_written_for_the_issue_comment(site_copy, tmp_path):
    summary = tmp_path / "kommentar.md"
    body = form_body({**HOSTILE, "city": "Atlantis <b>```"})
    result = from_issue(site_copy, body, "--summary", str(summary))
    assert result.returncode == 1
    text = summary.read_text("utf-8")
    assert text.startswith("Das Formular konnte nicht übernommen werden:")
    assert "Atlantis \\<b\\>\\`\\`\\`" in text and "<b>" not in text


def test_missing_body_file_is_a_message(site_copy, tmp_path):
    result = wegweiser(
        "from-issue", tmp_path / "fehlt.md", "--root", site_copy, "--forms-dir", FORMS
    )
    assert result.returncode == 2
    assert "fehlt.md:1:1: error: Die Datei lässt sich nicht lesen" in result.stderr
    assert "Traceback" not in result.stderr


def test_appointment_cost_wheelchair_and_transport_from_the_form(site_copy):
    answers = {
        "name": "Beratung am Markt",
        "category": "Netzwerk",
        "summary": "Beratung für Familien am Markt in Leer.",
        "city": "Leer",
        "appointment": "Termin empfohlen",
        "cost": "Kostenlos",
        "wheelchair": "Teilweise",
        "transport": "Bus 610 bis Markt",
        "verified_by": "Redaktion",
    }
    result = from_issue(site_copy, form_body(answers))
    stdout, stderr = out(result)
    assert result.returncode == 0, stderr
    data = yaml.safe_load((site_copy / stdout.strip()).read_text("utf-8"))
    assert data["appointment"] == {"need": "recommended"}
    assert data["cost"] == {"fee": "free"}
    assert data["accessibility"] == {"wheelchair": "limited"}
    assert data["transport"] == "Bus 610 bis Markt"
    assert check(site_copy).returncode == 0


def test_form_dropdowns_are_the_words_the_command_knows():
    from wegweiser.editorial.new import _words, fixed_options

    spec = yaml.safe_load((FORMS / "neuer-ort.yml").read_text("utf-8"))
    for name in ("appointment", "cost", "wheelchair"):
        field = next(f for f in spec["body"] if f.get("id") == name)
        labels = [label for _value, label in fixed_options(name, _words("de"))]
        assert field["attributes"]["options"] == labels, name
