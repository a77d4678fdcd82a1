"""Feedback without an account: an e-mail to the operator on every entry page and on an
empty search result, written in the visitor's language, read back in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import browser, serve
from helpers import copy_fixture_site, mkdocs_build
from wegweiser import settings, urls
from wegweiser.site.render import ui_strings

OPERATOR = "redaktion@example.org"
HOSTILE_NAME = "Café & Treff? #1 – مقهى 100%"
HOSTILE = f"""name: "{HOSTILE_NAME}"
category: netzwerk
summary: Offener Treff mit Kaffee, jeden Freitag.
address: {{street: Bergmannstraße 37, postcode: "26789", city: Leer}}
verified: {{date: 2026-03-01, by: Redaktion}}
"""
# RFC 6068: after "mailto:addr?", only unreserved characters, %XX, and the "=" and "&" that
# separate the fields. Anything else (a raw "&", "#", space, line break) would cut a field.
STRICT_MAILTO = re.compile(
    r"^mailto:[A-Za-z0-9.@_-]+\?subject=[A-Za-z0-9%._~-]*&body=[A-Za-z0-9%._~-]*$"
)
KOORD = "koordinierungsstelle-migration-und-teilhabe"


def with_operator(site: Path, email: str = OPERATOR) -> None:
    config = site / "mkdocs.yml"
    text = config.read_text("utf-8").replace(
        "    branch: test-branch", f'    branch: test-branch\n    operator: {{email: "{email}"}}'
    )
    config.write_text(text, "utf-8")


def fields(href: str) -> tuple[str, dict[str, str]]:
    """The address and the decoded fields of a mailto: link, checked to be encoded whole."""
    assert STRICT_MAILTO.match(href), href
    parts = urlsplit(href)
    query = {key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()}
    return parts.path, query


# -- the address book ------------------------------------------------------------------------


def test_a_mailto_link_keeps_every_character_of_subject_and_body():
    name = "A & B? #1\nمقهى 100% + C=D"
    href = urls.mailto(OPERATOR, f"Info: {name}", f"Eintrag: {name}\nDatei: x.yml\n")
    address, query = fields(href)
    assert address == OPERATOR
    assert query["subject"] == "Info: A & B? #1 مقهى 100% + C=D"  # a header line: one line
    assert query["body"] == "Eintrag: A & B? #1\r\nمقهى 100% + C=D\r\nDatei: x.yml\r\n"
    assert urls.mailto("", "x", "y") == ""


def test_an_operator_email_that_is_no_address_stops_the_build(tmp_path):
    site = copy_fixture_site(tmp_path / "src")
    with_operator(site, "redaktion@example.org?bcc=alle@example.org")
    result = mkdocs_build(site, tmp_path / "out")
    assert result.returncode != 0
    said = result.stdout + result.stderr  # MkDocs prints an abort on stdout
    line = (
        site.joinpath("mkdocs.yml")
        .read_text("utf-8")
        .splitlines()
        .index('    operator: {email: "redaktion@example.org?bcc=alle@example.org"}')
    )
    assert f"mkdocs.yml:{line + 1}:23: error: operator.email ist keine E-Mail-Adresse" in said
    assert "Traceback" not in said


def test_without_an_operator_email_there_is_no_link_and_the_build_says_so_once(tmp_path):
    site = copy_fixture_site(tmp_path / "src")
    result = mkdocs_build(site, tmp_path / "out")  # strict: the notice must not fail it
    assert result.returncode == 0, result.stderr
    lines = site.joinpath("mkdocs.yml").read_text("utf-8").splitlines()
    where = lines.index("  wegweiser:") + 2  # its first key, 1-based
    notice = (
        f"mkdocs.yml:{where}:5: warning: Keine E-Mail-Adresse des Betreibers "
        "(extra.wegweiser.operator.email): die Seiten bieten keine Meldung per E-Mail an"
    )
    assert result.stderr.count(notice) == 1
    assert result.stderr.count("operator.email") == 1
    for page in (tmp_path / "out").glob("**/orte/*/index.html"):
        html = page.read_text("utf-8")
        assert "ww-mail" not in html and "mailto:" + OPERATOR not in html, page
        assert "Info falsch? Melden" in html or "issues/new?" in html  # the form stays
    search = (tmp_path / "out" / "suche" / "index.html").read_text("utf-8")
    assert 'id="ww-search-empty"' in search and "ww-mail" not in search
    assert 'class="md-button ww-issue"' in search


def test_the_command_settings_know_the_operator(tmp_path):
    site = copy_fixture_site(tmp_path / "src")
    assert settings.read_project(site).notices[0].code == "operator.no_email"
    with_operator(site)
    chosen = settings.read_project(site)
    assert chosen.site.operator_email == OPERATOR and chosen.notices == ()


# -- in Chromium ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def feedback_site(tmp_path_factory):
    """The fixture site with an operator e-mail and a name full of URL syntax, built and
    served, with Chromium: (url, browser)."""
    base = tmp_path_factory.mktemp("feedback")
    site = copy_fixture_site(base / "src")
    with_operator(site)
    (site / "entries" / "leer" / "cafe-treff.yml").write_text(HOSTILE, "utf-8")
    result = mkdocs_build(site, base / "out", env={"SOURCE_DATE_EPOCH": "1793577600"})
    assert result.returncode == 0, result.stderr
    assert "operator.email" not in result.stderr  # no notice with an address
    with serve(base / "out") as url, browser() as chromium:
        yield url, chromium


def mail_href(chromium, url: str) -> str:
    tab = chromium.new_page()
    try:
        tab.goto(url)
        link = tab.locator(".ww-actions a.ww-mail")
        assert link.count() == 1
        return link.get_attribute("href")
    finally:
        tab.close()


def body_of(chromium, url: str, subject: str) -> list[str]:
    """The lines of the body of the page's e-mail link, whose subject must be ``subject``."""
    address, query = fields(mail_href(chromium, url))
    assert address == OPERATOR and query["subject"] == subject
    return query["body"].split("\r\n")


@pytest.mark.browser
def test_the_entry_pages_email_carries_name_page_and_file_in_german(feedback_site):
    url, chromium = feedback_site
    name = "Koordinierungsstelle Migration und Teilhabe"
    body = body_of(chromium, f"{url}orte/{KOORD}/", f"Wegweiser: Info falsch – {name}")
    assert body[:3] == [
        f"Eintrag: {name}",
        f"Seite: https://wegweiser.test/orte/{KOORD}/",
        f"Datei: entries/leer/{KOORD}.yml",
    ]
    for item in ("Öffnungszeiten", "Adresse", "Telefon", "Den Ort gibt es nicht mehr", "Anderes:"):
        assert f"[ ] {item}" in body


@pytest.mark.browser
def test_the_entry_pages_email_is_in_arabic_on_the_arabic_page(feedback_site):
    url, chromium = feedback_site
    name = "مكتب تنسيق الهجرة والمشاركة"  # the entry's Arabic name, as the page shows it
    subject = f"Wegweiser: معلومات خاطئة (Info falsch) – {name}"
    body = body_of(chromium, f"{url}ar/orte/{KOORD}/", subject)
    assert body[:3] == [
        f"الإدخال (Eintrag): {name}",
        f"الصفحة (Seite): https://wegweiser.test/ar/orte/{KOORD}/",
        f"الملف (Datei): entries/leer/{KOORD}.yml",
    ]
    assert "[ ] أوقات العمل (Öffnungszeiten)" in body
    assert "[ ] المكان أُغلق نهائيًا (gibt es nicht mehr)" in body


@pytest.mark.browser
def test_a_name_full_of_url_syntax_survives_the_link(feedback_site):
    url, chromium = feedback_site
    _address, query = fields(mail_href(chromium, f"{url}orte/cafe-treff/"))
    assert query["subject"] == f"Wegweiser: Info falsch – {HOSTILE_NAME}"
    assert query["body"].startswith(f"Eintrag: {HOSTILE_NAME}\r\n")
    hostile = "Runder Tisch </title><script>document.body.dataset.pwned='name'</script>"
    _address, query = fields(mail_href(chromium, f"{url}orte/runder-tisch-test/"))
    assert query["subject"].startswith(f"Wegweiser: Info falsch – {hostile} & {{{{ 7*7 }}}}")


def search_nothing(chromium, url: str, query: str) -> dict[str, str]:
    """Search for ``query`` on a search page; the hrefs of "Nichts gefunden?" by class."""
    tab = chromium.new_page()
    try:
        tab.goto(url)
        tab.locator("#ww-q").fill(query)
        empty = tab.locator("#ww-search-empty")
        empty.wait_for(state="visible", timeout=15_000)
        assert tab.locator(".pagefind-ui__result").count() == 0
        links = empty.locator("a")
        return {
            links.nth(i).get_attribute("class").split()[-1]: links.nth(i).get_attribute("href")
            for i in range(links.count())
        }
    finally:
        tab.close()


@pytest.mark.browser
def test_nothing_found_offers_an_email_and_an_issue_with_the_query(feedback_site):
    url, chromium = feedback_site
    query = "Schwimmkurs & Sauna? #Quix"  # a digit would find postcodes
    links = search_nothing(chromium, url + "suche/", query)
    assert set(links) == {"ww-mail", "ww-issue"}
    address, mail = fields(links["ww-mail"])
    assert address == OPERATOR
    assert mail["subject"] == f"Wegweiser: nichts gefunden zu „{query}“"
    assert mail["body"].startswith(f"Gesucht: {query}\r\nSeite: https://wegweiser.test/suche/\r\n")
    issue = urlsplit(links["ww-issue"])
    assert issue.netloc == "github.com" and issue.path == "/example/wegweiser-test/issues/new"
    fields_ = {k: v[0] for k, v in parse_qs(issue.query, strict_parsing=True).items()}
    assert fields_["title"] == mail["subject"]
    assert fields_["body"].startswith(f"Gesucht: {query}\n")


@pytest.mark.browser
def test_nothing_found_in_arabic_and_gone_again_with_results(feedback_site):
    url, chromium = feedback_site
    query = "سباحة & ?"
    links = search_nothing(chromium, url + "ar/suche/", query)
    _address, mail = fields(links["ww-mail"])
    assert mail["subject"] == f"Wegweiser: لا توجد نتائج (nichts gefunden) لـ «{query}»"
    assert mail["body"].startswith(f"بحثتُ عن (Gesucht): {query}\r\n")
    words = ui_strings("ar")
    tab = chromium.new_page()
    tab.goto(url + "ar/suche/")
    tab.locator("#ww-q").fill("zzzzqx")
    tab.locator("#ww-search-empty").wait_for(state="visible", timeout=15_000)
    assert tab.locator("#ww-search-empty h2").inner_text() == words["search_empty"]
    tab.locator("#ww-q").fill("Bunde")
    tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    assert tab.locator("#ww-search-empty").is_hidden()
    tab.close()
