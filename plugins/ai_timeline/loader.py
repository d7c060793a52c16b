"""Files → strict load → schema → typed records, one file at a time.

A file with any error is left out whole and its ID remembered, so that references to it can
say so; every other file still loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from . import schema, strict_yaml
from .dates import DateError, FORMAT_HINT, FuzzyDate
from .diagnostics import Report
from .markup import links_in, mentions
from .model import Entity, Event, Link, Promise, Quote, Relation, Role, Source
from .text_rules import SLUG, SLUG_MAX, raw_html, url_problem

ENTITY_FOLDER = "entities"
SKIPPED_PREFIXES = ("_", ".")  # events/_templates/ holds templates, not data


@dataclass
class Loaded:
    events: dict[str, Event] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    broken: dict[str, str] = field(default_factory=dict)  # ID → path of a file that had errors
    paths: dict[str, list[str]] = field(default_factory=dict)  # ID → every file that claims it


def discover(events_dir: Path) -> Iterator[Path]:
    """Every data file under `events_dir`, in a stable order."""
    for path in sorted(events_dir.rglob("*")):
        parts = path.relative_to(events_dir).parts
        if path.is_file() and not any(p.startswith(SKIPPED_PREFIXES) for p in parts):
            yield path


def load_folder(events_dir: Path, root: Path, report: Report) -> Loaded:
    loaded = Loaded()
    for file in discover(events_dir):
        rel = file.relative_to(root).as_posix()
        if file.suffix == ".md":
            continue
        if file.suffix != ".yaml":
            report.add(rel, 0, 0, f"'{file.name}' is not a .yaml file",
                       "name data files <id>.yaml" if file.suffix == ".yml" else "only .yaml data files belong in events/")
            continue
        is_entity = file.relative_to(events_dir).parts[0] == ENTITY_FOLDER
        record_id = file.stem
        loaded.paths.setdefault(record_id, []).append(rel)
        record = load_file(file.read_bytes(), rel, record_id, is_entity, report)
        if record is None:
            loaded.broken[record_id] = rel
        elif isinstance(record, Entity):
            loaded.entities.setdefault(record_id, record)
        else:
            loaded.events.setdefault(record_id, record)
    return loaded


def load_file(raw: bytes, rel: str, record_id: str, is_entity: bool, report: Report) -> Event | Entity | None:
    """One file as a record, or None after adding its errors to `report`."""
    before = len(report.errors)
    if not SLUG.match(record_id) or len(record_id) > SLUG_MAX:
        suggestion = "-".join(filter(None, "".join(c if c.isalnum() else "-" for c in record_id.lower()).split("-")))
        report.add(rel, 0, 0, f"file name '{record_id}' is not a valid ID",
                   f"rename it to '{suggestion or 'my-event'}.yaml': lowercase letters, digits and single hyphens, at most {SLUG_MAX} characters")
    doc, problems = strict_yaml.load(raw, rel)
    report.extend(problems)
    if doc is None:
        return None
    report.extend(schema.validate(doc, "entity" if is_entity else "event", rel))
    if len(report.errors) > before:
        return None
    convert = _Converter(doc, rel, report)
    convert.check_text(doc.data, ())
    record = convert.entity(record_id) if is_entity else convert.event(record_id)
    return record if len(report.errors) == before else None


class _Converter:
    """Turns schema-valid data into records, reporting what the schema cannot express."""

    def __init__(self, doc: strict_yaml.Document, rel: str, report: Report) -> None:
        self.doc, self.rel, self.report = doc, rel, report

    def error(self, at: tuple, message: str, hint: str, needle: str = "") -> None:
        line, column = self.doc.locate(at, needle) if needle else self.doc.mark(at)
        self.report.add(self.rel, line, column, message, hint)

    def check_text(self, value: Any, at: tuple) -> None:
        """No raw HTML in any text; only http(s) in URL fields and in Markdown links."""
        if isinstance(value, dict):
            for key, item in value.items():
                self.check_text(item, at + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_text(item, at + (index,))
        elif isinstance(value, str):
            if at[-1] == "url":
                if (problem := url_problem(value)) is not None:
                    self.error(at, problem, "give the exact http(s) address, or leave 'url' out")
            elif (tag := raw_html(value)) is not None:
                self.error(at, f"raw HTML '{tag[:40]}' is not allowed in '{schema.field_name(at)}'",
                           "write Markdown, not HTML; to show a literal '<', put a space after it", tag)
            elif at[-1] in ("summary", "description"):
                for mention_id, whole in mentions(value):
                    if not SLUG.match(mention_id):
                        self.error(at, f"mention '{whole}' does not name an ID",
                                   "write [[id]] or [[id|text]] with an event's or entity's file name", whole)
                for tag, address in links_in(value):
                    if tag == "img":
                        self.error(at, "images are not allowed in text", "link to the image instead", "![")
                    elif address.split(":", 1)[0].lower() not in ("http", "https", "mailto") or ":" not in address:
                        self.error(at, f"link '{address[:60]}' is not an http(s) or mailto address",
                                   "link to a full https:// address", address)

    def date(self, at: tuple, approximate: bool = False) -> FuzzyDate | None:
        value = self._get(at)
        if value is None:
            return None
        try:
            return FuzzyDate.parse(str(value), approximate)
        except DateError as exc:
            self.error(at, f"invalid date in '{schema.field_name(at)}': {exc}", FORMAT_HINT)
            return None

    def _get(self, at: tuple) -> Any:
        value: Any = self.doc.data
        for part in at:
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def _each(self, key: str, build: Callable[[tuple, dict], Any], base: tuple = ()) -> tuple:
        items = self._get(base + (key,)) or []
        return tuple(build(base + (key, i), item) for i, item in enumerate(items))

    def sources(self, base: tuple = ()) -> tuple[Source, ...]:
        return self._each("sources", lambda at, s: Source(
            publisher=s["publisher"], title=s["title"], type=s["type"],
            date=self.date(at + ("date",), s.get("date_approximate", False)),
            url=s.get("url"), via=s.get("via"), note=s.get("note")), base)

    def event(self, record_id: str) -> Event:
        data = self.doc.data
        promise = data.get("promise")
        return Event(
            id=record_id, path=self.rel, title=data["title"], kind=data["kind"],
            date=self.date(("date",), data.get("approximate", False)),
            entities=tuple(data["entities"]), summary=data["summary"],
            sources=self.sources(), tags=tuple(data.get("tags", ())),
            quotes=self._each("quotes", lambda at, q: Quote(q["text"], q["by"])),
            promise=Promise(promise["by"], promise["what"],
                            self.date(("promise", "due"), promise.get("due_approximate", False))) if promise else None,
            relations=self._each("relations", lambda at, r: Relation(
                type=r["type"], target=r["event"], reason=r.get("reason"), extent=r.get("extent"),
                new_date=self.date(at + ("new_date",), r.get("new_date_approximate", False)))),
            document=self.doc,
        )

    def entity(self, record_id: str) -> Entity:
        data = self.doc.data
        return Entity(
            id=record_id, path=self.rel, name=data["name"], kind=data["kind"], parent=data.get("parent"),
            aliases=tuple(data.get("aliases", ())), description=data.get("description"),
            links=self._each("links", lambda at, l: Link(l["title"], l["url"])),
            roles=self._each("roles", lambda at, r: Role(
                r["title"], r["org"], self.date(at + ("from",)), self.date(at + ("to",)))),
            sources=self.sources(), document=self.doc,
        )
