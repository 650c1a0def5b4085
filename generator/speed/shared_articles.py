"""A version's statement rendered once for every page that shows it.

The same article appears on the version's page, on the document's own page while
it is current, and in the fragment a host page embeds. The renderings differ in two
things only: the heading level they start at (``hl``; 1 on pages, 2 by default in
fragments) and the page that links are relative to (``page.url``). So the article is
rendered once with placeholders for both: ``hl`` is a :class:`Level` that prints a
mark and adds like a number, ``page`` a :class:`NeutralPage` whose ``url()`` prints a
mark; each page then gets the text with its own level and links put in. The version's
PDF (``export/pdf.py``), made after every page, is filled in from the same rendering, so
each shared rendering is kept for the build.

That is exact, not a guess: a template may print the level, add a number to it and
hand it on (to a macro, through ``memo()``), and print a link; anything else it asks
of either (compare the level, format it as a number, read the page's path) raises
:class:`NotShareable`, and the pages of that document are rendered one by one, as
before, for the rest of the build. Validation keeps the marks' control characters out
of every content text, so a mark in the rendered text is one of these.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import escape

_LEVEL, _LINK = "\x02{}\x03", "\x02@{}\x03"  # hl + offset; the n-th link
_MARK = re.compile("-?[0-9]+|@[0-9]+")


class NotShareable(BaseException):
    """A template used ``hl`` or ``page`` in a way the placeholders cannot stand for.

    A BaseException, so that no filter's ``except Exception`` swallows it and renders
    on with a made-up value."""


def _refuse(*_args, **_kwargs):
    raise NotShareable


class Level:
    """``hl + offset``, the heading level of the page the article will be shown on."""

    __slots__ = ("offset",)

    def __init__(self, offset: int = 0) -> None:
        self.offset = offset

    @property
    def __class__(self):  # noqa: PLE0307 -- ``hl is number``, ``isinstance(hl, int)``
        return int  # answer as the int this stands for would

    def __add__(self, other):
        if type(other) is not int:
            raise NotShareable
        return Level(self.offset + other)

    __radd__ = __add__

    def __sub__(self, other):
        if type(other) is not int:
            raise NotShareable
        return Level(self.offset - other)

    def __html__(self) -> str:
        return _LEVEL.format(self.offset)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotShareable  # .real, .bit_length() ...

    # every other use of a number: comparing, formatting, converting, other arithmetic
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __bool__ = _refuse
    __str__ = __repr__ = __format__ = __int__ = __index__ = __float__ = __round__ = _refuse
    __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse
    __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = __pow__ = __rpow__ = _refuse
    __neg__ = __pos__ = __abs__ = __invert__ = __len__ = __iter__ = __contains__ = _refuse
    __getitem__ = __call__ = _refuse


class _Link:
    """The link ``page.url(path)`` will be, the ``number``-th one asked for."""

    __slots__ = ("number",)

    def __init__(self, number: int) -> None:
        self.number = number

    def __html__(self) -> str:
        return _LINK.format(self.number)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotShareable  # a string method: .replace(), .startswith() ...

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __bool__ = _refuse
    __str__ = __repr__ = __format__ = __len__ = __iter__ = __contains__ = _refuse
    __getitem__ = __add__ = __radd__ = __mul__ = __rmul__ = __mod__ = __rmod__ = _refuse
    __call__ = _refuse


class NeutralPage:
    """``page`` for the shared rendering: its language, and links as placeholders."""

    __slots__ = ("lang", "links")

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.links: list[str] = []

    def url(self, to_path: str) -> _Link:
        self.links.append(to_path)
        return _Link(len(self.links) - 1)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise NotShareable  # its path, its alternates: they differ between the pages

    __eq__ = __ne__ = __hash__ = __bool__ = __str__ = __repr__ = __format__ = _refuse
    __len__ = __iter__ = __contains__ = __getitem__ = __call__ = _refuse


class SharedArticles:
    """Each article rendered with placeholders, by key; one per Renderer (per build)."""

    def __init__(self) -> None:
        self._made: dict[tuple, _Marked] = {}
        self.refused: set[str] = set()  # templates that need a rendering per page
        self.rendered = 0

    def get(self, key: tuple, template: str, render: Callable, page, heading_level: int):
        """The article of ``key`` for ``page``, starting at ``heading_level``: filled in
        from the shared rendering, or None when the page needs its own. ``render(hl,
        page)`` renders the template."""
        if template in self.refused:
            return None
        marked = self._made.get(key)
        if marked is None:
            neutral = NeutralPage(page.lang)
            try:
                text = render(Level(), neutral)
            except NotShareable:
                self.refused.add(template)
                return None
            except Exception:  # a template error: the page's own rendering reports it
                return None
            self.rendered += 1
            marked = self._made[key] = _Marked(text, neutral.links)
        return marked.fill(heading_level, page)


class _Marked:
    """A shared article cut at its marks: filled in for a page by one join (replacing
    each mark with ``str.replace`` costs about as much as rendering the article)."""

    def __init__(self, text: str, links: list[str]) -> None:
        pieces = text.split("\x02")
        marked = [piece.partition("\x03") for piece in pieces[1:]]
        self.texts = [pieces[0], *[after for _, _, after in marked]]
        self.marks = [mark for mark, _, _ in marked]  # '2' (an offset), '@0' (a link)
        # each distinct mark read once, for every page filled in; not readable: a mark
        # character came from a template or catalog, and each page renders its own
        distinct = set(self.marks)
        self.readable = all(_MARK.fullmatch(mark) for mark in distinct)
        read = distinct if self.readable else set()
        self.offsets = {mark: int(mark) for mark in read if mark[0] != "@"}
        self.links = {mark: links[int(mark[1:])] for mark in read if mark[0] == "@"}

    def fill(self, heading_level: int, page) -> str | None:
        if not self.readable:
            return None
        if not self.marks:
            return self.texts[0]
        values = {mark: str(heading_level + offset) for mark, offset in self.offsets.items()}
        for mark, link in self.links.items():
            url = values[mark] = page.url(link)
            if escape(url) != url:
                return None  # printed escaped or as it is: only the template knows
        joined = [""] * (2 * len(self.texts) - 1)
        joined[0::2] = self.texts
        joined[1::2] = [values[mark] for mark in self.marks]
        return "".join(joined)
