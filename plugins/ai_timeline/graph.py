"""The event graph: entities with their hierarchy, events in order, relations both ways."""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from .model import PROMISE_RELATIONS, RELATION_LABELS, Entity, Event, Relation, Role


@dataclass(frozen=True)
class Link:
    """A relation seen from one end: `other` is the event at the far end."""

    relation: Relation
    other: Event
    outgoing: bool  # True when the event we look from holds the relation


class EventGraph:
    def __init__(self, events: dict[str, Event], entities: dict[str, Entity], templates: dict[str, str] | None = None) -> None:
        self.events = events
        self.entities = entities
        self.templates = templates or {}  # name → the validated text of events/_templates/<name>.yaml
        self.ordered = _chronological(events)
        self._position = {event.id: i for i, event in enumerate(self.ordered)}
        self._children: dict[str, list[str]] = defaultdict(list)
        for entity in sorted(entities.values(), key=lambda e: e.name.lower()):
            if entity.parent:
                self._children[entity.parent].append(entity.id)
        self._incoming: dict[str, list[tuple[Relation, Event]]] = defaultdict(list)
        self._by_entity: dict[str, list[Event]] = defaultdict(list)
        self._threads: dict[str, list[Event]] | None = None
        for event in self.ordered:
            for relation in event.relations:
                self._incoming[relation.target].append((relation, event))
            for entity_id in self.involved(event):
                self._by_entity[entity_id].append(event)

    # Entities -------------------------------------------------------------------------

    def children(self, entity_id: str) -> list[Entity]:
        return [self.entities[c] for c in self._children.get(entity_id, [])]

    def ancestors(self, entity_id: str) -> list[Entity]:
        """From the direct parent up to the top."""
        chain, current = [], self.entities[entity_id].parent
        while current is not None:
            chain.append(self.entities[current])
            current = self.entities[current].parent
        return chain

    def descendants(self, entity_id: str) -> list[Entity]:
        found, stack = [], list(reversed(self._children.get(entity_id, [])))
        while stack:
            current = stack.pop()
            found.append(self.entities[current])
            stack.extend(reversed(self._children.get(current, [])))
        return found

    def people(self, org_id: str) -> list[tuple[Entity, Role]]:
        """People with a role in `org_id`, by name."""
        return [
            (person, role)
            for person in sorted(self.entities.values(), key=lambda e: e.name.lower())
            for role in person.roles
            if role.org == org_id
        ]

    def events_of(self, entity_id: str, include_subunits: bool = True) -> list[Event]:
        """Events involving the entity (and, by default, anything below it), in order."""
        ids = [entity_id] + ([e.id for e in self.descendants(entity_id)] if include_subunits else [])
        found = {event.id: event for i in ids for event in self._by_entity.get(i, [])}
        return sorted(found.values(), key=lambda e: self._position[e.id])

    # Events ---------------------------------------------------------------------------

    def outgoing(self, event_id: str) -> list[Link]:
        event = self.events[event_id]
        return [Link(r, self.events[r.target], True) for r in event.relations]

    def incoming(self, event_id: str) -> list[Link]:
        return [Link(r, source, False) for r, source in self._incoming.get(event_id, [])]

    def related(self, event_id: str) -> list[Link]:
        """Everything that relates to the event, in either direction, in time order."""
        links = self.outgoing(event_id) + self.incoming(event_id)
        return sorted(links, key=lambda link: (self._position[link.other.id], link.relation.type))

    def thread(self, event_id: str) -> list[Event]:
        """The whole story an event belongs to: everything linked to it, directly or through
        others, by any relation but the loose `related`, in time order."""
        if self._threads is None:
            self._threads = _threads(self.ordered)
        return self._threads.get(event_id, [self.events[event_id]])

    def promises(self) -> list[Event]:
        return [e for e in self.ordered if e.kind == "promise"]

    def promise_history(self, promise_id: str) -> list[tuple[Relation, Event]]:
        """The events that delay, fulfil, break, cancel or reaffirm a promise, in order."""
        return [(r, e) for r, e in self._incoming.get(promise_id, []) if r.type in PROMISE_RELATIONS]

    def via_unit(self, entity_id: str, event: Event) -> Entity | None:
        """The sub-unit through which `event` reaches `entity_id`'s page, or None if direct."""
        if entity_id in self.involved(event):
            return None
        below = {e.id: e for e in self.descendants(entity_id)}
        return next((below[i] for i in self.involved(event) if i in below), None)

    def newest_first(self) -> list[tuple[int, list[tuple[str, list[Event]]]]]:
        """[(year, [(month label, events)])], all newest first."""
        years = []
        for year, in_year in groupby(reversed(self.ordered), key=lambda e: e.date.first.year):
            years.append((year, [(label, list(group)) for label, group in groupby(in_year, key=_month_label)]))
        return years

    @staticmethod
    def involved(event: Event) -> list[str]:
        """Everyone an event is about: its entities, whoever it quotes, and the promiser."""
        promiser = [event.promise.by] if event.promise else []
        return list(dict.fromkeys([*event.entities, *(q.by for q in event.quotes), *promiser]))


THREAD_RELATIONS = frozenset(RELATION_LABELS) - {"related"}


def _threads(ordered: list[Event]) -> dict[str, list[Event]]:
    """Connected components of the thread relations, each listed in time order."""
    root = {e.id: e.id for e in ordered}

    def find(i: str) -> str:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for event in ordered:
        for relation in event.relations:
            if relation.type in THREAD_RELATIONS and relation.target in root:
                a, b = find(event.id), find(relation.target)
                if a != b:
                    root[max(a, b)] = min(a, b)
    members: dict[str, list[Event]] = defaultdict(list)
    for event in ordered:
        members[find(event.id)].append(event)
    return {e.id: members[find(e.id)] for e in ordered}


def _month_label(event: Event) -> str:
    return (
        event.date.label().removeprefix("c. ")
        if event.date.precision in ("year", "quarter")
        else event.date.first.strftime("%B %Y")
    )


def _chronological(events: dict[str, Event]) -> list[Event]:
    """Sorted by date; events on the same date put after what they relate to, then by ID."""
    ordered: list[Event] = []
    for _, group in groupby(sorted(events.values(), key=lambda e: (e.date.sort_key, e.id)), key=lambda e: e.date.sort_key):
        same = {e.id: e for e in group}
        start = len(ordered)
        waiting = {i: {r.target for r in e.relations if r.target in same} for i, e in same.items()}
        ready = [i for i, deps in waiting.items() if not deps]
        heapq.heapify(ready)
        while ready:
            current = heapq.heappop(ready)
            ordered.append(same[current])
            for other, deps in waiting.items():
                if current in deps:
                    deps.discard(current)
                    if not deps:
                        heapq.heappush(ready, other)
        placed = {e.id for e in ordered[start:]}  # this date's events only: the whole list made it quadratic
        ordered.extend(same[i] for i in sorted(same) if i not in placed)  # a cycle: fall back to ID
    return ordered
