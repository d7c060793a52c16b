"""Track records: how an entity's promises (its units' included) and the industry's turned out,
computed from the promise records, never typed in."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from .graph import EventGraph
from .model import Entity
from .promises import PromiseRecord
from .slipchart import svg_environment

# (key, words, the statuses it counts), in the order a reader weighs them.
OUTCOMES = (
    ("on-time", "kept on time", {"delivered-on-time"}),
    ("late", "kept late", {"delivered-late"}),
    ("delivered", "kept, timing unclear", {"delivered"}),
    ("partly", "partly kept", {"partly-delivered"}),
    ("broken", "broken", {"broken"}),
    ("cancelled", "cancelled", {"cancelled"}),
    ("overdue", "overdue", {"overdue", "overdue-reaffirmed"}),
    ("stalled", "stalled", {"stalled"}),
    ("open", "open, not yet due", {"not-yet-due", "slipped", "no-date"}),
)
SMALL_SAMPLE = 5  # fewer promises than this are too few to compare


@dataclass(frozen=True)
class TrackRecord:
    name: str
    records: tuple[PromiseRecord, ...]
    entity_id: str | None = None  # None for everyone on record
    units_included: bool = True

    @property
    def total(self) -> int:
        return len(self.records)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return [(key, words, sum(1 for r in self.records if r.status in statuses)) for key, words, statuses in OUTCOMES]

    @property
    def measured(self) -> list[PromiseRecord]:
        """Promises whose lateness is known: delivered against a committed date, or open past it."""
        return [r for r in self.records if r.days_late is not None and (r.settled or r.days_late > 0)]

    @property
    def median_days_late(self) -> float | None:
        days = [r.days_late or 0 for r in self.measured]
        return statistics.median(days) if days else None

    @property
    def worst(self) -> PromiseRecord | None:
        late = [r for r in self.measured if r.days_late]
        return max(late, key=lambda r: (r.days_late or 0, r.promise.id)) if late else None

    @property
    def small(self) -> bool:
        return self.total < SMALL_SAMPLE


class ByMaker:
    """The promise records by who made them, so that an entity's rows pick its own instead of
    scanning every record (millions of comparisons for the entity pages and API files at
    10,000 events)."""

    def __init__(self, records: Sequence[PromiseRecord]) -> None:
        self.made: dict[str, list[PromiseRecord]] = {}
        self.position: dict[str, int] = {}
        for position, record in enumerate(records):
            self.made.setdefault(record.by, []).append(record)
            self.position[record.promise.id] = position

    def of(self, ids: Iterable[str]) -> tuple[PromiseRecord, ...]:
        """The records made by any of `ids`, in the records' order."""
        found = [record for i in ids for record in self.made.get(i, ())]
        return tuple(sorted(found, key=lambda record: self.position[record.promise.id]))


def of_entity(graph: EventGraph, made: ByMaker, entity: Entity, units: bool = True) -> TrackRecord:
    ids = {entity.id, *(e.id for e in graph.descendants(entity.id))} if units else {entity.id}
    return TrackRecord(entity.name, made.of(ids), entity.id, units)


def of_industry(records: list[PromiseRecord]) -> TrackRecord:
    return TrackRecord("Everyone on record", tuple(records))


def rows_for(graph: EventGraph, made: ByMaker, entity: Entity) -> list[tuple[str, TrackRecord]]:
    """An entity's track record with its units rolled up, then its own, then each unit's, where any."""
    units = [u for u in graph.descendants(entity.id) if u.id in made.made]
    rows = [("units included" if units else "", of_entity(graph, made, entity))]
    if units:
        rows.append(("its own promises", of_entity(graph, made, entity, units=False)))
        rows += [("a unit", of_entity(graph, made, unit)) for unit in units if unit.parent == entity.id]
    return [(note, row) for note, row in rows if row.total]


def top_level(graph: EventGraph, records: list[PromiseRecord]) -> list[Entity]:
    """The topmost entity above each promiser, by name: the rows of the industry table."""
    tops = {}
    for record in records:
        chain = [graph.entities[record.by], *graph.ancestors(record.by)]
        tops[chain[-1].id] = chain[-1]
    return sorted(tops.values(), key=lambda e: e.name.lower())


CHART_WIDTH, CHART_LEFT, CHART_RIGHT, CHART_ROW = 480, 4, 4, 44


def chart(rows: list[tuple[str, TrackRecord]], chart_id: str) -> Markup:
    """Stacked bars, one per row: how each entity's promises turned out, in words too."""
    widest = max((row.total for _, row in rows), default=1)
    usable = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    bars, used = [], set()
    for note, row in rows:
        x, segments = float(CHART_LEFT), []
        for key, words, count in row.counts:
            if count:
                width = round(count / widest * usable, 1)
                segments.append((key, round(x, 1), width, f"{count} {words}"))
                used.add(key)
                x += width
        bars.append((f"{row.name}{f' ({note})' if note else ''}: {row.total}", segments))
    words = ", ".join(
        f"{row.name}{f' ({note})' if note else ''}: " + "; ".join(s[3] for s in segs)
        for (note, row), (_, segs) in zip(rows, bars, strict=True)
    )
    return Markup(
        svg_environment()
        .get_template("trackrecord.svg.j2")
        .render(
            id=chart_id,
            bars=bars,
            width=CHART_WIDTH,
            row=CHART_ROW,
            height=CHART_ROW * len(bars) + 6,
            description=words,
            legend=[(key, label) for key, label, _ in OUTCOMES if key in used],
        )
    )
