"""A promise's history as an inline SVG: each promised date as a bar, each slip as a step down,
the as-of line, delivery if any, and the time past the ORIGINAL date. No JavaScript.

Geometry only lives here; the markup is `templates/slipchart.svg.j2` (autoescaped HTML).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import jinja2
from markupsafe import Markup, escape

from .dates import MONTH_ABBREVIATIONS, FuzzyDate, day_label
from .markup import FENCE_SAFE
from .promises import STATUSES, PromiseRecord, Step

# Labels sit above their bars, so the whole width is time and a phone needs no sideways scroll.
WIDTH, LEFT, RIGHT, TOP, ROW, AXIS = 480, 12, 16, 34, 50, 34
MAX_TICK_LABELS = 7


@dataclass
class Row:
    label: str
    bar: tuple[float, float] | None = None  # x from, x to
    markers: list[tuple[float, str, str]] = field(default_factory=list)  # x, shape, tooltip
    link_from: float | None = None  # x where the previous promised period ended
    open_ended: bool = False
    late: bool = False


def short(d: FuzzyDate | None) -> str:
    return d.label(abbreviated=True) if d is not None else "no date"


# Every glyph a chart can draw, with its words; a chart's legend lists those it uses.
LEGEND = {
    "due": "promised period",
    "late": "time past the first committed date",
    "open": "no date given",
    "made": "promise made",
    "slip": "delayed",
    "reaffirm": "restated",
    "delivered": "delivered",
    "ended": "broken or cancelled",
    "asof": "as of this site's build",
}


def render(record: PromiseRecord, chart_id: str) -> Markup:
    dues = [d for d in [record.original_due, *(s.due_after for s in record.steps), *(s.due_before for s in record.steps)] if d]
    moments = [record.promise.date.first, *(s.event.date.first for s in record.steps)]
    moments += [d.first for d in dues] + [d.last + timedelta(days=1) for d in dues]
    settled_on = record.outcome.event.date.last if record.settled and record.outcome else None
    # A settled promise's story ends shortly after it settled; an open one runs to the build date.
    moments.append(settled_on or record.as_of)
    start, end = min(moments) - timedelta(days=20), max(moments) + timedelta(days=20)
    span = (end - start).days

    def x(day: date) -> float:
        return round(LEFT + (day - start).days / span * (WIDTH - LEFT - RIGHT), 1)

    def at(d: FuzzyDate) -> float:
        """A coarse date's marker sits mid-period: "April" is no more the 1st than the 30th."""
        return x(d.first + (d.last - d.first) / 2)

    def bar(d: FuzzyDate) -> tuple[float, float]:
        return (x(d.first), max(x(d.last + timedelta(days=1)), x(d.first) + 3))

    original = record.original_due
    rows = [
        Row(
            f"Promised · {short(original)}",
            bar(original) if original else None,
            [(at(record.promise.date), "made", f"Promise made {record.promise.date.label()}")],
            open_ended=original is None,
        )
    ]
    slips = 0
    for step in record.steps:
        kind, when = step.relation.type, at(step.event.date)
        if kind == "delays":
            if rows[-1].bar is None and step.due_before is not None:  # the date it displaces, named by the delay
                rows[-1].bar, rows[-1].open_ended = bar(step.due_before), False
                rows[-1].label += f" · planned {short(step.due_before)}"
            slips += 1
            previous = rows[-1].bar
            rows.append(
                Row(
                    f"Slip {slips} · {short(step.due_after)}",
                    bar(step.due_after) if step.due_after else None,
                    [(when, "slip", f"Delayed {step.event.date.label()}")],
                    link_from=previous[1] if previous else None,
                    open_ended=step.due_after is None,
                )
            )
        elif kind == "reaffirms":
            rows[-1].markers.append((when, "reaffirm", f"Reaffirmed {step.event.date.label()}"))
        else:
            shape = "delivered" if kind == "fulfils" else "ended"
            rows[-1].markers.append((when, shape, f"{_outcome_label(record, step)} {step.event.date.label()}"))
    bench = record.benchmark
    if record.days_late and bench is not None:
        until = record.outcome.event.date.first if record.outcome else record.as_of
        rows.append(Row(f"Late · {_days(record.days_late)}", (x(bench.due.last + timedelta(days=1)), x(until)), late=True))

    open_end = x(settled_on) if settled_on else WIDTH - RIGHT
    used = {"asof"} if settled_on is None else set()
    for r in rows:
        used |= {"late" if r.late else "due"} if r.bar else set()
        used |= {"open"} if r.open_ended else set()
        used |= {shape for _, shape, _ in r.markers}
    height = TOP + ROW * len(rows) + AXIS
    return Markup(
        _template().render(
            id=chart_id,
            record=record,
            rows=rows,
            width=WIDTH,
            height=height,
            left=LEFT,
            top=TOP,
            row=ROW,
            axis_y=TOP + ROW * len(rows) + 6,
            ticks=_ticks(start, end, x),
            as_of_x=x(record.as_of) if settled_on is None else None,
            open_end=open_end,
            right_edge=WIDTH - RIGHT,
            description=describe(record),
            as_of_short=day_label(record.as_of, abbreviated=True),
            legend=[(glyph, words) for glyph, words in LEGEND.items() if glyph in used],
        )
    )


def describe(record: PromiseRecord) -> str:
    """The chart in words, for screen readers."""
    parts = [
        f"Promised {record.promise.date.label()}, for {record.original_due.label() if record.original_due else 'no stated date'}."
    ]
    for step in record.steps:
        when = step.event.date.label()
        if step.relation.type == "delays":
            parts.append(f"Delayed {when}, to {step.due_after.label() if step.due_after else 'no new date'}.")
        elif step.relation.type == "reaffirms":
            parts.append(f"Reaffirmed {when}.")
        else:
            parts.append(f"{_outcome_label(record, step)} {when}.")
    parts.append(record.reason if record.settled else f"As of {day_label(record.as_of)}: {record.label}. {record.reason}")
    return " ".join(parts)


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _outcome_label(record: PromiseRecord, step: Step) -> str:
    """The status label for the step that settles the promise; what happened, for any earlier one
    (a partial delivery before the full one is not "Delivered late")."""
    if step == record.outcome:
        return record.label
    kind = (
        "partly-delivered"
        if step.relation.extent == "partial"
        else {"fulfils": "delivered", "cancels": "cancelled", "breaks": "broken"}[step.relation.type]
    )
    return STATUSES[kind][0]


def _ticks(start: date, end: date, x: Callable[[date], float]) -> list[tuple[float, str]]:
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 36:
        years = list(range(start.year + 1, end.year + 1))
        step = max(1, -(-len(years) // MAX_TICK_LABELS))
        return [(x(date(y, 1, 1)), str(y)) for y in years[::step]]
    step = max(1, -(-months // MAX_TICK_LABELS))
    ticks: list[tuple[float, str]] = []
    year, month = start.year, start.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day > end:
            return ticks
        if (year * 12 + month) % step == 0:
            label = f"{MONTH_ABBREVIATIONS[month]}" + (f" {year}" if month == 1 or not ticks else "")
            ticks.append((x(day), label))


@cache
def svg_environment() -> jinja2.Environment:
    """For inline SVG: autoescaped, every value on one line with no raw fence character."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        finalize=_text,
    )


def _template() -> jinja2.Template:
    return svg_environment().get_template("slipchart.svg.j2")


def _text(value: object) -> object:
    """Every printed value on one line, HTML-escaped and with no raw fence character: the SVG
    sits in a page whose Markdown parser must see nothing of the text it holds."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(str(escape(" ".join(value.split()))).translate(FENCE_SAFE))
