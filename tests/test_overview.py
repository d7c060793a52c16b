"""The overview at the top of the timeline page: lanes per organisation with units rolled up, a
size that stays bounded however many events there are, links that lead to built pages, a text
equivalent whose numbers are the picture's, and contributor text that stays text.

Figures are parsed as XML: a stray `<` or `&` from the data fails the parse.
"""

from __future__ import annotations

import json
import posixpath
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
import test_browser
from ai_timeline import overview, promises
from ai_timeline.dates import FuzzyDate
from ai_timeline.graph import EventGraph
from ai_timeline.model import Entity, Event, Promise, Relation
from ai_timeline.pages import SiteWriter
from ai_timeline.project import load_graph
from ai_timeline.promises import records
from sitebuild import ROOT, SOURCE, build_in_process, fixture_project, mkdocs_build, search_index

SVG = "{http://www.w3.org/2000/svg}"
browser, site_url = test_browser.browser, test_browser.site_url  # fixtures: Chromium, and the real site served
AS_OF = date(2026, 11, 24)  # sitebuild.AS_OF_EPOCH
LINKS = overview.Links(lambda i: f"../events/{i}/", lambda i: f"../entities/{i}/", lambda y: f"../archive/years/{y}/")
BUDGET = 120_000  # bytes: the figure and its text equivalent, whatever the data


def event_file(title: str, when: str, entities: list[str], kind: str = "announcement", extra: str = "") -> str:
    listed = ", ".join(entities)
    return f"title: {title}\ndate: {when}\nkind: {kind}\nentities: [{listed}]\nsummary: Fine.\n{extra}sources:{SOURCE}"


def promise_file(title: str, when: str, by: str, due: str, entities: list[str]) -> str:
    return event_file(title, when, entities, "promise", f"promise:\n  by: {by}\n  what: Ship it\n  due: {due}\n")


def delay_file(title: str, when: str, promise: str, new_date: str) -> str:
    extra = f"relations:\n  - type: delays\n    event: {promise}\n    new_date: {new_date}\n"
    return event_file(title, when, ["acme"], "delay", extra)


@pytest.fixture
def lanes_graph(timeline_project):
    """acme (with its lab acme-research), globex (with globex-labs), initech, and the person jane-doe."""
    write = timeline_project.write
    write("entities/globex.yaml", "name: Globex\nkind: company\n")
    write("entities/globex-labs.yaml", "name: Globex Labs\nkind: lab\nparent: globex\n")
    write("entities/initech.yaml", "name: Initech\nkind: company\n")
    write("2026/acme-1.yaml", event_file("Acme one", "2026-01-05", ["acme-research"]))
    write("2026/acme-2.yaml", event_file("Acme two", "2026-02", ["acme"]))
    write("2026/acme-promise.yaml", promise_file("Acme promises", "2026-03-01", "acme-research", "2026-06", ["acme-research"]))
    write("2026/acme-delay.yaml", delay_file("Acme delays", "2026-05-01", "acme-promise", "2026-09"))
    write("2026/globex-1.yaml", event_file("Globex one", "2026-01-10", ["globex-labs"]))
    write("2026/joint.yaml", event_file("Acme and Globex", "2026-04-01", ["acme", "globex"]))
    write("2026/jane-promise.yaml", promise_file("Jane promises", "2026-04-02", "jane-doe", "2027", ["jane-doe", "initech"]))
    write("2026/jane-only.yaml", event_file("Jane speaks", "2026-04-03", ["jane-doe"]))
    graph, report = timeline_project.load()
    assert report.errors == [], report.sorted()
    return graph


def view_of(graph: EventGraph, max_lanes: int = overview.MAX_LANES) -> overview.Overview:
    built = overview.build(graph, promises.records(graph, AS_OF), AS_OF, max_lanes)
    assert built is not None
    return built


# Lanes ----------------------------------------------------------------------------------------


def test_one_lane_per_top_level_organisation_with_its_units_most_active_first(lanes_graph):
    view = view_of(lanes_graph)
    assert [(lane.key, lane.name, lane.events) for lane in view.lanes] == [
        ("acme", "Acme", 6),  # acme-1 (by its lab), acme-2, the promise, the delay, joint, valid-sibling
        ("globex", "Globex", 2),  # globex-1 (by its lab) and joint
        ("initech", "Initech", 1),  # Jane's promise names Initech; people lead no lane
        (overview.OTHERS, "Others", 1),  # an event of Jane's alone
    ]
    assert [[r.promise.id for r in lane.records] for lane in view.lanes] == [["acme-promise"], [], ["jane-promise"], []]
    assert view.folded == 0


def test_lanes_past_the_cap_fold_into_others(lanes_graph):
    view = view_of(lanes_graph, max_lanes=1)
    assert [lane.key for lane in view.lanes] == ["acme", overview.OTHERS]
    others = view.lanes[1]
    # globex-1, joint (also in Acme's lane), Jane's promise and Jane's own event, each counted once
    assert sorted(e.id for events in others.placed.values() for e in events) == ["globex-1", "jane-only", "jane-promise", "joint"]
    assert [r.promise.id for r in others.records] == ["jane-promise"]
    assert view.folded == 2
    text = str(overview.render(lanes_graph, promises.records(lanes_graph, AS_OF), AS_OF, LINKS, max_lanes=1))
    assert "Others: the 2 other organisations beyond the 1 most active" in text


def test_every_status_has_exactly_one_glyph():
    assert sorted(overview.GLYPH_OF) == sorted(promises.STATUSES)
    assert sum(len(statuses) for _, statuses in overview.GLYPHS.values()) == len(promises.STATUSES)


def test_glyphs_show_the_ledgers_status(lanes_graph):
    writer = SiteWriter(lanes_graph, AS_OF)
    svg = figure_svg(str(overview.render(lanes_graph, writer.records, AS_OF, LINKS)))
    for record in writer.records:
        (mark,) = [
            a
            for a in svg.iter(f"{SVG}a")
            if a.get("href") == f"../events/{record.promise.id}/" and "tl-ov-promise" in a.get("class", "")
        ]
        glyphs = {e.get("class") for e in mark if e.get("class") in {f"tl-ov-{g}" for g in overview.GLYPHS}}
        assert glyphs == {f"tl-ov-{overview.GLYPH_OF[record.status]}"}, record.status
        assert record.label in mark.find(f"{SVG}title").text
    assert {r.promise.id: r.status for r in writer.records} == {"acme-promise": "overdue", "jane-promise": "not-yet-due"}


def test_a_delay_is_a_slip_marker_on_its_promise_line(lanes_graph):
    svg = figure_svg(str(overview.render(lanes_graph, promises.records(lanes_graph, AS_OF), AS_OF, LINKS)))
    (mark,) = [a for a in svg.iter(f"{SVG}a") if a.get("href") == "../events/acme-promise/"]
    assert len([e for e in mark if e.get("class") == "tl-ov-slip"]) == 1
    line = next(e for e in mark if e.get("class") == "tl-ov-line")
    past = next(e for e in mark if e.get("class") == "tl-ov-past")  # overdue: past its latest date, up to the build date
    assert float(line.get("x1")) < float(line.get("x2")) == float(past.get("x1")) < float(past.get("x2"))


@pytest.mark.parametrize(
    "first, last, months",
    [
        ("2026-01-01", "2026-11-24", 1),
        ("2019-01-01", "2026-11-24", 3),
        ("2000-01-01", "2026-11-24", 12),
        ("1900-01-01", "2199-12-31", 120),
    ],
)
def test_the_axis_takes_the_shortest_bucket_that_fits(first, last, months):
    buckets = overview._buckets(date.fromisoformat(first), date.fromisoformat(last), overview.MAX_COLUMNS, overview.BUCKET_MONTHS)
    assert buckets[0].months == months and len(buckets) <= overview.MAX_COLUMNS
    assert buckets[0].first <= date.fromisoformat(first) and date.fromisoformat(last) < buckets[-1].end


# Size and determinism -------------------------------------------------------------------------


def synthetic(count: int, organisations: int = 100, start: date = date(2019, 1, 1), days: int = 2555) -> EventGraph:
    """`count` events over `days`, a tenth of them promises (delayed, then kept late), with the
    longest titles and names the schema allows."""
    entities = {}
    for c in range(organisations):
        entities[f"org-{c}"] = Entity(f"org-{c}", "", f"Organisation {c} ".ljust(120, "N"), "company")
        entities[f"lab-{c}"] = Entity(f"lab-{c}", "", f"Lab {c}", "lab", parent=f"org-{c}")
    events = {}
    for i in range(count):
        day = start + timedelta(days=i * days // count)
        owner, fields, kind = f"lab-{i % organisations}", {}, "announcement"
        if i % 10 == 0:
            kind, fields["promise"] = "promise", Promise(owner, "Ship", FuzzyDate.parse(f"{day.year}-{day.month:02d}"))
        elif i % 10 in (1, 2, 3):
            kind, fields["relations"] = (
                "delay",
                (Relation("delays", f"e{i - i % 10}", new_date=FuzzyDate.parse(str(day.year + 1))),),
            )
        elif i % 10 == 5:
            kind, fields["relations"] = "launch", (Relation("fulfils", f"e{i - 5}"),)
        title = f"Event {i} ".ljust(160, "T")
        when = FuzzyDate(day, day, "day")
        events[f"e{i}"] = Event(f"e{i}", "", title, when, kind, (owner, f"org-{i * 7 % organisations}"), "", (), **fields)
    return EventGraph(events, entities)


def rendered(graph: EventGraph) -> str:
    return str(overview.render(graph, promises.records(graph, AS_OF), AS_OF, LINKS))


@pytest.mark.parametrize(
    "graph",
    [
        pytest.param(lambda: synthetic(5000), id="5000-events-7-years"),
        pytest.param(lambda: synthetic(5000, organisations=13), id="5000-events-13-busy-organisations"),
        pytest.param(lambda: synthetic(5000, start=date(1900, 1, 1), days=365 * 299), id="5000-events-300-years"),
    ],
)
def test_the_figure_stays_within_a_fixed_budget(graph):
    text = rendered(graph())
    assert len(text.encode()) < BUDGET
    svg = figure_svg(text)
    lanes = svg.findall(f"{SVG}g")
    assert len(lanes) == overview.MAX_LANES + 1  # and Others
    links_per_lane = overview.MAX_PERIODS + overview.MAX_DRAWN + 1
    assert all(len(lane.findall(f"{SVG}a")) <= links_per_lane for lane in lanes)


def test_page_weight_stays_flat_as_events_double():
    assert len(rendered(synthetic(10000))) <= 1.05 * len(rendered(synthetic(5000)))


def test_output_is_deterministic_whatever_order_the_files_came_in():
    graph = synthetic(600, organisations=20)
    shuffled = EventGraph(dict(reversed(graph.events.items())), dict(reversed(graph.entities.items())))
    assert rendered(graph) == rendered(graph) == rendered(shuffled)


def test_no_event_no_figure():
    assert str(overview.render(EventGraph({}, {}), [], AS_OF, LINKS)) == ""


def test_text_that_bypassed_validation_is_still_only_text():
    """Validation refuses raw HTML in names and titles; the template escapes it anyway."""
    graph = synthetic(30, organisations=2)
    graph.entities["org-0"].name = "<script>alert(1)</script> ]]> ``` ~~~ {{ 7*7 }} ‏שלום"
    graph.events["e0"].title = "</title><script>alert(2)</script> ]]> `x`"
    text = rendered(graph)
    assert "<script" not in text and "]]>" not in text and "`" not in text and "~" not in text
    svg = figure_svg(text)
    assert svg.find(f"{SVG}desc").text.count("<script>alert(1)</script> ]]> ``` ~~~ {{ 7*7 }}") == 1


# The real site --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("overview") / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, result.stderr
    return site


HOSTILE_NAME = "&lt;script&gt;alert(1)&lt;/script&gt; < script>x< /script> ]]> ``` ~~~ {{ 7*7 }} Co"
HOSTILE_UNIT = "</title <img src=x onerror=alert(1)// & {% raw %}"
HOSTILE_TITLE = '&lt;script&gt;alert(2) ]]> ``` promise {{ 6*7 }} "quoted" x=\'y'
RTL_NAME = "شركة الاختبار"
RTL_TITLE = "حدث مهم ~~~ ]]>"


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.fixture(scope="module", params=[True, False], ids=["directory-urls", "plain-urls"])
def hostile_site(request, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile-overview")
    project = fixture_project(
        tmp,
        {
            "entities/hostile-co.yaml": f"name: {quoted(HOSTILE_NAME)}\nkind: company\n",
            "entities/hostile-unit.yaml": f"name: {quoted(HOSTILE_UNIT)}\nkind: lab\nparent: hostile-co\n",
            "entities/rtl-co.yaml": f"name: {RTL_NAME}\nkind: company\n",
            "2026/hostile-promise.yaml": promise_file(
                quoted(HOSTILE_TITLE), "2026-02-03", "hostile-unit", "2026-05", ["hostile-unit"]
            ),
            "2026/rtl-event.yaml": event_file(quoted(RTL_TITLE), "2026-03", ["rtl-co", "hostile-co"]),
            "2025/old.yaml": event_file("Old news", "2025", ["rtl-co"]),
        },
    )
    if not request.param:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text("utf-8") + "use_directory_urls: false\n", "utf-8")
    result = build_in_process(project, tmp / "site")
    assert result.ok, result.log
    return tmp / "site"


def timeline_file(site: Path) -> Path:
    return site / "timeline" / "index.html" if (site / "timeline" / "index.html").exists() else site / "timeline.html"


def figure_svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r'<figure class="tl-overview".*?</figure>', html, re.S).group(0)).find(f"{SVG}svg")


def words(html: str) -> ET.Element:
    return ET.fromstring(re.search(r'<details class="tl-ov-words".*?</details>', html, re.S).group(0))


def test_the_overview_sits_at_the_top_of_the_timeline_named_and_described(real_site):
    html = timeline_file(real_site).read_text("utf-8")
    assert html.index('<figure class="tl-overview"') < html.index('<h2 id="2026"')
    svg = figure_svg(html)
    # A group, not an image: an image's children are hidden from assistive technology, and these are links.
    assert svg.get("role") == "group"
    by_id = {e.get("id"): e for e in svg.iter() if e.get("id")}
    assert by_id[svg.get("aria-labelledby")].tag == f"{SVG}title"
    assert by_id[svg.get("aria-describedby")].tag == f"{SVG}desc"
    described = by_id[svg.get("aria-describedby")].text
    for lane in lane_numbers(html):  # every lane is described in words, with its numbers
        assert f"{lane['name']}: {sum(lane['bars'].values())} event" in described
    # Out of the tab order (there may be a hundred); the table and list below lead to the same pages.
    for a in svg.iter(f"{SVG}a"):
        assert a.get("tabindex") == "-1"
        assert "".join((a.find(f"{SVG}title") if a.get("class") else a.find(f"{SVG}text")).itertext()).strip()  # a name
    assert not [a for e in svg.iter() for a in e.attrib if a.lower().startswith("on")]


def test_the_overview_stays_out_of_the_search_index(real_site):
    index = json.dumps(search_index(real_site)["docs"], ensure_ascii=False)
    assert "The overview in words" not in index and "The record at a glance" not in index


def built_links(site: Path, page: Path, html: str) -> list[tuple[str, Path]]:
    hrefs = [a.get("href") for a in figure_svg(html).iter(f"{SVG}a")]
    hrefs += [a.get("href") for a in words(html).iter("a")]
    assert hrefs
    here = posixpath.dirname(page.relative_to(site).as_posix())
    return [(h, site / posixpath.normpath(posixpath.join(here, h)) / ("index.html" if h.endswith("/") else "")) for h in hrefs]


def test_every_link_of_the_overview_leads_to_a_built_page(real_site, hostile_site):
    for site in (real_site, hostile_site):
        page = timeline_file(site)
        for href, target in built_links(site, page, page.read_text("utf-8")):
            assert not href.startswith(("/", "http")) and target.is_file(), (site, href)


def lane_numbers(html: str) -> list[dict]:
    """Per lane, what the picture says and what the table says."""
    svg, table = figure_svg(html), words(html).find("table")
    found = []
    for lane, body in zip(svg.findall(f"{SVG}g"), table.findall("tbody"), strict=True):
        bars = Counter()
        for title in (a.find(f"{SVG}title").text for a in lane.findall(f"{SVG}a") if a.get("class") == "tl-ov-events"):
            period, count = re.match(r"([^:]+): (\d+) events?", title).groups()
            bars[period] += int(count)
        label = "".join(lane.find(f".//{SVG}text").itertext())
        marks = [a for a in lane.findall(f"{SVG}a") if a.get("class") == "tl-ov-promise"]
        glyphs = Counter(
            e.get("class").removeprefix("tl-ov-")
            for a in marks
            for e in a
            if e.get("class", "").removeprefix("tl-ov-") in overview.GLYPHS
        )
        rows = [[("".join(td.itertext())) for td in tr.findall("td")] for tr in body.findall("tr")[1:]]
        stands = Counter()
        for row in rows:
            for part in row[3].split("; "):
                if part != "—":
                    n, words_ = part.split(" ", 1)
                    stands[words_] += int(n)
        found.append(
            {
                "name": "".join(body.find("tr/th").itertext()),
                "label": label,
                "bars": dict(bars),
                "table events": {row[0]: int(row[1]) for row in rows if row[1] != "0"},
                "table promises": sum(int(row[2]) for row in rows),
                "glyphs": {overview.GLYPHS[g][0]: n for g, n in glyphs.items()},
                "stands": dict(stands),
                "drawn": len(marks),
            }
        )
    return found


def test_the_text_equivalent_says_what_the_picture_shows(real_site, hostile_site):
    for site in (real_site, hostile_site):
        lanes = lane_numbers(timeline_file(site).read_text("utf-8"))
        assert lanes
        for lane in lanes:
            assert lane["bars"] == lane["table events"], lane
            events, promised = re.search(r"· (\d+) events?(?: · (\d+) promises?)?", lane["label"]).groups()
            assert int(events) == sum(lane["bars"].values())
            assert int(promised or 0) == lane["table promises"]
            hidden = re.search(r"\((\d+) drawn\)", lane["label"])
            assert lane["drawn"] == (int(hidden.group(1)) if hidden else lane["table promises"])
            if not hidden:
                assert lane["glyphs"] == lane["stands"], lane


def test_the_real_record_in_numbers(real_site):
    graph, report = load_graph(ROOT, "events")
    assert not report.errors
    ledger = records(graph, date(2026, 11, 24))
    lanes = {lane["name"]: lane for lane in lane_numbers(timeline_file(real_site).read_text("utf-8"))}
    meta = lanes["Meta"]
    tree = {"meta", *(e.id for e in graph.descendants("meta"))}
    promises = [r for r in ledger if r.by in tree]
    assert meta["table promises"] == len(promises)
    assert sum(meta["glyphs"].values()) == min(len(promises), overview.MAX_DRAWN)
    # Every event that concerns Meta alone is in its lane, in the year its archive lists it under.
    alone = Counter(
        str(e.date.first.year)
        for e in graph.events_of("meta")
        if all(
            ([graph.entities[i], *graph.ancestors(i)][-1].id in tree) or graph.entities[i].kind == "person" for i in e.entities
        )
    )
    assert all(meta["bars"].get(year, 0) >= n for year, n in alone.items()), (meta["bars"], alone)


def test_hostile_names_and_titles_reach_the_reader_only_as_text(hostile_site):
    html = timeline_file(hostile_site).read_text("utf-8")
    block = html[html.index('<figure class="tl-overview"') : html.index("</details>", html.index('<details class="tl-ov-words"'))]
    assert "<script" not in block and "<img" not in block and "]]>" not in block
    assert "`" not in block and "~" not in block  # no fence character for superfences to find
    svg, table = figure_svg(html), words(html)
    labels = ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "tl-ov-label"]
    assert labels[0].startswith(overview._cut(HOSTILE_NAME)) and labels[1].startswith(RTL_NAME)
    names = ["".join(th.itertext()) for th in table.iter("th") if th.get("scope") == "rowgroup"]
    assert names == [HOSTILE_NAME, RTL_NAME]
    assert [bdi.text for bdi in table.iter("bdi")][:2] == [HOSTILE_NAME, RTL_NAME]
    titles = ["".join(a.itertext()) for a in table.iter("a") if "events/" in a.get("href")]
    assert titles == [HOSTILE_TITLE]
    tips = [t.text for t in svg.iter(f"{SVG}title")]
    assert any(tip.startswith(f"{HOSTILE_TITLE}: promised") for tip in tips)
    assert any(RTL_TITLE in tip for tip in tips)
    # The unit's promise is in its organisation's lane; the unit's name is nowhere in the picture.
    assert HOSTILE_UNIT not in "".join(svg.itertext())


# On a phone, in a real browser -----------------------------------------------------------------


def contrast(a: str, b: str) -> float:
    def luminance(css: str) -> float:
        channels = [int(float(v)) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
        r, g, b_ = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


MARKS = {  # class: the property that carries its colour
    "tl-ov-bar": "fill",
    "tl-ov-slip": "fill",
    "tl-ov-kept": "fill",
    "tl-ov-late": "fill",
    "tl-ov-broken": "stroke",
    "tl-ov-overdue": "fill",
    "tl-ov-open": "stroke",
    "tl-ov-made": "fill",
    "tl-ov-line": "stroke",
    "tl-ov-past": "stroke",
}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_overview_is_readable_on_a_phone_in_both_colour_schemes(browser, site_url, scheme):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + "timeline/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
    page.locator("details.tl-ov-words > summary").click()
    expect(page.locator("details.tl-ov-words table")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    box = page.locator("figure.tl-overview > svg").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    smallest = page.evaluate(
        """() => { const svg = document.querySelector('figure.tl-overview > svg');
                   const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                   return Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale)); }"""
    )
    assert smallest >= 11
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    for css_class in ("tl-ov-label", "tl-ov-tick"):
        fill = page.locator(f"figure.tl-overview .{css_class}").first.evaluate("el => getComputedStyle(el).fill")
        assert contrast(fill, background) >= 4.5, (css_class, fill, background)
    # Every mark the picture can draw, drawn once in the page's own SVG so the page's CSS applies.
    colours = page.evaluate(
        """marks => { const svg = document.querySelector('figure.tl-overview > svg');
                      return Object.entries(marks).map(([cls, prop]) => {
                        const el = document.createElementNS('http://www.w3.org/2000/svg', 'path');
                        el.setAttribute('class', cls); svg.appendChild(el);
                        const colour = getComputedStyle(el)[prop]; el.remove(); return [cls, colour]; }); }""",
        MARKS,
    )
    for css_class, colour in colours:
        assert contrast(colour, background) >= 3, (css_class, colour, background)
    context.close()
