"""The only module that speaks MkDocs: it feeds the core's pages and diagnostics to a build."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from urllib.parse import quote

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from .diagnostics import WARNING
from .pages import Page, SiteWriter, error_banner
from .project import load_graph, resolve_as_of
from .site import OVERRIDES, SCRIPT, STYLESHEET, expand_snippets, page_meta, site_files

log = get_plugin_logger(__name__)
BODY_START = re.compile(r"<body[^>]*>")


class TimelineConfig(Config):
    events_dir = opt.Type(str, default="events")
    as_of = opt.Optional(opt.Type(str))
    # Data warnings fail `mkdocs build --strict` as they fail `timeline check`; true relaxes the
    # build as `timeline check --allow-warnings` relaxes the check.
    allow_warnings = opt.Type(bool, default=False)


class GeneratedFile(File):
    """A generated file that knows whether its content changed since the previous build of
    this `mkdocs serve --dirty` session: MkDocs then rebuilds only the pages that did."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


class TimelinePlugin(BasePlugin[TimelineConfig]):
    serving = False
    dirty = False
    error_banner: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # While `mkdocs serve` runs, a broken file must not stop the preview: the site is built
        # from the files that load, and every page says what is wrong until the next save fixes it.
        self.serving = command == "serve"
        # Defining on_startup keeps this instance alive across the rebuilds of a serve, so the
        # content hashes of the previous build are still here when an edit triggers the next.
        self.dirty = dirty and self.serving
        self.built: dict[str, str] = {}  # site path -> hash of what the previous build generated

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
        # Unchanged files' own results come from .timeline-cache/ (signed, never trusted from the
        # repository; TIMELINE_NO_CACHE=1 turns it off): a rebuild during `serve` rereads little.
        graph, report = load_graph(self.root, self.config.events_dir, cache=True)
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
        self.writer = SiteWriter(graph, as_of, config.use_directory_urls)
        self.pages: dict[str, Page] = {}
        docs_dir = Path(config.docs_dir).resolve()
        local = f"http://{config.dev_addr.host}:{config.dev_addr.port}/"
        for item in site_files(self.writer, self.root, config.repo_url, config.site_url or None, local):
            if files.get_file_from_path(item.path) is not None:
                raise Abort(f"docs/{item.path} clashes with a page the timeline generates; rename or remove it")
            inclusion = InclusionLevel.UNDEFINED if item.in_nav or item.page is None else InclusionLevel.NOT_IN_NAV
            file = GeneratedFile.generated(config, item.path, content=item.content, inclusion=inclusion)
            assert isinstance(file, GeneratedFile)  # `generated` builds an instance of the class it is called on
            file.changed = self._changed(item.path, item.content)
            # Percent-encoded: whatever a path held, it cannot leave the href.
            file.edit_uri = (
                quote(Path(os.path.relpath(self.root / item.source, docs_dir)).as_posix(), safe="/.") if item.source else None
            )
            files.append(file)
            if item.page is not None:
                self.pages[item.path] = item.page
        if self.dirty:
            self._age_pages_whose_blocks_changed(files)
        return files

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
        `path` differs from the previous build's: the edited event, its entities, its threads,
        the hubs and feeds that show it, and nothing else."""
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        previous, self.built[path] = self.built.get(path), digest
        return not self.dirty or previous != digest

    def on_post_page(self, output: str, page: MkDocsPage, config: MkDocsConfig) -> str:
        banner = self.error_banner
        if banner is None:
            return output
        return BODY_START.sub(lambda match: match.group(0) + banner, output, count=1)

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        generated = self.pages.get(page.file.src_uri)
        if generated is not None:
            page.meta.update(page_meta(generated))
            return markdown

        expanded, unknown = expand_snippets(markdown, page.file.src_uri, self.writer)
        for name in unknown:
            log.warning(f"docs/{page.file.src_uri}: unknown timeline block '{name}'")
        return expanded
