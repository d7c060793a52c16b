"""The check's shortcuts change its speed, never its answer.

Every diagnostic (file, line, column, message, hint, and their order) and every record are the
same with one process or several, with the cache or without it (cold, warm, after edits), and
the Markdown link check that skips the conversion agrees with the conversion.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ai_timeline import check_cache, forked, markup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from synthetic_events import synthetic_events

# Runs in a fresh process (one thread, so it may fork): the whole load as text, and how many
# children it started. Records are compared with their documents' data and every position.
SNAPSHOT = """
import sys
from pathlib import Path
from ai_timeline import forked
from ai_timeline.project import load_graph

started = []
class Counted(forked.Child):
    def __init__(self, *args):
        started.append(1)
        super().__init__(*args)
forked.Child = Counted
if sys.argv[3] == "failing":  # every child fails: this process must do their shares itself
    forked.Child.__init__.__globals__["marshal"] = None
if sys.argv[3] == "unforkable":  # no memory for a child, say: the same
    def no_fork():
        raise OSError(12, "Cannot allocate memory")
    forked.os.fork = no_fork

graph, report = load_graph(Path(sys.argv[1]), cache=sys.argv[2] == "cache")
def record(r):
    d = r.document
    return (repr(r), d.data, d.text, sorted(d.value_marks.items(), key=repr), sorted(d.key_marks.items(), key=repr), d.problems)
print(repr(report.items))
for records in (graph.events, graph.entities):
    print(repr({i: record(r) for i, r in records.items()}))
print(repr(graph.templates), repr([e.id for e in graph.ordered]))
print("children:", len(started))
"""


@pytest.fixture(autouse=True)
def _own_key(tmp_path_factory, monkeypatch):
    monkeypatch.setenv(check_cache.KEY_ENV, str(tmp_path_factory.mktemp("key") / "cache-key"))
    monkeypatch.delenv(check_cache.DISABLE_ENV, raising=False)
    monkeypatch.delenv(check_cache.FOLDER_ENV, raising=False)
    monkeypatch.delenv(forked.PROCESSES_ENV, raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Sixty valid events and every kind of error: of a file's own and across files."""
    root = synthetic_events(tmp_path / "p", 60)
    events = root / "events"
    broken = {
        "2019/bad-schema.yaml": "title: Broken\ndate: 2019-02-30\nkind: nonsense\n",
        "2019/bad-yaml.yaml": "title: [unclosed\ndate: 2019-01-01\n",
        "2020/duplicate-key.yaml": "title: A\ntitle: B\n",
        "2020/bad-link.yaml": _event("Summary with [a link](javascript:alert(1)) and ![an image](https://x.example/i.png)."),
        "2020/raw-html.yaml": _event("Summary with <b>bold</b> text."),
        "2021/unknown-reference.yaml": _event("Mentions [[nobody-at-all]].", entity="no-such-entity"),
        "2021/event-5.yaml": _event("The same ID as a file in another year."),
        "2021/escaped.yaml": _event('"An escape \\u202e hides here."'),
        "2022/not-yaml.txt": "hello\n",
    }
    for rel, text in broken.items():
        (events / rel).write_text(text)
    (events / "2022" / "huge.yaml").write_bytes(b"title: x\n" + b"#" * (70 * 1024))
    (events / "2022" / "link.yaml").symlink_to(events / "2022" / "not-yaml.txt")
    return root


def _event(summary: str, entity: str = "company-0") -> str:
    return (
        f"title: An event\ndate: 2021-03-04\nkind: announcement\nentities: [{entity}]\nsummary: {summary}\n"
        "sources:\n  - {publisher: Example News, title: A report, date: 2021-03-04, type: primary}\n"
    )


def _run(args: list[str], processes: str, root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, forked.PROCESSES_ENV: processes}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=root, check=False)


def _snapshot(root: Path, processes: str, cache: str = "none", children: str = "working") -> tuple[str, int]:
    done = _run(["-c", SNAPSHOT, str(root), cache, children], processes, root)
    assert done.returncode == 0, done.stderr
    body, _, count = done.stdout.rpartition("children: ")
    return body, int(count)


def _check(root: Path, processes: str, *flags: str) -> tuple[int, str, str]:
    done = _run(["-m", "ai_timeline", "check", "--root", str(root), *flags], processes, root)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="work is shared with forked processes on Linux only")
def test_one_or_several_processes_with_or_without_the_cache_load_the_same(project):
    alone, children = _snapshot(project, "1")
    assert children == 0 and "bad-schema.yaml" in alone and "javascript:" in alone and "nobody-at-all" in alone
    for processes in ("2", "3"):
        shared, children = _snapshot(project, processes)
        assert children == int(processes) - 1
        assert shared == alone
    assert _snapshot(project, "2", children="failing") == (alone, 1)  # a failed child's share is done here
    assert _snapshot(project, "2", children="unforkable") == (alone, 1)
    assert _snapshot(project, "2", cache="cache")[0] == alone  # cold: every file judged, in two processes
    assert _snapshot(project, "2", cache="cache") == (alone, 0)  # warm: every file from the cache


@pytest.mark.skipif(sys.platform != "linux", reason="work is shared with forked processes on Linux only")
def test_timeline_check_prints_the_same_however_it_ran(project):
    expected = _check(project, "1", "--no-cache")
    assert expected[0] == 1 and "error" in expected[2]
    assert _check(project, "2", "--no-cache") == expected
    assert _check(project, "2") == expected  # cold cache
    assert (project / ".timeline-cache" / check_cache.RUN_FILE).is_file()
    assert _check(project, "1") == expected  # the whole run from the cache
    target = project / "events" / "2019" / "bad-schema.yaml"
    target.write_text(target.read_text().replace("nonsense", "announcement"))  # still broken, differently
    changed = _check(project, "2", "--no-cache")
    assert changed != expected
    assert _check(project, "2") == changed == _check(project, "1")


def test_children_are_forked_only_for_many_files_with_idle_cores(monkeypatch):
    monkeypatch.setattr(forked.sys, "platform", "linux")
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    monkeypatch.setattr(forked.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    load = [0.2]
    monkeypatch.setattr(forked.os, "getloadavg", lambda: (load[0], 0.0, 0.0))
    assert forked.processes(10_000) == 2
    assert forked.processes(forked.MIN_JOBS - 1) == 1
    load[0] = 1.2  # another check running: one core is still idle
    assert forked.processes(10_000) == 2
    load[0] = 1.8
    assert forked.processes(10_000) == 1
    monkeypatch.setenv(forked.PROCESSES_ENV, "2")
    assert forked.processes(10) == 2
    monkeypatch.setattr(forked.threading, "active_count", lambda: 2)  # as in `mkdocs serve`
    assert forked.processes(10_000) == 1
    monkeypatch.setenv(forked.PROCESSES_ENV, "1")
    monkeypatch.setattr(forked.threading, "active_count", lambda: 1)
    assert forked.processes(10_000) == 1


# -- the Markdown link check without conversion ------------------------------------------------

PIECES = [
    "[", "]", "(", ")", "![", "](", "]:", "<", ">", " ", "\n", "\n\n", "    ", "\t", "\r", "`", "\\", "*", "_", "!",
    "#", "- ", "> ", "1. ", "x", "label", "http:", "https://a.example/p", "HTTPS://A", "mailto:me@a.example", "ftp://f",
    "javascript:alert(1)", "/relative", "#top", "&#91;", "&#40;", "&lt;", '"', "'", "[[a]]", "[[b|the b]]", "===", "\u00a0",
]  # fmt: skip


def _slow_problems(text: str) -> list[tuple[str, str, str]]:
    fast = markup._links_all_allowed
    markup._links_all_allowed = lambda prepared: False
    try:
        return markup.markdown_problems(text, "summary")
    finally:
        markup._links_all_allowed = fast


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
@example("[a](https://a.example) and [b]( \n mailto:b@a.example)")
@example("[a](javascript:x) [b](https://b.example)")
@example("[a](https://a.example)\n\n[r]: javascript:x\n[a][r]")
@example("![i](https://i.example/i.png)")
@example("<https://a.example> <ftp://b.example> <me@a.example>")
@example("`[a](`javascript:x)")
@example("[a](\\javascript:x)")
@example("[a](<javascript:x>)")
@example("[a](https\u00a0://x)")
def test_the_link_check_without_conversion_agrees_with_the_conversion(text):
    assert markup.markdown_problems(text, "summary") == _slow_problems(text)


# Texts the shortcut accepts more often: every '](' a piece of its own, followed by an allowed address.
SAFE_PIECES = [p for p in PIECES if p not in ("(", "](", "<", "![", "]:")] + [
    "](https://a.example/p)", "]( HTTP://b.example", "](mailto:c@a.example", "](https:", ")", "](http://x (y) 'z')",
]  # fmt: skip


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SAFE_PIECES), max_size=24).map("".join))
def test_texts_the_shortcut_accepts_have_no_refused_link_when_converted(text):
    prepared = markup._prepared(markup._expand_mentions(text, markup._CHECK_RESOLVER))
    if markup._links_all_allowed(prepared):
        assert not [
            (tag, address)
            for tag, address in markup._links(prepared)
            if tag == "img" or address.split(":", 1)[0].lower() not in ("http", "https", "mailto") or ":" not in address
        ]
    assert markup.markdown_problems(text, "summary") == _slow_problems(text)
