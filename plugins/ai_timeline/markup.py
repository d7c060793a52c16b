"""Contributor text to safe output.

Contributor Markdown is rendered by its own minimal Markdown instance (no extensions, so no
attribute lists or raw-HTML tricks) and then sanitized by nh3 against an allowlist. Plain text
headed for generated Markdown is escaped so MkDocs' own Markdown parser reads it literally.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable
from functools import cache, lru_cache
from html.parser import HTMLParser

import markdown
import nh3
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import YamlLexer

from .text_rules import MAX_MARKDOWN_NESTING, SLUG, character_problems, markdown_nesting

ALLOWED_TAGS = {"p", "em", "strong", "a", "code", "ul", "ol", "li", "blockquote", "br", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# Characters that mean something to Markdown or HTML anywhere in a line become numeric
# character references, which MkDocs' parser passes through as the literal character.
# '#' too: a heading's closing '#'s are stripped wherever they end it ("ships C#").
_MARKDOWN_SPECIAL = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()<>&\"'!|#~"})
# HTML we place in a page is raw HTML to the page's Markdown parser, but a fence extension
# (superfences) reads fences before raw HTML is set aside: no backtick or tilde may stay raw.
FENCE_SAFE = str.maketrans({"`": "&#96;", "~": "&#126;"})
# These only mean something at the start of a line (lists, rules, ordered lists).
_LINE_START = re.compile(r"^(?:[+\-=]|\d+\.)")
# A character reference (&#x202E;, &#8203;, &rlm;) becomes its character in the page.
# Numeric ones may lack the ';' and carry any number of leading zeros: browsers (and nh3) still decode them.
_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]{1,31};)")


@cache
def _parser() -> markdown.Markdown:
    return markdown.Markdown(extensions=[], output_format="html")


@lru_cache(maxsize=1024)  # a text's sanitized HTML and its plain text are asked for together
def _to_html(text: str) -> str:
    return _convert(_prepared(text))


def _prepared(text: str) -> str:
    """The text exactly as `_to_html` hands it to the Markdown parser."""
    return _REFERENCE.sub(_neutralise, text)


def _convert(prepared: str) -> str:
    parser = _parser()
    parser.reset()
    return parser.convert(prepared)


def _neutralise(match: re.Match[str]) -> str:
    """The checker refuses references to invisible or control characters; should one reach a
    page anyway, it shows as U+FFFD, never as the character."""
    return "\ufffd" if character_problems(_decoded(match.group(0))) else match.group(0)


def _decoded(reference: str) -> str:
    """What a browser makes of a reference. Python's html.unescape drops some numeric ones
    (&#x1b;) that browsers keep as the character, so numbers are decoded here."""
    if not reference.startswith("&#"):
        return html.unescape(reference)
    hexadecimal = reference[2] in "xX"
    digits = reference[3 if hexadecimal else 2 :].rstrip(";").lstrip("0") or "0"
    if len(digits) > 8:  # far past U+10FFFF (and never handed to int(), which refuses 4,300+ digits)
        return "\ufffd"
    number = int(digits, 16 if hexadecimal else 10)
    if number > 0x10FFFF or number == 0 or 0xD800 <= number <= 0xDFFF:
        return "\ufffd"
    if 0x80 <= number <= 0x9F:  # C1: windows-1252, as browsers do
        return html.unescape(f"&#{number};")
    return chr(number)


# `[[muse-spark-launch]]` or `[[meta|the company]]`: a mention of another event or entity by ID.
MENTION = re.compile(r"\[\[([^\]|\n]*)(?:\|([^\]\n]*))?\]\]")

Resolver = Callable[[str], "tuple[str, str] | None"]  # ID -> (relative URL, default label)


def mentions(text: str) -> list[tuple[str, str]]:
    """(ID, the whole mention) for every mention in `text`."""
    return [(m.group(1).strip(), m.group(0)) for m in MENTION.finditer(text)]


def _expand_mentions(text: str, resolve: Resolver | None, hrefs: list[str] | None = None) -> str:
    """Mentions as Markdown links. With `hrefs`, each link's URL is a placeholder and the real URL
    is appended to `hrefs`: the same text then expands the same way on every page, whatever its
    URLs are relative to, and is converted once (see `render`)."""

    def link(match: re.Match[str]) -> str:
        target = resolve(match.group(1).strip()) if resolve else None
        label = escape_markdown((match.group(2) or "").strip() or (target[1] if target else match.group(1).strip()))
        if not target:
            return label
        if hrefs is None:
            return f"[{label}]({target[0]})"
        hrefs.append(target[0])
        return f"[{label}]({_PLACEHOLDER}{len(hrefs) - 1})"

    return MENTION.sub(link, text)


# A relative URL no contributor can guess (it changes every run and never reaches the output).
_PLACEHOLDER = f"tl-{secrets.token_hex(8)}-"
_PLACED = re.compile(re.escape(_PLACEHOLDER) + r"(\d+)")


def render(text: str, resolve: Resolver | None = None) -> Markup:
    """Contributor Markdown as sanitized HTML; mentions become links where `resolve` knows them."""
    hrefs: list[str] = []
    converted = _sanitized(_expand_mentions(text, resolve, hrefs))
    if not hrefs:
        return Markup(converted)
    return Markup(_PLACED.sub(lambda match: html.escape(hrefs[int(match.group(1))]), converted))


def plain_text(text: str, resolve: Resolver | None = None) -> str:
    """Contributor Markdown reduced to plain, unescaped text on one line."""
    return _plain(_expand_mentions(text, resolve, []))  # URLs do not show in plain text


# The same text, with its mentions resolved the same way, is shown on many pages and feeds (an
# event's summary reaches the feeds of each of its entities): converted and sanitized once.
CACHE_SIZE = 1 << 15


@lru_cache(maxsize=CACHE_SIZE)
def _sanitized(expanded: str) -> str:
    clean = nh3.clean(
        _to_html(expanded),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener nofollow",
    )
    return clean.translate(FENCE_SAFE)


@lru_cache(maxsize=CACHE_SIZE)
def _plain(expanded: str) -> str:
    return " ".join(html.unescape(nh3.clean(_to_html(expanded), tags=set())).split())


def escape_markdown(text: str) -> str:
    """Plain text made literal for a Markdown parser, on one line."""
    line = " ".join(str(text).split()).translate(_MARKDOWN_SPECIAL)
    return _LINE_START.sub(lambda m: m.group(0)[:-1] + f"&#{ord(m.group(0)[-1])};", line)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append((tag, value))


def links_in(text: str) -> list[tuple[str, str]]:
    """(tag, address) of every link and image a Markdown text would produce."""
    return _links(_prepared(text))


def _links(prepared: str) -> list[tuple[str, str]]:
    collector = _LinkCollector()
    collector.feed(_convert(prepared))
    return collector.found


# Python-Markdown (no extensions) makes an <a> or <img> only from raw HTML, an autolink or an
# automail (each needs '<'), an image ('![' in the text), a reference link (needs a definition,
# '[id]: address', so ']:' in the text) or an inline link, '[text](address)': the ']' and '('
# adjacent in the text and the address its first characters after '(' and any whitespace,
# whatever follows them. Its parsing only ever adds characters between two others (escapes and
# code spans become placeholders, line breaks stay), except that it deletes STX and ETX.
_LINK_OPENING = "]("
_ALLOWED_OPENING = re.compile(r"\]\([ \t\n\r\f\v]*(?:https?|mailto):", re.IGNORECASE | re.ASCII)


def _links_all_allowed(prepared: str) -> bool:
    """True only if no link or image in the Markdown text could be refused by
    `markdown_problems`: then converting it would find nothing to report (tests/test_check_equivalence.py
    compares this with the conversion on generated texts)."""
    if "<" in prepared or "![" in prepared or "]:" in prepared or "\x02" in prepared or "\x03" in prepared:
        return False
    return prepared.count(_LINK_OPENING) == len(_ALLOWED_OPENING.findall(prepared))


def highlight_yaml(text: str, title: str) -> Markup:
    """A YAML file as a highlighted code block in the theme's markup. Pygments escapes every
    character of the text, so it stays text whatever it holds; one raw HTML block, no blank
    line outside <pre>, so the page's Markdown parser passes it through untouched."""
    formatter = HtmlFormatter(cssclass="language-yaml highlight", filename=title, wrapcode=True)
    return Markup(highlight(text, YamlLexer(), formatter).strip())


# A Markdown link's destination, up to the first space or closing parenthesis.
_DESTINATION = re.compile(r"\]\(\s*([^\s)]*)")


def _CHECK_RESOLVER(record_id: str) -> tuple[str, str]:
    return ("https://mention.invalid/", record_id)


def markdown_problems(text: str, field: str) -> list[tuple[str, str, str]]:
    """(message, hint, where in the text) for contributor Markdown that would not render as
    written or would bring in what the character rules refuse. The parser never sees text
    nested past the limit."""
    depth, line = markdown_nesting(text)
    if depth > MAX_MARKDOWN_NESTING:
        return [
            (
                f"Markdown in '{field}' nests {depth} levels deep; the limit is {MAX_MARKDOWN_NESTING}",
                "flatten the lists and quotes",
                line.strip()[:40],
            )
        ]
    found = []
    for reference in dict.fromkeys(_REFERENCE.findall(text)):
        if problems := character_problems(_decoded(reference)):
            found.append(
                (
                    f"'{reference}' in '{field}' writes {problems[0][1]}",
                    "delete it: text needs no invisible or control characters",
                    reference,
                )
            )
    for mention_id, whole in mentions(text):
        if not SLUG.match(mention_id):
            found.append(
                (
                    f"mention '{whole}' does not name an ID",
                    "write [[id]] or [[id|text]] with an event's or entity's file name",
                    whole,
                )
            )
    for destination in _DESTINATION.findall(text):
        if any(quote in destination for quote in "\"'"):
            found.append(
                (
                    f"link address '{destination[:60]}' holds a quote, which Markdown reads as the start of a title",
                    "percent-encode quotes in addresses: %22 for \" and %27 for '",
                    destination,
                )
            )
    # Links as rendered: a mention's expansion can end a code span early and so bring a link
    # to life, so the check reads the text with mentions expanded (to a harmless address).
    prepared = _prepared(_expand_mentions(text, _CHECK_RESOLVER))
    for tag, address in [] if _links_all_allowed(prepared) else _links(prepared):
        if tag == "img":
            found.append(("images are not allowed in text", "link to the image instead", "!["))
        elif address.split(":", 1)[0].lower() not in ("http", "https", "mailto") or ":" not in address:
            found.append(
                (f"link '{address[:60]}' is not an http(s) or mailto address", "link to a full https:// address", address)
            )
    return found
