"""Promise records computed from the event graph, never typed in by hand.

A promise event says who promised what, when, and for when. Later events point at it: they
delay it (with the new date), reaffirm it, fulfil it (fully or partly), break it or cancel it.
The status is derived from that chain as of the build's date. Lateness is always measured
against the ORIGINAL promised date, so a slip never resets the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .dates import FuzzyDate
from .graph import EventGraph
from .model import Event, Relation

# status: (label, one-line explanation, severity for sorting: higher stands out more)
STATUSES = {
    "overdue": ("Overdue, no follow-up recorded", "The promised date has passed and nothing since has been recorded.", 90),
    "overdue-reaffirmed": (
        "Overdue, still promised",
        "The promised date has passed; the promise was restated since, without a new date.",
        85,
    ),
    "stalled": ("Stalled", "Delayed with no new date given, and not delivered.", 80),
    "broken": ("Broken", "An event on record shows the promise was not kept.", 70),
    "slipped": ("Slipped", "Delayed at least once; the latest promised date has not passed yet.", 60),
    "cancelled": ("Cancelled", "Withdrawn by whoever made it.", 50),
    "not-yet-due": ("Not yet due", "The promised date has not passed yet.", 40),
    "no-date": ("No date given", "Promised without a date, and no follow-up recorded.", 30),
    "partly-delivered": ("Partly delivered", "Delivered in part.", 20),
    "delivered-late": ("Delivered late", "Delivered after the original promised date.", 15),
    "delivered": ("Delivered", "Delivered; the recorded dates are too coarse to say whether on time.", 12),
    "delivered-on-time": ("Delivered on time", "Delivered by the original promised date.", 10),
}


@dataclass(frozen=True)
class Step:
    """One event in a promise's history, with the promised date in force after it."""

    relation: Relation
    event: Event
    due_after: FuzzyDate | None


@dataclass(frozen=True)
class PromiseRecord:
    promise: Event
    steps: tuple[Step, ...]
    as_of: date

    @property
    def by(self) -> str:
        return self.promise.promised().by

    @property
    def original_due(self) -> FuzzyDate | None:
        return self.promise.promised().due

    @property
    def current_due(self) -> FuzzyDate | None:
        return self.steps[-1].due_after if self.steps else self.original_due

    @property
    def slips(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.relation.type == "delays")

    @property
    def outcome(self) -> Step | None:
        """The fulfilment, cancellation or breach that settles the promise, if any."""
        return next((s for s in reversed(self.steps) if s.relation.type in ("fulfils", "cancels", "breaks")), None)

    @property
    def slip_days(self) -> int | None:
        """Days from the end of the original promised period to the end of the current one."""
        if self.original_due is None or self.current_due is None:
            return None
        return (self.current_due.last - self.original_due.last).days

    @property
    def days_late(self) -> int | None:
        """Days past the original promised period: to delivery if delivered, else to the as-of date."""
        if self.original_due is None:
            return None
        outcome = self.outcome
        if outcome is not None and outcome.relation.type == "fulfils":
            end = outcome.event.date.first
        elif outcome is not None:
            return None
        else:
            end = self.as_of
        return max(self.original_due.days_after(end), 0)

    @property
    def label(self) -> str:
        return STATUSES[self.status][0]

    @cached_property
    def status(self) -> str:
        outcome, original, due = self.outcome, self.original_due, self.current_due
        if outcome is not None:
            if outcome.relation.type in ("cancels", "breaks"):
                return "cancelled" if outcome.relation.type == "cancels" else "broken"
            if outcome.relation.extent == "partial":
                return "partly-delivered"
            delivered = outcome.event.date
            if original is not None and delivered.last <= original.last:
                return "delivered-on-time"
            if original is not None and delivered.first > original.last:
                return "delivered-late"
            return "delivered"  # no promised date, or dates too coarse to tell
        if due is None:
            return "stalled" if self.slips else "no-date"
        if self.as_of > due.last:
            restated = any(s.relation.type == "reaffirms" and s.event.date.first > due.last for s in self.steps)
            return "overdue-reaffirmed" if restated else "overdue"
        return "slipped" if self.slips else "not-yet-due"


def record(graph: EventGraph, promise: Event, as_of: date) -> PromiseRecord:
    steps, due = [], promise.promised().due
    for relation, event in graph.promise_history(promise.id):
        if event.date.first > as_of:
            continue  # recorded ahead of the as-of date: not yet known "today"
        if relation.type == "delays":
            due = relation.new_date
        steps.append(Step(relation, event, due))
    return PromiseRecord(promise, tuple(steps), as_of)


def records(graph: EventGraph, as_of: date) -> list[PromiseRecord]:
    """Every promise, most pressing first: by status severity, then days late, then newest."""
    found = [record(graph, p, as_of) for p in graph.promises() if p.date.first <= as_of]
    return sorted(
        found, key=lambda r: (-STATUSES[r.status][2], -(r.days_late or 0), -r.promise.date.first.toordinal(), r.promise.id)
    )


def status_counts(items: list[PromiseRecord]) -> list[tuple[str, int]]:
    """(status, how many) for the statuses present, most pressing first."""
    counts = {status: sum(1 for r in items if r.status == status) for status in STATUSES}
    return [(status, n) for status, n in counts.items() if n]
