"""The YAML traps of PyYAML's 1.1 typing and YAML's dangerous features, one case each."""

import pytest
from wegweiser.core.loader import MAX_BYTES, LoadError, load_bytes


def load(text: str):
    return load_bytes(text.encode("utf-8"))


def problem(data: bytes):
    with pytest.raises(LoadError) as info:
        load_bytes(data)
    p = info.value.problem
    return p.code, p.line, p.col


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("postcode: 01067", "01067"),  # YAML 1.1: octal 567
        ("phone: 0491 99902821", "0491 99902821"),
        ("phone: 049199902821", "049199902821"),  # YAML 1.1: integer
        ("time: 8:30", "8:30"),  # YAML 1.1: sexagesimal 510
        ("lang: no", "no"),  # YAML 1.1: False
        ("lang: on", "on"),
        ("date: 2026-01-15", "2026-01-15"),  # YAML 1.1: datetime.date
        ("value: 1e3", "1e3"),
        ("value: .nan", ".nan"),
    ],
)
def test_scalars_stay_strings(source, expected):
    key = source.split(":")[0]
    assert load(source).value == {key: expected}


def test_every_value_keeps_its_line_and_column():
    doc = load("name: A\naddress:\n  city: Leer\nlanguages:\n  - de\n  - ar\n")
    assert doc.marks[("address", "city")] == (3, 9)
    assert doc.marks[("languages", 1)] == (6, 5)
    assert doc.key_marks[("address",)] == (2, 1)


def test_empty_values_are_none_and_quoted_values_are_not_plain():
    doc = load('a:\nb: ""\nc: "true"\nd: true\n')
    assert doc.value == {"a": None, "b": "", "c": "true", "d": "true"}
    assert ("d",) in doc.plain and ("c",) not in doc.plain


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a: 1\nb: 2\na: 3\n", ("yaml.duplicate_key", 3, 1)),
        (b"a: &x 1\nb: *x\n", ("yaml.anchor", 1, 4)),
        (b"a: [*x]\n", ("yaml.alias", 1, 5)),
        (b"base: {a: 1}\nmerged:\n  <<: {b: 2}\n", ("yaml.merge", 3, 3)),
        (b"a: !!python/object/apply:os.system [ls]\n", ("yaml.tag", 1, 4)),
        (b"a: !custom x\n", ("yaml.tag", 1, 4)),
        (b"a: 1\n---\nb: 2\n", ("yaml.multi_document", 2, 1)),
        (b"a:\n\tb: 1\n", ("yaml.tab", 2, 1)),
        (b"name: Caf\xe9\n", ("yaml.encoding", 1, 10)),
        (b"name: a\x00b\n", ("yaml.control_char", 1, 8)),
        (b"name: a\x1bb\n", ("yaml.control_char", 1, 8)),
        (b'name: "a\\e[2Jb"\n', ("yaml.control_char", 1, 7)),  # escapes decode to controls
        (b'"k\\x07": 1\n', ("yaml.control_char", 1, 1)),
        (b'email: "a@b.de\\r\\nBcc: c@d.de"\n', ("yaml.control_char", 1, 8)),
        (b"", ("yaml.empty", 1, 1)),
        (b"# only a comment\n", ("yaml.empty", 1, 1)),
        (b"a: [1, 2\n", ("yaml.syntax", 2, 1)),
        (b"summary: Zeit: 9 Uhr\n", ("yaml.colon", 1, 14)),
        (b"? [a, b]\n: c\n", ("yaml.complex_key", 1, 3)),
        # the first problem in the file, whether the composer or the parser finds it
        (b"a: &x 1\nb: [\n", ("yaml.anchor", 1, 4)),
        (b"summary: Zeit: 9 Uhr\nb: &x 1\n", ("yaml.colon", 1, 14)),
        (b"a: 1\na: [\n", ("yaml.duplicate_key", 2, 1)),
    ],
)
def test_refused_with_position(data, expected):
    assert problem(data) == expected


def test_alias_bomb_is_refused_before_any_expansion():
    bomb = b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\n"
    assert problem(bomb)[0] == "yaml.anchor"


def test_deep_nesting_is_refused_without_recursion_error():
    assert problem(b"[" * 100_000)[0] == "yaml.too_deep"
    assert (
        problem(b"a:\n" + b"".join(b"  " * i + b"b:\n" for i in range(1, 40)))[0] == "yaml.too_deep"
    )


def test_oversized_file_is_refused_before_parsing():
    code, line, col = problem(b"a: " + b"x" * MAX_BYTES)
    assert (code, line, col) == ("yaml.too_large", 1, 1)


def test_bom_and_crlf_are_accepted():
    doc = load_bytes(b"\xef\xbb\xbfname: A\r\ncity: Leer\r\n")
    assert doc.value == {"name": "A", "city": "Leer"}
    assert doc.marks[("city",)] == (2, 7)


def test_arabic_and_persian_text_with_its_marks_is_loaded():
    text = "name: مرکز\u200cمشاوره خانواده\nsummary: العربية\u200f\n"
    assert load(text).value["name"] == "مرکز\u200cمشاوره خانواده"


def test_many_documents_and_huge_lists_stay_fast():
    data = b"a:\n" + b"  - x\n" * 30_000
    assert len(load_bytes(data).value["a"]) == 30_000
