"""Property tests: random contributor text, end to end (check → build → HTML parse).

One example is one small project: a company with a lab under it, a person with a role in the
lab, a promise, a delay of that promise and a plain event with a quote, with every contributor-
text field drawn from a strategy. Whatever the text holds:

* `timeline check` never raises; when it fails, each diagnostic is one `file:line:col:` line with
  no raw control, bidi or line-separator character in it, and the build fails too;
* when the check passes, the build succeeds, and the built pages hold no element, attribute,
  class, script or URL scheme that the same project filled with placeholder words does not
  (plus what the Markdown sanitizer allows in summaries and descriptions), and the visible
  text of the plain-text fields comes back out (up to whitespace, which is collapsed).

Strings reach the loader exactly: each is written as a double-quoted YAML scalar in which every
non-printable or non-ASCII character is a \\uXXXX / \\UXXXXXXXX escape, so the YAML is always
well formed and the character rules must catch what the escapes decode to.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import tempfile
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ai_timeline.cli import main as timeline_main
from hypothesis import HealthCheck, Phase, example, given, note, settings
from hypothesis import strategies as st
from sitebuild import BuildResult, build_in_process, fixture_project, search_index

MAX_EXAMPLES = 100

# What sanitized contributor Markdown may add to a page (markup.ALLOWED_TAGS today, written out
# here so that widening the allowlist is a decision this test sees); nh3 adds rel to links.
SANITIZER_TAGS = frozenset({"p", "em", "strong", "a", "code", "ul", "ol", "li", "blockquote", "br", "pre"})
SANITIZER_PAIRS = frozenset({("a", "href"), ("a", "title"), ("a", "rel")})
SAFE_SCHEMES = {"http", "https", "mailto"}
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "cite",
    "data",
    "srcset",
    "background",
    "ping",
    "manifest",
    "longdesc",
    "usemap",
    "codebase",
}

# Pages that show contributor text (relative to the site), and which of them show Markdown.
EVENT_PAGES = ("events/widget-promise/index.html", "events/widget-delayed/index.html", "events/jane-speaks/index.html")
ENTITY_PAGES = ("entities/acme/index.html", "entities/acme-research/index.html", "entities/jane-doe/index.html")
HUB_PAGES = ("entities/index.html", "timeline/index.html", "promises/index.html", "index.html")
PAGES = EVENT_PAGES + ENTITY_PAGES + HUB_PAGES
MARKDOWN_PAGES = EVENT_PAGES + ENTITY_PAGES

DIAGNOSTIC = re.compile(r"^events/[^:]+:\d+:\d+: (error|warning): ")
SUMMARY_LINE = re.compile(r"^\d+ events and \d+ entities loaded; \d+ errors, \d+ warnings")
BIDI_CONTROLS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
ZERO_WIDTH = {"\u200b", "\u2060", "\ufeff", "\u180e"}


# The project --------------------------------------------------------------------------------

PLACEHOLDERS = {
    "company_name": "Acme",
    "alias": "Acme Corporation",
    "company_description": "A *maker* of widgets.",
    "link_title": "Official website",
    "link_url": "https://example.com/",
    "lab_name": "Acme Research",
    "lab_description": "The research lab of [[acme]].",
    "person_name": "Jane Doe",
    "role_title": "Chief Scientist",
    "promise_title": "Acme promises Widget",
    "promise_summary": "Acme said **Widget** ships in June.",
    "promise_what": "Ship Widget",
    "publisher": "Example News",
    "source_title": "An example report",
    "via": "The Daily Paper",
    "note": "Paywalled",
    "source_url": "https://example.com/report?a=1",
    "delay_title": "Widget delayed",
    "delay_summary": "Widget slips to September.",
    "reason": "Testing took longer",
    "event_title": "Jane speaks",
    "event_summary": "Jane said [[widget-promise]] is on track.",
    "quote": "Widget is coming soon",
    "tag": "widgets",
}
MARKDOWN_FIELDS = {"company_description", "lab_description", "promise_summary", "delay_summary", "event_summary"}
URL_FIELDS = {"link_url", "source_url"}
TAG_FIELDS = {"tag"}


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar of printable ASCII that decodes to exactly `text`."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def project_files(fields: dict[str, str]) -> dict[str, str]:
    q = {key: yaml_string(value) for key, value in fields.items()}
    return {
        "entities/acme.yaml": (
            f"name: {q['company_name']}\nkind: company\naliases:\n  - {q['alias']}\n"
            f"description: {q['company_description']}\n"
            f"links:\n  - title: {q['link_title']}\n    url: {q['link_url']}\n"
        ),
        "entities/acme-research.yaml": (f"name: {q['lab_name']}\nkind: lab\nparent: acme\ndescription: {q['lab_description']}\n"),
        "entities/jane-doe.yaml": (
            f"name: {q['person_name']}\nkind: person\n"
            f"roles:\n  - title: {q['role_title']}\n    org: acme-research\n    from: 2025\n"
        ),
        "2026/widget-promise.yaml": (
            f"title: {q['promise_title']}\ndate: 2026-03-02\nkind: promise\nentities:\n  - acme-research\n"
            f"summary: {q['promise_summary']}\n"
            f"promise:\n  by: acme-research\n  what: {q['promise_what']}\n  due: 2026-06\n"
            f"sources:\n  - publisher: {q['publisher']}\n    title: {q['source_title']}\n    date: 2026-03-02\n"
            f"    type: secondary\n    via: {q['via']}\n    note: {q['note']}\n    url: {q['source_url']}\n"
        ),
        "2026/widget-delayed.yaml": (
            f"title: {q['delay_title']}\ndate: 2026-05-20\nkind: delay\nentities:\n  - acme\n"
            f"summary: {q['delay_summary']}\n"
            f"relations:\n  - type: delays\n    event: widget-promise\n    new_date: 2026-09\n    reason: {q['reason']}\n"
            f"sources:\n  - publisher: {q['publisher']}\n    title: Acme news\n    date: 2026-05-20\n    type: primary\n"
        ),
        "2026/jane-speaks.yaml": (
            f"title: {q['event_title']}\ndate: 2026-07\nkind: statement\nentities:\n  - jane-doe\n  - acme\n"
            f"summary: {q['event_summary']}\nquotes:\n  - text: {q['quote']}\n    by: jane-doe\n"
            f"tags:\n  - {q['tag']}\n"
            f"sources:\n  - publisher: Acme\n    title: Acme news\n    date: 2026-07\n    type: primary\n"
        ),
    }


# Strategies ---------------------------------------------------------------------------------

WORDS = [
    "Acme",
    "Widget",
    "ships",
    "C#",
    "F#",
    "v2.0",
    "GPT-5",
    "x",
    "1",
    "2026",
    "café",
    "Ωmega",
    "東京",
    "ضوء",
    "नमस्ते",
    "Zoë",
    "naïve",
    "¶",
    "“quoted”",
    "‘single’",
    "—",
    "…",
    "👩\u200d💻",
    "🏳\ufe0f\u200d🌈",
    "می\u200cخواهم",
    "क्\u200dष",
    "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
]
# Markdown and HTML specials that the check accepts (so the renderer must make them inert) ...
MARKUP_TOKENS = [
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "  \n",
    "\r\n",
    "\u00a0",
    "\u3000",
    "#",
    "# ",
    "## ",
    "###### ",
    " #",
    " ##",
    ">",
    "> ",
    ">>",
    "-",
    "- ",
    "+ ",
    "* ",
    "1.",
    "1. ",
    "2) ",
    "99999. ",
    "|",
    "| a | b |",
    "|---|",
    "*",
    "**",
    "***",
    "_",
    "__",
    "~~",
    "^",
    "=",
    "===",
    "---",
    "* * *",
    "    ",
    "```",
    "~~~",
    "[",
    "]",
    "(",
    ")",
    "[]",
    "()",
    "<",
    " < ",
    "<<",
    "< b >",
    "a<1",
    "&",
    "&amp;",
    "&#35;",
    "&#x3c;",
    "&lt;b&gt;",
    "&nbsp;",
    "&para;",
    '"',
    "'",
    "`",
    "``",
    "!",
    "!!! note",
    "{",
    "}",
    "{:",
    "{: .evil }",
    '{: onclick="alert(1)" }',
    "{#id}",
    "{ .tl-status }",
    "\\",
    "\\*",
    "\\u202e",
    "\\x1b",
    "%",
    "%3C",
    "$",
    "@",
    ":",
    ";",
    "[[acme]]",
    "[[widget-promise|the promise]]",
    "[[jane-doe|]]",
    "[[ acme-research ]]",
    "[[",
    "]]",
    "[[x|",
    "javascript:",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "vbscript:",
    "onclick=",
    "onerror=alert(1)",
    " onload=x",
    "https://example.com",
    "mailto:a@b.c",
    "//evil.example",
    "[x](https://example.com/a)",
    '[x](https://example.com "t")',
    "[x](mailto:a@b.c)",
    "[x][r]\n\n[r]: https://example.com/r",
    "`< script>`",
    "    code block",
    "- [ ] task",
    "- a\n  - b\n    - c",
    "> > > deep",
    "Widget ships C#",
    "a | b",
    "1. Widget",
    "2026. A year",
    "\u0301",
]
# ... and ones it refuses (raw HTML, unsafe or relative links, images, unknown mentions).
REFUSED_TOKENS = [
    "<script>",
    "</script>",
    "<b>",
    "</p>",
    "<!--",
    "<?php",
    "<!DOCTYPE html>",
    "<https://example.com>",
    "<a@b.c>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](//evil.example)",
    "[x](#frag)",
    "[x](page.html)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![i](https://example.com/i.png)",
    "[![i](https://example.com/i.png)](https://example.com)",
    "[[nope]]",
    "[[Bad ID]]",
    " ",
    "\n",
]
HOSTILE = [
    "\x00",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1b[31m",
    "\x1b]0;title\x07",
    "\x7f",
    "\x85",
    "\x9b",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202e",
    "\u2066",
    "\u2069",
    "\u2028",
    "\u2029",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u061c",
    "\u115f",
    "\u3164",
    "\ufdd0",
    "\uffff",
    "\U0010ffff",
    "\U000e0041",
    "\ue000",
    "\U000f0000",
    "\ud800",
    "\udfff",
    "\ud83d\ude00",
    "\ufffd",
    "\u0301",
]

unicode_text = st.text(max_size=20)  # the whole range, controls and unassigned code points included
printable_text = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp", "Cn")), min_size=1, max_size=20)
word = st.sampled_from(WORDS)
markup_text = st.lists(st.one_of(st.sampled_from(MARKUP_TOKENS), word, printable_text), min_size=1, max_size=7).map("".join)
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.sampled_from(REFUSED_TOKENS), st.sampled_from(MARKUP_TOKENS), word),
    min_size=1,
    max_size=5,
).map("".join)
wild_text = st.one_of(unicode_text, hostile_text)


def mostly(likely: st.SearchStrategy[str], wild: st.SearchStrategy[str], odds: int = 20) -> st.SearchStrategy[str]:
    """`likely` `odds` times in `odds + 1`, else `wild`; shrinks towards `likely`."""
    return st.integers(0, odds).flatmap(lambda n: wild if n == odds else likely)


URL_CHARACTERS = [*"abcXYZ019-._~:/?#[]@!$&'()*+,;=%<>\"{}|\\^`", "é", "東", "\u0301", "\U0001f469"]
url_text = mostly(
    st.builds("https://example.com/{}".format, st.text(st.sampled_from(URL_CHARACTERS), max_size=14)),
    st.one_of(
        wild_text,
        markup_text,
        st.sampled_from(
            [
                "javascript:alert(1)",
                "JAVASCRIPT:alert(1)",
                " https://example.com",
                "https://",
                "http:/example.com",
                "https:example.com",
                "data:text/html,<script>alert(1)</script>",
                "mailto:a@b.c",
                "//example.com",
                "ftp://example.com",
                "https://exa mple.com",
                "https://example.com\n",
                "java\tscript:alert(1)",
                "https://example.com/a\u00a0b",
                "https://example.com/\u202e",
                "https://example.com/ x",
            ]
        ),
    ),
)
tag_text = mostly(st.from_regex(r"\A[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}\Z"), st.one_of(wild_text, markup_text))
plain_field = mostly(st.one_of(word, printable_text, markup_text).filter(str.strip), wild_text)
# Markdown: lines that each start with a block marker (heading, quote, list, rule, code, table
# row, attribute list, setext underline...) followed by inline specials and words, or that are
# a bare marker (a fence, a rule, an underline) on their own.
BLOCK_PREFIXES = [
    "",
    "",
    "# ",
    "### ",
    "> ",
    "> > ",
    "- ",
    "* ",
    "+ ",
    "1. ",
    "3) ",
    "    ",
    "\t",
    "---",
    "***",
    "===",
    "| ",
    "|---|---|",
    "```",
    "~~~",
    "{: .evil }",
    "!!! note ",
    "[r]: https://example.com/r ",
    "- [ ] ",
    "<",
    " < ",
]
BARE_LINES = ["", "~~~", "```", "~~~ {#x .y data-z=1}", "``` {.md-button}", "---", "===", "***", ">", "-", "1.", "#"]
markdown_line = st.one_of(
    st.builds(
        str.__add__,
        st.sampled_from(BLOCK_PREFIXES),
        st.lists(st.one_of(st.sampled_from(MARKUP_TOKENS), word, printable_text), max_size=4).map("".join),
    ),
    st.sampled_from(BARE_LINES),
)
# A fenced block inside a paragraph: the contributor's Markdown has no fences, so the lines reach
# the sanitized HTML as they are, where the site's own Markdown must not read them again.
FENCES = ["~~~", "```", "~~~~", "~~~ python", "~~~ {#x .y data-z=1}", "``` {.md-button}", "~~~ {data-md-component=dialog}"]
inline_text = st.lists(st.one_of(st.sampled_from(MARKUP_TOKENS), word, printable_text), max_size=3).map("".join)
fenced_markdown = st.builds(
    lambda before, fence, inside, after: f"{before}\n{fence}\n{inside}\n{fence.split()[0]}\n{after}",
    inline_text,
    st.sampled_from(FENCES),
    inline_text,
    inline_text,
)
markdown_field = mostly(
    st.one_of(
        st.lists(markdown_line, min_size=1, max_size=6).flatmap(
            lambda lines: st.sampled_from(["\n", "\n\n"]).map(lambda sep: sep.join(lines))
        ),
        fenced_markdown,
    ).filter(str.strip),
    wild_text,
)


def field_strategy(name: str) -> st.SearchStrategy[str]:
    if name in MARKDOWN_FIELDS:
        return markdown_field
    if name in URL_FIELDS:
        return url_text
    if name in TAG_FIELDS:
        return tag_text
    return plain_field


# Every block the contributor Markdown parser knows, for an explicit example.
MARKDOWN_BLOCKS = (
    "# Heading\n\n## Sub {: #x onclick=alert(1) }\n\nSetext\n===\n\n---\n\n> quote\n\n- a\n- b\n\n"
    "1. one\n2. two\n\n    code < b >\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n*em* **strong** `code` "
    '[link](https://example.com "t") [[acme]] [[widget-promise|the promise]] a < b & c\n\n'
    "!!! note\n    admonition\n\n[r]: https://example.com/r"
)

project_fields = st.fixed_dictionaries({name: field_strategy(name) for name in PLACEHOLDERS})


def forbidden_character(ch: str) -> bool:
    """A character no contributor text may hold, decided here without the plugin's rules."""
    if ch in "\t\n\r":
        return False
    category = unicodedata.category(ch)
    return (
        category in ("Cc", "Cs", "Zl", "Zp")
        or unicodedata.bidirectional(ch) in BIDI_CONTROLS
        or ch in ZERO_WIDTH
        or 0xFDD0 <= ord(ch) <= 0xFDEF
        or ord(ch) & 0xFFFE == 0xFFFE
    )


def raw_in_terminal(ch: str) -> bool:
    """A character a diagnostic must show as an escape: C0/C1 controls (tab included), bidi
    controls, line and paragraph separators, zero-width characters."""
    return (
        unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or unicodedata.bidirectional(ch) in BIDI_CONTROLS or ch in ZERO_WIDTH
    )


# Reading the output -------------------------------------------------------------------------


def norm(text: str) -> str:
    return " ".join(text.split())


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see: it drops tabs and newlines anywhere and strips the ends."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


class PageParser(HTMLParser):
    """Everything the properties look at in one built page."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        self.classes: set[str] = set()
        self.urls: list[tuple[str, str, str]] = []
        self.scripts: set[tuple[str, str]] = set()  # ("src", address) or ("inline", code)
        self.head_title: str | None = None
        self.description: str | None = None
        self.description_tag: str | None = None
        self.h1: str | None = None
        self.h1_count = 0
        self.article: list[str] = []
        self._in_head = self._in_article = self._in_headerlink = False
        self._script: list[str] | None = None
        self._title: list[str] | None = None
        self._h1: list[str] | None = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.add(tag)
        for name, value in attrs:
            self.pairs.add((tag, name))
            if name == "class" and value:
                self.classes.update(value.split())
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append((tag, name, value))
        if tag == "script":
            if values.get("src") is not None:
                self.scripts.add(("src", values["src"]))
            else:
                self._script = []
        elif tag == "head":
            self._in_head = True
        elif tag == "title" and self._in_head and self.head_title is None:
            self._title = []
        elif tag == "meta" and values.get("name") == "description":
            self.description, self.description_tag = values.get("content"), self.get_starttag_text()
        elif tag == "article":
            self._in_article = True
        elif tag == "h1" and self._in_article:
            self.h1_count += 1
            if self.h1 is None:
                self._h1 = []
        elif tag == "a" and self._h1 is not None and "headerlink" in (values.get("class") or "").split():
            self._in_headerlink = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.add(("inline", "".join(self._script)))
            self._script = None
        elif tag == "head":
            self._in_head = False
        elif tag == "title" and self._title is not None:
            self.head_title, self._title = "".join(self._title), None
        elif tag == "article":
            self._in_article = False
        elif tag == "h1" and self._h1 is not None:
            self.h1, self._h1 = "".join(self._h1), None
        elif tag == "a":
            self._in_headerlink = False

    def handle_data(self, data: str) -> None:
        for sink in (self._script, self._title):
            if sink is not None:
                sink.append(data)
        if self._in_article:
            self.article.append(data)
        if self._h1 is not None and not self._in_headerlink:
            self._h1.append(data)

    @property
    def text(self) -> str:
        return norm("".join(self.article))


class Fragment(HTMLParser):
    """Tags and attributes of an HTML fragment (the search index's titles and texts)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.pairs: set[tuple[str, str]] = set()
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.pairs.update((tag, name) for name, _ in attrs)


class Site:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.pages = {name: PageParser((root / name).read_text("utf-8")) for name in PAGES}
        self.search = search_index(root)
        search_tags, search_pairs = set(), set()
        for doc in self.search["docs"]:
            for part in (doc["title"], doc["text"]):
                fragment = Fragment(part)
                search_tags |= fragment.tags
                search_pairs |= fragment.pairs
        self.search_tags, self.search_pairs = search_tags, search_pairs
        self.search_titles = {norm(html.unescape(doc["title"])) for doc in self.search["docs"]}


def run_check(project: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = timeline_main(["check", "--root", str(project)])
    return status, err.getvalue() + out.getvalue()


def build(tmp: Path, fields: dict[str, str], log=lambda text: None) -> tuple[int, str, BuildResult]:
    """Write the project, run `timeline check` on it, then build it whatever the check said."""
    files = project_files(fields)
    for name, text in files.items():
        log(f"--- events/{name}\n{text}")
    project = fixture_project(tmp, files)
    status, output = run_check(project)
    log(f"timeline check exited {status}:\n{output}")
    return status, output, build_in_process(project, tmp / "site")


# Properties ---------------------------------------------------------------------------------


def assert_like_reference(site: Site, reference: Site) -> None:
    """No element, attribute, class, script or URL scheme the templates did not produce."""
    for name in PAGES:
        page, ref = site.pages[name], reference.pages[name]
        extra_tags = SANITIZER_TAGS if name in MARKDOWN_PAGES else frozenset()
        extra_pairs = SANITIZER_PAIRS if name in MARKDOWN_PAGES else frozenset()
        assert page.tags <= ref.tags | extra_tags, (name, page.tags - ref.tags - extra_tags)
        assert page.pairs <= ref.pairs | extra_pairs, (name, page.pairs - ref.pairs - extra_pairs)
        assert page.classes <= ref.classes, (name, page.classes - ref.classes)
        assert not [pair for pair in page.pairs if pair[1].startswith("on")], name
        assert page.scripts <= ref.scripts, (name, page.scripts - ref.scripts)
        bad = [
            (tag, attr, url)
            for tag, attr, url in page.urls
            if (scheme := url_scheme(url)) is not None and scheme not in SAFE_SCHEMES
        ]
        assert not bad, (name, bad)
        assert page.description_tag is not None and "<" not in page.description_tag[1:], (name, page.description_tag)
    assert site.search_tags <= reference.search_tags | SANITIZER_TAGS, site.search_tags - reference.search_tags
    assert site.search_pairs <= reference.search_pairs, site.search_pairs - reference.search_pairs


TITLED = {  # page: the field its <h1> and <title> show
    "events/widget-promise/index.html": "promise_title",
    "events/widget-delayed/index.html": "delay_title",
    "events/jane-speaks/index.html": "event_title",
    "entities/acme/index.html": "company_name",
    "entities/acme-research/index.html": "lab_name",
    "entities/jane-doe/index.html": "person_name",
}
SHOWN = {  # page: plain-text fields whose text it shows
    "events/widget-promise/index.html": [
        "promise_what",
        "publisher",
        "source_title",
        "via",
        "note",
        "reason",
        "delay_title",
        "lab_name",
    ],
    "events/widget-delayed/index.html": ["reason", "promise_title", "company_name"],
    "events/jane-speaks/index.html": ["quote", "person_name", "company_name", "tag"],
    "entities/acme/index.html": ["alias", "link_title", "lab_name", "promise_title", "delay_title", "event_title"],
    "entities/acme-research/index.html": ["person_name", "role_title", "company_name", "promise_title"],
    "entities/jane-doe/index.html": ["role_title", "lab_name", "event_title"],
    "timeline/index.html": ["promise_title", "delay_title", "event_title"],
    "promises/index.html": ["promise_title", "lab_name", "company_name"],
    "entities/index.html": ["company_name", "lab_name", "person_name"],
}


def assert_text_round_trips(site: Site, fields: dict[str, str]) -> None:
    for name, field in TITLED.items():
        page, expected = site.pages[name], norm(fields[field])
        assert page.h1_count == 1, (name, page.h1_count)
        assert page.h1 == expected, (name, page.h1, expected)
        # Whitespace aside (a browser collapses it in <title> too), the title is the text as written.
        assert page.head_title is not None and norm(page.head_title).startswith(expected + " - "), (
            name,
            page.head_title,
            expected,
        )
        assert expected in site.search_titles, (name, expected, sorted(site.search_titles))
    for name, field in (("entities/jane-doe/index.html", "person_name"),):  # no description: the name stands in
        expected = norm(f"{fields[field]} on the AI timeline.")
        if len(expected) < 200:
            assert norm(site.pages[name].description or "") == expected, (name, site.pages[name].description)
    for name, shown in SHOWN.items():
        text = site.pages[name].text
        for field in shown:
            assert norm(fields[field]) in text, (name, field, fields[field], text)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Site:
    """The same project filled with placeholder words: what the templates produce."""
    tmp = tmp_path_factory.mktemp("reference")
    status, output, result = build(tmp, PLACEHOLDERS)
    assert status == 0, output
    assert result.ok, result.log
    site = Site(tmp / "site")
    assert_text_round_trips(site, PLACEHOLDERS)
    return site


def check_example(reference: Site, fields: dict[str, str], log=note) -> str:
    """Run one project through check and build; return "rejected" or "built" after the checks."""
    with tempfile.TemporaryDirectory(prefix="tl-prop-") as name:
        tmp = Path(name)
        status, output, result = build(tmp, fields, log)
        if status != 0:
            lines = output.splitlines()
            assert lines and SUMMARY_LINE.match(lines[-1]), output
            for line in lines[:-1]:
                assert DIAGNOSTIC.match(line), line
                assert not [ch for ch in line if raw_in_terminal(ch)], ascii(line)
            assert not result.ok, f"timeline check failed but the build passed:\n{output}"
            return "rejected"
        assert not any(forbidden_character(ch) for value in fields.values() for ch in value), (
            f"a forbidden character passed the check: {fields!r}"
        )
        assert result.ok, f"timeline check passed but the build failed:\n{result.log}"
        site = Site(tmp / "site")
        assert_like_reference(site, reference)
        assert_text_round_trips(site, fields)
        return "built"


# No shrinking: each step is a site build, and Hypothesis would spend its full five minutes on
# it. A failure reports the generated example and, through note(), every YAML file it wrote.
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(fields=project_fields)
@example(
    fields={
        **PLACEHOLDERS,
        "event_title": "Widget ships C#",
        "promise_title": "# Widget | 1. ships >",
        "alias": "- [x](javascript:alert(1)) {: onclick=alert(1) }",
        "quote": "> *not* `code`",
        "source_url": "https://example.com/<script>\"'()[]{}|`^",
    }
)
@example(fields={**PLACEHOLDERS, "reason": "Testing\u202e took longer"})
@example(fields={**PLACEHOLDERS, "company_description": "[x](javascript:alert(1))"})
@example(fields={**PLACEHOLDERS, "event_summary": MARKDOWN_BLOCKS, "company_description": MARKDOWN_BLOCKS})
def test_random_contributor_text_is_rejected_or_rendered_inert(reference, fields):
    check_example(reference, fields)


# Known cases: Markdown-special titles render exactly as written ------------------------------

KNOWN_TITLES = [
    "Widget ships C#",
    "C# and F# ship ##",
    "Widget ships #",
    "# Widget ships",
    "#1 in the charts",
    "> Widget ships",
    "- Widget ships",
    "-1 degrees",
    "1. Widget ships",
    "2026. A year",
    "Widget | Gadget",
    "| a | b |",
    "+ Widget",
    "= Widget",
    "* Widget *",
    "Widget {: #id }",
    "Widget [[acme]]",
    "a < b > c & d",
    "Widget `code` *em* _u_ \\ [x](https://e.com)",
    "~~~ Widget",
    "``` Widget",
]


@pytest.fixture(scope="module")
def known_site(tmp_path_factory) -> Path:
    """One site with an event and an entity named by each known title."""
    tmp = tmp_path_factory.mktemp("known")
    files = {"entities/acme.yaml": "name: Acme\nkind: company\n"}
    for i, title in enumerate(KNOWN_TITLES):
        files[f"entities/product-{i}.yaml"] = f"name: {yaml_string(title)}\nkind: product\nparent: acme\n"
        files[f"2026/case-{i}.yaml"] = (
            f"title: {yaml_string(title)}\ndate: 2026-05-{i + 1:02d}\nkind: launch\n"
            f"entities:\n  - product-{i}\nsummary: Fine.\nsources:\n  - publisher: Acme\n"
            f"    title: Acme news\n    date: 2026-05\n    type: primary\n"
        )
    project = fixture_project(tmp, files)
    status, output = run_check(project)
    assert status == 0, output
    result = build_in_process(project, tmp / "site")
    assert result.ok, result.log
    return tmp / "site"


@pytest.mark.parametrize("i", range(len(KNOWN_TITLES)), ids=[t.replace(" ", "_") for t in KNOWN_TITLES])
def test_markdown_special_titles_render_exactly_as_written(known_site, i):
    title = KNOWN_TITLES[i]
    index = search_index(known_site)
    search_titles = {html.unescape(doc["title"]) for doc in index["docs"]}
    for kind, stem in (("events", "case"), ("entities", "product")):
        page = PageParser((known_site / kind / f"{stem}-{i}" / "index.html").read_text("utf-8"))
        assert page.h1 == title
        assert page.h1_count == 1
        assert page.head_title == f"{title} - AI Promises Timeline"
        assert title in search_titles
        assert "<" not in page.description_tag[1:]
        if kind == "entities":
            assert page.description == f"{title} on the AI timeline."


# A fence inside a summary: the known case the property found ---------------------------------

FENCED_SUMMARY = "Before\n~~~ {#x data-md-component=dialog}\n*x* & y\n~~~\nafter"


def test_fence_lines_in_a_summary_stay_text(tmp_path, reference):
    """The contributor's Markdown has no fences, so "~~~" lines reach the sanitized summary HTML as
    text; the site's own Markdown (pymdownx.superfences) must not read that HTML a second time and
    turn it into a highlighted code block with an id and data-* attributes from the contributor."""
    status, output, result = build(tmp_path, {**PLACEHOLDERS, "event_summary": FENCED_SUMMARY})
    assert status == 0 and result.ok, output + result.log
    source = (tmp_path / "site" / "events" / "jane-speaks" / "index.html").read_text("utf-8")
    page, ref = PageParser(source), reference.pages["events/jane-speaks/index.html"]
    assert page.classes <= ref.classes, page.classes - ref.classes
    summary = source[source.index('<div class="tl-summary">') : source.index("</div>", source.index('<div class="tl-summary">'))]
    assert 'id="x"' not in summary and 'data-md-component="dialog"' not in summary and "highlight" not in summary
    assert "<em>" not in page.text and "&amp;" not in page.text  # sanitized markup is not shown as text
    assert "~~~" in page.text and "x & y" in page.text


# Diagnostics: hostile text reaches the terminal only as escapes ------------------------------

VALID_EVENT = (
    "title: Fine\ndate: 2026-05-02\nkind: launch\nentities:\n  - acme\nsummary: Fine.\n"
    "sources:\n  - publisher: Acme\n    title: Acme news\n    date: 2026-05\n    type: primary\n"
)


def placed(text: str, where: str) -> bytes:
    """An event file holding `text` as a quoted key, or raw (unescaped, even invalid UTF-8) elsewhere."""
    if where == "key":
        return (VALID_EVENT + f"{yaml_string(text)}: x\n").encode("ascii")
    raw = {
        "value": VALID_EVENT.replace("title: Fine", "title: " + text),
        "list item": VALID_EVENT.replace("  - acme", "  - acme\n  - " + text),
        "comment": "# " + text + "\n" + VALID_EVENT,
    }[where]
    return raw.encode("utf-8", "surrogatepass")


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    text=st.one_of(wild_text, markup_text, st.sampled_from(HOSTILE)),
    where=st.sampled_from(["key", "value", "list item", "comment"]),
)
@example(text="title\x1b[2J\u202e", where="key")
@example(text="x\udc80y", where="value")
def test_diagnostics_show_hostile_text_only_as_escapes(text, where):
    with tempfile.TemporaryDirectory(prefix="tl-diag-") as name:
        root = Path(name)
        (root / "events" / "entities").mkdir(parents=True)
        (root / "events" / "2026").mkdir()
        (root / "events" / "entities" / "acme.yaml").write_text("name: Acme\nkind: company\n", encoding="utf-8")
        (root / "events" / "2026" / "hostile.yaml").write_bytes(placed(text, where))
        status, output = run_check(root)  # never raises
    note(output)
    lines = output.splitlines()
    assert lines and SUMMARY_LINE.match(lines[-1]), output
    for line in lines[:-1]:
        assert DIAGNOSTIC.match(line), ascii(line)
        assert not [ch for ch in line if raw_in_terminal(ch)], ascii(line)
    if where == "key" or any(forbidden_character(ch) for ch in text):
        assert status != 0, output  # an unknown field, or a character no file may hold


@pytest.mark.parametrize("where, text", [("key", "a\tb"), ("value", '"a <b\\tonclick=x> c"')])
def test_diagnostics_hold_no_raw_tab(tmp_path, where, text):
    """A tab is a C0 control like the others: a diagnostic quoting one shows an escape, not a raw tab
    that shifts the columns of whatever reads the line."""
    (tmp_path / "events" / "entities").mkdir(parents=True)
    (tmp_path / "events" / "2026").mkdir()
    (tmp_path / "events" / "entities" / "acme.yaml").write_text("name: Acme\nkind: company\n", encoding="utf-8")
    (tmp_path / "events" / "2026" / "hostile.yaml").write_bytes(placed(text, where))
    status, output = run_check(tmp_path)
    assert status != 0, output
    assert "\t" not in output, ascii(output)
