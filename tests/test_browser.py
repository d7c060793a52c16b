"""A reader in a real headless Chromium: search the built site and follow the result."""

from __future__ import annotations

import functools
import os
import re
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sitebuild import ROOT, mkdocs_build

pytestmark = pytest.mark.browser


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    site = tmp_path_factory.mktemp("browser") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("no Chromium found: install it (apt-get install chromium) or set CHROMIUM_PATH")
        pytest.skip("no Chromium found; set CHROMIUM_PATH to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


def search(page, query: str) -> list[str]:
    """Type `query` into Material's search box as a reader would; return the result links.

    Material re-renders the result list on every keystroke (each keystroke is a query) and
    appends results in chunks afterwards, so nothing here counts or indexes results while the
    list may change: it waits for the search to be ready, then for a result of the *whole*
    query (each result link carries the query terms it matched in `?h=`, so a result for a
    prefix such as "Behemot" never satisfies the wait), and takes every href in one snapshot.
    """
    from playwright.sync_api import expect

    expect(page.locator(".md-search-result__meta")).not_to_contain_text("Initializing search", timeout=30000)
    box = page.locator("input.md-search__input")
    box.click()
    box.type(query, delay=20)
    expect(box).to_have_value(query)
    page.wait_for_function(
        """word => [...document.querySelectorAll('.md-search-result__item a')].some(a =>
               (new URL(a.href).searchParams.get('h') || '').toLowerCase().split(' ').includes(word))""",
        arg=query.split()[-1].lower(),
        timeout=30000,
    )
    return page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("query", ["Behemoth", "TBD Lab", "vulnerabilities"])
def test_search_finds_events_by_title_entity_and_summary(browser, site_url, query):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url)
    hrefs = search(page, query)
    assert any("/events/" in href for href in hrefs), hrefs
    page.close()


def test_reader_follows_a_search_result_to_the_promise_and_on_to_a_delay(browser, site_url):
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(site_url)
    search(page, "Muse Spark API alongside")
    result = page.locator(".md-search-result__item a[href*='muse-spark-api-planned-with-launch']").first
    result.click()
    page.wait_for_url("**/events/muse-spark-api-planned-with-launch/**")
    expect(page.locator("h1")).to_contain_text("Meta plans to release the Muse Spark API")
    page.click("a[href='../muse-spark-api-delayed-to-june/']")
    page.wait_for_url("**/events/muse-spark-api-delayed-to-june/")
    expect(page.locator("article")).to_contain_text("June")
    page.close()


def luminance(css_color: str) -> float:
    r, g, b = [int(v) for v in re.findall(r"[\d.]+", css_color)[:3]]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_slip_chart_is_legible_on_a_phone_in_both_colour_schemes(browser, site_url, scheme, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme, device_scale_factor=2)
    page = context.new_page()
    page.goto(site_url + "events/muse-spark-api-planned-with-launch/")
    chart = page.locator("figure.tl-slipchart > svg")
    chart.wait_for()
    # The HTML says "default"; Material's script switches to the reader's scheme after load.
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
    label = page.locator(".tl-sc-label").first
    text_colour = label.evaluate("el => getComputedStyle(el).fill")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert abs(luminance(text_colour) - luminance(background)) > 120, (text_colour, background)
    # The whole chart fits the phone's width, and its labels stay at least 10 CSS pixels tall.
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert label.bounding_box()["height"] >= 10
    page.locator("figure.tl-slipchart").screenshot(path=str(tmp_path / f"slipchart-{scheme}.png"))  # for a human look
    context.close()
