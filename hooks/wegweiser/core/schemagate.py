"""A fast yes-or-no answer to "does this value pass the schema?".

jsonschema walks the schema anew for every document so that it can explain each problem,
and most documents have none. fastjsonschema compiles the schema once into a plain Python
function that only says yes or no. ``SchemaChecker`` asks it first and runs jsonschema only
for the documents it refuses, so every finding still comes from jsonschema.

A gate is built only where it means exactly what jsonschema means:

- every keyword of the schema is one that draft-07 (which fastjsonschema implements) and
  draft 2020-12 (which jsonschema checks) define the same way; annotations (``title``,
  ``x-…`` and the like) are dropped;
- each ``format`` is answered by the same ``FormatChecker`` that jsonschema uses;
- ``enum`` lists hold only text, compared as text by both (the values come from
  ``entries/_lists/``; fastjsonschema writes them into its code only as escaped literals,
  tested with hostile names);
- a pattern keeps Python's ``$`` (end of text or before a final line break): fastjsonschema
  would read it as the end of text only.

Anything else and ``compile_gate`` returns None: every document then takes the full path.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import fastjsonschema
import jsonschema

# Keywords with the same meaning in draft-07 and draft 2020-12 ("items" only as one schema).
_SAME_IN_BOTH = frozenset(
    {
        "type",
        "enum",
        "minLength",
        "maxLength",
        "pattern",
        "format",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
        "uniqueItems",
        "items",
        "minProperties",
        "maxProperties",
        "required",
        "properties",
        "additionalProperties",
        "propertyNames",
        "oneOf",  # a list of schemas in both drafts (a language as a code, or code and note)
    }
)
# Keywords that check nothing in either draft (extensions start with "x-").
_ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "title", "description", "examples"})
# fastjsonschema picks its draft from "$schema"; the kept keywords mean the same in draft-07.
_DRAFT_07 = "http://json-schema.org/draft-07/schema#"


class _Unsupported(Exception):
    """The schema uses something the gate cannot mirror exactly."""


def compile_gate(
    schema: dict, format_checker: jsonschema.FormatChecker
) -> Callable[[object], bool] | None:
    """A function value -> True when jsonschema would find no problem; None if not possible."""
    formats: set[str] = set()
    try:
        reduced = _reduce(schema, formats)
    except _Unsupported:
        return None
    reduced["$schema"] = _DRAFT_07
    checks = {name: functools.partial(_conforms, format_checker, name) for name in formats}
    try:
        validate = fastjsonschema.compile(
            reduced, formats=checks, use_default=False, detailed_exceptions=False
        )
    except Exception:  # e.g. JsonSchemaDefinitionException: no gate, the full check stays
        return None

    def passes(value: object) -> bool:
        try:
            validate(value)
        except Exception:  # a problem, or any surprise: the full check decides and explains
            return False
        return True

    return passes


def _conforms(format_checker: jsonschema.FormatChecker, name: str, value: object) -> bool:
    # jsonschema also asks about values that are not text; fastjsonschema asks only about
    # text. The same answer needs every format check to accept non-text (tested).
    return format_checker.conforms(value, name)


def _reduce(node: object, formats: set[str]) -> dict:
    """A copy of ``node`` with only the checking keywords; raises _Unsupported otherwise."""
    if not isinstance(node, dict):
        raise _Unsupported(node)
    reduced = {}
    for key, value in node.items():
        if key in _ANNOTATIONS or key.startswith("x-"):
            continue
        if key not in _SAME_IN_BOTH:
            raise _Unsupported(key)
        if key == "properties":
            value = {name: _reduce(sub, formats) for name, sub in value.items()}
        elif key == "oneOf":
            value = [_reduce(sub, formats) for sub in value]
        elif key in ("items", "propertyNames"):
            value = _reduce(value, formats)  # "items" as a list means other things in 2020-12
        elif key == "additionalProperties" and not isinstance(value, bool):
            value = _reduce(value, formats)
        elif key == "enum" and not all(isinstance(choice, str) for choice in value):
            raise _Unsupported(key)
        elif key == "pattern":
            value = _python_dollar(value)
        elif key == "format":
            formats.add(value)
        reduced[key] = value
    return reduced


def _python_dollar(pattern: str) -> str:
    r"""Python's final ``$`` spelt so that fastjsonschema keeps it (it turns ``$`` into ``\Z``)."""
    if "$" not in pattern:
        return pattern
    if pattern.count("$") == 1 and pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern[:-1] + r"(?=\n?\Z)"
    raise _Unsupported(pattern)
