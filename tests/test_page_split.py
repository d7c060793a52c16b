"""Long listings split (issue 11): with small limits, a fixture site's timeline becomes one page
per year (the year archives, filters included), long archives and entity records split by year
and into parts, the tracker into one page per status, and the home page's lists are capped.
Each split page lists exactly its events, every link resolves, and the filters work on a
year page in Chromium. The real record, under the limits, is unchanged."""

from __future__ import annotations

import functools
import re
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from ai_timeline import listings
from ai_timeline.listings import Limits
from ai_timeline.pages import SiteWriter
from ai_timeline.project import load_graph, resolve_as_of
from sitebuild import AS_OF_EPOCH, ROOT, build_in_process, fixture_project
from test_browser import QuietHandler, browser  # noqa: F401  (fixture: Chromium)
from test_site import article, broken_internal_links, page

SMALL = Limits(events_per_page=5, promises_per_page=3, entity_events=4, home_list=2)
SOURCE = "sources:\n  - {publisher: Acme, title: Acme news, date: 2024-01-02, type: primary}\n"


def fixture_events() -> dict[str, str]:
    """2024: one event a month; 2025: two a month (24, so in parts); 2026: three. Every third
    event is a promise (overdue or open), every other one tagged, half by the lab."""
    files = {
        "entities/acme.yaml": "name: Acme\nkind: company\n",
        "entities/acme-lab.yaml": "name: Acme Lab\nkind: lab\nparent: acme\n",
    }
    dates = [f"2024-{m:02d}-10" for m in range(1, 13)]
    dates += [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in (5, 20)]
    dates += ["2026-01-10", "2026-02-10", "2026-03-10"]
    for i, day in enumerate(dates):
        owner = "acme-lab" if i % 2 else "acme"
        body = "kind: delay\n" if i % 3 == 1 else "kind: statement\n"
        if i % 3 == 0:
            due = "2025-06" if i < 30 else "2027-06"
            body = f"kind: promise\npromise: {{by: {owner}, what: Ship thing {i}, due: '{due}'}}\n"
        tags = "tags: [chips]\n" if i % 2 == 0 else ""
        files[f"{day[:4]}/event-{i}.yaml"] = (
            f"title: Event {i}\ndate: {day}\n{body}{tags}entities: [{owner}]\nsummary: Event {i} happened.\n{SOURCE}"
        )
    return files


@pytest.fixture(scope="module")
def split_site(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("split")
    project = fixture_project(tmp, fixture_events())
    saved = listings.LIMITS
    listings.LIMITS = SMALL
    try:
        result = build_in_process(project, tmp / "site")
    finally:
        listings.LIMITS = saved
    assert result.ok, result.log
    assert "WARNING" not in result.log, result.log
    return project, tmp / "site"


@pytest.fixture(scope="module")
def graph(split_site):
    loaded, report = load_graph(split_site[0], "events")
    assert not report.errors
    return loaded


def listed(site: Path, url: str) -> list[str]:
    return re.findall(r'href="(?:\.\./)+events/([a-z0-9-]+)/"', article(page(site, url)))


def test_timeline_becomes_a_hub_of_years_whose_pages_hold_exactly_their_events(split_site, graph):
    site = split_site[1]
    hub = article(page(site, "timeline"))
    assert "tl-event-link" not in hub and 'id="tl-filters"' not in hub and "<svg" in hub  # overview kept
    for year, count in ((2026, 3), (2025, 24), (2024, 12)):
        assert re.search(rf'href="\.\./archive/years/{year}/"[^>]*>{year}</a>: {count} events', hub), year
    # 2024 (12 events) and 2025 (24) are over the limit of 5: cut between months, newest first.
    for year in (2024, 2025):
        expected = [e.id for e in reversed(graph.ordered) if e.date.first.year == year]
        urls = [f"archive/years/{year}"] + [f"archive/years/{year}/page-{n}" for n in range(2, 7)]
        pages = [listed(site, u) for u in urls if (site / u / "index.html").exists()]
        assert [i for p in pages for i in p] == expected
        assert all(0 < len(p) <= 5 for p in pages)
        if year == 2025:  # two events a month: a month never straddles two pages
            assert [len(p) for p in pages] == [4, 4, 4, 4, 4, 4]
    assert listed(site, "archive/years/2026") == ["event-38", "event-37", "event-36"]
    year_page = article(page(site, "archive/years/2025/page-2"))
    assert 'id="tl-filters"' in year_page and "the filters apply to the events listed on this page" in year_page
    assert 'data-tl-href="../../2024/"' in year_page and re.search(
        r'<option value="2025" data-tl-href="\.\./" selected>', year_page
    )


def test_long_tag_archive_and_entity_record_split_by_year(split_site, graph):
    site = split_site[1]
    tagged = [e.id for e in reversed(graph.ordered) if "chips" in e.tags]
    hub = article(page(site, "archive/tags/chips"))
    assert listed(site, "archive/tags/chips") == []
    assert 'href="2025/"' in hub and 'href="2024/"' in hub
    found = []
    for year in (2026, 2025, 2024):
        for url in [f"archive/tags/chips/{year}"] + [f"archive/tags/chips/{year}/page-{n}" for n in range(2, 5)]:
            if (site / url / "index.html").exists():
                found += listed(site, url)
    assert found == tagged

    entity = article(page(site, "entities/acme"))
    events = entity[entity.index('id="events-39"') :]
    assert re.findall(r'href="\.\./\.\./events/([a-z0-9-]+)/"', events) == ["event-35", "event-36", "event-37", "event-38"]
    assert 'href="../../archive/entities/acme/"' in events
    assert "2025/" in article(page(site, "archive/entities/acme"))


def test_tracker_moves_each_status_to_its_pages(split_site, graph):
    site = split_site[1]
    from ai_timeline.promises import records

    as_of, _ = resolve_as_of(None, AS_OF_EPOCH, graph)
    by_status: dict[str, list[str]] = {}
    for record in records(graph, as_of):
        by_status.setdefault(record.status, []).append(record.promise.id)
    tracker = article(page(site, "promises"))
    assert "tl-status--" not in tracker.split('id="by-status"')[1].split('id="by-entity"')[0]  # no tables left
    for status, ids in by_status.items():
        assert f'href="{status}/"' in tracker
        found, n = [], 1
        while (site / "promises" / status / ("" if n == 1 else f"page-{n}") / "index.html").exists():
            rows = article(page(site, f"promises/{status}" + ("" if n == 1 else f"/page-{n}")))
            found += re.findall(r'href="(?:\.\./)+events/([a-z0-9-]+)/"', rows)
            n += 1
        assert found == ids, status


def test_home_lists_are_capped_with_a_link_to_the_rest(split_site):
    home = article((split_site[1] / "index.html").read_text("utf-8"))
    overdue = home[home.index('id="overdue') :]
    overdue = overdue[: overdue.index("<h2")]
    assert len(re.findall(r'href="events/', overdue)) == 2
    assert re.search(r"And \d+ more: see <a href=\"promises/#by-status\">", overdue)


def test_every_internal_link_of_the_split_site_resolves(split_site):

    broken = broken_internal_links(split_site[1])
    assert not broken, broken[:10]


def test_the_real_record_is_under_the_limits_and_unchanged():
    graph, report = load_graph(ROOT, "events")
    assert not report.errors
    as_of, _ = resolve_as_of(None, AS_OF_EPOCH, graph)
    huge = Limits(events_per_page=10**9, promises_per_page=10**9, entity_events=10**9, home_list=10**9)
    default, unlimited = SiteWriter(graph, as_of), SiteWriter(graph, as_of, limits=huge)
    assert not default.timeline_split
    assert default.pages() == unlimited.pages()
    assert [p.description for p in default.pages()] == [p.description for p in unlimited.pages()]
    for name in ("overdue", "stalled", "due-soon"):
        assert default.snippet(name, "index.md") == unlimited.snippet(name, "index.md")


@pytest.fixture(scope="module")
def split_url(split_site):
    handler = functools.partial(QuietHandler, directory=str(split_site[1]))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def shown(page_, expected: int) -> set[str]:
    page_.wait_for_function(
        "n => document.getElementById('tl-filters').getAttribute('data-tl-shown') === String(n)", arg=expected
    )
    hrefs = page_.locator("a.tl-event-link").evaluate_all("ls => ls.filter(a => a.offsetParent !== null).map(a => a.href)")
    return {re.search(r"/events/([a-z0-9-]+)/$", h).group(1) for h in hrefs}  # type: ignore[union-attr]


@pytest.mark.browser
def test_filters_on_a_year_page_and_the_choice_carried_between_years(browser, split_url, graph):  # noqa: F811
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    # An old shared link to the whole timeline goes to the year's page, the rest of its choice kept.
    tab.goto(split_url + "timeline/?year=2026&kind=promise")
    tab.wait_for_url("**/archive/years/2026/?kind=promise")
    assert shown(tab, 1) == {"event-36"}
    expect(tab.locator("#tl-filter-count")).to_have_text("1 of 3 events shown.")

    tab.select_option("#tl-filter-entity", "acme-lab")
    tab.wait_for_url("**/archive/years/2026/?kind=promise&entity=acme-lab")
    assert shown(tab, 0) == set()
    tab.select_option("#tl-filter-entity", "")
    assert shown(tab, 1) == {"event-36"}

    # Moving to another year keeps the filters; that page's parts carry them too.
    tab.select_option("#tl-filter-year", "2025")
    tab.wait_for_url("**/archive/years/2025/?kind=promise")
    first_part = [e.id for e in reversed(graph.ordered) if e.date.first.year == 2025][:4]
    expected = {i for i in first_part if graph.events[i].kind == "promise"}
    assert shown(tab, len(expected)) == expected
    expect(tab.locator("a.tl-carry-query").first).to_have_attribute("href", re.compile(r"page-2/\?kind=promise$"))
    tab.locator("a.tl-carry-query").first.click()
    tab.wait_for_url("**/archive/years/2025/page-2/?kind=promise")
    expect(tab.locator("#tl-filter-kind")).to_have_value("promise")
    expect(tab.locator("#tl-filter-year")).to_have_value("2025")

    # The hub's year links carry a choice made elsewhere.
    tab.goto(split_url + "timeline/?kind=delay")
    expect(tab.locator("a.tl-year-link").first).to_have_attribute("href", re.compile(r"2026/\?kind=delay$"))
    context.close()
