"""Search-index entries for the event and entity pages, made from the graph.

Material's search plugin finds a page's entries by parsing its HTML: a tenth of a build at
10,000 events. These pages' entries are known before any HTML exists, so they are made here
and the plugin is told to skip the pages. They hold what a reader searches for: an event's
title, kind, entities, summary and quotes; an entity's name, aliases and description. The
entry format is Material's (`{"location", "title", "text"}`, title and text as HTML-escaped
text with <p> paragraphs), which its search worker inserts as HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
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


# Word codes: characters JSON writes as themselves (printable ASCII but `"` and `\\`). A code is
# continuation digits (bijective base CONTINUED) then one final digit (base FINAL); FINAL = 50
# gives the smallest index measured at 10,000 events (the most frequent 50 words take one
# character, the next 2,100 two).
DIGITS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"\\')
FINAL = 50
CONTINUED = len(DIGITS) - FINAL


def _code(rank: int) -> str:
    high, low = divmod(rank, FINAL)
    digits = [DIGITS[low]]
    while high:
        high, digit = divmod(high - 1, CONTINUED)
        digits.append(DIGITS[FINAL + digit])
    return "".join(reversed(digits))


def pack(documents: Sequence[Document]) -> dict[str, list[str]]:
    """Columns of the documents' locations, titles and texts, each text as the codes of its
    words (split at single spaces, so joining them with spaces gives it back exactly) in
    `words`, the most frequent first. Nothing is lost: `unpack` returns the documents."""
    counts = Counter(word for document in documents for word in document["text"].split(" "))
    words = sorted(counts, key=lambda word: (-counts[word], word))
    codes = {word: _code(rank) for rank, word in enumerate(words)}
    return {
        "words": words,
        "location": [document["location"] for document in documents],
        "title": [document["title"] for document in documents],
        "text": ["".join([codes[word] for word in document["text"].split(" ")]) for document in documents],
    }


def _ranks(text: str) -> Iterator[int]:
    high = 0
    for char in text:
        digit = DIGITS.index(char)
        if digit < FINAL:
            yield high * FINAL + digit
            high = 0
        else:
            high = high * CONTINUED + digit - FINAL + 1


def unpack(packed: dict[str, list[str]]) -> list[Document]:
    """The documents `pack` was given (what the search worker does in JavaScript)."""
    words = packed["words"]
    return [
        {"location": location, "title": title, "text": " ".join(words[rank] for rank in _ranks(text))}
        for location, title, text in zip(packed["location"], packed["title"], packed["text"], strict=True)
    ]
