"""Promise records computed from the event graph, never typed in by hand.

A promise event says who promised what, when, and for when. Later events point at it: they
delay it (with the new date), reaffirm it, fulfil it (fully or partly), break it or cancel it.
The status is derived from that chain as of the build's date.

Lateness has one benchmark: the first date ever committed, either the promise's own date or,
when it gave none, the first date set later (by a delay's new date, a restatement, or a delay
that names the date it displaces). Days late, "delivered on time" and "delivered late" all
measure against it, so a slip never resets the clock. The status names where the promise
stands now: "overdue" when its latest promised date has passed.
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
    "delivered-late": ("Delivered late", "Delivered after the first committed date.", 15),
    "delivered": ("Delivered", "Delivered; no date was committed, or the dates are too coarse to say whether on time.", 12),
    "delivered-on-time": ("Delivered on time", "Delivered by the first committed date.", 10),
}


OPEN = ("overdue", "overdue-reaffirmed", "stalled", "slipped", "not-yet-due", "no-date")


@dataclass(frozen=True)
class Step:
    """One event in a promise's history, with the promised date in force before and after it."""

    relation: Relation
    event: Event
    due_after: FuzzyDate | None
    due_before: FuzzyDate | None = None  # a delay's previous_date fills it when no date was on record


@dataclass(frozen=True)
class Benchmark:
    """The first date ever committed, and the event that committed it."""

    due: FuzzyDate
    event: Event
    how: str  # "promised" (with the promise), "set later" (a later date), "displaced" (named by a delay)

    def origin(self) -> str:
        """Where the date came from: "first dated 10 June 2025"."""
        when = self.event.date.label()
        return {
            "promised": f"promised on {when}",
            "set later": f"first dated {when}",
            "displaced": f"named by a delay of {when} as the date planned",
        }[self.how]

    def describe(self) -> str:
        """Which date it is and where it came from: "first dated 10 June 2025, for Q3 2025"."""
        return f"{self.origin()}, for {self.due.label()}"


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

    @cached_property
    def benchmark(self) -> Benchmark | None:
        """The first date ever committed: lateness is measured against it and nothing else."""
        if self.original_due is not None:
            return Benchmark(self.original_due, self.promise, "promised")
        for step in self.steps:
            if step.relation.previous_date is not None and step.due_before is not None:
                return Benchmark(step.due_before, step.event, "displaced")
            if step.due_after is not None:
                return Benchmark(step.due_after, step.event, "set later")
        return None

    @property
    def last_dated(self) -> FuzzyDate | None:
        """The latest date ever promised, even if a later delay dropped it."""
        dues = [self.original_due, *(d for s in self.steps for d in (s.due_before, s.due_after))]
        return next((d for d in reversed(dues) if d is not None), None)

    @property
    def settled(self) -> bool:
        return self.status not in OPEN

    @property
    def days_late(self) -> int | None:
        """Days past the first committed date: to delivery if delivered, else to the as-of date."""
        if self.benchmark is None:
            return None
        outcome = self.outcome
        if outcome is not None and outcome.relation.type == "fulfils":
            end = outcome.event.date.first
        elif outcome is not None:
            return None
        else:
            end = self.as_of
        return max(self.benchmark.due.days_after(end), 0)

    @property
    def reason(self) -> str:
        """Why the promise has its status, computed for this record: never a sentence that could be false."""
        status, outcome, bench, due = self.status, self.outcome, self.benchmark, self.current_due
        late = (
            f", {_days(self.days_late)} after the first committed date ({bench.due.label()})" if bench and self.days_late else ""
        )
        if outcome is not None:
            when = outcome.event.date.label()
            if status == "delivered-on-time":
                return f"Delivered on {when}, by the first committed date ({bench.due.label() if bench else ''})."
            if status == "delivered-late":
                return f"Delivered on {when}{late}."
            if status == "delivered":
                if bench is None:
                    return f"Delivered on {when}; no date was ever promised."
                return f"Delivered on {when}; that and the first committed date ({bench.due.label()}) are too coarse to say whether on time."
            if status == "partly-delivered":
                return f"Partly delivered on {when}{late}."
            return f"{'Cancelled' if status == 'cancelled' else 'Broken'} on {when}."
        timing = f" (“{self.promise.promised().timing}”)" if self.promise.promised().timing else ""
        if status == "no-date":
            return f"No date was promised{timing}, and nothing since is on record."
        past = (
            f"; {_days(self.days_late)} past the first committed date ({bench.due.label()})" if bench and self.days_late else ""
        )
        if status == "stalled":
            last = self.slips[-1].event.date.label()
            return f"Delayed on {last} with no new date{past}."
        assert due is not None
        if status == "overdue":
            return f"The latest promised date ({due.label()}) has passed and nothing since is on record{past}."
        if status == "overdue-reaffirmed":
            return (
                f"The latest promised date ({due.label()}) has passed; the promise was restated since, without a new date{past}."
            )
        if status == "slipped":
            return f"Delayed {_times(len(self.slips))}; now due {due.label()}{past}."
        return f"Due {due.label()}{timing}; not yet passed."

    @property
    def label(self) -> str:
        return STATUSES[self.status][0]

    @cached_property
    def status(self) -> str:
        outcome, due = self.outcome, self.current_due
        if outcome is not None:
            if outcome.relation.type in ("cancels", "breaks"):
                return "cancelled" if outcome.relation.type == "cancels" else "broken"
            if outcome.relation.extent == "partial":
                return "partly-delivered"
            delivered, bench = outcome.event.date, self.benchmark
            if bench is not None and delivered.last <= bench.due.last:
                return "delivered-on-time"
            if bench is not None and delivered.first > bench.due.last:
                return "delivered-late"
            return "delivered"  # no date ever committed, or dates too coarse to tell
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
        before = due if due is not None else relation.previous_date if relation.type == "delays" else None
        if relation.type == "delays":
            due = relation.new_date
        elif relation.type == "reaffirms" and due is None and relation.new_date is not None:
            due = relation.new_date  # a restatement that gives the first date
        steps.append(Step(relation, event, due, before))
    return PromiseRecord(promise, tuple(steps), as_of)


def _days(n: int | None) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


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
