"""Sharing and lasting links: OpenGraph and Twitter cards (escaped), the permanent link of
every event and entity page, and a real 404 page."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from sitebuild import SOURCE, fixture_project, mkdocs_build

HOSTILE_TITLE = 'Q&A: "quotes" < script > alert(1) & it\'s > end'
QUOTED_TITLE = "'" + HOSTILE_TITLE.replace("'", "''") + "'"  # YAML single-quoted
SITE_URL = "https://example.org/timeline/"


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: dict[str, str] = {}
        self.scripts_in_head = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "meta" and (key := values.get("property") or values.get("name")):
            self.meta[key] = values.get("content") or ""
        if tag == "link" and values.get("rel") == "canonical":
            self.links["canonical"] = values.get("href") or ""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("sharing")
    events = {
        "entities/acme.yaml": 'name: Acme < b > "Corp"\nkind: company\n',
        "2026/hostile-title.yaml": (
            f"title: {QUOTED_TITLE}\ndate: 2026-05-02\nkind: statement\nentities: [acme]\n"
            f"summary: 'A summary with < img src=x onerror=alert(1) > and \"quotes\" & ampersands.'\nsources:{SOURCE}"
        ),
    }
    project = fixture_project(tmp, events)
    result = mkdocs_build(project, tmp / "site", SITE_URL=SITE_URL)
    assert result.returncode == 0, result.stderr
    return tmp / "site"


def head(site: Path, url: str) -> Head:
    parser = Head()
    parser.feed((site / url).read_text("utf-8"))
    return parser


def test_event_pages_carry_escaped_sharing_cards(site):
    parsed = head(site, "events/hostile-title/index.html")
    assert parsed.meta["og:title"] == HOSTILE_TITLE == parsed.meta["twitter:title"]
    assert parsed.meta["og:description"].startswith("2 May 2026: A summary with")
    assert "< img src=x" in parsed.meta["og:description"]  # as text: the parser decoded it from an attribute
    assert parsed.meta["og:type"] == "article"
    assert parsed.meta["og:url"] == SITE_URL + "events/hostile-title/" == parsed.links["canonical"]
    assert parsed.meta["twitter:card"] == "summary"
    raw = (site / "events/hostile-title/index.html").read_text("utf-8").split("<body")[0]
    assert '"quotes"' not in raw and "< script" not in raw and "< img" not in raw  # escaped in every attribute


def test_hub_and_entity_pages_carry_cards_too(site):
    assert head(site, "index.html").meta["og:type"] == "website"
    entity = head(site, "entities/acme/index.html")
    assert entity.meta["og:title"] == 'Acme < b > "Corp"'
    assert '"Corp"' not in (site / "entities/acme/index.html").read_text("utf-8").split("<body")[0]


def test_events_and_entities_state_their_permanent_link(site):
    for url in ("events/hostile-title/", "entities/acme/"):
        raw = (site / url / "index.html").read_text("utf-8")
        assert f'<p class="tl-permalink">Permanent link: <a href="{SITE_URL}{url}">{SITE_URL}{url}</a></p>' in raw


def test_the_404_page_offers_a_way_on_with_absolute_links(site):
    raw = (site / "404.html").read_text("utf-8")
    assert "<h1>Page not found</h1>" in raw
    for target in ("timeline/", "promises/", "entities/"):
        assert f'href="/timeline/{target}"' in raw  # absolute: served for every missing address
    assert 'id="tl-404-search" hidden' in raw
