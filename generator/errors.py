"""Errors for people: every problem has a place (file:line:column) and a fix.

Stages collect :class:`Problem` objects in a :class:`Problems` list and the
command line prints them all at once, then exits 1. Nothing here ever shows a
Python traceback to an editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# Control characters, line and paragraph separators, bidirectional controls and marks,
# and zero-width characters: a value quoted in a message must not start a new line or
# rewrite the terminal, and what a text may not hold must show where it is.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                          "\u2060-\u2064\u2066-\u206f\ufeff]")


def printable(text: str) -> str:
    """``text`` with unprintable characters written as escapes (``\\n``, ``\\x1b``)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True, slots=True)  # slots: one per YAML node, keep them small
class Location:
    path: str
    line: int = 0  # 1-based; 0 when unknown
    column: int = 0  # 1-based; 0 when unknown

    def __reduce__(self):  # unpickled by one call, cheaper than slots' setstate
        return (Location, (self.path, self.line, self.column))

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path


@dataclass(frozen=True)
class Problem:
    location: Location
    message: str

    def __str__(self) -> str:
        return printable(f"{self.location}: {self.message}")

    def source_line(self, root: Path | None = None) -> str | None:
        """The offending line of the file, for error pages."""
        if not self.location.line:
            return None
        path = Path(self.location.path)
        if root is not None and not path.is_absolute():
            path = root / path
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None
        if 0 < self.location.line <= len(lines):
            return lines[self.location.line - 1]
        return None


@dataclass
class Problems:
    items: list[Problem] = field(default_factory=list)

    def add(self, location: Location, message: str) -> None:
        self.items.append(Problem(location, message))

    def extend(self, other: Problems) -> None:
        self.items.extend(other.items)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.sorted())

    def sorted(self) -> list[Problem]:
        unique = dict.fromkeys(self.items)
        return sorted(unique, key=lambda p: (p.location, p.message))


class ContentError(Exception):
    """Raised to stop a build; carries every problem found."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems)} problem(s) in the content")
        self.problems = problems


class UsageError(Exception):
    """Wrong use of the command line (exit code 2)."""
