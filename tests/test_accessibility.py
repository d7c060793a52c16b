"""Accessibility in a real headless Chromium: axe-core finds no serious or critical violation on
the main pages in light and dark mode, the keyboard reaches every filter and link of the
timeline, and a printed page keeps its sources with their addresses and loses the site's chrome.

axe-core comes from npm, pinned in tests/a11y/package-lock.json; `make install-test` runs
`npm ci` there. Without it the tests are skipped locally and fail under REQUIRE_BROWSER (CI).
"""

from __future__ import annotations

import json
import os
import re

import pytest
import test_browser
from browsing import PAGES, PHONE, PROMISE_WITH_HISTORY, SCHEMES, new_page, serving
from sitebuild import ROOT, SOURCE, build_in_process, fixture_project

pytestmark = pytest.mark.browser
browser = test_browser.browser  # the same fixtures: skip without Chromium, fail then under REQUIRE_BROWSER
site_url = test_browser.site_url  # the real site, built from ROOT and served on 127.0.0.1

AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def test_axe_core_is_pinned_to_one_exact_version():
    folder = ROOT / "tests" / "a11y"
    wanted = json.loads((folder / "package.json").read_text("utf-8"))["devDependencies"]["axe-core"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", wanted), wanted
    locked = json.loads((folder / "package-lock.json").read_text("utf-8"))["packages"]["node_modules/axe-core"]
    assert locked["version"] == wanted and locked["integrity"].startswith("sha512-")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        message = "axe-core is not installed: run `make install-test` (npm ci in tests/a11y)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text("utf-8")


def axe_violations(page, axe_source: str) -> list[dict]:
    """Every rule axe-core runs by default (WCAG 2 A/AA and best practices); none is disabled."""
    page.add_script_tag(content=axe_source)
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(v => ({
               id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))"""
    )


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(f"    {n['target']}: {n['summary']}" for n in v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violation(browser, site_url, axe_source, path, scheme):
    page = new_page(browser, site_url + path, scheme=scheme)
    if path == PROMISE_WITH_HISTORY:  # the page under test really has the ledger's parts
        assert page.locator(".tl-glance .tl-status, figure.tl-slipchart, .tl-kind--promise").count() == 3
    violations = axe_violations(page, axe_source)
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"{path or 'home'} ({scheme}):\n{describe(blocking)}"
    page.context.close()


def test_keyboard_reaches_every_filter_and_every_link_of_the_timeline(browser, site_url):
    """Tab from the top of the page until every visible control and link of the content in the tab
    order has had the focus, each with a visible focus outline."""
    from playwright.sync_api import expect

    page = new_page(browser, site_url + "timeline/")
    expect(page.locator("#tl-filters")).to_be_visible()  # shown by the script once it has run
    expected = page.evaluate(
        """() => {
            const all = document.querySelectorAll('.md-content :is(a[href], select, button, input, textarea)');
            // tabindex=-1 takes an element out of the order on purpose (a chart's marks duplicate links given in text).
            const shown = [...all].filter(el => el.checkVisibility() && !el.disabled && el.tabIndex >= 0);
            shown.forEach((el, i) => el.setAttribute('data-tl-target', i));
            window.__focused = [];
            document.addEventListener('focusin', e => window.__focused.push({
                target: e.target.getAttribute('data-tl-target'),
                outline: getComputedStyle(e.target).outlineStyle}));
            return shown.length;
        }"""
    )
    assert page.locator("#tl-filters select").count() >= 5 and expected > 20
    for _ in range(expected + 100):  # the header's and sidebars' stops come on top of the content's
        page.keyboard.press("Tab")
        reached = page.evaluate("() => new Set(window.__focused.map(f => f.target).filter(t => t !== null)).size")
        if reached == expected:
            break
    focused = page.evaluate("window.__focused")
    missed = page.evaluate(
        """reached => [...document.querySelectorAll('[data-tl-target]')]
               .filter(el => !reached.includes(el.getAttribute('data-tl-target'))).map(el => el.outerHTML.slice(0, 120))""",
        [f["target"] for f in focused],
    )
    assert not missed, missed
    without_outline = {f["target"] for f in focused if f["target"] is not None and f["outline"] == "none"}
    assert not without_outline, f"focused without a visible outline: {sorted(without_outline)[:10]}"
    page.context.close()


@pytest.fixture(scope="module")
def sourced_site_url(tmp_path_factory):
    """A small site whose event cites a source with a URL (the real data has none yet) and
    mentions an entity (an internal link)."""
    tmp = tmp_path_factory.mktemp("print")
    project = fixture_project(
        tmp,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "2026/acme-ships.yaml": (
                "title: Acme ships Widget\ndate: 2026-05-02\nkind: launch\nentities: [acme]\n"
                "summary: '[[acme]] released Widget.'\nsources:" + SOURCE
            ),
        },
    )
    result = build_in_process(project, tmp / "site")
    assert result.ok, result.log
    with serving(tmp / "site") as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
def test_a_printed_event_keeps_its_sources_with_their_urls_and_drops_the_chrome(browser, sourced_site_url, scheme):
    from playwright.sync_api import expect

    page = new_page(browser, sourced_site_url + "events/acme-ships/", scheme=scheme)
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer"):
        elements = page.locator(chrome).all()
        assert elements, chrome
        for element in elements:
            expect(element).to_be_hidden()
    source = page.locator("#sources + ol > li").first
    expect(source).to_be_visible()
    assert source.evaluate("li => getComputedStyle(li).breakInside") == "avoid"
    link = source.locator("a[href^='https://example.com/']")
    href = link.get_attribute("href")
    assert href and href.startswith("https://example.com/report")
    # Chromium resolves attr() in the computed value: this is the text printed after the link.
    assert link.evaluate("a => getComputedStyle(a, '::after').content") == f'" ({href})"'
    mention = page.locator(".md-content a[href$='entities/acme/']").first
    expect(mention).to_be_visible()
    assert mention.evaluate("a => getComputedStyle(a, '::after').content") in ("none", "normal")
    for headerlink in page.locator(".md-content a.headerlink").all():
        expect(headerlink).to_be_hidden()
    # Paper is white: a dark-mode reader prints dark text.
    text = page.locator(".md-content article p").first.evaluate("p => getComputedStyle(p).color")
    assert test_browser.luminance(text) < 100, text
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.context.close()


@pytest.mark.parametrize("path", ["", PROMISE_WITH_HISTORY])
def test_phone_width_leaves_the_axe_run_clean_too(browser, site_url, axe_source, path):
    """The phone layout (drawer navigation, scrolling tables) is a different page to axe."""
    page = new_page(browser, site_url + path, viewport=PHONE, scheme="dark")
    blocking = [v for v in axe_violations(page, axe_source) if v["impact"] in BLOCKING]
    assert not blocking, describe(blocking)
    page.context.close()
