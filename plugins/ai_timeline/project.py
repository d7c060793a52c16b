"""One call from a folder of YAML to a validated event graph plus every diagnostic."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

from . import promise_rules, references
from .check_cache import FileCache
from .diagnostics import Report
from .graph import EventGraph
from .loader import load_folder


def load_graph(root: Path, events_dir: str = "events", *, cache: bool = False) -> tuple[EventGraph, Report]:
    """Never raises for bad data: errors land in the report, valid records in the graph.

    `cache`: reuse each unchanged file's own results from the last run (check_cache.py);
    the checks across files run on the whole graph every time."""
    root = root.resolve()
    report = Report()
    folder = events_folder(root, events_dir)
    if folder is None:
        report.add(events_dir, 1, 1, "the events folder must be inside the project root", "give a path such as events")
        return EventGraph({}, {}), report
    if not folder.is_dir() and not folder.is_symlink():
        report.add(events_dir, 1, 1, "events folder not found", f"create {events_dir}/ or set events_dir in mkdocs.yml")
        return EventGraph({}, {}), report
    file_cache = FileCache.open(root) if cache else None
    loaded = load_folder(folder, root, report, file_cache)
    if file_cache is not None:
        file_cache.save()
    references.check(loaded, report)
    graph = EventGraph(loaded.events, loaded.entities, loaded.templates)
    promise_rules.check(graph, report)
    return graph, report


def events_folder(root: Path, events_dir: str) -> Path | None:
    """The events folder, or None when the setting points outside the project (`/x`, `../x`)."""
    folder = Path(os.path.normpath(root.resolve() / events_dir))
    return folder if folder != root.resolve() and folder.is_relative_to(root.resolve()) else None


def fails(report: Report, allow_warnings: bool) -> bool:
    """The one rule `timeline check` and a strict build share: errors fail, and so do warnings
    unless both are told to allow them."""
    return bool(report.errors) or (bool(report.warnings) and not allow_warnings)


def resolve_as_of(configured: str | None, source_date_epoch: str | None, graph: EventGraph) -> tuple[date, str]:
    """The build's "today" and where it came from; never the clock, so builds reproduce.

    Order: an explicit `as_of` setting, then SOURCE_DATE_EPOCH, then the newest date on record.
    """
    if configured:
        return date.fromisoformat(str(configured)), "the as_of setting"
    if source_date_epoch:
        return datetime.fromtimestamp(int(source_date_epoch), UTC).date(), "SOURCE_DATE_EPOCH"
    newest = max((e.date.last for e in graph.events.values()), default=date(1970, 1, 1))
    return newest, "the newest event on record (set SOURCE_DATE_EPOCH or as_of for a real date)"
