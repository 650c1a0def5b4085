"""The blocks of a rendered article, in order: headings, paragraphs, list items, table
rows, the first layer's terms and descriptions, each with its text and its inline markup;
and, between them, where an element with an ``id`` (a section, purpose, category,
recipient or cookie) opens and closes, so that a comparison can align two versions by
those ids (``redline.py``).

A block is ``(kind, text)``, or ``(kind, text, markup)`` when its markup is not its text
as it stands (so that ``item[-1]`` is always the markup): its tag (``li-ol`` for an item of
a numbered list), its text (runs of white space as one space, a line break as ``\\n``) and
its inline markup, rebuilt from what was read: only ``INLINE`` elements, with only a safe
``href`` and ``class``, the text escaped, every element closed within its block. Where a
keyed element opens: ``("+" + tag, id)`` (``id`` empty when it has none); where it closes:
``("-" + tag, "")``. An element without an id that opens and closes within what one parse
reads, with only whole elements between, adds nothing to the tree (``redline.tree``), so
it is left out: most list items and table rows, a third of the items otherwise.
"""

from __future__ import annotations

import functools
import itertools
import re
from html import escape, unescape
from html.parser import HTMLParser

BLOCKS = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "address", "caption", "dt",
          "dd"}
# The elements the templates key by an id: sections and groups, purposes, recipients,
# data categories, cookies. Each of their tags is reported, with or without an id, so
# that the comparison can tell which end closes which.
KEYED = {"section", "div", "li", "tr"}
LISTS = {"ul", "ol"}
# The inline markup a block keeps (the generator's own and the sanitiser's); any other
# element keeps its text only, and no attribute but ``class`` and an ``a``'s ``href``.
INLINE = {"a", "strong", "b", "em", "i", "code", "abbr", "span"}
SCHEMES = {"http", "https", "mailto", "tel"}
# The tags that do anything in a reading.
_IN_BLOCK = frozenset(INLINE | {"br", "td", "th"})  # what they do is inside a block
_READ = frozenset(BLOCKS | KEYED | LISTS | _IN_BLOCK)
_ID = re.compile(r"""\sid=(?:"([^"]*)"|'([^']*)')""", re.I)
_ATTRIBUTE = re.compile(r"""\s+([^\s"'<>/=]+)(?:="([^"]*)"|='([^']*)')?""")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
BREAK = "\ue000"  # a <br> in a block's text while it is read; then "\n"
_BREAKS = re.compile(" ?\ue000 ?")


class _Blocks(HTMLParser):
    """The blocks of any HTML, by the standard library's parser: for markup the quick
    scan below does not read alike (comments, raw-text elements)."""

    def __init__(self) -> None:
        super().__init__()
        self.reader = _Reader()

    def handle_starttag(self, tag, attrs):
        self.reader.start(tag, {name: value for name, value in reversed(attrs)}
                          if attrs else {})

    def handle_endtag(self, tag):
        self.reader.end(tag)

    def handle_data(self, data):
        if self.reader.stack:
            _data(self.reader.stack[-1], data)


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


class _Reader:
    """What both parsers do with a tag: the blocks found, the blocks open, the lists open.
    A block open is ``[tag, kind, text parts, markup parts, inline elements open]``; its
    markup parts are None while they would be its text parts (most blocks: ``_marked``)."""

    __slots__ = ("blocks", "stack", "lists", "keyed")

    def __init__(self) -> None:
        self.blocks: list[tuple | None] = []
        self.stack: list[list] = []
        self.lists: list[str] = []
        self.keyed = _Keyed()

    def start(self, tag: str, attrs: dict) -> None:
        if tag in KEYED:
            self.keyed.open(self.blocks, tag, attrs.get("id") or "")
        stack = self.stack
        if tag in BLOCKS:
            if stack:  # a block inside a block: the text before it is read first
                _flush(stack[-1], self.blocks)
            kind = "li-ol" if tag == "li" and self.lists and self.lists[-1] == "ol" else tag
            stack.append([tag, kind, [], None, []])
        elif tag in LISTS:
            self.lists.append(tag)
        elif stack:
            block = stack[-1]
            if tag in INLINE:
                _marked(block).append(_opening(tag, attrs))
                block[4].append(tag)
            elif tag == "br":
                _marked(block).append("<br>")
                block[2].append(BREAK)
            elif tag in ("td", "th"):
                if block[3] is not None:
                    block[3].append(" ")
                block[2].append(" ")

    def end(self, tag: str) -> None:
        stack = self.stack
        if tag in BLOCKS:
            if stack and stack[-1][0] == tag:
                _flush(stack.pop(), self.blocks)
        elif tag in LISTS:
            if self.lists and self.lists[-1] == tag:
                self.lists.pop()
        elif stack and tag in INLINE:
            block = stack[-1]
            if block[4] and block[4][-1] == tag:  # else a stray end: left out
                block[4].pop()
                block[3].append(f"</{tag}>")
        if tag in KEYED:
            self.keyed.close(self.blocks, tag)


def _marked(block: list) -> list:
    """The block's markup parts, made from its text parts when it first needs them."""
    if block[3] is None:
        block[3] = block[2][:]
    return block[3]


def _opening(tag: str, attrs: dict) -> str:
    """An inline element's start tag with what it may keep of its attributes."""
    out = "<" + tag
    href = attrs.get("href") if tag == "a" else None
    if href is not None:
        scheme = _SCHEME.match(_CONTROL.sub("", href))  # as a browser reads it
        if scheme is None or scheme[1].lower() in SCHEMES:
            out += f' href="{escape(href)}"'
    if attrs.get("class"):
        out += f' class="{escape(attrs["class"])}"'
    return out + ">"


def _escape(text: str) -> str:
    """Text as markup: '&' and '<' escaped ('>' is text as it stands)."""
    return text.replace("&", "&amp;").replace("<", "&lt;")


def _data(block: list, text: str) -> None:
    if "&" in text or "<" in text:
        _marked(block).append(_escape(text))
    elif block[3] is not None:
        block[3].append(text)
    block[2].append(text)


def _flush(block: list, blocks: list) -> None:
    """What ``block`` holds so far as a block of its own (none when its text is blank)."""
    _, kind, parts, markup, open_ = block
    if open_:
        markup.extend(f"</{tag}>" for tag in reversed(open_))
        open_.clear()
    if parts:
        # runs of white space as one space, none at the ends: re.sub(r"\s+", " ", ...)
        # .strip(), but faster (both split at what str.isspace() calls space)
        text = " ".join("".join(parts).split())
        if markup is not None and BREAK in text:  # a <br> makes the markup
            text = _BREAKS.sub("\n", text).strip("\n")
        if text and markup is None:
            blocks.append((kind, text))
        elif text:
            html = "".join(markup)  # one line (runs of spaces are spaces in HTML)
            html = " ".join(html.split()) if "\n" in html or "  " in html else html.strip()
            if "<br> " in html:  # a line break is no space
                html = html.replace("<br> ", "<br>")
            blocks.append((kind, text) if html == text else (kind, text, html))
        parts.clear()
    block[3] = None


# A tag as the templates and the sanitiser write them, with the text before it: a name,
# then attributes, each with a quoted value or none. Text has its references decoded.
_TEXT_AND_TAG = re.compile(r"""([^<]*)<(/?)([a-zA-Z][a-zA-Z0-9]*)"""
                           r"""((?:\s+[^\s"'<>/=]+(?:="[^"]*"|='[^']*')?)*)\s*(/?)>""")
_NONE: dict = {}
_NAMES = {name: name for name in _READ}  # as the templates write them: no .lower()


def _scan(html: str) -> tuple[list, _Reader] | None:
    """The blocks of ``html`` as ``_Blocks`` finds them, read with one regular expression
    (faster than ``html.parser``); None when a '<' is not the start of such a tag (the
    standard parser then reads it). Only for markup without comments or raw-text elements.
    What most tags do is done here in line (``_data``, ``_Reader``)."""
    found = _TEXT_AND_TAG.findall(html)
    if len(found) != html.count("<"):
        return None
    reader = _Reader()
    stack = reader.stack
    starts = _STARTS
    for text, closing, name, attributes, empty in found:
        if text and stack:
            block = stack[-1]
            markup = block[3]
            if "&" in text:  # (a '<' is not in it; a '>' in text is text)
                if markup is None:
                    markup = block[3] = block[2][:]
                text = unescape(text)
                markup.append(_escape(text) if "&" in text or "<" in text else text)
            elif markup is not None:
                markup.append(text)
            block[2].append(text)
        tag = _NAMES.get(name) or name.lower()
        if tag not in _READ:  # most tags: <table>, <nav> ...
            continue
        if tag in _IN_BLOCK:  # what Reader.start and .end do with these, in line
            if stack:
                block = stack[-1]
                markup = block[3]
                if tag in INLINE:
                    if not closing:
                        if markup is None:
                            markup = block[3] = block[2][:]
                        markup.append(starts.get((tag, attributes))
                                      or _start_tag(tag, attributes))
                        if empty:  # <x/>: html.parser ends it too
                            markup.append(f"</{tag}>")
                        else:
                            block[4].append(tag)
                    elif block[4] and block[4][-1] == tag:
                        block[4].pop()
                        markup.append(f"</{tag}>")
                elif closing:
                    pass
                elif tag == "br":
                    if markup is None:
                        markup = block[3] = block[2][:]
                    markup.append("<br>")
                    block[2].append(BREAK)
                else:  # a table cell
                    if markup is not None:
                        markup.append(" ")
                    block[2].append(" ")
            continue
        if closing:
            reader.end(tag)
        elif attributes and tag in KEYED:  # only its id is read
            key = _ID.search(attributes)
            reader.start(tag, {"id": _text(key[1] if key[1] is not None else key[2])}
                         if key else _NONE)
        else:
            reader.start(tag, _NONE)
        if empty and not closing:  # <x/>: html.parser ends it too
            reader.end(tag)
    return reader.blocks, reader  # text after the last tag closes no block: it is in none


_STARTS: dict[tuple[str, str], str] = {}  # most start tags recur: a label, a link


def _start_tag(tag: str, attributes: str) -> str:
    """``_opening`` of a start tag as written; kept while there are few."""
    made = _opening(tag, _attributes(attributes) if attributes else _NONE)
    if len(_STARTS) < 4096:
        _STARTS[tag, attributes] = made
    return made


def _attributes(text: str) -> dict:
    """A start tag's attributes as ``html.parser`` gives them (the first of a name)."""
    found: dict = {}
    for match in _ATTRIBUTE.finditer(text):
        name = match[1].lower()
        if name not in found:
            value = match[2] if match[2] is not None else match[3]
            found[name] = None if value is None else _text(value)
    return found


def _text(data: str) -> str:
    return unescape(data) if "&" in data else data


# Articles are parsed in pieces that start at a section or heading: consecutive
# versions share most pieces, so each distinct piece is parsed once. A piece
# that ends inside a block or a list (or markup that could hide a boundary) makes
# the whole article be parsed in one go instead.
_PIECE = re.compile(r"\n(?=<(?:section|h[1-6])\b)")
_WHOLE_ONLY = re.compile(r"<!--|<script|<style|<textarea|<title|<xmp|<plaintext", re.I)


def _parse(html: str) -> tuple[tuple, bool]:
    """The items of ``html``, and whether it ended outside any block and list."""
    scanned = None if _WHOLE_ONLY.search(html) else _scan(html)
    if scanned is None:
        parser = _Blocks()
        parser.feed(html)
        parser.close()
        scanned = parser.reader.blocks, parser.reader
    found, reader = scanned
    # the items left out are None
    return tuple(filter(None, found)), not reader.stack and not reader.lists


@functools.lru_cache(maxsize=2048)
def _piece(html: str) -> tuple | None:
    """The items of one piece; None when it ends inside a block or list, or starts a
    comment or raw-text element (which may hide a boundary: the article is then parsed
    whole). The piece, not the article, is searched for those: none of them holds the
    newline the pieces are split at, so one in the article is in one piece, and a piece
    is searched once however many versions share it (the article's search took 60 us a
    comparison)."""
    if _WHOLE_ONLY.search(html):
        return None
    found, closed = _parse(html)
    return found if closed else None


def piecewise(html: str) -> tuple | None:
    """The items of ``html`` parsed piece by piece; None when it must be parsed whole."""
    pieces = [_piece(piece) for piece in _PIECE.split(html)]
    return tuple(itertools.chain.from_iterable(pieces)) if None not in pieces else None


def blocks(html: str) -> tuple:
    """The items of ``html``: piece by piece where it can be read so, else whole."""
    found = piecewise(html)
    return found if found is not None else _parse(html)[0]
