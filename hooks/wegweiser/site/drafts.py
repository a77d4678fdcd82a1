"""Drafts: an entry page drawn once for the languages in which it differs only in words.

An entry's page in seven languages is mostly the same page: its address, contacts, hours,
description and links do not depend on the language; the labels ("Adresse", "Telefon"),
the names of days, categories and topics do. So the template is drawn once with every
such word left as a numbered mark, and each language's page is that draft with its own
words filled in, as a frame is filled: a regular expression instead of a template.

What changes the page's *shape* is not a mark: which texts of the entry are translated
(the German original is marked ``lang="de"``), the writing direction, whether the page is
the German one, the depth of the language's tree. Those make the draft's key
(``Renderer._draft_key``); languages with the same key share the draft, and the language
that draws it first (``Words.lang``) decides all of them.

- ``Words`` stands for ``ui`` while drawing: ``ui["address"]`` and ``ui.address`` give a
  mark, ``.format(...)`` on a mark gives a mark that formats in the filled-in language;
  ``text_dir`` and ``page_lang`` stay real (they decide the shape).
- ``DraftLang`` stands for ``lang``: the drawing language itself (a ``str``), which the
  template's helpers for per-language values (``label``, ``search_marks``) recognise and
  answer with a mark.
- ``later`` wraps a helper that turns words into data (JSON for a script, a link's query
  string): given ``Words``, it answers with a mark and runs when the words are known.

A mark is filled in as Jinja would have written the value: escaped, unless it is markup.
``tests/test_drafts.py`` draws every entry of the sample site and of generated entries
both ways, in every language, and compares them byte for byte.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

START, END = "\x1e", "\x1f"  # never in a word, an entry or a page
_MARK = re.compile(f"{START}(\\d+){END}")
# Drafts kept (Drafts): an entry's page in its languages is drawn one after the other, a
# list page's too (frames.write), with up to paging.PAGE_SIZE cards.
KEPT = 256


class Mark(Markup):
    """A word not yet known; ``format`` gives another mark, formatting when filled in."""

    words: Words

    def format(self, *args: Any, **kwargs: Any) -> Mark:  # type: ignore[override]
        key = int(self[1:-1])

        def formatted(fill: Fill) -> str:
            return fill.raw_of(key).format(
                *(fill.raw(arg) for arg in args), **{k: fill.raw(v) for k, v in kwargs.items()}
            )

        return self.words.mark(formatted)


class Words:
    """``ui`` while a draft is drawn: each word a mark (one per word, so marks compare);
    ``page_lang`` is the drawing language (``DraftLang``)."""

    def __init__(self, ui: dict, lang: str):
        self.ui = ui  # the drawing language's words: which keys there are
        self.lang = DraftLang(lang)
        self.lang.words = self
        self.resolvers: list[Any] = []  # a word's key, or a function of the Fill
        self._marks: dict[Any, Mark] = {}

    def mark(self, resolve: Any, key: Any = None) -> Mark:
        """A new mark, filled in by ``resolve(fill)`` (the same mark again for a ``key``);
        a ``str`` for ``resolve`` is a word's key."""
        if key is not None and key in self._marks:
            return self._marks[key]
        made = Mark(f"{START}{len(self.resolvers)}{END}")
        made.words = self
        self.resolvers.append(resolve)
        if key is not None:
            self._marks[key] = made
        return made

    def __getitem__(self, key: str):
        if key == "page_lang":
            return self.lang
        return self.mark(key, key)

    def get(self, key: str, default: Any = None):
        if key not in self.ui:
            return default
        return self[key]

    def __contains__(self, key: str) -> bool:
        return key in self.ui


class DraftLang(str):
    """``lang`` while a draft is drawn: the drawing language, with its words at hand."""

    words: Words


def later(helper: Callable) -> Callable:
    """``helper`` deferred while drawing: with ``Words`` or a ``DraftLang`` among its
    arguments it answers with a mark, and runs with the filled-in language's words and code.
    Helpers that give per-language values (a term's name, an entry's translated text) or
    turn words into data (JSON for a script, a link's query string) are wrapped so."""

    @functools.wraps(helper)
    def wrapped(*args):
        for arg in args:
            if isinstance(arg, Words | DraftLang):
                words = arg if isinstance(arg, Words) else arg.words
                return words.mark(_Deferred(helper, args))
        return helper(*args)

    return wrapped


class _Deferred:
    """A helper's call, made when a page is filled in (``later``)."""

    __slots__ = ("helper", "args", "spots")

    def __init__(self, helper: Callable, args: tuple):
        self.helper, self.args = helper, args
        self.spots = [
            at
            for at, arg in enumerate(args)
            if isinstance(arg, Words | DraftLang) or (isinstance(arg, str) and START in arg)
        ]

    def __call__(self, fill: Fill) -> Any:
        args = list(self.args)
        for at in self.spots:
            args[at] = fill.real(args[at])
        return self.helper(*args)


def isolated(text: str, words: Words) -> str:
    """``text`` isolated as left-to-right on right-to-left pages (openstate.ltr), drawn:
    the isolating characters are words of their own, "" in left-to-right languages."""
    return f"{words.mark(_LRI, _LRI)}{text}{words.mark(_PDI, _PDI)}"


# Words a Fill derives from a language's ui: (key) -> function of the ui.
_LRI, _PDI = "\x00lri", "\x00pdi"
DERIVED: dict[str, Callable[[dict], str]] = {
    _LRI: lambda ui: "\u2066" if ui.get("text_dir") == "rtl" else "",
    _PDI: lambda ui: "\u2069" if ui.get("text_dir") == "rtl" else "",
}


# Each language's words escaped once, for the marks written into a page: id(ui) -> (ui, words)
_ESCAPED: dict[int, tuple[dict, dict[str, str]]] = {}


class Fill:
    """One language's words for a draft's marks."""

    def __init__(self, words: Words, ui: dict, lang: str, values: dict):
        self.resolvers, self.ui, self.lang, self.values = words.resolvers, ui, lang, values
        kept = _ESCAPED.get(id(ui))
        if kept is None or kept[0] is not ui:
            if len(_ESCAPED) >= 64:  # `mkdocs serve` makes new words for every build
                _ESCAPED.clear()
            kept = _ESCAPED[id(ui)] = (ui, {})
        self.escaped = kept[1]

    def real(self, value: Any) -> Any:
        """An argument of a deferred helper (``later``) in the filled-in language."""
        if isinstance(value, Words):
            return self.ui
        if isinstance(value, DraftLang):
            return self.lang
        return self.raw(value)

    def word(self, key: str) -> str:
        return self.ui[key] if key not in DERIVED else DERIVED[key](self.ui)

    def raw_of(self, index: int) -> Any:
        """What mark ``index`` stands for, as the template's code would have had it."""
        resolve = self.resolvers[index]
        if isinstance(resolve, str):
            return self.word(resolve)
        return self.raw(resolve(self))

    def raw(self, value: Any) -> Any:
        """A value with the marks inside it replaced (escaped inside markup, as Markup's
        own operations escape what they take in; as they are inside plain text)."""
        if isinstance(value, Mark):
            return self.raw_of(int(value[1:-1]))
        if isinstance(value, str) and START in value:
            if isinstance(value, Markup):
                return Markup(_MARK.sub(lambda m: self.html_of(int(m.group(1))), value))
            return _MARK.sub(lambda m: str(self.raw_of(int(m.group(1)))), value)
        return value

    def html_of(self, index: int) -> str:
        """Mark ``index`` as Jinja writes a value into a page: escaped unless markup."""
        resolve = self.resolvers[index]
        if isinstance(resolve, str):
            found = self.escaped.get(resolve)
            if found is None:
                found = self.escaped[resolve] = str(escape(self.word(resolve)))
            return found
        return str(escape(self.raw(resolve(self))))


class Draft:
    """An entry page drawn once: its text in parts, every other part a mark's number."""

    def __init__(self, html: str, words: Words):
        self.parts = _MARK.split(html)
        self.marks = [int(index) for index in self.parts[1::2]]
        self.words = words

    def fill(self, ui: dict, lang: str, values: dict) -> str:
        """The page in ``lang``; ``values``: the context values that are marks in the draft
        (``value``), as that language has them."""
        fill = Fill(self.words, ui, lang, values)
        resolvers, escaped, out = self.words.resolvers, fill.escaped, self.parts[:]
        for at, index in enumerate(self.marks, start=0):
            found = resolvers[index]
            found = escaped.get(found) if found.__class__ is str else None
            out[2 * at + 1] = found if found is not None else fill.html_of(index)
        return "".join(out)


def value(words: Words, name: str) -> Mark:
    """A mark for the context value ``name`` of the filled-in language (a link in its words)."""
    return words.mark(lambda fill: fill.values[name], ("value", name))


# The templates a draft is drawn with: a region's own may use ``lang`` and ``ui`` as it likes.
DRAWN = ("entry.html", "_macros.html")


def for_templates(folder: str) -> bool:
    """Whether entry pages can be drafted: not where the region has its own entry template
    or macros (those pages are drawn whole, in every language)."""
    return not folder or not any((Path(folder) / name).is_file() for name in DRAWN)


class Drafts:
    """The drafts of a build's languages, shared by their renderers: the last ``KEPT``
    (frames.write draws an entry's languages one after the other)."""

    def __init__(self):
        self._kept: dict[Any, Draft] = {}

    def get(self, key: Any) -> Draft | None:
        return self._kept.get(key)

    def keep(self, key: Any, draft: Draft) -> Draft:
        if len(self._kept) >= KEPT:
            self._kept.pop(next(iter(self._kept)))
        self._kept[key] = draft
        return draft
