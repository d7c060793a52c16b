"""Which generated files an edit affects: what `mkdocs serve --dirty` rebuilds after a save.

A page depends on its own record and on what it shows of the records it links to (a title, a
date, a kind, the filters' facets, a promise's status). Rendering a page records the pages it
links to (`SiteWriter.links`), so after an edit the affected pages are:

- the pages of the records that changed at all (the event edited, a promise whose history or
  status it changed, and that history's events);
- if its title changed: every page that linked to it (they show the title); for an entity,
  also the pages with filters, which name every entity;
- if where it is listed or counted changed (a date, kind, tag, entity, relation, status, or
  the record came or went): also every page it linked to before or links to now (its
  entities, thread, archives), every page of a listing cut into pages that has one of those
  (a new date can move an event between pages), and the hubs (timeline, tracker, track
  record, entities index), which count everything.

`tests/test_incremental.py` edits, adds and deletes events and compares the result with a full
build, file by file.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Entity, Event
from .pages import SiteWriter, entity_uri, event_uri
from .site import HUBS

# A listing's pages: archive/tags/x.md, archive/tags/x/page-2.md, archive/years/2025/page-3.md...
FILTERED = "archive/years/"  # with the timeline itself: the pages with filters (when split by year)
LISTING = re.compile(r"^((?:archive/[a-z]+|promises)/[^/]+?)(?:\.md|/.*)$")


def _event_place(writer: SiteWriter, event: Event) -> object:
    """What decides where an event is listed and counted, beyond its title."""
    return (event.date, event.kind, event.tags, event.entities, writer.facets.get(event.id))


def _entity_place(entity: Entity) -> object:
    return (entity.kind, entity.parent)


@dataclass
class Change:
    own: set[str] = field(default_factory=set)  # pages whose record changed at all
    titled: set[str] = field(default_factory=set)  # ... in its title or name, which the pages listing it show
    placed: set[str] = field(default_factory=set)  # ... in where it is listed or counted (or it came or went)

    def note(self, page: str, title_changed: bool, place_changed: bool) -> None:
        self.own.add(page)
        if title_changed:
            self.titled.add(page)
        if place_changed:
            self.placed.add(page)


def changed_pages(old: SiteWriter, new: SiteWriter) -> Change:
    change = Change()
    for event_id in old.graph.events.keys() | new.graph.events.keys():
        before, after = old.graph.events.get(event_id), new.graph.events.get(event_id)
        if before is None or after is None:
            change.note(event_uri(event_id), True, True)
        elif before != after or old.facets[event_id] != new.facets[event_id]:
            place_changed = _event_place(old, before) != _event_place(new, after) or before.relations != after.relations
            change.note(event_uri(event_id), before.title != after.title, place_changed)
    for entity_id in old.graph.entities.keys() | new.graph.entities.keys():
        was, now = old.graph.entities.get(entity_id), new.graph.entities.get(entity_id)
        if was is None or now is None:
            change.note(entity_uri(entity_id), True, True)
        elif was != now:
            change.note(entity_uri(entity_id), was.name != now.name, _entity_place(was) != _entity_place(now))
    for promise_id in old.record_of.keys() | new.record_of.keys():
        before_record, after_record = old.record_of.get(promise_id), new.record_of.get(promise_id)
        if before_record != after_record:  # a status, a date or a step: shown wherever the promise is listed
            history = {promise_id, *(s.event.id for r in (before_record, after_record) if r for s in r.steps)}
            for event_id in history:
                change.note(event_uri(event_id), True, True)
    return change


def affected_pages(
    change: Change, old_links: dict[str, frozenset[str]], new_links: dict[str, frozenset[str]], pages: Iterable[str]
) -> set[str]:
    """The generated pages to rebuild, given the links each page had before the edit
    (`old_links`) and has after it for the pages rendered so far (`new_links`)."""
    pages = set(pages)
    linked_from: dict[str, set[str]] = defaultdict(set)
    for page, targets in old_links.items():
        for target in targets:
            linked_from[target].add(page)
    affected = set(change.own)
    for page in change.titled | change.placed:
        affected |= linked_from.get(page, set())
    if any(page.startswith("entities/") for page in change.titled):
        # The filters list every entity by name without linking it: the timeline and its years.
        affected |= HUBS | {page for page in pages if page.startswith(FILTERED)}
    if change.placed:
        for page in change.placed:
            affected |= old_links.get(page, frozenset()) | new_links.get(page, frozenset())
        listings = {match.group(1) for page in affected if (match := LISTING.match(page))}
        affected |= {page for page in pages if (match := LISTING.match(page)) and match.group(1) in listings}
        affected |= HUBS  # they count everything
    return affected & pages


def everything_changed(old: SiteWriter, new: SiteWriter) -> bool:
    """Whether every page may have changed: another date to measure against, or the timeline
    moving between one page and a page per year."""
    return old.as_of != new.as_of or old.timeline_split != new.timeline_split
