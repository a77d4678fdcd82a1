"""The search index in parts: the plan, a site indexed in several parts, a part that fails."""

from __future__ import annotations

import json
import math
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from browser import browser, serve
from helpers import copy_fixture_site, mkdocs_build
from pagefind.service import get_executable
from wegweiser.site import search

TREES = {"de": "", "ar": "ar/"}
KINDS = ["migrationsberatung", "familienzentrum", "sprachcafe", "jugendmigrationsdienst"]
TOWNS = [f"{a}{b}" for a in ("alt", "neu", "ost", "west", "fehn") for b in ("dorf", "feld", "moor")]


WEIGHTS = {"migrationsberatung": 25, "familienzentrum": 14, "sprachcafe": 12}
WEIGHTS |= {"jugendmigrationsdienst": 6, "behoerde": 5, "frauenhaus": 1, "netzwerk": 1}


def realistic(n: int) -> list[tuple[str, str]]:
    """(slug, category) as synth.py makes them: kind, town, and a number where the pair
    repeats; the kinds about as often as synth.py's categories."""
    rng = random.Random(n)
    kinds = rng.choices(list(WEIGHTS), list(WEIGHTS.values()), k=n)
    seen: Counter = Counter()
    result = []
    for i, kind in enumerate(kinds):
        slug = f"{kind}-{TOWNS[i % 15]}"
        seen[slug] += 1
        result.append((slug if seen[slug] == 1 else f"{slug}-{seen[slug]}", kind))
    return result


CORPORA = {
    "realistic": realistic(20_000),
    # one category only, larger than a part: cut by slug
    "one category": [(f"migrationsberatung-leer-{i}", "beratung") for i in range(20_000)],
    # many small categories
    "small": [(f"ort-{i}", f"kategorie-{i % 40}") for i in range(20_000)],
}


def loaded_by(parts: list[search.Part], category: str) -> list[search.Part]:
    """The parts a search for ``category`` loads (as wegweiser-search.js picks them)."""
    return [part for part in parts if not part.categories or category in part.categories]


@pytest.mark.parametrize("name", CORPORA)
def test_plan_puts_every_slug_in_exactly_one_part_of_its_language(name):
    pairs = CORPORA[name]
    parts = search.plan(TREES, pairs, 8_000)
    for lang, tree in TREES.items():
        mine = [part for part in parts if part.lang == lang]
        assert [part.bundle for part in mine] == [
            f"{tree}pagefind{'' if k == 1 else f'-{k}'}/" for k in range(1, len(mine) + 1)
        ]
        owner = Counter(slug for part in mine for slug in part.slugs)
        assert set(owner) == {slug for slug, _ in pairs} and set(owner.values()) == {1}
        for part in mine:
            assert part.pages == len(part.slugs) <= 8_000
            assert list(part.slugs) == sorted(part.slugs)
            assert part.glob == f"{tree}orte/*/index.html"
    # the same parts in every language, and from the same entries in any order
    assert [p.slugs for p in parts if p.lang == "de"] == [p.slugs for p in parts if p.lang == "ar"]
    shuffled = list(pairs)
    random.Random(7).shuffle(shuffled)
    assert search.plan(TREES, shuffled + pairs[:5], 8_000) == parts


@pytest.mark.parametrize("name", CORPORA)
def test_a_search_for_one_category_loads_that_category_and_little_else(name):
    pairs = CORPORA[name]
    parts = search.plan({"de": ""}, pairs, 8_000)
    sizes = Counter(category for _, category in pairs)
    for category, count in sizes.items():
        loaded = loaded_by(parts, category)
        held = {slug for part in loaded for slug in part.slugs}
        assert {slug for slug, c in pairs if c == category} <= held
        # its own pages, or at most half a part beside them
        assert len(held) <= max(count, 4_000), (category, count, len(held))
    # a search without a category loads every part: not many more than the size asks for
    assert len(parts) <= 2 * math.ceil(len(pairs) / 8_000) + 1


def test_the_realistic_largest_category_has_its_own_parts():
    parts = search.plan({"de": ""}, realistic(20_000), 8_000)
    largest = [part for part in parts if "migrationsberatung" in part.categories]
    assert [part.categories for part in largest] == [("migrationsberatung",)]
    parts = search.plan({"de": ""}, realistic(30_000), 8_000)
    largest = [part for part in parts if "migrationsberatung" in part.categories]
    assert len(largest) == 2 and all(part.categories == ("migrationsberatung",) for part in largest)
    assert abs(largest[0].pages - largest[1].pages) <= 1


def test_a_language_up_to_the_part_size_is_one_bundle_as_before():
    parts = search.plan(TREES, realistic(5_000), 5_000)
    assert [(p.bundle, p.glob, p.pages, p.slugs, p.categories) for p in parts] == [
        ("pagefind/", "orte/*/index.html", 5_000, (), ()),
        ("ar/pagefind/", "ar/orte/*/index.html", 5_000, (), ()),
    ]
    assert search.plan(TREES, []) == []


def test_part_size_comes_from_the_environment_for_tests(monkeypatch):
    assert search.part_size() == search.PART_SIZE == 8_000
    monkeypatch.setenv(search.PART_SIZE_VARIABLE, "2")
    assert search.part_size() == 2
    for wrong in ("0", "-1", "viele"):
        monkeypatch.setenv(search.PART_SIZE_VARIABLE, wrong)
        assert search.part_size() == search.PART_SIZE


# -- a site whose index has one part per entry ------------------------------------------------

SLUGS = ["familienstuetzpunkt-bunde", "koordinierungsstelle-migration-und-teilhabe"]
SLUGS += ["runder-tisch-test"]


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("parted")
    site = copy_fixture_site(base / "src")
    out = base / "out"
    result = mkdocs_build(site, out, env={search.PART_SIZE_VARIABLE: "1"})
    assert result.returncode == 0, result.stderr
    return out


def bundles_named(site: Path, search_page: str) -> list[str]:
    html = (site / search_page).read_text("utf-8")
    return re.search(r'data-bundles="([^"]*)"', html).group(1).split(" ")


def test_search_page_names_the_bundles_the_index_made(parted_site):
    for lang, tree in {"de": "", "en": "en/", "ar": "ar/"}.items():
        bundles = bundles_named(parted_site, f"{tree}suche/index.html")
        assert bundles == [f"{tree}pagefind/", f"{tree}pagefind-2/", f"{tree}pagefind-3/"]
        for bundle in bundles:
            entry = json.loads((parted_site / bundle / "pagefind-entry.json").read_text("utf-8"))
            assert {code: info["page_count"] for code, info in entry["languages"].items()} == {
                lang: 1
            }
    page = (parted_site / "ar/suche/index.html").read_text("utf-8")
    assert 'data-ww-search="../../"' in page  # the bundles' paths start at the site's root
    assert "pagefind-ui" not in page  # the site's own form and results, not Pagefind's UI
    # the folders Pagefind read are gone: the pages' sources and each part's links to them
    assert not list(parted_site.glob(".wegweiser-*"))


def results(tab, path: str) -> tuple[list[str], list[str]]:
    tab.goto(path)
    tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    tab.wait_for_load_state("networkidle")
    links = tab.locator(".pagefind-ui__result-link")
    return links.all_inner_texts(), [a.get_attribute("href") for a in links.all()]


@pytest.mark.browser
def test_search_finds_entries_in_every_part_in_german_and_arabic(parted_site):
    categories = ["familienstuetzpunkt", "koordinierungsstelle", "koordinierungskreis"]
    parts = search.plan(TREES, list(zip(SLUGS, categories, strict=True)), 1)
    # each entry a part, the categories in order of their name (each has one entry)
    assert [p.slugs for p in parts] == [(SLUGS[0],), (SLUGS[2],), (SLUGS[1],)] * 2
    with serve(parted_site) as url, browser() as chromium:
        tab = chromium.new_page()
        fetched: list[str] = []
        tab.on("request", lambda r: fetched.append(r.url))
        # "Beratung": Bunde (part 1) and the Runder Tisch (part 2)
        titles, links = results(tab, url + "suche/?q=Beratung")
        assert "Familienstützpunkt Bunde" in titles
        assert any(t.startswith("Runder Tisch") for t in titles)
        assert {link.split("/")[-2] for link in links} >= {SLUGS[0], SLUGS[2]}
        assert not any("/ar/" in u or "/en/" in u for u in fetched)
        # "Familien" (German text on the Arabic pages): parts 1 and 3 of the Arabic index
        fetched.clear()
        titles, links = results(tab, url + "ar/suche/?q=Familien")
        assert "مكتب تنسيق الهجرة والمشاركة" in titles
        assert "Familienstützpunkt Bunde" in titles
        assert all(link.startswith("/ar/orte/") for link in links), links
        index_files = {u.split("/")[-3] for u in fetched if u.endswith(".pf_index")}
        assert index_files == {"pagefind", "pagefind-2", "pagefind-3"}
        assert all(f"{url}ar/pagefind" in u for u in fetched if "pagefind" in u)


@pytest.mark.browser
def test_a_search_for_a_category_loads_only_the_bundles_that_hold_it(parted_site):
    page = (parted_site / "suche/index.html").read_text("utf-8")
    held = re.search(r'data-categories="([^"]*)"', page).group(1)
    assert held == "familienstuetzpunkt|koordinierungskreis|koordinierungsstelle"
    with serve(parted_site) as url, browser() as chromium:
        tab = chromium.new_page()
        fetched: list[str] = []
        tab.on("request", lambda r: fetched.append(r.url))
        for address, slugs, loaded in [
            ("suche/?kategorie=koordinierungskreis", [SLUGS[2]], {"pagefind-2"}),
            (
                "suche/?kategorie=familienstuetzpunkt&kategorie=koordinierungsstelle",
                [SLUGS[0], SLUGS[1]],
                {"pagefind", "pagefind-3"},
            ),
        ]:
            fetched.clear()
            _titles, links = results(tab, url + address)
            assert sorted(link.split("/")[-2] for link in links) == sorted(slugs)
            metas = {u.split("/")[-2] for u in fetched if u.endswith(".pf_meta")}
            assert metas == loaded, address


# -- a part that fails ----------------------------------------------------------------------


def test_a_failing_part_is_reported_and_the_others_are_made(tmp_path):
    """Pagefind failing for one part: a warning naming it; the site and other parts stay."""
    real = get_executable()
    fake = tmp_path / "pagefind"
    fake.write_text(
        "#!/bin/sh\n"
        # the bundle is the last argument: --output-path <site>/pagefind-2
        'case "$*" in *"/out/pagefind-2") echo "kaputt: simulierter Fehler" >&2; exit 1;; esac\n'
        f'exec "{real}" "$@"\n',
        "utf-8",
    )
    fake.chmod(0o755)
    site = copy_fixture_site(tmp_path / "src")
    out = tmp_path / "out"
    env = {search.PART_SIZE_VARIABLE: "1", "PAGEFIND_BINARY_PATH": str(fake)}
    result = mkdocs_build(site, out, strict=False, env=env)
    assert result.returncode == 0, result.stderr
    assert "search index failed (pagefind-2/): kaputt: simulierter Fehler" in result.stderr
    assert result.stderr.count("search index failed") == 1  # not ar/pagefind-2/ etc.
    assert (out / "orte" / SLUGS[1] / "index.html").is_file()
    assert not (out / "pagefind-2").exists()
    for bundle in ("pagefind", "pagefind-3", "ar/pagefind-2", "en/pagefind-2"):
        assert (out / bundle / "pagefind-entry.json").is_file(), bundle


def test_parts_are_indexed_side_by_side_within_the_pages_at_once(monkeypatch, tmp_path):
    """One Pagefind run per core, while their pages stay within PAGES_AT_ONCE; a failed part
    is named and the others are still made."""
    running, most = [], []

    class Run:
        def __init__(self, site_dir, part, sources):
            self.part, self.polls = part, 0
            running.append(part)
            most.append([p.pages for p in running])

        def done(self):
            self.polls += 1
            return self.polls > 2

        def error(self):
            return "kaputt" if self.part.number == 3 else ""

        def close(self):
            running.remove(self.part)

    monkeypatch.setattr(search, "_Run", Run)
    monkeypatch.setattr(search.parallel, "cores", lambda: 2)
    monkeypatch.setattr(search, "PAGES_AT_ONCE", 100)
    parts = [
        search.Part("de", "", n, (f"s{n}",), pages)
        for n, pages in enumerate([60, 30, 90, 10, 200], 1)
    ]
    failed = list(search.build_indexes(tmp_path, parts))
    assert [(part.number, error) for part, error in failed] == [(3, "kaputt")]
    assert running == []
    assert max(len(now) for now in most) == 2
    assert all(sum(now) <= 100 or len(now) == 1 for now in most)
    assert [200] in most  # larger than PAGES_AT_ONCE: alone
