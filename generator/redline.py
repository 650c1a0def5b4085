"""A readable comparison of two rendered statements: insertions and deletions.

The rendered articles are reduced to their blocks of text (headings,
paragraphs, list items, table rows); blocks are matched with difflib, and
changed blocks are compared word by word. Inserted words are wrapped in
``<ins>``, deleted ones in ``<del>``, which screen readers announce and which
read without colour (underline and strike-through).
"""

from __future__ import annotations

import difflib
import functools
import re
from html.parser import HTMLParser

from markupsafe import Markup, escape

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "address", "caption"}


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._stack: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self._stack.append((tag, []))
        elif tag in ("br", "td", "th") and self._stack:
            self._stack[-1][1].append(" ")

    def handle_endtag(self, tag):
        if tag in BLOCKS and self._stack and self._stack[-1][0] == tag:
            kind, parts = self._stack.pop()
            text = re.sub(r"\s+", " ", "".join(parts)).strip()
            if text:
                self.blocks.append((kind, text))

    def handle_data(self, data):
        if self._stack:
            self._stack[-1][1].append(data)


# Articles are parsed in pieces that start at a section or heading: consecutive
# versions share most pieces, so each distinct piece is parsed once. A piece
# that ends inside a block (or markup that could hide a boundary) makes the
# whole article be parsed in one go instead.
_PIECE = re.compile(r"\n(?=<(?:section|h[1-6])\b)")
_WHOLE_ONLY = re.compile(r"<!--|<script|<style|<textarea|<title|<xmp|<plaintext", re.I)


def _parse(html: str) -> tuple[tuple[tuple[str, str], ...], bool]:
    """The blocks of ``html``, and whether it ended outside any block."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return tuple(parser.blocks), not parser._stack


@functools.lru_cache(maxsize=2048)
def _piece(html: str) -> tuple[tuple[str, str], ...] | None:
    found, closed = _parse(html)
    return found if closed else None


@functools.lru_cache(maxsize=4)  # each article is compared twice: as new, then as old
def blocks(html: str) -> tuple[tuple[str, str], ...]:
    if not _WHOLE_ONLY.search(html):
        pieces = [_piece(piece) for piece in _PIECE.split(html)]
        if all(piece is not None for piece in pieces):
            return tuple(block for piece in pieces for block in piece)
    return _parse(html)[0]


def _wrap(kind: str, body: str) -> str:
    """A block of the comparison; headings sit below the comparison page's own h2."""
    tag = {"h1": "h3", "h2": "h3"}.get(kind, "h4" if kind.startswith("h") else "p")
    return f"<{tag} class=\"pd-redline-{kind}\">{body}</{tag}>"


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def _word_diff(old: str, new: str) -> str | None:
    """The two texts compared word by word; None when they share less than half their
    characters (then the block reads better replaced whole)."""
    a, b = _words(old), _words(new)
    # words are matched without the space after them: a text's last word has none
    bare = [w.rstrip() for w in a]
    matcher = difflib.SequenceMatcher(None, bare, [w.rstrip() for w in b], autojunk=False)
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
    matcher = difflib.SequenceMatcher(None, [t for _, t in old], [t for _, t in new],
                                      autojunk=False)
    out: list[str] = []
    inserted = deleted = 0
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(_wrap(kind, str(escape(text))) for kind, text in new[j1:j2])
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
