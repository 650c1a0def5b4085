"""A readable comparison of two rendered statements: insertions and deletions.

The articles are read as a tree (``article_blocks.py``): the elements the templates key
by an id (sections, purposes, data categories, recipients, cookies) hold the blocks of
text (headings, paragraphs, list items, table rows) inside them. Two versions are
aligned by those ids first, so a section inserted, removed or moved shows as exactly
that and the rest compares as unchanged; a heading's number is not read as a change.
Within an element, and for blocks without an id, blocks are matched with difflib's
algorithm, and changed blocks are compared word by word. Inserted words are wrapped in
``<ins>``, deleted ones in ``<del>``, which screen readers announce and which read
without colour (underline and strike-through). Each changed place carries an id
(``change-1``, ...), so a reader can go from one to the next.

The matching is cydifflib's ``SequenceMatcher``: the standard library's difflib
compiled with Cython, the same matches (``tests/test_redline.py`` compares them),
faster (figures in docs/performance.md).
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from cydifflib import SequenceMatcher
from markupsafe import Markup, escape

from generator.content.vocabulary import N_
from generator.render.article_blocks import blocks, piecewise
from generator.render.redline_words import labelled, word_diff

# A heading's number ("10. ", "4.2 "): renumbering is not a change of the text.
_NUMBER = re.compile(r"\d+(?:\.\d+)*\.?\s+")


class Unit(NamedTuple):
    """An element with an id and what is inside it, in order: blocks and units."""

    key: str
    items: tuple


class Words(NamedTuple):
    """The comparison's own words, in the page's language (``translated``)."""

    moved: str = N_("Moved here from elsewhere in the text.")
    new: str = N_("New:")
    removed: str = N_("Removed:")

    def translated(self, gettext) -> Words:
        return Words(*(str(gettext(word)) for word in self))


ENGLISH = Words()


# Where an article's top-level parts begin: at a section. Consecutive versions share
# most sections, so each distinct part is read once (``_part``).
_PART = re.compile(r"\n(?=<section\b)")


@functools.lru_cache(maxsize=4)  # each article is compared twice: as new, then as old
def tree(html: str) -> tuple:
    """The items of ``html`` at its top level: blocks ``(kind, text)`` and ``Unit``s.
    An element without an id adds no level; an end that closes no open element is
    ignored, one left open is closed at the end. Read part by part (``_part``)."""
    parts = [_part(part) for part in _PART.split(html)]
    if None in parts:  # it cannot be read piece by piece: read whole
        return _tree(blocks(html))
    builder = _Builder()
    for items in parts:
        builder.feed(items)
    return builder.finish()


@functools.lru_cache(maxsize=256)
def _part(html: str) -> tuple | None:
    """The items of a part of an article with each element that opens and closes in it
    already made a ``Unit`` (the same objects for every version that has the part): what
    reading its items one by one would make of them. Ends and starts of elements that
    reach beyond the part stay items; from an end that does not close the innermost open
    element on, every item stays one (such an end may close elements outside the part).
    None when the part cannot be read piece by piece."""
    items = piecewise(html)
    if items is None:
        return None
    out: list = []
    open_: list[tuple[str, str, int]] = []  # tag, id, where its start is in ``out``
    for n, item in enumerate(items):
        kind = item[0]
        sign = kind[0]
        if sign == "+":
            open_.append((kind[1:], item[1], len(out)))
            out.append(item)
        elif sign == "-" and open_:
            tag, key, at = open_.pop()
            if tag != kind[1:]:
                out.append(item)
                out.extend(items[n + 1:])
                break
            inside = out[at + 1:]
            del out[at:]
            if key:
                out.append(Unit(key, tuple(inside)))
            else:
                out.extend(inside)
        else:
            out.append(item)
    return tuple(out)


def _tree(items) -> tuple:
    builder = _Builder()
    builder.feed(items)
    return builder.finish()


class _Builder:
    """Items read into a tree: open elements on a stack, each with the list of what is
    inside it (an element without an id shares the list of the one it is in)."""

    __slots__ = ("stack", "top")

    def __init__(self) -> None:
        self.top: list = []  # the items of the innermost open element with an id
        self.stack: list[tuple[str, str, list]] = [("", "", self.top)]  # tag, id, items

    def feed(self, items) -> None:
        """Read ``items``: blocks and units kept as they are (shared with other
        versions)."""
        stack, top = self.stack, self.top
        for item in items:
            if type(item) is Unit:
                top.append(item)
                continue
            kind = item[0]
            sign = kind[0]
            if sign == "+":
                if item[1]:
                    top = []
                stack.append((kind[1:], item[1], top))
            elif sign == "-":
                tag = kind[1:]
                if stack[-1][0] == tag and len(stack) > 1:  # nearly always: the innermost
                    top = _close(stack)
                    continue
                at = next((i for i in range(len(stack) - 1, 0, -1) if stack[i][0] == tag), 0)
                while at and len(stack) > at:
                    top = _close(stack)
            else:
                top.append(item)
        self.top = top

    def finish(self) -> tuple:
        """The top level, with what is still open closed."""
        while len(self.stack) > 1:
            _close(self.stack)
        return tuple(self.stack[0][2])


def _close(stack: list) -> list:
    """Close the innermost open element; the items of the one it is in."""
    _, key, items = stack.pop()
    outer = stack[-1][2]
    if key:
        outer.append(Unit(key, tuple(items)))
    return outer


def _tokens(items: tuple) -> list[str]:
    """What each item is matched by: a unit by its id, a block by its text (a heading
    without its number)."""
    return [("\0" + item.key) if type(item) is Unit else
            _NUMBER.sub("", item[1], count=1) if item[0][1:2].isdigit() else item[1]
            for item in items]


# What a block is written as: headings below the comparison page's own h2, list items
# in their list (``_LIST``), the rest as paragraphs.
_TAG = {"h1": "h3", "h2": "h3", "h3": "h4", "h4": "h4", "h5": "h4", "h6": "h4", "li": "li",
        "li-ol": "li"}
_LIST = {"li": "ul", "li-ol": "ol"}
_OPEN = {"ul": '<ul class="pd-redline-list">', "ol": '<ol class="pd-redline-list">'}


def _wrap(kind: str, body: str, change: str = "") -> str:
    """A block of the comparison, ``body`` its markup."""
    tag = _TAG.get(kind, "p")
    return f"<{tag} class=\"pd-redline-{kind}\"{change}>{body}</{tag}>"


@functools.lru_cache(maxsize=8192)
def _unchanged(kind: str, markup: str) -> str:
    """An unchanged block, as in the article (its inline markup as ``article_blocks``
    rebuilt it): most of every comparison, and the same from one to the next."""
    return _wrap(kind, markup)


class _Lists:
    """Blocks written one a line, each run of list items in its list. A run that starts
    the text is not opened, one that ends it not closed: ``first`` and ``open`` say which
    list they are in, for whoever puts the text among others (``_same_unit``)."""

    __slots__ = ("out", "first", "open", "started")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.first = self.open = None
        self.started = False

    def add(self, markup: str, first: str | None, last: str | None) -> None:
        if not markup:  # a unit without a block shows nothing
            return
        if not self.started:
            self.first, self.started = first, True
        elif first != self.open:
            if self.open:
                self.out.append(f"</{self.open}>")
            if first:
                self.out.append(_OPEN[first])
        self.out.append(markup)
        self.open = last

    def same(self, item) -> None:
        """An unchanged item."""
        if type(item) is Unit:
            self.add(*_same_unit(item))
        else:
            kind = item[0]
            container = _LIST.get(kind)
            self.add(_unchanged(kind, item[-1]), container, container)

    def text(self) -> str:
        """All of it, its first list opened and its last closed."""
        head = [_OPEN[self.first]] if self.first else []
        tail = [f"</{self.open}>"] if self.open else []
        return "\n".join(head + self.out + tail)


@functools.lru_cache(maxsize=256)
def _same_unit(unit: Unit) -> tuple[str, str | None, str | None]:
    """An unchanged unit, whole, and the lists it starts and ends in (``_Lists``): most
    sections of a comparison are, the same ones as in the comparison before."""
    lists = _Lists()
    for item in unit.items:
        lists.same(item)
    return "\n".join(lists.out), lists.first, lists.open


class _Redline:
    """One comparison being written: the output, the counts and the changes' ids."""

    def __init__(self, words: Words) -> None:
        self.words = words
        self.out = _Lists()
        self.inserted = self.deleted = self.changes = 0

    def _mark(self) -> str:
        self.changes += 1
        return f' id="change-{self.changes}"'

    def items(self, old: tuple, new: tuple) -> None:
        """``old`` and ``new`` aligned: units by id, blocks by text."""
        if old == new:
            self.same(new)
            return
        matcher = SequenceMatcher(None, _tokens(old), _tokens(new), autojunk=False)
        kept = {i.key for i in new if isinstance(i, Unit)}
        was = {i.key: i for i in old if isinstance(i, Unit)}
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for before, after in zip(old[i1:i2], new[j1:j2], strict=True):
                    if before == after:  # most of them
                        self.out.same(after)
                    elif isinstance(after, Unit):
                        self.items(before.items, after.items)
                    else:
                        self.block(before, after)
                continue
            gone = [i for i in old[i1:i2] if not isinstance(i, Unit)]
            for unit in old[i1:i2]:
                if isinstance(unit, Unit) and unit.key not in kept:
                    self.whole(unit, "del", self.words.removed)
            for item in new[j1:j2]:
                if not isinstance(item, Unit):
                    self.block(gone.pop(0), item) if gone else self.whole(item, "ins")
                elif item.key in was:  # moved: marked, and compared with where it was
                    self.out.add(f'<p{self._mark()} class="pd-redline-moved">'
                                 f"{escape(self.words.moved)}</p>", None, None)
                    self.items(was[item.key].items, item.items)
                else:
                    self.whole(item, "ins", self.words.new)
            for item in gone:
                self.whole(item, "del")

    def same(self, items: tuple) -> None:
        for item in items:
            self.out.same(item)

    def block(self, before: tuple, after: tuple) -> None:
        """Two blocks matched: unchanged, or compared word by word (a heading by its
        text without its number; a label both start with kept)."""
        old, kind, new = before[1], after[0], after[1]
        matched = _tokens((before, after)) if old != new else None
        if matched is None or matched[0] == matched[1]:
            self.out.same(after)
            return
        lead, cut = "", 0
        if kind[1:2].isdigit():
            found = _NUMBER.match(new)
            lead = str(escape(found.group() if found else ""))
            old, new = matched
        else:
            lead, old, new, cut = labelled(before[-1], after[-1], old, new)
        body = word_diff(old, new, cut)
        container = _LIST.get(kind)
        self.out.add(_wrap(kind, f"{lead}{body}", self._mark()), container, container)
        self.inserted += 1
        self.deleted += 1

    def whole(self, item, mark: str, label: str = "") -> None:
        """A block or a unit inserted or deleted whole; a unit is introduced by
        ``label`` on its first block."""
        if isinstance(item, Unit):
            for n, inner in enumerate(_flat(item)):
                self._one(inner, mark, label if n == 0 else "")
        else:
            self._one(item, mark, "")

    def _one(self, block: tuple, mark: str, label: str) -> None:
        kind = block[0]
        lead = f'<span class="pd-redline-label">{escape(label)}</span> ' if label else ""
        container = _LIST.get(kind)
        self.out.add(_wrap(kind, f"{lead}<{mark}>{block[-1]}</{mark}>", self._mark()),
                     container, container)
        if mark == "ins":
            self.inserted += 1
        else:
            self.deleted += 1


def _flat(unit: Unit):
    for item in unit.items:
        if isinstance(item, Unit):
            yield from _flat(item)
        else:
            yield item


def compare(old_html: str, new_html: str, words: Words = ENGLISH) -> tuple[Markup, int, int]:
    """The redline of two articles, and how many blocks were inserted and deleted."""
    redline = _Redline(words)
    redline.items(tree(old_html), tree(new_html))
    return Markup(redline.out.text()), redline.inserted, redline.deleted


def forget() -> None:
    """Drop the trees and texts a build's comparisons kept: a ``serve`` session builds
    again at every save, and would otherwise keep the parts of each save's text."""
    tree.cache_clear()
    _part.cache_clear()
    _same_unit.cache_clear()


class Comparisons:
    """Comparisons made when collected, in the order submitted (``render_site`` hands
    a batch of versions' articles at a time)."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, str, Words]] = []

    def submit(self, old: str, new: str, words: Words = ENGLISH) -> None:
        """Compare article ``old`` with ``new`` (for the next :meth:`collect`)."""
        self._pending.append((old, new, words))

    def collect(self) -> list[tuple[Markup, int, int]]:
        """The comparisons submitted since the last collect, in their order."""
        pending, self._pending = self._pending, []
        return [compare(old, new, words) for old, new, words in pending]
