"""The graph and its computed promise records as plain JSON-ready data: everything needed to
rebuild the timeline, for the export (and any other machine reader)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from .dates import FuzzyDate
from .graph import EventGraph
from .model import Entity, Event, Source
from .promises import STATUSES, PromiseRecord
from .trackrecord import TrackRecord

SCHEMA_VERSION = 1
LICENCE = {
    "id": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "AI Promises Timeline contributors",
}


def json_text(document: Any) -> str:
    """Compact, stable JSON: keys in the order the records give them, every character as itself.
    Compact because indenting forces json's pure-Python encoder (4x slower, measured on the API's
    events.json) and makes files 15% larger; readers pretty-print with `jq` or their browser."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def fuzzy_date(value: FuzzyDate | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {
        "value": value.iso(),
        "precision": value.precision,
        "approximate": value.approximate,
        "first_day": value.first.isoformat(),
        "last_day": value.last.isoformat(),
        "label": value.label(),
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "publisher": source.publisher,
        "title": source.title,
        "date": fuzzy_date(source.date),
        "type": source.type,
        "url": source.url,
        "via": source.via,
        "note": source.note,
    }


def event_data(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "title": event.title,
        "date": fuzzy_date(event.date),
        "kind": event.kind,
        "entities": list(event.entities),
        "summary": event.summary,
        "tags": list(event.tags),
        "quotes": [{"text": q.text, "by": q.by} for q in event.quotes],
        "promise": None
        if event.promise is None
        else {
            "by": event.promise.by,
            "what": event.promise.what,
            "due": fuzzy_date(event.promise.due),
            "timing": event.promise.timing,
        },
        "relations": [
            {
                "type": r.type,
                "event": r.target,
                "new_date": fuzzy_date(r.new_date),
                "reason": r.reason,
                "extent": r.extent,
                "previous_date": fuzzy_date(r.previous_date),
                "timing": r.timing,
            }
            for r in event.relations
        ],
        "sources": [_source(s) for s in event.sources],
        "redirect_from": list(event.redirect_from),
        "file": event.path,
    }


def entity_data(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "kind": entity.kind,
        "parent": entity.parent,
        "aliases": list(entity.aliases),
        "description": entity.description,
        "links": [{"title": link.title, "url": link.url} for link in entity.links],
        "roles": [{"title": r.title, "org": r.org, "from": fuzzy_date(r.start), "to": fuzzy_date(r.end)} for r in entity.roles],
        "sources": [_source(s) for s in entity.sources],
        "redirect_from": list(entity.redirect_from),
        "file": entity.path,
    }


def promise_data(record: PromiseRecord) -> dict[str, Any]:
    """A promise record as computed for the as-of date: status, its reason, dates and numbers."""
    bench, outcome = record.benchmark, record.outcome
    return {
        "id": record.promise.id,
        "title": record.promise.title,
        "by": record.by,
        "what": record.promise.promised().what,
        "promised_on": fuzzy_date(record.promise.date),
        "timing": record.promise.promised().timing,
        "status": record.status,
        "status_label": record.label,
        "status_meaning": STATUSES[record.status][1],
        "reason": record.reason,
        "settled": record.settled,
        "original_due": fuzzy_date(record.original_due),
        "current_due": fuzzy_date(record.current_due),
        "last_dated": fuzzy_date(record.last_dated),
        "benchmark": None
        if bench is None
        else {"due": fuzzy_date(bench.due), "event": bench.event.id, "how": bench.how, "description": bench.describe()},
        "outcome": None if outcome is None else {"event": outcome.event.id, "relation": outcome.relation.type},
        "slips": len(record.slips),
        "slip_days": record.slip_days,
        "days_late": record.days_late,
        "history": [
            {
                "event": s.event.id,
                "relation": s.relation.type,
                "extent": s.relation.extent,
                "date": fuzzy_date(s.event.date),
                "due_before": fuzzy_date(s.due_before),
                "due_after": fuzzy_date(s.due_after),
            }
            for s in record.steps
        ],
    }


def track_record_data(row: TrackRecord) -> dict[str, Any]:
    """How a set of promises turned out: counts per outcome (trackrecord.OUTCOMES), median and worst lateness."""
    worst = row.worst
    return {
        "entity": row.entity_id,
        "name": row.name,
        "units_included": row.units_included,
        "total": row.total,
        "counts": {key: count for key, _, count in row.counts},
        "median_days_late": row.median_days_late,
        "worst": None if worst is None else {"promise": worst.promise.id, "days_late": worst.days_late},
        "too_few_to_compare": row.small,
        "promises": [r.promise.id for r in row.records],
    }


def timeline_data(graph: EventGraph, records: list[PromiseRecord], as_of: date) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "as_of": as_of.isoformat(),
        "licence": LICENCE,
        "events": [event_data(e) for e in graph.ordered],
        "entities": [entity_data(graph.entities[i]) for i in sorted(graph.entities)],
        "promises": [promise_data(r) for r in records],
    }
