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

from generator.content.located import LocalText
from generator.speed.shared_articles import Level


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
    if kind is Level:  # a heading level to be put in (shared_articles.py)
        return (Level, value.offset)
    if kind in (bool, int, float) or isinstance(value, date):
        return (kind, value)  # True == 1, but they do not read alike
    raise TypeError(f"memo cannot compare a {kind.__name__}")


class Memo:
    """The ``memo`` global of one environment (one language): macro output by arguments.

    ``known`` (shared by the languages of one build) numbers each distinct record
    handed to a macro, and remembers the number of each record object: a record is
    frozen once per build however often it is passed (a version's page and fragment,
    in two languages). It keeps the objects it numbered, so an id is not reused while
    it is kept; a Renderer, and so its memo, lasts one build."""

    def __init__(self, known: dict | None = None) -> None:
        self._made: dict[tuple, Markup] = {}
        known = {} if known is None else known
        self._ids: dict[int, tuple] = known.setdefault("ids", {})
        self._numbers: dict[tuple, int] = known.setdefault("numbers", {})
        self.rendered = 0

    def _freeze(self, value):
        if not isinstance(value, dict):
            return freeze(value)
        kept = self._ids.get(id(value))
        if kept is not None and kept[0] is value:
            return kept[1]
        number = self._numbers.setdefault(freeze(value), len(self._numbers))  # an int:
        self._ids[id(value)] = (value, number)  # no other argument freezes to one
        return number

    def __call__(self, macro, *args) -> Markup:
        # A template imported without context is loaded once, and so is each of its
        # macros: the macro object itself says which macro of which template it is.
        key = (macro, tuple([self._freeze(arg) for arg in args]))
        found = self._made.get(key)
        if found is None:
            self.rendered += 1
            found = self._made[key] = macro(*args)
        return found
