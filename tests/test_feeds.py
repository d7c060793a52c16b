"""Feeds: Atom and JSON Feed 1.1 for every event, per entity and for promise status changes;
iCalendar of promised dates. Parsed by real parsers; absolute URLs; everything escaped."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import icalendar
import pytest
from ai_timeline.feeds import FEED_SIZE
from sitebuild import ROOT, SOURCE, build_in_process, fixture_project

LOCAL = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("feeds") / "site"
    result = build_in_process(ROOT, out)
    assert result.ok, result.log
    return out


def _page_exists(site: Path, url: str) -> bool:
    path = url.removeprefix(LOCAL).split("#")[0]
    return (site / path / "index.html").is_file() or (site / path).is_file()


def test_the_atom_feed_of_every_event_parses_with_absolute_links_to_real_pages(site):
    feed = feedparser.parse((site / "feed.atom").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    events = len(list((ROOT / "events").glob("20*/*.yaml")))
    assert len(feed.entries) == min(events, FEED_SIZE)  # the newest; older ones are on the site and in the API
    assert all(e.link.startswith(LOCAL) and _page_exists(site, e.link) for e in feed.entries)
    assert feed.entries[0].updated >= feed.entries[-1].updated  # newest first
    assert "CC-BY-4.0" in feed.feed.rights


def test_the_json_feed_follows_json_feed_1_1(site):
    data = json.loads((site / "feed.json").read_text("utf-8"))
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == LOCAL + "feed.json" and data["home_page_url"] == LOCAL
    assert data["_license"]["id"] == "CC-BY-4.0"
    for item in data["items"]:
        assert {"id", "url", "title", "content_html", "content_text", "date_published"} <= set(item)
        assert item["url"].startswith(LOCAL) and _page_exists(site, item["url"])
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", item["date_published"])


def test_the_promise_feed_carries_status_changes(site):
    titles = [e.title for e in feedparser.parse((site / "promises.atom").read_bytes()).entries]
    assert titles[0].startswith("Overdue: Meta plans to release the Muse Spark API")
    assert sum(t.startswith("Delayed: Meta plans to release the Muse Spark API") for t in titles) == 2
    assert any(t.startswith("Promised: ") for t in titles)


def test_the_calendars_of_promised_dates_parse(site):
    calendar = icalendar.Calendar.from_ical((site / "promised-dates.ics").read_bytes())
    [event] = [c for c in calendar.walk("VEVENT") if "Muse Spark API" in str(c["SUMMARY"])]
    assert (str(event["DTSTART"].to_ical().decode()), str(event["DTEND"].to_ical().decode())) == ("20260601", "20260701")
    assert str(event["URL"]) == LOCAL + "events/muse-spark-api-planned-with-launch/"
    meta = icalendar.Calendar.from_ical((site / "feeds" / "entities" / "meta.ics").read_bytes())
    assert len(meta.walk("VEVENT")) >= 1


def test_feeds_are_linked_from_the_pages_a_reader_looks_at(site):
    home = (site / "index.html").read_text("utf-8")
    assert '<link rel="alternate" type="application/atom+xml" title="Every event (Atom)" href="feed.atom">' in home
    assert 'href="promises.atom"' in home and 'href="promised-dates.ics"' in home  # the Subscribe section
    meta = (site / "entities" / "meta" / "index.html").read_text("utf-8")
    assert (
        'href="../../feeds/entities/meta.atom"' in meta
        and '<link rel="alternate" type="application/atom+xml" title="Every event (Atom)" href="../../feed.atom">' in meta
    )
    assert 'href="../../feeds/entities/meta.ics"' in meta
    assert 'href="../promises.atom"' in (site / "promises" / "index.html").read_text("utf-8")


def test_site_url_makes_every_url_absolute_on_it_and_hostile_text_stays_text(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme & Co < x >\nkind: company\n",
            "2026/widget.yaml": "title: 'Acme < ships > & \"Widget\" ]]> été 🚀'\ndate: 2026-05-02\nkind: promise\n"
            "entities: [acme]\nsummary: 'Said **this** < not a tag >'\npromise:\n  by: acme\n"
            "  what: Ship it; really, now\n  due: 2026-06\nsources:" + SOURCE,
        },
    )
    assert build_in_process(project, tmp_path / "site", SITE_URL="https://timeline.example/").ok
    atom = feedparser.parse((tmp_path / "site" / "feed.atom").read_bytes())
    assert not atom.bozo
    assert atom.entries[0].title == 'Acme < ships > & "Widget" ]]> été 🚀'
    assert atom.entries[0].link == "https://timeline.example/events/widget/"
    assert (
        "<strong>this</strong>" in atom.entries[0].content[0].value and "&lt; not a tag &gt;" in atom.entries[0].content[0].value
    )
    data = json.loads((tmp_path / "site" / "feed.json").read_text("utf-8"))
    assert data["items"][0]["title"] == 'Acme < ships > & "Widget" ]]> été 🚀'
    calendar = icalendar.Calendar.from_ical((tmp_path / "site" / "promised-dates.ics").read_bytes())
    [event] = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == 'Due: Acme < ships > & "Widget" ]]> été 🚀'
    assert str(event["UID"]) == "widget@timeline.example"
