"""Check a loaded document against a JSON Schema and explain every problem in words.

The schema is the single declaration of the entry format. This module turns
jsonschema's errors into findings with a position and a hint, and does the two
things YAML 1.1 typing must not: it turns a plain scalar into a number or a
boolean only where the schema asks for one.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator

import jsonschema

from wegweiser.core.findings import ERROR, Finding
from wegweiser.core.loader import Document, Path
from wegweiser.core.schemagate import compile_gate

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")
_BOOLEANS = {
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
}


class SchemaChecker:
    """A compiled validator plus the rules to coerce and explain; built once, used per file."""

    def __init__(self, schema: dict, format_checker: jsonschema.FormatChecker):
        self.schema = schema
        self.validator = jsonschema.Draft202012Validator(schema, format_checker=format_checker)
        self.resolve = _Resolver(schema)
        # Says yes exactly when the validator finds nothing (see schemagate.py), only faster.
        self.gate = compile_gate(schema, format_checker)

    def check(self, doc: Document, file: str, schema: dict | None = None) -> tuple[object, list]:
        """Return the cleaned value and the findings for one document."""
        schema = schema or self.schema
        value = self._prepare(doc.value, schema, (), doc)
        if schema is self.schema and self.gate and self.gate(value):
            return value, []
        validator = (
            self.validator if schema is self.schema else self.validator.evolve(schema=schema)
        )
        findings = [
            finding
            for error in validator.iter_errors(value)
            for finding in self._explain(error, value, doc, file)
        ]
        return value, findings

    # -- coercion -------------------------------------------------------------------------

    def _prepare(self, value, schema: dict, path: Path, doc: Document):
        if isinstance(value, str):
            if path in doc.plain:
                return _coerce_plain(value, self.resolve(schema).get("type"))
            return value
        # Text where the schema wants text stays as it is, plain or not: most values of an
        # entry, so they are taken over here without a path and a call of their own.
        schema = branch(self.resolve(schema), value)
        if isinstance(value, dict):
            prepared = {}
            for key, child in value.items():
                if child is None:  # an empty field counts as not filled in
                    continue
                sub = self._child_schema(schema, key)
                if isinstance(child, str) and self.resolve(sub).get("type") == "string":
                    prepared[key] = child
                else:
                    prepared[key] = self._prepare(child, sub, path + (key,), doc)
            return prepared
        if isinstance(value, list):
            items = schema.get("items", {})
            text = self.resolve(items).get("type") == "string"
            return [
                v if text and isinstance(v, str) else self._prepare(v, items, path + (i,), doc)
                for i, v in enumerate(value)
            ]
        return value

    def _child_schema(self, schema: dict, key: str) -> dict:
        props = schema.get("properties", {})
        if key in props:
            return props[key]
        extra = schema.get("additionalProperties")
        return extra if isinstance(extra, dict) else {}

    # -- explanations -----------------------------------------------------------------------

    def _explain(self, error, value, doc: Document, file: str) -> Iterator[Finding]:
        if error.validator == "oneOf":  # e.g. a language as a code or as code and note
            index = branch_index(self.resolve(error.schema), error.instance)
            for sub in error.context:
                if sub.relative_schema_path[0] == index:
                    yield from self._explain(sub, value, doc, file)
            if index is not None:
                return
        path = tuple(error.absolute_path)
        explain = _EXPLAIN.get(error.validator, _explain_other)
        for code, where, params in explain(error, self.resolve(error.schema), path):
            line, col = doc.where(where, key=code in _KEY_CODES)
            yield Finding(file, line, col, ERROR, code, {"field": field_label(where), **params})


_JSON_TYPES = {"string": str, "object": dict, "array": list, "boolean": bool}


def branch_index(schema: dict, value) -> int | None:
    """Which ``oneOf`` branch a value is meant for, told by its type (a text or a mapping)."""
    for index, option in enumerate(schema.get("oneOf", ())):
        wanted = _JSON_TYPES.get(option.get("type"))
        if wanted and isinstance(value, wanted):
            return index
    return None


def branch(schema: dict, value) -> dict:
    """The part of the schema a value is checked against: its ``oneOf`` branch, if any."""
    index = branch_index(schema, value)
    return schema if index is None else schema["oneOf"][index]


def _coerce_plain(text: str, wanted) -> object:
    types = wanted if isinstance(wanted, list) else [wanted]
    if "number" in types and _NUMBER.match(text):
        return float(text)
    if "integer" in types and re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    if "boolean" in types and text in _BOOLEANS:
        return _BOOLEANS[text]
    return text


class _Resolver:
    """Follows local ``$ref``s such as ``#/$defs/label``."""

    def __init__(self, root: dict):
        self.root = root

    def __call__(self, schema: dict) -> dict:
        while isinstance(schema, dict) and "$ref" in schema and schema["$ref"].startswith("#/"):
            node = self.root
            for part in schema["$ref"][2:].split("/"):
                node = node[part]
            schema = node
        return schema if isinstance(schema, dict) else {}


def field_label(path: Path) -> str:
    """``contacts[1].role`` (counted from 1) — how a volunteer finds the place in the file."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(Datei)"


def did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return close[0] if close else ""


Explanation = Iterator[tuple[str, Path, dict]]


def _explain_required(error, schema, path) -> Explanation:
    missing = error.message.split("'")[1] if "'" in error.message else ""
    yield ("schema.required" if path else "schema.required_top"), path, {"key": missing}


def _explain_additional(error, schema, path) -> Explanation:
    allowed = list(schema.get("properties", {}))
    for key in error.instance:
        if key not in allowed:
            suggestion = did_you_mean(key, allowed)
            code = "schema.unknown_key_suggest" if suggestion else "schema.unknown_key"
            yield (
                code,
                path + (key,),
                {"value": key, "suggestion": suggestion, "allowed": ", ".join(allowed)},
            )


_KEY_CODES = {"schema.unknown_key", "schema.unknown_key_suggest", "schema.bad_language_key"}


def _explain_enum(error, schema, path) -> Explanation:
    choices = schema.get("enum", [])
    if "propertyNames" in error.absolute_schema_path:  # a key, e.g. a language in translations
        yield (
            "schema.bad_language_key",
            path + (error.instance,),
            {
                "value": error.instance,
                "suggestion": did_you_mean(error.instance, choices),
                "list": f"entries/_lists/{schema.get('x-values', 'languages')}.yml",
            },
        )
        return
    params = {"value": error.instance, "suggestion": did_you_mean(error.instance, choices)}
    if "x-values" in schema:
        params["list"] = f"entries/_lists/{schema['x-values']}.yml"
        code = "schema.not_in_list_suggest" if params["suggestion"] else "schema.not_in_list"
    else:
        params["allowed"] = ", ".join(map(str, choices))
        code = "schema.enum_suggest" if params["suggestion"] else "schema.enum"
    yield code, path, params


def _explain_type(error, schema, path) -> Explanation:
    wanted = schema.get("type")
    code = {
        "string": "schema.type_string",
        "number": "schema.type_number",
        "boolean": "schema.type_boolean",
        "array": "schema.type_array",
        "object": "schema.type_object",
    }.get(wanted, "schema.type")
    yield code, path, {"value": _shown(error.instance), "type": wanted}


def _explain_format(error, schema, path) -> Explanation:
    cause = error.cause
    code = getattr(cause, "code", None) or f"format.{schema.get('format')}"
    yield code, path, {"value": error.instance, **getattr(cause, "params", {})}


def _explain_length(error, schema, path) -> Explanation:
    limit = error.validator_value
    yield (
        f"schema.{error.validator}",
        path,
        {"value": error.instance, "limit": limit, "length": len(error.instance)},
    )


def _explain_other(error, schema, path) -> Explanation:
    code = f"schema.{error.validator}"
    if error.validator == "pattern" and "x-pattern" in schema:
        code += f"_{schema['x-pattern']}"
    yield code, path, {"value": _shown(error.instance), "limit": error.validator_value}


def _shown(instance) -> str:
    if isinstance(instance, dict):
        return "{…}"
    if isinstance(instance, list):
        return "[…]"
    return instance


_EXPLAIN: dict[str, Callable] = {
    "required": _explain_required,
    "additionalProperties": _explain_additional,
    "enum": _explain_enum,
    "type": _explain_type,
    "format": _explain_format,
    "minLength": _explain_length,
    "maxLength": _explain_length,
}
