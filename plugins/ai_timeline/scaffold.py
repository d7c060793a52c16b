"""`timeline new`: a correctly named file with every field commented, ready to fill in.

Values come from flags or, on a terminal, from prompts. Whatever is still missing is left
empty, so `timeline check` points at exactly what remains. An existing ID is never overwritten.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jinja2

from .dates import DateError, FuzzyDate
from .diagnostics import did_you_mean
from .schema import schema
from .text_rules import SLUG, SLUG_MAX

Ask = Callable[[str, str], str]  # (question, default) -> answer


class ScaffoldError(ValueError):
    """A value that cannot go into the file; the message says how to fix it."""


@dataclass
class Source:
    publisher: str = ""
    title: str = ""
    date: str = ""
    type: str = ""
    url: str = ""


@dataclass
class NewEvent:
    title: str
    date: str
    id: str = ""
    kind: str = ""
    entities: list[str] = field(default_factory=list)
    summary: str = ""
    source: Source = field(default_factory=Source)


def slugify(text: str) -> str:
    """'Meta delays the Muse Spark API!' -> 'meta-delays-the-muse-spark-api'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
    return slug[:SLUG_MAX].rsplit("-", 1)[0] if len(slug) > SLUG_MAX else slug


def event_kinds() -> list[str]:
    return schema("event")["properties"]["kind"]["enum"]


def entity_kinds() -> list[str]:
    return schema("entity")["properties"]["kind"]["enum"]


def existing_paths(events_dir: Path, record_id: str) -> list[Path]:
    return sorted(p for p in events_dir.glob(f"*/{record_id}.yaml"))


def _check_date(value: str, name: str) -> str:
    try:
        FuzzyDate.parse(value)
    except DateError as exc:
        raise ScaffoldError(f"{name}: {exc}; write YYYY, YYYY-Qn, YYYY-MM or YYYY-MM-DD") from None
    return value


def _check_choice(value: str, choices: list[str], name: str) -> str:
    if value and value not in choices:
        hint = did_you_mean(value, choices) or f"choose one of: {', '.join(choices)}"
        raise ScaffoldError(f"{name}: '{value}' is not allowed ({hint})")
    return value


def _check_id(value: str, name: str = "--id") -> str:
    if not SLUG.match(value) or len(value) > SLUG_MAX:
        raise ScaffoldError(f"{name}: '{value}' is not an ID: use lowercase letters, digits and single hyphens")
    return value


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates/new"),
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    # A JSON string is a valid YAML double-quoted scalar: every value stays one literal value.
    env.filters["q"] = lambda value: json.dumps(str(value), ensure_ascii=False)
    return env


def render_event(new: NewEvent, relation: dict | None = None) -> str:
    for entity in new.entities:
        _check_id(entity, "--entity")
    # A promise gets its block to fill in: who promised what, for when.
    promise = {"by": new.entities[0] if new.entities else "", "what": "", "due": ""} if new.kind == "promise" else None
    return (
        _environment()
        .get_template("event.yaml.j2")
        .render(
            title=new.title,
            date=_check_date(new.date, "--date"),
            kind=_check_choice(new.kind, event_kinds(), "--kind"),
            entities=new.entities,
            summary=new.summary,
            source=new.source,
            kinds=event_kinds(),
            promise=promise,
            relation=relation,
        )
    )


def render_entity(name: str, kind: str = "", parent: str = "") -> str:
    if parent:
        _check_id(parent, "--parent")
    return (
        _environment()
        .get_template("entity.yaml.j2")
        .render(name=name, kind=_check_choice(kind, entity_kinds(), "--kind"), parent=parent, kinds=entity_kinds())
    )


def write_new(events_dir: Path, folder: str, record_id: str, text: str) -> Path:
    """Write events/<folder>/<id>.yaml, refusing an ID that any file already has."""
    _check_id(record_id)
    if taken := existing_paths(events_dir, record_id):
        raise ScaffoldError(
            f"ID '{record_id}' is already used by {taken[0].relative_to(events_dir.parent).as_posix()}; choose another with --id"
        )
    path = events_dir / folder / f"{record_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as file:  # "x": never over a file that appeared meanwhile
        file.write(text)
    return path
