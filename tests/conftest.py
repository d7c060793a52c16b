"""Shared helpers for the data-layer tests (strict YAML, validation, graph, CLI).

`timeline_project` is a tiny project in tmp_path: a few entities in events/entities/ and one
valid event, events/2026/valid-sibling.yaml. Tests add broken files next to it and check both
the diagnostics for the broken file and that the valid sibling still loads.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest
from ai_timeline.diagnostics import Diagnostic, Report
from ai_timeline.graph import EventGraph
from ai_timeline.project import load_graph

REPO_ROOT = Path(__file__).resolve().parent.parent

TIMELINE_BASE_ENTITIES = {
    "acme": "name: Acme\nkind: company\n",
    "acme-research": "name: Acme Research\nkind: lab\nparent: acme\n",
    "jane-doe": ("name: Jane Doe\nkind: person\nroles:\n  - title: Chief Scientist\n    org: acme-research\n    from: 2025\n"),
}

# A valid event. Line numbers matter to the tests that edit copies of it:
#  1 title   2 date   3 kind   4 entities   5 '  - acme'   6 summary
#  7 sources   8 '  - publisher'   9 '    title'   10 '    date'   11 '    type'
TIMELINE_VALID_EVENT = """\
title: Acme launches Widget
date: 2026-04-10
kind: launch
entities:
  - acme
summary: Acme released Widget, its first model.
sources:
  - publisher: Acme
    title: Introducing Widget
    date: 2026-04-10
    type: primary
"""

VALID_SIBLING_ID = "valid-sibling"
VALID_SIBLING_PATH = "events/2026/valid-sibling.yaml"


class TimelineProject:
    """A throwaway project root with an events/ folder."""

    valid_event = TIMELINE_VALID_EVENT

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, rel: str, content: str | bytes) -> Path:
        """Write `content` at events/<rel>; str is written as UTF-8."""
        path = self.root / "events" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return path

    def load(self) -> tuple[EventGraph, Report]:
        CORPUS.record(self.root)
        return load_graph(self.root)

    def rejected(self, rel: str, content: str | bytes) -> list[Diagnostic]:
        """Add one broken file; return its errors after checking that the valid files still load.

        The returned errors are those whose path is events/<rel>, sorted by line and column.
        """
        self.write(rel, content)
        graph, report = self.load()
        path = f"events/{rel}"
        assert VALID_SIBLING_ID in graph.events, f"the valid sibling was dropped: {report.sorted()}"
        assert [d for d in report.errors if d.path == VALID_SIBLING_PATH] == []
        assert set(TIMELINE_BASE_ENTITIES) <= set(graph.entities), report.sorted()
        ids = {*graph.events, *graph.entities}
        assert Path(rel).stem not in ids, f"{rel} loaded despite its errors"
        errors = [d for d in report.sorted() if d.path == path]
        assert errors, f"no error reported for {path}; all: {report.sorted()}"
        return errors

    def single_error(self, rel: str, content: str | bytes) -> Diagnostic:
        """Like `rejected`, for a file that must produce exactly one error."""
        errors = self.rejected(rel, content)
        assert len(errors) == 1, [str(d) for d in errors]
        return errors[0]


@pytest.fixture
def timeline_project(tmp_path: Path):
    project = TimelineProject(tmp_path)
    for entity_id, text in TIMELINE_BASE_ENTITIES.items():
        project.write(f"entities/{entity_id}.yaml", text)
    project.write("2026/valid-sibling.yaml", TIMELINE_VALID_EVENT)
    yield project
    CORPUS.record(project.root)  # the final state, whatever the test did with it last


class Corpus:
    """Every events/ folder the data tests load, kept (deduplicated) so that one test at the end
    can prove `timeline check` and `mkdocs build --strict` agree on each (test_agreement.py)."""

    def __init__(self) -> None:
        self.snapshots: dict[str, Path] = {}
        self.folder: Path | None = None

    def record(self, root: Path) -> None:
        events = root / "events"
        if not events.is_dir() or self.folder is None:
            return
        digest = _tree_digest(events)
        if digest not in self.snapshots:
            target = self.folder / digest[:16]
            copy_tree(events, target / "events")
            self.snapshots[digest] = target


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(folder)):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            mode = path.lstat().st_mode
            digest.update(f"{path.relative_to(folder)}\0{stat.S_IFMT(mode)}\0".encode("utf-8", "surrogateescape"))
            if stat.S_ISLNK(mode):
                digest.update(os.readlink(path).encode("utf-8", "surrogateescape"))
            elif stat.S_ISREG(mode) and os.access(path, os.R_OK):
                with open(path, "rb") as file:  # not Path.read_bytes, which tests may patch
                    digest.update(file.read())
    return digest.hexdigest()


def copy_tree(source: Path, target: Path) -> None:
    """Files, folders, links and FIFOs as they are; never follows a link or opens a FIFO."""
    target.mkdir(parents=True)
    for entry in sorted(source.iterdir()):
        mode, dest = entry.lstat().st_mode, target / entry.name
        if stat.S_ISLNK(mode):
            os.symlink(os.readlink(entry), dest)
        elif stat.S_ISDIR(mode):
            copy_tree(entry, dest)
        elif stat.S_ISFIFO(mode):
            os.mkfifo(dest)
        elif stat.S_ISREG(mode):
            shutil.copyfile(entry, dest)


CORPUS = Corpus()


@pytest.fixture(scope="session", autouse=True)
def _agreement_corpus(tmp_path_factory):
    CORPUS.folder = tmp_path_factory.mktemp("agreement-corpus")
    yield CORPUS


def pytest_collection_modifyitems(items):
    """The agreement test reads what every other test loaded, so it runs last."""
    items.sort(key=lambda item: item.get_closest_marker("agreement") is not None)


@pytest.fixture
def repo_root() -> Path:
    """The real project, with its real events/ folder."""
    return REPO_ROOT


# Promise histories (appended for test_promises, test_promise_rules, test_slipchart) ---------

# Layout of every file `event_yaml` writes, so tests can name exact lines:
#  1 title   2 date   3 kind   4 entities   5 '  - acme'   6 summary   7 sources
#  8-11 the source (10: its date)
#  kind promise: 12 'promise:'   13 '  by: acme'   14 '  what: ...'   15 '  due: ...' (if due)
#  then 'relations:' and, per relation, '  - type:', '    event:', then new_date, extent, reason.
# A non-promise event's relations therefore start at line 12: the first relation's 'event'
# value is at 14:12 and its new_date at 15:15.


def rel(type_: str, event: str, **extra: str) -> dict:
    """One relation for `event_yaml`: rel("delays", "p", new_date="2026-05")."""
    return {"type": type_, "event": event, **extra}


def event_yaml(
    date: str,
    kind: str = "statement",
    *,
    title: str = "An event",
    due: str | None = None,
    what: str = "Ship Widget",
    timing: str | None = None,
    relations: list[dict] = (),
    summary: str = "Something happened.",
) -> str:
    lines = [
        f"title: {title}",
        f"date: {date}",
        f"kind: {kind}",
        "entities:",
        "  - acme",
        f"summary: {summary}",
        "sources:",
        "  - publisher: Acme",
        "    title: Acme news",
        f"    date: {date}",
        "    type: primary",
    ]
    if kind == "promise":
        lines += ["promise:", "  by: acme", f"  what: {what}"] + ([f"  due: {due}"] if due else [])
        lines += [f"  timing: {timing}"] if timing else []
    if relations:
        lines.append("relations:")
        for relation in relations:
            lines += [f"  - type: {relation['type']}", f"    event: {relation['event']}"]
            lines += [
                f"    {key}: {relation[key]}"
                for key in ("new_date", "extent", "reason", "previous_date", "timing")
                if key in relation
            ]
    return "\n".join(lines) + "\n"


class Story:
    """Events added one call each to a `timeline_project`, loaded through the real `load_graph`."""

    def __init__(self, project: TimelineProject) -> None:
        self.project = project

    def add(self, event_id: str, date: str, kind: str = "statement", **fields) -> Story:
        self.project.write(f"{date[:4]}/{event_id}.yaml", event_yaml(date, kind, **fields))
        return self

    def promise(self, event_id: str, date: str, due: str | None = None, **fields) -> Story:
        return self.add(event_id, date, "promise", due=due, **fields)

    def load(self) -> EventGraph:
        """The graph, after checking that every file loaded without any diagnostic."""
        graph, report = self.project.load()
        assert [str(d) for d in report.sorted()] == []
        return graph

    def load_with_report(self) -> tuple[EventGraph, Report]:
        return self.project.load()


@pytest.fixture
def story(timeline_project: TimelineProject) -> Story:
    return Story(timeline_project)
