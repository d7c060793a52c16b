"""What Material's search index holds for the real site: every event by its title, its
entities' names and its summary; listing pages (timeline, archives, thread and related lists,
the home page's lists) left out, so they never crowd an event out of its own results."""

from __future__ import annotations

import html
import json
import re

import pytest
from ai_timeline import markup
from ai_timeline.project import load_graph
from sitebuild import ROOT, mkdocs_build


@pytest.fixture(scope="module")
def index_and_graph(tmp_path_factory):
    site = tmp_path_factory.mktemp("search") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    graph, report = load_graph(ROOT, "events")
    assert not report.errors
    return json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"], graph


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_every_event_is_indexed_by_title_entity_names_and_summary(index_and_graph):
    docs, graph = index_and_graph
    for event in graph.events.values():
        own = [d for d in docs if d["location"].split("#")[0] == f"events/{event.id}/"]
        assert own, event.id
        first = own[0]
        assert plain(first["title"]) == event.title
        text = plain(first["text"])
        for entity_id in event.entities:
            assert graph.entities[entity_id].name in text, (event.id, entity_id)

        def label(record_id: str) -> tuple[str, str]:
            record = graph.entities.get(record_id) or graph.events[record_id]
            return "", getattr(record, "name", None) or record.title

        summary = markup.plain_text(event.summary, label)
        assert " ".join(summary.split()[:8]) in text, event.id


def test_listing_pages_are_not_in_the_index(index_and_graph):
    docs, _ = index_and_graph
    locations = {d["location"].split("#")[0] for d in docs}
    assert not {loc for loc in locations if loc.startswith("archive/")}
    assert "timeline/" not in locations
    assert "entities/" not in locations


def test_an_event_title_is_found_only_where_it_is_the_subject_or_mentioned_in_prose(index_and_graph):
    docs, graph = index_and_graph
    prose = [e.summary for e in graph.events.values()] + [e.description or "" for e in graph.entities.values()]
    for event in graph.events.values():
        mentioned = sum(1 for text in prose for i, _ in markup.mentions(text) if i == event.id)
        hits = [
            d["location"]
            for d in docs
            if event.title in plain(d["title"]) + " " + plain(d["text"]) and not d["location"].startswith(f"events/{event.id}/")
        ]
        assert len(hits) <= mentioned, (event.id, hits)
