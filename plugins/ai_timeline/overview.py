"""The whole record at a glance: one lane per top-level organisation (its units rolled up), most
active first, with its events as bars per month, quarter or year and each promise as a line from
when it was made to its latest promised date, with its slips and where it stands. An inline SVG
made at build time, followed by a table and a list that say the same in words.

Its size is bounded whatever the number of events: at most MAX_LANES lanes (the rest fold into
"Others"), at most MAX_COLUMNS time buckets (the shortest of month, quarter, year or several years
that fits), one link per lane and period (a year, or several), and at most PROMISE_ROWS rows of
promise lines per lane; promises that do not fit are counted, not drawn. Statuses come from the
promise records; nothing here recomputes them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup

from .dates import MONTH_ABBREVIATIONS, MONTH_NAMES, FuzzyDate, day_label
from .graph import EventGraph
from .model import Event
from .promises import PromiseRecord
from .slipchart import svg_environment

MAX_LANES = 12  # named lanes; every other organisation folds into "Others"
MAX_COLUMNS = 40  # time buckets across the picture
MAX_PERIODS = 16  # rows of the table per lane, and links per lane: years, or longer periods
BUCKET_MONTHS = (1, 3, 12, 24, 60, 120, 240, 600, 1200)  # the shortest that fits wins
PROMISE_ROWS = 3  # rows of promise lines per lane
MAX_DRAWN = 5  # promise lines per lane, most pressing first
MAX_SLIPS = 6  # slip markers drawn per promise (its tooltip gives the number)
FUTURE_YEARS = 5  # how far past the build date a promised date may stretch the axis
MAX_TICKS = 5  # labelled ticks on the time axis, so that "Jan 2026" never touches its neighbours
NAME_CHARS = 36  # a lane label's name is cut to this; the table has it whole
OTHERS = ""  # the lane key of everything folded together

WIDTH, LEFT, RIGHT, TOP = 480, 4, 10, 32
LABEL, BARS, PROMISE_ROW, GAP, AXIS = 22, 24, 16, 10, 34
BAR_MIN, BAR_MAX = 4, 20

# How a promise stands, as a glyph: (words, the statuses it shows). Shape and colour both differ.
GLYPHS = {
    "kept": ("kept", {"delivered-on-time", "delivered"}),
    "late": ("kept late or in part", {"delivered-late", "partly-delivered"}),
    "broken": ("broken or cancelled", {"broken", "cancelled"}),
    "overdue": ("overdue or stalled", {"overdue", "overdue-reaffirmed", "stalled"}),
    "open": ("open, not yet due", {"not-yet-due", "slipped", "no-date"}),
}
GLYPH_OF = {status: glyph for glyph, (_, statuses) in GLYPHS.items() for status in statuses}
LEGEND = {
    "bar": "events (taller: more)",
    "made": "promise made",
    "line": "to the latest promised date",
    "open-line": "no date promised",
    "past": "past the latest promised date",
    "slip": "delayed",
    **{glyph: words for glyph, (words, _) in GLYPHS.items()},
    "asof": "as of this site's build",
}


@dataclass(frozen=True)
class Links:
    """Relative URLs, from the page the picture sits on, of the pages its marks lead to."""

    event: Callable[[str], str]
    entity: Callable[[str], str]
    year: Callable[[int], str]


@dataclass(frozen=True)
class Bucket:
    index: int  # months since the year 0, divided by `months`: calendar-aligned
    months: int

    @property
    def first(self) -> date:
        return _from_index(self.index * self.months)

    @property
    def end(self) -> date:
        """The day after its last."""
        return _from_index((self.index + 1) * self.months)

    def label(self, short: bool = False) -> str:
        y = self.first.year
        if self.months == 1:
            return (MONTH_ABBREVIATIONS if short else MONTH_NAMES)[self.first.month] + ("" if short else f" {y}")
        if self.months == 3:
            return f"Q{(self.first.month + 2) // 3}" + ("" if short else f" {y}")
        return str(y) if self.months == 12 else f"{y}\N{EN DASH}{self.end.year - 1}"


@dataclass
class Period:
    """One lane's events and promises in one year, or several: a link in the picture and a row of the table."""

    bucket: Bucket  # the period itself, at least a year long
    bars: list[tuple[Bucket, list[Event]]] = field(default_factory=list)  # the picture's buckets within it
    promises: list[PromiseRecord] = field(default_factory=list)  # made in it, most pressing first

    @property
    def events(self) -> list[Event]:
        return [e for _, events in self.bars for e in events]

    @property
    def single_year(self) -> bool:
        return self.bucket.months == 12

    def standing(self) -> str:
        return standing(self.promises)


@dataclass
class Lane:
    key: str  # the top-level entity's ID, or OTHERS
    name: str
    placed: dict[int, list[Event]] = field(default_factory=dict)  # bucket index → the events drawn there
    records: list[PromiseRecord] = field(default_factory=list)  # most pressing first

    @property
    def events(self) -> int:
        return sum(len(events) for events in self.placed.values())


@dataclass(frozen=True)
class Overview:
    lanes: list[Lane]
    buckets: list[Bucket]
    period_months: int
    as_of: date
    horizon: date  # promised dates later than this are cut at the right edge
    folded: int  # organisations folded into Others

    @property
    def start(self) -> date:
        return self.buckets[0].first

    @property
    def end(self) -> date:
        return self.buckets[-1].end

    def periods(self, lane: Lane) -> list[Period]:
        """The lane's periods with anything in them, oldest first: events where their bars are
        drawn, promises where they were made (the same place: both sit in their first year)."""
        size, found = self.period_months, dict[int, Period]()

        def period(index: int) -> Period:
            return found.setdefault(index, Period(Bucket(index, size)))

        for index, events in sorted(lane.placed.items()):
            bucket = Bucket(index, self.buckets[0].months)
            period(bucket.index * bucket.months // size).bars.append((bucket, events))
        for record in lane.records:
            period(_month_index(_placed(record.promise.date)) // size).promises.append(record)
        return [found[i] for i in sorted(found)]


def standing(records: list[PromiseRecord]) -> str:
    """How many promises stand where, in words: "1 kept; 2 overdue or stalled"."""
    counts = [(words, sum(1 for r in records if GLYPH_OF[r.status] == glyph)) for glyph, (words, _) in GLYPHS.items()]
    return "; ".join(f"{n} {words}" for words, n in counts if n) or "—"


def build(graph: EventGraph, records: list[PromiseRecord], as_of: date, max_lanes: int = MAX_LANES) -> Overview | None:
    """The lanes and the time axis of the picture, or None when there is no event."""
    if not graph.ordered:
        return None
    top = {entity_id: [graph.entities[entity_id], *graph.ancestors(entity_id)][-1] for entity_id in graph.entities}

    def organisations(ids: list[str] | tuple[str, ...]) -> list[str]:
        """The top-level organisations above these entities; people lead no lane."""
        return list(dict.fromkeys(top[i].id for i in ids if top[i].kind != "person"))

    event_lanes = {e.id: organisations(graph.involved(e)) for e in graph.ordered}
    # A person's promise goes to the first organisation the promise names.
    record_lane = {r.promise.id: (organisations([r.by]) or organisations(r.promise.entities) or [OTHERS])[0] for r in records}
    activity: dict[str, list[int]] = {}
    for keys in event_lanes.values():
        for key in keys:
            activity.setdefault(key, [0, 0])[0] += 1
    for key in record_lane.values():
        if key in activity:
            activity[key][1] += 1
    ranked = sorted(activity, key=lambda k: (-activity[k][0], -activity[k][1], graph.entities[k].name.lower(), k))
    lanes = {key: Lane(key, graph.entities[key].name) for key in ranked[:max_lanes]}
    others = Lane(OTHERS, "Others")

    horizon = _from_index(_month_index(max(as_of, graph.ordered[-1].date.first)) + 12 * FUTURE_YEARS)
    moments = [graph.ordered[0].date.first, graph.ordered[-1].date.first, as_of]
    moments += [min(moment, horizon) for r in records for moment in _promise_moments(r)]
    buckets = _buckets(min(moments), max(moments), MAX_COLUMNS, BUCKET_MONTHS)
    size = buckets[0].months
    periods = [m for m in BUCKET_MONTHS if m >= 12 and m % size == 0]
    period_months = _buckets(buckets[0].first, buckets[-1].first, MAX_PERIODS, periods)[0].months
    for event in graph.ordered:
        index = _month_index(_placed(event.date)) // size
        for key in {k if k in lanes else OTHERS for k in event_lanes[event.id]} or {OTHERS}:
            (lanes.get(key) or others).placed.setdefault(index, []).append(event)
    for record in records:
        lanes.get(record_lane[record.promise.id], others).records.append(record)
    shown = [*lanes.values(), *([others] if others.placed or others.records else [])]
    return Overview(shown, buckets, period_months, as_of, horizon, max(0, len(ranked) - max_lanes))


def render(
    graph: EventGraph,
    records: list[PromiseRecord],
    as_of: date,
    links: Links,
    chart_id: str = "overview",
    max_lanes: int = MAX_LANES,
) -> Markup:
    """The figure and its text equivalent, or nothing when there is no event."""
    view = build(graph, records, as_of, max_lanes)
    if view is None:
        return Markup("")
    right_edge, span = WIDTH - RIGHT, (view.end - view.start).days

    def x(day: date) -> float:
        return round(min(max(LEFT + (day - view.start).days / span * (right_edge - LEFT), LEFT), right_edge), 1)

    widest = max((len(events) for lane in view.lanes for events in lane.placed.values()), default=1)
    lanes, table, promise_list, y, used = [], [], [], TOP, set[str]()
    for lane in view.lanes:
        drawing = _draw_lane(view, lane, y, x, widest, links)
        lanes.append(drawing)
        used |= drawing["used"]
        table.append((lane.name, links.entity(lane.key) if lane.key else None, drawing["periods"]))
        promise_list += [(lane.name, drawing["promises"])] if drawing["promises"] else []
        y = drawing["next"]
    as_of_x = x(view.as_of) if view.start <= view.as_of < view.end else None
    used |= {"asof"} if as_of_x is not None else set()
    new_years = [b.first for b in view.buckets[1:] if b.months < 12 and b.first.month == 1]
    return Markup(
        svg_environment()
        .get_template("overview.svg.j2")
        .render(
            id=chart_id,
            width=WIDTH,
            height=y + 2 + AXIS,
            top=TOP,
            left=LEFT,
            right_edge=right_edge,
            lanes=lanes,
            grid=[x(d) for d in new_years],
            axis_y=y + 2,
            ticks=_ticks(view.buckets, x),
            as_of_x=as_of_x,
            as_of_short=day_label(view.as_of, abbreviated=True),
            as_of_label=day_label(view.as_of),
            title=_title(view.start.year, (view.end - timedelta(days=1)).year),
            description=describe(view),
            legend=[(glyph, words) for glyph, words in LEGEND.items() if glyph in used],
            table=table,
            year_link=links.year,
            promise_list=promise_list,
            undrawn=sum(len(lane.records) for lane in view.lanes) - sum(len(drawn) for _, drawn in promise_list),
            others_note=_others_note(view),
        )
    )


def _draw_lane(view: Overview, lane: Lane, y: float, x: Callable[[date], float], widest: int, links: Links) -> dict:
    """One lane's label, event bars (one link per period) and packed promise lines, from height `y` down."""
    column = (WIDTH - RIGHT - LEFT) / len(view.buckets)
    base = y + LABEL + BARS  # where the bars stand

    def bar(bucket: Bucket, count: int) -> str:
        height = BAR_MIN + (BAR_MAX - BAR_MIN) * (math.log(count) / math.log(widest) if widest > 1 else 0)
        left, width = LEFT + (bucket.index - view.buckets[0].index) * column + 0.5, max(column - 1, 1)
        return f"M{left:.1f} {base}h{width:.1f}v{-height:.1f}h{-width:.1f}z"

    periods = view.periods(lane)
    groups = [
        (_period_link(period, links), "".join(bar(b, len(es)) for b, es in period.bars), _period_tip(period))
        for period in periods
        if period.bars
    ]
    drawn, hidden = _pack([_promise_mark(r, x, view, links) for r in lane.records])
    rows = max((m.row + 1 for m in drawn), default=0)
    used = {"bar"} if groups else set()
    for mark in drawn:
        mark.y = base + PROMISE_ROW * mark.row + PROMISE_ROW // 2 + 2
        used |= {"made", mark.glyph, "open-line" if mark.open_ended else "line"}
        used |= ({"past"} if mark.past else set()) | ({"slip"} if mark.slips else set())
    counts = _count(lane.events, "event") + (f" · {_count(len(lane.records), 'promise')}" if lane.records else "")
    return {
        "name": _cut(lane.name),
        "href": links.entity(lane.key) if lane.key else None,
        "counts": counts + (f" ({len(drawn)} drawn)" if hidden else ""),
        "y": y,
        "bottom": base + PROMISE_ROW * rows + GAP // 2,
        "next": base + PROMISE_ROW * rows + GAP,
        "groups": groups,
        "promises": drawn,
        "periods": periods,
        "used": used,
    }


def describe(view: Overview) -> str:
    """The picture in words, for screen readers: each lane's totals and how its promises stand."""
    parts = [
        f"One lane per organisation, most active first, its units included; bars count events per "
        f"{_bucket_words(view.buckets[0].months)}. As of {day_label(view.as_of)}."
    ]
    for lane in view.lanes:
        promised = f"; {_count(len(lane.records), 'promise')}: {standing(lane.records)}" if lane.records else ""
        parts.append(f"{lane.name}: {_count(lane.events, 'event')}{promised}.")
    return " ".join(parts)


def _title(first: int, last: int) -> str:
    return f"The record at a glance, {first} to {last}" if first != last else f"The record at a glance, {first}"


def _period_link(period: Period, links: Links) -> str:
    """A lone event's page, else the year's archive (for a longer period, its latest year on record)."""
    events = period.events
    return links.event(events[0].id) if len(events) == 1 else links.year(max(e.date.first.year for e in events))


def _period_tip(period: Period) -> str:
    """ "2026: 12 events (Apr: 8, May: 2, Jun: 2)"; a lone event is named."""
    events = period.events
    tip = f"{period.bucket.label()}: {_count(len(events), 'event')}"
    if len(events) == 1:
        return f"{tip}: {events[0].title}, {events[0].date.label()}"
    if period.bars[0][0].months < period.bucket.months:
        tip += " (" + ", ".join(f"{b.label(short=True)}: {len(es)}" for b, es in period.bars) + ")"
    coarse = sum(1 for b, es in period.bars for e in es if e.date.first < b.first or e.date.last >= b.end)
    return tip + (f"; {coarse} dated only to a longer period, drawn mid-period" if coarse else "")


@dataclass
class PromiseMark:
    record: PromiseRecord
    href: str
    glyph: str
    made: float
    end: float  # where the promised line ends: the latest promised date, or an earlier outcome
    at: float  # the status glyph
    slips: list[int]
    open_ended: bool  # no date was ever promised
    past: tuple[float, float] | None  # past the latest promised date
    tip: str
    row: int = 0
    y: float = 0

    @property
    def span(self) -> tuple[float, float]:
        return min(self.made, self.at) - 7, max(self.end, self.at) + 7

    def words(self) -> str:
        """For the list under the picture: when made, for when, slips, where it stands."""
        r = self.record
        due = f"latest promised date {r.last_dated.label()}" if r.last_dated else "never given a date"
        slips = f"; delayed {_times(len(r.slips))}" if r.slips else ""
        return f"made {r.promise.date.label()}, {due}{slips}: {r.label}."


def _promise_mark(record: PromiseRecord, x: Callable[[date], float], view: Overview, links: Links) -> PromiseMark:
    due = record.last_dated
    due_x = x(min(due.last + timedelta(days=1), view.horizon)) if due else None
    outcome = record.outcome
    if record.settled and outcome is not None:
        at = x(_middle(outcome.event.date))
    elif due is not None and due_x is not None and view.as_of <= due.last:
        at = due_x
    else:
        at = x(view.as_of)  # no date, overdue or stalled: it stands where the build is
    end = at if due_x is None or (record.settled and at < due_x) else due_x
    delays = f", delayed {_times(len(record.slips))}" if record.slips else ""
    return PromiseMark(
        record,
        links.event(record.promise.id),
        GLYPH_OF[record.status],
        x(_middle(record.promise.date)),
        end,
        at,
        sorted({round(x(_middle(s.event.date))) for s in record.slips})[:MAX_SLIPS],  # one marker per spot
        open_ended=due is None,
        past=(end, at) if at > end + 1 else None,
        tip=f"{record.promise.title}: promised {record.promise.date.label()}{delays}. {record.label}.",
    )


def _pack(marks: list[PromiseMark]) -> tuple[list[PromiseMark], list[PromiseMark]]:
    """Each mark in the first row where it overlaps nothing, most pressing first, up to MAX_DRAWN
    marks in PROMISE_ROWS rows; the rest are hidden (and counted)."""
    ends: list[float] = []
    drawn: list[PromiseMark] = []
    hidden: list[PromiseMark] = []
    for mark in marks:
        start, stop = mark.span
        row = next((i for i, end in enumerate(ends) if end <= start), len(ends) if len(ends) < PROMISE_ROWS else None)
        if row is None or len(drawn) == MAX_DRAWN:
            hidden.append(mark)
            continue
        if row == len(ends):
            ends.append(stop)
        ends[row], mark.row = stop, row
        drawn.append(mark)
    return drawn, hidden


def _promise_moments(record: PromiseRecord) -> list[date]:
    found = [record.promise.date.first]
    if record.last_dated is not None:
        found.append(record.last_dated.last)
    if record.outcome is not None:
        found.append(record.outcome.event.date.first)
    return found


def _buckets(start: date, end: date, most: int, sizes: tuple[int, ...] | list[int]) -> list[Bucket]:
    """Calendar-aligned buckets from `start` to `end`: the shortest size that needs at most `most`."""
    for size in sizes:
        first, last = _month_index(start) // size, _month_index(end) // size
        if last - first < most:
            break
    return [Bucket(i, size) for i in range(first, last + 1)]


def _ticks(buckets: list[Bucket], x: Callable[[date], float]) -> list[tuple[float, str]]:
    """At most MAX_TICKS labelled ticks on bucket starts; a month or quarter names its year when it
    is the first tick or the year changed since the last."""
    ticks, year = [], None
    for bucket in buckets[:: -(-len(buckets) // MAX_TICKS)]:
        label = bucket.label(short=True)
        if bucket.months < 12 and bucket.first.year != year:
            label += f" {bucket.first.year}"
        year = bucket.first.year
        ticks.append((x(bucket.first), label))
    return ticks


def _others_note(view: Overview) -> str:
    if not any(lane.key == OTHERS for lane in view.lanes):
        return ""
    folded = (
        f"the {_count(view.folded, 'other organisation')} beyond the {len(view.lanes) - 1} most active, and "
        if view.folded
        else ""
    )
    return f"Others: {folded}events that name no organisation (only people, say)."


def _placed(d: FuzzyDate) -> date:
    """Where an event's bar goes: mid-period, within the year its archive page lists it under."""
    return min(_middle(d), date(d.first.year, 12, 31))


def _middle(d: FuzzyDate) -> date:
    """A coarse date sits mid-period: "April" is no more the 1st than the 30th."""
    return d.first + (d.last - d.first) / 2


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _from_index(months: int) -> date:
    return date(months // 12, months % 12 + 1, 1)


def _bucket_words(months: int) -> str:
    return {1: "month", 3: "quarter", 12: "year"}.get(months, f"{months // 12} years")


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _cut(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"
