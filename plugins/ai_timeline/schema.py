"""JSON Schema validation of loaded documents, with errors phrased for contributors.

The same schema files are shipped to editors (see the `yaml-language-server` line in the
templates), so autocompletion and the build agree on what a valid file is.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .dates import DATE_SHAPE, FORMAT_HINT, DateError, FuzzyDate
from .diagnostics import ERROR, Diagnostic, did_you_mean, field_name
from .strict_yaml import Document

if TYPE_CHECKING:  # jsonschema is imported on the first invalid file: a valid record never needs it
    import jsonschema

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


@cache
def _formats() -> jsonschema.FormatChecker:
    import jsonschema

    checker = jsonschema.FormatChecker(formats=())  # only ours: "uri" and the like stay annotations
    checker.checks(FUZZY_DATE, raises=DateError)(_is_fuzzy_date)
    return checker


FUZZY_DATE = "fuzzy-date"
_parse_date = lru_cache(maxsize=1 << 14)(FuzzyDate.parse)  # the same dates recur across files


def _is_fuzzy_date(value: object) -> bool:
    """Impossible dates such as 2026-02-30; text that is no date at all is the pattern's job."""
    if isinstance(value, str) and DATE_SHAPE.match(value):
        _parse_date(value)
    return True


def _conforms_fuzzy_date(value: object) -> bool:
    try:
        return _is_fuzzy_date(value)
    except DateError:
        return False


@cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(schema(name), format_checker=_formats())


def validate(doc: Document, name: str, path: str) -> list[Diagnostic]:
    """Every schema error in `doc`, phrased for contributors.

    A compiled check of the same schema answers "valid?" first, in a fraction of the time;
    only a file it refuses goes through jsonschema, whose errors give every message. The
    two agree on every file the suite has (tests/test_parser_agreement.py)."""
    if (check := _compiled(name)) is not None and check(doc.data):
        return []
    found: list[Diagnostic] = []
    for error in _validator(name).iter_errors(doc.data):
        found.extend(_explain(error, doc, path))
    return sorted(set(found), key=lambda d: (d.line, d.column, d.message))


# The compiled check: JSON Schema 2020-12 for exactly the keywords our schemas use, each with
# jsonschema's own semantics. A schema with any other keyword gets no compiled check.
Check = Callable[[Any], bool]
_ANNOTATIONS = {"$schema", "$id", "$defs", "title", "description", "x-hint", "default", "examples"}
_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
}


class _Unsupported(Exception):
    pass


@cache
def _compiled(name: str) -> Check | None:
    root = schema(name)
    try:
        return _compile(root, root)
    except _Unsupported:
        return None


def _compile(node: Any, root: dict) -> Check:
    if isinstance(node, bool):
        verdict: bool = node
        return lambda value: verdict
    if not isinstance(node, dict):
        raise _Unsupported(node)
    if (text := _compile_text(node)) is not None:
        return text
    checks: list[Check] = [_keyword(key, argument, node, root) for key, argument in node.items() if key not in _ANNOTATIONS]
    return _every(checks)


_TEXT_KEYWORDS = {"type", "minLength", "maxLength", "pattern", "enum", "format"}


def _compile_text(node: dict) -> Check | None:
    """A text field's check as one function (most values are text), or None for another node.

    Every keyword but "type" passes a value that is not text, so a text value must pass each."""
    used = set(node) - _ANNOTATIONS
    if node.get("type") != "string" or not used <= _TEXT_KEYWORDS:
        return None
    if "enum" in node and not all(isinstance(choice, str) for choice in node["enum"]):
        return None
    shortest, longest = node.get("minLength", 0), node.get("maxLength")
    pattern = re.compile(node["pattern"]) if "pattern" in node else None
    words = frozenset(node["enum"]) if "enum" in node else None
    form = _keyword("format", node["format"], node, node) if "format" in node else None

    def text(v: Any) -> bool:
        return (
            isinstance(v, str)
            and len(v) >= shortest
            and (longest is None or len(v) <= longest)
            and (pattern is None or pattern.search(v) is not None)
            and (words is None or v in words)
            and (form is None or form(v))
        )

    return text


def _every(checks: list[Check]) -> Check:
    """A check that passes when all of `checks` pass (a loop: this runs for every value of every file)."""
    if len(checks) == 1:
        return checks[0]

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 (all() over a generator costs a frame per call)
            if not check(value):
                return False
        return True

    return every


def _keyword(key: str, arg: Any, node: dict, root: dict) -> Check:
    from jsonschema._utils import equal, uniq  # the very equality rules of jsonschema's enum and uniqueItems

    if key == "$ref":
        if not isinstance(arg, str) or not arg.startswith("#/$defs/") or "/" in arg.removeprefix("#/$defs/"):
            raise _Unsupported(arg)
        return _compile(root["$defs"][arg.removeprefix("#/$defs/")], root)
    if key == "type":
        tests = [_TYPES[t] for t in (arg if isinstance(arg, list) else [arg])]
        return tests[0] if len(tests) == 1 else lambda v: any(test(v) for test in tests)
    if key == "enum":
        if all(isinstance(choice, str) for choice in arg):  # jsonschema's equal() on text is ==
            words = frozenset(arg)
            return lambda v: isinstance(v, str) and v in words
        return lambda v: any(equal(choice, v) for choice in arg)
    if key == "properties":
        props = {prop: _compile(sub, root) for prop, sub in arg.items()}

        def properties(v: Any) -> bool:  # each property the value has, in any order: the verdict is the same
            if isinstance(v, dict):
                for name, item in v.items():
                    check = props.get(name)
                    if check is not None and not check(item):
                        return False
            return True

        return properties
    if key == "required":
        return lambda v: not isinstance(v, dict) or all(p in v for p in arg)
    if key == "additionalProperties":
        if "patternProperties" in node:
            raise _Unsupported(key)
        known, extra = set(node.get("properties", {})), _compile(arg, root)
        if arg is False:  # the usual case: no other field at all
            return lambda v: not isinstance(v, dict) or known.issuperset(v)
        return lambda v: not isinstance(v, dict) or all(extra(item) for k, item in v.items() if k not in known)
    if key == "items":
        if "prefixItems" in node:
            raise _Unsupported(key)
        each = _compile(arg, root)

        def items(v: Any) -> bool:
            if isinstance(v, list):
                for item in v:
                    if not each(item):
                        return False
            return True

        return items
    if key in ("minLength", "maxLength"):
        low = key == "minLength"
        return lambda v: not isinstance(v, str) or (len(v) >= arg if low else len(v) <= arg)
    if key in ("minItems", "maxItems"):
        low = key == "minItems"
        return lambda v: not isinstance(v, list) or (len(v) >= arg if low else len(v) <= arg)
    if key == "uniqueItems":
        return lambda v: not arg or not isinstance(v, list) or uniq(v)
    if key == "pattern":
        compiled = re.compile(arg)
        return lambda v: not isinstance(v, str) or compiled.search(v) is not None
    if key == "format":
        if arg == FUZZY_DATE:  # what the format checker would do, without its dispatch
            return _conforms_fuzzy_date
        return lambda v: _formats().conforms(v, arg)
    if key in ("minimum", "maximum"):
        low = key == "minimum"
        return lambda v: not _TYPES["number"](v) or (v >= arg if low else v <= arg)
    raise _Unsupported(key)


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
