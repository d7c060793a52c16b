"""Every file the timeline adds to a site, as plain data: what both the MkDocs adapter and
`timeline export` write, so the two can never drift apart.

Markdown pages carry their title and description as plain text; whoever writes them out
escapes them for the theme (Material prints both raw into <title> and <meta>).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from pathlib import Path

from .api import ApiWriter
from .feeds import Feed, atom, json_feed
from .guide import GUIDE_FILE, GUIDE_PAGE, site_markdown
from .pages import Page, SiteWriter, entity_uri, event_uri

STYLESHEET = "assets/ai-timeline.css"
SCRIPT = "assets/ai-timeline.js"  # the timeline filters
SEARCH_WORKER = "assets/ai-timeline-search-worker.js"  # replaces Material's lunr worker (overrides/main.html)
OVERRIDES = Path(__file__).parent / "overrides"  # theme templates: feed links in every page's <head>
HUBS = frozenset(
    {"timeline.md", "entities/index.md", "promises.md", "track-record.md", GUIDE_PAGE}
)  # generated pages a nav may list
ABOUT_ENTITY = re.compile(r"(?:feeds/entities|api/v1/entities)/([a-z0-9-]+)\.(?:atom|json|ics)")
ABOUT_EVENT = re.compile(r"api/v1/(?:events|promises)/([a-z0-9-]+)\.json")
SNIPPET = re.compile(r"<!--\s*timeline:([a-z-]+)\s*-->")


@dataclass(frozen=True)
class SiteFile:
    path: str  # where it sits in the docs folder, with forward slashes
    # The content, made only when asked: pages are rendered on every core, and the feeds and the
    # API are written out one by one instead of all being held in memory at once.
    make: Callable[[], str] = field(repr=False)
    page: Page | None = None  # for a generated page: its title, description and source file
    source: str | None = None  # the repository file a reader would edit, relative to the root

    @property
    def about(self) -> str | None:
        """For a feed, API or calendar file about one record: that record's page, whose being
        affected by an edit means this file is too (incremental.py). None: about the whole record."""
        if self.page is not None:
            return self.page.src_uri
        if match := ABOUT_ENTITY.fullmatch(self.path):
            return entity_uri(match.group(1))
        if match := ABOUT_EVENT.fullmatch(self.path):
            return event_uri(match.group(1))
        return None

    @property
    def content(self) -> str:
        return self.make()

    @property
    def in_nav(self) -> bool:
        return self.path in HUBS


def given(text: str) -> Callable[[], str]:
    return lambda: text


def _feed_files(build: Callable[[], Feed]) -> tuple[Callable[[], str], Callable[[], str]]:
    """A feed's Atom and JSON files, its feed built when the first is written and dropped once
    both are (one feed at a time in memory, built once where the same process writes both)."""
    kept: list[Feed] = []

    def write(form: Callable[[Feed], str]) -> str:
        if kept:
            return form(kept.pop())  # the second file: the feed is dropped
        kept.append(build())
        return form(kept[0])

    return partial(write, atom), partial(write, json_feed)


LOCAL_BASE = "http://127.0.0.1:8000/"  # where `mkdocs serve` shows the site when no site_url is set


def site_files(
    writer: SiteWriter, root: Path, repo_url: str | None, site_url: str | None, local_base: str = LOCAL_BASE
) -> list[SiteFile]:
    """The generated pages, the contributing guide, redirect pages, feeds, the JSON API and the stylesheet."""
    files = [SiteFile(page.src_uri, page.render, page, page.edit_path) for page in writer.pages()]
    feeds = writer.feed_writer(site_url or local_base)
    for path, build in feeds.feed_makers():
        atom_text, json_text = _feed_files(build)
        files.append(SiteFile(path, atom_text))
        files.append(SiteFile(path.removesuffix(".atom") + ".json", json_text))
    files += [SiteFile(path, make) for path, make in feeds.calendars()]
    files += [SiteFile(path, make) for path, make in ApiWriter(writer, site_url or local_base).documents()]  # api/v1/
    files += [SiteFile(redirect.path, given(redirect.html)) for redirect in writer.redirects(site_url)]
    guide = root / GUIDE_FILE
    if guide.is_file():
        text = site_markdown(guide.read_text("utf-8"), repo_url)
        files.append(SiteFile(GUIDE_PAGE, given(expand_snippets(text, GUIDE_PAGE, writer)[0]), source=GUIDE_FILE))
    for path, asset in ((STYLESHEET, "timeline.css"), (SCRIPT, "timeline.js"), (SEARCH_WORKER, "search-worker.js")):
        files.append(SiteFile(path, given(resources.files(__package__).joinpath("assets", asset).read_text("utf-8"))))
    return files


def expand_snippets(markdown: str, src_uri: str, writer: SiteWriter) -> tuple[str, list[str]]:
    """`<!-- timeline:overdue -->` and the like replaced by their generated Markdown; the names
    no block answers to are returned (and left as they are)."""
    missing: list[str] = []

    def expand(match: re.Match[str]) -> str:
        block = writer.snippet(match.group(1), src_uri)
        if block is None:
            missing.append(match.group(1))
            return match.group(0)
        return block

    return SNIPPET.sub(expand, markdown), missing


def page_meta(page: Page, described: bool = True) -> dict[str, object]:
    """Title and description for the theme, which prints both raw into <title> and <meta>;
    listing pages are left out of Material's search index. Without `described`, no description
    (the process that renders the page's theme makes it)."""
    meta: dict[str, object] = {"title": html.escape(page.title)}
    if described:
        meta["description"] = html.escape(page.description)
    if not page.searchable:
        meta["search"] = {"exclude": True}
    return meta
