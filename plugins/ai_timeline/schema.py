"""JSON Schema validation of loaded documents, with errors phrased for contributors.

The same schema files are shipped to editors (see the `yaml-language-server` line in the
templates), so autocompletion and the build agree on what a valid file is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import jsonschema

from .dates import DATE_SHAPE, FORMAT_HINT, DateError, FuzzyDate
from .diagnostics import ERROR, Diagnostic, did_you_mean, field_name
from .strict_yaml import Document

YAML11_BOOLEANS = {
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Yes",
    "No",
    "On",
    "Off",
    "YES",
    "NO",
    "ON",
    "OFF",
    "True",
    "False",
    "TRUE",
    "FALSE",
}
_TYPE_WORDS = {
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of fields",
    "number": "a number",
    "integer": "a whole number",
    "null": "empty",
}


@cache
def schema(name: str) -> dict:
    """The JSON Schema called `name` ('event' or 'entity')."""
    text = resources.files(__package__).joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


_formats = jsonschema.FormatChecker(formats=())


@_formats.checks("fuzzy-date", raises=DateError)
def _is_fuzzy_date(value: object) -> bool:
    """Impossible dates such as 2026-02-30; text that is no date at all is the pattern's job."""
    if isinstance(value, str) and DATE_SHAPE.match(value):
        FuzzyDate.parse(value)
    return True


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name), format_checker=_formats)


def validate(doc: Document, name: str, path: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for error in _validator(name).iter_errors(doc.data):
        found.extend(_explain(error, doc, path))
    return sorted(set(found), key=lambda d: (d.line, d.column, d.message))


def _explain(error: jsonschema.ValidationError, doc: Document, path: str) -> Iterator[Diagnostic]:
    where = tuple(error.absolute_path)
    sub = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.instance
    name = field_name(where)

    def diag(at: tuple, message: str, hint: str = "", key: bool = False) -> Diagnostic:
        line, column = doc.mark(at, key=key)
        return Diagnostic(path, line, column, ERROR, message, hint)

    if error.validator == "additionalProperties":
        allowed = set(sub.get("properties", {}))
        for extra in sorted(set(value) - allowed):
            hint = did_you_mean(extra, allowed) or f"allowed fields here: {', '.join(sorted(allowed))}"
            yield diag((*where, extra), f"unknown field '{field_name((*where, extra))}'", hint, key=True)
    elif error.validator == "required":
        missing = error.message.split("'")[1]
        described = sub.get("properties", {}).get(missing, {}).get("description", "")
        yield diag(
            where,
            f"missing required field '{field_name((*where, missing))}'",
            f"add '{missing}: ...'" + (f" ({described})" if described else ""),
        )
    elif error.validator == "type":
        expected: list[str] = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        wanted = " or ".join(_TYPE_WORDS.get(t, t) for t in expected if t != "integer") or "a number"
        if value is None:
            yield diag(where, f"'{name}' is empty", f"give it a value ({wanted}) or remove the line")
        elif "boolean" in expected and isinstance(value, str) and value in YAML11_BOOLEANS:
            yield diag(
                where,
                f"'{name}' must be true or false, not '{value}'",
                f"YAML 1.1 read '{value}' as a boolean; here only true and false are: write {'true' if value.lower() in ('yes', 'on', 'y', 'true') else 'false'}",
            )
        else:
            yield diag(
                where,
                f"'{name}' must be {wanted}, not {_TYPE_WORDS.get(_json_type(value), _json_type(value))}",
                _type_hint(expected),
            )
    elif error.validator == "enum" and value is None:
        yield diag(where, f"'{name}' is empty", f"choose one of: {', '.join(str(c) for c in error.validator_value)}")
    elif error.validator == "enum":
        choices = [str(c) for c in error.validator_value]
        hint = did_you_mean(str(value), choices) or f"choose one of: {', '.join(choices)}"
        yield diag(where, f"'{value}' is not a valid value for '{name}'", hint)
    elif error.validator == "format":
        yield diag(where, f"invalid date in '{name}': {error.cause}", FORMAT_HINT)
    elif error.validator == "pattern":
        yield diag(
            where, f"'{value}' is not a valid value for '{name}'", sub.get("x-hint", f"it must match {error.validator_value}")
        )
    elif error.validator in ("minLength", "minItems"):
        yield diag(where, f"'{name}' is empty", "give it a value, or remove the field if it is optional")
    elif error.validator in ("maxLength", "maxItems"):
        unit = "characters" if error.validator == "maxLength" else "items"
        yield diag(where, f"'{name}' is too long: at most {error.validator_value} {unit}", "shorten it")
    elif error.validator in ("minimum", "maximum"):
        yield diag(
            where, f"'{name}' must be from {sub.get('minimum')} to {sub.get('maximum')}, not {value}", sub.get("x-hint", "")
        )
    elif error.validator == "uniqueItems":
        yield diag(where, f"'{name}' lists the same item twice", "remove the repeated item")
    else:
        yield diag(where, f"'{name}': {error.message}", "compare with the template in events/_templates/")


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "string"


def _type_hint(expected: list[str]) -> str:
    if "boolean" in expected:
        return "write true or false, without quotes"
    if "array" in expected:
        return "write a list: one '- item' per line, or [a, b]"
    if "object" in expected:
        return "write indented 'field: value' lines under it"
    if "string" in expected:
        return "write it as text; put quotes around it if it contains ': ' or starts with a special character"
    return "compare with the template in events/_templates/"
