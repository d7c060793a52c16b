"""Checks that need the whole graph: relation cycles, and promise histories that contradict
themselves (a delay to an earlier date, a fulfilment before the promise was made)."""

from __future__ import annotations

from .diagnostics import WARNING, Report
from .graph import EventGraph
from .model import PROMISE_RELATIONS, Event


def check(graph: EventGraph, report: Report) -> None:
    _check_cycles(graph, report)
    _check_direction(graph, report)
    for promise in graph.promises():
        _check_history(graph, promise, report)


def _at(event: Event, index: int, field: str | None, report: Report, message: str, hint: str, severity: str = "error") -> None:
    path = ("relations", index) + ((field,) if field else ())
    line, column = event.document.mark(path) if event.document else (0, 0)
    report.add(event.path, line, column, message, hint, severity)


def _index(event: Event, target: str, kind: str | None = None) -> int:
    return next(i for i, r in enumerate(event.relations) if r.target == target and (kind is None or r.type == kind))


def _check_cycles(graph: EventGraph, report: Report) -> None:
    """Relations point from a later event to an earlier one, so they can never loop."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(graph.events):
        if state.get(start):
            continue
        path, stack = [start], [iter(sorted({r.target for r in graph.events[start].relations}))]
        state[start] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(nxt) == 1:
                loop = [*path[path.index(nxt) :], nxt]
                holder = graph.events[path[-1]]
                _at(
                    holder,
                    _index(holder, nxt),
                    "event",
                    report,
                    f"relations form a cycle: {' → '.join(loop)}",
                    "a relation is written on the later event and points at an earlier one: remove or reverse one of them",
                )
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(sorted({r.target for r in graph.events[nxt].relations})))


def _check_direction(graph: EventGraph, report: Report) -> None:
    for event in graph.ordered:
        for i, relation in enumerate(event.relations):
            target = graph.events[relation.target]
            if target.date.first > event.date.last and relation.type != "related":
                severity = "error" if relation.type in PROMISE_RELATIONS else WARNING
                _at(
                    event,
                    i,
                    "event",
                    report,
                    f"'{relation.type}' points at '{target.id}', dated {target.date.label()}, after this event ({event.date.label()})",
                    "a relation points from the later event to the earlier one: check both dates, or move the relation to the other file",
                    severity,
                )


def _check_history(graph: EventGraph, promise: Event, report: Report) -> None:
    due = promise.promised().due
    settled = None
    for relation, event in graph.promise_history(promise.id):
        i = _index(event, promise.id, relation.type)
        if settled is not None and relation.type in ("delays", "fulfils", "cancels", "breaks"):
            _at(
                event,
                i,
                None,
                report,
                f"'{promise.id}' was already settled by '{settled.id}' ({settled.kind}) before this {relation.type} it",
                "check the dates of both events, or drop the earlier outcome",
                WARNING,
            )
        if relation.type == "delays" and relation.previous_date is not None:
            if due is not None and (due.first, due.last) != (relation.previous_date.first, relation.previous_date.last):
                _at(
                    event,
                    i,
                    "previous_date",
                    report,
                    f"previous_date {relation.previous_date.label()} differs from the date the promise then stood at ({due.label()})",
                    "previous_date is for a date no earlier event set; remove it, or correct the earlier event",
                    WARNING,
                )
            due = due or relation.previous_date
        if relation.type == "delays" and relation.new_date is not None and due is not None:
            if relation.new_date.last < due.first:
                _at(
                    event,
                    i,
                    "new_date",
                    report,
                    f"new date {relation.new_date.label()} is earlier than the date it replaces ({due.label()})",
                    "a delay moves the date later; if the date moved earlier, record a statement that reaffirms it instead",
                )
            elif relation.new_date.first == due.first and relation.new_date.last == due.last:
                _at(
                    event,
                    i,
                    "new_date",
                    report,
                    f"new date {relation.new_date.label()} is the date already promised",
                    "use 'reaffirms' when a date is restated unchanged",
                    WARNING,
                )
        if (
            relation.type == "reaffirms"
            and relation.new_date is not None
            and due is not None
            and (relation.new_date.last < due.first or relation.new_date.first > due.last)
        ):
            _at(
                event,
                i,
                "new_date",
                report,
                f"restates the date as {relation.new_date.label()}, but the promise then stood at {due.label()}",
                "a changed date is a delay: use 'delays' with new_date",
                WARNING,
            )
        if relation.type == "delays":
            due = relation.new_date
        elif relation.type == "reaffirms" and due is None:
            due = relation.new_date  # a restatement that gives the first date
        if relation.type in ("fulfils", "cancels", "breaks") and relation.extent != "partial":
            settled = event  # a partial fulfilment leaves the rest to deliver, delay or drop
