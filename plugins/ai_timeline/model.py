"""The typed records that validated YAML becomes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .dates import FuzzyDate
from .strict_yaml import Document

# Relations point from the event that holds them to another event. A promise's history is
# made of the PROMISE_RELATIONS that point at it.
PROMISE_RELATIONS = ("delays", "fulfils", "cancels", "breaks", "reaffirms")
RELATION_LABELS = {  # relation: (as seen from its holder, as seen from its target)
    "delays": ("delays", "delayed by"),
    "fulfils": ("fulfils", "fulfilled by"),
    "cancels": ("cancels", "cancelled by"),
    "breaks": ("breaks", "broken by"),
    "reaffirms": ("reaffirms", "reaffirmed by"),
    "reports": ("reports on", "reported by"),
    "responds-to": ("responds to", "answered by"),
    "caused-by": ("caused by", "led to"),
    "follows": ("follows", "followed by"),
    "related": ("related to", "related to"),
}


@dataclass(frozen=True)
class Source:
    publisher: str
    title: str
    date: FuzzyDate
    type: str  # primary | secondary
    url: str | None = None
    via: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Relation:
    type: str
    target: str
    new_date: FuzzyDate | None = None
    reason: str | None = None
    extent: str | None = None
    previous_date: FuzzyDate | None = None  # delays: the date displaced, when no event of its own set it
    timing: str | None = None  # the source's own words for the new date


@dataclass(frozen=True)
class Promise:
    by: str
    what: str
    due: FuzzyDate | None = None
    timing: str | None = None  # the source's own words for when: "in the coming months"


@dataclass(frozen=True)
class Quote:
    text: str
    by: str


@dataclass
class Event:
    id: str
    path: str  # e.g. events/2026/muse-spark-launch.yaml
    title: str
    date: FuzzyDate
    kind: str
    entities: tuple[str, ...]
    summary: str
    sources: tuple[Source, ...]
    quotes: tuple[Quote, ...] = ()
    promise: Promise | None = None
    relations: tuple[Relation, ...] = ()
    tags: tuple[str, ...] = ()
    redirect_from: tuple[str, ...] = ()  # old IDs, kept as addresses that lead here
    document: Document | None = field(default=None, repr=False, compare=False)

    def promised(self) -> Promise:
        """The promise block of a promise event. Validation drops a `kind: promise` event without
        one, so every promise in the graph has it; asking any other event is a programming error."""
        if self.promise is None:
            raise ValueError(f"event '{self.id}' (kind: {self.kind}) has no 'promise' block")
        return self.promise


@dataclass(frozen=True)
class Role:
    title: str
    org: str
    start: FuzzyDate | None = None
    end: FuzzyDate | None = None


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class Entity:
    id: str
    path: str
    name: str
    kind: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    description: str | None = None
    links: tuple[Link, ...] = ()
    roles: tuple[Role, ...] = ()
    sources: tuple[Source, ...] = ()
    redirect_from: tuple[str, ...] = ()
    document: Document | None = field(default=None, repr=False, compare=False)
