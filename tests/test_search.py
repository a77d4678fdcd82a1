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


def realistic(n: int) -> list[str]:
    """Slugs as synth.py makes them: kind, town, and a number where the pair repeats."""
    slugs = [f"{KINDS[i % 4]}-{TOWNS[i // 4 % 15]}" for i in range(n)]
    seen: Counter = Counter()
    result = []
    for slug in slugs:
        seen[slug] += 1
        result.append(slug if seen[slug] == 1 else f"{slug}-{seen[slug]}")
    return result


CORPORA = {
    "realistic": realistic(20_000),
    # one long shared beginning: the cuts must go deep
    "numbered": [f"migrationsberatung-leer-{i}" for i in range(20_000)],
    # whole slugs that other slugs begin with
    "nested": ["ab", "ab-c", "ab-c-d", "ab-cd", "abc", "b", "b-1", "b-1-1", "b-2", "c"],
}


def owners(parts: list[search.Part], slug: str) -> list[search.Part]:
    """The parts whose glob takes the page of ``slug``: a prefix ("fa*") or the whole slug."""
    return [
        part
        for part in parts
        if not part.patterns
        or any(slug.startswith(p[:-1]) if p.endswith("*") else slug == p for p in part.patterns)
    ]


@pytest.mark.parametrize("name", CORPORA)
def test_plan_puts_every_slug_in_exactly_one_part_of_its_language(name):
    slugs = CORPORA[name]
    size = 8_000 if len(slugs) > 100 else 3
    parts = search.plan(TREES, slugs, size)
    for lang, tree in TREES.items():
        mine = [part for part in parts if part.lang == lang]
        assert len(mine) == math.ceil(len(slugs) / size)
        assert [part.bundle for part in mine] == [
            f"{tree}pagefind{'' if k == 1 else f'-{k}'}/" for k in range(1, len(mine) + 1)
        ]
        counts: Counter = Counter()
        for slug in slugs:
            found = owners(mine, slug)
            assert len(found) == 1, (slug, [p.bundle for p in found])
            counts[found[0].bundle] += 1
        assert {part.bundle: part.pages for part in mine} == counts
        for part in mine:
            assert part.glob.startswith(f"{tree}orte/{{") and part.glob.endswith("}/index.html")


@pytest.mark.parametrize("name", CORPORA)
def test_plan_is_balanced_deterministic_and_its_globs_short(name):
    slugs = CORPORA[name]
    size = 8_000 if len(slugs) > 100 else 3
    parts = search.plan({"de": ""}, slugs, size)
    pages = [part.pages for part in parts]
    share = len(slugs) / len(parts)
    # each cut moves by at most a sixteenth of a part, so a part is off by at most an eighth
    assert all(abs(count - share) <= share / 8 + 1 for count in pages)
    assert max(pages) <= size * 1.125
    shuffled = list(slugs)
    random.Random(7).shuffle(shuffled)
    assert search.plan({"de": ""}, shuffled + slugs[:5], size) == parts
    # an argument may be 128 KB; listing 7,000 slugs would take far more
    assert max(len(part.glob) for part in parts) < 2_000


def test_a_language_up_to_the_part_size_is_one_bundle_as_before():
    parts = search.plan(TREES, realistic(5_000), 5_000)
    assert [(p.bundle, p.glob, p.pages) for p in parts] == [
        ("pagefind/", "orte/*/index.html", 5_000),
        ("ar/pagefind/", "ar/orte/*/index.html", 5_000),
    ]


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


def results(tab, path: str) -> tuple[list[str], list[str]]:
    tab.goto(path)
    tab.locator(".pagefind-ui__result-link").first.wait_for(timeout=15_000)
    tab.wait_for_load_state("networkidle")
    links = tab.locator(".pagefind-ui__result-link")
    return links.all_inner_texts(), [a.get_attribute("href") for a in links.all()]


@pytest.mark.browser
def test_search_finds_entries_in_every_part_in_german_and_arabic(parted_site):
    parts = search.plan(TREES, SLUGS, 1)
    assert [p.pages for p in parts] == [1, 1, 1, 1, 1, 1]  # each entry its own part
    with serve(parted_site) as url, browser() as chromium:
        tab = chromium.new_page()
        fetched: list[str] = []
        tab.on("request", lambda r: fetched.append(r.url))
        # "Beratung": Bunde (part 1) and the Runder Tisch (part 3)
        titles, links = results(tab, url + "suche/?q=Beratung")
        assert "Familienstützpunkt Bunde" in titles
        assert any(t.startswith("Runder Tisch") for t in titles)
        assert {link.split("/")[-2] for link in links} >= {SLUGS[0], SLUGS[2]}
        assert not any("/ar/" in u or "/en/" in u for u in fetched)
        # "Familien" (German text on the Arabic pages): parts 1 and 2 of the Arabic index
        fetched.clear()
        titles, links = results(tab, url + "ar/suche/?q=Familien")
        assert "مكتب تنسيق الهجرة والمشاركة" in titles
        assert "Familienstützpunkt Bunde" in titles
        assert all(link.startswith("/ar/orte/") for link in links), links
        index_files = {u.split("/")[-3] for u in fetched if u.endswith(".pf_index")}
        assert index_files == {"pagefind", "pagefind-2", "pagefind-3"}
        assert all(f"{url}ar/pagefind" in u for u in fetched if "pagefind" in u)


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
