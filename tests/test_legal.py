"""Impressum, Datenschutz and Barrierefreiheit take the operator from mkdocs.yml."""

import re

import pytest
from helpers import REPO, copy_fixture_site, mkdocs_build
from wegweiser.site import legal


def test_operator_block_is_escaped_and_complete():
    block = legal.operator_block(
        {
            "operator": {
                "name": "Landkreis <Leer>",
                "city": "Leer",
                "postcode": "26789",
                "email": "info@example.org",
                "responsible": "Frau Beispiel",
            }
        }
    )
    assert block.splitlines() == [
        "**Landkreis &lt;Leer&gt;**  ",
        "26789 Leer  ",
        'E-Mail: <a href="mailto:info@example.org">info@example.org</a>  ',
        "Verantwortlich für den Inhalt: Frau Beispiel",
    ]


def test_missing_operator_says_what_to_do():
    assert "extra.wegweiser.operator" in legal.operator_block({"operator": {"name": ""}})


def test_the_three_pages_carry_the_marker():
    for name in ("impressum", "datenschutz", "barrierefreiheit"):
        assert legal.MARKER in (REPO / "docs" / f"{name}.md").read_text("utf-8"), name


def test_built_impressum_names_the_operator(tmp_path):
    site = copy_fixture_site(tmp_path / "src")
    (site / "docs" / "impressum.md").write_text(f"# Impressum\n\n{legal.MARKER}\n", "utf-8")
    config = site / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace(
            "    branch: test-branch",
            "    branch: test-branch\n    operator: {name: Stadt Erkelenz, city: Erkelenz}",
        ),
        "utf-8",
    )
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "out" / "impressum" / "index.html").read_text("utf-8")
    assert "<strong>Stadt Erkelenz</strong>" in html and legal.MARKER not in html


# -- the hand-written pages in every interface language ------------------------------------

OPERATOR = "    operator: {name: Stadt Erkelenz, city: Erkelenz, email: info@erkelenz.example}"


@pytest.fixture(scope="module")
def hand_site(tmp_path_factory):
    """The fixture site with an Impressum in German and English (none in Arabic), in the
    nav, an operator, and a category description in English only."""
    base = tmp_path_factory.mktemp("hand")
    site = copy_fixture_site(base / "src")
    (site / "docs" / "impressum.md").write_text(
        f"# Impressum\n\nAngaben gemäß § 5 DDG.\n\n{legal.MARKER}\n", "utf-8"
    )
    (site / "docs" / "en").mkdir()
    (site / "docs" / "en" / "impressum.md").write_text(
        f"# Legal notice\n\nInformation according to § 5 DDG.\n\n{legal.MARKER}\n", "utf-8"
    )
    (site / "docs" / "tr").mkdir()  # Turkish is not among the site's languages: left out
    (site / "docs" / "tr" / "impressum.md").write_text("# Künye\n\n[x](nirgends.md)\n", "utf-8")
    config = site / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "    branch: test-branch", f"    branch: test-branch\n{OPERATOR}"
    )
    config.write_text(
        text.replace("  - Felder: mitmachen/felder.md", FELDER_AND_IMPRESSUM), "utf-8"
    )
    lists = site / "entries" / "_lists" / "categories.yml"
    lists.write_text(
        lists.read_text("utf-8").replace(
            "  translations: {en: Family centre}",
            "  description: Anlaufstelle für Familien.\n"
            "  descriptions: {en: A contact point for families.}\n"
            "  translations: {en: Family centre}",
        ),
        "utf-8",
    )
    result = mkdocs_build(site, base / "out")
    assert result.returncode == 0, result.stderr
    return base / "out"


FELDER_AND_IMPRESSUM = "  - Felder: mitmachen/felder.md\n  - Impressum: impressum.md"


def test_every_language_has_the_impressum_at_its_own_path(hand_site):
    german = (hand_site / "impressum" / "index.html").read_text("utf-8")
    english = (hand_site / "en" / "impressum" / "index.html").read_text("utf-8")
    arabic = (hand_site / "ar" / "impressum" / "index.html").read_text("utf-8")
    assert '<html lang="en"' in english and '<h1 id="legal-notice">Legal notice</h1>' in english
    assert "nur auf Deutsch" not in english and 'lang="de" dir="ltr"><h1' not in english
    assert 'E-mail: <a href="mailto:info@erkelenz.example">' in english  # English words
    assert "<strong>Stadt Erkelenz</strong>" in english
    # Arabic has no translation: the German original, marked, with the note in Arabic
    assert '<html lang="ar"' in arabic and '<body dir="rtl"' in arabic
    assert '<div lang="de" dir="ltr"><h1 id="impressum">Impressum</h1></div>' in arabic
    note = "هذا النص متوفر باللغة الألمانية فقط."
    assert f'<p class="ww-note ww-note--german" role="note">{note}</p>' in arabic
    assert 'E-Mail: <a href="mailto:info@erkelenz.example">' in arabic  # German around German
    assert "<strong>Stadt Erkelenz</strong>" in arabic and legal.MARKER not in arabic
    assert "<strong>Stadt Erkelenz</strong>" in german and "ww-note--german" not in german
    assert not (hand_site / "tr").exists()
    for page, prefix in ((german, "../"), (english, "../../"), (arabic, "../../")):
        switch = page.split('<nav class="ww-langs"')[1].split("</nav>")[0]
        for code, path in (("de", ""), ("en", "en/"), ("ar", "ar/")):
            assert f'href="{prefix}{path}impressum/" hreflang="{code}"' in switch


def test_the_navigation_names_hand_written_pages_in_the_page_language(hand_site):
    """The tab leads to the page in the same language: its translation's heading, or the
    German name marked as German."""
    english = (hand_site / "en" / "karte" / "index.html").read_text("utf-8")
    arabic = (hand_site / "ar" / "karte" / "index.html").read_text("utf-8")
    assert '<a href="../impressum/" class="md-nav__link">Legal notice</a>' in english
    assert '<a href="../impressum/" class="md-nav__link" lang="de">Impressum</a>' in arabic


def test_a_category_description_falls_back_to_german_marked(hand_site):
    def description(prefix: str) -> str:
        page = hand_site / prefix / "kategorien" / "familienstuetzpunkt" / "index.html"
        return re.search(r"</h1>\n(<p[^>]*>[^<]*</p>)", page.read_text("utf-8")).group(1)

    assert description("") == "<p>Anlaufstelle für Familien.</p>"
    assert description("en") == "<p>A contact point for families.</p>"
    assert description("ar") == '<p lang="de" dir="ltr">Anlaufstelle für Familien.</p>'


@pytest.mark.browser
def test_the_language_switch_leads_from_the_arabic_impressum_to_the_english(hand_site):
    from browser import browser, serve
    from test_a11y import violations

    with serve(hand_site) as url, browser() as chromium:
        page = chromium.new_page()
        page.goto(url + "ar/impressum/")
        assert violations(page) == []  # WCAG 2.1 AA, as tests/test_a11y.py checks
        assert page.locator("body").get_attribute("dir") == "rtl"
        assert page.locator("article h1").get_attribute("lang") is None  # the div says it
        assert page.locator("article h1").evaluate("h => h.closest('[lang]').lang") == "de"
        page.locator(".ww-langs a[hreflang=en]").click()
        page.wait_for_url(url + "en/impressum/")
        assert page.locator("article h1").inner_text() == "Legal notice"
        assert page.locator(".ww-note--german").count() == 0


@pytest.mark.parametrize("page", ["mitmachen", "impressum", "datenschutz", "barrierefreiheit"])
def test_the_samples_hand_written_pages_are_in_english_and_elsewhere_german_marked(
    sample_site, page
):
    english = (sample_site / "en" / page / "index.html").read_text("utf-8")
    assert '<html lang="en"' in english and "ww-note--german" not in english
    assert 'class="ww-langs"' in english
    for code in ("ar", "fa", "uk", "ru", "tr"):
        other = (sample_site / code / page / "index.html").read_text("utf-8")
        assert f'<html lang="{code}"' in other and 'class="ww-langs"' in other, code
        assert 'class="ww-note ww-note--german"' in other, code
        assert '<div lang="de" dir="ltr"><h1' in other, code
