"""Helpers that build real sites through MkDocs for the integration tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from ai_timeline import searchdocs

ROOT = Path(__file__).resolve().parent.parent
AS_OF_EPOCH = "1795478400"  # 2026-11-24T00:00:00Z
MKDOCS = [sys.executable, "-m", "mkdocs"]


def build_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REPO_URL", "SITE_URL")}
    env.update(SOURCE_DATE_EPOCH=AS_OF_EPOCH, NO_MKDOCS_2_WARNING="1", **extra)
    return env


def mkdocs_build(project: Path, site_dir: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site_dir)],
        cwd=project,
        env=build_env(**env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def fixture_project(tmp: Path, events: dict[str, str]) -> Path:
    """A minimal project: the real mkdocs.yml and docs, with the given events folder."""
    project = tmp / "project"
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(ROOT / "CONTRIBUTING.md", project / "CONTRIBUTING.md")
    shutil.copytree(ROOT / "events" / "_templates", project / "events" / "_templates")
    write(project / "events", events)
    return project


SOURCE = """
  - publisher: Example News
    title: An example report
    date: 2026-05-02
    type: primary
    url: https://example.com/report?a=1&b=(2)
"""


class BuildResult:
    def __init__(self, ok: bool, log: str) -> None:
        self.ok, self.log = ok, log


def build_in_process(project: Path, site_dir: Path, **env: str) -> BuildResult:
    """`mkdocs build --strict` without a new interpreter (a tenth of the time), for tests that
    build many small sites. Anything but a clean build or MkDocs' own Abort propagates: a crash
    is a failure of the test, never a "failed build"."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    saved = {k: os.environ.get(k) for k in ("REPO_URL", "SITE_URL", "SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING", *env)}
    os.environ.pop("REPO_URL", None)
    os.environ.pop("SITE_URL", None)
    os.environ.update(SOURCE_DATE_EPOCH=AS_OF_EPOCH, NO_MKDOCS_2_WARNING="1", **env)
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(f"{record.levelname}: {record.getMessage()}")

    handler = Collect(logging.INFO)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
            ok = True
        except Abort as exc:
            records.append(f"ABORT: {exc}")
            ok = False
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return BuildResult(ok, "\n".join(records))


def search_index(site: Path) -> dict:
    """The site's search index with its documents, wherever they are: the plugin puts them in
    a file of their own that the index's config names (docs_file), the event and entity pages'
    ones packed; plain Material keeps them in."""
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    if docs_file := index["config"].get("docs_file"):
        documents = json.loads((site / docs_file).read_text("utf-8"))
        index["docs"] = documents["docs"] + searchdocs.unpack(documents["packed"])
    return index
