"""Helpers for the browser tests of the built site: serve a folder, open a page in a colour scheme."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from test_browser import QuietHandler

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SCHEMES = ["light", "dark"]
PROMISE_WITH_HISTORY = "events/muse-spark-api-planned-with-launch/"
# The main pages: every hub, and one page of each generated kind: a promise with a history, an entity, an archive.
PAGES = [
    "",
    "timeline/",
    "promises/",
    "track-record/",
    "entities/",
    PROMISE_WITH_HISTORY,
    "entities/meta/",
    "archive/tags/muse-spark-api/",
    "contributing/",
    "about/",
]
MATERIAL_SCHEME = {"light": "default", "dark": "slate"}  # body[data-md-color-scheme] once Material's script ran
# Outside requests (Google Fonts) get an empty answer: the tests do not depend on the network,
# and a font that fails to load is not an error of the site's.
STUB_TYPES = {"stylesheet": "text/css", "script": "text/javascript"}


@contextlib.contextmanager
def serving(site: Path) -> Iterator[str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def stub_outside_requests(context, base: str) -> None:
    origin = urlsplit(base).netloc

    def handle(route):
        request = route.request
        if urlsplit(request.url).netloc == origin:
            route.continue_()
        else:
            route.fulfill(status=200, body="", content_type=STUB_TYPES.get(request.resource_type, "application/octet-stream"))

    context.route("**/*", handle)


def new_page(browser, url: str, *, scheme: str = "light", viewport: dict | None = None, before_load=None):
    """`url` loaded in a fresh context that prefers `scheme`; returns once the load event has fired
    and Material has applied the scheme (close with `page.context.close()`). `before_load(page)`
    can attach listeners before the navigation starts."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=viewport or DESKTOP, color_scheme=scheme)
    stub_outside_requests(context, url)
    page = context.new_page()
    if before_load:
        before_load(page)
    page.goto(url, wait_until="load")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", MATERIAL_SCHEME[scheme])
    return page
