"""Schema, conversion and cross-file checks: each error names file, line, column and a fix.

Each test adds broken files to the `timeline_project` fixture (conftest.py) next to the valid
events/2026/valid-sibling.yaml and checks that the sibling still loads. Line numbers refer to
the layout of conftest.TIMELINE_VALID_EVENT.
"""

from __future__ import annotations

from conftest import TIMELINE_BASE_ENTITIES, VALID_SIBLING_ID

RELATION_TO = "relations:\n  - type: {type}\n    event: {event}\n"  # lines 12-14 after the valid event


def _with_relation(text: str, type_: str, event: str, extra: str = "") -> str:
    return text + RELATION_TO.format(type=type_, event=event) + extra


def test_fixture_project_is_clean(timeline_project):
    graph, report = timeline_project.load()
    assert report.items == []
    assert sorted(graph.events) == [VALID_SIBLING_ID]
    assert sorted(graph.entities) == sorted(TIMELINE_BASE_ENTITIES)


# Dates ----------------------------------------------------------------------------------------


def test_impossible_date_is_refused_with_its_line(timeline_project):
    text = timeline_project.valid_event.replace("date: 2026-04-10\nkind", "date: 2026-02-30\nkind")
    error = timeline_project.single_error("2026/feb-30.yaml", text)
    assert (error.path, error.line, error.column) == ("events/2026/feb-30.yaml", 2, 7)
    assert "invalid date in 'date'" in error.message
    assert "February 2026 has no day 30" in error.message
    assert "YYYY-MM-DD" in error.hint


def test_impossible_month_in_a_source_date(timeline_project):
    text = timeline_project.valid_event.replace("    date: 2026-04-10\n", "    date: 2026-13\n")
    error = timeline_project.single_error("2026/month-13.yaml", text)
    assert (error.line, error.column) == (10, 11)
    assert "'sources[0].date'" in error.message and "month 13 does not exist" in error.message


def test_date_in_the_wrong_shape(timeline_project):
    text = timeline_project.valid_event.replace("date: 2026-04-10\nkind", "date: April 2026\nkind")
    error = timeline_project.single_error("2026/date-shape.yaml", text)
    assert (error.line, error.column) == (2, 7)
    assert "'April 2026' is not a valid value for 'date'" in error.message
    assert "YYYY" in error.hint


def test_date_in_a_block_scalar_is_refused_on_one_line(timeline_project):
    text = timeline_project.valid_event.replace("date: 2026-04-10\nkind", "date: |\n  2026\nkind")
    error = timeline_project.single_error("2026/block-date.yaml", text)
    assert (error.line, error.column) == (2, 7)
    assert error.message == "invalid date in 'date': '2026\\n' is not a date"
    assert "\n" not in str(error)


def test_date_in_non_ascii_digits_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("date: 2026-04-10\nkind", "date: \u0662\u0660\u0662\u0666\nkind")
    error = timeline_project.single_error("2026/arabic-date.yaml", text)
    assert (error.line, error.column) == (2, 7)
    assert error.message == "'\u0662\u0660\u0662\u0666' is not a valid value for 'date'" and "YYYY-MM-DD" in error.hint


def test_leap_day_is_fine_in_a_leap_year(timeline_project):
    timeline_project.write(
        "2024/leap-day.yaml", timeline_project.valid_event.replace("date: 2026-04-10\nkind", "date: 2024-02-29\nkind")
    )
    graph, report = timeline_project.load()
    assert report.errors == []
    assert graph.events["leap-day"].date.label() == "29 February 2024"


# Schema ---------------------------------------------------------------------------------------


def test_unknown_field_suggests_the_right_one(timeline_project):
    text = timeline_project.valid_event.replace("title: Acme launches", "titel: Acme launches")
    errors = timeline_project.rejected("2026/titel.yaml", text)
    unknown = [e for e in errors if "unknown field" in e.message]
    assert len(unknown) == 1
    assert (unknown[0].line, unknown[0].column) == (1, 1)
    assert unknown[0].message == "unknown field 'titel'"
    assert unknown[0].hint == "did you mean 'title'?"
    # ...and the real field is then missing.
    assert any("missing required field 'title'" in e.message for e in errors)


def test_unknown_nested_field_is_named_with_its_path(timeline_project):
    text = timeline_project.valid_event.replace("    type: primary", "    type: primary\n    pubisher: x")
    error = timeline_project.single_error("2026/nested-unknown.yaml", text)
    assert (error.line, error.column) == (12, 5)
    assert "unknown field 'sources[0].pubisher'" in error.message
    assert "did you mean 'publisher'?" in error.hint


def test_unknown_field_without_a_close_match_lists_allowed_fields(timeline_project):
    text = timeline_project.valid_event + "colour: blue\n"
    error = timeline_project.single_error("2026/colour.yaml", text)
    assert (error.line, error.column) == (12, 1)
    assert "allowed fields here:" in error.hint and "summary" in error.hint


def test_missing_required_field(timeline_project):
    text = timeline_project.valid_event.replace("summary: Acme released Widget, its first model.\n", "")
    error = timeline_project.single_error("2026/no-summary.yaml", text)
    assert (error.line, error.column) == (1, 1)
    assert error.message == "missing required field 'summary'"
    assert error.hint.startswith("add 'summary: ...'")


def test_missing_required_field_in_a_source_points_at_the_source(timeline_project):
    text = timeline_project.valid_event.replace("    type: primary\n", "")
    error = timeline_project.single_error("2026/no-type.yaml", text)
    assert (error.line, error.column) == (8, 5)
    assert "missing required field 'sources[0].type'" in error.message


def test_string_where_a_list_is_expected(timeline_project):
    text = timeline_project.valid_event.replace("entities:\n  - acme\n", "entities: acme\n")
    error = timeline_project.single_error("2026/wrong-type.yaml", text)
    assert (error.line, error.column) == (4, 11)
    assert error.message == "'entities' must be a list, not text"
    assert "- item" in error.hint


def test_invalid_kind_suggests_the_closest(timeline_project):
    text = timeline_project.valid_event.replace("kind: launch", "kind: lanch")
    error = timeline_project.single_error("2026/bad-kind.yaml", text)
    assert (error.line, error.column) == (3, 7)
    assert "'lanch' is not a valid value for 'kind'" in error.message
    assert error.hint == "did you mean 'launch'?"


def test_empty_value(timeline_project):
    text = timeline_project.valid_event.replace("title: Acme launches Widget", "title:")
    error = timeline_project.single_error("2026/empty-title.yaml", text)
    assert error.line == 1
    assert error.message == "'title' is empty"


# References -----------------------------------------------------------------------------------


def test_unknown_entity_suggests_the_closest(timeline_project):
    text = timeline_project.valid_event.replace("  - acme\n", "  - acne\n")
    error = timeline_project.single_error("2026/unknown-entity.yaml", text)
    assert (error.line, error.column) == (5, 5)
    assert error.message == "unknown entity 'acne'"
    assert error.hint == "did you mean 'acme'?"


def test_unknown_entity_without_a_close_match_says_where_to_create_it(timeline_project):
    text = timeline_project.valid_event.replace("  - acme\n", "  - acme\n  - zyxwv\n")
    error = timeline_project.single_error("2026/unknown-entity-2.yaml", text)
    assert (error.line, error.column) == (6, 5)
    assert "create events/entities/zyxwv.yaml" in error.hint


def test_unknown_event_in_a_relation(timeline_project):
    text = _with_relation(timeline_project.valid_event, "follows", "valid-sibbling")
    error = timeline_project.single_error("2026/unknown-event.yaml", text)
    assert (error.line, error.column) == (14, 12)
    assert error.message == "unknown event 'valid-sibbling'"
    assert error.hint == f"did you mean '{VALID_SIBLING_ID}'?"


def test_entity_used_as_an_event(timeline_project):
    text = _with_relation(timeline_project.valid_event, "follows", "acme")
    error = timeline_project.single_error("2026/entity-as-event.yaml", text)
    assert (error.line, error.column) == (14, 12)
    assert "'acme' is an entity, not an event" in error.message


def test_relation_to_itself(timeline_project):
    text = _with_relation(timeline_project.valid_event, "follows", "self-ref")
    error = timeline_project.single_error("2026/self-ref.yaml", text)
    assert (error.line, error.column) == (14, 12)
    assert "cannot relate to itself" in error.message


def test_reference_to_an_event_with_errors_says_that_file_has_errors(timeline_project):
    timeline_project.write("2026/broken.yaml", timeline_project.valid_event.replace("kind: launch", "kind: lanch"))
    text = _with_relation(timeline_project.valid_event, "follows", "broken")
    error = timeline_project.single_error("2026/refers-to-broken.yaml", text)
    assert (error.line, error.column) == (14, 12)
    assert error.message == "event 'broken' cannot be used: events/2026/broken.yaml has errors"
    assert "unknown" not in error.message
    assert "fix the errors" in error.hint


def test_reference_to_an_entity_with_errors_says_that_file_has_errors(timeline_project):
    timeline_project.write("entities/bob-roe.yaml", "name: Bob Roe\nkind: persn\n")
    text = timeline_project.valid_event.replace("  - acme\n", "  - acme\n  - bob-roe\n")
    error = timeline_project.single_error("2026/refers-to-bob.yaml", text)
    assert (error.line, error.column) == (6, 5)
    assert error.message == "entity 'bob-roe' cannot be used: events/entities/bob-roe.yaml has errors"


def test_errors_cascade_through_references(timeline_project):
    """An event that relates to a dropped event is dropped too, each with its own message."""
    timeline_project.write("2026/broken.yaml", timeline_project.valid_event.replace("  - acme\n", "  - nobody\n"))
    timeline_project.write("2026/middle.yaml", _with_relation(timeline_project.valid_event, "follows", "broken"))
    timeline_project.write("2026/last.yaml", _with_relation(timeline_project.valid_event, "follows", "middle"))
    graph, report = timeline_project.load()
    assert sorted(graph.events) == [VALID_SIBLING_ID]
    messages = {d.path: d.message for d in report.sorted()}
    assert messages == {
        "events/2026/broken.yaml": "unknown entity 'nobody'",
        "events/2026/middle.yaml": "event 'broken' cannot be used: events/2026/broken.yaml has errors",
        "events/2026/last.yaml": "event 'middle' cannot be used: events/2026/middle.yaml has errors",
    }


def test_same_id_in_two_folders_is_reported_on_both_files(timeline_project):
    timeline_project.write("2025/dup-id.yaml", timeline_project.valid_event)
    timeline_project.write("2026/dup-id.yaml", timeline_project.valid_event)
    graph, report = timeline_project.load()
    assert [str(d) for d in report.sorted()] == [
        "events/2025/dup-id.yaml:1:1: error: ID 'dup-id' is also used by events/2026/dup-id.yaml "
        "(hint: IDs are file names and must be unique across events/: rename one of the files)",
        "events/2026/dup-id.yaml:1:1: error: ID 'dup-id' is also used by events/2025/dup-id.yaml "
        "(hint: IDs are file names and must be unique across events/: rename one of the files)",
    ]
    assert graph.events["dup-id"].path == "events/2025/dup-id.yaml"  # the first keeps the ID


def test_a_clash_does_not_knock_out_what_depends_on_the_first_file(timeline_project):
    timeline_project.write("2025/dup-id.yaml", timeline_project.valid_event)
    timeline_project.write("2026/dup-id.yaml", timeline_project.valid_event)
    timeline_project.write("2026/refers-to-dup.yaml", _with_relation(timeline_project.valid_event, "follows", "dup-id"))
    graph, report = timeline_project.load()
    assert {d.path for d in report.items} == {"events/2025/dup-id.yaml", "events/2026/dup-id.yaml"}
    assert "refers-to-dup" in graph.events


def test_event_and_entity_cannot_share_an_id_and_the_entity_keeps_it(timeline_project):
    timeline_project.write("entities/widget.yaml", "name: Widget\nkind: model\nparent: acme\n")
    timeline_project.write("2026/widget.yaml", timeline_project.valid_event.replace("  - acme\n", "  - widget\n"))
    graph, report = timeline_project.load()
    # Entities are read first: events depend on them far more than on one another.
    assert [(d.path, d.line, d.message) for d in report.sorted()] == [
        ("events/2026/widget.yaml", 1, "ID 'widget' is also used by events/entities/widget.yaml"),
        ("events/entities/widget.yaml", 1, "ID 'widget' is also used by events/2026/widget.yaml"),
    ]
    assert "widget" in graph.entities and "widget" not in graph.events
    assert VALID_SIBLING_ID in graph.events


def test_file_name_that_is_not_a_slug(timeline_project):
    error = timeline_project.single_error("2026/Bad_Name.yaml", timeline_project.valid_event)
    assert (error.path, error.line, error.column) == ("events/2026/Bad_Name.yaml", 1, 1)
    assert error.message == "file name 'Bad_Name' is not a valid ID"
    assert "rename it to 'bad-name.yaml'" in error.hint


def test_yml_extension_is_refused(timeline_project):
    error = timeline_project.single_error("2026/other-event.yml", timeline_project.valid_event)
    assert (error.path, error.line) == ("events/2026/other-event.yml", 1)
    assert error.message == "'other-event.yml' is not a .yaml file"
    assert "<id>.yaml" in error.hint


def test_templates_are_validated_like_data_but_stay_out_of_the_graph(timeline_project):
    timeline_project.write("_templates/event.yaml", timeline_project.valid_event)
    graph, report = timeline_project.load()
    assert report.items == []
    assert sorted(graph.events) == [VALID_SIBLING_ID]
    assert graph.templates == {"event": timeline_project.valid_event}


def test_a_template_with_markup_is_refused_with_its_line(timeline_project):
    timeline_project.write(
        "_templates/event.yaml",
        timeline_project.valid_event.replace("title: Acme launches Widget", "title: <img src=x onerror=alert(1)>"),
    )
    graph, report = timeline_project.load()
    assert [(d.path, d.line, d.column) for d in report.errors] == [("events/_templates/event.yaml", 1, 8)]
    assert "raw HTML" in report.errors[0].message
    assert graph.templates == {}


# URLs, HTML, links ----------------------------------------------------------------------------


def test_javascript_url_is_refused(timeline_project):
    text = timeline_project.valid_event + "    url: javascript:alert(1)\n"
    error = timeline_project.single_error("2026/js-url.yaml", text)
    assert (error.line, error.column) == (12, 10)
    assert "'javascript:alert(1)'" in error.message and "'sources[0].url'" in error.message
    assert "http(s)" in error.hint


def test_ftp_url_is_refused(timeline_project):
    text = timeline_project.valid_event + "    url: ftp://example.com/file.pdf\n"
    error = timeline_project.single_error("2026/ftp-url.yaml", text)
    assert (error.line, error.column) == (12, 10)
    assert "'ftp://example.com/file.pdf'" in error.message
    assert "http(s)" in error.hint


def test_url_without_a_host_is_refused(timeline_project):
    text = timeline_project.valid_event + "    url: https://\n"
    error = timeline_project.single_error("2026/no-host.yaml", text)
    assert (error.line, error.column) == (12, 10)
    assert error.message == "URL has no host"


def test_javascript_url_in_an_entity_link(timeline_project):
    text = "name: Bob Roe\nkind: person\nlinks:\n  - title: Home\n    url: javascript:alert(1)\n"
    error = timeline_project.single_error("entities/bob-roe.yaml", text)
    assert (error.line, error.column) == (5, 10)
    assert "'links[0].url'" in error.message


def test_script_tag_in_summary(timeline_project):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget", "summary: Acme released <script>alert(1)</script> Widget"
    )
    error = timeline_project.single_error("2026/script.yaml", text)
    assert (error.line, error.column) == (6, 24)  # at the tag itself
    assert error.message == "raw HTML '<script>' is not allowed in 'summary'"
    assert "write Markdown" in error.hint


def test_html_tag_in_title(timeline_project):
    text = timeline_project.valid_event.replace("title: Acme launches Widget", "title: Acme launches <b>Widget</b>")
    error = timeline_project.single_error("2026/bold-title.yaml", text)
    assert (error.line, error.column) == (1, 22)
    assert error.message == "raw HTML '<b>' is not allowed in 'title'"


def test_html_in_a_multiline_summary_points_at_its_line(timeline_project):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget, its first model.", "summary: |\n  First line.\n  Then <!-- hidden --> text."
    )
    error = timeline_project.single_error("2026/html-block.yaml", text)
    assert (error.line, error.column) == (8, 8)
    assert "raw HTML '<!--'" in error.message


def test_less_than_followed_by_a_space_is_text_as_the_hint_says(timeline_project):
    timeline_project.write(
        "2026/less-than.yaml",
        timeline_project.valid_event.replace(
            "summary: Acme released Widget, its first model.", "summary: Revenue came in < forecast but > last year; 1 < 2."
        ),
    )
    graph, report = timeline_project.load()
    assert report.errors == []
    assert "less-than" in graph.events


def test_javascript_link_in_summary(timeline_project):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget, its first model.", "summary: Acme released [Widget](javascript:alert(1))."
    )
    error = timeline_project.single_error("2026/js-link.yaml", text)
    assert (error.line, error.column) == (6, 33)
    assert error.message == "link 'javascript:alert(1)' is not an http(s) or mailto address"
    assert "https://" in error.hint


def test_entity_encoded_javascript_link_is_still_caught(timeline_project):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget, its first model.", "summary: See [this](java&#115;cript:alert(1))."
    )
    error = timeline_project.single_error("2026/js-link-encoded.yaml", text)
    assert error.line == 6
    assert "link 'javascript:alert(1)'" in error.message


def test_https_link_in_summary_is_fine(timeline_project):
    timeline_project.write(
        "2026/good-link.yaml",
        timeline_project.valid_event.replace(
            "summary: Acme released Widget, its first model.", "summary: Acme released [Widget](https://example.com/widget)."
        ),
    )
    graph, report = timeline_project.load()
    assert report.errors == []
    assert "good-link" in graph.events


# Relation rules -------------------------------------------------------------------------------


def test_delays_must_point_at_a_promise(timeline_project):
    text = _with_relation(timeline_project.valid_event, "delays", VALID_SIBLING_ID)
    error = timeline_project.single_error("2026/delays-launch.yaml", text)
    assert (error.line, error.column) == (14, 12)
    assert error.message == f"'delays' must point at a promise, but '{VALID_SIBLING_ID}' is kind: launch"
    assert "promise event" in error.hint


def test_new_date_on_a_related_relation(timeline_project):
    text = _with_relation(timeline_project.valid_event, "related", VALID_SIBLING_ID, "    new_date: 2026-05\n")
    error = timeline_project.single_error("2026/related-new-date.yaml", text)
    assert (error.line, error.column) == (15, 15)
    assert error.message == "'new_date' only belongs on delays or reaffirms"


def test_promise_block_on_a_non_promise(timeline_project):
    text = timeline_project.valid_event + "promise:\n  by: acme\n  what: Ship it\n"
    error = timeline_project.single_error("2026/stray-promise.yaml", text)
    assert (error.line, error.column) == (13, 3)
    assert "only kind: promise may have a 'promise' block (this is kind: launch)" in error.message


# Entities -------------------------------------------------------------------------------------


def test_person_with_a_parent(timeline_project):
    error = timeline_project.single_error("entities/bob-roe.yaml", "name: Bob Roe\nkind: person\nparent: acme\n")
    assert (error.path, error.line, error.column) == ("events/entities/bob-roe.yaml", 3, 9)
    assert error.message == "a person has no parent"
    assert "roles" in error.hint


def test_parent_cycle(timeline_project):
    timeline_project.write("entities/loop-a.yaml", "name: Loop A\nkind: lab\nparent: loop-b\n")
    timeline_project.write("entities/loop-b.yaml", "name: Loop B\nkind: team\nparent: loop-a\n")
    timeline_project.write("entities/below-loop.yaml", "name: Below\nkind: team\nparent: loop-a\n")
    graph, report = timeline_project.load()
    assert VALID_SIBLING_ID in graph.events
    assert set(graph.entities) == set(TIMELINE_BASE_ENTITIES)
    found = [(d.path, d.line, d.column, d.message) for d in report.sorted()]
    assert found == [
        ("events/entities/below-loop.yaml", 3, 9, "entity 'loop-a' cannot be used: events/entities/loop-a.yaml has errors"),
        ("events/entities/loop-a.yaml", 3, 9, "parent chain of 'loop-a' loops back on itself"),
        ("events/entities/loop-b.yaml", 3, 9, "parent chain of 'loop-b' loops back on itself"),
    ]


def test_roles_only_on_people(timeline_project):
    text = "name: Acme Labs\nkind: lab\nroles:\n  - title: Boss\n    org: acme\n"
    error = timeline_project.single_error("entities/acme-labs.yaml", text)
    assert (error.line, error.column) == (4, 3)
    assert error.message == "only a person has roles"


# Everything in one run ------------------------------------------------------------------------


def test_all_errors_of_all_files_in_one_run(timeline_project):
    event = timeline_project.valid_event
    timeline_project.write("2026/bad-kind.yaml", event.replace("kind: launch", "kind: lanch"))
    timeline_project.write("2026/bad-bytes.yaml", event.replace("Widget", "Widget\xe9").encode("latin-1"))
    timeline_project.write("2025/bad-entity.yaml", event.replace("  - acme\n", "  - nobody\n"))
    timeline_project.write(
        "2026/two-problems.yaml",
        event.replace("title: Acme", "titel: Acme").replace("date: 2026-04-10\nkind", "date: 2026-02-30\nkind"),
    )
    timeline_project.write("entities/bad-person.yaml", "name: Bad\nkind: person\nparent: acme\n")
    timeline_project.write("2026/good-one.yaml", event)
    timeline_project.write("2025/good-two.yaml", event.replace("2026-04-10", "2025-01"))
    graph, report = timeline_project.load()

    where = [f"{d.path}:{d.line}:{d.column}" for d in report.sorted()]
    assert where == [
        "events/2025/bad-entity.yaml:5:5",
        "events/2026/bad-bytes.yaml:1:28",
        "events/2026/bad-kind.yaml:3:7",
        "events/2026/two-problems.yaml:1:1",  # missing title
        "events/2026/two-problems.yaml:1:1",  # unknown field titel
        "events/2026/two-problems.yaml:2:7",  # 30 February
        "events/entities/bad-person.yaml:3:9",
    ]
    assert len(report.errors) == 7
    assert sorted(graph.events) == ["good-one", "good-two", VALID_SIBLING_ID]
    assert len(graph.entities) == len(TIMELINE_BASE_ENTITIES)


# The text rules on their own ------------------------------------------------------------------


def test_url_problem_refuses_other_schemes_even_without_the_schema():
    from ai_timeline.text_rules import url_problem

    assert url_problem("https://example.com/a") is None
    assert url_problem("http://example.com") is None
    assert url_problem("ftp://example.com/f") == "URL scheme 'ftp' is not allowed; only http and https are"
    assert url_problem("javascript:alert(1)") == "URL scheme 'javascript' is not allowed; only http and https are"
    assert url_problem("example.com") == "URL scheme '(none)' is not allowed; only http and https are"
    assert url_problem("https://exa mple.com") == "URL contains whitespace"


def test_raw_html_finds_tags_comments_and_declarations_but_not_comparisons():
    from ai_timeline.text_rules import raw_html

    assert raw_html("a <b>bold</b> word") == "<b>"
    assert raw_html("x </div> y") == "</div>"
    assert raw_html("a <!-- hidden --> b") == "<!--"
    assert raw_html("<!DOCTYPE html>") == "<!D"
    assert raw_html("<?php echo 1 ?>") == "<?"
    assert raw_html("1 < 2 and 3 > 2") is None
    assert raw_html("a < b > c") is None
    assert raw_html("</ b>") is None
