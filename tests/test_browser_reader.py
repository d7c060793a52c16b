"""A reader on the served real site in headless Chromium: subscribes (every feed and the API
linked from the pages is fetchable and parses), browses an archive, lands on a missing address
(the 404 page leads on, to a search for the address's words), and finds an event by its title."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
import pytest
from ai_timeline.project import load_graph
from icalendar import Calendar
from sitebuild import ROOT, mkdocs_build
from test_browser import browser, search  # noqa: F401  (fixture: Chromium; helper: Material's search box)

pytestmark = pytest.mark.browser


class PagesLikeHandler(SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does: a missing address gets 404.html with status 404."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = tmp_path_factory.mktemp("reader") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PagesLikeHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="module")
def graph():
    loaded, report = load_graph(ROOT, "events")
    assert not report.errors
    return loaded


def fetch_and_parse(page, url: str) -> None:
    response = page.request.get(url)
    assert response.ok, (url, response.status)
    body = response.body()
    if url.endswith(".atom"):
        parsed = feedparser.parse(body)
        assert not parsed.bozo and parsed.version == "atom10" and parsed.entries, url
    elif url.endswith(".ics"):
        assert Calendar.from_ical(body).walk("VEVENT"), url
    elif url.endswith(".json"):
        data = json.loads(body)
        assert data.get("version", "").startswith("https://jsonfeed.org/") or "schema_version" in data or "openapi" in data, url
    else:
        raise AssertionError(f"unexpected subscription link {url}")


def test_every_feed_and_the_api_linked_from_the_pages_is_fetchable(browser, served):  # noqa: F811
    page = browser.new_page()
    found: set[str] = set()
    for path in ("", "promises/", "entities/meta/", "developers/"):
        page.goto(served + path)
        hrefs = page.locator("link[rel=alternate], article a").evaluate_all(
            "links => links.map(a => a.href).filter(h => /\\.(atom|json|ics)$/.test(h))"
        )
        found |= set(hrefs)
    kinds = {url.rsplit(".", 1)[1] for url in found}
    assert kinds == {"atom", "json", "ics"}, found
    assert any("/api/v1/" in url for url in found) and any("/feeds/entities/meta." in url for url in found), found
    for url in sorted(found):
        fetch_and_parse(page, url)
    page.close()


def test_a_tag_link_leads_to_an_archive_listing_exactly_its_events(browser, served, graph):  # noqa: F811
    event = next(e for e in graph.ordered if e.tags)
    tag = event.tags[0]
    page = browser.new_page()
    page.goto(served + f"events/{event.id}/")
    page.locator(f"article a[href$='archive/tags/{tag}/']").first.click()
    page.wait_for_url(f"**/archive/tags/{tag}/")
    listed = page.locator("article a.tl-event-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert sorted(h.strip("./").removeprefix("events/").strip("/") for h in listed) == sorted(
        e.id for e in graph.events.values() if tag in e.tags
    )
    page.close()


def test_a_missing_address_gets_a_404_page_that_searches_its_words(browser, served):  # noqa: F811
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    response = page.goto(served + "events/muse-spark-api-typo/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    offer = page.locator("#tl-404-search")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("muse spark api typo")
    expect(page.locator("article a[href='/timeline/']")).to_be_visible()  # absolute: right at any depth
    offer.locator("a").click()
    page.wait_for_function(
        """() => [...document.querySelectorAll('.md-search-result__item a')].some(a => a.href.includes('/events/'))""",
        timeout=30000,
    )
    expect(page.locator("input.md-search__input")).to_have_value("muse spark api typo")
    page.close()


def test_an_event_is_the_first_result_for_its_own_title(browser, served, graph):  # noqa: F811
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for event in [graph.ordered[0], graph.ordered[-1]]:
        page.goto(served)
        hrefs = search(page, event.title)
        assert hrefs and hrefs[0].split("?")[0].rstrip("/").endswith(f"events/{event.id}"), (event.title, hrefs[:3])
    page.close()
