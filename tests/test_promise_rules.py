"""Whole-graph checks on relations and promise histories, each reported at its exact line:column.

Files are written with conftest.event_yaml, whose layout fixes the lines: a non-promise event's
first relation has its `event` value at 14:12 and its `new_date` at 15:15; the relation item
itself starts at 13:5. Promises are due in June 2026 unless a test says otherwise.
"""

from __future__ import annotations

import pytest
from ai_timeline.cli import main
from ai_timeline.diagnostics import ERROR, WARNING
from ai_timeline.model import PROMISE_RELATIONS, RELATION_LABELS
from ai_timeline.project import load_graph
from conftest import event_yaml, rel

EVENT_AT = (14, 12)
NEW_DATE_AT = (15, 15)
ITEM_AT = (13, 5)
EXTRA = {"delays": {"new_date": "2026-07"}}  # keeps a delay's history valid where it is not the point


def where(diagnostic) -> tuple:
    return (diagnostic.path, diagnostic.line, diagnostic.column, diagnostic.severity)


def only(items: list) -> object:
    assert len(items) == 1, [str(d) for d in items]
    return items[0]


# Relations that need a promise ------------------------------------------------------------


@pytest.mark.parametrize("type_", PROMISE_RELATIONS)
def test_promise_relation_pointing_at_a_non_promise(timeline_project, type_):
    text = event_yaml("2026-05-01", "statement", relations=[rel(type_, "valid-sibling", **EXTRA.get(type_, {}))])
    error = timeline_project.single_error("2026/points-at-launch.yaml", text)
    assert (error.line, error.column) == EVENT_AT
    assert error.message == f"'{type_}' must point at a promise, but 'valid-sibling' is kind: launch"
    assert error.hint == "point it at the promise event itself"


# Cycles -------------------------------------------------------------------------------------


def test_two_same_day_events_relating_to_each_other_form_a_cycle(story):
    story.add("cycle-a", "2026-05-01", relations=[rel("follows", "cycle-b")])
    story.add("cycle-b", "2026-05-01", relations=[rel("responds-to", "cycle-a")])
    graph, report = story.load_with_report()
    error = only(report.errors)
    assert where(error) == ("events/2026/cycle-b.yaml", *EVENT_AT, ERROR)
    assert error.message == "relations form a cycle: cycle-a → cycle-b → cycle-a"
    assert "points at an earlier one" in error.hint
    assert report.warnings == []
    # The graph still holds both and can order them.
    assert [e.id for e in graph.ordered if e.id.startswith("cycle")] == ["cycle-a", "cycle-b"]
    assert [e.id for e in graph.thread("cycle-a")] == ["cycle-a", "cycle-b"]


def test_a_longer_cycle_is_reported_once(story):
    story.add("loop-a", "2026-05-01", relations=[rel("follows", "loop-c")])
    story.add("loop-b", "2026-05-01", relations=[rel("follows", "loop-a")])
    story.add("loop-c", "2026-05-01", relations=[rel("follows", "loop-b")])
    _, report = story.load_with_report()
    error = only(report.errors)
    assert error.message == "relations form a cycle: loop-a → loop-c → loop-b → loop-a"
    assert error.path == "events/2026/loop-b.yaml"


def test_a_chain_without_a_loop_is_no_cycle(story):
    story.add("chain-a", "2026-05-01").add("chain-b", "2026-05-01", relations=[rel("follows", "chain-a")])
    story.add("chain-c", "2026-05-01", relations=[rel("follows", "chain-a"), rel("follows", "chain-b")])
    story.load()  # asserts that nothing is reported


# Direction: a relation points at an earlier event ---------------------------------------------


def test_fulfilment_dated_before_its_promise(story):
    story.promise("p", "2026-05-10", "2026-06").add("early", "2026-05-01", "fulfilment", relations=[rel("fulfils", "p")])
    graph, report = story.load_with_report()
    error = only(report.errors)
    assert where(error) == ("events/2026/early.yaml", *EVENT_AT, ERROR)
    assert error.message == "'fulfils' points at 'p', dated 10 May 2026, after this event (1 May 2026)"
    assert "from the later event to the earlier one" in error.hint
    assert {"p", "early"} <= set(graph.events)


@pytest.mark.parametrize("type_", PROMISE_RELATIONS)
def test_every_promise_relation_pointing_forward_is_an_error(story, type_):
    story.promise("p", "2026-05-10", "2026-06").add("before", "2026-05-09", relations=[rel(type_, "p", **EXTRA.get(type_, {}))])
    _, report = story.load_with_report()
    assert where(only(report.errors)) == ("events/2026/before.yaml", *EVENT_AT, ERROR)
    assert report.warnings == []


@pytest.mark.parametrize("type_", sorted(set(RELATION_LABELS) - set(PROMISE_RELATIONS) - {"related"}))
def test_other_relations_pointing_forward_are_warnings(story, type_):
    story.add("later", "2026-06-02").add("sooner", "2026-06-01", relations=[rel(type_, "later")])
    _, report = story.load_with_report()
    assert report.errors == []
    warning = only(report.warnings)
    assert where(warning) == ("events/2026/sooner.yaml", *EVENT_AT, WARNING)
    assert warning.message == f"'{type_}' points at 'later', dated 2 June 2026, after this event (1 June 2026)"


def test_related_may_point_either_way(story):
    story.add("later", "2026-06-02").add("sooner", "2026-06-01", relations=[rel("related", "later")])
    story.load()


def test_a_coarse_date_that_may_include_the_target_is_not_forward(story):
    story.promise("p", "2026-05-10", "2026-06").add("sometime-in-may", "2026-05", "fulfilment", relations=[rel("fulfils", "p")])
    story.load()


# Delays and reaffirmations ------------------------------------------------------------------


def test_delay_to_a_date_earlier_than_the_promised_one(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "pulled-in", "2026-04-01", "delay", relations=[rel("delays", "p", new_date="2026-05")]
    )
    _, report = story.load_with_report()
    error = only(report.errors)
    assert where(error) == ("events/2026/pulled-in.yaml", *NEW_DATE_AT, ERROR)
    assert error.message == "new date May 2026 is earlier than the date it replaces (June 2026)"
    assert "reaffirms" in error.hint


def test_second_delay_is_compared_with_the_first_delays_date(story):
    story.promise("p", "2026-03-01", "2026-04").add(
        "to-june", "2026-04-01", "delay", relations=[rel("delays", "p", new_date="2026-06")]
    ).add("to-may", "2026-05-01", "delay", relations=[rel("delays", "p", new_date="2026-05")])
    _, report = story.load_with_report()
    error = only(report.errors)
    assert where(error) == ("events/2026/to-may.yaml", *NEW_DATE_AT, ERROR)
    assert error.message == "new date May 2026 is earlier than the date it replaces (June 2026)"


def test_delay_to_the_same_date_is_a_warning(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "same-again", "2026-04-01", "delay", relations=[rel("delays", "p", new_date="2026-06")]
    )
    _, report = story.load_with_report()
    assert report.errors == []
    warning = only(report.warnings)
    assert where(warning) == ("events/2026/same-again.yaml", *NEW_DATE_AT, WARNING)
    assert warning.message == "new date June 2026 is the date already promised"
    assert "reaffirms" in warning.hint


def test_delay_to_a_finer_date_inside_the_promised_one_is_fine(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "pinned-down", "2026-04-01", "delay", relations=[rel("delays", "p", new_date="2026-06-20")]
    )
    story.load()


def test_reaffirmation_restating_a_different_date_is_a_warning(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "restated", "2026-04-01", relations=[rel("reaffirms", "p", new_date="2026-07")]
    )
    _, report = story.load_with_report()
    assert report.errors == []
    warning = only(report.warnings)
    assert where(warning) == ("events/2026/restated.yaml", *NEW_DATE_AT, WARNING)
    assert warning.message == "restates the date as July 2026, but the promise then stood at June 2026"
    assert "use 'delays' with new_date" in warning.hint


@pytest.mark.parametrize("new_date", ["2026-06", "2026-06-15", "2026-Q2"])
def test_reaffirmation_restating_the_same_date_is_fine(story, new_date):
    story.promise("p", "2026-03-01", "2026-06").add(
        "restated", "2026-04-01", relations=[rel("reaffirms", "p", new_date=new_date)]
    )
    story.load()


def test_reaffirmation_is_compared_with_the_date_after_slips(story):
    story.promise("p", "2026-03-01", "2026-04").add(
        "to-june", "2026-04-01", "delay", relations=[rel("delays", "p", new_date="2026-06")]
    ).add("june-it-is", "2026-05-01", relations=[rel("reaffirms", "p", new_date="2026-06")])
    story.load()


# Follow-ups after the promise was settled ----------------------------------------------------


def test_delay_after_fulfilment_is_a_warning(story):
    story.promise("p", "2026-03-01", "2026-06").add("done", "2026-05-01", "fulfilment", relations=[rel("fulfils", "p")]).add(
        "late-delay", "2026-05-15", "delay", relations=[rel("delays", "p", new_date="2026-07")]
    )
    _, report = story.load_with_report()
    assert report.errors == []
    warning = only(report.warnings)
    assert where(warning) == ("events/2026/late-delay.yaml", *ITEM_AT, WARNING)
    assert warning.message == "'p' was already settled by 'done' (fulfilment) before this delays it"


def test_cancellation_after_a_break_is_a_warning(story):
    story.promise("p", "2026-03-01", "2026-06").add("broke", "2026-07-01", relations=[rel("breaks", "p")]).add(
        "withdrew", "2026-08-01", "cancellation", relations=[rel("cancels", "p")]
    )
    _, report = story.load_with_report()
    assert only(report.warnings).path == "events/2026/withdrew.yaml"


def test_full_delivery_after_a_partial_one_is_no_follow_up_after_settling(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "beta", "2026-05-01", "fulfilment", relations=[rel("fulfils", "p", extent="partial")]
    ).add("rest-delayed", "2026-05-20", "delay", relations=[rel("delays", "p", new_date="2026-08")]).add(
        "general-availability", "2026-08-01", "fulfilment", relations=[rel("fulfils", "p")]
    )
    story.load()


# The command line ---------------------------------------------------------------------------


def test_check_exits_1_for_a_promise_rule_error(story, capsys):
    story.promise("p", "2026-03-01", "2026-06").add(
        "pulled-in", "2026-04-01", "delay", relations=[rel("delays", "p", new_date="2026-05")]
    )
    status = main(["check", "--root", str(story.project.root)])
    out, err = capsys.readouterr()
    assert status == 1
    assert out == ""
    assert "events/2026/pulled-in.yaml:15:15: error: new date May 2026 is earlier than the date it replaces" in err
    assert err.splitlines()[-1].endswith("1 errors, 0 warnings")


def test_check_exits_1_for_a_cycle(story, capsys):
    story.add("cycle-a", "2026-05-01", relations=[rel("follows", "cycle-b")])
    story.add("cycle-b", "2026-05-01", relations=[rel("follows", "cycle-a")])
    assert main(["check", "--root", str(story.project.root)]) == 1
    assert "events/2026/cycle-b.yaml:14:12: error: relations form a cycle" in capsys.readouterr().err


def test_warnings_fail_the_check_as_they_fail_a_strict_build_unless_allowed(story, capsys):
    story.promise("p", "2026-03-01", "2026-06").add(
        "same-again", "2026-04-01", "delay", relations=[rel("delays", "p", new_date="2026-06")]
    )
    warning = (
        "events/2026/same-again.yaml:15:15: warning: new date June 2026 is the date already promised "
        "(hint: use 'reaffirms' when a date is restated unchanged)"
    )
    assert main(["check", "--root", str(story.project.root)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == warning
    assert "0 errors, 1 warnings (warnings fail the check" in err and out == ""

    assert main(["check", "--allow-warnings", "--root", str(story.project.root)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [warning]
    assert out.strip().endswith("0 errors, 1 warnings")


def test_the_real_data_passes_every_promise_rule(repo_root):
    _, report = load_graph(repo_root)
    assert [str(d) for d in report.sorted()] == []


def test_event_yaml_layout_matches_the_documented_lines():
    lines = event_yaml("2026-05-01", relations=[rel("delays", "p", new_date="2026-06")]).splitlines()
    assert lines[EVENT_AT[0] - 1].index("p") + 1 == EVENT_AT[1]
    assert lines[NEW_DATE_AT[0] - 1].index("2026-06") + 1 == NEW_DATE_AT[1]
    assert lines[ITEM_AT[0] - 1].index("type") + 1 == ITEM_AT[1]
