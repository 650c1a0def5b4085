"""The blocks of a rendered article, in order: headings, paragraphs, list items, table
rows, each with its text; and, between them, where an element with an ``id`` (a section,
purpose, category, recipient or cookie) opens and closes, so that a comparison can align
two versions by those ids (``redline.py``).

An item is ``(kind, text)``: a block's tag and its text, or ``("+" + tag, id)`` where a
keyed element opens (``id`` empty when it has none) and ``("-" + tag, "")`` where it
closes. An element without an id that opens and closes within what one parse reads,
with only whole elements between, adds nothing to the tree (``redline.tree``), so it
is left out: most list items and table rows, a third of the items otherwise.
"""

from __future__ import annotations

import functools
import itertools
import re
from html import unescape
from html.parser import HTMLParser

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "address", "caption"}
# The elements the templates key by an id: sections and groups, purposes, recipients,
# data categories, cookies. Each of their tags is reported, with or without an id, so
# that the comparison can tell which end closes which.
KEYED = {"section", "div", "li", "tr"}
# The tags that do anything in a reading: blocks, keyed elements, and those that part
# words (``_start``).
_READ = frozenset(BLOCKS | KEYED | {"br", "td", "th"})
_ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""", re.I)


class _Blocks(HTMLParser):
    """The blocks of any HTML, by the standard library's parser: for markup the quick
    scan below does not read alike (comments, raw-text elements)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str] | None] = []
        self._stack: list[tuple[str, list[str]]] = []
        self._keyed = _Keyed()

    def handle_starttag(self, tag, attrs):
        if tag in KEYED:
            self._keyed.open(self.blocks, tag, dict(attrs).get("id") or "")
        _start(self._stack, self.blocks, tag)

    def handle_endtag(self, tag):
        _end(self._stack, self.blocks, tag)
        if tag in KEYED:
            self._keyed.close(self.blocks, tag)

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][1].append(data)


class _Keyed:
    """The keyed elements open in what is being read. One without an id that closes as
    the innermost open one (with only whole elements inside) is dropped: its opening
    item is set to None, its end not added. After an end that closes no innermost
    element every item is kept, as the tree reads such markup on its own."""

    keep_all = False

    def __init__(self) -> None:
        self.stack: list[tuple[str, int]] = []  # tag, index of the opening item (-1: id)

    def open(self, blocks: list, tag: str, key: str) -> None:
        self.stack.append((tag, -1 if key else len(blocks)))
        blocks.append(("+" + tag, key))

    def close(self, blocks: list, tag: str) -> None:
        stack = self.stack
        if not self.keep_all and stack and stack[-1][0] == tag:
            at = stack.pop()[1]
            if at >= 0:
                blocks[at] = None
                return
        else:
            self.keep_all = True
        blocks.append(("-" + tag, ""))


def _start(stack: list, blocks: list, tag: str) -> None:
    if tag in BLOCKS:
        if stack:  # a block inside a block: the text before it is read first
            _flush(stack[-1], blocks)
        stack.append((tag, []))
    elif tag in ("br", "td", "th") and stack:
        stack[-1][1].append(" ")


def _end(stack: list, blocks: list, tag: str) -> None:
    if tag in BLOCKS and stack and stack[-1][0] == tag:
        _flush(stack.pop(), blocks)


def _flush(block: tuple[str, list[str]], blocks: list) -> None:
    """The text ``block`` holds so far as a block of its own (none when it is blank)."""
    kind, parts = block
    if parts:
        # runs of white space as one space, none at the ends: re.sub(r"\s+", " ", ...)
        # .strip(), but faster (both split at what str.isspace() calls space)
        text = " ".join("".join(parts).split())
        parts.clear()
        if text:
            blocks.append((kind, text))


# A tag as the templates and the sanitiser write them, with the text before it: a name,
# then attributes, each with a quoted value or none. Text has its references decoded.
_TEXT_AND_TAG = re.compile(r"""([^<]*)<(/?)([a-zA-Z][a-zA-Z0-9]*)"""
                           r"""((?:\s+[^\s"'<>/=]+(?:="[^"]*"|='[^']*')?)*)\s*/?>""")


def _scan(html: str) -> tuple[list[tuple[str, str]], list] | None:
    """The blocks of ``html`` as ``_Blocks`` finds them, read with one regular expression
    (faster than ``html.parser``); None when a '<' is not the start of such a tag (the
    standard parser then reads it). Only for markup without comments or raw-text elements."""
    blocks: list[tuple[str, str] | None] = []
    stack: list[tuple[str, list[str]]] = []
    keyed = _Keyed()
    found = _TEXT_AND_TAG.findall(html)
    if len(found) != html.count("<"):
        return None
    for text, closing, name, attributes in found:
        if text and stack:
            stack[-1][1].append(unescape(text) if "&" in text else text)
        tag = name.lower()
        if tag not in _READ:  # most tags: <a>, <strong>, <span>, <ul> ...
            continue
        if closing:
            _end(stack, blocks, tag)
            if tag in KEYED:
                keyed.close(blocks, tag)
        else:
            if tag in KEYED:
                key = _ID.search(attributes) if attributes else None
                keyed.open(blocks, tag, _text(key[1] if key[1] is not None else key[2])
                           if key else "")
            _start(stack, blocks, tag)
    return blocks, stack  # text after the last tag closes no block: it is in none


def _text(data: str) -> str:
    return unescape(data) if "&" in data else data


# Articles are parsed in pieces that start at a section or heading: consecutive
# versions share most pieces, so each distinct piece is parsed once. A piece
# that ends inside a block (or markup that could hide a boundary) makes the
# whole article be parsed in one go instead.
_PIECE = re.compile(r"\n(?=<(?:section|h[1-6])\b)")
_WHOLE_ONLY = re.compile(r"<!--|<script|<style|<textarea|<title|<xmp|<plaintext", re.I)


def _parse(html: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The blocks of ``html``, and whether it ended outside any block."""
    scanned = None if _WHOLE_ONLY.search(html) else _scan(html)
    if scanned is None:
        parser = _Blocks()
        parser.feed(html)
        parser.close()
        scanned = parser.blocks, parser._stack
    found, stack = scanned
    return tuple(filter(None, found)), not stack  # the items left out are None


@functools.lru_cache(maxsize=2048)
def _piece(html: str) -> tuple[tuple[str, str], ...] | None:
    """The blocks of one piece; None when it ends inside a block, or starts a comment or
    raw-text element (which may hide a boundary: the article is then parsed whole). The
    piece, not the article, is searched for those: none of them holds the newline the
    pieces are split at, so one in the article is in one piece, and a piece is searched
    once however many versions share it (the article's search took 60 us a comparison)."""
    if _WHOLE_ONLY.search(html):
        return None
    found, closed = _parse(html)
    return found if closed else None


def piecewise(html: str) -> tuple[tuple[str, str], ...] | None:
    """The items of ``html`` parsed piece by piece; None when it must be parsed whole."""
    pieces = [_piece(piece) for piece in _PIECE.split(html)]
    return tuple(itertools.chain.from_iterable(pieces)) if None not in pieces else None


def blocks(html: str) -> tuple[tuple[str, str], ...]:
    """The items of ``html``: piece by piece where it can be read so, else whole."""
    found = piecewise(html)
    return found if found is not None else _parse(html)[0]
