"""The fixture site built end to end with `mkdocs build --strict`."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from helpers import mkdocs_build

ENTRY = "orte/koordinierungsstelle-migration-und-teilhabe/index.html"


def read(site, path):
    return (site / path).read_text("utf-8")


def test_pages_for_entries_categories_municipalities_topics_and_home(built_site):
    for path in [
        ENTRY,
        "orte/familienstuetzpunkt-bunde/index.html",
        "index.html",
        "kategorien/index.html",
        "kategorien/familienstuetzpunkt/index.html",
        "gemeinden/index.html",
        "gemeinden/leer/index.html",
        "themen/index.html",
        "themen/familie/index.html",
        "mitmachen/felder/index.html",
        "schema/entry.schema.json",
    ]:
        assert (built_site / path).is_file(), path
    home = read(built_site, "index.html")
    # a tile per category, the map and "In meiner Nähe"; the long lists one tap away
    for link in [
        'href="kategorien/familienstuetzpunkt/"',
        'href="karte/"',
        'href="naehe/"',
        'href="gemeinden/"',
        'href="themen/"',
        'href="sprachen/"',
    ]:
        assert link in home
    assert 'href="gemeinden/leer/"' not in home


def test_entry_page_shows_every_field_for_a_person_in_a_hurry(built_site):
    page = read(built_site, ENTRY)
    assert ">Koordinierungsstelle Migration und Teilhabe</h1>" in page
    assert "Bergmannstraße 37<br>26789 Leer" in page
    assert 'href="tel:+4949199902821">0491 999028-21</a>' in page
    # The next seven days, rules resolved: Thursday has both times, Friday the morning.
    assert 'scope="row">Do 05.11.</th><td>08:30–12:00, 14:00–17:00</td>' in page
    assert 'scope="row">Fr 06.11.</th><td>08:30–12:00</td>' in page
    assert 'scope="row">Sa 07.11.</th><td>geschlossen</td>' in page
    assert '<span lang="ar"' not in page  # not spoken there
    assert '<span lang="no" dir="ltr">Norsk</span> (Norwegisch)' in page
    assert "Geflüchtete" in page
    assert '<time datetime="2026-01-15">15.01.2026</time>, geprüft von Redaktion' in page
    assert "<strong>Niedersachsen</strong>" in page  # Markdown description
    assert 'href="../../orte/familienstuetzpunkt-bunde/"' in page  # members
    assert '<meta name="description" content="Baut im Landkreis Leer' in page


def test_edit_and_report_links_come_from_mkdocs_yml(built_site):
    page = read(built_site, ENTRY)
    assert (
        'href="https://github.com/example/wegweiser-test/edit/test-branch/'
        'entries/leer/koordinierungsstelle-migration-und-teilhabe.yml"'
    ) in page
    report = re.search(
        r'href="(https://github.com/example/wegweiser-test/issues/new\?[^"]+)"', page
    )
    query = parse_qs(urlsplit(report.group(1).replace("&amp;", "&")).query)
    assert query["title"] == ["Info falsch: Koordinierungsstelle Migration und Teilhabe"]
    assert "Datei: entries/leer/koordinierungsstelle-migration-und-teilhabe.yml" in query["body"][0]
    assert (
        "https://wegweiser.test/orte/koordinierungsstelle-migration-und-teilhabe/"
        in query["body"][0]
    )


def test_example_entry_says_so(built_site):
    assert "für die Vorführung erfunden" in read(
        built_site, "orte/familienstuetzpunkt-bunde/index.html"
    )


def test_entry_pages_are_not_in_the_sidebar(built_site):
    page = read(built_site, ENTRY)
    assert page.count("familienstuetzpunkt-bunde/") == 2  # member and coordinated, not nav
    nav = page[page.index('<nav class="md-nav md-nav--primary"') : page.index("</nav>")]
    assert "orte/" not in nav
    assert len(page) < 30_000


def test_index_pages_list_their_entries(built_site):
    page = read(built_site, "gemeinden/leer/index.html")
    assert "Koordinierungsstelle Migration und Teilhabe" in page
    assert "Familienstützpunkt Bunde" not in page  # that one is in Bunde
    assert "Familienstützpunkt Bunde" in read(
        built_site, "kategorien/familienstuetzpunkt/index.html"
    )


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self.bad_urls = [], [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append((tag, name))
            if (
                name in ("href", "src")
                and value
                and value.strip().lower().startswith(("javascript:", "data:"))
            ):
                self.bad_urls.append(value)
        if tag == "script":
            self.scripts.append(dict(attrs).get("src", "inline"))


def test_hostile_entry_text_is_shown_as_text(built_site):
    page = read(built_site, "orte/runder-tisch-test/index.html")
    collector = _Collector()
    collector.feed(page)
    assert collector.handlers == []
    assert collector.bad_urls == []
    assert "<script>document" not in page
    assert "&lt;script&gt;document.body.dataset.pwned=&#x27;name&#x27;&lt;/script&gt;" in page
    assert (
        "{{ 7*7 }}" in page
        and "49" not in page.split('<h1 data-pagefind-meta="title">')[1].split("</h1>")[0]
    )
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert "<" not in title
    meta = re.search(r'<meta name="description" content="([^"]*)"', page).group(1)
    assert "<img" not in meta and "onerror" in meta  # quoted as text inside the attribute


def test_search_index_is_german_and_covers_entries_only(built_site):
    meta = list((built_site / "pagefind").glob("pagefind.de_*.pf_meta"))
    assert meta, "Pagefind should index the site as German (stemming)"
    entry = read(built_site, ENTRY)
    assert "data-pagefind-body" in entry
    assert "data-pagefind-body" not in read(built_site, "index.html")


def test_published_schema_lists_allowed_values(built_site):
    schema = json.loads(read(built_site, "schema/entry.schema.json"))
    assert "familienstuetzpunkt" in schema["properties"]["category"]["enum"]
    assert "Leer" in schema["properties"]["address"]["properties"]["city"]["enum"]


def test_field_reference_covers_every_schema_field(built_site):
    schema = json.loads(read(built_site, "schema/entry.schema.json"))
    page = read(built_site, "mitmachen/felder/index.html")
    for key, sub in schema["properties"].items():
        assert f"<code>{key}</code>" in page, key
        for child in sub.get("properties", {}):
            assert f"<code>{key}.{child}</code>" in page
    # fields whose values come from a list name that list's file (not a dict method)
    assert "<code>entries/_lists/categories.yml</code>" in page
    assert "<code>entries/_lists/municipalities.yml</code>" in page
    assert "built-in method" not in page


def test_broken_entry_fails_strict_build_but_not_a_preview(site_copy, tmp_path):
    broken = site_copy / "entries" / "leer" / "kaputt.yml"
    broken.write_text("name: Kaputt\ncategory: netzwerk\nsummary: x: y\n", "utf-8")
    strict = mkdocs_build(site_copy, tmp_path / "strict")
    assert strict.returncode == 1
    assert "entries/leer/kaputt.yml:3:11: error: Doppelpunkt mitten im Wert" in strict.stderr
    assert "Traceback" not in strict.stderr
    preview = mkdocs_build(site_copy, tmp_path / "preview", strict=False)
    assert preview.returncode == 0, preview.stderr
    assert (tmp_path / "preview" / "orte" / "familienstuetzpunkt-bunde" / "index.html").exists()
    assert not (tmp_path / "preview" / "orte" / "kaputt").exists()
