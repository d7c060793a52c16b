"""Hostile-but-accepted data in a real headless Chromium: nothing from the data may run.

tests/fixtures/hostile-accepted/events/ holds files that pass `timeline check` but whose every
string is as hostile as the validator allows: quotes that try to leave attributes, escaped or
spaced-out script tags, attr_list syntax, template syntax, `javascript:` in URLs and text,
mentions with hostile labels, unterminated tags. The site built from them (with edit links) is
served on 127.0.0.1 and every .html page is loaded. A page fails on any dialog, any call to the
functions the payloads call (alert, confirm, prompt, print, open, window.__pwned), any inline
event handler attribute, any javascript:/data:/vbscript: URL, any <script> that a site built
from benign data does not have, any uncaught error or console error of the page's own, and any
request outside the site other than those Material itself makes (Google Fonts, repository facts).
Search results and `?h=` highlighting, which Material builds with innerHTML, are checked too.
"""

from __future__ import annotations

import functools
import posixpath
import shutil
import threading
from html.parser import HTMLParser
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import test_browser
from ai_timeline.project import load_graph
from sitebuild import build_in_process, fixture_project
from test_browser import QuietHandler, search

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the same fixture: skips without Chromium, fails then under REQUIRE_BROWSER

FIXTURE_EVENTS = Path(__file__).resolve().parent / "fixtures" / "hostile-accepted" / "events"
REPO_URL = "https://github.com/example-org/ai-timeline"
# What Material itself fetches from outside the site: Google Fonts, and the repository's facts
# (stars, latest release) for the header. Any other outside request fails the test.
ALLOWED_EXTERNAL = (
    "https://fonts.googleapis.com/",
    "https://fonts.gstatic.com/",
    "https://api.github.com/repos/example-org/ai-timeline",
)

# Literal strings of the fixture that must reach the reader as text (so the data was rendered,
# not dropped): if one is missing, the test proves nothing about it.
MUST_SHOW_AS_TEXT = [
    'Evil" onmouseover="alert(1)" x="Corp 👩\u200d💻',
    "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    "< script>alert(1)< /script>",
    "<\\script>confirm(1)<\\/script>",
    "{: onclick=alert(1)}",
    "{{ 7*7 }}",
    "{% raw %}",
    "${alert(1)}",
    "[click](javascript:alert(1))",
    "javascript&#58;alert(1)",
    "</title <img src=x onerror=alert(1)//",
    "x <img src=x onerror=alert(1)//",
    '<div onmouseover="alert(1)" x="',
    '<a href="javascript:alert(1)"',
    "<script src=https://attacker.invalid/x.js",
    "# Delayed ${alert(1)} #",
    "1. Overdue | pipes |",
    "'); alert(1); //",
    "<!- -> --> --!> <! -- x",
    "می\u200cخواهم",
    "👩\u200d💻",
]

# A small benign project: the same page kinds (hubs, event, entity, promise with a slip chart)
# at the same depths, so its pages carry every script Material puts on ours.
BENIGN_EVENTS = {
    "entities/acme.yaml": "name: Acme\nkind: company\n",
    "entities/acme-lab.yaml": "name: Acme Lab\nkind: lab\nparent: acme\n",
    "entities/jane-doe.yaml": "name: Jane Doe\nkind: person\nroles:\n  - title: Chief Scientist\n    org: acme-lab\n    from: 2025\n",
    "2026/widget-promised.yaml": """
        title: Acme promises Widget
        date: 2026-01-10
        kind: promise
        entities: [acme-lab]
        summary: Acme said Widget would ship in March; see [[acme]].
        promise: {by: acme-lab, what: Ship Widget, due: 2026-03}
        sources:
          - {publisher: Acme, title: Widget, date: 2026-01-10, type: primary, url: "https://example.com/widget"}
    """,
    "2026/widget-delayed.yaml": """
        title: Widget delayed
        date: 2026-03-01
        kind: delay
        entities: [jane-doe]
        summary: Widget slipped.
        relations: [{type: delays, event: widget-promised, new_date: 2026-06, reason: Testing}]
        sources:
          - {publisher: Acme, title: Widget update, date: 2026-03-01, type: primary}
    """,
}

# Runs before any script of every page: wraps what the payloads call so a call is recorded even
# when no dialog follows, and records an assignment to window.__pwned.
INIT_SCRIPT = """
(() => {
  const hits = [];
  Object.defineProperty(window, "__tlHits", { value: hits });
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    const original = window[name];
    window[name] = function (...args) {
      hits.push(`${name}(${args.map(String).join(", ")})`);
      return name === "open" || name === "print" ? null : original.apply(this, args);
    };
  }
  Object.defineProperty(window, "__pwned", {
    get() { return undefined; },
    set(value) { hits.push(`window.__pwned = ${value}`); },
  });
})();
"""

# Everything a page's own DOM can tell about live markup, after its scripts ran.
AUDIT = """
() => {
  const problems = [];
  const urlAttributes = new Set(["href", "xlink:href", "src", "action", "formaction", "data", "poster",
                                 "background", "cite", "codebase", "ping", "manifest", "srcset"]);
  const badSchemes = new Set(["javascript:", "data:", "vbscript:"]);
  const describe = el => el.outerHTML.slice(0, 160);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag))
      problems.push(`<${tag}> element: ${describe(el)}`);
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh")
      problems.push(`meta refresh: ${describe(el)}`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on"))
        problems.push(`inline handler ${name}: ${describe(el)}`);
      else if (name === "srcdoc")
        problems.push(`srcdoc: ${describe(el)}`);
      else if (urlAttributes.has(name)) {
        const values = name === "srcset" || name === "ping" ? attr.value.split(/[\\s,]+/) : [attr.value];
        for (const value of values) {
          let scheme;
          try { scheme = new URL(value, location.href).protocol; } catch (e) { continue; }
          if (badSchemes.has(scheme))
            problems.push(`${scheme} URL in ${name}: ${describe(el)}`);
        }
      }
    }
  }
  const scripts = [...document.querySelectorAll("script")].map(s => {
    const src = s.getAttribute("src");
    if (src === null) return "text:" + s.textContent;
    const url = new URL(src, location.href);
    return url.origin === location.origin ? "src:" + url.pathname + url.search : "src:" + url.href;
  });
  return { problems, scripts, hits: window.__tlHits || ["init script missing"], text: document.body.innerText };
}
"""


class _ScriptCollector(HTMLParser):
    """The same keys as AUDIT's `scripts`, read from a built HTML file."""

    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_dir = posixpath.dirname(page_path)
        self.keys: set[str] = set()
        self._inline: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag != "script":
            return
        src = dict(attrs).get("src")
        if src is None:
            self._inline = []
        else:
            parts = urlsplit(src)
            if parts.scheme or parts.netloc:
                self.keys.add("src:" + src)
            else:
                path = posixpath.normpath(posixpath.join(self.page_dir, parts.path))
                self.keys.add("src:" + path + (f"?{parts.query}" if parts.query else ""))

    def handle_data(self, data):
        if self._inline is not None:
            self._inline.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._inline is not None:
            self.keys.add("text:" + "".join(self._inline))
            self._inline = None


def benign_scripts(site: Path) -> set[str]:
    keys: set[str] = set()
    for html_file in site.rglob("*.html"):
        collector = _ScriptCollector("/" + html_file.relative_to(site).as_posix())
        collector.feed(html_file.read_text("utf-8"))
        keys |= collector.keys
    return keys


def hostile_project(tmp: Path) -> Path:
    """The real mkdocs.yml and docs (as every fixture project has them) with the fixture's events."""
    project = fixture_project(tmp, {})
    shutil.copytree(FIXTURE_EVENTS, project / "events", dirs_exist_ok=True)
    return project


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """(hostile site dir, its base URL, script keys of the benign site)."""
    tmp = tmp_path_factory.mktemp("hostile")
    project = hostile_project(tmp / "hostile")
    graph, report = load_graph(project)
    # The point of the fixture: `timeline check` accepts every file.
    assert [str(d) for d in report.sorted()] == []
    assert len(graph.events) == len(list(FIXTURE_EVENTS.glob("20*/*.yaml")))
    assert len(graph.entities) == len(list(FIXTURE_EVENTS.glob("entities/*.yaml")))
    site = tmp / "hostile-site"
    result = build_in_process(project, site, REPO_URL=REPO_URL)
    assert result.ok, result.log

    benign_site = tmp / "benign-site"
    benign = build_in_process(fixture_project(tmp / "benign", BENIGN_EVENTS), benign_site, REPO_URL=REPO_URL)
    assert benign.ok, benign.log
    scripts = benign_scripts(benign_site)
    assert any(key.startswith("text:") for key in scripts) and any(key.startswith("src:") for key in scripts)

    handler = functools.partial(QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield site, f"http://127.0.0.1:{server.server_address[1]}/", scripts
    server.shutdown()
    server.server_close()


class Watch:
    """A browser context whose pages record dialogs, errors and outside requests."""

    def __init__(self, browser, base: str) -> None:
        self.base = base
        self.events: list[str] = []
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.add_init_script(INIT_SCRIPT)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.events.append(f"uncaught error: {error}"))
        self.page.on("console", self._console)
        self.page.on("popup", lambda popup: self.events.append(f"popup: {popup.url}"))

    def _local(self, url: str) -> bool:
        return url.startswith(self.base)

    def _route(self, route):
        url = route.request.url
        if self._local(url):
            route.continue_()
            return
        if not url.startswith(ALLOWED_EXTERNAL):
            self.events.append(f"request to {url}")
        route.abort()  # a closed network, deterministically: no waiting on fonts

    def _dialog(self, dialog):
        self.events.append(f"dialog {dialog.type}: {dialog.message!r}")
        dialog.dismiss()

    def _console(self, message):
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        if message.text.startswith("Failed to load resource") and where and not self._local(where):
            return  # the aborted requests for fonts and repository facts
        self.events.append(f"console error: {message.text} at {where}")

    def audit(self, label: str, known_scripts: set[str]) -> tuple[list[str], str]:
        """Problems on the current page (and since the last audit), and its visible text."""
        found = self.page.evaluate(AUDIT)
        problems = [*self.events, *found["problems"], *(f"script side effect: {hit}" for hit in found["hits"])]
        problems += [f"script not on the benign site: {key[:200]!r}" for key in found["scripts"] if key not in known_scripts]
        self.events.clear()
        return [f"{label}: {p}" for p in problems], found["text"]

    def close(self) -> None:
        self.context.close()


def test_no_page_of_the_hostile_site_runs_or_links_anything_from_the_data(browser, sites):
    site, base, known_scripts = sites
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= 20, pages
    watch = Watch(browser, base)
    problems: list[str] = []
    texts: list[str] = []
    try:
        for rel in pages:
            response = watch.page.goto(base + rel, wait_until="load")
            assert response is not None and response.ok, rel
            found, text = watch.audit(rel, known_scripts)
            problems += found
            texts.append(text)
    finally:
        watch.close()
    assert not problems, "live markup or script activity:\n" + "\n".join(problems)
    everything = "\n".join(texts)
    missing = [s for s in MUST_SHOW_AS_TEXT if s not in everything]
    assert not missing, f"hostile text that no page shows, so this test says nothing about it: {missing}"
    # Edit links were rendered (REPO_URL is set), and point where they should.
    assert "example-org/ai-timeline/edit/main/events/2026/hostile-markdown.yaml" in (
        site / "events" / "hostile-markdown" / "index.html"
    ).read_text("utf-8")


@pytest.mark.parametrize("query", ["onmouseover", "script alert"])
def test_search_results_and_highlighting_of_hostile_text_stay_inert(browser, sites, query):
    """Material renders search results and `?h=` highlights with innerHTML: data must stay text."""
    from playwright.sync_api import expect

    _, base, known_scripts = sites
    watch = Watch(browser, base)
    try:
        page = watch.page
        page.goto(base, wait_until="load")
        hrefs = search(page, query)  # waits for the results of the whole query
        problems, _ = watch.audit(f"search {query!r}", known_scripts)
        # Follow a result as a reader would: Material then highlights the terms in the page.
        href = next(h for h in hrefs if "/events/" in h and "h=" in h and not h.endswith("h="))
        page.goto(urljoin(page.url, href), wait_until="load")
        expect(page.locator("mark[data-md-highlight]").first).to_be_attached()
        found, _ = watch.audit(f"highlighted {href}", known_scripts)
        problems += found
    finally:
        watch.close()
    assert not problems, "live markup or script activity:\n" + "\n".join(problems)
