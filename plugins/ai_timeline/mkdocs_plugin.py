"""The only module that speaks MkDocs: it feeds the core's pages and diagnostics to a build."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import posixpath
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import TableOfContents
from mkdocs.utils.templates import TemplateContext

from . import incremental, searchdocs
from .check_cache import FileCache
from .diagnostics import WARNING
from .forked import fork_map, planned
from .pages import Page, SiteWriter, error_banner
from .project import load_graph, resolve_as_of
from .site import OVERRIDES, SCRIPT, STYLESHEET, SiteFile, expand_snippets, page_meta, site_files

log = get_plugin_logger(__name__)
SEARCH_DOCS = "search_docs.json"  # beside search_index.json, named in its config
PREBUILT_TEMPLATE = "timeline-prebuilt.html"  # in overrides/: a page whose HTML a worker already made
BODY_START = re.compile(r"<body[^>]*>")
# A relative URL of path segments none of which is "." or "..": joined to a base, it only appends.
PLAIN_URL = re.compile(r"(?:[A-Za-z0-9_~%-][A-Za-z0-9_~%.-]*/)*(?:[A-Za-z0-9_~%-][A-Za-z0-9_~%.-]*)?")


@lru_cache
def _path_of(base: str) -> str:
    return urlsplit(base).path


class TimelineConfig(Config):
    events_dir = opt.Type(str, default="events")
    as_of = opt.Optional(opt.Type(str))
    # Data warnings fail `mkdocs build --strict` as they fail `timeline check`; true relaxes the
    # build as `timeline check --allow-warnings` relaxes the check.
    allow_warnings = opt.Type(bool, default=False)


class GeneratedFile(File):
    """A generated file that knows whether the previous build of this `mkdocs serve --dirty`
    session is out of date: a page an edit affects (incremental.py), the guide if its text
    changed. MkDocs then rebuilds only those."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class WrittenFile(File):
    """A file the plugin writes to the site itself (see `TimelinePlugin._write`); MkDocs knows
    of it so that links to it are checked."""

    def is_modified(self) -> bool:
        return False

    def copy_file(self, dirty: bool = False) -> None:
        pass


class PrerenderedPage(MkDocsPage):
    """A generated page that MkDocs' reading loop may leave unconverted (`deferred`): a build on
    several cores converts it in a worker (`TimelinePlugin.on_env`), `serve` when MkDocs' loop
    writes it. Converted by MkDocs' own `render` either way, so the HTML is what MkDocs would
    have made of the same Markdown, byte for byte."""

    # While serving, a page is converted only when MkDocs' loop comes to write it (on_page_context),
    # so that the edited event's page shows before the long listings that also changed.
    deferred = False

    def _set_canonical_url(self, base: str | None) -> None:
        # MkDocs' urljoin and urlsplit, for every one of thousands of pages, every serve rebuild:
        # for a plain relative path on a plain base they only concatenate.
        url = self.url
        if base and PLAIN_URL.fullmatch(url) and "?" not in base and "#" not in base:
            base = base if base.endswith("/") else base + "/"
            self.canonical_url, self.abs_url = base + url, _path_of(base) + url
        else:
            super()._set_canonical_url(base)

    def read_source(self, config: MkDocsConfig) -> None:
        if self.deferred:
            self.markdown, self.meta = "", {}
        else:
            super().read_source(config)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.deferred:
            self.content = ""
        else:
            super().render(config, files)


@dataclass
class Converted:
    """What MkDocs' `render` leaves on a page, in a form a worker process can send back."""

    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str] | None
    links_to_anchors: dict[str, dict[str, str]] | None  # linked page's src_uri -> {anchor: link}
    logged: list[logging.LogRecord]
    search_document: dict[str, str] | None = None  # an event's or entity's, made with its page


def _material_search_index(config: MkDocsConfig) -> Any:
    """Material's search plugin's index of this build, if the plugin is on."""
    for plugin in config.plugins.values():
        if hasattr(plugin, "search_index") and hasattr(plugin.search_index, "entries"):
            return plugin.search_index
    return None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # picklable whatever the arguments were
        self.records.append(record)


def _write_file(path: str, data: bytes, whole: bool = False) -> None:
    """Writes a file, its folder made if need be; `whole`: replaced at once (under `serve`, the
    server may be sending the old one)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    written = path + ".part" if whole else path
    with open(written, "wb") as output:
        output.write(data)
    if whole:
        os.replace(written, path)


class _Written(logging.Filter):
    """Quiets MkDocs' "Page skipped" note for the pages whose HTML a worker wrote: their template
    renders nothing, so that MkDocs' loop neither reads them back nor writes them again."""

    def __init__(self, pages: Sequence[MkDocsPage]) -> None:
        super().__init__()
        self.notes = {f"Page skipped: '{page.file.src_uri}'. Generated empty output." for page in pages}

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.notes


BUILD_LOG = logging.getLogger("mkdocs.commands.build")


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in memory; Jinja checks each against its source's checksum."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.stored.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


class TimelinePlugin(BasePlugin[TimelineConfig]):
    serving = False
    dirty = False
    error_banner: str | None = None
    file_cache: FileCache | None = None
    writing: threading.Thread | None = None  # the previous serve build's whole-record files

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # While `mkdocs serve` runs, a broken file must not stop the preview: the site is built
        # from the files that load, and every page says what is wrong until the next save fixes it.
        self.serving = command == "serve"
        # Defining on_startup keeps this instance alive across the rebuilds of a serve, so the
        # content hashes of the previous build are still here when an edit triggers the next.
        self.dirty = dirty and self.serving
        self.built: dict[str, str] = {}  # site path -> hash of what the previous build generated
        self.links: dict[str, frozenset[str]] = {}  # generated page -> the pages it linked to when last rendered
        self.search_entries: dict[str, list[dict]] = {}  # page URL -> its entries in Material's search index
        self._indexed = 0  # how many entries Material's index had before the page being built
        self.compiled = _CompiledTemplates()
        self.search_made: dict[str, searchdocs.Document] = {}  # by src_uri, made where the page was converted
        self.written: _Written | None = None  # pages a worker wrote, while MkDocs' loop passes them

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        config.watch.append(str(self.root / self.config.events_dir))
        config.extra_css.append(STYLESHEET)
        config.extra_javascript.append(SCRIPT)
        config.theme.dirs.insert(0, str(OVERRIDES))  # feed links in every page's <head>
        if not config.repo_url:  # edit links need a repository; none is configured locally
            config.edit_uri = None
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self._finish_writing()  # the last build's, before anything of this one is written
        if self.serving:
            # A serve process keeps the last build's thousands of pages and records: Python's
            # collector would walk them all, again and again, during each rebuild (measured: a
            # tenth of a rebuild at 4,000 events). It runs again once the build is over.
            gc.disable()
        # Unchanged files' own results come from .timeline-cache/ (signed, never trusted from the
        # repository; TIMELINE_NO_CACHE=1 turns it off); while serving, the cache stays open with
        # the records it built, so that a rebuild rereads the edited file only.
        if self.file_cache is not None:
            self.file_cache.next_run()
        elif self.serving:
            self.file_cache = FileCache.open(self.root)
        graph, report = load_graph(self.root, self.config.events_dir, cache=True, file_cache=self.file_cache)
        warn = log.info if self.config.allow_warnings else log.warning
        for diagnostic in report.sorted():
            (warn if diagnostic.severity == WARNING else log.error)(str(diagnostic))
        self.error_banner = None
        if report.errors and not self.serving:
            raise Abort(f"{len(report.errors)} error(s) in {self.config.events_dir}/; run 'timeline check' for the list")
        if report.errors:
            self.error_banner = error_banner(report.sorted())
        as_of, origin = resolve_as_of(self.config.as_of, os.environ.get("SOURCE_DATE_EPOCH"), graph)
        log.info(f"Timeline as of {as_of.isoformat()} (from {origin}).")
        previous, self.writer = (
            getattr(self, "writer", None),
            SiteWriter(graph, as_of, config.use_directory_urls, record_links=self.dirty),
        )
        self.search_docs = searchdocs.documents(self.writer)
        # The project's root as seen from docs/, for edit links: a source is a path under the root.
        from_docs = Path(os.path.relpath(self.root, Path(config.docs_dir).resolve())).as_posix()
        local = f"http://{config.dev_addr.host}:{config.dev_addr.port}/"
        items = site_files(self.writer, self.root, config.repo_url, config.site_url or None, local)
        self.pages: dict[str, Page] = {item.path: item.page for item in items if item.page is not None}
        affected, touched = self._affected(previous) if self.dirty and previous is not None else (None, None)
        # Search entries made with their pages, kept across a serve's rebuilds but for the pages
        # this one rebuilds (an entry shows nothing its page does not).
        if affected is None:
            self.search_made = {}
        for path in affected or ():
            self.search_made.pop(path, None)
        written: list[tuple[SiteFile, File]] = []
        self.later: list[tuple[SiteFile, File]] = []  # written in on_post_build (while serving)
        for item in items:
            if item.path in files.src_uris:  # site paths are POSIX already
                raise Abort(f"docs/{item.path} clashes with a page the timeline generates; rename or remove it")
            if item.page is None and not item.path.endswith(".md"):
                static = WrittenFile(item.path, None, config.site_dir, config.use_directory_urls)
                files.append(static)
                if touched is not None and item.about is None:
                    self.later.append((item, static))  # about the whole record: after the pages
                elif touched is None or item.about in touched:
                    written.append((item, static))
                continue
            inclusion = InclusionLevel.UNDEFINED if item.in_nav or item.page is None else InclusionLevel.NOT_IN_NAV
            # A page's Markdown is rendered later, and only if the page is built (on_nav,
            # on_page_read_source); its file holds nothing meanwhile.
            file = GeneratedFile.generated(config, item.path, content="" if item.page else item.content, inclusion=inclusion)
            assert isinstance(file, GeneratedFile)  # `generated` builds an instance of the class it is called on
            if self.dirty:
                # A page an edit affects is rebuilt, converted only when MkDocs' loop writes it.
                file.changed = (
                    (affected is None or item.path in affected) if item.page else self._changed(item.path, item.content)
                )
            # Percent-encoded: whatever a path held, it cannot leave the href.
            file.edit_uri = quote(posixpath.normpath(posixpath.join(from_docs, item.source)), safe="/.") if item.source else None
            files.append(file)
            if inclusion is InclusionLevel.NOT_IN_NAV:
                PrerenderedPage(None, file, config)
        fork_map(self._write, written, self.workers)
        if affected is not None:
            changed = sum(1 for file in files if isinstance(file, GeneratedFile) and file.changed)
            log.info(f"Timeline: an edit affects {changed} of {len(self.pages)} generated pages; only those are rebuilt.")
        if self.dirty:
            self._age_pages_whose_blocks_changed(files)
        return files

    @property
    def workers(self) -> int | None:
        # While serving, pages render here, so that the links they record stay (see _affected);
        # an edit renders few pages anyway.
        return 1 if self.serving else None

    def _affected(self, previous: SiteWriter) -> tuple[set[str] | None, set[str] | None]:
        """(the generated pages an edit may have changed, the records' pages whose feeds and API
        files it may have changed); None: everything (see incremental.py)."""
        if incremental.everything_changed(previous, self.writer):
            return None, None
        change = incremental.changed_pages(previous, self.writer)
        for path in change.placed & self.pages.keys():
            _ = self.pages[path].markdown  # rendered first: where its page links now counts too
        affected = incremental.affected_pages(change, self.links, self.writer.links, self.pages)
        showing_own = {page for page, targets in self.links.items() if targets & change.own}
        return affected, affected | change.own | showing_own

    def _write(self, job: tuple[SiteFile, File]) -> None:
        """A feed, API file, stylesheet... made and written to the site at once, so that the
        thousands of them are never all in memory together (and on every core)."""
        item, file = job
        content = item.content
        if not self.dirty or self._changed(item.path, content):
            _write_file(file.abs_dest_path, content.encode("utf-8"), whole=self.serving)

    def _write_later(self, jobs: list[tuple[SiteFile, File]], search_docs: Path | None) -> None:
        try:
            for job in jobs:
                self._write(job)
            self._write_search_docs(search_docs)
        except Exception as exc:  # a thread's error would otherwise go to stderr as a traceback
            log.error(f"Timeline: could not write the whole record's files: {exc}")
        else:
            log.info(f"Timeline: wrote the {len(jobs)} files about the whole record and the search documents.")
        finally:
            gc.enable()  # off since the build began (on_files)

    def _finish_writing(self) -> None:
        if self.writing is not None:
            self.writing.join()
            self.writing = None

    def on_shutdown(self) -> None:
        self._finish_writing()

    def _age_pages_whose_blocks_changed(self, files: Files) -> None:
        """A hand-written page is rebuilt by `serve --dirty` only if its source is newer than its
        built copy; one whose generated blocks (latest events, overdue promises...) changed is
        made so by dating its built copy back."""
        for file in files.documentation_pages():
            if isinstance(file, GeneratedFile) or not file.abs_src_path:
                continue
            expanded, _ = expand_snippets(Path(file.abs_src_path).read_text("utf-8"), file.src_uri, self.writer)
            if self._changed(file.src_uri, expanded) and os.path.exists(file.abs_dest_path):
                os.utime(file.abs_dest_path, (0, 0))

    def _changed(self, path: str, content: str) -> bool:
        """Always true but in `serve --dirty`, where it is true only if this build's content of
        `path` (the guide, a feed or API file an edit touched, a hand-written page's timeline
        blocks) differs from the previous build's."""
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        previous, self.built[path] = self.built.get(path), digest
        return not self.dirty or previous != digest

    @event_priority(100)  # before any other plugin reads the page's HTML
    def _convert_deferred(
        self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        if isinstance(page, PrerenderedPage) and page.deferred:
            self._populate(page)
        return context

    @event_priority(-100)  # after Material's search plugin has indexed the page
    def _keep_search_entries(
        self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # Each page's entries are kept across a serve's rebuilds: a dirty rebuild indexes only the
        # pages it rebuilds, and Material's merging of the rest loses entries when the home page
        # is one of them.
        if (index := _material_search_index(config)) is not None:
            self.search_entries[page.url], self._indexed = index.entries[self._indexed :], len(index.entries)
        return context

    on_page_context = CombinedEvent(_convert_deferred, _keep_search_entries)

    @event_priority(-100)  # after Material's search plugin has written the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.links.update(self.writer.links)
        self._unquiet()
        docs = self._point_index_at_docs(config)
        if not self.serving:
            self._write_search_docs(docs)
            return
        # The files about the whole record (the API's events.json, the search documents...) are
        # written while the browser already shows the edit: MkDocs' server answers no request
        # until a build is over. Each file is replaced whole, and the next build waits for them.
        self.writing = threading.Thread(target=self._write_later, args=(self.later, docs), name="timeline-writer")
        self.writing.start()

    def on_build_error(self, *, error: Exception) -> None:
        self._unquiet()
        if self.serving:
            gc.enable()

    def _unquiet(self) -> None:
        if self.written is not None:
            BUILD_LOG.removeFilter(self.written)
            self.written = None

    def _point_index_at_docs(self, config: MkDocsConfig) -> Path | None:
        """Material's search_index.json made to name the file of the documents, which the search
        worker fetches and parses: the page itself reads only the config (Material parses the
        index on the main thread). Returns that file's path (None: no search index)."""
        index = Path(config.site_dir) / "search" / "search_index.json"
        if not index.is_file():
            return None
        data = json.loads(index.read_text("utf-8"))
        data["config"]["docs_file"], data["docs"] = f"search/{SEARCH_DOCS}", []
        index.write_text(json.dumps(data, separators=(",", ":"), default=str), "utf-8")
        return index.parent / SEARCH_DOCS

    def _write_search_docs(self, path: Path | None) -> None:
        if path is None:
            return
        # Material's entries, the hand-written pages' (each page's kept across a serve's
        # rebuilds), then the event and entity pages' documents, made from the graph and packed.
        pages = [file.url for file in self._files.documentation_pages()]
        handwritten = [entry for url in pages for entry in self.search_entries.get(url, [])]
        made = [self.search_made.get(uri) or make() for uri, make in self.search_docs.items()]
        documents = {"docs": handwritten, "packed": searchdocs.pack(made)}
        _write_file(str(path), json.dumps(documents, separators=(",", ":"), default=str).encode("utf-8"), whole=self.serving)

    def on_page_read_source(self, page: MkDocsPage, config: MkDocsConfig) -> str | None:
        generated = self.pages.get(page.file.src_uri)
        return generated.render() if generated is not None else None

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        """Leave the generated leaf pages unconverted by MkDocs' reading loop: rendering their
        Markdown and converting it is most of a build. While serving, each is converted when
        MkDocs' loop writes it; in a build on several cores, workers do it (on_env)."""
        todo = [
            file.page for file in files.documentation_pages() if isinstance(file.page, PrerenderedPage) and file.is_modified()
        ]
        self._files, self._config, self._nav = files, config, nav  # for the forked workers
        self._indexed = len(index.entries) if (index := _material_search_index(config)) is not None else 0
        if self.serving or planned(len(todo), self.workers) > 1:
            for page in todo:
                page.deferred = True
        return nav

    def _apply(self, page: MkDocsPage, converted: Converted, replay: bool = True) -> None:
        page.content, page.toc, page.markdown = converted.content, converted.toc, ""
        page._title_from_render, page.present_anchor_ids = converted.title, converted.anchors
        if converted.links_to_anchors is not None:
            page.links_to_anchors = {
                linked: anchors
                for uri, anchors in converted.links_to_anchors.items()
                if (linked := self._files.get_file_from_path(uri)) is not None
            }
        for record in converted.logged if replay else ():
            logging.getLogger(record.name).handle(record)

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Every other page is populated now: the generated leaf pages can be converted and their
        theme rendered, on every core, as MkDocs' loop would do it. Each worker writes its pages'
        HTML to the site and sends back only what the rest of the build reads (title, anchors,
        log; the HTML body of the few pages Material's search indexes), so that no process holds
        every page. MkDocs' loop then gives each page's context to the plugins (search...) and
        renders it through a template that makes nothing, which it does not write."""
        if self.serving:  # each rebuild has a new environment: compile the theme once a session
            env.bytecode_cache = self.compiled
        todo = [
            file.page
            for file in files.documentation_pages(inclusion=InclusionLevel.is_included)
            if isinstance(file.page, PrerenderedPage) and file.is_modified()
        ]
        if self.serving or planned(len(todo), self.workers) <= 1:
            return env  # one process: MkDocs' own loop does it
        self._env, self._included = env, files.documentation_pages(inclusion=InclusionLevel.is_included)
        for page, converted in zip(todo, fork_map(self._theme, todo, self.workers), strict=True):
            page.deferred = False
            self._apply(page, converted)
            if converted.search_document is not None:
                self.search_made[page.file.src_uri] = converted.search_document
        for page in todo:
            page.meta["template"] = PREBUILT_TEMPLATE
        self.written = _Written(todo)
        BUILD_LOG.addFilter(self.written)
        return env

    def _theme(self, page: PrerenderedPage) -> Converted:
        """What MkDocs' `_populate_page` and `_build_page` do to a page, run in a worker. Returns
        what the main process needs of the page."""
        config = self._config
        converted = self._populate(page, replay=False)  # the main process replays the log
        if not page.meta.get("search", {}).get("exclude"):  # Material's search plugin reads it
            converted.content, converted.toc = page.content or "", page.toc
        else:
            converted.content, converted.toc = "", TableOfContents([])
        config._current_page, page.active = page, True
        context = get_context(self._nav, self._included, config, page)
        template = self._env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=self._nav)
        output = config.plugins.on_post_page(template.render(context), page=page, config=config)
        if output.strip():
            _write_file(page.file.abs_dest_path, output.encode("utf-8", errors="xmlcharrefreplace"))
        page.content, page.toc = converted.content, converted.toc  # the rest of the page is not kept
        return converted

    def _populate(self, page: PrerenderedPage, replay: bool = True) -> Converted:
        """A deferred page converted here, as MkDocs' `_populate_page` would have done it, with its search entry."""
        converted = self._convert(page)
        if (make := self.search_docs.get(page.file.src_uri)) is not None:
            converted.search_document = self.search_made[page.file.src_uri] = make()
        page.deferred = False
        self._apply(page, converted, replay)
        config = self._config
        page.content = config.plugins.on_page_content(page.content or "", page=page, config=config, files=self._files)
        return converted

    def _convert(self, page: MkDocsPage) -> Converted:
        """MkDocs' own conversion of one generated page, its log kept to be replayed in order."""
        logger, collect = logging.getLogger("mkdocs"), _Collect()
        handlers, logger.handlers = logger.handlers, [collect]
        try:
            generated = self.pages[page.file.src_uri]
            page.meta.update(page_meta(generated))
            page.markdown = generated.markdown if self.serving else generated.render()
            MkDocsPage.render(page, self._config, self._files)
        finally:
            logger.handlers = handlers
        assert page.content is not None
        links = page.links_to_anchors
        converted = Converted(
            page.content,
            page.toc,
            page._title_from_render,
            page.present_anchor_ids,
            None if links is None else {file.src_uri: anchors for file, anchors in links.items()},
            collect.records,
        )
        page.content = page.markdown = None  # the caller sets them, in whichever process it is
        return converted

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        banner = self.error_banner
        if banner is None:
            return output
        return BODY_START.sub(lambda match: match.group(0) + banner, output, count=1)

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            # A page converted later is described then: its description is a summary's plain text.
            page.meta.update(page_meta(generated, described=not (isinstance(page, PrerenderedPage) and page.deferred)))
            if page.file.src_uri in self.search_docs:  # its entry is made from the graph (on_post_build)
                page.meta["search"] = {"exclude": True}
            return markdown

        expanded, unknown = expand_snippets(markdown, page.file.src_uri, self.writer)
        for name in unknown:
            log.warning(f"docs/{page.file.src_uri}: unknown timeline block '{name}'")
        return expanded
