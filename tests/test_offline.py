"""Offline: a page the visitor has opened once opens again without a connection."""

import pytest
from browser import browser, serve
from playwright.sync_api import Error as BrowserError

pytestmark = pytest.mark.browser


def test_visited_pages_reopen_offline_and_others_do_not_pretend(built_site):
    with serve(built_site) as url, browser() as chromium:
        context = chromium.new_context()
        tab = context.new_page()
        tab.goto(url + "orte/familienstuetzpunkt-bunde/")
        tab.wait_for_function(
            "navigator.serviceWorker.controller !== null || "
            "navigator.serviceWorker.ready.then(() => true)"
        )
        tab.evaluate("navigator.serviceWorker.ready")
        tab.reload()  # now controlled: this visit is kept
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("navigator.serviceWorker.controller !== null")
        context.set_offline(True)
        tab.reload()
        assert tab.locator("h1").first.inner_text() == "Familienstützpunkt Bunde"
        styled = tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        assert styled in ("sticky", "fixed")  # Material's stylesheet came from the copy too
        with pytest.raises(BrowserError):  # a page never opened is not invented
            tab.goto(url + "orte/runder-tisch-test/")
        context.close()
