"""Renames keep URLs: `redirect_from` lists old IDs, whose addresses lead to the new page."""

from __future__ import annotations

import re

from ai_timeline.cli import main
from sitebuild import SOURCE, build_in_process, fixture_project

EVENT = "title: Acme ships Widget <2>\ndate: 2026-05\nkind: launch\nentities: [acme]\nsummary: Fine.\nsources:" + SOURCE


def test_old_addresses_redirect_to_the_renamed_pages(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme-corp.yaml": "name: Acme & Co\nkind: company\nredirect_from: [acme]\n",
            "2026/widget-ships.yaml": EVENT.replace("[acme]", "[acme-corp]").replace("<2>", "< 2 >")
            + "redirect_from:\n  - widget-launch\n  - widget-release\n",
        },
    )
    assert main(["check", "--root", str(project)]) == 0
    result = build_in_process(project, tmp_path / "site", SITE_URL="https://timeline.example/")
    assert result.ok, result.log
    for old, target in (
        ("events/widget-launch", "../widget-ships/"),
        ("events/widget-release", "../widget-ships/"),
        ("entities/acme", "../acme-corp/"),
    ):
        html = (tmp_path / "site" / old / "index.html").read_text("utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
        assert f'<a href="{target}">' in html
        assert '<meta name="robots" content="noindex">' in html
    event = (tmp_path / "site" / "events/widget-launch/index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://timeline.example/events/widget-ships/">' in event
    assert "Acme ships Widget &lt; 2 &gt;" in event  # the title, escaped
    assert "Acme &amp; Co" in (tmp_path / "site" / "entities/acme/index.html").read_text("utf-8")


def test_an_old_id_that_is_a_current_id_or_claimed_twice_is_refused(timeline_project):
    timeline_project.write("2026/first.yaml", timeline_project.valid_event + "redirect_from: [valid-sibling, gone]\n")
    timeline_project.write("2026/second.yaml", timeline_project.valid_event + "redirect_from: [gone, index]\n")
    _, report = timeline_project.load()
    messages = sorted((d.path, d.line, d.message) for d in report.errors)
    assert messages == [
        (
            "events/2026/first.yaml",
            12,
            "'valid-sibling' is a current ID (events/2026/valid-sibling.yaml), so it cannot redirect here",
        ),
        ("events/2026/second.yaml", 12, "'gone' already redirects to events/2026/first.yaml"),
        ("events/2026/second.yaml", 12, "'index' is a current ID (the site's own pages), so it cannot redirect here"),
    ]


def test_redirect_pages_work_without_directory_urls(tmp_path):
    project = fixture_project(
        tmp_path, {"entities/acme.yaml": "name: Acme\nkind: company\n", "2026/new-id.yaml": EVENT + "redirect_from: [old-id]\n"}
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "use_directory_urls: false\n", "utf-8")
    assert build_in_process(project, tmp_path / "site").ok
    html = (tmp_path / "site" / "events" / "old-id.html").read_text("utf-8")
    assert re.search(r'content="0; url=new-id\.html"', html)
