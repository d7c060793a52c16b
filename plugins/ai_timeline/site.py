"""Every file the timeline adds to a site, as plain data: what both the MkDocs adapter and
`timeline export` write, so the two can never drift apart.

Markdown pages carry their title and description as plain text; whoever writes them out
escapes them for the theme (Material prints both raw into <title> and <meta>).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .api import ApiWriter
from .feeds import atom, json_feed
from .guide import GUIDE_FILE, GUIDE_PAGE, site_markdown
from .pages import Page, SiteWriter

STYLESHEET = "assets/ai-timeline.css"
SCRIPT = "assets/ai-timeline.js"  # the timeline filters
OVERRIDES = Path(__file__).parent / "overrides"  # theme templates: feed links in every page's <head>
HUBS = frozenset(
    {"timeline.md", "entities/index.md", "promises.md", "track-record.md", GUIDE_PAGE}
)  # generated pages a nav may list
SNIPPET = re.compile(r"<!--\s*timeline:([a-z-]+)\s*-->")


@dataclass(frozen=True)
class SiteFile:
    path: str  # where it sits in the docs folder, with forward slashes
    content: str
    page: Page | None = None  # for a Markdown page: its title, description and source file
    source: str | None = None  # the repository file a reader would edit, relative to the root

    @property
    def in_nav(self) -> bool:
        return self.path in HUBS


LOCAL_BASE = "http://127.0.0.1:8000/"  # where `mkdocs serve` shows the site when no site_url is set


def site_files(
    writer: SiteWriter, root: Path, repo_url: str | None, site_url: str | None, local_base: str = LOCAL_BASE
) -> list[SiteFile]:
    """The generated pages, the contributing guide, redirect pages, feeds, the JSON API and the stylesheet."""
    files = [SiteFile(page.src_uri, page.markdown, page, page.edit_path) for page in writer.pages()]
    feeds = writer.feed_writer(site_url or local_base)
    for feed in feeds.feeds():
        files.append(SiteFile(feed.path, atom(feed)))
        files.append(SiteFile(feed.path.removesuffix(".atom") + ".json", json_feed(feed)))
    files += [SiteFile(path, text) for path, text in feeds.calendars()]
    files += [SiteFile(path, text) for path, text in ApiWriter(writer, site_url or local_base).files()]  # api/v1/
    files += [SiteFile(redirect.path, redirect.html) for redirect in writer.redirects(site_url)]
    guide = root / GUIDE_FILE
    if guide.is_file():
        text = site_markdown(guide.read_text("utf-8"), repo_url)
        files.append(SiteFile(GUIDE_PAGE, expand_snippets(text, GUIDE_PAGE, writer)[0], source=GUIDE_FILE))
    css = resources.files(__package__).joinpath("assets", "timeline.css").read_text("utf-8")
    files.append(SiteFile(STYLESHEET, css))
    script = resources.files(__package__).joinpath("assets", "timeline.js").read_text("utf-8")
    files.append(SiteFile(SCRIPT, script))
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


def page_meta(page: Page) -> dict[str, object]:
    """Title and description for the theme, which prints both raw into <title> and <meta>;
    listing pages are left out of Material's search index."""
    meta: dict[str, object] = {"title": html.escape(page.title), "description": html.escape(page.description)}
    if not page.searchable:
        meta["search"] = {"exclude": True}
    return meta
