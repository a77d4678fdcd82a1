"""The schema gate: it says "valid" exactly when jsonschema finds nothing, and it is used.

Valid entries skip jsonschema (schemagate.py); every finding still comes from jsonschema.
So the gate must agree with jsonschema on every value: on the fixtures, the hostile corpus
and on values made near every limit of the schema.
"""

from __future__ import annotations

import collections
import copy
import datetime as dt
import os

import jsonschema
import pytest
from helpers import FIXTURES
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from wegweiser.core import fields
from wegweiser.core.findings import format_text
from wegweiser.core.loader import LoadError, load_bytes
from wegweiser.core.schemagate import compile_gate
from wegweiser.core.validate import Validator

TODAY = dt.date(2026, 11, 24)
ENTRY_FILES = sorted(
    [
        *(FIXTURES / "invalid").glob("*.yml"),
        *(FIXTURES / "hostile").glob("*.yml"),
        *(FIXTURES / "site" / "entries").rglob("*.yml"),
    ]
)


@pytest.fixture(scope="module")
def validator():
    return Validator(FIXTURES, FIXTURES / "site" / "entries", today=TODAY)


def jsonschema_finds_nothing(checker, value) -> bool:
    return next(checker.validator.iter_errors(value), None) is None


def test_gate_agrees_with_jsonschema_on_every_fixture(validator):
    checker = validator.checker
    assert checker.gate is not None
    verdicts = collections.Counter()
    for path in ENTRY_FILES:
        try:
            doc = load_bytes(path.read_bytes())
        except LoadError:
            continue
        value = checker._prepare(doc.value, checker.schema, (), doc)
        expected = jsonschema_finds_nothing(checker, value)
        assert checker.gate(value) is expected, path
        verdicts[expected] += 1
    assert verdicts[True] >= 20 and verdicts[False] >= 40, verdicts


def valid_entry(validator) -> dict:
    """An entry with every field filled in, valid against the fixture site's lists."""
    lists = validator.lists
    return {
        "name": "Ein Ort",
        "category": "netzwerk",
        "summary": "Ein Ort zum Prüfen der Schranke.",
        "description": "Text mit [Link](https://example.org/).",
        "topics": list(lists["topics"])[:2],
        "audiences": list(lists["audiences"])[:1],
        "address": {
            "street": "Hauptstraße 1",
            "extra": "2. Stock",
            "postcode": "26789",
            "city": "Leer",
        },
        "location": {"lat": 53.2, "lon": 7.4},
        "phone": "0491 999028-21",
        "email": "info@example.org",
        "website": "https://example.org/",
        "contacts": [{"role": "Leitung", "name": "A. B.", "phone": "+49 491 99902821"}],
        "opening_hours": "Mo-Fr 08:30-12:00",
        "meetings": {
            "repeat": "monthly",
            "day": "We",
            "week": "1",
            "time": "14:00-16:00",
            "first": "2026-02-04",
            "until": "2027-01-01",
            "place": "Rathaus",
            "note": "Gäste willkommen",
        },
        "languages": ["de", "en"],
        "verified": {"date": "2026-01-01", "by": "Redaktion", "method": "phone"},
        "members": ["ein-ort"],
        "part_of": "netz",
        "coordinated_by": "stelle",
        "translations": {
            "en": {"name": "A place", "summary": "A place to test the gate."},
            "ar": {"machine_translated": True},
        },
        "example": True,
        "example_fields": ["summary", "phone"],
    }


def paths_of(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from paths_of(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from paths_of(child, path + (index,))


DELETE = object()
EDGES = [
    None, True, False, 0, 1, 1.0, -0.5, 53.2, 90.0, 90.5, -180.0, -181.0, 1e400, -1e400,
    "", "x", "xy", "x" * 9, "x" * 10, "x" * 150, "x" * 151, "x" * 300, "x" * 301, "x" * 5001,
    "26789", "26789\n", "26789\n\n", "2678", " 26789", "Leer", "leer", "Bunde", "netzwerk",
    "netzwerck", "de", "en", "no", "xx", "familie", "True", "0491 999028-21", "0491 1",
    "0491 abc", "info@example.org", "a?b@example.org", "info@", "https://example.org/",
    "javascript:alert(1)", "https://user:pw@example.org/", "https://exаmple.org/",
    "Mo-Fr 08:30-12:00", "Mo-Fx 8", "2026-01-01", "2026-02-30", "2999-01-01", "2026-1-1",
    "14:00-16:00", "16:00-14:00", "monthly", "weekly", "We", "Xx", "last", "5", "phone",
    "summary", "\u202eevil", [], {}, ["de", "de"], ["de", "xx"], ["familie", "familie"],
    [True, "True"], [1, 1.0], [None], [{}], {"a": 1}, {"en": {}}, {"name": "Ort"},
    {"lat": 1.0}, {"lat": 1.0, "lon": 2.0}, {"role": "Le"}, ["x"] * 21,
]  # fmt: skip
KEYS = ["name", "city", "lat", "en", "xx", "role", "adress", "machine_translated", "week"]
EDITS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10_000),
        st.one_of(st.just(DELETE), st.sampled_from(EDGES), st.text(max_size=12)),
        st.one_of(st.none(), st.sampled_from(KEYS)),
    ),
    min_size=1,
    max_size=3,
)


def edited(base: dict, edits) -> dict:
    """``base`` with each edit: at a chosen place, a new value, or a new key with that value."""
    value = copy.deepcopy(base)
    for index, new, key in edits:
        paths = [p for p in paths_of(value) if p]
        path = paths[index % len(paths)]
        parent = value
        for part in path[:-1]:
            parent = parent[part]
        if key is not None and isinstance(parent, dict):
            path = path[:-1] + (key,)
        if new is not DELETE:
            parent[path[-1]] = copy.deepcopy(new)
        elif isinstance(parent, list) or path[-1] in parent:
            del parent[path[-1]]
    return value


@settings(
    max_examples=1500,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@pytest.mark.slow
@given(EDITS)
def test_gate_agrees_with_jsonschema_near_every_limit(validator, edits):
    checker = validator.checker
    value = edited(valid_entry(validator), edits)
    expected = jsonschema_finds_nothing(checker, value)
    event(f"valid: {expected}")
    assert checker.gate(value) is expected


def test_the_full_entry_used_above_is_valid(validator):
    value = valid_entry(validator)
    assert jsonschema_finds_nothing(validator.checker, value)
    assert validator.checker.gate(value)


class CountingValidator:
    """Stands in for the jsonschema validator and counts how often it is asked."""

    def __init__(self, real):
        self.real = real
        self.calls = 0

    def iter_errors(self, value):
        self.calls += 1
        return self.real.iter_errors(value)

    def evolve(self, **changes):
        return self.real.evolve(**changes)


def test_valid_file_skips_jsonschema_and_invalid_file_gets_its_findings(validator, monkeypatch):
    counting = CountingValidator(validator.checker.validator)
    monkeypatch.setattr(validator.checker, "validator", counting)
    valid = FIXTURES / "site" / "entries" / "leer" / "familienstuetzpunkt-bunde.yml"
    entry, findings = validator.check_file(valid)
    assert entry is not None and findings == []
    assert counting.calls == 0

    invalid = FIXTURES / "invalid" / "unknown-key.yml"
    entry, findings = validator.check_file(invalid)
    expected = invalid.with_suffix(".expected").read_text("utf-8")
    assert entry is None
    assert "\n".join(format_text(f) for f in sorted(findings)) + "\n" == expected
    assert counting.calls == 1


@pytest.mark.parametrize(
    "schema",
    [
        {"prefixItems": [{"type": "string"}]},  # no such keyword in draft-07
        {"items": [{"type": "string"}]},  # a list of schemas: "prefixItems" in 2020-12
        {"$defs": {"a": {}}, "properties": {"x": {"$ref": "#/$defs/a"}}},
        {"const": 1},  # fastjsonschema compares 1 and True alike
        {"type": "object", "properties": {"a": {"unevaluatedProperties": False}}},
        {"enum": ["a", 1]},  # only text is compared the same way by both
        {"pattern": "^a$|^b$"},  # "$" before the end: fastjsonschema would read it as \Z
        {"pattern": "^a\\$"},
        {"type": "thing"},  # fastjsonschema refuses to compile it
    ],
)
def test_no_gate_where_it_could_differ(schema):
    assert compile_gate(schema, jsonschema.FormatChecker()) is None


def test_pattern_keeps_pythons_dollar():
    schema = {"type": "string", "pattern": "^[0-9]{5}$"}
    gate = compile_gate(schema, jsonschema.FormatChecker())
    full = jsonschema.Draft202012Validator(schema)
    for text in ("26789", "26789\n", "26789\n\n", "2678", "x26789"):
        assert gate(text) is full.is_valid(text), repr(text)
    assert gate("26789\n")  # re.search("$") also matches before a final line break


def test_every_format_check_accepts_values_that_are_not_text():
    """jsonschema asks format checks about any value, fastjsonschema only about text."""
    checker = fields.format_checker()
    assert checker.checkers
    for name in checker.checkers:
        for value in (None, 0, 1.5, True, [], {}, ["x"], {"a": "b"}):
            assert checker.conforms(value, name), (name, value)


def test_an_unexpected_error_in_a_check_leaves_the_verdict_to_jsonschema():
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("boom")
    def boom(value):
        raise RuntimeError("not a FieldProblem")

    gate = compile_gate({"type": "string", "format": "boom"}, checker)
    assert gate("x") is False  # the full check then runs, and fails as it always did


CANARY = "WEGWEISER_GATE_CANARY"
HOSTILE_NAMES = [
    'a"b', "a'b", "a\\", '\\"', "'''", '"""', "a\nb", "a\u2028b", "{name}", "{0}", "%s",
    f'" + __import__("os").environ.setdefault("{CANARY}", "1") + "',
    f"' + __import__('os').environ.setdefault('{CANARY}', '1') + '",
    f'"); __import__("os").environ.setdefault("{CANARY}", "1"); ("',
    f'\\" + __import__("os").environ.setdefault("{CANARY}", "1") + "\\',
]  # fmt: skip


def test_list_values_stay_data_in_the_compiled_gate(monkeypatch):
    """Names in entries/_lists/ come from pull requests; the compiled gate must not run them."""
    monkeypatch.delenv(CANARY, raising=False)
    gate = compile_gate({"type": "string", "enum": HOSTILE_NAMES}, jsonschema.FormatChecker())
    assert gate is not None
    for name in HOSTILE_NAMES:
        assert gate(name), name
    assert not gate("Leer")  # the refusal writes the whole list into its message
    assert CANARY not in os.environ
