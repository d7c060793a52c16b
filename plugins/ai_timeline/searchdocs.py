"""Search-index entries for the event and entity pages, made from the graph.

Material's search plugin finds a page's entries by parsing its HTML: a tenth of a build at
10,000 events. These pages' entries are known before any HTML exists, so they are made here
and the plugin is told to skip the pages. They hold what a reader searches for: an event's
title, kind, entities, summary and quotes; an entity's name, aliases and description. The
entry format is Material's (`{"location", "title", "text"}`, title and text as HTML-escaped
text with <p> paragraphs), which its search worker inserts as HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape

from . import markup
from .model import Entity, Event
from .pages import SiteWriter, entity_uri, event_uri

Document = dict[str, str]


def _paragraphs(*texts: str) -> str:
    return " ".join(f"<p>{escape(text, quote=False)}</p>" for text in texts if text)


def event_document(writer: SiteWriter, event: Event) -> Document:
    names = ", ".join(writer.graph.entities[i].name for i in event.entities)
    quotes = [f"“{q.text}” — {writer.graph.entities[q.by].name}" for q in event.quotes]
    summary = markup.plain_text(event.summary, writer.target)
    text = _paragraphs(event.kind.replace("-", " ").capitalize(), f"Involved: {names}", summary, *quotes)
    return {"location": writer.url(event_uri(event.id)), "title": escape(event.title, quote=False), "text": text}


def entity_document(writer: SiteWriter, entity: Entity) -> Document:
    aliases = f"Also known as: {', '.join(entity.aliases)}" if entity.aliases else ""
    description = markup.plain_text(entity.description, writer.target) if entity.description else ""
    text = _paragraphs(aliases, description)
    return {"location": writer.url(entity_uri(entity.id)), "title": escape(entity.name, quote=False), "text": text}


def documents(writer: SiteWriter) -> dict[str, Callable[[], Document]]:
    """What makes each entry, by page (its docs path), events in timeline order then entities
    by ID: a build makes each in the process that writes its page (a summary's plain text is a
    Markdown conversion, 5 s at 10,000 events)."""
    found: dict[str, Callable[[], Document]] = {event_uri(e.id): partial(event_document, writer, e) for e in writer.graph.ordered}
    for entity in sorted(writer.graph.entities.values(), key=lambda e: e.id):
        found[entity_uri(entity.id)] = partial(entity_document, writer, entity)
    return found
