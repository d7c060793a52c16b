"""Track records per entity and for the industry: computed from the records, units rolled up
into their parents and shown separately, small samples flagged."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from ai_timeline import promises, trackrecord
from conftest import rel
from sitebuild import SOURCE, build_in_process, fixture_project


def _records(story, as_of="2026-11-24"):
    graph = story.load()
    return graph, promises.records(graph, date.fromisoformat(as_of))


def test_counts_median_and_worst_days_late_with_units_rolled_up(story):
    story.promise("on-time", "2025-01-10", due="2025-06")
    story.add("on-time-done", "2025-05-01", "fulfilment", relations=[rel("fulfils", "on-time")])
    story.promise("late", "2025-01-10", due="2025-06")
    story.add("late-done", "2025-07-10", "fulfilment", relations=[rel("fulfils", "late")])
    story.promise("overdue", "2026-01-10", due="2026-10")
    story.promise("open", "2026-10-01", due="2027")
    graph, records = _records(story)
    record = trackrecord.of_entity(graph, trackrecord.ByMaker(records), graph.entities["acme"])
    assert dict((k, n) for k, _, n in record.counts if n) == {"on-time": 1, "late": 1, "overdue": 1, "open": 1}
    assert record.total == 4 and record.small
    # Known lateness: 0 (on time), 10 (late), 24 (overdue since 31 October); the open one is unknown.
    assert record.median_days_late == 10 and record.worst.promise.id == "overdue" and record.worst.days_late == 24
    assert trackrecord.of_industry(records).total == 4


def test_a_units_promises_roll_up_and_show_separately(timeline_project):
    timeline_project.write(
        "2026/lab-promise.yaml",
        timeline_project.valid_event.replace("kind: launch", "kind: promise").replace("  - acme\n", "  - acme-research\n")
        + "promise:\n  by: acme-research\n  what: Ship it\n  due: 2026-06\n",
    )
    graph, report = timeline_project.load()
    assert report.items == []
    records = promises.records(graph, date(2026, 11, 24))
    rows = trackrecord.rows_for(graph, trackrecord.ByMaker(records), graph.entities["acme"])
    assert [(note, row.name, row.total) for note, row in rows] == [("units included", "Acme", 1), ("a unit", "Acme Research", 1)]
    assert [e.id for e in trackrecord.top_level(graph, records)] == ["acme"]


def test_the_track_record_page_and_the_entity_section(tmp_path):
    events = {
        "entities/acme.yaml": "name: Acme\nkind: company\n",
        "entities/acme-lab.yaml": "name: Acme Lab\nkind: lab\nparent: acme\n",
    }
    for n, (by, due, done) in enumerate(
        [("acme", "2025-06", "2025-05-01"), ("acme-lab", "2025-06", "2025-08-01"), ("acme-lab", "2026-03", None)]
    ):
        events[f"2025/p{n}.yaml"] = (
            f"title: Promise {n}\ndate: 2025-01-0{n + 1}\nkind: promise\nentities: [{by}]\nsummary: P.\n"
            f"promise:\n  by: {by}\n  what: Ship {n}\n  due: {due}\nsources:" + SOURCE
        )
        if done:
            events[f"2025/d{n}.yaml"] = (
                f"title: Done {n}\ndate: {done}\nkind: fulfilment\nentities: [{by}]\nsummary: D.\n"
                f"relations:\n  - type: fulfils\n    event: p{n}\nsources:" + SOURCE
            )
    project = fixture_project(tmp_path, events)
    assert build_in_process(project, tmp_path / "site").ok
    page = (tmp_path / "site" / "track-record" / "index.html").read_text("utf-8")
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>\s*<td>(.*?)</td>", page, re.S)
    cells = [
        (re.sub("<[^>]+>", "", a).strip(), re.sub("<[^>]+>", " ", b).split()[0], re.sub("<[^>]+>", "", c)) for a, b, c in rows
    ]
    assert cells == [
        ("Everyone on record", "3", "1 kept on time, 1 kept late, 1 overdue"),
        ("Acme (units included)", "3", "1 kept on time, 1 kept late, 1 overdue"),
    ]
    assert page.count("too few to compare") >= 2 and "How the numbers are computed" in page
    svg = ET.fromstring(
        page[page.index("<svg", page.index("tl-trackchart")) : page.index("</svg>", page.index("tl-trackchart")) + 6]
    )
    classes = {
        e.get("class") for e in svg.iter() if (e.get("class") or "").startswith("tl-tr-") and e.get("class") != "tl-tr-label"
    }
    assert classes == {"tl-tr-on-time", "tl-tr-late", "tl-tr-overdue"}
    entity = (tmp_path / "site" / "entities" / "acme" / "index.html").read_text("utf-8")
    section = entity[entity.index('id="track-record"') : entity.index('id="events')]
    assert "its own promises" in section and "a unit" in section and "Acme Lab" in section
