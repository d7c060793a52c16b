"""Strict YAML: every rejection names its file, line and column, and valid files still load.

Each test adds one broken file to the `timeline_project` fixture (see conftest.py), next to the
valid events/2026/valid-sibling.yaml, and checks the diagnostic and that the sibling loads.
Line numbers refer to the layout of conftest.TIMELINE_VALID_EVENT.
"""

from __future__ import annotations

import datetime

import pytest
from ai_timeline import strict_yaml
from ai_timeline.dates import DAY, FuzzyDate


def _insert_after_line(text: str, line: int, new: str) -> str:
    lines = text.splitlines(keepends=True)
    return "".join([*lines[:line], new, *lines[line:]])


# Duplicate keys ------------------------------------------------------------------------------


def test_duplicate_top_level_key_names_both_lines(timeline_project):
    text = _insert_after_line(timeline_project.valid_event, 3, "title: A second title\n")
    error = timeline_project.single_error("2026/dup-key.yaml", text)
    assert (error.path, error.line, error.column) == ("events/2026/dup-key.yaml", 4, 1)
    assert "duplicate key 'title'" in error.message
    assert "first defined on line 1" in error.message
    assert "keep one" in error.hint


def test_duplicate_key_inside_a_source(timeline_project):
    text = _insert_after_line(timeline_project.valid_event, 11, "    publisher: Someone else\n")
    error = timeline_project.single_error("2026/dup-nested.yaml", text)
    assert (error.line, error.column) == (12, 5)
    assert "duplicate key 'publisher' (first defined on line 8)" in error.message


def test_duplicate_key_is_found_with_windows_line_endings(timeline_project):
    text = _insert_after_line(timeline_project.valid_event, 3, "title: Again\n").replace("\n", "\r\n")
    error = timeline_project.single_error("2026/dup-crlf.yaml", text)
    assert (error.line, error.column) == (4, 1)
    assert "first defined on line 1" in error.message


# YAML 1.1 surprises ---------------------------------------------------------------------------


def test_yaml11_no_is_not_a_boolean(timeline_project):
    text = _insert_after_line(timeline_project.valid_event, 3, "approximate: no\n")
    error = timeline_project.single_error("2026/approx-no.yaml", text)
    assert (error.line, error.column) == (4, 14)
    assert "'approximate' must be true or false, not 'no'" in error.message
    assert "write false" in error.hint


def test_yaml11_yes_hints_true(timeline_project):
    text = _insert_after_line(timeline_project.valid_event, 3, "approximate: Yes\n")
    error = timeline_project.single_error("2026/approx-yes.yaml", text)
    assert (error.line, error.column) == (4, 14)
    assert "not 'Yes'" in error.message
    assert "write true" in error.hint


def test_quoted_false_is_text_not_a_boolean(timeline_project):
    text = _insert_after_line(timeline_project.valid_event, 3, "approximate: 'false'\n")
    error = timeline_project.single_error("2026/approx-quoted.yaml", text)
    assert (error.line, error.column) == (4, 14)
    assert "must be true or false, not text" in error.message
    assert "without quotes" in error.hint


def test_title_on_stays_the_string_on(timeline_project):
    timeline_project.write("2026/title-on.yaml", timeline_project.valid_event.replace("title: Acme launches Widget", "title: on"))
    graph, report = timeline_project.load()
    assert report.errors == []
    assert graph.events["title-on"].title == "on"


def test_sexagesimal_looking_value_stays_a_string(timeline_project):
    timeline_project.write(
        "2026/one-twenty.yaml", timeline_project.valid_event.replace("title: Acme launches Widget", "title: 1:20")
    )
    graph, report = timeline_project.load()
    assert report.errors == []
    assert graph.events["one-twenty"].title == "1:20"


def test_unquoted_iso_date_is_a_string_then_a_fuzzy_date(timeline_project):
    doc, problems = strict_yaml.load(timeline_project.valid_event.encode(), "events/2026/x.yaml")
    assert problems == []
    assert doc.data["date"] == "2026-04-10"
    assert type(doc.data["date"]) is str
    graph, _report = timeline_project.load()
    event = graph.events["valid-sibling"]
    assert event.date == FuzzyDate(datetime.date(2026, 4, 10), datetime.date(2026, 4, 10), DAY)


def test_plain_scalars_are_typed_as_yaml_1_2_core_and_everything_else_is_text():
    raw = b"a: true\nb: false\nc: 'true'\nd: no\ne: on\nf: 1:20\ng: 0x1F\nh: 1e3\ni: null\nj: ~\nk:\n"
    doc, problems = strict_yaml.load(raw, "f.yaml")
    assert problems == []
    assert doc.data == {
        "a": True,
        "b": False,
        "c": "true",
        "d": "no",
        "e": "on",
        "f": "1:20",
        "g": 31,
        "h": 1000.0,
        "i": None,
        "j": None,
        "k": None,
    }


def test_value_and_key_marks_are_one_based():
    doc, _ = strict_yaml.load(b"title: x\nsources:\n  - date: 2026\n", "f.yaml")
    assert doc.mark(("title",)) == (1, 8)
    assert doc.mark(("sources", 0, "date")) == (3, 11)
    assert doc.mark(("sources", 0, "date"), key=True) == (3, 5)
    assert doc.mark(("sources", 0, "missing")) == (3, 5)  # nearest ancestor with a position


# Anchors, aliases, merge keys, tags, directives, documents ---------------------------------


def test_anchor_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("summary: Acme", "summary: &s Acme")
    error = timeline_project.single_error("2026/anchor.yaml", text)
    assert (error.line, error.column) == (6, 10)
    assert "anchor '&s'" in error.message


def test_alias_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("    title: Introducing Widget", "    title: *headline")
    error = timeline_project.single_error("2026/alias.yaml", text)
    assert (error.line, error.column) == (9, 12)
    assert "alias '*headline'" in error.message
    assert "in full" in error.hint


def test_anchor_and_alias_are_both_reported(timeline_project):
    text = timeline_project.valid_event.replace("summary: Acme", "summary: &s Acme").replace(
        "    title: Introducing Widget", "    title: *s"
    )
    errors = timeline_project.rejected("2026/anchor-alias.yaml", text)
    assert [(e.line, e.column) for e in errors] == [(6, 10), (9, 12)]
    assert "anchor" in errors[0].message and "alias" in errors[1].message


def test_merge_key_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("  - publisher: Acme", "  - <<: {publisher: Acme}")
    error = timeline_project.single_error("2026/merge.yaml", text)
    assert (error.line, error.column) == (8, 5)
    assert "merge key '<<'" in error.message


def test_binary_tag_is_refused_and_named_as_written(timeline_project):
    text = timeline_project.valid_event.replace("summary: Acme released Widget, its first model.", "summary: !!binary QWNtZQ==")
    error = timeline_project.single_error("2026/binary.yaml", text)
    assert (error.line, error.column) == (6, 10)
    assert "tag '!!binary'" in error.message
    assert "remove the tag" in error.hint


def test_local_tag_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("kind: launch", "kind: !custom launch")
    error = timeline_project.single_error("2026/local-tag.yaml", text)
    assert (error.line, error.column) == (3, 7)
    assert "tag '!custom'" in error.message


def test_yaml_directive_is_refused(timeline_project):
    error = timeline_project.single_error("2026/directive.yaml", "%YAML 1.1\n---\n" + timeline_project.valid_event)
    assert (error.line, error.column) == (1, 1)
    assert "directives" in error.message
    assert "'%'" in error.hint


def test_second_document_is_refused(timeline_project):
    text = timeline_project.valid_event + "---\ntitle: Another event\n"
    error = timeline_project.single_error("2026/two-docs.yaml", text)
    assert (error.line, error.column) == (12, 1)
    assert "second YAML document" in error.message
    assert "'---'" in error.hint


def test_leading_document_marker_alone_is_fine(timeline_project):
    timeline_project.write("2026/leading-marker.yaml", "---\n" + timeline_project.valid_event)
    graph, report = timeline_project.load()
    assert report.errors == []
    assert "leading-marker" in graph.events


# Empty files, wrong top level -----------------------------------------------------------------


def test_empty_file_is_refused(timeline_project):
    error = timeline_project.single_error("2026/empty.yaml", b"")
    assert (error.line, error.column) == (1, 1)
    assert error.message == "file is empty"
    assert "events/_templates/" in error.hint
    assert str(error).startswith("events/2026/empty.yaml:1:1: error: file is empty")


def test_file_of_only_comments_is_empty(timeline_project):
    error = timeline_project.single_error("2026/comments.yaml", "# just a comment\n\n   # another\n")
    assert error.message == "file is empty"


def test_top_level_list_is_refused(timeline_project):
    error = timeline_project.single_error("2026/a-list.yaml", "- title: One\n- title: Two\n")
    assert (error.line, error.column) == (1, 1)
    assert "must be a mapping of fields, but it is a list" in error.message


def test_top_level_scalar_is_refused(timeline_project):
    error = timeline_project.single_error("2026/a-scalar.yaml", "just some words\n")
    assert (error.line, error.column) == (1, 1)
    assert "but it is a single value" in error.message


def test_yaml_syntax_error_has_a_position(timeline_project):
    text = timeline_project.valid_event.replace("kind: launch", "kind: launch: now")
    error = timeline_project.single_error("2026/syntax.yaml", text)
    assert (error.line, error.column) == (3, 13)
    assert error.message.startswith("YAML syntax error")
    assert "quot" in error.hint


# Characters and bytes -------------------------------------------------------------------------


def test_tab_in_indentation_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("  - acme\n", "\t- acme\n")
    error = timeline_project.single_error("2026/tab.yaml", text)
    assert (error.line, error.column) == (5, 1)
    assert "tab character in indentation" in error.message
    assert "spaces" in error.hint


def test_tab_after_spaces_in_indentation_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("    type: primary", "  \t  type: primary")
    error = timeline_project.single_error("2026/tab-late.yaml", text)
    assert (error.line, error.column) == (11, 3)


def test_latin1_byte_is_refused_with_line_and_column(timeline_project):
    text = timeline_project.valid_event.replace("title: Acme launches Widget", "title: Acme launches Widget café")
    error = timeline_project.single_error("2026/latin1.yaml", text.encode("latin-1"))
    assert (error.path, error.line, error.column) == ("events/2026/latin1.yaml", 1, 32)
    assert "byte 0xe9 is not valid UTF-8" in error.message
    assert "UTF-8" in error.hint


def test_invalid_byte_column_counts_characters_not_bytes(timeline_project):
    # 'ë' is two bytes in UTF-8; the column is the character's, as for every other error.
    raw = "summary: Zoë paid 5 ".encode() + b"\xa3.\n"
    text = timeline_project.valid_event.encode().replace(b"summary: Acme released Widget, its first model.\n", raw)
    error = timeline_project.single_error("2026/latin1-late.yaml", text)
    assert (error.line, error.column) == (6, 21)
    assert "0xa3" in error.message


def test_control_character_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("title: Acme launches", "title: Acme\x07launches")
    error = timeline_project.single_error("2026/control.yaml", text)
    assert (error.line, error.column) == (1, 12)
    assert "control character U+0007" in error.message
    assert "delete it" in error.hint


def test_bidi_override_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("summary: Acme released", "summary: Acme \u202ereleased")
    error = timeline_project.single_error("2026/bidi.yaml", text)
    assert (error.line, error.column) == (6, 15)
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in error.message
    assert "bidirectional control" in error.message


def test_zero_width_space_is_refused(timeline_project):
    text = timeline_project.valid_event.replace("  - acme\n", "  - ac\u200bme\n")
    error = timeline_project.single_error("2026/zero-width.yaml", text)
    assert (error.line, error.column) == (5, 7)
    assert "U+200B ZERO WIDTH SPACE" in error.message


def test_invisible_character_in_a_comment_is_refused_too(timeline_project):
    text = "# note \u2066hidden\u2069\n" + timeline_project.valid_event
    errors = timeline_project.rejected("2026/bidi-comment.yaml", text)
    assert [(e.line, e.column) for e in errors] == [(1, 8), (1, 15)]
    assert "U+2066" in errors[0].message and "U+2069" in errors[1].message


def test_byte_order_mark_at_the_start_is_accepted(timeline_project):
    timeline_project.write("2026/with-bom.yaml", "\ufeff" + timeline_project.valid_event)
    graph, report = timeline_project.load()
    assert report.errors == []
    assert graph.events["with-bom"].title == "Acme launches Widget"


# Size and depth -------------------------------------------------------------------------------


def test_file_over_64_kib_is_refused(timeline_project):
    text = timeline_project.valid_event + "# " + "x" * 70_000 + "\n"
    error = timeline_project.single_error("2026/huge.yaml", text)
    assert (error.line, error.column) == (1, 1)
    assert f"file is {len(text.encode())} bytes; the limit is 65536" == error.message
    assert "split it" in error.hint


@pytest.mark.parametrize("size, loads", [(64 * 1024, True), (64 * 1024 + 1, False)])
def test_size_limit_boundary(timeline_project, size, loads):
    base = timeline_project.valid_event + "# "
    text = base + "x" * (size - len(base.encode()) - 1) + "\n"
    assert len(text.encode()) == size
    timeline_project.write("2026/boundary.yaml", text)
    graph, report = timeline_project.load()
    assert ("boundary" in graph.events) is loads
    assert len(report.errors) == (0 if loads else 1)


def test_deep_nesting_is_an_error_not_a_crash(timeline_project):
    text = timeline_project.valid_event + "tags: " + "[" * 3000 + "]" * 3000 + "\n"
    error = timeline_project.single_error("2026/deep.yaml", text)
    assert error.line == 12
    assert "nested more than" in error.message


def test_load_never_raises_and_reports_the_path():
    doc, problems = strict_yaml.load(b"a: [" * 2000, "events/2026/x.yaml")
    assert doc is None
    assert problems and all(p.path == "events/2026/x.yaml" for p in problems)


def test_an_unclosed_quote_is_reported_where_it_opens(timeline_project):
    text = timeline_project.valid_event.replace("title: Acme launches Widget", 'title: "Acme launches Widget')
    error = timeline_project.single_error("2026/unclosed.yaml", text)
    assert (error.line, error.column) == (1, 8)
    assert error.message.startswith('YAML syntax error: the quote " opened here is not closed (YAML gave up at line 12')
    assert "close the quote" in error.hint


def test_an_unclosed_bracket_is_reported_where_it_opens(timeline_project):
    text = timeline_project.valid_event.replace("entities:\n  - acme\n", "entities: [acme\n")
    error = timeline_project.single_error("2026/unclosed-list.yaml", text)
    assert (error.line, error.column) == (4, 11)
    assert "the '[' opened here is not closed" in error.message


@pytest.mark.parametrize(
    "value, message",
    [
        ("2026", "'title' must be text, not a number"),
        ("1e3", "'title' must be text, not a number"),
        ("~", "'title' is empty"),
        ("null", "'title' is empty"),
        ("True", "'title' must be text, not true or false"),
    ],
)
def test_a_title_that_editors_read_as_another_type_is_refused_as_they_refuse_it(timeline_project, value, message):
    error = timeline_project.single_error(
        "2026/typed.yaml", timeline_project.valid_event.replace("title: Acme launches Widget", f"title: {value}")
    )
    assert (error.line, error.column, error.message) == (1, 8, message)
    if "text" in message:
        assert "put quotes around it" in error.hint


def test_a_year_written_as_a_number_is_a_date_and_a_small_number_is_not(timeline_project):
    timeline_project.write("2026/year.yaml", timeline_project.valid_event.replace("date: 2026-04-10\nkind", "date: 2026\nkind"))
    graph, report = timeline_project.load()
    assert report.items == [] and graph.events["year"].date.iso() == "2026"
    error = timeline_project.single_error(
        "2026/small.yaml", timeline_project.valid_event.replace("date: 2026-04-10\nkind", "date: 12\nkind")
    )
    assert (error.line, error.column) == (2, 7)
