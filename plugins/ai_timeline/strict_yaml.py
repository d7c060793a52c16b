"""Strict YAML: one document of plain mappings, sequences and strings, with positions.

PyYAML's own loaders guess types (`no` becomes False, `1:20` becomes 80, `2024-01-05` a date),
keep the last of two duplicate keys and expand aliases. We read the parser's event stream
ourselves instead and refuse everything that is not plain data, so that the schema decides
every type and every error can name its line and column.

The events come from libyaml's C parser when PyYAML has it (several times faster), and from
PyYAML's pure-Python parser otherwise. Only a file that reads cleanly is taken from the C
parser: any syntax error or refusal reads the file again with the Python parser, so that every
message and position is the Python parser's, whichever is installed (tests/test_parser_agreement.py).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import yaml
from yaml import events as ev

from .diagnostics import Diagnostic, Report, field_name
from .text_rules import character_problems

MAX_FILE_BYTES = 64 * 1024
MAX_CHARACTER_ERRORS = 10
MAX_DEPTH = 20  # real files nest 3 deep (sources[0].date); this keeps _compose far from Python's recursion limit
# Plain (unquoted) scalars are typed as YAML 1.2's core schema types them, which is how editors
# and JSON Schema validators read the file: `title: 2026` is a number there, and so here, so the
# schema gives the same answer everywhere. Everything else stays text (`no`, `1:20`, `2026-04`).
_CORE_NULL = re.compile(r"^(?:~|null|Null|NULL|)\Z")
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_CORE_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_CORE_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)
_CORE_STARTS = frozenset("~nNtTfF0123456789+-.")  # every text the four patterns above match starts with one of these

# The C parser, when PyYAML was built with libyaml; None means the Python parser reads everything.
C_PARSER: Any
try:
    from yaml.cyaml import CParser as C_PARSER  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without libyaml
    C_PARSER = None

# Text of only printable ASCII, tabs and line breaks holds nothing the character rules refuse
# (character_problems skips exactly these): most values are, and skip its loop over characters.
_PLAIN_ASCII = re.compile(r"[\x20-\x7e\t\n\r]*")
_INDENT_TAB = re.compile(r"(?m)^ *\t")

Path = tuple[str | int, ...]  # a path of mapping keys and sequence indexes into the document
_E = TypeVar("_E", bound=ev.Event)


class Mark(Protocol):
    """A 0-based source position: PyYAML's Python and C parsers each have their own Mark class."""

    line: int
    column: int


def _position(mark: Mark | None) -> tuple[int, int]:
    """The 1-based (line, column) of `mark`; (0, 0), the whole file, if PyYAML gave none."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)


@dataclass
class Document:
    """A loaded file: plain data plus the 1-based (line, column) of every value and key."""

    data: Any
    text: str = ""
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # Problems that do not stop reading the rest of the file: ((line, column), message, hint).
    problems: list[tuple[tuple[int, int], str, str]] = field(default_factory=list)

    def refuse(self, mark: Mark | None, message: str, hint: str) -> None:
        self.problems.append((_position(mark), message, hint))

    def mark(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            marks = self.key_marks if key else self.value_marks
            if path in marks:
                return marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]

    def locate(self, path: Path, needle: str) -> tuple[int, int]:
        """Where `needle` first appears in the source from the value at `path` on.

        Multi-line text (`|` or `>` blocks) then gets the line of the problem, not of the field.
        """
        line, column = self.mark(path)
        lines = self.text.split("\n")
        for number in range(line - 1, len(lines)):
            start = column - 1 if number == line - 1 else 0
            found = lines[number].find(needle, start)
            if found >= 0:
                return number + 1, found + 1
        return line, column


class CachedDocument(Document):
    """A document from the check cache: its data and text, with positions read again from the
    text only when something asks for one (a cross-file diagnostic, rarely)."""

    def __init__(self, data: Any, text: str) -> None:
        self.data, self.text, self.problems = data, text, []

    def __getattr__(self, name: str) -> Any:  # only for attributes not set yet
        if name not in ("value_marks", "key_marks"):
            raise AttributeError(name)
        again, _ = load(self.text.encode("utf-8"), "")  # it loaded before, so it loads again
        self.value_marks = again.value_marks if again else {}
        self.key_marks = again.key_marks if again else {}
        return getattr(self, name)


class _Refused(Exception):
    def __init__(self, mark: Mark | None, message: str, hint: str) -> None:
        super().__init__(message)
        self.position = _position(mark)
        self.message = message
        self.hint = hint


def load(raw: bytes, path: str, *, fast: bool = True) -> tuple[Document | None, list[Diagnostic]]:
    """Parse `raw` (the bytes of the file at `path`) strictly; never raises.

    `fast=False` reads with the Python parser even when the C parser is there (for tests)."""
    report = Report()

    def fail(line: int, column: int, message: str, hint: str = "") -> tuple[None, list[Diagnostic]]:
        report.add(path, line, column, message, hint)
        return None, report.items

    if len(raw) > MAX_FILE_BYTES:
        return fail(
            0,
            0,
            f"file is {len(raw)} bytes; the limit is {MAX_FILE_BYTES}",
            "split it, or shorten the summary: an event file should be small",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        # Count characters, not bytes, as every other diagnostic does; all before exc.start is valid.
        column = len(raw[line_start : exc.start].decode("utf-8")) + 1
        return fail(line, column, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", "save the file as UTF-8")
    text = text.removeprefix("\ufeff")

    plain = _PLAIN_ASCII.fullmatch(text) is not None
    _check_characters(text, path, report, plain)
    if report.items:
        return None, report.items
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return fail(0, 0, "file is empty", "copy a template from events/_templates/ and fill it in")

    clean = plain and "\\" not in text
    document = _fast_read(text, clean) if fast else None
    if document is not None:
        return document, []
    document = Document(None, text)
    try:
        _read(yaml.parse(text, Loader=yaml.BaseLoader), document, clean)
    except _Refused as exc:
        return fail(*exc.position, exc.message, exc.hint)
    except yaml.MarkedYAMLError as exc:
        if (opened := _unclosed(exc, text)) is not None:
            return fail(*opened)
        line, column = _position(exc.problem_mark or exc.context_mark)
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        return fail(
            line,
            column,
            f"YAML syntax error: {problem}",
            "check indentation and quoting; a value containing ': ' or starting with a special character needs quotes",
        )
    except yaml.YAMLError as exc:  # reader errors carry no mark object of the usual kind
        return fail(0, 0, f"YAML error: {exc}", "save the file as plain UTF-8 text")

    for (line, column), message, hint in document.problems:
        report.add(path, line, column, message, hint)
    if report.items:
        return None, report.items
    if not isinstance(document.data, dict):
        found = "a list" if isinstance(document.data, list) else "a single value"
        return fail(
            1,
            1,
            f"the file must be a mapping of fields, but it is {found}",
            "start with 'title: ...' on the first line, as in the template",
        )
    return document, []


def _read(stream: Iterator[ev.Event], document: Document, clean: bool = False) -> None:
    """One document from `stream` into `document`; raises what the parser or `_compose` raise."""
    _expect(stream, ev.StreamStartEvent)
    start = _expect(stream, ev.DocumentStartEvent)  # the file is not empty, so a document starts
    if start.version or start.tags:
        document.refuse(
            start.start_mark, "YAML directives ('%YAML', '%TAG') are not allowed", "delete the line starting with '%'"
        )
    document.data = _compose(stream, next(stream), (), document, clean)
    _expect(stream, ev.DocumentEndEvent)
    extra = next(stream)
    if not isinstance(extra, ev.StreamEndEvent):
        document.refuse(
            extra.start_mark,
            "a second YAML document starts here",
            "one file holds one event: remove the '---' and what follows, or move it to its own file",
        )


class _Unsure(Exception):
    """The C parser's events may not match the Python parser's here: read the file with that."""


def _c_events(text: str) -> Iterator[ev.Event]:
    parser = C_PARSER(text)
    scalar = ev.ScalarEvent
    try:
        while parser.check_event():
            event: ev.Event = parser.get_event()
            if type(event) is scalar and not event.value and not event.style:
                raise _Unsure("libyaml places an empty value elsewhere than PyYAML does")
            yield event
    finally:
        parser.dispose()


def _fast_read(text: str, clean: bool = False) -> Document | None:
    """The file read by the C parser, if it has one and the file is a clean mapping; else None,
    and the caller reads it again with the Python parser for its exact messages."""
    if C_PARSER is None or "\t" in text:  # libyaml accepts tabs where PyYAML refuses some (a plain scalar's end)
        return None
    document = Document(None, text)
    try:
        _read(_c_events(text), document, clean)
    except Exception:  # a syntax error, a refusal, or a parser surprise: the slow path says which
        return None
    return document if not document.problems and isinstance(document.data, dict) else None


_OPENERS = {
    "while scanning a quoted scalar": ("quote", "close the quote on the same value, or remove it"),
    "while parsing a flow sequence": ("'['", "close the list with ']', or write one '- item' per line"),
    "while parsing a flow mapping": ("'{'", "close it with '}', or write indented 'field: value' lines"),
}


def _unclosed(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str, str] | None:
    """An unclosed quote or bracket is reported where it opens, not where YAML gave up."""
    if exc.context not in _OPENERS or exc.context_mark is None:
        return None
    opened, ended = exc.context_mark, exc.problem_mark
    what, hint = _OPENERS[exc.context]
    if what == "quote":
        what = f"quote {text[opened.index]}" if opened.index < len(text) else what
    where = f"line {ended.line + 1}" if ended is not None else "the end of the file"
    return (
        opened.line + 1,
        opened.column + 1,
        f"YAML syntax error: the {what} opened here is not closed (YAML gave up at {where}: {exc.problem})",
        hint,
    )


def _check_characters(text: str, path: str, report: Report, plain: bool | None = None) -> None:
    """Tabs in indentation, and every character the text rules refuse, with its line and column.

    `plain`: whether the text is all printable ASCII, tabs and line breaks, if known."""
    found = [
        (m.end() - 1, "tab character in indentation", "YAML indents with spaces only: replace the tab with spaces")
        for m in (_INDENT_TAB.finditer(text) if "\t" in text else ())
    ]
    if not (_PLAIN_ASCII.fullmatch(text) is not None if plain is None else plain):
        found += [
            (index, f"{why} is not allowed", "delete it; retype the text around it if you pasted it")
            for index, why in character_problems(text)
        ]
    if not found:
        return
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for count, (index, message, hint) in enumerate(sorted(found)):
        line = bisect.bisect_right(line_starts, index)
        if count == MAX_CHARACTER_ERRORS:
            report.add(path, line, 1, "too many bad characters; stopped checking this file", "fix the ones above first")
            return
        report.add(path, line, index - line_starts[line - 1] + 1, message, hint)


def _check_scalar(event: ev.ScalarEvent, path: Path, doc: Document, what: str) -> None:
    """The character rules on the decoded value: YAML escapes ("\\u202e", "\\0") get no pass."""
    if _PLAIN_ASCII.fullmatch(event.value):
        return
    problems = character_problems(event.value)
    if problems:
        shown = ", ".join(why for _, why in problems[:3])
        doc.refuse(
            event.start_mark,
            f"{what} '{field_name(path)}' holds {shown}, written as an escape",
            "delete the escape sequence; text needs no invisible or control characters",
        )


def _core_value(text: str) -> Any:
    if text and text[0] not in _CORE_STARTS:  # most text: no null, boolean or number starts so
        return text
    if _CORE_NULL.match(text):
        return None
    if text in _CORE_BOOL:
        return _CORE_BOOL[text]
    if _CORE_INT.match(text):
        if len(text) > 100:  # a number all the same, but int() refuses 4,300+ digits and nothing needs it
            return float("-inf") if text.startswith("-") else float("inf")
        return int(text, 0) if text[:2] in ("0x", "0o") else int(text)
    if _CORE_FLOAT.match(text):
        return float(text.lower().replace(".inf", "inf").replace(".nan", "nan"))
    return text


def _expect(stream: Iterator[ev.Event], kind: type[_E]) -> _E:
    event = next(stream)
    if not isinstance(event, kind):  # unreachable for a well-formed stream; kept as a guard
        raise _Refused(event.start_mark, f"unexpected YAML {type(event).__name__}", "")
    return event


def _refuse_decorations(event: ev.Event, doc: Document) -> None:
    if isinstance(event, ev.AliasEvent):
        doc.refuse(event.start_mark, f"YAML alias '*{event.anchor}' is not allowed", "write the value out in full")
        return
    if isinstance(event, ev.NodeEvent) and event.anchor:
        doc.refuse(
            event.start_mark,
            f"YAML anchor '&{event.anchor}' is not allowed",
            "remove the '&' anchor and write values out in full",
        )
    tag = event.tag if isinstance(event, ev.ScalarEvent | ev.CollectionStartEvent) else None
    if tag and not (isinstance(event, ev.ScalarEvent) and tag == "!" and event.style):  # style: None or '' is plain
        if tag.startswith("tag:yaml.org,2002:"):  # show '!!binary' as written, not its expansion
            tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")
        doc.refuse(
            event.start_mark, f"YAML tag '{tag}' is not allowed", "remove the tag; write plain values and quote text if needed"
        )


_SCALAR, _ALIAS = ev.ScalarEvent, ev.AliasEvent
_SEQUENCE_START, _SEQUENCE_END = ev.SequenceStartEvent, ev.SequenceEndEvent
_MAPPING_START, _MAPPING_END = ev.MappingStartEvent, ev.MappingEndEvent


def _compose(stream: Iterator[ev.Event], event: ev.Event, path: Path, doc: Document, clean: bool = False) -> Any:
    """The value that starts with `event`, its position and its children's recorded in `doc`.

    `clean`: the whole text is printable ASCII without a backslash, so no value or key can hold
    a character the rules refuse (only escapes make characters the text lacks): skip that check.
    Both parsers give events of exactly these classes; the checks by type follow from that."""
    if len(path) > MAX_DEPTH:
        raise _Refused(
            event.start_mark,
            f"values are nested more than {MAX_DEPTH} levels deep",
            "compare with the template in events/_templates/: fields nest a few levels at most",
        )
    kind = type(event)
    if kind is _SCALAR or kind is _MAPPING_START or kind is _SEQUENCE_START:
        if event.anchor or event.tag:  # type: ignore[attr-defined]
            _refuse_decorations(event, doc)
    else:
        _refuse_decorations(event, doc)
    mark = event.start_mark
    doc.value_marks[path] = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
    if kind is _SCALAR:
        if not clean:
            _check_scalar(event, path, doc, "the value of")  # type: ignore[arg-type]
        value = event.value  # type: ignore[attr-defined]
        return value if event.style else _core_value(value)  # type: ignore[attr-defined]  # plain: '' or None
    if kind is _ALIAS:
        return None
    if kind is _SEQUENCE_START:
        items: list[Any] = []
        while type(item := next(stream)) is not _SEQUENCE_END:
            items.append(_compose(stream, item, (*path, len(items)), doc, clean))
        return items
    if kind is _MAPPING_START:
        return _compose_mapping(stream, path, doc, clean)
    raise _Refused(event.start_mark, f"unexpected YAML {kind.__name__}", "")  # pragma: no cover


def _compose_mapping(stream: Iterator[ev.Event], path: Path, doc: Document, clean: bool) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    key_marks = doc.key_marks
    while type(key_event := next(stream)) is not _MAPPING_END:
        if type(key_event) is not _SCALAR:
            _refuse_decorations(key_event, doc)
            raise _Refused(key_event.start_mark, "a mapping key must be a plain name", "write 'name: value'")
        if key_event.anchor or key_event.tag:
            _refuse_decorations(key_event, doc)
        key = key_event.value
        at = (*path, key)
        if not clean:
            _check_scalar(key_event, at, doc, "the key")
        mark = key_event.start_mark
        key_mark = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        value = _compose(stream, next(stream), at, doc, clean)
        if key == "<<" and not key_event.style:
            doc.refuse(key_event.start_mark, "YAML merge key '<<' is not allowed", "write the fields out in full")
        elif key in mapping:
            first = key_marks[at][0]
            doc.refuse(
                key_event.start_mark,
                f"duplicate key '{key}' (first defined on line {first})",
                "keep one of the two; YAML would otherwise silently drop the first",
            )
        else:
            key_marks[at] = key_mark
            mapping[key] = value
    return mapping
