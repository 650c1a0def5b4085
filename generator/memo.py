"""Parts of a page rendered once per distinct input: ``{{ memo(macro, args...) }}``.

Consecutive versions share most of their items (a purpose, its legal bases, the
names of the data it uses), so a template can hand the markup of one item to a
macro and have it rendered once per distinct set of arguments. It is exact,
not a guess: the macro lives in a template imported without context, so all
it can read are its arguments and the environment's globals (the language,
the catalog), and the arguments are compared by value, all the way down.
"""

from __future__ import annotations

from datetime import date

from markupsafe import Markup

from .validate import LocalText


def freeze(value):
    """A hashable value that equals another exactly when the two values are the same."""
    kind = type(value)
    if kind is str or value is None:
        return value
    if kind is LocalText:
        return (LocalText, value.markdown, tuple(value.values.items()))
    # texts, the most common items, are taken as they are without a call
    if isinstance(value, dict):
        return (dict, tuple([(key, item if type(item) is str else freeze(item))
                             for key, item in value.items()]))
    if isinstance(value, list | tuple):
        return (list, tuple([item if type(item) is str else freeze(item) for item in value]))
    if kind in (bool, int, float) or isinstance(value, date):
        return (kind, value)  # True == 1, but they do not read alike
    raise TypeError(f"memo cannot compare a {kind.__name__}")


class Memo:
    """The ``memo`` global of one environment (one language): macro output by arguments.

    ``frozen`` (shared by the languages of one build) keeps the frozen form of the
    records last given, by identity: a version's page and its fragment hand the same
    purposes to the macro. It holds each record it names, so an id is not reused
    while kept, and holds few: it is emptied when full."""

    FROZEN_KEPT = 1_000

    def __init__(self, frozen: dict | None = None) -> None:
        self._made: dict[tuple, Markup] = {}
        self._frozen: dict[int, tuple] = {} if frozen is None else frozen
        self.rendered = 0

    def _freeze(self, value):
        if not isinstance(value, dict):
            return freeze(value)
        kept = self._frozen.get(id(value))
        if kept is not None and kept[0] is value:
            return kept[1]
        if len(self._frozen) >= self.FROZEN_KEPT:
            self._frozen.clear()
        frozen = freeze(value)
        self._frozen[id(value)] = (value, frozen)
        return frozen

    def __call__(self, macro, *args) -> Markup:
        # A template imported without context is loaded once, and so is each of its
        # macros: the macro object itself says which macro of which template it is.
        key = (macro, tuple([self._freeze(arg) for arg in args]))
        found = self._made.get(key)
        if found is None:
            self.rendered += 1
            found = self._made[key] = macro(*args)
        return found
