"""Pieces of a file validated once: a value of a file's mapping, or an item of one
of its lists, that the loader took unchanged from the previous version of the
file (``yaml_pieces``: the same text at the same line, the same object) gives
the validated values, ids and references it gave then, as a whole file repeated
unchanged does (``validate._check_file``). Its ids are declared again in the
file being validated, so an id it shares with a new piece is still reported,
and its references are made from that file. Validated values name the earlier
file, at the same lines; findings name the version checked (``check_rules.Out``).
"""

from __future__ import annotations

from generator.content.located import YMap

# What the pieces of the file of each name validated last gave (``Pieces.keep``)
_LAST: dict[str, dict] = {}


class Pieces:
    """The pieces of one file being validated (``validate.check_alone``)."""

    def __init__(self, name: str, before: dict):
        self.name, self.before, self.now = name, before, {}

    @classmethod
    def of(cls, name: str) -> Pieces:
        return cls(name, _LAST.get(name, {}))

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
        _LAST[self.name] = self.now
