"""Rules for contributor text that do not depend on where the text sits.

The character rules apply to every decoded string (values and keys, so YAML escapes such as
"\\u202e" cannot slip past them) and to the raw file (so comments cannot hide Trojan Source
tricks from a reviewer). One function decides both.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SLUG_MAX = 80
RESERVED_IDS = frozenset({"index"})  # index.md is each folder's hub page

ZWNJ, ZWJ = "\u200c", "\u200d"
# Invisible letters and fillers that render as nothing yet make two strings differ.
_INVISIBLE_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Scripts whose letters join, where ZWNJ/ZWJ choose the joined or separate form (Persian needs it).
_JOINING_SCRIPTS = ("ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "MANDAIC", "ADLAM", "HANIFI ROHINGYA", "PHAGS-PA")
_EMOJI_MODIFIERS = range(0x1F3FB, 0x1F400)
_TAG_CHARACTERS = range(0xE0020, 0xE0080)  # flag sequences such as Scotland's: U+1F3F4 + tags + U+E007F

# A tag, a closing tag, a comment, a processing instruction or a declaration. As in HTML and
# Markdown, a tag starts right after '<' (or '</'): "a < b > c" is text, as the hint promises.
_RAW_HTML = re.compile(r"</?[A-Za-z][^>]*>|<!--|<\?|<!\[?[A-Za-z]")

SAFE_URL_SCHEMES = ("http", "https")
_WHITESPACE = re.compile(r"\s")  # for str patterns, what str.isspace() calls whitespace

# Python-Markdown parses nested lists and quotes recursively: a few hundred levels ("- - - - x")
# exhaust the stack. Real text nests two or three levels; refuse long before the parser would fail.
MAX_MARKDOWN_NESTING = 12
_CONTAINER_MARKER = re.compile(r"(?:>|[-*+](?=\s|\Z)|[0-9]{1,9}[.)](?=\s|\Z))[ \t]*")


def _name(ch: str) -> str:
    return unicodedata.name(ch, "")


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character before (step -1) or after (step 1) `index` that is not a combining mark."""
    index += step
    while 0 <= index < len(text) and unicodedata.category(text[index]) in ("Mn", "Me"):
        if step < 0 and unicodedata.combining(text[index]) == 9:
            return text[index]  # a virama: Indic conjuncts are chosen with ZWJ/ZWNJ right after it
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _joiner_needed(text: str, index: int) -> bool:
    """ZWJ/ZWNJ are allowed where a script or an emoji sequence needs them, and nowhere else."""
    before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
    if not before or not after:
        return False
    if unicodedata.combining(before) == 9:  # after a virama (Devanagari, Bengali, Malayalam…)
        return True
    if before.isalpha() and after.isalpha() and _name(before).startswith(_JOINING_SCRIPTS):
        return True
    if text[index] == ZWJ:  # emoji sequences: 👩‍💻, 🏳️‍🌈, 🧑🏽‍🚀
        emoji_before = unicodedata.category(before) == "So" or before == "\ufe0f" or ord(before) in _EMOJI_MODIFIERS
        return emoji_before and unicodedata.category(after) == "So"
    return False


def character_problem(text: str, index: int) -> str | None:
    """Why the character at `index` may not appear in contributor text, or None when it may."""
    ch = text[index]
    if ch in "\t\n\r":
        return None
    code = ord(ch)
    category = unicodedata.category(ch)
    if category == "Cc":
        return f"control character U+{code:04X}"
    if category == "Cs":
        return f"lone surrogate U+{code:04X}"
    if ch in (ZWJ, ZWNJ):
        return (
            None
            if _joiner_needed(text, index)
            else f"invisible character U+{code:04X} {_name(ch)} (allowed only inside a word of a script or an emoji sequence that needs it)"
        )
    if code in _TAG_CHARACTERS and _in_flag_sequence(text, index):
        return None
    if category in ("Cf", "Zl", "Zp") or ch in _INVISIBLE_LETTERS:
        kind = (
            "bidirectional control"
            if unicodedata.bidirectional(ch) in ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI")
            else "invisible character"
        )
        return f"{kind} U+{code:04X} {_name(ch) or 'UNNAMED'}"
    if category == "Cn" and (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE):
        return f"noncharacter U+{code:04X}"
    return None


def _in_flag_sequence(text: str, index: int) -> bool:
    start = index
    while start > 0 and ord(text[start - 1]) in _TAG_CHARACTERS:
        start -= 1
    return start > 0 and text[start - 1] == "\U0001f3f4"


def character_problems(text: str) -> list[tuple[int, str]]:
    """(index, why) for every character of `text` that contributor text may not hold."""
    found = []
    for index, ch in enumerate(text):
        if ch.isascii() and ch.isprintable():  # the fast path: most text is plain ASCII
            continue
        if (why := character_problem(text, index)) is not None:
            found.append((index, why))
    return found


def visible(text: str) -> str:
    """`text` with every character the rules refuse, and tabs and carriage returns, written as
    an escape (\\x1b, \\t, \\u202e), so a diagnostic can quote hostile input without moving a
    terminal's cursor or reordering a line. Newlines stay: the caller joins lines."""
    escaped = {index for index, _ in character_problems(text)} | {i for i, ch in enumerate(text) if ch in "\t\r"}
    if not escaped:
        return text
    return "".join(_escape(ch) if index in escaped else ch for index, ch in enumerate(text))


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in "\t\r":
        return "\\t" if ch == "\t" else "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def markdown_nesting(text: str) -> tuple[int, str]:
    """(depth, line) of the most deeply nested line: container markers plus indentation levels."""
    deepest, where = 0, ""
    for line in text.splitlines():
        stripped = line.lstrip(" \t")
        indent = len(line.expandtabs(4)) - len(stripped.expandtabs(4))
        depth, position = indent // 2, 0
        while match := _CONTAINER_MARKER.match(stripped, position):
            if match.end() == position:
                break
            depth, position = depth + 1, match.end()
        if depth > deepest:
            deepest, where = depth, line
    return deepest, where


def raw_html(text: str) -> str | None:
    """The first piece of raw HTML in `text`, if any."""
    match = _RAW_HTML.search(text)
    return match.group(0) if match else None


def url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable source or profile link, or None."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"not a valid URL ({exc})"
    if parts.scheme.lower() not in SAFE_URL_SCHEMES:
        return f"URL scheme '{parts.scheme or '(none)'}' is not allowed; only http and https are"
    if not parts.netloc:
        return "URL has no host"
    if _WHITESPACE.search(url):
        return "URL contains whitespace"
    return None
