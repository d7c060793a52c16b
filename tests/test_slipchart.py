"""The slip chart: an accessible, escaped, deterministic inline SVG and its text equivalent.

Charts are parsed as XML, so a stray `<` or `&` from contributor text fails the parse; checks
look at classes and at positions relative to each other, not at the layout constants.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from ai_timeline import promises, slipchart
from ai_timeline.project import load_graph
from conftest import rel

SVG = "{http://www.w3.org/2000/svg}"
MUSE_PROMISE = "muse-spark-api-planned-with-launch"


def chart_of(graph, promise_id: str, as_of: str, chart_id: str = "chart") -> tuple[str, ET.Element]:
    record = promises.record(graph, graph.events[promise_id], date.fromisoformat(as_of))
    markup = slipchart.render(record, chart_id)
    return str(markup), ET.fromstring(str(markup)).find(f"{SVG}svg")


def of_class(svg: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [e for e in svg.iter(f"{SVG}{tag}") if css_class in e.get("class", "").split()]


@pytest.fixture(scope="module")
def real_graph():
    from conftest import REPO_ROOT

    graph, report = load_graph(REPO_ROOT)
    assert report.errors == []
    return graph


# Accessibility and the real promise ---------------------------------------------------------


def test_chart_is_an_image_labelled_by_its_title_and_description(real_graph):
    text, svg = chart_of(real_graph, MUSE_PROMISE, "2026-11-24", "slipchart-muse")
    assert svg.get("role") == "img"
    labelled_by = svg.get("aria-labelledby").split()
    assert labelled_by == ["slipchart-muse-title", "slipchart-muse-desc"]
    by_id = {e.get("id"): e for e in svg.iter() if e.get("id")}
    assert by_id[labelled_by[0]].tag == f"{SVG}title"
    assert by_id[labelled_by[1]].tag == f"{SVG}desc"
    assert by_id[labelled_by[0]].text == "Slip chart: Meta plans to release the Muse Spark API alongside the model in April"
    assert "<script" not in text
    assert not [a for e in svg.iter() for a in e.attrib if a.lower().startswith("on")]  # no event handlers


def test_description_of_the_real_muse_spark_api_promise(real_graph):
    record = promises.record(real_graph, real_graph.events[MUSE_PROMISE], date(2026, 11, 24))
    description = slipchart.describe(record)
    assert description.startswith("Promised c. April 2026, for April 2026.")
    assert "Delayed c. April 2026, to May 2026." in description
    assert "Delayed c. May 2026, to June 2026." in description
    assert description.index("to May 2026") < description.index("to June 2026")
    assert description.endswith(
        "As of 24 November 2026: Overdue, no follow-up recorded. The latest promised date (June 2026) has passed "
        "and nothing since is on record; 208 days past the first committed date (April 2026)."
    )
    _, svg = chart_of(real_graph, MUSE_PROMISE, "2026-11-24")
    assert svg.find(f"{SVG}desc").text == description


def test_real_chart_has_a_bar_per_promised_date_and_a_late_band(real_graph):
    _, svg = chart_of(real_graph, MUSE_PROMISE, "2026-11-24")
    bars = of_class(svg, "rect", "tl-sc-due")
    assert len(bars) == 3  # April, then May, then June
    starts = [float(b.get("x")) for b in bars]
    assert starts == sorted(starts) and len(set(starts)) == 3
    assert len(of_class(svg, "path", "tl-sc-slip")) == 2
    assert len(of_class(svg, "rect", "tl-sc-late")) == 1


# Bars, the late band, markers ----------------------------------------------------------------


@pytest.fixture
def history(story):
    story.promise("p", "2026-03-01", "2026-06", title="Acme promises Widget")
    return story


@pytest.mark.parametrize(
    ("follow_ups", "bars"),
    [
        ([], 1),
        ([("d1", "2026-05-01", "delay", rel("delays", "p", new_date="2026-07"))], 2),
        (
            [
                ("d1", "2026-05-01", "delay", rel("delays", "p", new_date="2026-07")),
                ("d2", "2026-06-15", "delay", rel("delays", "p", new_date="2026-Q4")),
            ],
            3,
        ),
        ([("d1", "2026-05-01", "delay", rel("delays", "p"))], 1),  # no new date: no bar for it
        ([("r1", "2026-05-01", "statement", rel("reaffirms", "p", new_date="2026-06"))], 1),  # not a new date
    ],
)
def test_one_bar_per_promised_date(history, follow_ups, bars):
    for event_id, when, kind, relation in follow_ups:
        history.add(event_id, when, kind, relations=[relation])
    _, svg = chart_of(history.load(), "p", "2026-06-20")
    assert len(of_class(svg, "rect", "tl-sc-due")) == bars
    assert len(of_class(svg, "path", "tl-sc-slip")) == sum(r[3]["type"] == "delays" for r in follow_ups)


def test_late_band_runs_from_the_original_date_to_as_of(history):
    history.add("d1", "2026-05-01", "delay", relations=[rel("delays", "p", new_date="2026-07")])
    _, svg = chart_of(history.load(), "p", "2026-09-15")
    original = of_class(svg, "rect", "tl-sc-due")[0]
    late = of_class(svg, "rect", "tl-sc-late")
    assert len(late) == 1
    start, width = float(late[0].get("x")), float(late[0].get("width"))
    assert start == pytest.approx(float(original.get("x")) + float(original.get("width")), abs=0.11)
    as_of_x = float(of_class(svg, "line", "tl-sc-asof")[0].get("x1"))
    assert start + width == pytest.approx(as_of_x, abs=0.11)
    assert "Late · 77 days" in "".join(svg.itertext())  # 15 September − 30 June


def test_one_day_late_is_singular(history):
    _, svg = chart_of(history.load(), "p", "2026-07-01")
    assert "Late · 1 day" in "".join(svg.itertext()).replace("Late · 1 days", "")
    assert svg.find(f"{SVG}desc").text.endswith("; 1 day past the first committed date (June 2026).")


def test_late_band_for_a_late_delivery_ends_at_the_delivery(history):
    history.add("done", "2026-07-20", "fulfilment", relations=[rel("fulfils", "p")])
    _text, svg = chart_of(history.load(), "p", "2026-12-01")
    late = of_class(svg, "rect", "tl-sc-late")[0]
    delivered = of_class(svg, "circle", "tl-sc-delivered")[0]
    assert float(late.get("x")) + float(late.get("width")) == pytest.approx(float(delivered.get("cx")), abs=0.11)
    assert delivered.find(f"{SVG}title").text == "Delivered late 20 July 2026"
    assert "Late · 20 days" in "".join(svg.itertext())


@pytest.mark.parametrize(
    ("as_of", "follow_up"),
    [
        ("2026-06-30", None),  # not yet due
        ("2026-12-01", ("done", "2026-06-10", "fulfilment", rel("fulfils", "p"))),  # on time
        ("2026-12-01", ("dropped", "2026-07-10", "cancellation", rel("cancels", "p"))),  # no lateness
    ],
)
def test_no_late_band_without_days_late(history, as_of, follow_up):
    if follow_up:
        event_id, when, kind, relation = follow_up
        history.add(event_id, when, kind, relations=[relation])
    _, svg = chart_of(history.load(), "p", as_of)
    assert of_class(svg, "rect", "tl-sc-late") == []
    assert of_class(svg, "g", "tl-sc-row--late") == []


def test_a_promise_without_a_date_is_open_ended(story):
    story.promise("p", "2026-03-01")
    _, svg = chart_of(story.load(), "p", "2026-06-01")
    assert of_class(svg, "rect", "tl-sc-due") == []
    assert len(of_class(svg, "line", "tl-sc-open")) == 1
    assert svg.find(f"{SVG}desc").text == (
        "Promised 1 March 2026, for no stated date. As of 1 June 2026: No date given. "
        "No date was promised, and nothing since is on record."
    )


def test_each_outcome_marker_says_what_that_event_did(history):
    history.add("beta", "2026-05-01", "fulfilment", relations=[rel("fulfils", "p", extent="partial")])
    history.add("rest", "2026-07-10", "fulfilment", relations=[rel("fulfils", "p")])
    _, svg = chart_of(history.load(), "p", "2026-08-01")
    tips = [c.find(f"{SVG}title").text for c in of_class(svg, "circle", "tl-sc-delivered")]
    assert tips == ["Partly delivered 1 May 2026", "Delivered late 10 July 2026"]
    assert svg.find(f"{SVG}desc").text == (
        "Promised 1 March 2026, for June 2026. Partly delivered 1 May 2026. Delivered late 10 July 2026. "
        "Delivered on 10 July 2026, 10 days after the first committed date (June 2026)."
    )


def test_description_of_a_stalled_promise(history):
    history.add("d1", "2026-05-01", "delay", relations=[rel("delays", "p")])
    graph = history.load()
    record = promises.record(graph, graph.events["p"], date(2026, 7, 1))
    assert slipchart.describe(record) == (
        "Promised 1 March 2026, for June 2026. Delayed 1 May 2026, to no new date. "
        "As of 1 July 2026: Stalled. Delayed on 1 May 2026 with no new date; 1 day past the first committed date (June 2026)."
    )


# Escaping and determinism -------------------------------------------------------------------


def test_contributor_text_is_escaped(story):
    story.promise("p", "2026-03-01", "2026-06", title='Widget <2 & "co" > 1')
    text, svg = chart_of(story.load(), "p", "2026-07-01", "c")
    assert "Widget &lt;2 &amp;" in text
    assert "<2" not in text and "& " not in text
    assert svg.find(f"{SVG}title").text == 'Slip chart: Widget <2 & "co" > 1'


def test_output_is_deterministic(real_graph, repo_root):
    first, _ = chart_of(real_graph, MUSE_PROMISE, "2026-11-24")
    again, _ = chart_of(real_graph, MUSE_PROMISE, "2026-11-24")
    reloaded, _ = chart_of(load_graph(repo_root)[0], MUSE_PROMISE, "2026-11-24")
    assert first == again == reloaded
    other_day, _ = chart_of(real_graph, MUSE_PROMISE, "2026-11-25")
    assert other_day != first  # the as-of date is part of the input


def test_every_promise_on_record_renders(real_graph):
    for record in promises.records(real_graph, date(2026, 11, 24)):
        svg = ET.fromstring(str(slipchart.render(record, f"slipchart-{record.promise.id}"))).find(f"{SVG}svg")
        assert svg.get("aria-labelledby") == f"slipchart-{record.promise.id}-title slipchart-{record.promise.id}-desc"
        assert svg.find(f"{SVG}desc").text == slipchart.describe(record)
