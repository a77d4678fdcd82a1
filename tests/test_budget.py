"""Little data: an entry page's HTML and everything a first visit downloads stay in budget."""

import gzip

import pytest
from browser import browser, serve

ENTRY = "orte/koordinierungsstelle-migration-und-teilhabe/"
HTML_BUDGET = 30 * 1024
FIRST_VISIT_BUDGET = 400 * 1024  # gzip, map tiles aside (they load only after a click)


def test_entry_page_html_is_small(built_site):
    for prefix in ("", "en/", "ar/"):
        for page in (built_site / prefix / "orte").glob("*/index.html"):
            assert page.stat().st_size <= HTML_BUDGET, page


@pytest.mark.browser
def test_first_visit_to_an_entry_page_transfers_little(built_site):
    sizes = {}
    with serve(built_site) as url, browser() as chromium:
        tab = chromium.new_page()

        def count(response):
            if response.url.startswith(url):
                sizes[response.url] = len(gzip.compress(response.body(), 6))

        tab.on("response", count)
        tab.goto(url + ENTRY)
        tab.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    print(f"first visit to {ENTRY}: {len(sizes)} files, {total / 1024:.0f} KB gzip")
    assert total <= FIRST_VISIT_BUDGET, sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
