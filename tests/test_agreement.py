"""`timeline check` passes exactly when `mkdocs build --strict` does, on every fixture of the suite.

The corpus is every events/ folder the data tests loaded (recorded by conftest.py), the
fixture trees under tests/fixtures/, and the real data. Each is checked with the CLI and
built, strictly, with the real mkdocs.yml and docs/.
"""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

import pytest
from ai_timeline.cli import main
from conftest import CORPUS, copy_tree
from sitebuild import ROOT, build_in_process

pytestmark = pytest.mark.agreement
FIXTURE_TREES = sorted(p.parent for p in (ROOT / "tests" / "fixtures").glob("*/events"))


def _check(project: Path, *flags: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["check", "--root", str(project), *flags])
    return status, err.getvalue()


def _project(events_root: Path, work: Path) -> Path:
    """The real mkdocs.yml and docs/ beside a copy's events/ (links and FIFOs kept as they are)."""
    project = work / "project"
    project.mkdir(parents=True)
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copy(ROOT / "CONTRIBUTING.md", project / "CONTRIBUTING.md")
    copy_tree(events_root / "events", project / "events")
    return project


def _disagreements(roots: list[Path], work: Path) -> list[str]:
    found = []
    for number, root in enumerate(roots):
        project = _project(root, work / str(number))
        status, diagnostics = _check(project)
        result = build_in_process(project, work / str(number) / "site")
        if (status == 0) != result.ok:
            found.append(
                f"{root}: check exit {status}, build {'passed' if result.ok else 'failed'}\n"
                f"check said:\n{diagnostics}\nbuild said:\n{result.log}"
            )
    return found


def test_check_and_strict_build_agree_on_every_fixture_the_suite_loaded(tmp_path):
    roots = [*CORPUS.snapshots.values(), *FIXTURE_TREES, ROOT]
    found = _disagreements(roots, tmp_path)
    assert not found, f"{len(found)} of {len(roots)} fixtures disagree:\n\n" + "\n\n".join(found[:5])
    print(f"check and build agree on {len(roots)} fixtures")


def test_allowing_warnings_relaxes_check_and_build_the_same_way(tmp_path, story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "same-again", "2026-04-01", "delay", relations=[{"type": "delays", "event": "p", "new_date": "2026-06"}]
    )
    project = _project(story.project.root, tmp_path)
    strict_status, said = _check(project)
    assert strict_status == 1 and "warning: new date June 2026 is the date already promised" in said
    assert not build_in_process(project, tmp_path / "strict-site").ok

    assert _check(project, "--allow-warnings")[0] == 0
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("events_dir: events", "events_dir: events\n      allow_warnings: true"), "utf-8"
    )
    assert build_in_process(project, tmp_path / "relaxed-site").ok
