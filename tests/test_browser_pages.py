"""The main pages in a real headless Chromium: no console error, no failed request of the site's
own, and nothing wider than a 390-pixel phone: wide tables and charts scroll inside their own box."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import test_browser
from browsing import PAGES, PHONE, PROMISE_WITH_HISTORY, new_page

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the same fixtures: skip without Chromium, fail then under REQUIRE_BROWSER
site_url = test_browser.site_url

# Elements of the content that reach past the screen's right edge, except inside a box that
# scrolls (or clips) and itself fits: Material's table wrapper, a code block, a chart's figure.
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth, fits = el => el.getBoundingClientRect().right <= width + 0.5;
    const contained = el => {
        for (let box = el.parentElement; box && box !== document.body; box = box.parentElement)
            if (getComputedStyle(box).overflowX !== 'visible' && fits(box)) return true;
        return false;
    };
    return [...document.querySelectorAll('.md-content *')]
        .filter(el => el.getClientRects().length && !fits(el) && !contained(el))
        .map(el => el.outerHTML.slice(0, 120));
}"""


@pytest.mark.parametrize("path", PAGES)
def test_main_page_loads_without_errors_and_fits_a_phone(browser, site_url, path):
    problems: list[str] = []
    origin = urlsplit(site_url).netloc

    def own(url: str) -> bool:
        return urlsplit(url).netloc == origin

    def listen(page) -> None:
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text} at {m.location}"))
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        page.on("requestfailed", lambda r: own(r.url) and problems.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: own(r.url) and r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))

    page = new_page(browser, site_url + path, viewport=PHONE, before_load=listen)
    # Material fetches the search index after load; its requests count too.
    page.wait_for_load_state("networkidle")
    assert not problems, problems
    sizes = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1] == PHONE["width"], f"{path or 'home'} scrolls sideways: {sizes}"
    assert page.evaluate(OVERFLOWING) == []
    if path in (PROMISE_WITH_HISTORY, "track-record/"):  # the charts are there, and fit
        charts = page.locator(".md-content figure svg").all()
        assert charts
        for chart in charts:
            box = chart.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    page.context.close()
