"""The shipped record itself: every fact sourced, URLs well formed and not repeated, every
promise history consistent, and a ledger that covers the industry with every kind of outcome."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest
from ai_timeline.project import load_graph, resolve_as_of
from ai_timeline.promises import OPEN, records
from sitebuild import ROOT

ORGANISATION_KINDS = {"company", "organisation", "lab", "team", "government"}


@pytest.fixture(scope="module")
def loaded():
    graph, report = load_graph(ROOT, "events")
    return graph, report


def test_the_record_passes_every_check_with_no_warning(loaded):
    # Includes the whole-graph promise rules: no contradictory or circular history.
    _, report = loaded
    assert not report.sorted(), "\n".join(str(d) for d in report.sorted())


def test_every_event_cites_a_dated_source_with_publisher_and_title(loaded):
    graph, _ = loaded
    for event in graph.events.values():
        assert event.sources, event.id
        for source in event.sources:
            assert source.publisher.strip() and source.title.strip() and source.date, (event.id, source)
            assert source.type in ("primary", "secondary"), (event.id, source)


def test_urls_are_well_formed_and_unique_within_each_record(loaded):
    graph, _ = loaded
    for record in [*graph.events.values(), *graph.entities.values()]:
        urls = [s.url for s in record.sources if s.url]
        assert not [u for u, n in Counter(urls).items() if n > 1], (record.id, urls)
        for url in urls:
            parts = urlsplit(url)
            assert parts.scheme in ("http", "https"), (record.id, url)
            assert "." in parts.netloc and not set(url) & set(" \t\n<>\"'`"), (record.id, url)


def organisations_of(graph, event) -> set[str]:
    """The top-level organisations a promise concerns: the promiser's and those it names."""
    found = set()
    for entity_id in {event.promise.by, *event.entities}:
        chain = [graph.entities[entity_id], *graph.ancestors(entity_id)]
        top = chain[-1]
        if top.kind in ORGANISATION_KINDS:
            found.add(top.id)
    return found


def test_the_ledger_covers_the_industry_with_every_kind_of_outcome(loaded):
    graph, _ = loaded
    as_of, _ = resolve_as_of(None, None, graph)
    ledger = records(graph, as_of)
    histories = [r for r in ledger if r.steps]
    assert len(ledger) >= 25 and len(histories) >= 20, (len(ledger), len(histories))
    organisations = set().union(*(organisations_of(graph, r.promise) for r in ledger))
    assert len(organisations) >= 10, sorted(organisations)
    statuses = {r.status for r in ledger}
    for outcome in ("delivered-on-time", "delivered-late", "partly-delivered", "broken", "cancelled"):
        assert outcome in statuses, (outcome, sorted(statuses))
    assert statuses & set(OPEN), sorted(statuses)
    years = {r.promise.date.first.year for r in ledger}
    assert {2023, 2024, 2025, 2026} <= years, sorted(years)
