"""The check cache never serves a stale result, and never trusts a cache it did not write.

After every change (edit, rename, delete, add, an mtime alone, a referenced entity, the code's
fingerprint), the graph and the diagnostics of a cached run equal those of a run without it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from ai_timeline import check_cache
from ai_timeline.cli import main
from ai_timeline.project import load_graph
from synthetic_events import synthetic_events


@pytest.fixture(autouse=True)
def _own_key(tmp_path_factory, monkeypatch):
    """A machine key of this test's own, outside the project (never the user's)."""
    monkeypatch.setenv(check_cache.KEY_ENV, str(tmp_path_factory.mktemp("key") / "cache-key"))
    monkeypatch.delenv(check_cache.DISABLE_ENV, raising=False)
    monkeypatch.delenv(check_cache.FOLDER_ENV, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = synthetic_events(tmp_path / "p", 60)
    # one file with its own errors, so cached diagnostics are compared too
    (root / "events" / "2019" / "broken.yaml").write_text("title: Broken\ndate: 2019-02-30\nkind: nonsense\n")
    return root


def _event(root: Path, number: int) -> Path:
    return next((root / "events").glob(f"*/event-{number}.yaml"))


def _snapshot(root: Path, cache: bool) -> tuple:
    graph, report = load_graph(root, cache=cache)

    def document(record) -> tuple:
        doc = record.document
        return (doc.data, doc.text, doc.value_marks, doc.key_marks, doc.problems)

    return (
        [str(d) for d in report.sorted()],
        {i: (e, document(e)) for i, e in graph.events.items()},
        {i: (e, document(e)) for i, e in graph.entities.items()},
        graph.templates,
        [e.id for e in graph.ordered],
    )


def _agrees(root: Path) -> check_cache.FileCache | None:
    """A cached run gives what an uncached one does; returns the cache as the run left it."""
    cached = _snapshot(root, cache=True)
    assert cached == _snapshot(root, cache=False)
    return check_cache.FileCache.open(root)


def test_a_second_run_reads_every_file_from_the_cache_and_gives_the_same_result(project):
    _agrees(project)
    assert (project / ".timeline-cache" / check_cache.FILE).is_file()
    assert (project / ".timeline-cache" / ".gitignore").read_text().endswith("*\n")
    cache = check_cache.FileCache.open(project)
    assert cache is not None and len(cache.old) == 60 + 2 * 1 + 1 + len(list((project / "events" / "_templates").glob("*")))
    _agrees(project)


def test_edits_renames_deletes_and_additions_are_never_served_stale(project):
    events = project / "events"
    _agrees(project)
    # an edit that breaks a file, then one that fixes it
    target = _event(project, 3)
    original = target.read_text()
    target.write_text(original.replace("kind: announcement", "kind: announcment"))
    _agrees(project)
    target.write_text(original)
    _agrees(project)
    # an edit that changes only data, same length (a title letter)
    target.write_text(original.replace("Event number 3", "Event number X"))
    first = _snapshot(project, cache=True)
    assert first[1]["event-3"][0].title == "Event number X"
    _agrees(project)
    # a rename: the old ID disappears, references to it now fail
    target.rename(target.with_name("renamed-event.yaml"))
    _agrees(project)
    # a delete of something others depend on
    zero = _event(project, 0)
    zero.unlink()
    _agrees(project)
    # an addition, and a file moved to another path with the same bytes
    zero.write_text(_event(project, 10).read_text().replace("10", "0"))
    _agrees(project)
    ten = _event(project, 10)
    ten.rename(events / "2025" / "event-10.yaml")
    _agrees(project)


def test_a_change_to_a_referenced_entity_reaches_the_files_that_reference_it(project):
    _agrees(project)
    (project / "events" / "entities" / "lab-0.yaml").unlink()  # every event naming lab-0 now fails
    _agrees(project)
    (project / "events" / "entities" / "lab-0.yaml").write_text("name: Lab zero\nkind: lab\nparent: company-0\n")
    _agrees(project)
    (project / "events" / "entities" / "lab-0.yaml").write_text("name: Lab zero\nkind: lab\nparent: company-nowhere\n")
    _agrees(project)


def test_a_changed_mtime_alone_changes_nothing_and_same_mtime_new_bytes_is_a_miss(project):
    target = _event(project, 4)
    _agrees(project)
    stamp = target.stat()
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    _agrees(project)
    target.write_text(target.read_text().replace("kind: announcement", "kind: bogus-kind"))
    os.utime(target, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # an edit that hides behind the old mtime
    before = _snapshot(project, cache=True)
    assert any("event-4.yaml" in d and "bogus-kind" in d for d in before[0])
    _agrees(project)


def test_a_new_code_fingerprint_invalidates_every_entry(project, monkeypatch):
    _agrees(project)
    monkeypatch.setattr(check_cache, "fingerprint", lambda: "another version of the code")
    cache = check_cache.FileCache.open(project)
    assert cache is not None and cache.old == {}
    _agrees(project)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],
        lambda blob: b"",
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),
        lambda blob: b"\x00" * len(blob),
        lambda blob: blob[:40] + b"\xff" * 50 + blob[90:],
    ],
)
def test_a_corrupted_cache_file_is_ignored_never_a_crash(project, damage):
    _agrees(project)
    path = project / ".timeline-cache" / check_cache.FILE
    path.write_bytes(damage(path.read_bytes()))
    cache = check_cache.FileCache.open(project)
    assert cache is not None and cache.old == {}
    _agrees(project)


def test_a_cache_written_with_another_key_as_a_pull_request_would_commit_it_is_not_trusted(project, tmp_path, monkeypatch):
    """A forged cache that calls a broken file clean: the attacker knows the format and the
    fingerprint (the code is public) but not this machine's key."""
    broken = project / "events" / "2019" / "broken.yaml"
    monkeypatch.setenv(check_cache.KEY_ENV, str(tmp_path / "attacker-key"))
    forged = check_cache.FileCache.open(project)
    assert forged is not None
    digest = hashlib.sha256(broken.read_bytes()).digest()
    forged.put("events/2019/broken.yaml", digest, [], ({"title": "Broken", "date": "2019-01-01", "kind": "x"},))
    forged.save()
    monkeypatch.setenv(check_cache.KEY_ENV, str(tmp_path / "machine-key"))
    cache = check_cache.FileCache.open(project)
    assert cache is not None and cache.old == {}
    _, report = load_graph(project, cache=True)
    assert any(d.path == "events/2019/broken.yaml" for d in report.errors)


def test_a_cache_folder_or_file_that_is_a_link_is_neither_read_nor_written(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".timeline-cache").symlink_to(elsewhere)
    _agrees(project)
    assert list(elsewhere.iterdir()) == []
    (project / ".timeline-cache").unlink()
    (project / ".timeline-cache").mkdir()
    fifo = project / ".timeline-cache" / check_cache.FILE
    os.mkfifo(fifo)  # reading it would block: it must not be opened as a cache
    _agrees(project)
    assert fifo.is_file()  # replaced by a real cache, the FIFO itself (not what it leads to)


def test_a_key_inside_the_project_turns_the_cache_off(project, monkeypatch):
    monkeypatch.setenv(check_cache.KEY_ENV, str(project / "key"))
    assert check_cache.FileCache.open(project) is None


def test_no_cache_flag_and_environment_variable_leave_no_cache_behind(project, monkeypatch, capsys):
    assert main(["check", "--root", str(project), "--no-cache"]) == 1
    assert not (project / ".timeline-cache").exists()
    monkeypatch.setenv(check_cache.DISABLE_ENV, "1")
    assert main(["check", "--root", str(project)]) == 1
    assert not (project / ".timeline-cache").exists()
    monkeypatch.delenv(check_cache.DISABLE_ENV)
    first = capsys.readouterr()
    assert main(["check", "--root", str(project)]) == 1
    assert (project / ".timeline-cache" / check_cache.FILE).is_file()
    assert main(["check", "--root", str(project)]) == 1
    second = capsys.readouterr()  # two cached runs say what the two uncached runs said
    assert second.err == first.err and "broken.yaml" in second.err


def test_cached_positions_of_cross_file_errors_match_an_uncached_run(project):
    """Cached records carry no positions; a reference error in one still names its line."""
    _agrees(project)
    (project / "events" / "entities" / "company-0.yaml").unlink()
    cached = _snapshot(project, cache=True)
    assert any("company-0" in d and ":5:" in d for d in cached[0]), cached[0][:5]
    assert cached == _snapshot(project, cache=False)


# -- the whole run (RunCache): `timeline check` with nothing changed ------------------------------


def _printed(root: Path, capsys, *flags: str) -> tuple[int, str, str]:
    code = main(["check", "--root", str(root), *flags])
    out = capsys.readouterr()
    return code, out.out, out.err


def _cli_agrees(root: Path, capsys) -> tuple[int, str, str]:
    """`timeline check` with the cache (read, then written) prints what it prints without it."""
    expected = _printed(root, capsys, "--no-cache")
    assert _printed(root, capsys) == expected
    assert _printed(root, capsys) == expected  # the run cache now holds this very result
    return expected


def test_an_unchanged_project_is_answered_without_loading_a_file(project, capsys, monkeypatch):
    from ai_timeline import project as project_module

    expected = _cli_agrees(project, capsys)
    only_2019 = _printed(project, capsys, "--no-cache", "events/2019")
    assert (project / ".timeline-cache" / check_cache.RUN_FILE).is_file()

    def no_loading(*args, **kwargs):
        raise AssertionError("a file was loaded although nothing changed")

    monkeypatch.setattr(project_module, "load_files", no_loading)
    assert _printed(project, capsys) == expected
    assert _printed(project, capsys, "events/2019") == only_2019


def test_the_whole_run_is_never_served_stale(project, capsys):
    events = project / "events"
    first = _cli_agrees(project, capsys)
    target = _event(project, 3)
    original = target.read_text()
    target.write_text(original.replace("kind: announcement", "kind: announcment"))  # breaks it
    assert _cli_agrees(project, capsys) != first
    target.write_text(original)
    assert _cli_agrees(project, capsys) == first
    target.rename(target.with_name("renamed-event.yaml"))  # references to event-3 now fail
    _cli_agrees(project, capsys)
    target.with_name("renamed-event.yaml").rename(target)
    assert _cli_agrees(project, capsys) == first
    (events / "entities" / "lab-0.yaml").unlink()  # a change elsewhere that other files feel
    _cli_agrees(project, capsys)
    (events / "entities" / "lab-0.yaml").write_text("name: Lab 0\nkind: lab\nparent: company-0\n")
    assert _cli_agrees(project, capsys) == first
    (events / "2019" / "stray.txt").write_text("not data\n")  # found by listing the folder, not by loading
    assert "stray.txt" in _cli_agrees(project, capsys)[2]
    (events / "2019" / "stray.txt").unlink()
    (events / "2020" / "broken.yaml").write_bytes(
        (events / "2019" / "broken.yaml").read_bytes()
    )  # the same bytes at a second path: an ID clash
    assert _cli_agrees(project, capsys) != first
    (events / "2020" / "broken.yaml").unlink()
    assert _cli_agrees(project, capsys) == first


def test_a_forged_or_outdated_run_cache_is_not_trusted(project, capsys, tmp_path, monkeypatch):
    expected = _cli_agrees(project, capsys)
    clean = project / "events" / "2019" / "broken.yaml"
    clean.unlink()
    no_errors = _printed(project, capsys, "--no-cache")
    # a pull request commits a run cache that says "no errors" for the broken file, signed with its own key
    (project / "events" / "2019" / "broken.yaml").write_text("title: Broken\ndate: 2019-02-30\nkind: nonsense\n")
    monkeypatch.setenv(check_cache.KEY_ENV, str(tmp_path / "attacker-key"))
    forged = check_cache.RunCache.open(project)
    assert forged is not None
    from ai_timeline.diagnostics import Report
    from ai_timeline.project import _inputs, _scan

    listed = Report()
    scanned = _scan(project.resolve(), "events", listed)
    assert scanned is not None
    forged.put(_inputs("events", listed, *scanned), [], 61, 2)
    monkeypatch.setenv(check_cache.KEY_ENV, str(tmp_path / "machine-key"))
    assert _printed(project, capsys) == expected != no_errors
    # new code: the old run's result is not reused
    monkeypatch.setattr(check_cache, "fingerprint", lambda: "another version of the code")
    run_cache = check_cache.RunCache.open(project)
    assert run_cache is not None and run_cache.get(_inputs("events", listed, *scanned)) is None
    assert _printed(project, capsys) == expected
