"""Content files' bytes to located values: YAML is composed into nodes by PyYAML
(libyaml's C parser where available) and turned into values here, not by PyYAML's
constructor, so that:

- every mapping and list remembers where it and each of its entries start
  (:class:`YMap`, :class:`YList` in ``located.py``), for located errors in every
  later stage;
- tags that would construct objects (``!!python/...``) are refused and never run;
- duplicate keys, anchors/aliases (and so alias bombs), excessive nesting,
  oversized files, byte-order marks and bad UTF-8 are located errors;
- a syntax error is located where it starts (an unclosed quote or bracket where
  it opened, not where the parser gave up) and shows that line;
- a caller may hand in a ``reader`` that gives a file's values another way (the
  speed wing reads a file in pieces, ``speed/yaml_pieces.py``); what it does not
  give is parsed whole, here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import yaml

from generator.content.files import MAX_FILE_BYTES
from generator.content.located import YList, YMap, at_mark, located
from generator.content.yaml_hints import (
    MAX_DEPTH,
    cut_by_comments,
    line_of,
    shown,
    syntax_problem,
)
from generator.errors import Location, Problems

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLoader(_Loader):
    """The safe loader (libyaml's where available), remembering the tag of each short
    scalar: keys, ids and short values recur in every file, and PyYAML works each one
    out again in Python for every occurrence. The
    tag depends only on the arguments, as no path resolvers are added."""

    _tags: dict = {}

    def resolve(self, kind, value, implicit, _tags=_tags, _resolve=_Loader.resolve):
        if value is None or len(value) > 64:
            return _resolve(self, kind, value, implicit)
        key = (kind, value, implicit)
        tag = _tags.get(key)
        if tag is None:
            if len(_tags) > 100_000:  # a long preview session's edits
                _tags.clear()
            tag = _tags[key] = _resolve(self, kind, value, implicit)
        return tag

MAX_VALUES = 20_000  # keys, list items and values per file; the shipped files hold < 1,000
PLAIN_TAGS = {
    "tag:yaml.org,2002:str", "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp",
}
_STR_TAG = "tag:yaml.org,2002:str"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_scalar_constructor = yaml.constructor.SafeConstructor()


def _loc(path: str, mark) -> Location:
    return Location(path, mark.line + 1, mark.column + 1)


class _TooManyValues(Exception):
    def __init__(self, location: Location):
        super().__init__(str(location))
        self.location = location


# One object per distinct string across all files a process parses: consecutive
# versions repeat most of their texts and every key, so a long history holds each once,
# and comparing or hashing a repeated text (memo, caches) finds it by identity.
_SHARED: dict[str, str] = {}
_SHARED_LIMIT = 500_000


def _shared(text: str) -> str:
    found = _SHARED.get(text)
    if found is None:
        if len(_SHARED) >= _SHARED_LIMIT:  # a long-running serve: start afresh
            _SHARED.clear()
        found = _SHARED[text] = text
    return found


class _Builder:
    """A file's nodes to located values, problems added. A reader that composes a file
    part by part (``speed/yaml_pieces.py``) builds each part after ``begin``."""

    limit = MAX_VALUES
    shift = 0  # added to each position: the first line of the part built, packed

    def __init__(self, path: str, problems: Problems):
        self.path = path
        self.problems = problems
        self.seen: set[int] = set()

    def at(self, mark) -> int:
        return at_mark(mark) + self.shift

    def mapping(self, at: int) -> YMap:
        return YMap(at, self.path)

    def list(self, at: int) -> YList:
        return YList(at, self.path)

    def begin(self, shift: int) -> None:
        """A part of the file begins, ``shift`` (a packed position) into it."""
        self.shift, self.seen = shift, set()

    def count(self) -> int:
        """The values built so far (each node once)."""
        return len(self.seen)

    def plain_key(self, node) -> str | None:
        """A key as ``_mapping`` takes it, None for one it reports."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == _MERGE_TAG:
            return None
        return _shared(str(node.value))

    def build(self, node, depth: int = 0):
        if id(node) in self.seen:
            self.problems.add(self._loc(node), "anchors and aliases (&name, *name) are not "
                                               "supported; write the value out in full")
            return None
        self.seen.add(id(node))
        if len(self.seen) > MAX_VALUES:
            raise _TooManyValues(self._loc(node))
        if depth > MAX_DEPTH:
            self.problems.add(self._loc(node), f"nesting is too deep (at most {MAX_DEPTH} levels)")
            return None
        tag = node.tag
        if tag == _STR_TAG and type(node) is yaml.ScalarNode:
            return _shared(node.value)  # the common case, without the constructor
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, depth)
        if isinstance(node, yaml.SequenceNode):
            if tag != "tag:yaml.org,2002:seq":
                return self._bad_tag(node)
            out = YList(at_mark(node.start_mark) + self.shift, self.path)
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.item_locs.append(at_mark(item.start_mark) + self.shift)
            return out
        if tag not in PLAIN_TAGS:
            return self._bad_tag(node)
        try:
            value = _scalar_constructor.construct_object(node)
            # PyYAML's constructor remembers every node it made a value of (for anchors,
            # which are refused here): forgotten, or a long serve session keeps them all
            _scalar_constructor.constructed_objects.pop(node, None)
        except (yaml.YAMLError, ValueError, OverflowError):
            self.problems.add(self._loc(node), f"cannot read the value {node.value!r}")
            return None
        if tag == "tag:yaml.org,2002:timestamp" and type(value) is not date:
            return node.value  # a date with a time: keep the text, the schema will say
        return value

    def _loc(self, node) -> Location:
        return _loc(self.path, node.start_mark)

    def _bad_tag(self, node):
        self.problems.add(self._loc(node), f"the YAML tag '{node.tag}' is not allowed; content "
                                           "files hold plain text, numbers, lists and mappings "
                                           "only")
        return None

    def _mapping(self, node, depth: int) -> YMap | None:
        if node.tag not in ("tag:yaml.org,2002:map",):
            return self._bad_tag(node)
        shift = self.shift
        out = YMap(at_mark(node.start_mark) + shift, self.path)
        key_marks, value_marks = out.key_marks, out.value_marks
        for key_node, value_node in node.value:
            key = self.plain_key(key_node)
            if key is None:
                self.problems.add(self._loc(key_node), (
                    "merge keys ('<<') are not supported; write the keys out in full"
                    if key_node.tag == _MERGE_TAG else
                    "a key must be a plain word, not a list or mapping"))
                continue
            if key in out:
                first = located(self.path, key_marks[key]).line
                self.problems.add(self._loc(key_node), f"duplicate key '{key}' (first given at "
                                                       f"line {first}); give each key once")
                continue
            out[key] = self.build(value_node, depth + 1)
            key_marks[key] = at_mark(key_node.start_mark) + shift
            value_marks[key] = at_mark(value_node.start_mark) + shift
        return out


def _first_bad_utf8(data: bytes, error: UnicodeDecodeError) -> tuple[int, int]:
    before = data[: error.start]
    line = before.count(b"\n") + 1
    column = len(before) - (before.rfind(b"\n") + 1) + 1
    return line, column


def parse_yaml(data: bytes, path: str, problems: Problems,
               reader: Callable[[str, str], object] | None = None):
    """Parse one YAML document from bytes; problems are added, None returned on failure.
    ``reader``: called with the decoded text and ``path`` of a file that passed the
    checks on its bytes; the values it returns are the file's (they must be what a
    whole parse makes, problems being none), and with None it gives the file is
    parsed whole."""
    if len(data) > MAX_FILE_BYTES:
        problems.add(Location(path, 1, 1), f"file is {len(data) // 1024} KiB; content files "
                                           f"may be at most {MAX_FILE_BYTES // 1024} KiB")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        problems.add(Location(path, 1, 1), "file starts with a byte-order mark (BOM); "
                                           "save it as UTF-8 without BOM")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _first_bad_utf8(data, error)
        problems.add(Location(path, line, column), "this byte is not valid UTF-8; "
                                                   "save the file as UTF-8")
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        problems.add(Location(path, line, 1), "file contains a NUL character; "
                                              "is it a text file?")
        return None
    for line, column, message in cut_by_comments(text):
        problems.add(Location(path, line + 1, column + 1), message)
    if reader is not None:
        value = reader(text, path)
        if value is not None:
            return value
    try:
        node = yaml.compose(text, Loader=YamlLoader)
    except yaml.MarkedYAMLError as error:
        mark, message = syntax_problem(text, error)
        if mark is None:
            problems.add(Location(path, 1, 1), f"YAML syntax error: {message}")
        else:
            line = shown(line_of(text, mark), mark.column)
            problems.add(_loc(path, mark), f"YAML syntax error: {message}"
                                           + (f"; the line reads: {line}" if line.strip() else ""))
        return None
    except yaml.YAMLError as error:
        problems.add(Location(path, 1, 1), f"YAML syntax error: {error}")
        return None
    except RecursionError:  # only without libyaml, whose parser stops at 1,000 levels
        problems.add(Location(path, 1, 1), f"nesting is too deep (at most {MAX_DEPTH} levels)")
        return None
    if node is None:
        problems.add(Location(path, 1, 1), "file is empty; it should hold a mapping of keys")
        return None
    try:
        return _Builder(path, problems).build(node)
    except _TooManyValues as error:
        problems.add(error.location, f"file holds more than {MAX_VALUES:,} values; "
                                     "split it up or shorten the lists")
        return None
