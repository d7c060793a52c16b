"""`timeline export DIR`: the whole site as plain Markdown plus the data as JSON, in a folder
that plain mkdocs-material builds with no plugin. The data outlives this tool."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from .data import json_text, timeline_data
from .pages import SiteWriter
from .project import load_graph, resolve_as_of
from .site import OVERRIDES, SCRIPT, STYLESHEET, expand_snippets, page_meta, site_files

DATA_FILE = "data/timeline.json"
PLUGIN_NAME = "ai-timeline"


class ExportError(Exception):
    pass


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: `!ENV [NAME, default]` gives its default."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.SequenceNode):
        values = loader.construct_sequence(node)
        return values[-1] if len(values) > 1 else None
    return None


_ConfigLoader.add_constructor("!ENV", _env)


def export(root: Path, out: Path, source_date_epoch: str | None = None) -> str:
    """Write the export; returns a one-line summary. Refuses data with errors or a non-empty `out`."""
    if not (root / "mkdocs.yml").is_file():
        raise ExportError(f"no mkdocs.yml in {root}; run it from the project root or give --root")
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; export into a new folder")
    config = yaml.load((root / "mkdocs.yml").read_text("utf-8"), Loader=_ConfigLoader) or {}
    settings = _plugin_settings(config)
    graph, report = load_graph(root, settings.get("events_dir", "events"))
    if report.errors:
        raise ExportError(f"{len(report.errors)} error(s) in the data; run 'timeline check'")
    if out.exists() and any(out.iterdir()):
        raise ExportError(f"{out} is not empty; export into a new folder")
    as_of, _ = resolve_as_of(settings.get("as_of"), source_date_epoch, graph)
    writer = SiteWriter(graph, as_of, config.get("use_directory_urls", True))
    docs_in, docs_out = root / config.get("docs_dir", "docs"), out / "docs"

    for source in sorted(docs_in.rglob("*")):
        target = docs_out / source.relative_to(docs_in)
        if source.is_dir():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            expanded, _ = expand_snippets(source.read_text("utf-8"), source.relative_to(docs_in).as_posix(), writer)
            target.write_text(expanded, "utf-8")
        else:
            shutil.copyfile(source, target)
    site_files_written = site_files(writer, root, None, config.get("site_url") or None)
    for item in site_files_written:
        target = docs_out / item.path
        target.parent.mkdir(parents=True, exist_ok=True)
        content = item.content
        if item.page is not None:  # the meta the plugin gives the theme, as front matter
            meta = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in page_meta(item.page).items())
            content = f"---\n{meta}---\n\n{content}"
        target.write_text(content, "utf-8")
    data = docs_out / DATA_FILE
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(json_text(timeline_data(graph, writer.records, as_of)), "utf-8")
    leaves = [item.path for item in site_files_written if item.page is not None and not item.in_nav]
    shutil.copytree(OVERRIDES, out / "overrides")
    (out / "mkdocs.yml").write_text(_plain_config(config, leaves), "utf-8")
    return f"exported {len(graph.events)} events and {len(graph.entities)} entities to {out} (as of {as_of.isoformat()})"


def _plugin_settings(config: dict[str, Any]) -> dict[str, Any]:
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and PLUGIN_NAME in plugin:
            return plugin[PLUGIN_NAME] or {}
    return {}


def _plain_config(config: dict[str, Any], leaf_folders: list[str]) -> str:
    """The project's mkdocs.yml without the plugin, and without edit links (they would point
    into this folder's docs/, which is not where the data lives)."""
    plain = {k: v for k, v in config.items() if k not in ("repo_url", "edit_uri", "docs_dir")}
    plain["plugins"] = [
        p for p in config.get("plugins", []) if not (p == PLUGIN_NAME or (isinstance(p, dict) and PLUGIN_NAME in p))
    ]
    plain["extra_css"] = [*config.get("extra_css", []), STYLESHEET]
    plain["extra_javascript"] = [*config.get("extra_javascript", []), SCRIPT]
    plain["theme"] = {**config.get("theme", {}), "custom_dir": "overrides"}  # the feed links the plugin adds
    # Leaf pages stay out of the sidebar, as the plugin keeps them (a nav of thousands grows with N²).
    plain["not_in_nav"] = "\n".join(sorted({f"/{item.split('/')[0]}/" for item in leaf_folders})) + "\n"
    header = "# Made by `timeline export`: the site as plain Markdown; build it with `mkdocs build`.\n"
    return header + yaml.safe_dump(plain, sort_keys=False, allow_unicode=True)
