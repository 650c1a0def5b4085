"""Pieces of a file validated once: a value of a file's mapping, or an item of one
of its lists, that the loader took unchanged from the previous version of the
file (``yaml_pieces``: the same text at the same line, the same object) gives
the validated values, ids and references it gave then, as a whole file repeated
unchanged does (``validate._check_file``). Its ids are declared again in the
file being validated, so an id it shares with a new piece is still reported,
and its references are made from that file. Validated values name the earlier
file, at the same lines; findings name the version checked (``check/rules.py``, ``Findings``).

:class:`ValidatedPieces` holds what was validated last of each file name, as state
of one build or serve session (``session.Speedups``); ``validate.check_alone``
takes the :class:`Pieces` of one file from it.
"""

from __future__ import annotations

from generator.content.located import YMap


class ValidatedPieces:
    """``last``: for each file name, what the pieces of the file of that name validated
    last gave, by the piece's ``id`` (the piece kept alive with it)."""

    def __init__(self) -> None:
        self.last: dict[str, dict] = {}

    def of(self, name: str) -> Pieces:
        """The pieces of a file named ``name`` about to be validated."""
        return Pieces(name, self.last.get(name, {}), self)


class Pieces:
    """The pieces of one file being validated (``validate.check_alone``)."""

    def __init__(self, name: str, before: dict, kept: ValidatedPieces | None = None):
        self.name, self.before, self.now, self.kept = name, before, {}, kept

    def check(self, walk, node, value, loc):
        """``walk.check(node, value, loc)`` of a piece, or what it gave before."""
        if type(value) is not YMap:
            return walk.check(node, value, loc)
        known = self.before.get(id(value))
        if known is not None and known[0] is value and known[1] is node:
            walk.replay(*known[3])
            self.now[id(value)] = known
            return known[2]
        checked, found = walk.check_once(node, value, loc)
        if found is not None:
            self.now[id(value)] = (value, node, checked, found)
        return checked

    def keep(self) -> None:
        """The file is validated: its pieces are the ones the next file of its name
        may repeat."""
        if self.kept is not None:
            self.kept.last[self.name] = self.now
