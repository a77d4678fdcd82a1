"""Checks for single field values, each with a library made for the job.

Each check raises ``FieldProblem`` with a message code; jsonschema calls them for the
``format`` keyword of the schema, and the validator turns them into findings.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from urllib.parse import urlsplit

import email_validator
import idna
import jsonschema
import opening_hours
import phonenumbers


class FieldProblem(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


# -- phone numbers -------------------------------------------------------------------------

_PHONE_CHARS = re.compile(r"^\+?[0-9 ()/.\-–]+$")


def normalise_phone(value: str, region: str = "DE") -> str:
    """E.164 form for ``tel:`` links; raises FieldProblem for anything that is not a number."""
    if not _PHONE_CHARS.fullmatch(value):  # fullmatch: "$" alone lets a final newline in
        raise FieldProblem("format.phone_chars")
    return _e164(value, region)


# The schema's format check and the tel: link both ask about each number: parse it once.
# A number that is not valid raises, and lru_cache keeps no exceptions, so it raises again.
@functools.lru_cache(maxsize=8192)
def _e164(value: str, region: str) -> str:
    try:
        number = phonenumbers.parse(value.replace("–", "-"), region)
    except phonenumbers.NumberParseException:
        raise FieldProblem("format.phone") from None
    if not phonenumbers.is_valid_number(number):
        raise FieldProblem("format.phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# -- e-mail --------------------------------------------------------------------------------


# Legal in an address, but in a ``mailto:`` link they start or encode header fields:
# "x?bcc=someone%40evil.example&y=@example.org" would send a blind copy elsewhere.
_MAILTO_SPECIAL = re.compile(r"[?&%#]")


def check_email(value: str) -> None:
    try:
        email_validator.validate_email(value, check_deliverability=False)
    except email_validator.EmailNotValidError as exc:
        raise FieldProblem("format.email", reason=str(exc)) from None
    if _MAILTO_SPECIAL.search(value):
        raise FieldProblem("format.email_mailto")


# -- web addresses -------------------------------------------------------------------------

_URL_FORBIDDEN = re.compile(r"[\s\"'<>\\`{}|^]")


def check_web_url(value: str) -> None:
    """Only plain http(s) addresses to a named host: no scripts, data, or passwords."""
    if _URL_FORBIDDEN.search(value) or not value.isprintable():
        raise FieldProblem("format.url_chars")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        raise FieldProblem("format.url_scheme", scheme=parts.scheme or "")
    if parts.scheme != parts.scheme.lower():
        raise FieldProblem("format.url_scheme", scheme=parts.scheme)
    if "@" in parts.netloc:
        raise FieldProblem("format.url_credentials")
    host = parts.hostname or ""
    if "." not in host or host.startswith(".") or host.endswith("."):
        raise FieldProblem("format.url_host")
    check_host_script(host)


def check_host_script(host: str) -> None:
    """Refuse host names that mix scripts, such as a Cyrillic "а" inside a Latin name."""
    for label in host.split("."):
        scripts = {_script(ch) for ch in label if ch.isalpha()}
        if len(scripts) > 1:
            raise FieldProblem("format.url_mixed_script", label=label)


def other_script_host(value: str) -> tuple[str, str, str] | None:
    """Host, label and punycode form of the host when a label is in a script other than
    Latin (a label mixing scripts is refused before, by ``check_host_script``).

    ``аррӏе.com`` is five Cyrillic letters: no label mixes scripts, yet it reads as
    "apple.com". Real Cyrillic, Greek or Arabic names exist, so this is no error, only
    something an editor must see: the ``xn--`` form is the address the link really has.
    Latin names with umlauts (``müller.de``) are Latin and pass.
    """
    host = urlsplit(value).hostname or ""
    for label in host.split("."):
        scripts = {_script(ch) for ch in label if ch.isalpha()}
        if scripts and scripts != {"LATIN"}:
            return host, label, punycode(host)
    return None


def punycode(host: str) -> str:
    """``аррӏе.com`` -> ``xn--80ak6aa92e.com``: IDNA 2008 with the UTS 46 mapping, as
    browsers resolve it; a name IDNA refuses is still shown, label by label."""
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        return ".".join(
            label if label.isascii() else "xn--" + label.encode("punycode").decode("ascii")
            for label in host.split(".")
        )


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else "?"


def is_safe_link(target: str) -> bool:
    """For links inside Markdown text: web, mail and phone links only."""
    target = target.strip()
    if target.startswith("#"):
        return True
    scheme = urlsplit(target).scheme.lower()
    if scheme == "tel":
        return target.isprintable() and not _URL_FORBIDDEN.search(target)
    try:
        if scheme == "mailto":  # the address alone: "?bcc=" would add hidden recipients
            check_email(target.split(":", 1)[1])
        else:
            check_web_url(target)
    except FieldProblem:
        return False
    return True


# -- opening hours -------------------------------------------------------------------------


def check_opening_hours(value: str) -> None:
    try:
        opening_hours.OpeningHours(value)
    except (opening_hours.ParserError, SyntaxError, ValueError) as exc:
        detail = str(exc).strip().splitlines()
        raise FieldProblem("format.opening_hours", detail=_oh_detail(detail)) from None


def _oh_detail(lines: list[str]) -> str:
    """The parser reports ``--> 1:4`` and an expectation; keep the two useful bits."""
    where = next((ln.split("-->")[1].strip() for ln in lines if "-->" in ln), "")
    expected = next((ln.split("=", 1)[1].strip() for ln in lines if ln.strip().startswith("=")), "")
    column = where.split(":")[-1] if where else "?"
    return f"Zeichen {column}: {expected}" if expected else f"Zeichen {column}"


# -- dates ---------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_past_date(value: str, today: dt.date | None = None) -> dt.date:
    if not _DATE.fullmatch(value):
        raise FieldProblem("format.date")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise FieldProblem("format.date") from None
    if day > (today or dt.date.today()):
        raise FieldProblem("format.date_future")
    return day


# -- text ----------------------------------------------------------------------------------

# Bidi overrides, embeddings and isolates can make text read differently from what it
# is (names that look like other names); zero-width characters hide inside words.
# Marks that real Arabic and Persian text needs (ZWNJ, ZWJ, LRM, RLM, ALM) stay allowed.
_HIDDEN = re.compile(r"[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\u00ad\u180e]")


# Line breaks of every kind: a one-line text (a name, a street) never holds one, or a
# calendar or a table made from it could be given an extra line.
_LINE_BREAK = re.compile(r"[\n\r\t\v\f\x1c-\x1e\x85\u2028\u2029]")
# The first character of a formula in a spreadsheet; a name or a street has no reason to
# begin with one (a phone number's "+" is neutralised by the table export instead).
_FORMULA_START = ("=", "@", "+")


def one_line_problem(text: str, words: bool = True) -> tuple[str, str] | None:
    """(message code, character) of what a one-line value must not hold; None if fine.

    ``words``: a text of words (name, street), which also must not begin like a formula.
    """
    if match := _LINE_BREAK.search(text):
        return "text.line_break", f"U+{ord(match[0]):04X}"
    if words and text.startswith(_FORMULA_START):
        return "text.formula_start", text[0]
    return None


def hidden_character(text: str) -> tuple[int, str] | None:
    """Index and code point of the first invisible control character, if any."""
    match = _HIDDEN.search(text)
    return (match.start(), f"U+{ord(match[0]):04X}") if match else None


_TIME_RANGE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_time_range(value: str) -> None:
    """``14:00-16:00``: two times of day, the end after the start."""
    match = _TIME_RANGE.fullmatch(value)
    if not match:
        raise FieldProblem("format.time_range")
    start, end = value.split("-")
    if end <= start:
        raise FieldProblem("format.time_range_order")


def check_date(value: str) -> None:
    if not _DATE.fullmatch(value):
        raise FieldProblem("format.date")
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise FieldProblem("format.date") from None


def format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("phone", raises=FieldProblem)(
        lambda v: not isinstance(v, str) or bool(normalise_phone(v))
    )
    for name, check in (
        ("email", check_email),
        ("web-url", check_web_url),
        ("opening-hours", check_opening_hours),
        ("past-date", check_past_date),
        ("date", check_date),
        ("time-range", check_time_range),
    ):
        checker.checks(name, raises=FieldProblem)(_returns_true(check))
    return checker


def _returns_true(check):
    def run(value) -> bool:
        if isinstance(value, str):
            check(value)
        return True

    return run
