"""EventGraph on a small fixture (hierarchy, people, a promise's history) and on the real data."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ai_timeline.dates import FuzzyDate
from ai_timeline.graph import EventGraph
from ai_timeline.project import load_graph

SOURCE = """\
sources:
  - publisher: Acme
    title: Acme news
    date: 2026
    type: primary
"""

ENTITIES = {
    "acme": "name: Acme\nkind: company\n",
    "acme-research": "name: Acme Research\nkind: lab\nparent: acme\n",
    "acme-agents": "name: Acme Agents\nkind: team\nparent: acme-research\n",
    "widget": "name: Widget\nkind: model\nparent: acme-agents\n",
    "widget-api": "name: Widget API\nkind: product\nparent: widget\n",
    "daily-paper": "name: The Daily Paper\nkind: media\n",
    "jane-doe": """\
name: Jane Doe
kind: person
roles:
  - title: Chief Scientist
    org: acme-research
    from: 2025
  - title: Adviser
    org: acme
    from: 2024
    to: 2025-06
""",
    "bob-roe": "name: Bob Roe\nkind: person\nroles:\n  - title: Engineer\n    org: acme-research\n",
}

EVENTS = {
    # The promise, made by a team two levels below the company.
    "2026/widget-api-promised": """\
title: Acme Agents promise the Widget API for April
date: 2026-03
kind: promise
entities:
  - acme-agents
  - widget-api
promise:
  by: acme-agents
  what: Release the Widget API
  due: 2026-04
summary: The team said the API would ship in April.
""",
    # Three events on 10 April 2026. By ID alone the report would come first.
    "2026/acme-hires-staff": """\
title: Acme hires staff
date: 2026-04-10
kind: appointment
entities:
  - acme
quotes:
  - text: We are hiring.
    by: jane-doe
summary: Acme hired staff.
""",
    "2026/widget-api-delayed": """\
title: Widget API delayed to May
date: 2026-04-10
kind: delay
entities:
  - acme
  - widget-api
relations:
  - type: delays
    event: widget-api-promised
    new_date: 2026-05
    reason: Testing found bugs
summary: The API slipped to May.
""",
    "2026/daily-paper-reports-delay": """\
title: The Daily Paper reports the delay
date: 2026-04-10
kind: report
entities:
  - daily-paper
relations:
  - type: reports
    event: widget-api-delayed
summary: A newspaper reported the delay.
""",
    "2026/widget-api-released": """\
title: Widget API released
date: 2026-05-20
kind: fulfilment
entities:
  - widget-api
relations:
  - type: fulfils
    event: widget-api-promised
    extent: full
summary: The API shipped.
""",
}


def _write_project(root: Path, events: dict[str, str]) -> None:
    for entity_id, text in ENTITIES.items():
        path = root / "events" / "entities" / f"{entity_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, text in events.items():
        path = root / "events" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + SOURCE, encoding="utf-8")


@pytest.fixture
def graph(tmp_path: Path) -> EventGraph:
    _write_project(tmp_path, EVENTS)
    loaded, report = load_graph(tmp_path)
    assert report.items == [], [str(d) for d in report.items]
    return loaded


def ids(events) -> list[str]:
    return [e.id for e in events]


# Hierarchy and people -------------------------------------------------------------------------


def test_hierarchy(graph):
    assert ids(graph.children("acme")) == ["acme-research"]
    assert ids(graph.descendants("acme")) == ["acme-research", "acme-agents", "widget", "widget-api"]
    assert ids(graph.ancestors("widget-api")) == ["widget", "acme-agents", "acme-research", "acme"]
    assert graph.ancestors("acme") == []
    assert graph.descendants("widget-api") == []


def test_people_by_name_with_their_role(graph):
    assert [(p.id, r.title) for p, r in graph.people("acme-research")] == [
        ("bob-roe", "Engineer"),
        ("jane-doe", "Chief Scientist"),
    ]
    [(person, role)] = graph.people("acme")
    assert (person.id, role.title) == ("jane-doe", "Adviser")
    assert (role.start, role.end) == (FuzzyDate.parse("2024"), FuzzyDate.parse("2025-06"))
    assert graph.people("acme-agents") == []


# Events of an entity --------------------------------------------------------------------------


def test_events_of_includes_sub_units_by_default(graph):
    assert ids(graph.events_of("acme")) == [
        "widget-api-promised",
        "acme-hires-staff",
        "widget-api-delayed",
        "widget-api-released",
    ]


def test_events_of_without_sub_units(graph):
    assert ids(graph.events_of("acme", include_subunits=False)) == ["acme-hires-staff", "widget-api-delayed"]


def test_events_of_a_middle_unit(graph):
    assert ids(graph.events_of("acme-agents")) == ["widget-api-promised", "widget-api-delayed", "widget-api-released"]
    assert ids(graph.events_of("acme-agents", include_subunits=False)) == ["widget-api-promised"]


def test_events_of_counts_quotes_and_promisers(graph):
    assert ids(graph.events_of("jane-doe")) == ["acme-hires-staff"]  # only quoted there
    assert ids(graph.events_of("daily-paper")) == ["daily-paper-reports-delay"]


def test_via_unit(graph):
    events = graph.events
    assert graph.via_unit("acme", events["acme-hires-staff"]) is None  # direct
    assert graph.via_unit("acme", events["widget-api-delayed"]) is None  # direct, also via a unit
    assert graph.via_unit("acme", events["widget-api-promised"]).id == "acme-agents"
    assert graph.via_unit("acme", events["widget-api-released"]).id == "widget-api"
    assert graph.via_unit("acme-research", events["widget-api-delayed"]).id == "widget-api"
    assert graph.via_unit("daily-paper", events["widget-api-released"]) is None


# Relations ------------------------------------------------------------------------------------


def _links(links) -> list[tuple[str, str, bool]]:
    return [(link.relation.type, link.other.id, link.outgoing) for link in links]


def test_related_in_both_directions(graph):
    assert _links(graph.related("widget-api-delayed")) == [
        ("delays", "widget-api-promised", True),
        ("reports", "daily-paper-reports-delay", False),
    ]
    assert _links(graph.related("widget-api-promised")) == [
        ("delays", "widget-api-delayed", False),
        ("fulfils", "widget-api-released", False),
    ]
    assert _links(graph.related("daily-paper-reports-delay")) == [("reports", "widget-api-delayed", True)]
    assert graph.related("acme-hires-staff") == []


def test_outgoing_and_incoming(graph):
    assert _links(graph.outgoing("widget-api-released")) == [("fulfils", "widget-api-promised", True)]
    assert graph.incoming("widget-api-released") == []
    assert _links(graph.incoming("widget-api-delayed")) == [("reports", "daily-paper-reports-delay", False)]


def test_promises_and_promise_history(graph):
    assert ids(graph.promises()) == ["widget-api-promised"]
    promise = graph.events["widget-api-promised"].promise
    assert (promise.by, promise.what, promise.due) == ("acme-agents", "Release the Widget API", FuzzyDate.parse("2026-04"))
    history = graph.promise_history("widget-api-promised")
    assert [(r.type, e.id) for r, e in history] == [("delays", "widget-api-delayed"), ("fulfils", "widget-api-released")]
    delay, fulfilment = history[0][0], history[1][0]
    assert (delay.new_date, delay.reason) == (FuzzyDate.parse("2026-05"), "Testing found bugs")
    assert fulfilment.extent == "full"
    # A report about the delay is not part of the promise's history.
    assert graph.promise_history("widget-api-delayed") == []


# Order ----------------------------------------------------------------------------------------


def test_same_date_related_event_comes_after_what_it_relates_to(graph):
    assert ids(graph.ordered) == [
        "widget-api-promised",
        "acme-hires-staff",  # no relation on that day: ID order
        "widget-api-delayed",
        "daily-paper-reports-delay",  # relates to the delay: after it, though 'd' < 'w'
        "widget-api-released",
    ]


def test_same_date_order_does_not_depend_on_ids(tmp_path):
    """Rename so that the relating event sorts last by ID, then first: the order follows the relation."""
    for first, second in [("a-first", "z-second"), ("z-first", "a-second")]:
        root = tmp_path / first
        events = {
            f"2026/{first}": EVENTS["2026/acme-hires-staff"],
            f"2026/{second}": EVENTS["2026/acme-hires-staff"] + f"relations:\n  - type: follows\n    event: {first}\n",
        }
        _write_project(root, events)
        graph, report = load_graph(root)
        assert report.items == []
        assert ids(graph.ordered) == [first, second]


def test_coarser_date_comes_first_on_the_same_day(tmp_path):
    events = {
        "2026/april-day-one": EVENTS["2026/acme-hires-staff"].replace("date: 2026-04-10", "date: 2026-04-01"),
        "2026/april-month": EVENTS["2026/acme-hires-staff"].replace("date: 2026-04-10", "date: 2026-04"),
        "2026/second-quarter": EVENTS["2026/acme-hires-staff"].replace("date: 2026-04-10", "date: 2026-Q2"),
    }
    _write_project(tmp_path, events)
    graph, report = load_graph(tmp_path)
    assert report.items == []
    assert ids(graph.ordered) == ["second-quarter", "april-month", "april-day-one"]


def test_newest_first_groups_by_year_and_month(graph):
    grouped = [(year, [(label, ids(events)) for label, events in months]) for year, months in graph.newest_first()]
    assert grouped == [
        (
            2026,
            [
                ("May 2026", ["widget-api-released"]),
                ("April 2026", ["daily-paper-reports-delay", "widget-api-delayed", "acme-hires-staff"]),
                ("March 2026", ["widget-api-promised"]),
            ],
        )
    ]


# The real data --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real():
    root = Path(__file__).resolve().parent.parent
    return load_graph(root)


def test_real_data_loads_without_errors(real):
    graph, report = real
    assert [str(d) for d in report.errors] == []
    assert len(graph.events) >= 16
    assert {"meta", "tbd-lab", "muse-spark", "muse-spark-api"} <= set(graph.entities)


def test_real_meta_page_includes_the_muse_spark_launch(real):
    graph, _ = real
    assert "muse-spark-launch" in ids(graph.events_of("meta"))
    # The hierarchy that carries Muse Spark's events up to Meta.
    assert ids(graph.ancestors("muse-spark")) == ["tbd-lab", "meta-superintelligence-labs", "meta"]
    assert {"tbd-lab", "muse-spark", "muse-spark-api"} <= set(ids(graph.descendants("meta")))


def test_real_tbd_lab_reaches_api_events_only_through_sub_units(real):
    graph, _ = real
    direct = ids(graph.events_of("tbd-lab", include_subunits=False))
    with_units = ids(graph.events_of("tbd-lab"))
    assert "muse-spark-launch" in direct
    assert "muse-spark-api-planned-with-launch" not in direct
    assert "muse-spark-api-planned-with-launch" in with_units
    assert graph.via_unit("tbd-lab", graph.events["muse-spark-api-planned-with-launch"]).id == "muse-spark-api"
    assert graph.via_unit("tbd-lab", graph.events["muse-spark-launch"]) is None


def test_real_promise_history_has_the_two_delays(real):
    graph, _ = real
    history = graph.promise_history("muse-spark-api-planned-with-launch")
    delays = [(e.id, r.new_date.iso()) for r, e in history if r.type == "delays"]
    assert delays == [("muse-spark-api-delayed-to-may", "2026-05"), ("muse-spark-api-delayed-to-june", "2026-06")]
    positions = {e.id: i for i, e in enumerate(graph.ordered)}
    assert [positions[e.id] for _, e in history] == sorted(positions[e.id] for _, e in history)


def test_real_related_event_on_the_same_date_comes_after(real):
    graph, _ = real
    order = ids(graph.ordered)
    # Both are dated 2026-04; the promise relates to the launch.
    assert graph.events["muse-spark-launch"].date.sort_key == graph.events["muse-spark-api-planned-with-launch"].date.sort_key
    assert order.index("muse-spark-launch") < order.index("muse-spark-api-planned-with-launch")
    assert date(2026, 4, 1) == graph.events["muse-spark-launch"].date.first
