"""Hostile input from a pull request: every byte under events/ gets a located error or stays
literal. Values after YAML decoding, keys, folder and file names, links, templates."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from ai_timeline.cli import main
from ai_timeline.diagnostics import Diagnostic
from ai_timeline.text_rules import character_problems, visible
from conftest import VALID_SIBLING_ID
from sitebuild import SOURCE, build_in_process, fixture_project

TITLE_LINE = "title: Acme launches Widget"


def _raw_output_characters(text: str) -> set[str]:
    """Characters a terminal would act on or a reader could not see."""
    return {ch for ch in text if ch not in "\n" and unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")}


# 1. One rule set, applied to decoded values and keys ------------------------------------------


@pytest.mark.parametrize(
    "escape, code",
    [
        ("\\u202e", "U+202E"),
        ("\\0", "U+0000"),
        ("\\a", "U+0007"),
        ("\\e", "U+001B"),
        ("\\ud800", "U+D800"),
        ("\\x85", "U+0085"),
        ("\\u2028", "U+2028"),
        ("\\u200b", "U+200B"),
        ("\\u2066", "U+2066"),
        ("\\u00ad", "U+00AD"),
    ],
)
def test_yaml_escapes_get_no_pass_past_the_character_rules(timeline_project, escape, code):
    text = timeline_project.valid_event.replace(TITLE_LINE, f'title: "Acme{escape} launches"')
    error = timeline_project.single_error("2026/escaped.yaml", text)
    assert (error.line, error.column) == (1, 8)
    assert code in error.message and "'title'" in error.message and "escape" in error.message
    assert not _raw_output_characters(str(error))


def test_an_escaped_control_character_in_a_key_is_refused_and_never_printed_raw(timeline_project, capsys):
    text = timeline_project.valid_event + '"colour\\e[31m": red\n'
    errors = timeline_project.rejected("2026/escaped-key.yaml", text)
    assert any("U+001B" in e.message and e.line == 12 for e in errors)
    assert main(["check", "--root", str(timeline_project.root)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "colour\\x1b[31m" in err


def test_a_terminal_escape_in_an_unknown_field_name_is_shown_escaped(timeline_project, capsys):
    # A literal ESC in the file is refused where it stands; the diagnostic quotes it escaped.
    timeline_project.write("2026/esc.yaml", timeline_project.valid_event + "x\x1b]0;pwned\x07: 1\n")
    assert main(["check", "--root", str(timeline_project.root)]) == 1
    err = capsys.readouterr().err
    assert "events/2026/esc.yaml:12:2: error: control character U+001B is not allowed" in err
    assert not _raw_output_characters(err)


@pytest.mark.parametrize(
    "text",
    [
        "می\u200cخواهم",  # Persian: the non-joiner keeps two letters apart within a word
        "\U0001f469\u200d\U0001f4bb",  # 👩‍💻 woman technologist
        "\U0001f3f3\ufe0f\u200d\U0001f308",  # 🏳️‍🌈
        "\U0001f9d1\U0001f3fd\u200d\U0001f680",  # 🧑🏽‍🚀 with a skin tone
        "क्\u200dष",  # Devanagari: a joiner after the virama picks the half form
        "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",  # Scotland's flag
    ],
)
def test_joiners_and_tags_are_accepted_where_a_script_or_emoji_needs_them(timeline_project, text):
    assert character_problems(text) == []
    timeline_project.write("2026/script.yaml", timeline_project.valid_event.replace(TITLE_LINE, f"title: Acme {text}"))
    graph, report = timeline_project.load()
    assert report.items == []
    assert graph.events["script"].title == f"Acme {text}"


@pytest.mark.parametrize("text", ["Ac\u200dme", "Acme\u200c", "\u200dAcme", "Acme \u200c launches", "a\U000e0067"])
def test_joiners_are_refused_where_nothing_needs_them(text):
    assert [why.split(" ")[2] for _, why in character_problems(text)] in (["U+200D"], ["U+200C"], ["U+E0067"])


@pytest.mark.parametrize("blank", ['" "', '"\\t"', '"\u3000"', '"  \\n "'])
def test_a_blank_title_is_refused(timeline_project, blank):
    error = timeline_project.single_error("2026/blank.yaml", timeline_project.valid_event.replace(TITLE_LINE, f"title: {blank}"))
    assert (error.line, error.message) == (1, "'title' is blank")


def test_visible_escapes_what_a_terminal_would_act_on():
    assert visible("a\x1b[2Jb\u202ec\x85\ud800\td") == "a\\x1b[2Jb\\u202ec\\x85\\ud800\\td"
    assert visible("Zürich, 東京, می\u200cخواهم") == "Zürich, 東京, می\u200cخواهم"
    assert "\x1b" not in str(Diagnostic("events/x\x1b.yaml", 1, 1, "error", "bad \x1b", "fix \u202e"))


# 2 and 4. The folder has a fixed shape; nothing is followed outside it -----------------------


@pytest.mark.parametrize(
    "rel, message",
    [
        ("2026/sub/x.yaml", "'sub' is a folder; data files sit directly in events/2026/"),
        ("misc/x.yaml", "folder 'misc' is not a year, 'entities' or '_templates'"),
        ("2026 copy/x.yaml", "folder '2026 copy' is not a year"),
        ("9999/x.yaml", "folder '9999' is not a year"),
        ('x" onload="alert(1)/x.yaml', "folder 'x\" onload=\"alert(1)' is not a year"),
        ("README.md", "'README.md' does not belong directly in events/"),
        ("2026/notes.md", "'notes.md' is not a .yaml file"),
        ("2026/.hidden.yaml", "file name '.hidden' is not a valid ID"),
        ("entities/.DS_Store", "'.DS_Store' is not a .yaml file"),
    ],
)
def test_every_path_component_is_an_id_a_year_or_a_known_folder(timeline_project, rel, message):
    timeline_project.write(rel, timeline_project.valid_event)
    graph, report = timeline_project.load()
    errors = [d for d in report.errors if message in d.message]
    assert errors, [str(d) for d in report.items]
    assert all((d.line, d.column) == (1, 1) for d in errors)
    assert VALID_SIBLING_ID in graph.events and len(graph.events) == 1


def test_a_folder_named_like_a_yaml_file_is_an_error_not_skipped(timeline_project):
    (timeline_project.root / "events" / "2026" / "sneaky.yaml").mkdir()
    _, report = timeline_project.load()
    assert [str(d) for d in report.errors] == [
        "events/2026/sneaky.yaml:1:1: error: 'sneaky.yaml' is a folder named like a data file; data files sit "
        "directly in events/2026/ (hint: move its files up one level and remove the folder)"
    ]


def test_a_symlink_to_a_file_outside_is_refused_and_its_contents_never_echoed(timeline_project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text("title: TOP-SECRET-VALUE\nkind: nonsense\n", "utf-8")
    (timeline_project.root / "events" / "2026" / "linked.yaml").symlink_to(outside)
    graph, report = timeline_project.load()
    assert [str(d) for d in report.items] == [
        "events/2026/linked.yaml:1:1: error: 'linked.yaml' is a symbolic link (hint: replace it with the real "
        "file or folder: links could point outside the repository)"
    ]
    assert "linked" not in graph.events


def test_a_symlinked_folder_and_a_symlinked_events_folder_are_refused(timeline_project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside-dir")
    (outside / "x.yaml").write_text(timeline_project.valid_event, "utf-8")
    (timeline_project.root / "events" / "2025").symlink_to(outside, target_is_directory=True)
    graph, report = timeline_project.load()
    assert [(d.path, d.message) for d in report.items] == [("events/2025", "'2025' is a symbolic link")]
    assert "x" not in graph.events

    elsewhere = tmp_path_factory.mktemp("project")
    (elsewhere / "events").symlink_to(timeline_project.root / "events", target_is_directory=True)
    status = main(["check", "--root", str(elsewhere)])
    assert status == 1


def test_a_fifo_is_refused_without_being_opened(timeline_project):
    os.mkfifo(timeline_project.root / "events" / "2026" / "pipe.yaml")
    _, report = timeline_project.load()  # opening a FIFO would block forever
    assert [(d.path, d.line, d.message) for d in report.items] == [
        ("events/2026/pipe.yaml", 1, "'pipe.yaml' is not a regular file")
    ]


def test_an_unreadable_file_is_a_located_error_not_a_traceback(timeline_project, monkeypatch):
    target = timeline_project.write("2026/locked.yaml", timeline_project.valid_event)
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    error = timeline_project.single_error("2026/locked.yaml", target.read_text("utf-8"))
    assert str(error) == (
        "events/2026/locked.yaml:1:1: error: cannot read the file: Permission denied (hint: check that it exists and is readable)"
    )


def test_an_oversized_file_is_refused_before_it_is_read(timeline_project):
    error = timeline_project.single_error("2026/huge.yaml", "# " + "x" * 200_000 + "\n")
    assert (error.line, error.message) == (1, "file is 200003 bytes; the limit is 65536")


def test_index_is_reserved(timeline_project):
    error = timeline_project.single_error("entities/index.yaml", "name: Index\nkind: company\n")
    assert str(error).startswith("events/entities/index.yaml:1:1: error: 'index' is reserved")


# 5. Dates the pipeline can draw; depth it can render ------------------------------------------


@pytest.mark.parametrize("field, line, column", [("date: 2026-04-10", 2, 7), ("    date: 2026-04-10", 10, 11)])
@pytest.mark.parametrize("year", ["9999", "1899", "2200"])
def test_dates_outside_1900_2199_are_refused_with_their_line(timeline_project, field, line, column, year):
    text = timeline_project.valid_event.replace(f"\n{field}\n", f"\n{field.replace('2026', year)}\n")
    error = timeline_project.single_error("2026/far.yaml", text)
    assert (error.line, error.column) == (line, column)
    assert f"year {year} is out of range (1900-2199)" in error.message


def test_a_promise_due_in_2199_builds_with_its_slip_chart(tmp_path):
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "2026/far-promise.yaml": "title: Acme promises Widget\ndate: 2026-01\nkind: promise\nentities: [acme]\n"
            "summary: A long wait.\npromise:\n  by: acme\n  what: Ship Widget\n  due: 2199-12-31\n"
            "sources:" + SOURCE,
            "2026/far-delay.yaml": "title: Acme delays Widget\ndate: 1900-01\nkind: delay\nentities: [acme]\n"
            "summary: Later.\nrelations:\n  - type: delays\n    event: far-promise\n"
            "sources:" + SOURCE,
        },
    )
    assert main(["check", "--root", str(project), "--allow-warnings"]) == 1  # the delay predates its promise
    (project / "events" / "2026" / "far-delay.yaml").unlink()
    assert main(["check", "--root", str(project)]) == 0
    result = build_in_process(project, tmp_path / "site")
    assert result.ok, result.log
    assert "<svg" in (tmp_path / "site" / "events" / "far-promise" / "index.html").read_text("utf-8")


def _chain(depth: int) -> dict[str, str]:
    files = {"entities/level-1.yaml": "name: Level 1\nkind: company\n"}
    for level in range(2, depth + 1):
        files[f"entities/level-{level}.yaml"] = f"name: Level {level}\nkind: team\nparent: level-{level - 1}\n"
    return files


def test_a_hierarchy_deeper_than_eight_is_refused_and_eight_builds(tmp_path):
    project = fixture_project(tmp_path / "ok", _chain(8))
    assert main(["check", "--root", str(project)]) == 0
    result = build_in_process(project, tmp_path / "site")
    assert result.ok, result.log

    deep = fixture_project(tmp_path / "deep", _chain(300))  # once a RecursionError in the build
    assert main(["check", "--root", str(deep)]) == 1
    assert not build_in_process(deep, tmp_path / "deep-site").ok


def test_the_deep_hierarchy_error_names_the_parent_line(timeline_project):
    for name, text in _chain(9).items():
        timeline_project.write(name, text)
    _, report = timeline_project.load()
    assert [str(d) for d in report.items] == [
        "events/entities/level-9.yaml:3:9: error: 'level-9' sits 9 levels deep in its hierarchy; the limit is 8 "
        "(hint: attach it to a higher level: deeper trees are not readable anyway)"
    ]


@pytest.mark.parametrize(
    "markdown", ["- " * 1000 + "x", "1. " * 700 + "x", "> " * 20 + "x", "".join(" " * i + "- a\\n" for i in range(60))]
)
def test_markdown_nested_past_the_limit_is_refused_where_it_nests(timeline_project, markdown):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget, its first model.", f'summary: "Fine.\\n\\n{markdown}"'
    )
    error = timeline_project.single_error("2026/nested.yaml", text)
    assert error.line == 6 and "nests" in error.message and "the limit is 12" in error.message


# 6. An empty events/ builds, as the check says -------------------------------------------------


def test_an_empty_events_folder_passes_check_and_builds(tmp_path):
    project = fixture_project(tmp_path, {})
    for template in (project / "events" / "_templates").iterdir():
        template.unlink()
    assert main(["check", "--root", str(project)]) == 0
    result = build_in_process(project, tmp_path / "site")
    assert result.ok, result.log
    contributing = (tmp_path / "site" / "contributing" / "index.html").read_text("utf-8")
    assert "is missing from this copy of the project" in contributing


# 3. Templates are data, shown through the escaping path -----------------------------------------


def test_a_template_comment_with_markup_is_shown_as_text(tmp_path):
    project = fixture_project(tmp_path, {})
    template = project / "events" / "_templates" / "event.yaml"
    template.write_text("# <img src=x onerror=alert(1)> <year>/<id>\n" + template.read_text("utf-8"), "utf-8")
    assert main(["check", "--root", str(project)]) == 0
    result = build_in_process(project, tmp_path / "site")
    assert result.ok, result.log
    html = (tmp_path / "site" / "contributing" / "index.html").read_text("utf-8")
    assert "# &lt;img src=x onerror=alert(1)&gt; &lt;year&gt;/&lt;id&gt;" in html
    assert "<img src" not in html and "onerror=alert(1)>" not in html
    assert html.count("<h1") == 1


# Character references and link addresses in Markdown ------------------------------------------


@pytest.mark.parametrize(
    "reference, code",
    [("&#x202E;", "U+202E"), ("&#8203;", "U+200B"), ("&rlm;", "U+200F"), ("&#x1b;", "U+001B"), ("&shy;", "U+00AD")],
)
def test_a_character_reference_to_a_refused_character_is_refused_where_it_stands(timeline_project, reference, code):
    text = timeline_project.valid_event.replace("summary: Acme released Widget", f"summary: Acme {reference}released Widget")
    error = timeline_project.single_error("2026/reference.yaml", text)
    assert (error.line, error.column) == (6, 15)
    assert error.message.startswith(f"'{reference}' in 'summary' writes ") and code in error.message


def test_harmless_references_stay_allowed_and_render_as_their_character():
    from ai_timeline import markup

    assert markup.markdown_problems("AT&amp;T &#169; 2026 &eacute;", "summary") == []
    assert "\u202e" not in markup.render("x &#x202E; y") and "\ufffd" in markup.render("x &#x202E; y")


def test_a_quote_inside_a_link_address_is_refused_not_silently_cut(timeline_project):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget, its first model.", """summary: 'See [its site](https://example.com/?q="x"&r=1).'"""
    )
    error = timeline_project.single_error("2026/quoted-link.yaml", text)
    assert "holds a quote" in error.message and "%22" in error.hint
    assert error.line == 6


def test_a_link_title_in_markdown_syntax_is_still_fine(timeline_project):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget, its first model.", """summary: 'See [its site](https://example.com/ "Acme").'"""
    )
    timeline_project.write("2026/titled-link.yaml", text)
    _, report = timeline_project.load()
    assert report.items == []


def test_fence_lines_in_a_title_never_become_a_code_block_anywhere(tmp_path):
    title = '"Widget\\n```\\nplain\\n~~~\\nmore"'
    project = fixture_project(
        tmp_path,
        {
            "entities/acme.yaml": "name: Acme\nkind: company\n",
            "2026/fenced-promise.yaml": f"title: {title}\ndate: 2026-01\nkind: promise\nentities: [acme]\n"
            "summary: Fine.\npromise:\n  by: acme\n  what: Ship Widget\n  due: 2026-03\nsources:" + SOURCE,
        },
    )
    assert main(["check", "--root", str(project)]) == 0
    assert build_in_process(project, tmp_path / "site").ok
    for page in ("events/fenced-promise", "promises", "timeline", "entities/acme"):
        html = (tmp_path / "site" / page / "index.html").read_text("utf-8")
        assert 'class="highlight"' not in html and "language-" not in html, page
    assert "Slip chart: Widget &#96;&#96;&#96; plain &#126;&#126;&#126; more" in (
        tmp_path / "site" / "events/fenced-promise/index.html"
    ).read_text("utf-8")


# Found by a blind red-team pass -------------------------------------------------------------------


@pytest.mark.parametrize(
    "reference", ["&#x0000202E;", "&#x0000001B;", "&#000000008203;", "&#x202E", "&#27 ", "&#xad ", "&#" + "0" * 3900 + "8203;"]
)
def test_numeric_references_with_leading_zeros_or_no_semicolon_are_caught(timeline_project, reference):
    text = timeline_project.valid_event.replace("summary: Acme released Widget", f'summary: "Acme {reference}released Widget')
    text = text.replace("its first model.\n", 'its first model."\n')
    error = timeline_project.single_error("2026/zeros.yaml", text)
    assert "writes" in error.message and error.line == 6


def test_a_mention_that_closes_a_code_span_cannot_bring_a_link_to_life(timeline_project):
    text = timeline_project.valid_event.replace(
        "summary: Acme released Widget, its first model.",
        "summary: '`[a](//evil.example/x) [b](/abs) [[acme|x`]] end'",
    )
    errors = timeline_project.rejected("2026/code-span.yaml", text)
    assert {e.message.split("'")[1] for e in errors} == {"//evil.example/x", "/abs"}


@pytest.mark.parametrize("value", ["[1]", "{a: b}"])
def test_a_list_or_mapping_for_a_boolean_is_a_located_error(timeline_project, value):
    text = timeline_project.valid_event + f"approximate: {value}\n"
    error = timeline_project.single_error("2026/bool.yaml", text)
    assert (error.line, error.message) == (
        12,
        "'approximate' must be true or false, not a list"
        if "[" in value
        else "'approximate' must be true or false, not a mapping of fields",
    )


@pytest.mark.parametrize("value", ["1" * 5000, "0x" + "F" * 3600, "-" + "9" * 4400])
def test_a_huge_number_is_a_located_error(timeline_project, value):
    error = timeline_project.single_error(
        "2026/huge-number.yaml", timeline_project.valid_event.replace(TITLE_LINE, f"title: {value}")
    )
    assert (error.line, error.message) == (1, "'title' must be text, not a number")


def test_an_empty_kind_says_it_is_empty(timeline_project):
    error = timeline_project.single_error("2026/no-kind.yaml", timeline_project.valid_event.replace("kind: launch", "kind:"))
    assert (error.message, error.hint.startswith("choose one of: announcement")) == ("'kind' is empty", True)


def test_github_annotations_escape_control_characters_in_paths(timeline_project, capsys):
    timeline_project.write("2026/a\x1b[31mred\x07.yaml", timeline_project.valid_event)
    assert main(["check", "--format", "github", "--root", str(timeline_project.root)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "file=events/2026/a\\x1b[31mred\\x07.yaml" in err


def test_timeline_new_never_echoes_raw_control_characters(timeline_project, capsys):
    assert (
        main(
            ["new", "event", "--root", str(timeline_project.root), "--title", "t", "--date", "2026-05", "--id", "\x1b]0;pwn\x07"]
        )
        == 1
    )
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]0;pwn\\x07" in err


@pytest.mark.parametrize("events_dir", ["/tmp", "../elsewhere", "."])
def test_the_events_folder_must_be_inside_the_project(timeline_project, capsys, events_dir):
    assert main(["check", "--root", str(timeline_project.root), "--events-dir", events_dir]) == 1
    assert "must be inside the project root" in capsys.readouterr().err
    assert (
        main(
            [
                "new",
                "event",
                "--root",
                str(timeline_project.root),
                "--events-dir",
                events_dir,
                "--title",
                "t",
                "--date",
                "2026-05",
            ]
        )
        == 2
    )
    assert not (timeline_project.root.parent / "elsewhere").exists()
