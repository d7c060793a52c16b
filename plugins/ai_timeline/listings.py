"""Long listings cut into pages of bounded size, so that no page grows with the number of events.

A listing at or under its limit stays one page, exactly as before. Beyond it, a listing that
spans several years becomes a hub that links one page per year; a year still over the limit is
cut into numbered parts, between months where possible. The first part keeps the listing's own
address, so links to it stay stable.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .graph import _month_label
from .model import Event


@dataclass(frozen=True)
class Limits:
    events_per_page: int = 500  # ~350 bytes of HTML an event: ~200 KB of list, well under 500 KB
    promises_per_page: int = 250  # tracker rows are longer (~700 bytes)
    entity_events: int = 100  # an entity page lists its latest ones; the rest are in its archive
    home_list: int = 10  # overdue, stalled and due-soon promises on the home page


LIMITS = Limits()  # tests replace it with small limits


@dataclass(frozen=True)
class Part:
    uri: str
    label: str  # which events it holds, e.g. "April 2026" or "January 2026 to March 2026"
    events: list[Event]  # newest first


def chunks(items: list, limit: int) -> list[list]:
    """Items in runs of at most `limit`, in order."""
    return [items[i : i + limit] for i in range(0, len(items), limit)] or [[]]


def month_parts(newest_first: list[Event], limit: int) -> list[list[Event]]:
    """Events in runs of at most `limit`, cut between months; a month longer than `limit` is cut by count."""
    runs: list[list[Event]] = [[]]
    for _, group in groupby(newest_first, key=_month_label):
        month = list(group)
        if runs[-1] and len(runs[-1]) + len(month) > limit:
            runs.append([])
        runs[-1].extend(month)
        while len(runs[-1]) > limit:
            overflow = runs[-1][limit:]
            del runs[-1][limit:]
            runs.append(overflow)
    return runs


def part_uri(stem: str, number: int) -> str:
    return f"{stem}.md" if number == 1 else f"{stem}/page-{number}.md"


def parts(stem: str, newest_first: list[Event], limit: int) -> list[Part]:
    """The pages of one year's listing (or any listing cut by count), labelled by the months they hold."""
    runs = month_parts(newest_first, limit)
    return [Part(part_uri(stem, n), _span(run), run) for n, run in enumerate(runs, 1)]


def months(newest_first: list[Event]) -> list[tuple[str, list[Event]]]:
    """(month heading, events) as the timeline groups them."""
    return [(label, list(group)) for label, group in groupby(newest_first, key=_month_label)]


def by_year(newest_first: list[Event]) -> list[tuple[int, list[Event]]]:
    return [(year, list(group)) for year, group in groupby(newest_first, key=lambda e: e.date.first.year)]


def _span(run: list[Event]) -> str:
    if not run:
        return ""
    newest, oldest = _month_label(run[0]), _month_label(run[-1])
    return newest if newest == oldest else f"{oldest} to {newest}"
