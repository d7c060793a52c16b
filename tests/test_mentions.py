"""Mentions in summaries and descriptions: `[[id]]` or `[[id|text]]`.

They render as relative links labelled with the event's title, the entity's name or the custom
text; an unknown ID is an error at the mention's own line and column, with a did-you-mean; a
mention that names no ID is an error too; custom text cannot smuggle in HTML or script links.
"""

from __future__ import annotations

from datetime import date

import pytest
from ai_timeline import markup
from ai_timeline.pages import SiteWriter
from ai_timeline.project import load_graph
from conftest import TIMELINE_VALID_EVENT

SUMMARY_LINE = "summary: Acme released Widget, its first model.\n"  # line 6 of the valid event


def with_summary(summary_lines: str) -> str:
    """The valid event with its summary (line 6 on) replaced by `summary_lines`."""
    assert TIMELINE_VALID_EVENT.count(SUMMARY_LINE) == 1
    return TIMELINE_VALID_EVENT.replace(SUMMARY_LINE, summary_lines)


KNOWN = {"other-event": ("../other-event/", "Other event"), "acme": ("../../entities/acme/", "Acme")}


def resolve(record_id: str) -> tuple[str, str] | None:
    return KNOWN.get(record_id)


# Finding and rendering ----------------------------------------------------------------------


def test_mentions_are_found_with_their_whole_text():
    text = "See [[other-event]], [[acme|the company]] and [[ acme ]]; not [[acme\n]] nor [single]."
    assert markup.mentions(text) == [
        ("other-event", "[[other-event]]"),
        ("acme", "[[acme|the company]]"),
        ("acme", "[[ acme ]]"),
    ]


def test_mention_of_an_event_is_a_link_labelled_with_its_title():
    html = markup.render("See [[other-event]].", resolve)
    assert html == '<p>See <a href="../other-event/" rel="noopener nofollow">Other event</a>.</p>'


def test_mention_of_an_entity_is_a_link_labelled_with_its_name():
    assert '<a href="../../entities/acme/" rel="noopener nofollow">Acme</a>' in markup.render("By [[acme]].", resolve)


def test_mention_with_custom_text_uses_that_text():
    html = markup.render("By [[acme|the company]].", resolve)
    assert '<a href="../../entities/acme/" rel="noopener nofollow">the company</a>' in html
    assert "Acme" not in html


def test_unresolved_mention_renders_as_its_text_without_a_link():
    assert markup.render("See [[nowhere]] and [[nowhere|there]].") == "<p>See nowhere and there.</p>"
    assert "<a" not in markup.render("See [[nowhere]].", resolve)


def test_a_title_is_literal_text_in_the_label():
    html = markup.render("[[x]]", lambda i: ("../x/", "Widget *2* <i>beta</i> [draft](http://e.com)"))
    assert "<em>" not in html and "<i>" not in html and 'href="http' not in html
    assert html.count("<a ") == 1
    assert html == ('<p><a href="../x/" rel="noopener nofollow">Widget *2* &lt;i&gt;beta&lt;/i&gt; [draft](http://e.com)</a></p>')


def test_plain_text_uses_the_label():
    assert markup.plain_text("See [[other-event]] by [[acme|them]] & co.", resolve) == "See Other event by them & co."


def test_hostile_custom_text_renders_no_html():
    html = markup.render("[[acme|<b>x</b>]]", resolve)
    assert "<b>" not in html
    assert '<a href="../../entities/acme/" rel="noopener nofollow">&lt;b&gt;x&lt;/b&gt;</a>' in html


def test_custom_text_with_a_script_link_renders_no_script_link():
    html = markup.render("[[acme|*x* [y](javascript:z)]]", resolve)
    assert "javascript" not in html
    assert "href" not in html  # not a mention, and the Markdown link loses its unsafe address


# The loader and the reference checks ---------------------------------------------------------


def test_unknown_mention_is_an_error_with_did_you_mean_and_position(timeline_project):
    text = with_summary("summary: See [[valid-sibbling]] today.\n")
    error = timeline_project.single_error("2026/bad-mention.yaml", text)
    assert (error.line, error.column) == (6, 14)
    assert error.message == "mention of unknown ID 'valid-sibbling'"
    assert error.hint == "did you mean 'valid-sibling'?"


def test_unknown_mention_in_a_block_is_reported_at_its_own_line(timeline_project):
    text = with_summary("summary: |\n  First line.\n  Second line, [[acme]] is fine.\n  See [[acne|them]] here.\n")
    error = timeline_project.single_error("2026/block-mention.yaml", text)
    assert (error.line, error.column) == (9, 7)  # line 3 of the block
    assert error.message == "mention of unknown ID 'acne'"
    assert error.hint == "did you mean 'acme'?"


def test_unknown_mention_without_a_close_match(timeline_project):
    error = timeline_project.single_error("2026/far-mention.yaml", with_summary("summary: See [[zzzzzz]].\n"))
    assert error.message == "mention of unknown ID 'zzzzzz'"
    assert error.hint == "mentions name an event or entity by its file name"


def test_unknown_mention_in_an_entity_description(timeline_project):
    text = "name: Widget\nkind: model\ndescription: Made by [[acme-reserch]].\n"
    error = timeline_project.single_error("entities/widget.yaml", text)
    assert (error.line, error.column) == (3, 22)
    assert error.message == "mention of unknown ID 'acme-reserch'"
    assert error.hint == "did you mean 'acme-research'?"


def test_mention_of_a_file_with_errors_says_so(timeline_project):
    timeline_project.write("2026/broken.yaml", TIMELINE_VALID_EVENT.replace("kind: launch", "kind: lanch"))
    error = timeline_project.single_error("2026/mentions-broken.yaml", with_summary("summary: After [[broken]].\n"))
    assert (error.line, error.column) == (6, 16)
    assert error.message == "mention of 'broken' cannot be used: events/2026/broken.yaml has errors"


@pytest.mark.parametrize("mention", ["[[Bad ID]]", "[[]]", "[[|some text]]", "[[acme_research]]"])
def test_malformed_mention_is_an_error(timeline_project, mention):
    error = timeline_project.single_error("2026/malformed.yaml", with_summary(f"summary: See {mention} here.\n"))
    assert (error.line, error.column) == (6, 14)
    assert error.message == f"mention '{mention}' does not name an ID"
    assert "[[id]] or [[id|text]]" in error.hint


def test_custom_text_with_raw_html_is_rejected(timeline_project):
    error = timeline_project.single_error("2026/html-mention.yaml", with_summary("summary: See [[acme|<b>x</b>]].\n"))
    assert (error.line, error.column) == (6, 21)
    assert error.message == "raw HTML '<b>' is not allowed in 'summary'"


def test_custom_text_with_a_script_link_is_rejected(timeline_project):
    text = with_summary("summary: See [[acme|*x* [y](javascript:z)]].\n")
    error = timeline_project.single_error("2026/script-mention.yaml", text)
    assert error.line == 6
    assert error.message == "link 'javascript:z' is not an http(s) or mailto address"


def test_valid_mentions_load_cleanly(timeline_project):
    text = with_summary("summary: >-\n  See [[valid-sibling]], [[acme|the company]]\n  and [[ jane-doe ]].\n")
    timeline_project.write("2026/fine.yaml", text)
    graph, report = timeline_project.load()
    assert report.items == []
    assert "fine" in graph.events


# Pages ------------------------------------------------------------------------------------------


@pytest.fixture
def mentioning_graph(story):
    story.add("other-event", "2026-05-01", title="Other event")
    story.add("x", "2026-05-02", summary="After [[other-event]], [[acme]] said [[jane-doe|she]] left.")
    return story.load()


def test_site_writer_links_mentions_with_directory_urls(mentioning_graph):
    writer = SiteWriter(mentioning_graph, date(2026, 6, 1), directory_urls=True)
    page = writer.event_page(mentioning_graph.events["x"])
    assert page.src_uri == "events/x.md"
    assert '<a href="../other-event/" rel="noopener nofollow">Other event</a>' in page.markdown
    assert '<a href="../../entities/acme/" rel="noopener nofollow">Acme</a>' in page.markdown
    assert '<a href="../../entities/jane-doe/" rel="noopener nofollow">she</a>' in page.markdown
    assert "[[" not in page.markdown
    assert page.description.endswith("After Other event, Acme said she left.")


def test_site_writer_links_mentions_without_directory_urls(mentioning_graph):
    writer = SiteWriter(mentioning_graph, date(2026, 6, 1), directory_urls=False)
    markdown = writer.event_page(mentioning_graph.events["x"]).markdown
    assert '<a href="other-event.html" rel="noopener nofollow">Other event</a>' in markdown
    assert '<a href="../entities/acme.html" rel="noopener nofollow">Acme</a>' in markdown


def test_site_writer_links_mentions_in_an_entity_description(timeline_project):
    timeline_project.write("entities/widget.yaml", "name: Widget\nkind: model\ndescription: Made by [[acme-research]].\n")
    graph, report = timeline_project.load()
    assert report.items == []
    page = SiteWriter(graph, date(2026, 6, 1), directory_urls=True).entity_page(graph.entities["widget"])
    assert '<a href="../acme-research/" rel="noopener nofollow">Acme Research</a>' in page.markdown
    assert page.description == "Made by Acme Research."


def test_real_mentions_resolve(repo_root):
    graph, report = load_graph(repo_root)
    assert report.errors == []
    writer = SiteWriter(graph, date(2026, 11, 24), directory_urls=True)
    markdown = writer.event_page(graph.events["wang-says-muse-spark-api-coming-soon"]).markdown
    assert '<a href="../muse-spark-launch/" rel="noopener nofollow">Muse Spark went online</a>' in markdown
    assert '<a href="../../entities/alexandr-wang/" rel="noopener nofollow">Alexandr Wang</a>' in markdown
