"""Texts that look alike though they are written differently.

"Müller Haus" can be written with a precomposed "ü" (NFC) or as "u" plus a combining
diaeresis (NFD), or with a Cyrillic "М" or a Greek "ο" in place of the Latin letter:
four spellings that a reader cannot tell apart. Two steps make them equal:

- NFKC, Unicode's compatibility normalisation: NFD and NFC become one form, full-width
  and ligature letters (``ｆｉ``, ``ﬁ``) become plain ones;
- the confusable *skeleton* of Unicode TR39 (Security Mechanisms): every character is
  replaced by the prototype it is most often confused with, so Cyrillic "М" and Greek
  "Μ" both become Latin "M", and Cyrillic "І" as well as Latin "I" become "l".

The table of confusables is Unicode's own ``confusables.txt``, as the package
``confusable_homoglyphs`` ships it. That package keeps every pair in both directions
(``М`` lists ``M``, and ``M`` lists ``М`` among all its look-alikes); the direction TR39
gives is recovered by ``prototype`` below.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

from confusable_homoglyphs import confusables

MAX_SHOWN = 4  # differences named in a message; more are cut with "…"


def _homoglyphs(char: str) -> list[str]:
    """Every character (or short string) Unicode lists as confusable with ``char``."""
    found = confusables.is_confusable(char, preferred_aliases=[])
    return [glyph["c"] for glyph in found[0]["homoglyphs"]] if found else []


@functools.cache
def prototype(char: str) -> str:
    """The TR39 prototype of one character: what it is mapped to in a skeleton.

    In ``confusables.txt`` a character is either a *source*, with exactly one prototype,
    or a prototype, which maps to itself and is listed with all its sources. So a
    character with several look-alikes is a prototype, and one with a single look-alike
    that has several (or is a string such as "rn" for "m") is a source of it. Two that
    list only each other are one source and its prototype, and either can stand for both.
    """
    others = _homoglyphs(char)
    if len(others) != 1:
        return char
    other = others[0]
    if len(other) > 1 or len(_homoglyphs(other)) > 1:
        return other
    return min(char, other)


def skeleton(text: str) -> str:
    """NFKC, then every character by its prototype (TR39 works on the decomposed text)."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    return unicodedata.normalize("NFC", "".join(prototype(c) for c in decomposed))


def _words(text: str) -> str:
    """Letters and digits only, single spaces: "Netz  A." and "netz a" compare equal."""
    return re.sub(r"\W+", " ", text).strip()


@functools.lru_cache(maxsize=1 << 16)  # the quick preview checks the same texts again
def keys(text: str) -> tuple[str, str]:
    """Two comparison keys; two texts look alike when either key is the same.

    Case is folded once after the skeleton (Cyrillic "М" -> "M" -> "m" meets Latin "m")
    and once before it (Cyrillic "і" -> "i" meets Latin "I" -> "i"): TR39 maps capital
    and small letters to different prototypes, so neither order alone finds both.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _words(skeleton(text).casefold()), _words(skeleton(folded))


def differences(mine: str, theirs: str) -> tuple[str, str]:
    """Where two look-alike texts differ, as code points: ("U+041C", "U+004D").

    Both sides list the differing pieces in the same order, comma-separated; a piece
    that one side lacks is shown as "–".
    """
    mine, theirs = " ".join(mine.split()), " ".join(theirs.split())
    matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
    pieces = [
        (_code_points(mine[i1:i2]), _code_points(theirs[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    more = ["…"] if len(pieces) > MAX_SHOWN else []
    here = [a for a, _b in pieces[:MAX_SHOWN]] + more
    there = [b for _a, b in pieces[:MAX_SHOWN]] + more
    return ", ".join(here), ", ".join(there)


def _code_points(text: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in text) or "–"
