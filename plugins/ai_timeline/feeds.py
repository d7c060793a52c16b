"""Feeds a reader can subscribe to: Atom and JSON Feed 1.1 for every event, per entity (units
included) and for promise status changes; iCalendar of promised dates, overall and per entity.

Every URL is absolute, from the site's address (the local server's when none is configured).
XML is escaped by an autoescaping template, JSON by json.dumps, iCalendar by the icalendar
library; contributor Markdown arrives already sanitized.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, partial
from typing import Any

import icalendar
import jinja2
from markupsafe import escape

from .data import LICENCE, json_text
from .graph import EventGraph
from .markup import plain_text, render
from .model import Entity, Event
from .promises import PromiseRecord

FEED_SIZE = 50  # newest items per feed: a subscriber needs news, not the archive
AUTHOR = "AI Promises Timeline contributors"
SITE_FEED = "feed.atom"
PROMISE_FEED = "promises.atom"
CALENDAR = "promised-dates.ics"
RIGHTS = f"Data: {LICENCE['id']} ({LICENCE['url']}), {LICENCE['attribution']}"


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    url: str
    day: date
    text: str  # plain text
    html: str  # sanitized HTML
    tags: tuple[str, ...] = ()

    @property
    def updated(self) -> str:
        return _stamp(self.day)


def entity_feed(entity_id: str) -> str:
    return f"feeds/entities/{entity_id}.atom"


def entity_calendar(entity_id: str) -> str:
    return f"feeds/entities/{entity_id}.ics"


@dataclass(frozen=True)
class Feed:
    path: str  # where its Atom file sits in the site, e.g. feed.atom
    title: str
    description: str
    home: str  # the page it is about
    items: tuple[Item, ...]
    as_of: date
    base: str = ""  # the site's address, ending in /

    @property
    def url(self) -> str:
        return self.base + self.path

    @property
    def updated(self) -> str:
        return _stamp(max((i.day for i in self.items), default=self.as_of))

    author = AUTHOR
    rights = RIGHTS


def _stamp(day: date) -> str:
    return datetime.combine(day, time(0), UTC).isoformat().replace("+00:00", "Z")


class FeedWriter:
    def __init__(
        self,
        graph: EventGraph,
        records: list[PromiseRecord],
        as_of: date,
        base: str,
        page_url: Callable[[str], str],
        resolve: Callable[[str], tuple[str, str] | None],
    ) -> None:
        """`page_url` gives a page's site-relative URL from its Markdown path; `resolve` turns a
        mention's ID into (absolute URL, label)."""
        self.graph, self.records, self.as_of, self.base = graph, records, as_of, base
        self.page_url, self.resolve = page_url, resolve

    def _absolute(self, src_uri: str) -> str:
        return self.base + self.page_url(src_uri)

    def _event_item(self, event: Event) -> Item:
        url = self._absolute(f"events/{event.id}.md")
        html = (
            f"<p>{_escape(event.date.label())} · {_escape(event.kind.replace('-', ' '))}</p>{render(event.summary, self.resolve)}"
        )
        return Item(url, event.title, url, event.date.first, plain_text(event.summary, self.resolve), html, event.tags)

    def _events(self, events: list[Event]) -> tuple[Item, ...]:
        known = [e for e in events if e.date.first <= self.as_of]
        return tuple(self._event_item(e) for e in reversed(known[-FEED_SIZE:]))

    def site(self) -> Feed:
        return Feed(
            SITE_FEED,
            "AI Promises Timeline: every event",
            "Events on record: launches, promises, delays, statements, reports.",
            self.base,
            self._events(self.graph.ordered),
            self.as_of,
            self.base,
        )

    def entity(self, entity: Entity) -> Feed:
        return Feed(
            entity_feed(entity.id),
            f"AI Promises Timeline: {entity.name}",
            f"Events of {entity.name} and its units.",
            self._absolute(f"entities/{entity.id}.md"),
            self._events(self.graph.events_of(entity.id)),
            self.as_of,
            self.base,
        )

    def promise_changes(self) -> Feed:
        """Each step of every promise's history, and each promise passing its latest date."""
        changes: list[Item] = []
        for record in self.records:
            page = self._absolute(f"events/{record.promise.id}.md")
            name = record.promise.title
            changes.append(
                Item(
                    page, f"Promised: {name}", page, record.promise.date.first, record.reason, f"<p>{_escape(record.reason)}</p>"
                )
            )
            for step in record.steps:
                url = self._absolute(f"events/{step.event.id}.md")
                what = {
                    "delays": "Delayed",
                    "reaffirms": "Restated",
                    "fulfils": "Delivered",
                    "cancels": "Cancelled",
                    "breaks": "Broken",
                }
                verb = "Partly delivered" if step.relation.extent == "partial" else what[step.relation.type]
                text = f"{verb}: {name} ({step.event.title})"
                changes.append(
                    Item(url + "#" + record.promise.id, text, url, step.event.date.first, text, f"<p>{_escape(text)}</p>")
                )
            if record.status in ("overdue", "overdue-reaffirmed") and record.current_due is not None:
                day = record.current_due.last + timedelta(days=1)
                text = f"Overdue: {name} (its latest promised date, {record.current_due.label()}, passed)"
                changes.append(Item(f"{page}#overdue-{day.isoformat()}", text, page, day, text, f"<p>{_escape(text)}</p>"))
        changes.sort(key=lambda i: (i.day, i.id), reverse=True)
        return Feed(
            PROMISE_FEED,
            "AI Promises Timeline: promise status changes",
            "Promises made, delayed, restated, delivered, broken or cancelled, and promises passing their dates.",
            self._absolute("promises.md"),
            tuple(changes[:FEED_SIZE]),
            self.as_of,
            self.base,
        )

    def feed_makers(self) -> list[tuple[str, Callable[[], Feed]]]:
        """(Atom path, what builds the feed) of every feed: each built only when it is written."""
        entities = sorted(self.graph.entities.values(), key=lambda e: e.id)
        makers: list[tuple[str, Callable[[], Feed]]] = [(SITE_FEED, self.site), (PROMISE_FEED, self.promise_changes)]
        return makers + [(entity_feed(e.id), partial(self.entity, e)) for e in entities]

    def calendars(self) -> list[tuple[str, Callable[[], str]]]:
        """(path, what writes it) of the overall calendar, and of one per entity whose promises
        (or its units') have dates."""
        dated = {r.by for r in self.records if r.current_due is not None}
        entities = sorted(self.graph.entities.values(), key=lambda e: e.id)
        with_dates = [e for e in entities if dated & {e.id, *(u.id for u in self.graph.descendants(e.id))}]
        return [(CALENDAR, self.calendar), *((entity_calendar(e.id), partial(self.calendar, e)) for e in with_dates)]

    def calendar(self, entity: Entity | None = None) -> str:
        """The iCalendar file of promised dates, overall or for one entity."""
        ids = {entity.id, *(e.id for e in self.graph.descendants(entity.id))} if entity else None
        cal = icalendar.Calendar()
        cal.add("prodid", "-//AI Promises Timeline//promised dates//EN")
        cal.add("version", "2.0")
        cal.add("x-wr-calname", _one_line(f"Promised dates: {entity.name}") if entity else "AI Promises Timeline: promised dates")
        host = self.base.split("//", 1)[-1].split("/", 1)[0] or "localhost"
        for record in sorted(self.records, key=lambda r: r.promise.id):
            due = record.current_due
            if due is None or (ids is not None and record.by not in ids):
                continue
            event = icalendar.Event()
            event.add("uid", f"{record.promise.id}@{host}")
            event.add("dtstamp", datetime.combine(self.as_of, time(0), UTC))
            event.add("dtstart", due.first)
            event.add("dtend", due.last + timedelta(days=1))
            event.add("summary", f"Due: {record.promise.title}")
            event.add(
                "description", f"{record.label}. {record.reason} Promised {record.promise.date.label()}, for {due.label()}."
            )
            event.add("url", self._absolute(f"events/{record.promise.id}.md"))
            cal.add_component(event)
        return cal.to_ical().decode("utf-8")


def atom(feed: Feed) -> str:
    return _environment().get_template("feed.atom.j2").render(feed=feed)


def json_feed(feed: Feed) -> str:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    data: dict[str, Any] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "description": feed.description,
        "home_page_url": feed.home,
        "feed_url": feed.url.removesuffix(".atom") + ".json",
        "authors": [{"name": AUTHOR}],
        "language": "en",
        "_license": LICENCE,
        "items": [
            {
                "id": i.id,
                "url": i.url,
                "title": i.title,
                "content_html": i.html,
                "content_text": i.text,
                "date_published": i.updated,
                **({"tags": list(i.tags)} if i.tags else {}),
            }
            for i in feed.items
        ],
    }
    return json_text(data)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _escape(text: str) -> str:
    return str(escape(text))


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
