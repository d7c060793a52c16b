"""The OpenAPI 3.1 document of the static JSON API (api.py), its schemas JSON Schema 2020-12.

Built from the same vocabularies the data uses (event and entity kinds from the contributor
schemas, statuses from the ledger, outcomes from the track records), so it cannot drift from
them. Every property is listed and required (a field with no value is null); objects do not
forbid other properties, because v1 may gain fields and clients must ignore those they do not
know. The tests check every emitted file against a strict copy that does forbid them.
"""

from __future__ import annotations

from typing import Any

from . import dates, trackrecord
from .data import LICENCE, SCHEMA_VERSION
from .model import RELATION_LABELS
from .promises import STATUSES
from .schema import schema

Schema = dict[str, Any]
PRECISIONS = [dates.YEAR, dates.HALF, dates.QUARTER, dates.SEASON, dates.PART, dates.MONTH, dates.WEEK, dates.DAY]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(item: Schema) -> Schema:
    if set(item) == {"type"}:
        return {"type": [item["type"], "null"]}
    return {"anyOf": [item, {"type": "null"}]}


def obj(properties: dict[str, Schema], description: str | None = None) -> Schema:
    found: Schema = {"type": "object", "required": list(properties), "properties": properties}
    return {"description": description, **found} if description else found


def array(item: Schema) -> Schema:
    return {"type": "array", "items": item}


STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
URL = {"type": "string", "format": "uri"}
# A contributor's http(s) address, as given: checked for its scheme and host, not for RFC 3986.
GIVEN_URL = {"type": "string", "pattern": "^https?://"}
REF = {"type": "string", "format": "uri-reference", "description": "Relative to this file's URL."}
SLUGS = array(ref("Slug"))


def _event() -> dict[str, Schema]:
    return {
        "id": ref("Slug"),
        "title": {"type": "string", "description": "Plain text."},
        "date": ref("FuzzyDate"),
        "kind": {"enum": schema("event")["properties"]["kind"]["enum"]},
        "entities": SLUGS,
        "summary": {"type": "string", "description": "Markdown (no HTML); [[id]] names an event or entity."},
        "tags": SLUGS,
        "quotes": array(obj({"text": STRING, "by": ref("Slug")})),
        "promise": nullable(
            obj(
                {"by": ref("Slug"), "what": STRING, "due": nullable(ref("FuzzyDate")), "timing": nullable(STRING)},
                "On a promise: who promised what, for when (`timing`: the source's own words).",
            )
        ),
        "relations": array(
            obj(
                {
                    "type": {"enum": list(RELATION_LABELS)},
                    "event": ref("Slug"),
                    "new_date": nullable(ref("FuzzyDate")),
                    "reason": nullable(STRING),
                    "extent": nullable({"enum": ["full", "partial"]}),
                    "previous_date": nullable(ref("FuzzyDate")),
                    "timing": nullable(STRING),
                },
                "A relation this event holds to another event.",
            )
        ),
        "sources": array(ref("Source")),
        "redirect_from": {**SLUGS, "description": "Old IDs that lead here (see the index's `redirects`)."},
        "file": {"type": "string", "description": "The YAML file in the repository."},
    }


def _entity() -> dict[str, Schema]:
    return {
        "id": ref("Slug"),
        "name": STRING,
        "kind": {"enum": schema("entity")["properties"]["kind"]["enum"]},
        "parent": nullable(ref("Slug")),
        "aliases": array(STRING),
        "description": nullable(STRING),
        "links": array(obj({"title": STRING, "url": GIVEN_URL})),
        "roles": array(
            obj({"title": STRING, "org": ref("Slug"), "from": nullable(ref("FuzzyDate")), "to": nullable(ref("FuzzyDate"))})
        ),
        "sources": array(ref("Source")),
        "redirect_from": SLUGS,
        "file": STRING,
    }


def _promise() -> dict[str, Schema]:
    days = nullable(INTEGER)
    return {
        "id": {**ref("Slug"), "description": "The promise event's ID."},
        "title": STRING,
        "by": ref("Slug"),
        "what": STRING,
        "promised_on": ref("FuzzyDate"),
        "timing": nullable(STRING),
        "status": ref("Status"),
        "status_label": STRING,
        "status_meaning": STRING,
        "reason": {"type": "string", "description": "Why it has its status, computed for this record."},
        "settled": {"type": "boolean", "description": "Delivered (in full or part), broken or cancelled."},
        "original_due": nullable(ref("FuzzyDate")),
        "current_due": nullable(ref("FuzzyDate")),
        "last_dated": nullable(ref("FuzzyDate")),
        "benchmark": nullable(
            obj(
                {
                    "due": ref("FuzzyDate"),
                    "event": ref("Slug"),
                    "how": {"enum": ["promised", "set later", "displaced"]},
                    "description": STRING,
                },
                "The first date ever committed, against which lateness is measured, and the event that committed it.",
            )
        ),
        "outcome": nullable(obj({"event": ref("Slug"), "relation": {"enum": ["fulfils", "cancels", "breaks"]}})),
        "slips": {"type": "integer", "description": "How many times it was delayed."},
        "slip_days": {**days, "description": "Days from the end of the original promised period to the end of the current one."},
        "days_late": {**days, "description": "Days past the first committed date: to delivery, or to the as-of date while open."},
        "history": array(
            obj(
                {
                    "event": ref("Slug"),
                    "relation": {"enum": ["delays", "fulfils", "cancels", "breaks", "reaffirms"]},
                    "extent": nullable({"enum": ["full", "partial"]}),
                    "date": ref("FuzzyDate"),
                    "due_before": nullable(ref("FuzzyDate")),
                    "due_after": nullable(ref("FuzzyDate")),
                },
                "One event of its history, with the promised date in force before and after it.",
            )
        ),
    }


def _track_record() -> Schema:
    return obj(
        {
            "entity": {**nullable(ref("Slug")), "description": "null for everyone on record."},
            "name": STRING,
            "units_included": BOOLEAN,
            "total": INTEGER,
            "counts": obj({key: INTEGER for key, _, _ in trackrecord.OUTCOMES}),
            "median_days_late": nullable({"type": "number"}),
            "worst": nullable(obj({"promise": ref("Slug"), "days_late": INTEGER})),
            "too_few_to_compare": BOOLEAN,
            "promises": SLUGS,
        },
        "How a set of promises turned out.",
    )


def _links(*keys: str, nullable_keys: tuple[str, ...] = ()) -> Schema:
    properties = {key: REF for key in keys}
    properties.update({key: nullable(REF) for key in nullable_keys})
    return properties


def _file(data: Schema, description: str, *links: str) -> Schema:
    link_schema = {**_links("self", "index", "openapi", *links), "html": {**URL, "description": "The page on the site."}}
    return obj(
        {
            "schema_version": {"const": SCHEMA_VERSION},
            "as_of": {"type": "string", "format": "date", "description": "The date the data is computed for."},
            "licence": ref("Licence"),
            "links": obj(link_schema),
            "data": data,
        },
        description,
    )


def _components() -> dict[str, Schema]:
    event, entity, promise = _event(), _entity(), _promise()
    event_links = obj({**_links("self", nullable_keys=("promise",)), "html": URL})
    entity_links = obj({**_links("self"), "html": URL, "atom": URL, "json_feed": URL, "calendar": nullable(URL)})
    promise_links = obj({**_links("self", "event"), "html": URL})
    return {
        "Slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
        "Day": {"type": "string", "format": "date"},
        "FuzzyDate": obj(
            {
                "value": {
                    "type": "string",
                    "description": "As written: 2026, 2026-H2, 2026-Q2, 2026-summer, 2026-04, 2026-W32, 2026-04-10…",
                },
                "precision": {"enum": PRECISIONS},
                "approximate": BOOLEAN,
                "first_day": ref("Day"),
                "last_day": ref("Day"),
                "label": {"type": "string", "description": "In words: “April 2026”, “c. 2025”."},
            },
            "A date at the precision its sources give: the interval it covers, first to last day.",
        ),
        "Licence": obj({"id": {"const": LICENCE["id"]}, "url": URL, "attribution": STRING}),
        "Source": obj(
            {
                "publisher": STRING,
                "title": STRING,
                "date": ref("FuzzyDate"),
                "type": {"enum": ["primary", "secondary"]},
                "url": nullable(GIVEN_URL),
                "via": nullable(STRING),
                "note": nullable(STRING),
            }
        ),
        "Status": {"enum": list(STATUSES), "description": "Computed from the promise's history as of `as_of`."},
        "Event": obj({**event, "urls": event_links}, "An event, as in events.json."),
        "EventDetail": obj(
            {
                **event,
                "urls": event_links,
                "referenced_by": array(obj({"event": ref("Slug"), "type": {"enum": list(RELATION_LABELS)}})),
                "thread": {
                    **ref("Slug"),
                    "description": "The first event of the story it belongs to (linked by any relation but `related`, "
                    "either way): events with the same `thread` are one story.",
                },
                "promise_record": nullable(ref("PromiseData")),
            },
            "An event with what points at it, its thread and, for a promise, its record.",
        ),
        "Entity": obj({**entity, "urls": entity_links}, "An entity, as in entities.json."),
        "EntityDetail": obj(
            {
                **entity,
                "urls": entity_links,
                "ancestors": {**SLUGS, "description": "From the parent up to the top."},
                "units": {**SLUGS, "description": "Direct units."},
                "people": array(
                    obj(
                        {
                            "person": ref("Slug"),
                            "title": STRING,
                            "from": nullable(ref("FuzzyDate")),
                            "to": nullable(ref("FuzzyDate")),
                        }
                    )
                ),
                "events": {**SLUGS, "description": "Its events and its units', in time order."},
                "promises": {**SLUGS, "description": "Its promises and its units', most pressing first."},
                "track_record": {
                    **array(ref("TrackRecord")),
                    "description": "Units rolled up, then its own promises and each direct unit's, where it has units.",
                },
            },
            "An entity with its place in the hierarchy, events, promises and track record.",
        ),
        "PromiseData": obj(promise, "A promise's record as computed for `as_of`."),
        "Promise": obj({**promise, "urls": promise_links}, "A promise's record with its links, as in promises.json."),
        "TrackRecord": _track_record(),
    }


def _get(summary: str, file_schema: str, parameter: bool = False) -> Schema:
    operation: Schema = {
        "summary": summary,
        "responses": {
            "200": {"description": summary, "content": {"application/json": {"schema": ref(file_schema)}}},
            "404": {"description": "No such file."},
        },
    }
    if parameter:
        operation["parameters"] = [{"name": "id", "in": "path", "required": True, "schema": ref("Slug")}]
    return {"get": operation}


PATHS = {
    # path: (summary, the schema of its file)
    "/index.json": ("What the API holds: counts, statuses, redirects, feeds", "IndexFile"),
    "/events.json": ("Every event, oldest first", "EventsFile"),
    "/events/{id}.json": ("One event", "EventFile"),
    "/entities.json": ("Every entity, by ID", "EntitiesFile"),
    "/entities/{id}.json": ("One entity", "EntityFile"),
    "/promises.json": ("Every promise with its computed status, most pressing first", "PromisesFile"),
    "/promises/{id}.json": ("One promise with its computed status", "PromiseFile"),
    "/track-record.json": ("Track records: everyone on record, then each top-level organisation", "TrackRecordFile"),
}


def _files() -> dict[str, Schema]:
    status = obj({"status": ref("Status"), "label": STRING, "meaning": STRING, "count": INTEGER})
    index = obj(
        {
            "title": STRING,
            "description": STRING,
            "counts": obj({"events": INTEGER, "entities": INTEGER, "promises": INTEGER}),
            "statuses": {**array(status), "description": "Every status, most pressing first, with how many promises have it."},
            "redirects": {
                **obj({kind: {"type": "object", "additionalProperties": ref("Slug")} for kind in ("events", "entities")}),
                "description": "Old ID → current ID, for records renamed with `redirect_from`.",
            },
            "feeds": obj(
                {
                    key: URL
                    for key in (
                        "events_atom",
                        "events_json_feed",
                        "promises_atom",
                        "promises_json_feed",
                        "promised_dates_calendar",
                    )
                }
            ),
        }
    )
    outcome = obj(
        {"key": {"enum": [key for key, _, _ in trackrecord.OUTCOMES]}, "label": STRING, "statuses": array(ref("Status"))}
    )
    track = obj({"outcomes": array(outcome), "small_sample": INTEGER, "rows": array(ref("TrackRecord"))})
    return {
        "IndexFile": _file(index, PATHS["/index.json"][0], "events", "entities", "promises", "track_record"),
        "EventsFile": _file(array(ref("Event")), PATHS["/events.json"][0]),
        "EventFile": _file(ref("EventDetail"), PATHS["/events/{id}.json"][0], "collection"),
        "EntitiesFile": _file(array(ref("Entity")), PATHS["/entities.json"][0]),
        "EntityFile": _file(ref("EntityDetail"), PATHS["/entities/{id}.json"][0], "collection"),
        "PromisesFile": _file(array(ref("Promise")), PATHS["/promises.json"][0]),
        "PromiseFile": _file(ref("Promise"), PATHS["/promises/{id}.json"][0], "collection"),
        "TrackRecordFile": _file(track, PATHS["/track-record.json"][0]),
    }


def openapi() -> Schema:
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "AI Promises Timeline API",
            "version": f"{SCHEMA_VERSION}",
            "summary": "A static, versioned JSON API of the AI Promises Timeline.",
            "description": (
                "Static JSON files, rebuilt with the site. Every file is an envelope: `schema_version`, `as_of` (the date "
                "statuses are computed for), `licence`, `links` and `data`. Links to other API files are relative to the file "
                "that holds them; links to pages and feeds are absolute. v1 only gains fields and vocabulary values; a "
                "breaking change would be published as v2 beside it."
            ),
            "license": {"name": LICENCE["id"], "identifier": LICENCE["id"]},
        },
        "servers": [{"url": ".", "description": "Where this document is served: api/v1/ on the site."}],
        "paths": {path: _get(summary, name, "{id}" in path) for path, (summary, name) in PATHS.items()},
        "components": {"schemas": {**_components(), **_files()}},
    }
