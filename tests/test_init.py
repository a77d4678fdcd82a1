"""`wegweiser init`: a region's own Wegweiser, end to end with flags and through stdin; bad
answers and existing files refused with a message and nothing written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from helpers import REGION, REPO, init_instance, mkdocs_build, readme_command, wegweiser
from wegweiser import __version__, exports, pipeline
from wegweiser.core.validate import check_directory
from wegweiser.editorial import instance
from wegweiser.settings import check as check_settings

DEMO = "wegweiser-demo"


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """The README's third command, run as written (into a sibling folder)."""
    base = tmp_path_factory.mktemp("init")
    run = init_instance(base / "mein-kreis")
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr == ""
    return base / "mein-kreis"


@pytest.fixture(scope="module")
def made_site(made, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("init-site") / "site"
    result = mkdocs_build(made, out)
    assert result.returncode == 0, result.stderr
    return out


def every_file(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_readme_command_is_the_one_the_tests_run():
    command = readme_command("wegweiser init ../mein-kreis")
    assert command[:3] == [".venv/bin/wegweiser", "init", "../mein-kreis"]
    assert "--no-input" in command and f"--name={REGION['name']}" not in command
    assert command[command.index("--municipality") + 1] == "Musterstadt;12345;53.2,7.4"


def test_init_writes_the_engine_unchanged_and_the_region_its_own_files(made):
    files = every_file(made)
    engine = instance.engine_files(REPO)
    for path in engine:
        assert files[path] == (REPO / path).read_bytes(), path
    assert (made / ".ci/propose-pr").stat().st_mode & 0o111, "scripts stay executable"
    for workflow in (made / ".github/workflows").glob("*.yml"):  # what the workflows call
        for called in re.findall(r"(?:\.ci|scripts)/[\w.-]+", workflow.read_text("utf-8")):
            assert (made / called).is_file(), f"{workflow.name} calls {called}"
    own = sorted(set(files) - set(engine))
    assert own == [
        ".github/CODEOWNERS",
        ".github/ISSUE_TEMPLATE/config.yml",
        ".github/ISSUE_TEMPLATE/info-falsch.yml",
        ".github/ISSUE_TEMPLATE/neuer-ort.yml",
        "CONTRIBUTING.md",
        "README.md",
        "SECURITY.md",
        "docs/barrierefreiheit.md",
        "docs/daten/hsds.md",
        "docs/datenschutz.md",
        "docs/en/barrierefreiheit.md",
        "docs/en/datenschutz.md",
        "docs/en/impressum.md",
        "docs/en/mitmachen.md",
        "docs/impressum.md",
        "docs/mitmachen.md",
        "entries/_lists/audiences.yml",
        "entries/_lists/categories.yml",
        "entries/_lists/languages.yml",
        "entries/_lists/municipalities.yml",
        "entries/_lists/topics.yml",
        "entries/_template.yml",
        "mkdocs.yml",
        "overrides/README.md",
        "overrides/locales/de.yml",
    ]
    assert not any(instance.is_engine_file(path) for path in own)
    assert not [p for p in files if p.startswith("entries/") and not p.startswith("entries/_")]


def test_nothing_in_the_new_repository_names_the_demo(made):
    named = [path for path, data in every_file(made).items() if DEMO.encode() in data]
    assert named == []
    template = (made / "entries/_template.yml").read_text("utf-8")
    assert "\ncity: Musterstadt" in template.replace("  city:", "\ncity:")
    assert "entries/musterstadt/" in (made / "CONTRIBUTING.md").read_text("utf-8")
    owners = (made / ".github/CODEOWNERS").read_text("utf-8")
    assert "@musterland/kernteam" in owners and "@musterland/redaktion" in owners
    forms = (made / ".github/ISSUE_TEMPLATE/config.yml").read_text("utf-8")
    assert f"{REGION['repo']}/blob/main/CONTRIBUTING.md" in forms
    assert f"**{REGION['email']}**" in (made / "SECURITY.md").read_text("utf-8")


def test_the_settings_and_the_municipality_are_the_regions(made):
    config = yaml.safe_load((made / "mkdocs.yml").read_text("utf-8"))
    extra = config["extra"]["wegweiser"]
    assert check_settings(extra, made / "mkdocs.yml") == []
    assert config["site_name"] == "Wegweiser Landkreis Musterland"
    assert config["site_url"] == "https://musterland.github.io/wegweiser/"
    assert extra["repo_url"] == REGION["repo"]
    assert extra["operator"]["name"] == REGION["name"]
    assert extra["operator"]["email"] == REGION["email"]
    assert extra["geocoding"]["contact"] == REGION["email"]
    assert extra["data_license"]["attribution"] == "Wegweiser Landkreis Musterland"
    assert extra["languages"] == ["de", "en", "ar", "fa", "uk", "ru", "tr"]
    assert config["theme"]["language"] == "de" and "custom_dir" not in config["theme"]
    towns = yaml.safe_load((made / "entries/_lists/municipalities.yml").read_text("utf-8"))
    assert towns == [
        {
            "id": "musterstadt",
            "name": "Musterstadt",
            "kind": "gemeinde",
            "district": "Landkreis Musterland",
            "state": "Niedersachsen",
            "postcodes": ["12345"],
            "centre": {"lat": 53.2, "lon": 7.4},
        }
    ]


def test_check_passes_at_once(made):
    run = wegweiser("check", "--root", made)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stderr.strip() == "Alles in Ordnung: 0 Einträge geprüft."


def test_the_strict_build_passes_and_says_kindly_that_nothing_is_there_yet(made_site):
    home = (made_site / "index.html").read_text("utf-8")
    assert "<h1>Wegweiser Landkreis Musterland</h1>" in home
    assert "Noch ist hier kein Ort eingetragen." in home
    suggest = f"{REGION['repo']}/issues/new?template=neuer-ort.yml&amp;labels=neuer-ort"
    assert f'<a href="{suggest}" rel="nofollow">Einen Ort vorschlagen</a>' in home
    assert "No place has been added yet." in (made_site / "en/index.html").read_text("utf-8")
    search = (made_site / "suche/index.html").read_text("utf-8")
    assert "Hier gibt es noch keine Einträge." in search and "pagefind-ui" not in search
    impressum = (made_site / "impressum/index.html").read_text("utf-8")
    assert "<strong>Landkreis Musterland</strong>" in impressum
    assert f'href="mailto:{REGION["email"]}"' in impressum


def test_nothing_in_the_built_site_names_the_demo(made_site):
    named = [p for p in made_site.rglob("*") if p.is_file() and DEMO.encode() in p.read_bytes()]
    assert named == []


# -- questions on stdin ----------------------------------------------------------------------

ANSWERS = [
    "Stadt Beispielhausen",  # name
    "https://example.org/nicht-github",  # repo: asked again
    "https://github.com/beispielhausen/wegweiser.git",
    "redaktion@beispielhausen.example",
    "nds",  # not a Land: asked again
    "nw",
    "Beispielhausen;4711;51.1,6.3",  # a postcode of four digits: asked again
    "Beispielhausen;47110,47111;51.1,6.3",
    "Kreis Beispiel;;51.0,6.2",
    "",  # all municipalities there
    "",  # operator: the region's name
    "Rathausplatz 1",
    "47110",
    "Beispielhausen",
    "",  # phone
    "Erika Beispiel",
    "de en tr",
    "",  # site: GitHub Pages
]


def test_questions_on_stdin_make_the_same_kind_of_wegweiser(tmp_path):
    run = wegweiser("init", tmp_path / "bh", stdin="\n".join(ANSWERS) + "\n")
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "„https://example.org/nicht-github“ ist keine Adresse eines GitHub-Repositorys" in out
    assert "Bundesland „nds“ unbekannt — ein Kürzel (BW, BY," in out
    assert "„Beispielhausen;4711;51.1,6.3“: Postleitzahl „4711“ hat nicht fünf Ziffern" in out
    assert "Gemeinden: 2." in out
    config = yaml.safe_load((tmp_path / "bh/mkdocs.yml").read_text("utf-8"))
    extra = config["extra"]["wegweiser"]
    assert extra["repo_url"] == "https://github.com/beispielhausen/wegweiser"
    assert config["site_url"] == "https://beispielhausen.github.io/wegweiser/"
    assert extra["languages"] == ["de", "en", "tr"]
    assert extra["operator"] | {} == {
        "name": "Stadt Beispielhausen",
        "street": "Rathausplatz 1",
        "postcode": "47110",
        "city": "Beispielhausen",
        "email": "redaktion@beispielhausen.example",
        "phone": "",
        "responsible": "Erika Beispiel",
    }
    towns = yaml.safe_load((tmp_path / "bh/entries/_lists/municipalities.yml").read_text("utf-8"))
    assert [(t["id"], t["kind"], t["state"], t.get("postcodes")) for t in towns] == [
        ("beispielhausen", "gemeinde", "Nordrhein-Westfalen", ["47110", "47111"]),
        ("kreis-beispiel", "kreis", "Nordrhein-Westfalen", None),
    ]
    assert wegweiser("check", "--root", tmp_path / "bh").returncode == 0


# -- refused ---------------------------------------------------------------------------------

FLAGS = ["--no-input", "--name", "X", "--repo", "https://github.com/x/y"]
FLAGS += ["--operator-email", "a@b.example", "--state", "NI"]


@pytest.mark.parametrize(
    ("municipality", "message"),
    [
        (
            "Musterstadt;12345",
            "--municipality: „Musterstadt;12345“ hat nicht drei Teile mit ; dazwischen — so: Musterstadt;12345;53.2,7.4 (als viertes Teil darf die Art stehen: stadt, gemeinde, samtgemeinde, kreis)",
        ),
        (
            "Musterstadt;1234;53.2,7.4",
            "--municipality: „Musterstadt;1234;53.2,7.4“: Postleitzahl „1234“ hat nicht fünf Ziffern — mehrere mit Komma: Musterstadt;12345,12346;53.2,7.4",
        ),
        (
            "Musterstadt;12345;53,2;7,4",
            "--municipality: „Musterstadt;12345;53,2;7,4“: Art „7,4“ gibt es nicht — erlaubt: stadt, gemeinde, samtgemeinde, kreis",
        ),
        (
            "Musterstadt;12345;Nord,Ost",
            "--municipality: „Musterstadt;12345;Nord,Ost“: „Nord,Ost“ sind nicht zwei Zahlen — Breite,Länge mit Punkt, z. B. 53.2,7.4",
        ),
        (
            "Musterstadt;12345;7.4,53.2",
            "--municipality: „Musterstadt;12345;7.4,53.2“: Die Mitte „7.4,53.2“ liegt nicht in Deutschland; Breite und Länge sind wohl vertauscht — zuerst die Breite (47 bis 55), dann die Länge (6 bis 15)",
        ),
    ],
)
def test_a_malformed_municipality_is_named_and_nothing_is_written(tmp_path, municipality, message):
    run = wegweiser("init", tmp_path / "neu", *FLAGS, "--municipality", municipality)
    assert run.returncode == 2
    assert run.stderr.splitlines() == [message, "Es wurde nichts geschrieben."]
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_missing_answers_without_input_are_named_together(tmp_path):
    run = wegweiser("init", tmp_path / "neu", "--no-input", "--name", "X", "--repo", "nix")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        "--repo: „nix“ ist keine Adresse eines GitHub-Repositorys — so: https://github.com/organisation/wegweiser",
        "Es fehlen Angaben: --operator-email, --state, --municipality. Geben Sie sie als Optionen an oder lassen Sie --no-input weg.",
        "Es wurde nichts geschrieben.",
    ]
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_never_overwritten(tmp_path):
    target = tmp_path / "da"
    (target / "docs").mkdir(parents=True)
    (target / "docs/impressum.md").write_text("# Unser Impressum\n", "utf-8")
    (target / "pyproject.toml").write_bytes((REPO / "pyproject.toml").read_bytes())  # the same
    run = wegweiser("init", target, *FLAGS, "--municipality", "A;12345;53.2,7.4")
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"{target}/docs/impressum.md gibt es schon (mit anderem Inhalt) — init überschreibt nichts: einen neuen oder leeren Ordner wählen oder die Datei entfernen.",
        "Es wurde nichts geschrieben.",
    ]
    assert sorted(every_file(target)) == ["docs/impressum.md", "pyproject.toml"]
    assert [p.name for p in tmp_path.iterdir()] == ["da"]  # no staging folder left behind


def test_a_folder_holding_the_engine_already_is_filled_in(tmp_path):
    """A clone of the branch `engine` (README: another way to start): the same files stay."""
    target = tmp_path / "klon"
    for path in instance.engine_files(REPO)[:5]:
        (target / path).parent.mkdir(parents=True, exist_ok=True)
        (target / path).write_bytes((REPO / path).read_bytes())
    run = wegweiser("init", target, *FLAGS, "--municipality", "A;12345;53.2,7.4")
    assert run.returncode == 0, run.stderr
    assert (target / "mkdocs.yml").is_file() and (target / "hooks/wegweiser_hooks.py").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["klon"]


def test_the_version_has_its_changelog_heading():
    run = wegweiser("--version")
    assert run.stdout.strip() == f"wegweiser {__version__}"
    changelog = (REPO / "CHANGELOG.md").read_text("utf-8")
    assert re.findall(r"^## (\S+)", changelog, re.M)[0] == __version__


# -- from another system's HSDS export -------------------------------------------------------


def test_from_hsds_the_samples_own_export_comes_back_into_a_new_region(tmp_path):
    settings = exports.ExportSettings(site_url="https://wegweiser.example.org/")
    hsds = next(
        item
        for item in exports.build_all(pipeline.offline(REPO).directory, settings)
        if item.name == "hsds.json"
    )
    (tmp_path / "hsds.json").write_bytes(hsds.content)
    target = tmp_path / "neu"
    run = wegweiser(
        "init", target, "--no-input", "--name", "Region Beispiel", "--repo",
        "https://github.com/beispiel/wegweiser", "--operator-email", "r@beispiel.example",
        "--from-hsds", tmp_path / "hsds.json",
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert (
        "22 Einträge angelegt, 0 aktualisiert, 0 schon vorhanden, 0 Zeilen abgelehnt." in run.stdout
    )
    original = check_directory(REPO).directory.entries
    imported = check_directory(target)
    assert imported.errors == [] and imported.findings == []
    assert {s: e.source for s, e in imported.directory.entries.items()} == {
        s: e.source for s, e in original.items()
    }
    for slug, entry in original.items():
        assert imported.directory.entries[slug].data == entry.data, slug
    demo_towns = {
        m["id"]: m
        for m in yaml.safe_load((REPO / "entries/_lists/municipalities.yml").read_text("utf-8"))
    }
    towns = yaml.safe_load((target / "entries/_lists/municipalities.yml").read_text("utf-8"))
    for town in towns:
        demo = demo_towns[town["id"]]
        assert (town["name"], town["district"], town["state"]) == (
            demo["name"], demo["district"], demo["state"],
        )  # fmt: skip
    result = mkdocs_build(target, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "site/daten/hsds.json").read_text("utf-8"))["total_items"] == 22


@pytest.mark.browser
def test_the_new_region_in_chromium(made_site):
    """Published below /wegweiser/ as GitHub Pages does: the start page says kindly that
    nothing is there yet, the Impressum names the operator, no page names the demo, and
    nothing is asked of another server."""
    from browser import browser, serve

    with serve(made_site, below="/wegweiser/") as url, browser() as chromium:
        page = chromium.new_page()
        asked = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(url)
        assert page.locator("h1").first.inner_text() == "Wegweiser Landkreis Musterland"
        assert "Noch ist hier kein Ort eingetragen." in page.locator(".ww-empty").inner_text()
        page.get_by_role("link", name="Impressum").first.click()
        page.wait_for_url(url + "impressum/")
        article = page.locator("article").inner_text()
        assert "Landkreis Musterland" in article and REGION["email"] in article
        page.goto(url + "ar/")
        assert page.locator("html").get_attribute("dir") == "rtl" or (
            page.locator("body").get_attribute("dir") == "rtl"
        )
        assert "لم تتم إضافة أي مكان بعد" in page.locator(".ww-empty").inner_text()
        page.goto(url + "suche/")
        assert "Hier gibt es noch keine Einträge." in page.locator("article").inner_text()
        for path in ("", "impressum/", "barrierefreiheit/", "mitmachen/", "en/"):
            page.goto(url + path)
            assert DEMO not in page.content(), path
        assert [a for a in asked if not a.startswith(url)] == []
