"""Goal 5 of issue 11: search on a built site, in headless Chromium (Material's search UI, the
site's own worker, assets/search-worker.js).

Serves the site with http.server, opens the home page, types a query as a reader would and
times until a result of the whole query is shown (the index is fetched and set up in that
time); then a second, warm query; and reports the longest main-thread task
(PerformanceObserver 'longtask') from the first keystroke to the end, the longest of the
page's start-up before it, and the index's size.

    python tests/benchmarks/search_timing.py SITE_DIR "first query" "warm query" [--runs 3]
"""

from __future__ import annotations

import functools
import shutil
import statistics
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__longTasks.push([entry.startTime, entry.duration]);
}).observe({type: 'longtask', buffered: true});
"""
# The longest task that ends after the reader starts searching, and the longest before: the
# page's start-up (Material's bundle evaluated; about 100 ms on the 2-core machine, plain
# Material's pages as much), which no search work is part of.
LONGEST = """since => [Math.max(0, ...window.__longTasks.filter(([s, d]) => s + d > since).map(([s, d]) => d)),
                        Math.max(0, ...window.__longTasks.filter(([s, d]) => s + d <= since).map(([s, d]) => d))]"""
# A result of the whole query: Material puts the matched terms in each result link's ?h=.
RESULT_FOR = """word => [...document.querySelectorAll('.md-search-result__item a')].some(a =>
    (new URL(a.href).searchParams.get('h') || '').toLowerCase().split(' ').includes(word))"""
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _query(page, text: str, timeout_ms: float, typed: bool) -> float:
    """Seconds to a result for the last word of `text`: from the first keystroke when `typed`
    (a reader typing, 20 ms a key), else from the last keystroke (the query's own cost)."""
    box = page.locator("input.md-search__input")
    box.click()
    if typed:
        box.fill("")
        started = time.perf_counter()
        box.type(text, delay=20)
    else:
        box.fill(text[:-1])
        started = time.perf_counter()
        box.press(text[-1])
    page.wait_for_function(RESULT_FOR, arg=text.split()[-1].lower(), timeout=timeout_ms, polling=10)
    return time.perf_counter() - started


def goal_search(site: Path, first_query: str, warm_query: str, timeout_ms: float = 120_000) -> dict[str, float | str]:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        raise RuntimeError("no Chromium: apt-get install chromium")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.add_init_script(LONG_TASKS)
            started = time.perf_counter()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/", wait_until="domcontentloaded")
            searching_from = page.evaluate("performance.now()")
            typed = _query(page, first_query, timeout_ms, typed=True)
            first = time.perf_counter() - started
            warm = statistics.median(_query(page, q, timeout_ms, typed=False) for q in (warm_query, first_query, warm_query))
            time.sleep(0.5)  # let the observer deliver the last entries
            longest, startup = page.evaluate(LONGEST, searching_from)
            version = browser.version
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {
        "search_first_s": first,
        "search_typed_s": typed,
        "search_warm_s": warm,
        "longest_task_ms": float(longest),
        "startup_task_ms": float(startup),
        "index_mb": sum(p.stat().st_size for p in (site / "search").glob("search_*.json")) / 1e6,  # with search_docs.json
        "chromium": version,
    }


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("first_query")
    parser.add_argument("warm_query")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    for _ in range(args.runs):
        print(json.dumps(goal_search(args.site, args.first_query, args.warm_query)), flush=True)
