"""The event graph as Markdown pages, ready for any Markdown site generator.

Templates are Jinja with a `finalize` that escapes every printed value for Markdown unless it
is `Markup` (sanitized HTML or a link we built), so contributor text is literal by default.
Autoescape stays on so that macro output counts as Markup and is not escaped twice.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, cached_property, partial
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from . import facets, listings, markup, overview, promises, slipchart, trackrecord
from .dates import day_label
from .diagnostics import Diagnostic
from .feeds import FeedWriter
from .graph import EventGraph
from .listings import Limits
from .model import RELATION_LABELS, Entity, Event

LATEST_COUNT = 10
DUE_SOON_DAYS = 90
# Home-page lists of open promises: (which records, what to say when there are none).
PROMISE_LISTS: dict[str, tuple[Callable[[promises.PromiseRecord, date], bool], str]] = {
    "overdue": (
        lambda r, today: r.status in ("overdue", "overdue-reaffirmed"),
        "No promise on record is past its latest promised date.",
    ),
    "stalled": (lambda r, today: r.status == "stalled", "No promise on record is stalled."),
    "due-soon": (
        lambda r, today: not r.settled and r.current_due is not None and 0 <= (r.current_due.last - today).days <= DUE_SOON_DAYS,
        f"No open promise is due in the next {DUE_SOON_DAYS} days.",
    ),
}
FILTER_LABELS = {"entity": "Entity", "kind": "Kind", "tag": "Tag", "year": "Year", "status": "Promise status"}
THREAD_WINDOW = 7  # events shown on each side of the current one: long threads must not make pages grow with N²


@dataclass(frozen=True)
class Page:
    src_uri: str  # where the page pretends to live in the docs folder, e.g. events/x.md
    # Renders the page's Markdown when asked: a build renders its pages on both cores, and a
    # `serve` rebuild renders only the pages an edit affects (see mkdocs_plugin.py).
    render: Callable[[], str] = field(repr=False, compare=False)
    title: str  # plain text; the adapter escapes it for the theme
    # Plain text, or what makes it: an event's comes from its summary, worth making only for the
    # pages a build or an edit writes.
    describe: str | Callable[[], str] = field(repr=False, compare=False)
    edit_path: str | None = None  # the YAML file a reader would edit
    # Listing pages repeat every title they list: left out of the search index, they cannot
    # crowd the events themselves out of the results.
    searchable: bool = True

    @cached_property
    def markdown(self) -> str:
        return self.render()

    @cached_property
    def description(self) -> str:
        return self.describe if isinstance(self.describe, str) else self.describe()


@dataclass(frozen=True)
class Redirect:
    """A static page at a record's old address that leads to its page."""

    path: str  # the file in the site, e.g. events/old-id/index.html
    html: str


def tag_uri(tag: str) -> str:
    return f"archive/tags/{tag}.md"


def kind_uri(kind: str) -> str:
    return f"archive/kinds/{kind}.md"


def year_uri(year: int) -> str:
    return f"archive/years/{year}.md"


def event_uri(event_id: str) -> str:
    return f"events/{event_id}.md"


def entity_uri(entity_id: str) -> str:
    return f"entities/{entity_id}.md"


def entity_archive_uri(entity_id: str) -> str:
    """Every event of an entity with more than its page lists (Limits.entity_events)."""
    return f"archive/entities/{entity_id}.md"


def _finalize(value: object) -> Markup:
    if value is None:
        return Markup("")
    return value if isinstance(value, Markup) else Markup(markup.escape_markdown(str(value)))


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        finalize=_finalize,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["label"] = lambda word: word.replace("-", " ").capitalize()
    env.filters["external"] = lambda url: Markup(quote(url, safe=":/?#[]@!$&*+,;=%~"))
    env.globals["indent"] = lambda depth: Markup("    " * depth)
    env.filters["groupby_month"] = listings.months
    env.globals["thread_window"] = _thread_window
    env.globals["relation_label"] = lambda link: RELATION_LABELS[link.relation.type][0 if link.outgoing else 1]
    return env


@cache
def _html_environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )


class SiteWriter:
    def __init__(
        self,
        graph: EventGraph,
        as_of: date,
        directory_urls: bool = True,
        limits: Limits | None = None,
        record_links: bool = False,
    ) -> None:
        self.graph, self.as_of, self.directory_urls = graph, as_of, directory_urls
        self.limits = limits or listings.LIMITS
        # Beyond the limit the timeline is a hub of years and each year's archive page is that
        # year's timeline (filters included): one page per year, not two near-identical ones.
        self.timeline_split = len(graph.ordered) > self.limits.events_per_page
        self.records = promises.records(graph, as_of)
        self.record_of = {r.promise.id: r for r in self.records}
        dated = {r.by for r in self.records if r.current_due is not None}
        self.calendar_entities = {
            e.id for e in graph.entities.values() if dated & {e.id, *(u.id for u in graph.descendants(e.id))}
        }
        self.facets = {e.id: facets.facets(graph, self.record_of, e) for e in graph.ordered}
        # page -> the pages it links to, for each page rendered; kept only for `serve --dirty`
        # (incremental.py), which renders in one process: a build would hold it for nothing.
        self.links: dict[str, frozenset[str]] = {}
        self.record_links = record_links

    def url(self, src_uri: str) -> str:
        """The URL path MkDocs gives a page, for links inside HTML that MkDocs does not rewrite."""
        stem = src_uri.removesuffix(".md")
        if not self.directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem.removesuffix("index")
        return stem + "/"

    def _render(self, template: str, src_uri: str, **context: object) -> str:
        here = posixpath.dirname(src_uri)
        here_url = self.url(src_uri)
        here_dir = here_url if here_url.endswith("/") or not here_url else posixpath.dirname(here_url)
        linked: set[str] = set()

        def link(target: str) -> Markup:
            linked.add(target)
            return Markup(posixpath.relpath(target, here or "."))

        def href(target: str) -> str:
            """The URL of the page `target` (a docs path), relative to this page's URL."""
            linked.add(target)
            url = self.url(target)
            relative = posixpath.relpath(url or ".", here_dir.rstrip("/") or ".")
            return relative + "/" if url.endswith("/") and relative != "." else relative

        def resolve(record_id: str) -> tuple[str, str] | None:
            if (found := self.target(record_id)) is None:
                return None
            target, label = found
            return href(target), label

        def text(value: str) -> Markup:
            return markup.render(value, resolve)

        def chart(record: promises.PromiseRecord) -> Markup:
            return slipchart.render(record, f"slipchart-{record.promise.id}")

        def page_filter_form(events: list[Event] | None = None, year: int | None = None) -> Markup:
            return self.filter_form(events, year, lambda y: href(year_uri(y)))

        def overview_figure(chart_id: str = "overview", max_lanes: int = overview.MAX_LANES) -> Markup:
            links = overview.Links(lambda i: href(event_uri(i)), lambda i: href(entity_uri(i)), lambda y: href(year_uri(y)))
            return overview.render(self.graph, self.records, self.as_of, links, chart_id, max_lanes)

        rendered = (
            _environment()
            .get_template(template)
            .render(
                graph=self.graph,
                as_of=self.as_of,
                as_of_label=day_label(self.as_of),
                link=link,
                text=text,
                chart=chart,
                overview=overview_figure,
                event_uri=event_uri,
                tag_uri=tag_uri,
                kind_uri=kind_uri,
                year_uri=year_uri,
                entity_uri=entity_uri,
                entity_archive_uri=entity_archive_uri,
                records=self.records,
                record_of=self.record_of,
                promise_records_of=self.promise_records_of,
                statuses=promises.STATUSES,
                industry_rows=self.industry_rows,
                track_rows=lambda entity: trackrecord.rows_for(self.graph, self.by_maker, entity),
                track_chart=trackrecord.chart,
                small_sample=trackrecord.SMALL_SAMPLE,
                days_number=_days_number,
                has_calendar=lambda entity_id: entity_id in self.calendar_entities,
                status_counts=promises.status_counts,
                promisers=self.promisers,
                filter_form=page_filter_form,
                limits=self.limits,
                facet_attributes=self.facet_attributes,
                **context,
            )
        )
        if self.record_links:
            self.links[src_uri] = frozenset(linked)  # what an edit to those pages may change here
        return rendered

    def filter_form(
        self, events: list[Event] | None = None, year: int | None = None, year_href: Callable[[int], str] | None = None
    ) -> Markup:
        """The filters of a list of events (every event when None). On one year's page of a split
        timeline, the year field moves between year pages instead (`year_href` gives their URLs)."""
        listed = self.facets.values() if events is None else [self.facets[e.id] for e in events]
        choices = facets.choices(self.graph, list(listed))
        year_links: dict[str, str] = {}
        if year is not None and year_href is not None:
            years = sorted({e.date.first.year for e in self.graph.ordered}, reverse=True)
            choices["year"] = [facets.Choice(str(y), str(y)) for y in years]
            year_links = {str(y): year_href(y) for y in years}
        fields = [(name, FILTER_LABELS[name]) for name in facets.FIELDS]
        return Markup(
            slipchart.svg_environment()
            .get_template("filters.html.j2")
            .render(
                fields=fields,
                choices=choices,
                pad=Markup("&#160;" * 3),
                year_links=year_links,
                current_year=str(year) if year is not None else "",
            )
        )

    def facet_attributes(self, event: Event) -> Markup:
        """The event's facets as attr_list attributes; values are slugs (see Facets.attributes)."""
        items = self.facets[event.id].attributes().items()
        return Markup(" ".join(f'{name}="{html.escape(value)}"' for name, value in items))

    def promise_records_of(self, entity_id: str) -> list[promises.PromiseRecord]:
        """Promises made by the entity or any unit below it, most pressing first."""
        return list(self.by_maker.of({entity_id, *(e.id for e in self.graph.descendants(entity_id))}))

    @cached_property
    def by_maker(self) -> trackrecord.ByMaker:
        return trackrecord.ByMaker(self.records)

    @cached_property
    def industry_rows(self) -> list[tuple[str, trackrecord.TrackRecord]]:
        """Everyone on record, then each top-level organisation with its units rolled up (computed
        once: every page's template context names it)."""
        rows = [("", trackrecord.of_industry(self.records))]
        rows += [
            ("units included", trackrecord.of_entity(self.graph, self.by_maker, e))
            for e in trackrecord.top_level(self.graph, self.records)
        ]
        return rows if self.records else []

    def promisers(self) -> list[Entity]:
        """Entities that made a promise or have a unit that did, by name."""
        found = {}
        for record in self.records:
            for entity in [self.graph.entities[record.by], *self.graph.ancestors(record.by)]:
                found[entity.id] = entity
        return sorted(found.values(), key=lambda e: e.name.lower())

    def pages(self) -> list[Page]:
        pages = [self.event_page(e) for e in self.graph.ordered]
        pages += [self.entity_page(e) for e in sorted(self.graph.entities.values(), key=lambda e: e.id)]
        pages.append(
            Page(
                "timeline.md",
                partial(
                    self._render,
                    "timeline.md.j2",
                    "timeline.md",
                    split=self.timeline_split,
                    years=[(year, len(events)) for year, events in listings.by_year(self.graph.ordered[::-1])],
                ),
                "Timeline",
                "Every event on record, newest first, grouped by year and month.",
                searchable=False,
            )
        )
        pages.append(
            Page(
                "entities/index.md",
                partial(self._render, "entities.md.j2", "entities/index.md"),
                "Entities",
                "Companies, labs, teams, people, products and models on record.",
                searchable=False,
            )
        )
        pages.append(
            Page(
                "track-record.md",
                partial(self._render, "trackrecord.md.j2", "track-record.md"),
                "Track record",
                "How the AI industry's promises on record turned out: kept on time, late, broken, cancelled, open or overdue.",
            )
        )
        pages += self.archive_pages()
        pages += self.tracker_pages()
        return pages

    def tracker_pages(self) -> list[Page]:
        """The promise tracker; beyond the limit, its tables move to one page per status (in
        numbered parts if still too long) and the tracker keeps the summary, counts and links."""
        split = len(self.records) > self.limits.promises_per_page
        status_pages: dict[str, list[listings.Part]] = {}
        if split:
            for status, _ in promises.status_counts(self.records):
                rows = [r for r in self.records if r.status == status]
                runs = listings.chunks(rows, self.limits.promises_per_page)
                status_pages[status] = [
                    listings.Part(listings.part_uri(f"promises/{status}", n), f"{n} of {len(runs)}", run)
                    for n, run in enumerate(runs, 1)
                ]
        pages = [
            Page(
                "promises.md",
                partial(self._render, "promises.md.j2", "promises.md", status_pages=status_pages),
                "Promise tracker",
                "Every promise on record: what was promised, for when, how often it slipped, and where it stands.",
            )
        ]
        for status, parts in status_pages.items():
            label = promises.STATUSES[status][0]
            for part in parts:
                pages.append(
                    Page(
                        part.uri,
                        partial(self._render, "promises_status.md.j2", part.uri, status=status, part=part, parts=parts),
                        f"Promises: {label}" + (f" (page {part.label})" if len(parts) > 1 else ""),
                        f"Promises on record whose status is “{label}”.",
                        searchable=False,
                    )
                )
        return pages

    def archive_pages(self) -> list[Page]:
        """One page per tag, per kind and per year, each listing exactly its events."""
        groups: dict[str, tuple[str, str, list[Event]]] = {}
        for event in self.graph.ordered:
            keys = [(tag_uri(t), f"Tag: {t}", f"Events tagged “{t}”.") for t in event.tags]
            keys.append(
                (
                    kind_uri(event.kind),
                    f"Kind: {event.kind.replace('-', ' ')}",
                    f"Events of the kind “{event.kind.replace('-', ' ')}”.",
                )
            )
            keys.append(
                (year_uri(event.date.first.year), f"Year: {event.date.first.year}", f"Events of {event.date.first.year}.")
            )
            for uri, heading, intro in keys:
                groups.setdefault(uri, (heading, intro, []))[2].append(event)
        for entity in self.long_entities():
            groups[entity_archive_uri(entity.id)] = (
                f"Entity: {entity.name}",
                f"Every event of {entity.name} and its units.",
                self.graph.events_of(entity.id),
            )
        pages = []
        for uri, (heading, intro, events) in sorted(groups.items()):
            filterable = self.timeline_split and uri.startswith("archive/years/")
            pages += self.listing(uri.removesuffix(".md"), heading, intro, events, filterable)
        return pages

    def long_entities(self) -> list[Entity]:
        """Entities with more events than their page lists: the rest are in their archive."""
        limit = self.limits.entity_events
        return [e for e in sorted(self.graph.entities.values(), key=lambda e: e.id) if len(self.graph.events_of(e.id)) > limit]

    def listing(self, stem: str, heading: str, intro: str, events: list[Event], filterable: bool = False) -> list[Page]:
        """An archive's pages (see listings.py): one page up to the limit; beyond it, a hub of
        years when it spans several, and a year in parts when one year is still too long."""
        limit = self.limits.events_per_page
        newest = events[::-1]
        years = listings.by_year(newest)
        if len(events) > limit and len(years) > 1:
            uri = f"{stem}.md"
            hub = [(year, len(in_year), f"{stem}/{year}.md") for year, in_year in years]
            pages = [
                Page(
                    uri,
                    partial(self._render, "archive.md.j2", uri, heading=heading, intro=intro, total=len(events), years=hub),
                    heading,
                    intro,
                    searchable=False,
                )
            ]
            for year, in_year in years:
                pages += self.listing(f"{stem}/{year}", f"{heading}, {year}", intro, in_year[::-1])
            return pages
        parts = listings.parts(stem, newest, limit) if len(events) > limit else [listings.Part(f"{stem}.md", "", newest)]
        return [
            Page(
                part.uri,
                partial(
                    self._render,
                    "archive.md.j2",
                    part.uri,
                    heading=heading,
                    intro=intro,
                    total=len(events),
                    years=[],
                    part=part,
                    parts=parts,
                    filterable=filterable,
                    year=years[0][0] if filterable and years else None,
                ),
                heading if len(parts) == 1 else f"{heading} ({part.label})",
                intro,
                searchable=False,
            )
            for part in parts
        ]

    def feed_writer(self, base: str) -> FeedWriter:
        def resolve(record_id: str) -> tuple[str, str] | None:
            found = self.target(record_id)
            return (base + self.url(found[0]), found[1]) if found else None

        return FeedWriter(self.graph, self.records, self.as_of, base, self.url, resolve)

    def redirects(self, site_url: str | None = None) -> list[Redirect]:
        """One small HTML page per old ID (`redirect_from`), so renamed records keep their links."""
        found = []
        records: list[Event | Entity] = [*self.graph.events.values(), *self.graph.entities.values()]
        for record in sorted(records, key=lambda r: r.id):
            page = event_uri(record.id) if isinstance(record, Event) else entity_uri(record.id)
            target = self.url(page)
            title = record.title if isinstance(record, Event) else record.name
            for old in record.redirect_from:
                url = self.url(posixpath.join(posixpath.dirname(page), f"{old}.md"))
                path = url + "index.html" if url.endswith("/") else url
                relative = posixpath.relpath(target, posixpath.dirname(path)) + ("/" if target.endswith("/") else "")
                canonical = (site_url.rstrip("/") + "/" + target) if site_url else relative
                html = (
                    _html_environment().get_template("redirect.html.j2").render(title=title, target=relative, canonical=canonical)
                )
                found.append(Redirect(path, html))
        return found

    def event_page(self, event: Event) -> Page:
        src = event_uri(event.id)
        render = partial(self._render, "event.md.j2", src, event=event)
        return Page(src, render, event.title, partial(self._event_description, event), event.path)

    def _event_description(self, event: Event) -> str:
        description = f"{event.date.label()}: {markup.plain_text(event.summary, self.target)}"
        record = self.record_of.get(event.id)
        if record is not None:
            description = f"{record.label} as of {self.as_of.isoformat()}. {description}"
        return _shorten(description)

    def entity_page(self, entity: Entity) -> Page:
        src = entity_uri(entity.id)
        render = partial(self._render, "entity.md.j2", src, entity=entity)
        return Page(src, render, entity.name, partial(self._entity_description, entity), entity.path)

    def _entity_description(self, entity: Entity) -> str:
        if not entity.description:
            return _shorten(f"{entity.name} on the AI timeline.")
        return _shorten(markup.plain_text(entity.description, self.target))

    def target(self, record_id: str) -> tuple[str, str] | None:
        """(page, label) of the event or entity a mention names."""
        if record_id in self.graph.events:
            return event_uri(record_id), self.graph.events[record_id].title
        if record_id in self.graph.entities:
            return entity_uri(record_id), self.graph.entities[record_id].name
        return None

    def snippet(self, name: str, src_uri: str) -> str | None:
        """A generated block for a hand-written page, or None if `name` is unknown."""
        if name == "latest":
            latest = list(reversed(self.graph.ordered))[:LATEST_COUNT]
            return _unsearched(self._render("latest.md.j2", src_uri, events=latest))
        if name in PROMISE_LISTS:
            wanted, empty = PROMISE_LISTS[name]
            items = [r for r in self.records if wanted(r, self.as_of)]
            shown = items[: self.limits.home_list]  # the home page must not grow with the record
            return _unsearched(self._render("overdue.md.j2", src_uri, items=shown, more=len(items) - len(shown), empty=empty))
        if name == "subscribe":
            return self._render("subscribe.md.j2", src_uri)
        if name.startswith("template-"):
            # The validated text, HTML-escaped by the template; a missing file is said, not fatal,
            # so that the site builds whenever `timeline check` passes.
            template = name.removeprefix("template-")
            text = self.graph.templates.get(template)
            return self._render(
                "template.md.j2",
                src_uri,
                name=template,
                template_text=text,
                highlighted=markup.highlight_yaml(text, f"events/_templates/{template}.yaml") if text else None,
            )
        return None


def _thread_window(thread: list[Event], current_id: str) -> tuple[list[Event], int, int]:
    """(events around the current one, how many hidden before, how many hidden after)."""
    at = next(i for i, e in enumerate(thread) if e.id == current_id)
    start, end = max(0, at - THREAD_WINDOW), min(len(thread), at + THREAD_WINDOW + 1)
    return thread[start:end], start, len(thread) - end


def _unsearched(block: str) -> str:
    """A list of other pages' titles, kept out of the search index (Material skips the block)."""
    return f"<div data-search-exclude markdown>\n\n{block.strip()}\n\n</div>\n"


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def error_banner(diagnostics: list[Diagnostic]) -> str:
    """The data's errors at the top of every page of a preview (`mkdocs serve`), escaped."""
    errors = [d for d in diagnostics if d.severity == "error"]
    return _html_environment().get_template("build_errors.html.j2").render(errors=errors, diagnostics=diagnostics)


def _days_number(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
