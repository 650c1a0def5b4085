"""A readable comparison of two rendered statements: insertions and deletions.

The rendered articles are reduced to their blocks of text (headings,
paragraphs, list items, table rows); blocks are matched with difflib's
algorithm, and changed blocks are compared word by word. Inserted words are wrapped in
``<ins>``, deleted ones in ``<del>``, which screen readers announce and which
read without colour (underline and strike-through).

The matching is cydifflib's ``SequenceMatcher``: the standard library's difflib
compiled with Cython, the same matches (``tests/test_redline.py`` compares them),
faster (figures in docs/performance.md).
"""

from __future__ import annotations

import functools
import re
from html import unescape
from html.parser import HTMLParser

from cydifflib import SequenceMatcher
from markupsafe import Markup, escape

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "address", "caption"}


class _Blocks(HTMLParser):
    """The blocks of any HTML, by the standard library's parser: for markup the quick
    scan below does not read alike (comments, raw-text elements)."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._stack: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        _start(self._stack, tag)

    def handle_endtag(self, tag):
        _end(self._stack, self.blocks, tag)

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][1].append(data)


def _start(stack: list, tag: str) -> None:
    if tag in BLOCKS:
        stack.append((tag, []))
    elif tag in ("br", "td", "th") and stack:
        stack[-1][1].append(" ")


def _end(stack: list, blocks: list, tag: str) -> None:
    if tag in BLOCKS and stack and stack[-1][0] == tag:
        kind, parts = stack.pop()
        # runs of white space as one space, none at the ends: re.sub(r"\s+", " ", ...)
        # .strip(), but faster (both split at what str.isspace() calls space)
        text = " ".join("".join(parts).split())
        if text:
            blocks.append((kind, text))


# A tag as the templates and the sanitiser write them, with the text before it: a name,
# then attributes, each with a quoted value or none. Text has its references decoded.
_TEXT_AND_TAG = re.compile(r"""([^<]*)<(/?)([a-zA-Z][a-zA-Z0-9]*)"""
                           r"""(?:\s+[^\s"'<>/=]+(?:="[^"]*"|='[^']*')?)*\s*/?>""")


def _scan(html: str) -> tuple[list[tuple[str, str]], list] | None:
    """The blocks of ``html`` as ``_Blocks`` finds them, read with one regular expression
    (faster than ``html.parser``); None when a '<' is not the start of such a tag (the
    standard parser then reads it). Only for markup without comments or raw-text elements."""
    blocks: list[tuple[str, str]] = []
    stack: list[tuple[str, list[str]]] = []
    found = _TEXT_AND_TAG.findall(html)
    if len(found) != html.count("<"):
        return None
    for text, closing, name in found:
        if stack and text:
            stack[-1][1].append(_text(text))
        if closing:
            _end(stack, blocks, name.lower())
        else:
            _start(stack, name.lower())
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
    return tuple(found), not stack


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


@functools.lru_cache(maxsize=4)  # each article is compared twice: as new, then as old
def blocks(html: str) -> tuple[tuple[str, str], ...]:
    pieces = [_piece(piece) for piece in _PIECE.split(html)]
    if all(piece is not None for piece in pieces):
        return tuple(block for piece in pieces for block in piece)
    return _parse(html)[0]


def _wrap(kind: str, body: str) -> str:
    """A block of the comparison; headings sit below the comparison page's own h2."""
    tag = {"h1": "h3", "h2": "h3"}.get(kind, "h4" if kind.startswith("h") else "p")
    return f"<{tag} class=\"pd-redline-{kind}\">{body}</{tag}>"


@functools.lru_cache(maxsize=8192)
def _unchanged(kind: str, text: str) -> str:
    """An unchanged block: most of every comparison, and the same from one to the next."""
    return _wrap(kind, str(escape(text)))


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def _word_diff(old: str, new: str) -> str | None:
    """The two texts compared word by word; None when they share less than half their
    characters (then the block reads better replaced whole)."""
    a, b = _words(old), _words(new)
    # words are matched without the space after them: a text's last word has none
    bare = [w.rstrip() for w in a]
    matcher = SequenceMatcher(None, bare, [w.rstrip() for w in b], autojunk=False)
    shared = sum(len(word) for i, _, n in matcher.get_matching_blocks()
                 for word in a[i:i + n])  # with their spaces, as a text counts them
    if 2 * shared < 0.5 * (len(old) + len(new)):
        return None
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(f"{escape(''.join(a[i1:i2]).rstrip())} ")
            continue
        if op in ("delete", "replace"):
            out.append(f"<del>{escape(''.join(a[i1:i2]).rstrip())}</del> ")
        if op in ("insert", "replace"):
            out.append(f"<ins>{escape(''.join(b[j1:j2]).rstrip())}</ins> ")
    return "".join(out).rstrip()


def compare(old_html: str, new_html: str) -> tuple[Markup, int, int]:
    """The redline of two articles, and how many blocks were inserted and deleted."""
    old, new = blocks(old_html), blocks(new_html)
    matcher = SequenceMatcher(None, [t for _, t in old], [t for _, t in new],
                                      autojunk=False)
    out: list[str] = []
    inserted = deleted = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(_unchanged(kind, text) for kind, text in new[j1:j2])
        else:
            pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
            for (_, before), (kind, after) in zip(old[i1:i1 + pairs], new[j1:j1 + pairs],
                                                  strict=True):
                words = _word_diff(before, after)
                out.append(_wrap(kind, words if words is not None else
                                 f"<del>{escape(before)}</del> <ins>{escape(after)}</ins>"))
                inserted += 1
                deleted += 1
            for kind, text in old[i1 + pairs:i2]:
                out.append(_wrap(kind, f"<del>{escape(text)}</del>"))
                deleted += 1
            for kind, text in new[j1 + pairs:j2]:
                out.append(_wrap(kind, f"<ins>{escape(text)}</ins>"))
                inserted += 1
    return Markup("\n".join(out)), inserted, deleted


class Comparisons:
    """Comparisons made when collected, in the order submitted (``render_site`` hands
    a batch of versions' articles at a time)."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, str]] = []

    def submit(self, old: str, new: str) -> None:
        """Compare article ``old`` with ``new`` (for the next :meth:`collect`)."""
        self._pending.append((old, new))

    def collect(self) -> list[tuple[Markup, int, int]]:
        """The comparisons submitted since the last collect, in their order."""
        pending, self._pending = self._pending, []
        return [compare(old, new) for old, new in pending]
