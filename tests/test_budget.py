"""Little data: an entry page's HTML and everything a first visit downloads stay in budget."""

import datetime as dt
import gzip

import pytest
from browser import browser, serve
from helpers import FIXTURES
from wegweiser.core.model import Directory, Entry
from wegweiser.core.validate import Validator
from wegweiser.site.render import RELATIONS_SHOWN, Renderer, SiteSettings

ENTRY = "orte/koordinierungsstelle-migration-und-teilhabe/"
HTML_BUDGET = 30 * 1024
FIRST_VISIT_BUDGET = 400 * 1024  # gzip, map tiles aside (they load only after a click)


def test_entry_page_html_is_small(built_site):
    for prefix in ("", "en/", "ar/"):
        for page in (built_site / prefix / "orte").glob("*/index.html"):
            assert page.stat().st_size <= HTML_BUDGET, page


def test_entry_page_does_not_grow_with_its_network():
    """A network's page is as large with 200 members as with 11: only the count grows."""
    lists = Validator(FIXTURES, FIXTURES / "site" / "entries").lists
    day = dt.date(2026, 1, 1)

    def place(slug: str) -> Entry:
        data = {"name": slug.title(), "category": "familienstuetzpunkt", "summary": "Ein Ort."}
        data |= {"address": {"city": "Leer"}, "verified": {"date": str(day), "by": "Redaktion"}}
        return Entry(slug, f"entries/{slug}.yml", data, None, day)

    sizes = []
    for count in (RELATIONS_SHOWN + 1, 20 * RELATIONS_SHOWN):
        members = [place(f"ort-{n:04d}") for n in range(count)]
        network = place("netzwerk")
        network.data |= {"category": "netzwerk", "members": [m.slug for m in members]}
        page = Renderer(Directory.build([network, *members], lists), SiteSettings()).entry(network)
        assert page.count('<li><a href="../../orte/ort-') == RELATIONS_SHOWN
        sizes.append(len(page))
    assert sizes[1] - sizes[0] == len(str(20 * RELATIONS_SHOWN)) - len(str(RELATIONS_SHOWN + 1))


@pytest.mark.browser
@pytest.mark.parametrize("path", [ENTRY, "", "ar/", "naehe/", "ar/naehe/", "ar/" + ENTRY])
def test_first_visit_transfers_little(built_site, path):
    """An entry page, the start page (its tiles and icons) and "In meiner Nähe" each stay
    within the first-visit budget."""
    sizes = {}
    with serve(built_site) as url, browser() as chromium:
        tab = chromium.new_page()

        def count(response):
            if response.url.startswith(url):
                sizes[response.url] = len(gzip.compress(response.body(), 6))

        tab.on("response", count)
        tab.goto(url + path)
        tab.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"first visit to /{path}: {len(sizes)} files, {total / 1024:.0f} KB gzip")
    assert total <= FIRST_VISIT_BUDGET, sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
