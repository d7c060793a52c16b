"""The event graph as Markdown pages, ready for any Markdown site generator.

Templates are Jinja with a `finalize` that escapes every printed value for Markdown unless it
is `Markup` (sanitized HTML or a link we built), so contributor text is literal by default.
Autoescape stays on so that macro output counts as Markup and is not escaped twice.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from datetime import date
from functools import cache
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from . import markup
from .graph import EventGraph
from .model import RELATION_LABELS, Entity, Event

LATEST_COUNT = 10


@dataclass(frozen=True)
class Page:
    src_uri: str  # where the page pretends to live in the docs folder, e.g. events/x.md
    markdown: str
    title: str  # plain text; the adapter escapes it for the theme
    description: str  # plain text
    edit_path: str | None = None  # the YAML file a reader would edit


def event_uri(event_id: str) -> str:
    return f"events/{event_id}.md"


def entity_uri(entity_id: str) -> str:
    return f"entities/{entity_id}.md"


def _finalize(value: object) -> Markup:
    if value is None:
        return Markup("")
    return value if isinstance(value, Markup) else Markup(markup.escape_markdown(str(value)))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        finalize=_finalize, autoescape=True, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["markdown"] = markup.render
    env.filters["label"] = lambda word: word.replace("-", " ").capitalize()
    env.filters["external"] = lambda url: Markup(quote(url, safe=":/?#[]@!$&*+,;=%~"))
    env.globals["indent"] = lambda depth: Markup("    " * depth)
    env.globals["relation_label"] = lambda link: RELATION_LABELS[link.relation.type][0 if link.outgoing else 1]
    return env


class SiteWriter:
    def __init__(self, graph: EventGraph, as_of: date) -> None:
        self.graph, self.as_of = graph, as_of

    def _render(self, template: str, src_uri: str, **context: object) -> str:
        here = posixpath.dirname(src_uri)

        def link(target: str) -> Markup:
            return Markup(posixpath.relpath(target, here or "."))

        return _environment().get_template(template).render(
            graph=self.graph, as_of=self.as_of, link=link, event_uri=event_uri, entity_uri=entity_uri, **context)

    def pages(self) -> list[Page]:
        pages = [self.event_page(e) for e in self.graph.ordered]
        pages += [self.entity_page(e) for e in sorted(self.graph.entities.values(), key=lambda e: e.id)]
        pages.append(Page("timeline.md", self._render("timeline.md.j2", "timeline.md"), "Timeline",
                          "Every event on record, newest first, grouped by year and month."))
        pages.append(Page("entities/index.md", self._render("entities.md.j2", "entities/index.md"), "Entities",
                          "Companies, labs, teams, people, products and models on record."))
        return pages

    def event_page(self, event: Event) -> Page:
        src = event_uri(event.id)
        return Page(src, self._render("event.md.j2", src, event=event), event.title,
                    _shorten(f"{event.date.label()}: {markup.plain_text(event.summary)}"), event.path)

    def entity_page(self, entity: Entity) -> Page:
        src = entity_uri(entity.id)
        description = markup.plain_text(entity.description) if entity.description else f"{entity.name} on the AI timeline."
        return Page(src, self._render("entity.md.j2", src, entity=entity), entity.name, _shorten(description), entity.path)

    def snippet(self, name: str, src_uri: str) -> str | None:
        """A generated block for a hand-written page, or None if `name` is unknown."""
        if name == "latest":
            latest = list(reversed(self.graph.ordered))[:LATEST_COUNT]
            return self._render("latest.md.j2", src_uri, events=latest)
        return None


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
