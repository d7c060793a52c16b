"""A reader narrows the real timeline in headless Chromium: by entity (units included), kind,
tag, year and promise status; the choice lives in the URL, survives a reload, and every filter
is reachable and usable from the keyboard. Without JavaScript every event is listed."""

from __future__ import annotations

import re

import pytest
from ai_timeline.project import load_graph, resolve_as_of
from ai_timeline.promises import records
from sitebuild import ROOT
from test_browser import browser, site_url  # noqa: F401  (fixtures: the real site, served; Chromium)

pytestmark = pytest.mark.browser
FILTERS = ["entity", "kind", "tag", "year", "status"]
SHOWN_LINKS = "links => links.filter(a => a.offsetParent !== null).map(a => a.getAttribute('href'))"


@pytest.fixture(scope="module")
def graph():
    loaded, report = load_graph(ROOT, "events")
    assert not report.errors
    return loaded


def event_ids(hrefs: list[str]) -> set[str]:
    return {re.fullmatch(r"\.\./events/([a-z0-9-]+)/", href).group(1) for href in hrefs}  # type: ignore[union-attr]


def shown(page, expected_count: int) -> set[str]:
    """The events on screen once the page reports `expected_count` shown: the script sets the
    count after it has hidden and shown everything, so nothing is read mid-update."""
    page.wait_for_function(
        "n => document.getElementById('tl-filters').getAttribute('data-tl-shown') === String(n)", arg=expected_count
    )
    return event_ids(page.locator("a.tl-event-link").evaluate_all(SHOWN_LINKS))


def open_timeline(browser, url: str, **context):  # noqa: F811
    page = browser.new_context(viewport={"width": 1280, "height": 900}, **context).new_page()
    page.goto(url)
    return page


def test_entity_filter_includes_units_and_survives_a_reload(browser, site_url, graph):  # noqa: F811
    from playwright.sync_api import expect

    # An organisation with an event that names only one of its units: choosing it must show that event too.
    company = next(
        i for i in sorted(graph.entities) if {e.id for e in graph.events_of(i)} - {e.id for e in graph.events_of(i, False)}
    )
    expected = {e.id for e in graph.events_of(company)}
    page = open_timeline(browser, site_url + "timeline/")
    page.select_option("#tl-filter-entity", company)
    page.wait_for_url(f"**/timeline/?entity={company}")
    assert shown(page, len(expected)) == expected
    assert len(expected) < len(graph.events)

    page.reload()
    expect(page.locator("#tl-filter-entity")).to_have_value(company)
    assert shown(page, len(expected)) == expected
    page.context.close()


def test_filters_combine_and_empty_headings_are_hidden(browser, site_url, graph):  # noqa: F811
    from playwright.sync_api import expect

    year = max(e.date.first.year for e in graph.events.values())
    wanted = {e.id for e in graph.events.values() if e.kind == "delay" and e.date.first.year == year}
    assert wanted
    page = open_timeline(browser, site_url + f"timeline/?kind=delay&year={year}")
    assert shown(page, len(wanted)) == wanted
    expect(page.locator("#tl-filter-count")).to_have_text(f"{len(wanted)} of {len(graph.events)} events shown.")
    # Other years' headings go with their events; this year's stays.
    for other in {e.date.first.year for e in graph.events.values()} - {year}:
        expect(page.locator(f"h2[id='{other}']")).to_be_hidden()
    expect(page.locator(f"h2[id='{year}']")).to_be_visible()

    page.select_option("#tl-filter-tag", "capex")
    assert shown(page, len({e for e in wanted if "capex" in graph.events[e].tags})) == {
        e for e in wanted if "capex" in graph.events[e].tags
    }
    page.click("#tl-filters button[type=reset]")
    assert shown(page, len(graph.events)) == set(graph.events)
    page.wait_for_url("**/timeline/")
    page.context.close()


def test_status_filter_shows_the_promises_and_their_histories(browser, site_url, graph):  # noqa: F811
    as_of, _ = resolve_as_of(None, "1795478400", graph)
    record = next(r for r in records(graph, as_of) if r.steps)
    status = record.status
    expected = set()
    for r in records(graph, as_of):
        if r.status == status:
            expected |= {r.promise.id, *(s.event.id for s in r.steps)}
    page = open_timeline(browser, site_url + f"timeline/?status={status}")
    assert shown(page, len(expected)) == expected
    page.context.close()


def test_every_filter_is_reachable_and_usable_from_the_keyboard(browser, site_url, graph):  # noqa: F811
    from playwright.sync_api import expect

    page = open_timeline(browser, site_url + "timeline/")
    expect(page.locator("#tl-filters")).to_be_visible()
    reached = []
    for _ in range(80):  # from the top of the page, Tab by Tab, as a keyboard user would
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        if focused.startswith("tl-filter-"):
            reached.append(focused.removeprefix("tl-filter-"))
        if reached == FILTERS:
            break
    assert reached == FILTERS
    page.keyboard.press("Shift+Tab")  # back to "Year"
    expect(page.locator("#tl-filter-year")).to_be_focused()
    page.keyboard.press("ArrowDown")  # the newest year, chosen without a mouse
    newest = str(max(e.date.first.year for e in graph.events.values()))
    expect(page.locator("#tl-filter-year")).to_have_value(newest)
    page.wait_for_url(f"**/timeline/?year={newest}")
    in_year = {e.id for e in graph.events.values() if str(e.date.first.year) == newest}
    assert shown(page, len(in_year)) == in_year
    page.context.close()


def test_an_unknown_value_in_the_url_is_dropped_not_matched(browser, site_url, graph):  # noqa: F811
    page = open_timeline(browser, site_url + "timeline/?entity=no-such-entity&kind=delay")
    delays = {e.id for e in graph.events.values() if e.kind == "delay"}
    assert shown(page, len(delays)) == delays
    page.wait_for_url("**/timeline/?kind=delay")
    page.context.close()


def test_without_javascript_every_event_is_listed_and_no_dead_controls_show(browser, site_url, graph):  # noqa: F811
    from playwright.sync_api import expect

    page = open_timeline(browser, site_url + "timeline/?entity=meta", java_script_enabled=False)
    expect(page.locator("#tl-filters")).to_be_hidden()
    assert event_ids(page.locator("a.tl-event-link").evaluate_all(SHOWN_LINKS)) == set(graph.events)
    page.context.close()
