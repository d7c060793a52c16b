"""`timeline new` scaffolds files that check points into; `timeline check PATH` and
`--format github` report on just the files asked about."""

from __future__ import annotations

import io
import re

import pytest
from ai_timeline.cli import main
from conftest import event_yaml

SOURCE_FLAGS = ["--source-publisher", "Acme", "--source-title", "Acme news", "--source-date", "2026-05-02"]


def test_new_event_from_flags_is_named_from_its_title_and_passes_check(timeline_project, capsys):
    root = str(timeline_project.root)
    status = main(
        [
            "new",
            "event",
            "--root",
            root,
            "--title",
            "Acme ships Widget C#",
            "--date",
            "2026-05-02",
            "--kind",
            "launch",
            "--entity",
            "acme",
            "--summary",
            "Acme shipped Widget.",
            *SOURCE_FLAGS,
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert out.splitlines() == ["created events/2026/acme-ships-widget-c.yaml", "it passes 'timeline check'"]
    text = (timeline_project.root / "events/2026/acme-ships-widget-c.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../plugins/ai_timeline/schemas/event.schema.json\n")
    assert 'title: "Acme ships Widget C#"\n' in text
    # Every field is explained by a comment just above it.
    lines = text.splitlines()
    for key in ("title", "date", "kind", "entities", "summary", "sources"):
        at = lines.index(next(line for line in lines if line.startswith(f"{key}:")))
        assert lines[at - 1].startswith("#"), key
    assert main(["check", "--root", root]) == 0


def test_new_event_with_fields_left_out_points_at_each_one(timeline_project, capsys):
    assert (
        main(
            [
                "new",
                "event",
                "--root",
                str(timeline_project.root),
                "--title",
                "Acme promises Gadget",
                "--date",
                "2026-05",
                "--kind",
                "promise",
                "--entity",
                "acme",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    left = re.findall(r"^  events/2026/acme-promises-gadget\.yaml:(\d+):\d+: error: '([^']+)' is empty", out, re.M)
    assert [name for _, name in left] == [
        "summary",
        "promise.what",
        "sources[0].publisher",
        "sources[0].title",
        "sources[0].date",
    ]
    assert out.rstrip().endswith("fill in what is left, then run 'timeline check'")


def test_new_refuses_to_overwrite_or_reuse_an_id(timeline_project, capsys):
    args = ["new", "event", "--root", str(timeline_project.root), "--title", "Valid sibling", "--date", "2025-01"]
    assert main(args) == 1  # the ID exists in events/2026/, so not even in another year's folder
    assert capsys.readouterr().err.strip() == (
        "timeline new: ID 'valid-sibling' is already used by events/2026/valid-sibling.yaml; choose another with --id"
    )
    assert not (timeline_project.root / "events/2025").exists()


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--date", "2026-13"], "--date: month 13 does not exist"),
        (["--date", "2026-05", "--kind", "lanch"], "--kind: 'lanch' is not allowed (did you mean 'launch'?)"),
        (["--date", "2026-05", "--entity", "Not An ID"], "--entity: 'Not An ID' is not an ID"),
        (["--date", "2026-05", "--id", "../../etc/x"], "--id: '../../etc/x' is not an ID"),
    ],
)
def test_new_refuses_bad_flags_before_writing_anything(timeline_project, capsys, flags, message):
    before = sorted(p for p in timeline_project.root.rglob("*"))
    assert main(["new", "event", "--root", str(timeline_project.root), "--title", "X", *flags]) == 1
    assert message in capsys.readouterr().err
    assert sorted(p for p in timeline_project.root.rglob("*")) == before


def test_new_asks_for_what_the_flags_leave_out(timeline_project, capsys, monkeypatch):
    answers = [
        "Acme opens a lab",
        "2026-06-01",
        "A summary.",
        "announcement",
        "acme, acme-research",
        "Acme",
        "Acme opens a lab",
        "2026-06-01",
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(answers) + "\n"))
    assert main(["new", "event", "--interactive", "--root", str(timeline_project.root)]) == 0
    assert "it passes 'timeline check'" in capsys.readouterr().out
    text = (timeline_project.root / "events/2026/acme-opens-a-lab.yaml").read_text("utf-8")
    assert '  - "acme"\n  - "acme-research"\n' in text


def test_new_delay_of_an_existing_promise(timeline_project, capsys):
    timeline_project.write("2026/widget-promised.yaml", event_yaml("2026-03-01", "promise", due="2026-06"))
    assert (
        main(
            [
                "new",
                "delay",
                "widget-promised",
                "--root",
                str(timeline_project.root),
                "--date",
                "2026-05-20",
                "--new-date",
                "2026-09",
                "--reason",
                "More testing",
                "--summary",
                "Acme moved Widget to September.",
                *SOURCE_FLAGS,
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines() == [
        "created events/2026/widget-promised-delay-2026-05-20.yaml",
        "it passes 'timeline check'",
    ]
    graph, _report = timeline_project.load()
    delay = graph.events["widget-promised-delay-2026-05-20"]
    assert (delay.kind, delay.title, delay.entities) == ("delay", "Delay: An event", ("acme",))
    [relation] = delay.relations
    assert (relation.type, relation.target, relation.new_date.iso(), relation.reason) == (
        "delays",
        "widget-promised",
        "2026-09",
        "More testing",
    )


def test_new_delay_of_something_that_is_not_a_promise(timeline_project, capsys):
    assert main(["new", "delay", "valid-sibling", "--root", str(timeline_project.root), "--date", "2026-05"]) == 1
    assert "'valid-sibling' is not a promise on record" in capsys.readouterr().err


def test_new_entity(timeline_project, capsys):
    assert (
        main(
            [
                "new",
                "entity",
                "--root",
                str(timeline_project.root),
                "--name",
                "Acme Robotics",
                "--kind",
                "team",
                "--parent",
                "acme-research",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines() == ["created events/entities/acme-robotics.yaml", "it passes 'timeline check'"]
    graph, _ = timeline_project.load()
    assert graph.entities["acme-robotics"].parent == "acme-research"


# check PATH and --format github ------------------------------------------------------------------


def _two_broken(timeline_project) -> None:
    timeline_project.write("2026/x.yaml", timeline_project.valid_event.replace("kind: launch", "kind: lanch"))
    timeline_project.write("2025/y.yaml", timeline_project.valid_event.replace("  - acme\n", "  - acne\n"))


def test_check_with_paths_reports_only_on_them(timeline_project, capsys, monkeypatch):
    _two_broken(timeline_project)
    monkeypatch.chdir(timeline_project.root)
    assert main(["check", "events/2026/x.yaml"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "events/2026/x.yaml:3:7: error: 'lanch' is not a valid value for 'kind' (hint: did you mean 'launch'?)",
        "1 path(s) checked against 1 events and 3 entities loaded; 1 errors, 0 warnings",
    ]
    assert main(["check", "events/2026/valid-sibling.yaml"]) == 0
    assert main(["check", "events/2025"]) == 1
    assert "y.yaml:5:5" in capsys.readouterr().err
    assert main(["check", "events/2026/nope.yaml"]) == 2


def test_a_file_is_checked_in_the_context_of_the_whole_graph(timeline_project, capsys, monkeypatch):
    # y refers to x, which is broken: checking y alone still says why.
    timeline_project.write("2026/x.yaml", timeline_project.valid_event.replace("kind: launch", "kind: lanch"))
    timeline_project.write("2026/y.yaml", timeline_project.valid_event + "relations:\n  - type: follows\n    event: x\n")
    monkeypatch.chdir(timeline_project.root)
    assert main(["check", "events/2026/y.yaml"]) == 1
    assert "event 'x' cannot be used: events/2026/x.yaml has errors" in capsys.readouterr().err


def test_github_format_prints_workflow_annotations(timeline_project, capsys):
    _two_broken(timeline_project)
    timeline_project.write(
        "2026/z.yaml", timeline_project.valid_event.replace("title: Acme launches Widget", 'title: "100%, really:\\e]"')
    )
    assert main(["check", "--format", "github", "--root", str(timeline_project.root)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == (
        "::error file=events/2025/y.yaml,line=5,col=5,title=timeline check::unknown entity 'acne' (hint: did you mean 'acme'?)"
    )
    assert lines[2].startswith(
        "::error file=events/2026/z.yaml,line=1,col=8,title=timeline check::the value of 'title' holds control character U+001B"
    )
    assert all(line.startswith("::error ") for line in lines[:3])
    assert "\x1b" not in "".join(lines)
