"""Portable: `timeline export` gives a folder that plain mkdocs-material builds into the same
site, and the project builds unchanged under ProperDocs (a maintained MkDocs 1.x fork)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ai_timeline.cli import main
from sitebuild import AS_OF_EPOCH, ROOT, build_env, build_in_process


def _pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in site.rglob("*.html")}


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("plugin") / "site"
    result = build_in_process(ROOT, site)
    assert result.ok, result.log
    return site


def test_the_export_builds_without_the_plugin_into_the_same_pages(tmp_path, plugin_site, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AS_OF_EPOCH)
    out = tmp_path / "export"
    assert main(["export", str(out), "--root", str(ROOT)]) == 0
    assert capsys.readouterr().out.startswith("exported ")
    config = (out / "mkdocs.yml").read_text("utf-8")
    assert "- ai-timeline" not in config and "plugins:\n- search\n" in config
    result = build_in_process(out, tmp_path / "site")
    assert result.ok, result.log
    exported, original = _pages(tmp_path / "site"), _pages(plugin_site)
    assert set(exported) == set(original)
    different = [page for page in original if exported[page] != original[page]]
    assert different == [], different[:5]


def test_the_export_carries_the_data_as_json(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AS_OF_EPOCH)
    assert main(["export", str(tmp_path / "out"), "--root", str(ROOT)]) == 0
    data = json.loads((tmp_path / "out" / "docs" / "data" / "timeline.json").read_text("utf-8"))
    assert data["schema_version"] == 1 and data["as_of"] == "2026-11-24" and data["licence"]["id"] == "CC-BY-4.0"
    ids = {e["id"] for e in data["events"]}
    assert {p.stem for p in (ROOT / "events").glob("20*/*.yaml")} == ids
    api = next(p for p in data["promises"] if p["id"] == "muse-spark-api-planned-with-launch")
    assert (api["status"], api["slips"], api["original_due"]["value"], api["current_due"]["value"]) == ("overdue", 2, "2026-04", "2026-06")


def test_export_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine", "utf-8")
    assert main(["export", str(tmp_path), "--root", str(ROOT)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_the_project_builds_under_properdocs_into_the_same_pages(tmp_path, plugin_site):
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=ROOT, env=build_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ai_timeline" in result.stderr  # the plugin ran
    assert set(_pages(site)) == set(_pages(plugin_site))
