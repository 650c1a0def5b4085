"""Loaded values that know where they were written: mappings and lists that keep,
for themselves and each entry, a position (the parser's 0-based line and column,
packed into one int) or a :class:`Location`, and give Locations in the file they
were read from.

Positions name no file; the file is the container's ``path``. So one parse
of a file can serve every version holding the same bytes (``loader``), one
parse of a piece every later version of the file holding it at the same line
(``yaml_pieces``), and the validator, which knows which file it is reading,
locates what it reports there. Validated values of such a file or piece are
shared too and name the earlier version's file of the same name (the lines are
the same); the check rules name the version checked.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from generator.errors import Location


class _Located:
    """A read-only view of a mapping's positions (or Locations) by key, giving
    Locations in the file ``path``: positions are kept packed, so the many nodes of
    a long history cost no Location until one is read, and one set of positions
    serves every file holding the same bytes (see ``loader.load_content``)."""

    __slots__ = ("marks", "path")

    def __init__(self, marks: dict, path: str | None):
        self.marks, self.path = marks, path

    def __getitem__(self, key) -> Location:
        return located(self.path, self.marks[key])

    def get(self, key, default=None):
        found = self.marks.get(key)
        return default if found is None else located(self.path, found)

    def __contains__(self, key) -> bool:
        return key in self.marks

    def __iter__(self):
        return iter(self.marks)

    def __len__(self) -> int:
        return len(self.marks)


# A position is kept as one integer, the 0-based line and column packed: a long history
# holds very many of them, and an int is much smaller than the parser's mark.
COLUMN_BITS = 20
COLUMN_MASK = (1 << COLUMN_BITS) - 1


def at_mark(mark) -> int:
    """The position of a parser's mark, packed (see ``located``)."""
    column = mark.column  # not min(): called for every mark of a long history
    return mark.line << COLUMN_BITS | (column if column < COLUMN_MASK else COLUMN_MASK)


def located(path: str | None, where) -> Location:
    """A Location from a Location, or from a packed position (``at_mark``) in the file
    ``path``."""
    if type(where) is Location:
        return where
    return Location(path, (where >> COLUMN_BITS) + 1, (where & COLUMN_MASK) + 1)


def position(where):
    """A place in a file without the file: a position as it is, a Location's line and
    column packed (see ``at_mark``)."""
    if type(where) is Location:
        return max(where.line - 1, 0) << COLUMN_BITS | max(where.column - 1, 0)
    return where


class _Placed:
    """Where a loaded mapping or list starts: ``_loc``, a Location or a position in the
    file ``path``. (The slots are each subclass's own: a dict and a list cannot share
    a layout.)"""

    __slots__ = ()

    @property
    def loc(self) -> Location:
        return located(self.path, self._loc)

    @property
    def start(self):
        """Where it starts: a Location or a position (see ``located``)."""
        return self._loc


class YMap(_Placed, dict):
    """A mapping that knows where it, its keys and its values are.

    ``start`` and the values of ``key_marks`` and ``value_marks`` are Locations or
    positions in the file ``path``; ``loc``, ``key_locs`` and ``value_locs`` give them as
    Locations."""

    __slots__ = ("_loc", "path", "key_marks", "value_marks")  # tens of thousands of them

    def __init__(self, loc, path: str | None = None):
        super().__init__()
        self._loc = loc
        self.path = path
        self.key_marks: dict = {}
        self.value_marks: dict = {}

    @property
    def key_locs(self) -> _Located:
        return _Located(self.key_marks, self.path)

    @property
    def value_locs(self) -> _Located:
        return _Located(self.value_marks, self.path)

    def value_loc(self, key: str) -> Location:
        return located(self.path, self.where(key))

    def where(self, key: str):
        """Where the value of ``key`` starts (else the mapping): a Location or a position."""
        found = self.value_marks.get(key)
        return self._loc if found is None else found


class YList(_Placed, list):
    """A list that knows where it and each item are (Locations, or positions in the
    file ``path``)."""

    __slots__ = ("_loc", "path", "item_locs")

    def __init__(self, loc, path: str | None = None):
        super().__init__()
        self._loc = loc
        self.path = path
        self.item_locs: list = []

    def item_loc(self, index: int) -> Location:
        return located(self.path, self.where(index))

    def where(self, index: int):
        """Where item ``index`` starts (else the list): a Location or a position."""
        return self.item_locs[index] if index < len(self.item_locs) else self._loc


@dataclass(frozen=True, slots=True)
class LocalText:
    """A validated text in every language, and where it was written. ``markdown`` says
    how to render it."""
    values: dict
    loc: Location
    markdown: bool = True

    def __getitem__(self, lang: str):
        return self.values[lang]

    def __reduce__(self):  # as Location's (errors.py)
        return (LocalText, (self.values, self.loc, self.markdown))


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # line breaks as the parser counts them


def line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts, as the parser counts lines."""
    return [0, *(found.end() for found in _BREAK.finditer(text))]


def find_in_source(source: bytes, where, text: str, index: int, needle: str
                   ) -> tuple[int, int] | None:
    """The line and column (1-based) in ``source``, a file's bytes, of ``needle`` found at
    ``index`` of ``text``, a value read from a scalar starting at ``where`` (a position or
    Location); None where the file does not hold it as written there (an escape such as
    ``\\u202e`` wrote it). For a problem only: it reads the file."""
    lines = source.decode("utf-8", "replace")
    starts = line_starts(lines)
    where = position(where)
    line = where >> COLUMN_BITS
    if line >= len(starts):
        return None
    start = starts[line] + (where & COLUMN_MASK)
    at = lines.find(needle, start)
    if at < 0:
        return None
    # What comes before it, but for spaces and line breaks (which folding changes), must
    # be what the text holds before it, after at most a quote or a block indicator
    before, between = "".join(text[:index].split()), "".join(lines[start:at].split())
    if len(between) > len(before) + 4 or not between.endswith(before) or not re.fullmatch(
            r"[\"']?|[|>][-+0-9]*", between[:len(between) - len(before)]):
        return None
    line = bisect_right(starts, at) - 1
    return line + 1, at - starts[line] + 1
