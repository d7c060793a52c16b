"""The only module that speaks MkDocs: it feeds the core's pages and diagnostics to a build."""

from __future__ import annotations

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


class TimelinePlugin(BasePlugin[TimelineConfig]):
    serving = False
    error_banner: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # While `mkdocs serve` runs, a broken file must not stop the preview: the site is built
        # from the files that load, and every page says what is wrong until the next save fixes it.
        self.serving = command == "serve"

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
        graph, report = load_graph(self.root, self.config.events_dir)
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
            file = File.generated(config, item.path, content=item.content, inclusion=inclusion)
            # Percent-encoded: whatever a path held, it cannot leave the href.
            file.edit_uri = (
                quote(Path(os.path.relpath(self.root / item.source, docs_dir)).as_posix(), safe="/.") if item.source else None
            )
            files.append(file)
            if item.page is not None:
                self.pages[item.path] = item.page
        return files

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
