"""Compiler-style diagnostics: `file:line:col: error: what (hint: how to fix)`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from .text_rules import visible

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the project root, with forward slashes
    line: int  # 1-based; a problem with a whole file or folder is reported at line 1
    column: int  # 1-based
    severity: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        text = f"{text} (hint: {self.hint})" if self.hint else text
        # One diagnostic, one line, whatever the value held; nothing raw reaches a terminal.
        return " ".join(visible(text).splitlines())


@dataclass
class Report:
    """Collects diagnostics from every stage so one run reports them all."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, path: str, line: int, column: int, message: str, hint: str = "", severity: str = ERROR) -> None:
        self.items.append(Diagnostic(path, max(line, 1), max(column, 1), severity, message, hint))

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self.items.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A hint naming the closest candidate, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def field_name(path: tuple) -> str:
    """`sources[0].url` style names for positions in a document."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the file"
