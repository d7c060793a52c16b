"""The ledger tells every promise story right: one benchmark for lateness, honest reasons,
settled promises read as settled, vague and late-set dates."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from html import unescape

from ai_timeline import promises, slipchart
from conftest import rel
from sitebuild import SOURCE, build_in_process, fixture_project

SVG = "{http://www.w3.org/2000/svg}"


def record_of(story, as_of: str, promise_id: str = "p") -> promises.PromiseRecord:
    graph = story.load()
    return promises.record(graph, graph.events[promise_id], date.fromisoformat(as_of))


def test_a_promise_with_no_date_later_dated_then_delivered_late(story):
    story.promise("p", "2025-03-10", timing="in the coming months")
    story.add("dated", "2025-04-02", "delay", relations=[rel("delays", "p", new_date="2025-06")])
    story.add("shipped", "2025-07-15", "fulfilment", relations=[rel("fulfils", "p")])
    r = record_of(story, "2026-11-24")
    assert (r.status, r.days_late, r.benchmark.how, r.benchmark.due.iso()) == ("delivered-late", 15, "set later", "2025-06")
    assert r.benchmark.describe() == "first dated 2 April 2025, for June 2025"
    assert r.reason == "Delivered on 15 July 2025, 15 days after the first committed date (June 2025)."
    assert r.settled


def test_moving_the_delivery_past_a_date_set_later_counts_as_late_and_leaving_it_open_as_overdue(story):
    story.promise("p", "2025-03-10")
    story.add("dated", "2025-04-02", "statement", relations=[rel("reaffirms", "p", new_date="2025-06")])
    open_record = record_of(story, "2025-07-10")
    assert (open_record.status, open_record.days_late) == ("overdue", 10)  # the same benchmark
    story.add("shipped", "2025-07-10", "fulfilment", relations=[rel("fulfils", "p")])
    assert (record_of(story, "2025-08-01").status, record_of(story, "2025-08-01").days_late) == ("delivered-late", 10)


def test_delivered_early_is_on_time(story):
    story.promise("p", "2025-03-10", due="2025-Q3")
    story.add("shipped", "2025-06-20", "fulfilment", relations=[rel("fulfils", "p")])
    r = record_of(story, "2026-01-01")
    assert (r.status, r.days_late) == ("delivered-on-time", 0)
    assert r.reason == "Delivered on 20 June 2025, by the first committed date (Q3 2025)."


def test_still_open_and_not_yet_due(story):
    story.promise("p", "2026-10-01", due="2026-12")
    r = record_of(story, "2026-11-24")
    assert (r.status, r.settled, r.reason) == ("not-yet-due", False, "Due December 2026; not yet passed.")


def test_no_date_ever_is_said_as_such_never_as_coarse_dates(story):
    story.promise("p", "2025-03-10", timing="in the coming months")
    assert (
        record_of(story, "2025-09-01").reason == "No date was promised (“in the coming months”), and nothing since is on record."
    )
    story.add("shipped", "2025-08-05", "fulfilment", relations=[rel("fulfils", "p")])
    r = record_of(story, "2025-09-01")
    assert (r.status, r.reason) == ("delivered", "Delivered on 5 August 2025; no date was ever promised.")


def test_coarse_dates_say_they_are_too_coarse(story):
    story.promise("p", "2025-01-10", due="2025-08")
    story.add("shipped", "2025", "fulfilment", relations=[rel("fulfils", "p")])
    assert record_of(story, "2026-01-01").reason.endswith("are too coarse to say whether on time.")


def test_a_delay_naming_the_date_it_displaces_sets_the_benchmark(story):
    # "We planned to launch next week", said with no earlier dated event, then postponed with no new date.
    story.promise("p", "2025-06-20", timing="in the coming months")
    story.add("postponed", "2025-08-01", "delay", relations=[rel("delays", "p", previous_date="2025-W31", reason="More testing")])
    r = record_of(story, "2025-08-20")
    assert (r.status, r.benchmark.how, r.benchmark.due.iso(), r.days_late) == ("stalled", "displaced", "2025-W31", 17)
    assert (
        r.reason
        == "Delayed on 1 August 2025 with no new date; 17 days past the first committed date (week 31 of 2025 (28 July-3 August))."
    )
    assert r.last_dated.iso() == "2025-W31"


def test_the_2025_story_in_vague_dates(story):
    story.promise("p", "2025-05-06", timing="in the coming months")
    story.add(
        "summer",
        "2025-06-10",
        "statement",
        relations=[rel("reaffirms", "p", new_date="2025-late-summer", timing="later this summer")],
    )
    story.add("next-week", "2025-07-28", "statement", relations=[rel("reaffirms", "p", new_date="2025-late-summer")])
    story.add("postponed", "2025-08-01", "delay", relations=[rel("delays", "p", reason="More testing")])
    story.add("shipped", "2025-09-16", "fulfilment", relations=[rel("fulfils", "p")])
    r = record_of(story, "2026-11-24")
    assert r.benchmark.describe() == "first dated 10 June 2025, for late summer 2025"
    assert (r.status, r.days_late, len(r.slips)) == ("delivered-late", 16, 1)
    assert r.reason == "Delivered on 16 September 2025, 16 days after the first committed date (late summer 2025)."


def test_a_previous_date_that_contradicts_the_record_is_a_warning(story):
    story.promise("p", "2025-03-10", due="2025-06")
    story.add("d", "2025-05-01", "delay", relations=[rel("delays", "p", previous_date="2025-05", new_date="2025-09")])
    _, report = story.load_with_report()
    assert [d.message for d in report.warnings] == [
        "previous_date May 2025 differs from the date the promise then stood at (June 2025)"
    ]


# Charts ------------------------------------------------------------------------------------------


def _chart(story, as_of: str) -> ET.Element:
    markup = str(slipchart.render(record_of(story, as_of), "c"))
    return ET.fromstring(markup)


def test_a_settled_promise_chart_ends_after_settlement_with_no_as_of_line(story):
    story.promise("p", "2025-03-10", due="2025-06")
    story.add("shipped", "2025-07-15", "fulfilment", relations=[rel("fulfils", "p")])
    figure = _chart(story, "2026-11-24")
    svg = figure.find(f"{SVG}svg")
    assert not [e for e in svg.iter() if "tl-sc-asof" in e.get("class", "")]
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tl-sc-tick"]
    assert not any("2026" in (t or "") for t in ticks)  # not squeezed up to the build date


def test_every_glyph_of_a_chart_is_in_its_legend(story):
    story.promise("p", "2025-03-10")
    story.add("dated", "2025-04-02", "delay", relations=[rel("delays", "p", new_date="2025-06")])
    story.add("again", "2025-05-02", "statement", relations=[rel("reaffirms", "p")])
    story.add("late", "2025-07-02", "delay", relations=[rel("delays", "p")])
    story.add("shipped", "2025-08-15", "fulfilment", relations=[rel("fulfils", "p")])
    figure = _chart(story, "2026-11-24")
    svg = figure.find(f"{SVG}svg")
    glyphs = {c.removeprefix("tl-sc-") for e in svg.iter() for c in e.get("class", "").split()} - {
        "row",
        "row--late",
        "label",
        "grid",
        "axis",
        "tick",
        "link",
        "asof-label",
    }
    legend = figure.find("figcaption").find("ul")
    keys = {c.removeprefix("tl-sc-") for li in legend for e in li.iter() for c in e.get("class", "").split()} - {"key"}
    assert glyphs == keys == {"due", "late", "open", "made", "slip", "reaffirm", "delivered"}
    assert [li.itertext() and "".join(li.itertext()).strip() for li in legend][-1] == "delivered"


def test_a_settled_promise_page_reads_as_settled(tmp_path):
    entity = "name: Acme\nkind: company\n"
    promise = (
        "title: Acme promises Widget\ndate: 2025-03-10\nkind: promise\nentities: [acme]\nsummary: A promise.\n"
        "promise:\n  by: acme\n  what: Ship Widget\n  timing: in the coming months\nsources:" + SOURCE
    )
    dated = (
        "title: Acme dates Widget\ndate: 2025-04-02\nkind: delay\nentities: [acme]\nsummary: Dated.\n"
        "relations:\n  - type: delays\n    event: widget\n    new_date: 2025-06\nsources:" + SOURCE
    )
    shipped = (
        "title: Acme ships Widget\ndate: 2025-07-15\nkind: fulfilment\nentities: [acme]\nsummary: Shipped.\n"
        "relations:\n  - type: fulfils\n    event: widget\nsources:" + SOURCE
    )
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": entity,
            "2025/widget.yaml": promise,
            "2025/widget-dated.yaml": dated,
            "2025/widget-shipped.yaml": shipped,
        },
    )
    assert build_in_process(project, tmp_path / "site").ok
    html = (tmp_path / "site" / "events" / "widget" / "index.html").read_text("utf-8")
    glance = unescape(html[html.index('class="tl-glance') : html.index("</div>", html.index('class="tl-glance'))])
    assert ">Delivered late<" in glance and "as of" not in glance
    assert "Delivered on 15 July 2025, 15 days after the first committed date (June 2025)." in glance
    assert "first committed date June 2025 (first dated 2 April 2025)" in glance.replace("<strong>", "").replace("</strong>", "")
    assert "(as of this site&#39;s build)" not in html and "as of this site's build" not in html.split("<figure")[0]
    assert "in the source&#39;s words: “in the coming months”" in html or "in the source's words: “in the coming months”" in html
    assert 'class="tl-sc-asof"' not in html
