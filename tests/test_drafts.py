"""An entry page or list card drawn once and filled in per language (site/drafts.py) is,
byte for byte, what is drawn whole in that language: for the sample site, the test site and
generated entries with translations, relations, opening hours and right-to-left languages."""

import functools
import importlib.util
import sys

import pytest
from helpers import FIXTURES, REPO
from mkdocs.config import load_config
from wegweiser import mkdocs_adapter, urls
from wegweiser.site import drafts
from wegweiser.site.render import Renderer


@functools.cache
def _synth():
    spec = importlib.util.spec_from_file_location("synth", REPO / "scripts" / "synth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = module
    spec.loader.exec_module(module)
    return module


def _site(project, monkeypatch):
    monkeypatch.setenv("WEGWEISER_OFFLINE", "1")
    monkeypatch.setenv("WEGWEISER_CACHE_DIR", "off")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1793577600")
    return mkdocs_adapter.build_site(load_config(str(project / "mkdocs.yml")))


def _compare(site, monkeypatch) -> int:
    """Every entry page both ways in every language; returns how many drafts were drawn."""
    drawn = []
    draw = Renderer._draw
    monkeypatch.setattr(Renderer, "_draw", lambda self, *a: drawn.append(1) or draw(self, *a))
    renderers = site.renderers
    assert len(renderers) >= 3 and all(r.drafts is not None for r in renderers.values())
    whole = {lang: Renderer(r.directory, r.settings, lang, r.env) for lang, r in renderers.items()}
    entries = list(next(iter(renderers.values())).directory.entries.values())
    assert entries
    for entry in entries:
        for lang, renderer in renderers.items():
            assert renderer.entry(entry) == whole[lang].entry(entry), (entry.slug, lang)
    lists = 0
    for list_name in urls.SECTIONS:
        for term_id in next(iter(renderers.values())).directory.lists[list_name]:
            for lang, renderer in renderers.items():
                for page in range(1, renderer.term_pages(list_name, term_id) + 1):
                    drafted = renderer.term(list_name, term_id, page)
                    assert drafted == whole[lang].term(list_name, term_id, page), (term_id, lang)
                    lists += drafted.count('class="ww-card"')
    assert lists
    return len(drawn), len(entries)


@pytest.mark.parametrize("where", ["sample", "test site"])
def test_drafted_pages_are_the_pages_drawn_whole(where, monkeypatch):
    project = REPO if where == "sample" else FIXTURES / "site"
    drawn, entries = _compare(_site(project, monkeypatch), monkeypatch)
    assert drawn == entries  # one draft per entry served all seven languages


def test_generated_entries_with_translations_too(tmp_path, monkeypatch):
    _synth().generate(tmp_path, 80, seed=2)
    site = _site(tmp_path, monkeypatch)
    entries = site.renderers["de"].directory.entries.values()
    assert any(e.get("translations") for e in entries)
    assert any(e.schedule for e in entries)
    drawn, count = _compare(site, monkeypatch)
    assert drawn == count


def test_a_regions_own_entry_template_is_drawn_whole(tmp_path):
    assert drafts.for_templates("")
    assert drafts.for_templates(str(tmp_path))
    (tmp_path / "entry.html").write_text("{{ lang }}", "utf-8")
    assert not drafts.for_templates(str(tmp_path))


def test_marks_format_and_compare_as_words_do():
    words = drafts.Words({"a": "A & {x}", "b": "B"}, "de")
    assert words["a"] is words["a"] and words["a"] != words["b"]
    draft = drafts.Draft(f"<p>{words['a'].format(x=words['b'])}|{words['b']}</p>", words)
    assert (
        draft.fill({"a": "{x} & Ä", "b": "<b>"}, "en", {}) == "<p>&lt;b&gt; &amp; Ä|&lt;b&gt;</p>"
    )
