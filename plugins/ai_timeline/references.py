"""Checks across files: IDs are unique, every reference resolves, relations make sense.

Records whose references fail are dropped, repeatedly, so the graph never holds a dangling
link; each drop is reported once, at the line of the reference.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from .diagnostics import Report, did_you_mean
from .loader import Loaded
from .markup import mentions
from .model import PROMISE_RELATIONS, Entity, Event
from .text_rules import RESERVED_IDS

DATED_RELATIONS = ("delays", "reaffirms")


class _Located(NamedTuple):
    """A problem inside a text field, found by searching for `needle` from the field on."""

    field: str
    needle: str


# Where a problem is (a path into the record's file, or a text to find there), what, how to fix it.
_Problem = tuple[tuple[str | int, ...] | _Located, str, str]

REASONED_RELATIONS = ("delays", "cancels", "breaks")
# Entity pages nest their units as Markdown lists, which the parser reads recursively; real
# hierarchies are 3-5 deep (Meta › Meta Superintelligence Labs › TBD Lab).
MAX_HIERARCHY_DEPTH = 8


def check(loaded: Loaded, report: Report) -> None:
    _check_unique_ids(loaded, report)
    _check_redirects(loaded, report)
    while True:
        failing: dict[str, Entity | Event] = {}
        records: list[Entity | Event] = [*loaded.entities.values(), *loaded.events.values()]
        for record in records:
            problems = list(_problems(record, loaded))
            for at, message, hint in problems:
                line, column = _position(record, at)
                report.add(record.path, line, column, message, hint)
            if problems:
                failing[record.id] = record
        if not failing:
            return
        for record_id, record in failing.items():
            loaded.broken[record_id] = record.path
            loaded.events.pop(record_id, None)
            loaded.entities.pop(record_id, None)


def _position(record: Entity | Event, at: tuple[str | int, ...] | _Located) -> tuple[int, int]:
    if record.document is None:  # a record not loaded from a file has no positions to give
        return (0, 0)
    if isinstance(at, _Located):
        return record.document.locate((at.field,), at.needle)
    return record.document.mark(at)


def _check_redirects(loaded: Loaded, report: Report) -> None:
    """An old ID leads to one record, and never shadows a current ID (whose page it would hide)."""
    claimed: dict[str, str] = {}
    records: list[Entity | Event] = [*loaded.entities.values(), *loaded.events.values()]
    for record in sorted(records, key=lambda r: r.path):
        for index, old in enumerate(record.redirect_from):
            if old in loaded.paths or old in RESERVED_IDS:
                owner = loaded.paths.get(old, ["the site's own pages"])[0]
                message, hint = (
                    f"'{old}' is a current ID ({owner}), so it cannot redirect here",
                    "list only IDs no file uses any more",
                )
            elif old in claimed:
                message, hint = f"'{old}' already redirects to {claimed[old]}", "an old address can lead to one page only"
            else:
                claimed[old] = record.path
                continue
            line, column = _position(record, ("redirect_from", index))
            report.add(record.path, line, column, message, hint)


def _check_unique_ids(loaded: Loaded, report: Report) -> None:
    """Both files of a clash get the error; the first keeps the ID so its dependents still load."""
    for record_id, paths in loaded.paths.items():
        if len(paths) < 2:
            continue
        for path in paths:
            others = ", ".join(p for p in paths if p != path)
            report.add(
                path,
                1,
                1,
                f"ID '{record_id}' is also used by {others}",
                "IDs are file names and must be unique across events/: rename one of the files",
            )


def _resolve(ref: str, pool: dict[str, Entity] | dict[str, Event], loaded: Loaded, noun: str) -> tuple[str, str] | None:
    """(message, hint) when `ref` names no valid record in `pool`."""
    if ref in pool:
        return None
    if ref in loaded.broken:
        return (f"{noun} '{ref}' cannot be used: {loaded.broken[ref]} has errors", "fix the errors reported for that file")
    other = loaded.events if pool is loaded.entities else loaded.entities
    if ref in other:
        return (f"'{ref}' is an {'event' if other is loaded.events else 'entity'}, not an {noun}", f"refer to an {noun} here")
    hint = did_you_mean(ref, pool) or (
        f"create events/entities/{ref}.yaml"
        if noun == "entity"
        else "check the event's file name; IDs are file names without .yaml"
    )
    return (f"unknown {noun} '{ref}'", hint)


def _problems(record: Entity | Event, loaded: Loaded) -> Iterator[_Problem]:
    if isinstance(record, Entity):
        yield from _entity_problems(record, loaded)
    else:
        yield from _event_problems(record, loaded)
    field = "description" if isinstance(record, Entity) else "summary"
    for mention_id, whole in mentions(getattr(record, field) or ""):
        if mention_id in loaded.events or mention_id in loaded.entities:
            continue
        if mention_id in loaded.broken:
            message, hint = (
                f"mention of '{mention_id}' cannot be used: {loaded.broken[mention_id]} has errors",
                "fix the errors reported for that file",
            )
        else:
            message = f"mention of unknown ID '{mention_id}'"
            hint = (
                did_you_mean(mention_id, [*loaded.events, *loaded.entities])
                or "mentions name an event or entity by its file name"
            )
        yield _Located(field, whole), message, hint


def _entity_problems(entity: Entity, loaded: Loaded) -> Iterator[_Problem]:
    if entity.parent is not None:
        if entity.kind == "person":
            yield ("parent",), "a person has no parent", "record the organisation under 'roles' instead"
        elif problem := _resolve(entity.parent, loaded.entities, loaded, "entity"):
            yield ("parent",), *problem
        else:
            seen = {entity.id}
            current: str | None = entity.parent
            while current is not None and current in loaded.entities:
                if current == entity.id:
                    yield (
                        ("parent",),
                        f"parent chain of '{entity.id}' loops back on itself",
                        "one of these parents is wrong: a hierarchy has a top",
                    )
                    break
                if current in seen:  # a loop higher up: reported on its members; this entity then fails on its parent
                    break
                seen.add(current)
                current = loaded.entities[current].parent
            else:
                if len(seen) > MAX_HIERARCHY_DEPTH:
                    yield (
                        ("parent",),
                        f"'{entity.id}' sits {len(seen)} levels deep in its hierarchy; the limit is {MAX_HIERARCHY_DEPTH}",
                        "attach it to a higher level: deeper trees are not readable anyway",
                    )
    if entity.roles and entity.kind != "person":
        yield ("roles",), "only a person has roles", "remove 'roles' or set kind: person"
    for i, role in enumerate(entity.roles):
        if problem := _resolve(role.org, loaded.entities, loaded, "entity"):
            yield ("roles", i, "org"), *problem
        if role.start and role.end and role.end.last < role.start.first:
            yield ("roles", i, "to"), "role ends before it starts", "swap 'from' and 'to'"


def _event_problems(event: Event, loaded: Loaded) -> Iterator[_Problem]:
    for i, ref in enumerate(event.entities):
        if problem := _resolve(ref, loaded.entities, loaded, "entity"):
            yield ("entities", i), *problem
    for i, quote in enumerate(event.quotes):
        if problem := _resolve(quote.by, loaded.entities, loaded, "entity"):
            yield ("quotes", i, "by"), *problem
    if event.kind == "promise" and event.promise is None:
        yield ("kind",), "a promise needs a 'promise' block", "add promise: {by: <entity>, what: <text>, due: <date>}"
    if event.promise is not None:
        if event.kind != "promise":
            yield (
                ("promise",),
                f"only kind: promise may have a 'promise' block (this is kind: {event.kind})",
                "set kind: promise, or remove the block",
            )
        if problem := _resolve(event.promise.by, loaded.entities, loaded, "entity"):
            yield ("promise", "by"), *problem
    seen = set()
    for i, relation in enumerate(event.relations):
        at = ("relations", i)
        if relation.target == event.id:
            yield (*at, "event"), "an event cannot relate to itself", "name another event's ID"
            continue
        if (relation.type, relation.target) in seen:
            yield at, f"relation '{relation.type}' to '{relation.target}' is listed twice", "remove the repeat"
        seen.add((relation.type, relation.target))
        if problem := _resolve(relation.target, loaded.events, loaded, "event"):
            yield (*at, "event"), *problem
            continue
        target = loaded.events[relation.target]
        if relation.type in PROMISE_RELATIONS and target.kind != "promise":
            yield (
                (*at, "event"),
                f"'{relation.type}' must point at a promise, but '{target.id}' is kind: {target.kind}",
                "point it at the promise event itself",
            )
        if relation.new_date is not None and relation.type not in DATED_RELATIONS:
            yield (
                (*at, "new_date"),
                f"'new_date' only belongs on {' or '.join(DATED_RELATIONS)}",
                "remove it, or change the relation type",
            )
        if relation.reason is not None and relation.type not in REASONED_RELATIONS:
            yield (*at, "reason"), f"'reason' only belongs on {', '.join(REASONED_RELATIONS)}", "put it in the summary instead"
        if relation.extent is not None and relation.type != "fulfils":
            yield (*at, "extent"), "'extent' only belongs on fulfils", "remove it"
        if relation.previous_date is not None and relation.type != "delays":
            yield (*at, "previous_date"), "'previous_date' only belongs on delays", "remove it, or change the relation type"
        if relation.timing is not None and relation.type not in DATED_RELATIONS:
            yield (
                (*at, "timing"),
                f"'timing' only belongs on {' or '.join(DATED_RELATIONS)}",
                "put the words in the summary instead",
            )
