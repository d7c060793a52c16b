"""Portable: `timeline export` gives a folder that plain mkdocs-material builds into the same
site, and the project builds unchanged under ProperDocs (a maintained MkDocs 1.x fork)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
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


class VisibleText(HTMLParser):
    """Text a reader sees: not inside code, scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.skip, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("code", "pre", "script", "style")

    def handle_endtag(self, tag):
        self.skip -= tag in ("code", "pre", "script", "style")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


UNRENDERED = ("```", "](", "**", "[[", "]]", "<!--", "|---", "{ .", "{: ")


def _table_count(markdown: str) -> int:
    """Tables in Markdown: delimiter rows such as |---|:--:|, and raw HTML tables (the overview's)."""
    body = re.sub(r"(?ms)^(```|~~~).*?^\1", "", markdown)  # not inside fenced code
    return len(re.findall(r"(?m)^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", body)) + body.count("<table>")


def test_every_page_renders_one_h1_no_leftover_markdown_and_every_table(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AS_OF_EPOCH)
    out = tmp_path / "export"
    assert main(["export", str(out), "--root", str(ROOT)]) == 0
    site = tmp_path / "site"
    assert build_in_process(out, site).ok
    pages = _pages(site)
    problems = []
    for path, html in pages.items():
        if html.count("<h1") != 1:
            problems.append(f"{path}: {html.count('<h1')} <h1> elements")
        parser = VisibleText()
        parser.feed(html[html.find("<article") : html.find("</article>")] if "<article" in html else html)
        text = "".join(parser.parts)
        problems += [f"{path}: unrendered {marker!r}" for marker in UNRENDERED if marker in text]
    for markdown in (out / "docs").rglob("*.md"):
        rel = markdown.relative_to(out / "docs").as_posix().removesuffix(".md")
        html_path = rel.removesuffix("index") + "index.html" if rel.split("/")[-1] == "index" else rel + "/index.html"
        expected = _table_count(markdown.read_text("utf-8"))
        found = pages[html_path].count("<table")
        if expected != found:
            problems.append(f"{html_path}: {expected} tables in the Markdown, {found} in the page")
    assert len(pages) > 30 and not problems, problems[:10]


def test_the_export_carries_the_data_as_json(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", AS_OF_EPOCH)
    assert main(["export", str(tmp_path / "out"), "--root", str(ROOT)]) == 0
    data = json.loads((tmp_path / "out" / "docs" / "data" / "timeline.json").read_text("utf-8"))
    assert data["schema_version"] == 1 and data["as_of"] == "2026-11-24" and data["licence"]["id"] == "CC-BY-4.0"
    ids = {e["id"] for e in data["events"]}
    assert {p.stem for p in (ROOT / "events").glob("20*/*.yaml")} == ids
    api = next(p for p in data["promises"] if p["id"] == "muse-spark-api-planned-with-launch")
    assert (api["status"], api["slips"], api["original_due"]["value"], api["current_due"]["value"]) == (
        "overdue",
        2,
        "2026-04",
        "2026-06",
    )


def test_export_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine", "utf-8")
    assert main(["export", str(tmp_path), "--root", str(ROOT)]) == 1
    assert "is not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_the_project_builds_under_properdocs_into_the_same_pages(tmp_path, plugin_site):
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=build_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "ai_timeline" in result.stderr  # the plugin ran
    assert set(_pages(site)) == set(_pages(plugin_site))


def test_the_export_keeps_titles_outside_the_basic_plane(tmp_path, monkeypatch):
    from sitebuild import SOURCE, fixture_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", AS_OF_EPOCH)
    project = fixture_project(
        tmp_path / "p",
        {
            "entities/acme.yaml": "name: Acme 𝕏\nkind: company\n",
            "2026/rocket.yaml": "title: Acme launches 🚀\ndate: 2026-05\nkind: launch\nentities: [acme]\nsummary: Up.\nsources:"
            + SOURCE,
        },
    )
    assert main(["export", str(tmp_path / "out"), "--root", str(project)]) == 0
    assert build_in_process(tmp_path / "out", tmp_path / "site").ok
    html = (tmp_path / "site" / "events" / "rocket" / "index.html").read_text("utf-8")
    assert "<title>Acme launches 🚀 - AI Promises Timeline</title>" in html and "title: " not in html


def test_export_refuses_a_file_or_a_folder_without_mkdocs_yml(tmp_path, capsys):
    (tmp_path / "file").write_text("x", "utf-8")
    assert main(["export", str(tmp_path / "file"), "--root", str(ROOT)]) == 1
    assert main(["export", str(tmp_path / "out"), "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "is a file" in err and "no mkdocs.yml" in err and "Traceback" not in err
