"""A file read in pieces (``generator/speed/yaml_pieces.py``) is the file read whole: the same
values at the same lines and columns, the same problems; and only the pieces the file
of the same name parsed before did not hold are parsed. Each test reads with a
``PieceReader`` of its own, whose ``recent`` pieces it starts without."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import validate, yaml_values
from generator.content.located import LocalText, YList, YMap
from generator.errors import Problems
from generator.speed import yaml_pieces
from generator.speed.validated_pieces import ValidatedPieces
from generator.speed.yaml_pieces import PieceReader

ROOT = Path(__file__).resolve().parent.parent


def spelled(value):
    """A value with every mapping's and list's positions spelled out."""
    if isinstance(value, YMap):
        return ("map", value.start, [(key, spelled(item)) for key, item in value.items()],
                list(value.key_marks.items()), list(value.value_marks.items()))
    if isinstance(value, YList):
        return ("list", value.start, [spelled(item) for item in value], value.item_locs)
    if isinstance(value, LocalText):  # its file's name, line and column: see validate
        return ("text", value.values, os.path.basename(value.loc.path), value.loc.line,
                value.loc.column, value.markdown)
    return (type(value).__name__, value)


def read(text: str, pieces: PieceReader | None, name: str = "x.yaml",
         path: str = "v/x.yaml"):
    """``text`` parsed as file ``name`` at ``path``: in pieces by ``pieces``, or (None)
    whole."""
    problems = Problems()
    value = yaml_values.parse_yaml(text.encode(), path, problems,
                                   pieces.reader(name) if pieces is not None else None)
    return spelled(value), [str(problem) for problem in problems.items]


@pytest.fixture
def every_size() -> PieceReader:
    """A reader of files of any size in pieces."""
    return PieceReader(pieces_from=0)


@pytest.fixture
def composed() -> list[str]:
    """The texts a reader's libyaml composes (``counting``): the pieces."""
    return []


def counting(texts: list[str], pieces_from: int = yaml_pieces.PIECES_FROM) -> PieceReader:
    """A reader that adds each text it composes to ``texts``."""
    def counted(text: str):
        texts.append(text)
        return yaml_pieces.compose(text)
    return PieceReader(pieces_from, counted)


def history(tmp_path: Path, versions: int = 8) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    return generate(tmp_path / "content", versions=versions, purposes=12)


def distinct_files(content: Path) -> list[Path]:
    """Each distinct file once, in the order the loader parses them (by version)."""
    seen, files = set(), []
    for path in sorted(content.glob("versions/*/*.yaml")):
        data = path.read_bytes()
        if data not in seen:
            seen.add(data)
            files.append(path)
    return sorted(files, key=lambda path: (path.parent.name, path.name))


@pytest.mark.parametrize("which", ["shipped", "synthetic"])
def test_every_content_file_reads_the_same_in_pieces(which, tmp_path):
    pieces = PieceReader()
    content = ROOT / "content" if which == "shipped" else history(tmp_path)
    in_pieces = 0
    for path in distinct_files(content):
        text = path.read_text(encoding="utf-8")
        before = pieces.recent.get(path.name)
        assert read(text, pieces, path.name, str(path)) == read(text, None, path.name, str(path))
        in_pieces += pieces.recent.get(path.name) is not before
    # the statements' files (privacy, purposes, cookies, ...) are read in pieces
    assert in_pieces >= (8 if which == "shipped" else 20)


def test_only_the_pieces_a_version_changed_are_parsed_again(tmp_path, composed):
    content = history(tmp_path, versions=2)
    old, new = (content / "versions" / folder / "cookies.yaml"
                for folder in sorted(os.listdir(content / "versions")))
    old_text, new_text = old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8")
    assert old_text != new_text
    pieces = counting(composed)
    read(old_text, pieces, "cookies.yaml")
    assert len(yaml_pieces.split(new_text)) > 8
    composed.clear()
    assert read(new_text, pieces, "cookies.yaml") == read(new_text, None)
    assert pieces.recent["cookies.yaml"]  # read in pieces, not whole
    assert 1 <= len(composed) <= 3
    assert all(text not in old_text for text in composed)


# Documents made of the constructs a line-wise split could misread: texts quoted over
# lines whose next line starts '- ' or 'key:' at column 0, block texts, bracketed
# lists over lines, comments, anchors, and (less often, each making the file one to
# read whole) aliases across items, repeated keys, explicit keys, document markers,
# tabs and other line breaks.
SCALARS = ["plain words", "'quoted\n- not an item\nb: nor a key'", '"double\n  - x\n# y"',
           "|\n  literal\n  - line\n", ">-\n  folded\n\n  text\n", "[a,\n- b]",
           "{a: 1,\nb: 2}", "&one anchored", "!!str 12", "", "~", "12", "2020-10-01",
           "'it''s'", "x # comment", "'\n- '", '"a\n\nb: c"']
ODD_SCALARS = ["*one", "!!python/name:os.system", "- inline item", "\ttabbed", "a\r\nb: c",
               "line\u2028break"]
ITEMS = ["id: one", "id: two\nname: x", "plain", "id: a\nsub:\n  - nested\n  - more",
         "id: b\ntext: |\n  - in a block", "&one id: x", "id: e\nlist:\n- x",
         "id: f\nq: 'over\n- lines'"]
ODD_ITEMS = ["*one", "id: c\nid: d"]
KEYS = ["a", "b", "c", "groups", "items", "x-y", "true", "null"]


def scalars(odd: bool) -> st.SearchStrategy[str]:
    return st.sampled_from(SCALARS * 4 + ODD_SCALARS if odd else _plain(SCALARS))


def _plain(texts: list[str]) -> list[str]:
    """Without anchors, nor lines going on at column 0 (quoted or bracketed): a file
    with one is read whole."""
    return [text for text in texts if "&" not in text and not re.search(r"\n[^\s]", text)]


def _item(indent: int, body: str) -> str:
    pad = " " * indent
    return pad + "- " + body.replace("\n", "\n" + pad + "  ") + "\n"


@st.composite
def entries(draw, odd: bool = True) -> str:
    """An entry of a document; without ``odd``, only what may be read in pieces."""
    kind = draw(st.sampled_from(["scalar"] * 3 + ["list"] * 4 + ["map"] * 2
                                + ["comment", "odd"][:2 if odd else 1]))
    key = draw(st.sampled_from(KEYS if odd else [f"k{number}" for number in range(200)]))
    if kind == "scalar":
        return f"{key}: {draw(scalars(odd))}\n"
    if kind == "comment":
        return draw(st.sampled_from(["# a comment\n", "\n", "  # indented\n", "#- x\n"]))
    if kind == "odd":
        return draw(st.sampled_from(["? k\n: v\n", "---\n", "...\n", "-x: 1\n", "%YAML 1.1\n",
                                     "'q': 1\n", "a:b\n", "- stray\n", " c: 1\n"]))
    if kind == "map":
        inner = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True))
        values = SCALARS[:4] if odd else _plain(SCALARS)[:4]
        return f"{key}:\n" + "".join(f"  {k}: {draw(st.sampled_from(values))}\n"
                                     .replace("\n- ", "\n  - ") for k in inner)
    indent = draw(st.sampled_from([0, 2, 4]))
    bodies = draw(st.lists(st.sampled_from(ITEMS * 3 + ODD_ITEMS + SCALARS if odd else
                                           _plain(ITEMS * 3 + SCALARS)),
                           min_size=0, max_size=4))
    between = draw(st.sampled_from(["", "# between\n", "\n"]))
    after_key = draw(st.sampled_from(["", "", " # note", " ~"] if odd else ["", " # note"]))
    return f"{key}:{after_key}\n" + between + "".join(_item(indent, body) for body in bodies)


@settings(max_examples=400, derandomize=True, deadline=None)
@given(st.lists(entries(), min_size=1, max_size=7), st.data())
def test_any_document_reads_the_same_in_pieces(document, data):
    """Read after an earlier version of itself (one entry changed, so that the pieces
    before it are known at their lines), a document is what it is read whole."""
    same_after_an_earlier_version(document, data.draw(entries()), data)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.lists(entries(odd=False), min_size=2, max_size=7), st.data())
def test_any_document_of_pieces_reads_the_same_in_pieces(document, data):
    """The same, of documents made only of what may be read in pieces (the keys
    distinct, no anchors), so that most are."""
    same_after_an_earlier_version(document, data.draw(entries(odd=False)), data)


def same_after_an_earlier_version(document: list[str], other: str, data) -> None:
    earlier = list(document)
    earlier[data.draw(st.integers(0, len(earlier) - 1))] = other
    text = "".join(document)
    pieces = PieceReader(pieces_from=0)
    read("".join(earlier), pieces)
    assert read(text, pieces) == read(text, None)


@pytest.mark.parametrize("text", [
    "a:\n- &one id: x\n- &one anchored\n",         # an anchor named twice: an error
    "a:\n- id: x\n  q: 'over\n- not an item'\n",   # a quoted text going on at column 0
    "a:\n  - x\n- y\n",                             # an item not of the list
    "a:\n- x\nb: 1\nc:\n  - y\n",                   # lists at two indentations
    "a: [one,\n- two]\nb: 1\n",                       # a bracketed list over lines
    "a:\n- one\n---\nb: 1\n",                         # a second document
    "a:\n\n# note\n- one\n- two\n",                  # the list after a comment
    "a:\nb:\n- one\n",                                 # a key without a value
])
def test_known_traps_read_the_same_in_pieces(every_size, text):
    read(text.replace("one", "first"), every_size)  # an earlier version: pieces known
    assert read(text, every_size) == read(text, None)


def test_a_file_over_the_limit_of_values_is_parsed_whole_at_once(composed):
    """More items than values allowed: no piece is composed (each holds a value), the
    whole parse stops at the limit and reports it; the same when the pieces reach it."""
    pieces = counting(composed, pieces_from=0)
    limit = yaml_values.MAX_VALUES
    over = "items:\n" + "- [a]\n" * (limit + 1)
    assert len(yaml_pieces.split(over)) > limit
    assert read(over, pieces) == read(over, None)
    assert not composed  # no piece: the whole file, parsed whole
    assert "more than 20,000 values" in read(over, pieces)[1][0]
    reached = "items:\n" + "- [a, b, c, d]\n" * (limit // 4)  # five values an item
    assert read(reached, pieces)[1]
    assert 0 < len(composed) <= limit // 5 + 1


def test_an_ampersand_in_a_text_is_no_anchor():
    """A file with an anchor is read whole; '&' inside a word or before a space is text."""
    assert yaml_pieces.split("a: R&D & more, &amp;\nb: [x,&y]\n") is None  # '[x,&y]'
    assert yaml_pieces.split("a: R&D & more\nb: 'x &amp; y'\n") is None  # ' &amp;'
    assert yaml_pieces.split("a: R&D & more\nb: x&amp;y\n") is not None
    assert yaml_pieces.split("a: &x 1\n") is None


def test_an_id_a_known_piece_declares_is_still_one_id(every_size):
    """A piece validated before gives its ids again: declared twice in a file, with a new
    piece, the file is walked whole, as the validator reports it."""
    validated = ValidatedPieces()
    source = (ROOT / "content" / "versions" / "2026-04-01" / "cookies.yaml").read_text(
        encoding="utf-8")
    first = yaml_values.parse_yaml(source.encode(), "v1/cookies.yaml", Problems(),
                                   every_size.reader("cookies.yaml"))
    assert validate.check_alone("cookies.yaml", first, "v1/cookies.yaml",
                                validated.of("cookies.yaml")) is not None
    assert validated.last["cookies.yaml"]  # its pieces, validated
    cookie = source.index("\n  - name: ") + 1
    end = source.index("\n  - name: ", cookie) + 1
    doubled = source[:end] + source[cookie:end] + source[end:]  # a cookie given twice
    second = yaml_values.parse_yaml(doubled.encode(), "v2/cookies.yaml", Problems(),
                                    every_size.reader("cookies.yaml"))
    assert validate.check_alone("cookies.yaml", second, "v2/cookies.yaml",
                                validated.of("cookies.yaml")) is None


def test_validated_pieces_are_validated_afresh_alike(tmp_path):
    """Validating each file of a history with the pieces validated before gives what
    validating each afresh gives (every value checked): values, ids declared,
    references."""
    pieces, validated = PieceReader(), ValidatedPieces()
    content = history(tmp_path)
    kept, afresh = [], []
    for path in distinct_files(content):
        parsed = yaml_values.parse_yaml(path.read_bytes(), str(path), Problems(),
                                        pieces.reader(path.name))
        kept.append(validate.check_alone(path.name, parsed, str(path),
                                         validated.of(path.name)))
        afresh.append(validate.check_alone(path.name, parsed, str(path)))
    shared = set()
    for one, other in zip(kept, afresh, strict=True):
        assert spelled(one.value) == spelled(other.value)
        assert one.declared == other.declared
        assert one.refs == other.refs
        values = {id(item) for item in one.value.values() if isinstance(item, YMap)}
        shared |= values & {id(item) for earlier in kept[:kept.index(one)]
                            for item in earlier.value.values()}
    assert shared  # pieces validated before were taken as they were
