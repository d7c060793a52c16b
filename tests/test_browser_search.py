"""Search through the site's own worker (assets/search-worker.js, in place of Material's lunr
worker), in headless Chromium: Material's search UI shows its results, every result holds every
term and leads to its page, title matches come first, a word the record lacks is struck through
(the 404 page's deep link), a broad query lists every match with the true count, and hostile
titles and queries stay text. tests/test_browser_reader.py checks that an event is the first
result for its own title; tests/test_browser_hostile.py audits hostile search results too."""

from __future__ import annotations

import functools
import json
import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import test_browser
import test_browser_hostile
import test_browser_reader
from sitebuild import build_in_process, search_index
from test_browser import QuietHandler, search

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the same fixtures: skip without Chromium, fail then under REQUIRE_BROWSER
served = test_browser_reader.served  # the real site, a missing address answered by 404.html
sites = test_browser_hostile.sites  # the hostile-but-accepted site

WORKER = "/assets/ai-timeline-search-worker.js"
# What a result may hold: Material's result markup, the index's plain structural tags, our marks.
RESULT_TAGS = {"li", "a", "article", "div", "h1", "h2", "p", "details", "summary", "del", "nav"} | {
    "code",
    "pre",
    "ul",
    "ol",
    "mark",
}
RESULTS = """() => [...document.querySelectorAll('.md-search-result__list > li')].map(li => ({
    href: li.querySelector('a').href,
    titleMarked: !!li.querySelector('h1 mark'),
    text: li.innerText,
}))"""


def watched_page(browser, base: str):
    """A page that records console errors, uncaught errors and the requests of its own site."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    requested: list[str] = []

    def console(message) -> None:
        where = (message.location or {}).get("url", "")
        if message.type == "error" and not (message.text.startswith("Failed to load resource") and not where.startswith(base)):
            problems.append(f"console: {message.text} at {where}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    page.on("request", lambda request: requested.append(request.url))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    return page, problems, requested


def test_results_come_from_the_sites_worker_title_matches_first(browser, served):
    page, problems, requested = watched_page(browser, served)
    page.goto(served)
    search(page, "Behemoth")
    results = page.evaluate(RESULTS)
    assert any(url.endswith(WORKER) for url in requested), requested
    assert not any("/workers/search." in url for url in requested)  # Material's lunr worker is never loaded
    marked = [r["titleMarked"] for r in results]
    assert marked[0] and False in marked, results  # some results match in their title only, some in their text
    assert marked == sorted(marked, reverse=True), results  # every title match above every text match
    assert not problems, problems
    page.close()


def test_every_result_holds_every_term_and_leads_to_its_page(browser, served):
    page, problems, _ = watched_page(browser, served)
    page.goto(served)
    search(page, "muse spark api")
    results = page.evaluate(RESULTS)
    assert len(results) >= 3, results
    for result in results:
        words = set(re.findall(r"\w+", result["text"].lower()))
        assert {"muse", "spark", "api"} <= words, result
        assert parse_qs(urlsplit(result["href"]).query)["h"] == ["muse spark api"], result
        response = page.request.get(result["href"])
        assert response.ok, result
    assert not problems, problems
    page.close()


def test_the_404_deep_link_strikes_through_the_word_no_page_has(browser, served):
    from playwright.sync_api import expect

    page, problems, _ = watched_page(browser, served)
    page.goto(served + "events/muse-spark-api-typo/")
    problems.clear()  # the 404 itself, as intended
    page.locator("#tl-404-search a").click()
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30000)
    expect(page.locator(".md-search-result__terms del").first).to_have_text("typo")
    hrefs = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
    assert any("/events/muse-spark-api" in href for href in hrefs), hrefs
    assert not problems, problems
    page.close()


def test_hostile_titles_and_queries_stay_text_in_the_results(browser, sites):
    from playwright.sync_api import expect

    _, base, known_scripts = sites
    watch = test_browser_hostile.Watch(browser, base)
    problems: list[str] = []
    try:
        page = watch.page
        for query, shown in [
            ("onmouseover", 'onmouseover="alert(1)"'),
            ("<img src=x onerror=alert(1)>", "<img src=x onerror=alert(1)"),
        ]:
            page.goto(base, wait_until="load")
            search(page, query)
            expect(page.locator(".md-search-result__list")).to_contain_text(shown)  # the payload, shown as text
            tags = page.evaluate("() => [...document.querySelectorAll('.md-search-result__list *')].map(el => el.localName)")
            assert set(tags) <= RESULT_TAGS, set(tags) - RESULT_TAGS
            marks = page.evaluate(
                """() => [...document.querySelectorAll('.md-search-result__list mark')].map(m =>
                    [m.getAttributeNames().join(' '), m.children.length])"""
            )
            assert marks and set(map(tuple, marks)) == {("data-md-highlight", 0)}, marks
            found, _ = watch.audit(f"search {query!r}", known_scripts)
            problems += found
    finally:
        watch.close()
    assert not problems, "live markup or script activity:\n" + "\n".join(problems)


# --- A record larger than the worker's teasers: every match is listed, with the true count ----


@pytest.fixture(scope="module")
def large_site(tmp_path_factory):
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
    from records import write_project

    tmp = tmp_path_factory.mktemp("search-large")
    project = tmp / "project"
    write_project(project, 300)
    result = build_in_process(project, tmp / "site")
    assert result.ok, result.log
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield tmp / "site", f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def pages_with_a_word_starting(index: dict, prefix: str) -> set[str]:
    found = set()
    for doc in index["docs"]:
        text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"]).lower()
        if re.search(rf"(?<![a-z0-9]){prefix}", text):
            found.add(doc["location"].split("#")[0])
    return found


def test_a_broad_query_lists_every_match_with_the_true_count(browser, large_site):
    from playwright.sync_api import expect

    site, base = large_site
    expected = pages_with_a_word_starting(search_index(site), "th")
    assert len(expected) > 150, len(expected)  # more than the worker sends with teasers
    page, problems, _ = watched_page(browser, base)
    page.goto(base)
    search(page, "th")
    expect(page.locator(".md-search-result__meta")).to_have_text(f"{len(expected)} matching documents")
    # Material appends four results each time the list is scrolled to its end (from elsewhere):
    # scroll up and down until every one is there.
    page.wait_for_function(
        """count => {
            const wrap = document.querySelector('.md-search__scrollwrap');
            window.__tlDown = !window.__tlDown;
            wrap.scrollTop = window.__tlDown ? wrap.scrollHeight : 0;
            return document.querySelectorAll('.md-search-result__list > li').length === count;
        }""",
        arg=len(expected),
        polling=100,
        timeout=30000,
    )
    results = page.evaluate(RESULTS)
    listed = {urlsplit(urljoin(base, r["href"])).path.removeprefix("/") for r in results}
    assert listed == expected
    assert all(r["text"].strip() for r in results)
    assert not problems, problems
    page.close()


def test_the_worker_reads_the_documents_from_a_file_of_their_own(browser, large_site):
    """Material parses search_index.json on the page's main thread and copies it to the worker
    (about 100 ms for 11 MB at 10,000 events). The plugin puts the documents in a file of their
    own, named in the index's config: the page reads only the config, the worker fetches the rest."""
    from playwright.sync_api import expect

    site, base = large_site
    assert json.loads((site / "search" / "search_index.json").read_text("utf-8"))["docs"] == []
    expected = pages_with_a_word_starting(search_index(site), "garrow")
    assert expected
    page, problems, requested = watched_page(browser, base)
    page.goto(base)
    hrefs = search(page, "Garrow")
    expect(page.locator(".md-search-result__meta")).to_have_text(f"{len(expected)} matching documents")
    assert {urlsplit(urljoin(base, h)).path.removeprefix("/") for h in hrefs} <= expected
    assert base + "search/search_docs.json" in requested
    assert not problems, problems
    page.close()
