"""Rules for contributor text that do not depend on where the text sits."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 80

# Bidi controls can reorder what a reviewer sees (Trojan Source); zero-width characters hide
# differences between IDs that look identical.
_INVISIBLE = {
    "\u061c": "ARABIC LETTER MARK",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE",
    **{chr(c): unicodedata.name(chr(c)) for c in range(0x202A, 0x202F)},
    **{chr(c): unicodedata.name(chr(c)) for c in range(0x2066, 0x206A)},
}

# A tag, a closing tag, a comment, a processing instruction or a declaration. As in HTML and
# Markdown, a tag starts right after '<' (or '</'): "a < b > c" is text, as the hint promises.
_RAW_HTML = re.compile(r"</?[A-Za-z][^>]*>|<!--|<\?|<!\[?[A-Za-z]")

SAFE_URL_SCHEMES = ("http", "https")


def forbidden_character(ch: str) -> str | None:
    """Why `ch` may not appear in a contributor file, or None when it may."""
    if ch in "\t\n\r":
        return None
    if ch in _INVISIBLE:
        return f"invisible character U+{ord(ch):04X} {_INVISIBLE[ch]}"
    category = unicodedata.category(ch)
    if category == "Cc":
        return f"control character U+{ord(ch):04X}"
    if category == "Cs":
        return f"lone surrogate U+{ord(ch):04X}"
    return None


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
    if any(ch.isspace() for ch in url):
        return "URL contains whitespace"
    return None
