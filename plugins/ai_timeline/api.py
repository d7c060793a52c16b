"""The versioned static JSON API, `api/v1/`, in the spirit of endoflife.date's: an index, every
event, entity and promise in bulk and one file each, and the track records. Every file is an
envelope with the schema version, the as-of date, the licence, links and the data; `openapi.json`
(see openapi.py) describes them all.

Links between API files are URI references relative to the file that holds them (resolve them
against its URL as a browser resolves an href), so the API works wherever the site is served,
under any path. Links to the site's pages and feeds are absolute on the site's address, like
the feeds' own links: they are what a reader copies elsewhere.

Records come from data.py and statuses from the ledger (SiteWriter.records): nothing here
recomputes them. v1 only ever gains fields; a breaking change would be v2, beside it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import partial
from typing import Any

from . import trackrecord
from .data import LICENCE, SCHEMA_VERSION, entity_data, event_data, fuzzy_date, json_text, promise_data, track_record_data
from .model import Entity, Event
from .openapi import openapi
from .pages import SiteWriter, entity_uri, event_uri
from .promises import STATUSES, PromiseRecord

API_DIR = "api/v1/"


def _dumped(make: Callable[[], Any]) -> str:
    return json_text(make())


class ApiWriter:
    def __init__(self, writer: SiteWriter, base: str) -> None:
        """`base` is the site's address ending in / (site_url, or the local server's)."""
        self.writer, self.graph, self.records, self.base = writer, writer.graph, writer.records, base
        self.page_url = writer.feed_writer(base).page_url

    def files(self) -> list[tuple[str, str]]:
        """(path in the site, JSON text) of every API file."""
        return [(path, make()) for path, make in self.documents()]

    def documents(self) -> list[tuple[str, Callable[[], str]]]:
        """(path in the site, what makes its JSON text) of every API file: made one at a time,
        a site's API need never be all in memory at once."""
        documents: list[tuple[str, Callable[[], Any]]] = [
            ("index.json", self.index),
            ("events.json", self.events),
            ("entities.json", self.entities),
            ("promises.json", self.promises),
            ("track-record.json", self.track_record),
        ]
        documents += [(f"events/{e.id}.json", partial(self.event, e)) for e in self.graph.ordered]
        documents += [(f"entities/{e.id}.json", partial(self.entity, e)) for e in self._entities()]
        documents += [(f"promises/{r.promise.id}.json", partial(self.promise, r)) for r in self.records]
        documents.append(("openapi.json", openapi))
        return [(API_DIR + path, partial(_dumped, make)) for path, make in documents]

    # Links ----------------------------------------------------------------------------

    def html(self, src_uri: str) -> str:
        return self.base + self.page_url(src_uri)

    @staticmethod
    def _relative(target: str, here: str) -> str:
        """`target` (a path under api/v1/) as seen from the API file `here`."""
        # What posixpath.relpath gives, without its cost for the usual cases (a tenth of the API's time).
        folder = posixpath.dirname(here)
        if not folder:
            return target
        if target.startswith(folder + "/"):
            return target[len(folder) + 1 :]
        return "../" + target if "/" not in folder else posixpath.relpath(target, folder)

    def _envelope(self, here: str, data: Any, html: str, **links: str) -> dict[str, Any]:
        """`links`: other API files (paths under api/v1/) this one leads to, beyond itself, the index and openapi.json."""
        targets = {"self": here, "index": "index.json", "openapi": "openapi.json", **links}
        return {
            "schema_version": SCHEMA_VERSION,
            "as_of": self.writer.as_of.isoformat(),
            "licence": LICENCE,
            "links": {**{key: self._relative(path, here) for key, path in targets.items()}, "html": html},
            "data": data,
        }

    # Records, as in data.py, with their URLs under "urls" (an entity's "links" are its own) ----

    def _event_record(self, event: Event, here: str) -> dict[str, Any]:
        promise = f"promises/{event.id}.json" if event.id in self.writer.record_of else None
        links = {
            "self": self._relative(f"events/{event.id}.json", here),
            "html": self.html(event_uri(event.id)),
            "promise": promise and self._relative(promise, here),
        }
        return {**event_data(event), "urls": links}

    def _entity_record(self, entity: Entity, here: str) -> dict[str, Any]:
        feeds = f"{self.base}feeds/entities/{entity.id}"
        links = {
            "self": self._relative(f"entities/{entity.id}.json", here),
            "html": self.html(entity_uri(entity.id)),
            "atom": feeds + ".atom",
            "json_feed": feeds + ".json",
            "calendar": feeds + ".ics" if entity.id in self.writer.calendar_entities else None,
        }
        return {**entity_data(entity), "urls": links}

    def _promise_record(self, record: PromiseRecord, here: str) -> dict[str, Any]:
        links = {
            "self": self._relative(f"promises/{record.promise.id}.json", here),
            "html": self.html(event_uri(record.promise.id)),
            "event": self._relative(f"events/{record.promise.id}.json", here),
        }
        return {**promise_data(record), "urls": links}

    def _entities(self) -> list[Entity]:
        return sorted(self.graph.entities.values(), key=lambda e: e.id)

    # Files ----------------------------------------------------------------------------

    def index(self) -> dict[str, Any]:
        records: dict[str, list[Event] | list[Entity]] = {
            "events": list(self.graph.events.values()),
            "entities": list(self.graph.entities.values()),
        }
        redirects = {kind: {old: r.id for r in found for old in r.redirect_from} for kind, found in records.items()}
        counts = {status: 0 for status in STATUSES}
        for record in self.records:
            counts[record.status] += 1
        data = {
            "title": "AI Promises Timeline",
            "description": "What the AI industry promised and what happened: events, entities, promises and their computed statuses.",
            "counts": {"events": len(self.graph.events), "entities": len(self.graph.entities), "promises": len(self.records)},
            "statuses": [
                {"status": status, "label": label, "meaning": meaning, "count": counts[status]}
                for status, (label, meaning, _) in STATUSES.items()
            ],
            "redirects": {kind: dict(sorted(moved.items())) for kind, moved in redirects.items()},
            "feeds": {
                "events_atom": self.base + "feed.atom",
                "events_json_feed": self.base + "feed.json",
                "promises_atom": self.base + "promises.atom",
                "promises_json_feed": self.base + "promises.json",
                "promised_dates_calendar": self.base + "promised-dates.ics",
            },
        }
        return self._envelope(
            "index.json",
            data,
            self.base,
            events="events.json",
            entities="entities.json",
            promises="promises.json",
            track_record="track-record.json",
        )

    def events(self) -> dict[str, Any]:
        """Every event, oldest first (the timeline's order)."""
        here = "events.json"
        return self._envelope(here, [self._event_record(e, here) for e in self.graph.ordered], self.html("timeline.md"))

    def entities(self) -> dict[str, Any]:
        here = "entities.json"
        return self._envelope(here, [self._entity_record(e, here) for e in self._entities()], self.html("entities/index.md"))

    def promises(self) -> dict[str, Any]:
        """Every promise on record as of the build, most pressing first (the tracker's order)."""
        here = "promises.json"
        return self._envelope(here, [self._promise_record(r, here) for r in self.records], self.html("promises.md"))

    def track_record(self) -> dict[str, Any]:
        data = {
            "outcomes": [
                {"key": key, "label": words, "statuses": sorted(statuses)} for key, words, statuses in trackrecord.OUTCOMES
            ],
            "small_sample": trackrecord.SMALL_SAMPLE,
            "rows": [track_record_data(row) for _, row in self.writer.industry_rows],
        }
        return self._envelope("track-record.json", data, self.html("track-record.md"))

    def event(self, event: Event) -> dict[str, Any]:
        here = f"events/{event.id}.json"
        record = self.writer.record_of.get(event.id)
        data = {
            **self._event_record(event, here),
            "referenced_by": [{"event": link.other.id, "type": link.relation.type} for link in self.graph.incoming(event.id)],
            # Its thread's first event, not the whole list: a long story would make the files grow with N².
            "thread": self.graph.thread(event.id)[0].id,
            "promise_record": None if record is None else promise_data(record),
        }
        return self._envelope(here, data, self.html(event_uri(event.id)), collection="events.json")

    def entity(self, entity: Entity) -> dict[str, Any]:
        here = f"entities/{entity.id}.json"
        data = {
            **self._entity_record(entity, here),
            "ancestors": [e.id for e in self.graph.ancestors(entity.id)],
            "units": [e.id for e in self.graph.children(entity.id)],
            "people": [
                {"person": person.id, "title": role.title, "from": fuzzy_date(role.start), "to": fuzzy_date(role.end)}
                for person, role in self.graph.people(entity.id)
            ],
            "events": [e.id for e in self.graph.events_of(entity.id)],
            "promises": [r.promise.id for r in self.writer.promise_records_of(entity.id)],
            "track_record": [track_record_data(row) for _, row in trackrecord.rows_for(self.graph, self.writer.by_maker, entity)],
        }
        return self._envelope(here, data, self.html(entity_uri(entity.id)), collection="entities.json")

    def promise(self, record: PromiseRecord) -> dict[str, Any]:
        here = f"promises/{record.promise.id}.json"
        return self._envelope(
            here, self._promise_record(record, here), self.html(event_uri(record.promise.id)), collection="promises.json"
        )
