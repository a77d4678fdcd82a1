"""Printing: a municipality or category page becomes a clean list with a QR code per place."""

import pytest
from browser import browser, serve

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["gemeinden/leer/", "ar/kategorien/koordinierungsstelle/"])
def test_printed_list_has_codes_phones_and_no_navigation(built_site, path):
    with serve(built_site) as url, browser() as chromium:
        tab = chromium.new_page()
        tab.goto(url + path)
        tab.wait_for_selector("html[data-ww-qr=ready]")
        cards = tab.locator(".ww-card")
        assert cards.count() >= 1
        assert tab.locator(".ww-qr").count() == cards.count()
        assert tab.locator(".ww-qr").first.is_hidden()  # on screen: no codes
        tab.emulate_media(media="print")
        assert tab.locator(".ww-qr").first.is_visible()
        for hidden in (".md-header", ".md-sidebar--primary", ".ww-langs"):
            assert tab.locator(hidden).first.is_hidden(), hidden
        box = tab.locator(".ww-qr").first.bounding_box()
        assert box["width"] > 80  # 2.6 cm, big enough for a phone camera
        href = tab.locator(".ww-card__name").first.get_attribute("href")
        code = tab.locator(".ww-qr path").first.get_attribute("d")
        assert href and code.startswith("M2 2h1v1h-1z")  # a finder pattern starts every code
        assert tab.pdf(format="A4")[:4] == b"%PDF"


def test_cards_show_the_phone_number_in_full(built_site):
    html = (built_site / "gemeinden" / "leer" / "index.html").read_text("utf-8")
    assert (
        '<p class="ww-card__phone"><a dir="ltr" href="tel:+4949199902821">0491 999028-21</a></p>'
        in html
    )
