"""Helpers that build real sites through MkDocs for the integration tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

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
        cwd=project, env=build_env(**env), capture_output=True, text=True, timeout=300,
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
