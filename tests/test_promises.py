"""Promise records: status, slips and lateness derived from small YAML histories and the real data.

Every history is written as YAML files into the `timeline_project` fixture (through `story`,
conftest.py) and loaded with the real `load_graph`, which must report nothing. The promise is
always `p`, made on 1 March 2026 by Acme, and in most tests due in June 2026.
"""

from __future__ import annotations

from datetime import date

import pytest
from ai_timeline import promises
from ai_timeline.project import load_graph
from conftest import rel

MUSE_PROMISE = "muse-spark-api-planned-with-launch"
REAL_AS_OF = date(2026, 11, 24)


def record_of(story, as_of: str, promise_id: str = "p") -> promises.PromiseRecord:
    graph = story.load()
    return promises.record(graph, graph.events[promise_id], date.fromisoformat(as_of))


def fulfilled(story, when: str, **extra: str):
    """A promise due in June 2026, fulfilled on `when`."""
    return story.promise("p", "2026-03-01", "2026-06").add("done", when, "fulfilment", relations=[rel("fulfils", "p", **extra)])


# One test per status ------------------------------------------------------------------------


def test_not_yet_due(story):
    story.promise("p", "2026-03-01", "2026-06")
    r = record_of(story, "2026-05-15")
    assert (r.status, r.label) == ("not-yet-due", "Not yet due")
    assert r.steps == () and r.slips == () and r.outcome is None
    assert r.days_late == 0
    assert r.current_due == r.original_due and r.original_due.iso() == "2026-06"
    assert r.slip_days == 0


def test_last_day_of_the_promised_month_is_not_overdue(story):
    story.promise("p", "2026-03-01", "2026-06")
    r = record_of(story, "2026-06-30")
    assert r.status == "not-yet-due"
    assert r.days_late == 0


def test_overdue_from_the_day_after_the_promised_month(story):
    story.promise("p", "2026-03-01", "2026-06")
    r = record_of(story, "2026-07-01")
    assert (r.status, r.label) == ("overdue", "Overdue, no follow-up recorded")
    assert r.days_late == 1


def test_overdue_reaffirmed_when_restated_after_the_date_passed(story):
    story.promise("p", "2026-03-01", "2026-06").add("still-coming", "2026-07-15", relations=[rel("reaffirms", "p")])
    r = record_of(story, "2026-08-01")
    assert (r.status, r.label) == ("overdue-reaffirmed", "Overdue, still promised")
    assert [s.relation.type for s in r.steps] == ["reaffirms"]
    assert r.days_late == 32  # 1 August − 30 June
    assert r.current_due.iso() == "2026-06"  # a reaffirmation does not move the date


def test_a_reaffirmation_before_the_date_passed_leaves_it_plain_overdue(story):
    story.promise("p", "2026-03-01", "2026-06").add("on-track", "2026-06-30", relations=[rel("reaffirms", "p")])
    r = record_of(story, "2026-08-01")
    assert r.status == "overdue"


def test_stalled_when_delayed_without_a_new_date(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "pushed-back", "2026-05-20", "delay", relations=[rel("delays", "p", reason="More testing")]
    )
    r = record_of(story, "2026-05-21")  # not even past the original date yet
    assert (r.status, r.label) == ("stalled", "Stalled")
    assert len(r.slips) == 1 and r.slips[0].relation.reason == "More testing"
    assert r.current_due is None
    assert r.slip_days is None
    assert r.days_late == 0


def test_broken(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "not-kept", "2026-09-01", "statement", relations=[rel("breaks", "p", reason="Shipped closed weights")]
    )
    r = record_of(story, "2026-10-01")
    assert (r.status, r.label) == ("broken", "Broken")
    assert r.outcome.event.id == "not-kept"
    assert r.days_late is None  # lateness means nothing for a promise that was not kept


def test_slipped_while_the_new_date_has_not_passed(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "to-september", "2026-06-20", "delay", relations=[rel("delays", "p", new_date="2026-09")]
    )
    r = record_of(story, "2026-07-15")
    assert (r.status, r.label) == ("slipped", "Slipped")
    assert r.current_due.iso() == "2026-09"
    assert r.slip_days == 92  # 30 September − 30 June
    assert r.days_late == 15  # still counted against the ORIGINAL date


def test_cancelled(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "withdrawn", "2026-04-02", "cancellation", relations=[rel("cancels", "p", reason="Strategy change")]
    )
    r = record_of(story, "2026-12-31")
    assert (r.status, r.label) == ("cancelled", "Cancelled")
    assert r.outcome.relation.type == "cancels"
    assert r.days_late is None


def test_no_date_given_and_no_follow_up(story):
    story.promise("p", "2026-03-01")
    r = record_of(story, "2030-01-01")
    assert (r.status, r.label) == ("no-date", "No date given")
    assert r.original_due is None and r.current_due is None
    assert r.days_late is None and r.slip_days is None


def test_partly_delivered(story):
    fulfilled(story, "2026-05-10", extent="partial")
    r = record_of(story, "2026-12-01")
    assert (r.status, r.label) == ("partly-delivered", "Partly delivered")
    assert r.outcome.relation.extent == "partial"


def test_delivered_late_one_day_after_the_promised_month(story):
    fulfilled(story, "2026-07-01")
    r = record_of(story, "2026-12-01")
    assert (r.status, r.label) == ("delivered-late", "Delivered late")
    assert r.days_late == 1  # first day of delivery − last day of the promised period


def test_delivered_too_coarse_to_tell(story):
    fulfilled(story, "2026")  # sometime in 2026, for June 2026
    r = record_of(story, "2026-01-01")
    assert (r.status, r.label) == ("delivered", "Delivered")
    assert r.days_late == 0


def test_delivered_on_time_on_the_last_day(story):
    fulfilled(story, "2026-06-30")
    r = record_of(story, "2026-12-01")
    assert (r.status, r.label) == ("delivered-on-time", "Delivered on time")
    assert r.days_late == 0


# Precision and ordering ---------------------------------------------------------------------


def test_delivered_in_the_promised_month_at_month_precision_is_on_time(story):
    fulfilled(story, "2026-06")
    assert record_of(story, "2026-12-01").status == "delivered-on-time"


@pytest.mark.parametrize(
    ("when", "status"),
    [
        ("2026-Q2", "delivered-on-time"),  # ends with June
        ("2026-Q3", "delivered-late"),  # starts after June
        ("2026-06-15", "delivered-on-time"),
    ],
)
def test_delivery_precision_against_a_monthly_promise(story, when, status):
    fulfilled(story, when)
    assert record_of(story, "2026-12-31").status == status


def test_a_promise_without_a_date_that_is_delivered_is_just_delivered(story):
    story.promise("p", "2026-03-01").add("done", "2026-04-01", "fulfilment", relations=[rel("fulfils", "p")])
    r = record_of(story, "2026-05-01")
    assert r.status == "delivered"
    assert r.days_late is None


def test_full_delivery_after_a_partial_one(story):
    fulfilled(story, "2026-05-10", extent="partial").add("rest-done", "2026-07-10", "fulfilment", relations=[rel("fulfils", "p")])
    r = record_of(story, "2026-12-01")
    assert r.status == "delivered-late"
    assert r.outcome.event.id == "rest-done"
    assert r.days_late == 10


def test_a_delay_without_date_then_a_new_date_is_no_longer_stalled(story):
    story.promise("p", "2026-03-01", "2026-06").add("no-date-yet", "2026-05-01", "delay", relations=[rel("delays", "p")]).add(
        "now-august", "2026-06-01", "delay", relations=[rel("delays", "p", new_date="2026-08")]
    )
    r = record_of(story, "2026-07-01")
    assert r.status == "slipped"
    assert [s.due_after.iso() if s.due_after else None for s in r.steps] == [None, "2026-08"]
    assert r.current_due.iso() == "2026-08"


def test_steps_dated_after_as_of_are_ignored(story):
    story.promise("p", "2026-03-01", "2026-06").add(
        "to-july", "2026-05-01", "delay", relations=[rel("delays", "p", new_date="2026-07")]
    ).add("done", "2026-08-10", "fulfilment", relations=[rel("fulfils", "p")])
    before = record_of(story, "2026-08-09")
    assert before.status == "overdue"
    assert [s.event.id for s in before.steps] == ["to-july"]
    assert before.outcome is None
    assert before.days_late == 40  # 9 August − 30 June
    on_the_day = record_of(story, "2026-08-10")
    assert on_the_day.status == "delivered-late"
    assert on_the_day.days_late == 41
    too_early = record_of(story, "2026-04-30")
    assert (too_early.status, too_early.steps, too_early.current_due.iso()) == ("not-yet-due", (), "2026-06")


# Lateness is counted against the original date ----------------------------------------------


def _two_slips(story):
    return (
        story.promise("p", "2026-03-01", "2026-04")
        .add("to-may", "2026-04-20", "delay", relations=[rel("delays", "p", new_date="2026-05")])
        .add("to-june", "2026-05-20", "delay", relations=[rel("delays", "p", new_date="2026-06")])
    )


def test_overdue_after_two_slips_counts_from_the_original_date(story):
    r = record_of(_two_slips(story), "2026-11-24")
    assert r.status == "overdue"
    assert len(r.slips) == 2
    assert r.original_due.iso() == "2026-04" and r.current_due.iso() == "2026-06"
    assert r.slip_days == 61  # 30 June − 30 April
    assert r.days_late == 208  # 24 November − 30 April, not − 30 June (147)


def test_delivered_late_after_slips_counts_from_the_original_date(story):
    _two_slips(story).add("done", "2026-06-10", "fulfilment", relations=[rel("fulfils", "p")])
    r = record_of(story, "2026-11-24")
    assert r.status == "delivered-late"  # by the slipped date, but not by the promised one
    assert r.days_late == 41  # 10 June − 30 April
    assert r.slip_days == 61


def test_the_real_muse_spark_api_promise(repo_root):
    graph, report = load_graph(repo_root)
    assert report.errors == []
    r = promises.record(graph, graph.events[MUSE_PROMISE], REAL_AS_OF)
    assert r.status == "overdue"
    assert (len(r.slips), r.slip_days, r.days_late) == (2, 61, 208)
    assert r.original_due.iso() == "2026-04" and r.current_due.iso() == "2026-06"
    assert [s.event.id for s in r.slips] == ["muse-spark-api-delayed-to-may", "muse-spark-api-delayed-to-june"]


# records() and status_counts() ---------------------------------------------------------------


def test_records_are_sorted_most_pressing_first(story):
    (
        story.promise("kept", "2026-01-05", "2026-02")
        .add("kept-done", "2026-02-01", "fulfilment", relations=[rel("fulfils", "kept")])
        .promise("open", "2026-01-10", "2026-12")
        .promise("a-bit-late", "2026-01-15", "2026-05")
        .promise("very-late", "2026-01-01", "2026-02")
        .promise("also-very-late", "2026-01-20", "2026-02")
        .promise("dropped", "2026-01-25", "2026-09")
        .add("drop", "2026-02-01", "cancellation", relations=[rel("cancels", "dropped")])
        .promise("not-made-yet", "2026-08-01", "2026-09")
    )
    graph = story.load()
    found = promises.records(graph, date(2026, 7, 1))
    assert [(r.promise.id, r.status) for r in found] == [
        ("also-very-late", "overdue"),  # same days late as very-late: the newer promise first
        ("very-late", "overdue"),
        ("a-bit-late", "overdue"),  # fewer days late
        ("dropped", "cancelled"),
        ("open", "not-yet-due"),
        ("kept", "delivered-on-time"),
    ]
    assert [r.days_late for r in found[:3]] == [123, 123, 31]  # 1 July − 28 February; 1 July − 31 May
    assert "not-made-yet" not in {r.promise.id for r in found}  # made after the as-of date
    assert promises.status_counts(found) == [("overdue", 3), ("cancelled", 1), ("not-yet-due", 1), ("delivered-on-time", 1)]


def test_statuses_are_ordered_by_severity():
    assert list(promises.STATUSES) == [
        "overdue",
        "overdue-reaffirmed",
        "stalled",
        "broken",
        "slipped",
        "cancelled",
        "not-yet-due",
        "no-date",
        "partly-delivered",
        "delivered-late",
        "delivered",
        "delivered-on-time",
    ]
    severities = [severity for _, _, severity in promises.STATUSES.values()]
    assert severities == sorted(severities, reverse=True) and len(set(severities)) == len(severities)


def test_status_counts_is_empty_for_no_records():
    assert promises.status_counts([]) == []


# Threads ---------------------------------------------------------------------------------------


def test_thread_of_the_real_muse_spark_api_story(repo_root):
    graph, _ = load_graph(repo_root)
    thread = [e.id for e in graph.thread("muse-spark-api-delayed-to-june")]
    story_ids = [
        MUSE_PROMISE,
        "wang-says-muse-spark-api-coming-soon",
        "muse-spark-api-delayed-to-may",
        "muse-spark-api-delayed-to-june",
        "wsj-reports-muse-spark-api-delays",
        "meta-says-muse-spark-api-launching-this-month",
    ]
    assert set(story_ids) <= set(thread)
    assert [i for i in thread if i in story_ids] == story_ids  # in date order
    position = {e.id: i for i, e in enumerate(graph.ordered)}
    assert [position[i] for i in thread] == sorted(position[i] for i in thread)
    assert "muse-spark-internal-benchmarks" not in thread  # linked only by `related`
    # Every member of a thread has the same thread.
    for event_id in thread:
        assert [e.id for e in graph.thread(event_id)] == thread


def test_related_alone_does_not_join_a_thread(story):
    story.promise("p", "2026-03-01", "2026-06").add("loosely", "2026-03-05", relations=[rel("related", "p")]).add(
        "delay", "2026-05-01", "delay", relations=[rel("delays", "p", new_date="2026-07")]
    ).add("coverage", "2026-05-02", "report", relations=[rel("reports", "delay"), rel("related", "loosely")])
    graph = story.load()
    assert [e.id for e in graph.thread("coverage")] == ["p", "delay", "coverage"]
    assert [e.id for e in graph.thread("loosely")] == ["loosely"]
    assert [e.id for e in graph.thread("valid-sibling")] == ["valid-sibling"]
