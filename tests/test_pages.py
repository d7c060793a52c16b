"""Page generation without MkDocs: the core's Markdown output on its own."""

from __future__ import annotations

from datetime import date

from ai_timeline.pages import THREAD_WINDOW, SiteWriter
from ai_timeline.project import load_graph
from sitebuild import SOURCE, write


def chain_project(tmp_path, length: int):
    files = {"entities/acme.yaml": "name: Acme\nkind: company\n"}
    for i in range(length):
        follows = f"relations: [{{type: follows, event: step-{i - 1}}}]\n" if i else ""
        files[f"2026/step-{i}.yaml"] = (
            f"title: Step {i}\ndate: 2026-01-{i + 1:02d}\nkind: announcement\n"
            f"entities: [acme]\n{follows}summary: Step.\nsources:{SOURCE}"
        )
    write(tmp_path / "events", files)
    graph, report = load_graph(tmp_path)
    assert not report.items, report.items
    return graph


def test_long_threads_show_a_window_around_the_current_event(tmp_path):
    graph = chain_project(tmp_path, 30)
    markdown = SiteWriter(graph, date(2026, 11, 24)).event_page(graph.events["step-15"]).markdown
    assert "**Step 0**: 30 events" in markdown
    assert markdown.count("<li markdown>") == 2 * THREAD_WINDOW + 1
    assert "… 8 earlier events" in markdown and "… 7 later events" in markdown
    assert 'start="9"' in markdown  # numbering continues from the hidden ones
    assert "[Step 8](step-8.md)" in markdown and "[Step 7](step-7.md)" not in markdown
    first = SiteWriter(graph, date(2026, 11, 24)).event_page(graph.events["step-0"]).markdown
    assert "earlier event" not in first and "… 22 later events" in first
