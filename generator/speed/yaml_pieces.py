"""A content file parsed in pieces, so that what a later version repeats of the
earlier one is not parsed again.

Consecutive versions of a file differ in a few texts. Such a file is cut
at the lines that start a top-level key, and at the items of a top-level list
(``groups:`` followed by ``- id: ...`` lines, at any one indentation); a piece
the file of the same name parsed last held at the same line is taken as it was
built then, and only the other pieces are composed by libyaml.

Only a file every piece of which parses, alone, into what it is in the whole
file is read this way: every line at column 0 starts a simple key (``name:``)
or an item (``- ``); no document markers, directives, anchors, or line breaks
other than ``\\n``. A piece that ends inside a quoted text or a bracketed
list, which may run over lines at any indentation, does not parse alone (the
file ends inside it), and a key or item is the same node alone as in the
file, at the same columns. Anything else, and any problem at all, and the
file is parsed whole, as before, so that problems are reported exactly as
without pieces (``tests/test_yaml_pieces.py`` compares values, positions and
problems with whole parses).

A :class:`PieceReader` holds what it read last of each file name and is handed
to ``yaml_values.parse_yaml`` as its ``reader``; it is state of one build or
serve session (``session.Speedups``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

import yaml

from generator.content.yaml_values import YamlLoader, _Builder, _TooManyValues
from generator.errors import Problems

# A line starting at column 0 (not blank, not a comment), after its line break (a
# pattern that starts with a character is searched for faster than one with '^');
# an item line at each indentation (``_items_at``)
_TOP = re.compile(r"\n[^\s#]")
_ITEMS_AT: dict[int, re.Pattern] = {}
_SIMPLE_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?:[ \t\n]|$)")
_KEY_ONLY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:[ \t]*(?:#[^\n]*)?")
# After a key-only line: the indentation of the next item, when the next line that is
# not blank or a comment is one
_FIRST_ITEM = re.compile(r"\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)-(?: |\n|$)")
_OTHER_BREAKS = ("\r", "\x85", "\u2028", "\u2029")
# What may be an anchor: '&' and a name (an anchor when it starts a word, see
# ``_anchored``); anchors are named across the whole file, which no piece sees
_AMPERSAND = re.compile(r"&[^\s,\[\]{}]")
_MAP, _SEQ, _NULL = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq",
                     "tag:yaml.org,2002:null")
_SHIFT = 20  # as located.COLUMN_BITS: a position is its line << 20 | column

class KeyPiece(NamedTuple):
    """A top-level key and its value, as built (positions in the whole file)."""
    key: str
    key_at: int
    value: object
    value_at: int
    mapping_at: int  # where the file's mapping starts (the first piece's)
    key_only: bool  # nothing after the colon: a list's items may follow


class ItemPiece(NamedTuple):
    """An item of a top-level list, as built (positions in the whole file)."""
    value: object
    item_at: int
    list_at: int
    indent: int


Piece = KeyPiece | ItemPiece
Split = list[tuple[str, int, int | None]]  # (text, first line, item indentation or None)
# The size in characters from which a file is read in pieces; a smaller one is parsed whole
PIECES_FROM = 4096


def compose(text: str):
    """``text``'s nodes, as ``yaml_values.parse_yaml`` composes a whole file."""
    return yaml.compose(text, Loader=YamlLoader)


class PieceReader:
    """Reads files in pieces, remembering per file name the pieces it read last.

    ``recent``: for each file name, the pieces of the file of that name read last, by
    text (see ``parse``), which the next version of that file mostly repeats.
    ``pieces_from``: the size in characters from which a file is read in pieces.
    ``compose``: a piece's text to libyaml's nodes."""

    def __init__(self, pieces_from: int = PIECES_FROM, compose: Callable = compose):
        self.recent: dict[str, dict] = {}
        self.pieces_from = pieces_from
        self.compose = compose

    def reader(self, name: str) -> Callable[[str, str], object]:
        """The ``reader`` for ``parse_yaml`` of a file named ``name``."""
        return lambda text, path: self.read(name, text, path)

    def read(self, name: str, text: str, path: str):
        """The values of file ``name``'s ``text`` at ``path`` read in pieces, or None to
        parse it whole (small, not cut into pieces, or any problem at all)."""
        if len(text) < self.pieces_from:
            return None
        pieces = split(text)
        if pieces is None or len(pieces) < 2:
            return None
        made: dict = {}
        try:
            value = parse(pieces, self.recent.get(name, {}), made, self.compose,
                          _Builder(path, Problems()))
        except (_TooManyValues, RecursionError):
            return None
        if value is not None:
            self.recent[name] = made
        return value


def split(text: str) -> Split | None:
    """The pieces of ``text``: each with the number of lines before it and, for an item
    of a top-level list, its indentation (None for a key); None when the file is not
    one to read in pieces (see the module)."""
    if any(other in text for other in _OTHER_BREAKS) or _anchored(text):
        return None
    tops = [found.start() + 1 for found in _TOP.finditer(text)]
    if text and not text[0].isspace() and text[0] != "#":
        tops.insert(0, 0)
    starts: list[tuple[int, int | None]] = [(0, None)]  # the first holds comments before
    for number, at in enumerate(tops):
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        if text[at] == "-":
            if not (end == at + 1 or text[at + 1] == " "):
                return None  # '---', '-1: ...': not a simple key or an item
            if number:
                starts.append((at, 0))
            continue
        if not _SIMPLE_KEY.match(text, at):
            return None
        if number:
            starts.append((at, None))
        first = _FIRST_ITEM.match(text, end) if _KEY_ONLY.fullmatch(text, at, end) else None
        if first is not None and first.group(1):  # a list at an indentation: its items
            items = len(first.group(1))
            until = tops[number + 1] if number + 1 < len(tops) else len(text)
            starts.extend((item.start() + 1, items)
                          for item in _items_at(items).finditer(text, end, until))
    ends = [at for at, _ in starts[1:]] + [len(text)]
    pieces, line, last = [], 0, 0
    for (at, indent), end in zip(starts, ends, strict=True):
        line += text.count("\n", last, at)
        last = at
        pieces.append((text[at:end], line, indent))
    return pieces


def _items_at(indent: int) -> re.Pattern:
    """Lines that start an item at ``indent`` (exactly), after their line break."""
    pattern = _ITEMS_AT.get(indent)
    if pattern is None:
        pattern = _ITEMS_AT[indent] = re.compile(rf"\n {{{indent}}}-(?=[ \n]|\Z)")
    return pattern


def _anchored(text: str) -> bool:
    """Whether ``text`` may hold an anchor ('&name' at the start of a word)."""
    return "&" in text and any(
        not found.start() or text[found.start() - 1] in " \t\n,[]{}"
        for found in _AMPERSAND.finditer(text))


def parse(pieces: Split, recent: dict, made: dict, compose: Callable, builder):
    """The values of a file split into ``pieces`` (``split``), or None to parse it whole.

    ``recent``: the pieces of the file of this name parsed before, by text, as (first
    line, ``Piece``, values in it); ``made`` receives this file's. ``compose``: a piece's
    text to libyaml's nodes; ``builder``: ``yaml_values._Builder`` of this file, whose
    problems (any at all) and count of values decide for a whole parse. Each piece
    holds a value at least: a file of more pieces than the builder's limit of values,
    or one whose pieces reach it, is parsed whole at once, which stops at the limit (not
    composed piece by piece to the end first)."""
    if len(pieces) > builder.limit:
        return None
    built, values = [], 1  # the file's mapping
    for text, line, indent in pieces:
        known = recent.get(text)
        if known is None or known[0] != line:
            try:
                node = compose(text)
            except yaml.YAMLError:
                return None
            builder.begin(line << _SHIFT)  # its own nodes, counted apart
            piece = _build(node, indent, builder)
            if piece is None or builder.problems:
                return None
            known = (line, piece, builder.count())
        made.setdefault(text, known)
        built.append(known[1])
        values += known[2]
        if values > builder.limit:
            return None
    joined = _join(built, builder)
    if joined is None:
        return None
    return None if values + joined[1] > builder.limit else joined[0]


def _build(node, indent: int | None, builder) -> Piece | None:
    """One piece's node as built in the whole file."""
    if indent is None:
        if not (type(node) is yaml.MappingNode and node.tag == _MAP and len(node.value) == 1):
            return None
        key_node, value_node = node.value[0]
        key = builder.plain_key(key_node)
        if key is None:
            return None
        key_only = (type(value_node) is yaml.ScalarNode and value_node.tag == _NULL
                    and value_node.value == "" and not value_node.style)
        return KeyPiece(key, builder.at(key_node.start_mark), builder.build(value_node, 1),
                        builder.at(value_node.start_mark), builder.at(node.start_mark),
                        key_only)
    if not (type(node) is yaml.SequenceNode and node.tag == _SEQ and len(node.value) == 1):
        return None
    item = node.value[0]
    return ItemPiece(builder.build(item, 2), builder.at(item.start_mark),
                     builder.at(node.start_mark), indent)


def _join(built: list[Piece], builder) -> tuple[object, int] | None:
    """The file's mapping from its pieces, as the builder makes it of the whole file,
    and the number of lists it made (each a value of the file)."""
    if type(built[0]) is not KeyPiece:
        return None
    out = builder.mapping(built[0].mapping_at)
    key_marks, value_marks = out.key_marks, out.value_marks
    items = None  # the list of the last key-only key, while its items follow
    key, lists, indent = None, 0, None
    for piece in built:
        if type(piece) is ItemPiece:
            if items is None:
                return None
            if not items:  # its first item: the list starts here, at its indentation
                items = out[key] = builder.list(piece.list_at)
                value_marks[key], indent = piece.list_at, piece.indent
                lists += 1
            elif piece.indent != indent:
                return None  # not an item of this list: the whole parse says what it is
            items.append(piece.value)
            items.item_locs.append(piece.item_at)
            continue
        key, key_at, value, value_at, _, key_only = piece
        if key in out:
            return None  # a duplicate key: the whole parse reports it
        out[key], key_marks[key], value_marks[key] = value, key_at, value_at
        items = [] if key_only else None
    return out, lists
