"""Long lists in pages of a fixed size, so that no page grows with the number of entries.

A term page (category, municipality, topic, language spoken) shows at most ``PAGE_SIZE``
places; more places make more pages: "kategorien/x/", "kategorien/x/2/", … Each page's
navigation has a bounded number of links (first, last and a few around the current one),
so even the 400th page of a long list stays as small as the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from wegweiser.core.numbers import positive_int

# Places per page: about 25 KB of HTML (a card is about 500 bytes), a short scroll on a
# phone, and a printed notice of a few sheets.
PAGE_SIZE = 50
WINDOW = 2  # page numbers shown on either side of the current one, besides first and last


def page_size(extra: dict | None) -> int:
    """``extra.wegweiser.page_size``; anything but a positive whole number: PAGE_SIZE."""
    return positive_int(extra, "page_size", PAGE_SIZE)


def page_count(total: int, size: int) -> int:
    """How many pages ``total`` places fill; an empty list still has its one page."""
    return max(1, -(-total // size))


@dataclass(frozen=True)
class Paging:
    """Page ``number`` (from 1) of a list of ``total`` places in pages of ``size``."""

    number: int
    total: int
    size: int

    @property
    def count(self) -> int:
        return page_count(self.total, self.size)

    @property
    def start(self) -> int:
        """Index of the page's first place in the whole list."""
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        return min(self.start + self.size, self.total)

    def numbers(self) -> list[int | None]:
        """The page numbers to link, ``None`` where some are left out: 1 … 4 5 6 … 9.

        A gap of a single page shows that page instead of "…", which takes as much room.
        """
        shown = {1, self.count}
        shown.update(range(max(1, self.number - WINDOW), min(self.count, self.number + WINDOW) + 1))
        numbers: list[int | None] = []
        for number in sorted(shown):
            if numbers and number - numbers[-1] == 2:
                numbers.append(number - 1)
            elif numbers and number - numbers[-1] > 2:
                numbers.append(None)
            numbers.append(number)
        return numbers
