"""What the timeline can be narrowed by: each event's entities (with every organisation above
them, so choosing a company includes its units), kind, tags, year and promise status, and the
choices a reader is offered. Computed once here; the timeline page prints them and its script
only compares them."""

from __future__ import annotations

from dataclasses import dataclass

from .graph import EventGraph
from .model import PROMISE_RELATIONS, Event
from .promises import STATUSES, PromiseRecord
from .text_rules import SLUG

FIELDS = ("entity", "kind", "tag", "year", "status")  # also the URL's query parameters, in this order


@dataclass(frozen=True)
class Facets:
    entity: tuple[str, ...]
    kind: str
    tag: tuple[str, ...]
    year: str
    status: tuple[str, ...]  # of the promise the event is, or whose history it belongs to

    def attributes(self) -> dict[str, str]:
        """As data attributes: space-separated values. Every value is a slug or a year; anything
        else is dropped rather than trusted, so nothing can leave the attribute."""
        return {f"data-tl-{name}": " ".join(v for v in _values(self, name) if SLUG.fullmatch(v)) for name in FIELDS}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    depth: int = 0  # units sit under their organisation


def facets(graph: EventGraph, record_of: dict[str, PromiseRecord], event: Event) -> Facets:
    entities: dict[str, None] = {}
    for entity_id in graph.involved(event):
        entities[entity_id] = None
        entities.update((e.id, None) for e in graph.ancestors(entity_id))
    promise_ids = [event.id] + [r.target for r in event.relations if r.type in PROMISE_RELATIONS]
    statuses = dict.fromkeys(record_of[i].status for i in promise_ids if i in record_of)
    return Facets(tuple(sorted(entities)), event.kind, event.tags, str(event.date.first.year), tuple(statuses))


def choices(graph: EventGraph, all_facets: list[Facets]) -> dict[str, list[Choice]]:
    """The options of each filter, only those some event has: entities as a tree by name,
    kinds and tags alphabetically, years newest first, statuses in the ledger's order."""
    used = {name: {v for f in all_facets for v in _values(f, name)} for name in FIELDS}

    def tree(entity_ids: list[str], depth: int) -> list[Choice]:
        found = []
        for entity_id in sorted(entity_ids, key=lambda i: (graph.entities[i].name.lower(), i)):
            if entity_id in used["entity"]:
                found.append(Choice(entity_id, graph.entities[entity_id].name, depth))
                found += tree([c.id for c in graph.children(entity_id)], depth + 1)
        return found

    return {
        "entity": tree([i for i, e in graph.entities.items() if e.parent is None], 0),
        "kind": [Choice(k, k.replace("-", " ").capitalize()) for k in sorted(used["kind"])],
        "tag": [Choice(t, t) for t in sorted(used["tag"])],
        "year": [Choice(y, y) for y in sorted(used["year"], reverse=True)],
        "status": [Choice(s, STATUSES[s][0]) for s in STATUSES if s in used["status"]],
    }


def _values(f: Facets, name: str) -> tuple[str, ...]:
    value = getattr(f, name)
    return value if isinstance(value, tuple) else (value,)
