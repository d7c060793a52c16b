"""One call from a folder of YAML to a validated event graph plus every diagnostic."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime
from pathlib import Path

from . import promise_rules, references
from .check_cache import FileCache, RunCache
from .diagnostics import Report
from .graph import EventGraph
from .loader import DataFile, Read, discover, load_files, read


def load_graph(
    root: Path, events_dir: str = "events", *, cache: bool = False, file_cache: FileCache | None = None
) -> tuple[EventGraph, Report]:
    """Never raises for bad data: errors land in the report, valid records in the graph.

    `cache`: reuse each unchanged file's own results from the last run (check_cache.py), or
    from `file_cache`, one this process keeps open across runs (FileCache.next_run); the
    checks across files run on the whole graph every time."""
    root = root.resolve()
    report = Report()
    scanned = _scan(root, events_dir, report)
    if scanned is None:
        return EventGraph({}, {}), report
    if file_cache is None and cache:
        file_cache = FileCache.open(root)
    return _graph(*scanned, report, file_cache), report


def check(root: Path, events_dir: str = "events", *, cache: bool = False) -> tuple[Report, int, int]:
    """`load_graph`'s report and the numbers of events and entities it loaded, for `timeline
    check`: with `cache`, the last check's whole result when every input is the same."""
    root = root.resolve()
    report = Report()
    scanned = _scan(root, events_dir, report)
    if scanned is None:
        return report, 0, 0
    settings = FileCache.settings(root) if cache else None
    if settings is None:
        graph = _graph(*scanned, report, None)
        return report, len(graph.events), len(graph.entities)
    run_cache = RunCache(*settings)
    inputs = _inputs(events_dir, report, *scanned)
    if (hit := run_cache.get(inputs)) is not None:
        found, events, entities = hit
        return Report(found), events, entities
    graph = _graph(*scanned, report, FileCache(*settings))
    run_cache.put(inputs, report.items, len(graph.events), len(graph.entities))
    return report, len(graph.events), len(graph.entities)


def _scan(root: Path, events_dir: str, report: Report) -> tuple[list[DataFile], list[Read]] | None:
    """Every data file and its bytes (or why it could not be read); None if there is no folder."""
    folder = events_folder(root, events_dir)
    if folder is None:
        report.add(events_dir, 1, 1, "the events folder must be inside the project root", "give a path such as events")
        return None
    if not folder.is_dir() and not folder.is_symlink():
        report.add(events_dir, 1, 1, "events folder not found", f"create {events_dir}/ or set events_dir in mkdocs.yml")
        return None
    files = discover(folder, root, report)
    return files, [read(file) for file in files]


def _graph(files: list[DataFile], reads: list[Read], report: Report, file_cache: FileCache | None) -> EventGraph:
    loaded = load_files(files, reads, report, file_cache)
    if file_cache is not None:
        file_cache.save()
    references.check(loaded, report)
    graph = EventGraph(loaded.events, loaded.entities, loaded.templates)
    promise_rules.check(graph, report)
    return graph


def _inputs(events_dir: str, listed: Report, files: list[DataFile], reads: list[Read]) -> bytes:
    """A digest of everything a check's result depends on besides the code: the folder's
    setting, what listing it found wrong, and each data file's path, kind and bytes (or why it
    could not be read). A repr is Python's literal syntax, so no two inputs give the same text."""
    entries = [
        (
            file.rel,
            file.record_id,
            file.is_entity,
            file.is_template,
            unread,
            None if raw is None else hashlib.sha256(raw).digest(),
        )
        for file, (raw, unread) in zip(files, reads, strict=True)
    ]
    return hashlib.sha256(repr((events_dir, listed.items, entries)).encode("utf-8", "surrogatepass")).digest()


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
