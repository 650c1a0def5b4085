"""Texts that display as written: bidirectional controls and zero-width characters are
refused where they are (typed, escaped or referred to), zero durations are refused,
texts are in NFC, and a value of the wrong type says what a valid one looks like.

Content is loaded and validated in this process (``load_content``,
``validate_content``), without rendering, so that a Hypothesis test can afford
many examples.
"""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content import plain_words
from generator.content.loader import load_content
from generator.content.model import fingerprint
from generator.content.schema import (
    DURATION,
    SITE,
    VERSION_FILES,
    ListOf,
    Mapping,
    Record,
    Str,
    Text,
    TextList,
)
from generator.content.validate import _Walk, validate_content
from generator.errors import Location, Problems, printable
from generator.render.text import MarkdownConverter

from .conftest import ROOT

BIDI = [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
MARKS = ["\u200e", "\u200f", "\u061c"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]


def problems_of(root: Path) -> list:
    problems = Problems()
    validate_content(load_content(root, problems), problems)
    return problems.sorted()


# Every text or name field of the shipped content: its scalar nodes, found by walking
# each file's declaration in schema.py beside the file's YAML nodes.

def _texts(declaration, node, out: list) -> None:
    if isinstance(declaration, Text | TextList) and isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            items = value.value if isinstance(value, yaml.SequenceNode) else [value]
            out.extend(item for item in items if isinstance(item, yaml.ScalarNode))
    elif isinstance(declaration, Str) and not declaration.pattern:
        if isinstance(node, yaml.ScalarNode):
            out.append(node)
    elif isinstance(declaration, Record) and isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value in declaration.fields:
                _texts(declaration.fields[key.value].node, value, out)
    elif isinstance(declaration, Mapping) and isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            _texts(declaration.value, value, out)
    elif isinstance(declaration, ListOf) and isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _texts(declaration.item, item, out)


def _places(text: str, node) -> list[int]:
    """Offsets in ``text`` inside the scalar ``node``, before a letter or digit of it."""
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    start = starts[node.start_mark.line] + node.start_mark.column
    end = starts[node.end_mark.line] + node.end_mark.column
    first = start + 1 if node.style in ("'", '"') else start
    if node.style in ("|", ">"):
        first = starts[node.start_mark.line + 1]
    return [at for at in range(first, end) if text[at].isalnum()
            and not text[text.rfind("\n", 0, at) + 1:at].lstrip().startswith("#")]


def _shipped_places() -> list[tuple[str, int, int, int]]:
    """Each file's places in its texts, with the line and column where the text starts."""
    out = []
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        declaration = SITE if path.name == "site.yaml" else VERSION_FILES[path.name]
        text = path.read_text(encoding="utf-8")
        nodes: list = []
        _texts(declaration, yaml.compose(text, Loader=yaml.SafeLoader), nodes)
        relative = str(path.relative_to(ROOT / "content"))
        out.extend((relative, at, node.start_mark.line + 1, node.start_mark.column + 1)
                   for node in nodes for at in _places(text, node))
    return out


PLACES = _shipped_places()


@pytest.fixture(scope="module")
def shipped_copy():
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        shutil.copytree(ROOT / "content", root)
        yield root


def test_every_kind_of_text_field_is_among_the_places():
    files = {place[0].rsplit("/", 1)[-1] for place in PLACES}
    assert files == {"site.yaml", *VERSION_FILES}
    assert len(PLACES) > 10_000


@settings(max_examples=60, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), character=st.sampled_from(BIDI + MARKS + INVISIBLE))
def test_a_bidi_or_invisible_character_in_any_text_is_refused_where_it_is(
        shipped_copy, place, character):
    """Located at the character itself; in site.yaml, whose bytes the loader does not
    keep, at the text's start, with the character's number in the text."""
    relative, at, text_line, text_column = place
    path = shipped_copy / relative
    original = path.read_text(encoding="utf-8")
    path.write_text(original[:at] + character + original[at:], encoding="utf-8")
    try:
        found = problems_of(shipped_copy)
    finally:
        path.write_text(original, encoding="utf-8")
    line = original.count("\n", 0, at) + 1
    column = at - (original.rfind("\n", 0, at) + 1) + 1
    name = f"U+{ord(character):04X} {unicodedata.name(character)}"
    holds = "this text contains"
    if relative == "site.yaml":  # one-line texts: the character's number is its column's
        assert line == text_line
        holds = f"character {column - text_column + 1} of this text is"
        column = text_column
    assert [(problem.location.path, problem.location.line, problem.location.column)
            for problem in found] == [(str(path), line, column)], found
    assert found[0].message.startswith(f"{holds} {name}, "), found[0].message
    assert found[0].message.endswith("; remove it (it often comes with text pasted from "
                                     "elsewhere)")


def _copy_version(content: Path, name: str) -> Path:
    target = content / "versions" / name
    shutil.copytree(content / "versions/2020-10-01", target)
    return target


def test_a_piece_repeated_from_the_previous_version_is_refused_in_each(content):
    """privacy.yaml is read in pieces (``yaml_pieces``) and its pieces validated once
    (``validated_pieces``): a piece repeated unchanged in the next version, with a
    refused character in it, is refused in both files, each where it is."""
    first = content / "versions/2020-10-01/privacy.yaml"
    text = first.read_text(encoding="utf-8")
    assert len(text.encode()) > 4096
    first.write_text(text.replace("en: Privacy Statement", "en: Privacy \u202eStatement", 1),
                     encoding="utf-8")
    later = _copy_version(content, "2020-11-01") / "privacy.yaml"
    later.write_text(later.read_text(encoding="utf-8").replace(
        "Als u klant bent", "Als u een klant bent", 1), encoding="utf-8")
    found = [(Path(p.location.path).parent.name, p.location.line, p.location.column)
             for p in problems_of(content) if "U+202E" in p.message]
    assert found == [("2020-10-01", 8, 15), ("2020-11-01", 8, 15)]


def test_a_refused_character_in_site_yaml_is_found_at_the_value(content):
    """site.yaml's bytes are not kept: its problems name the text's start and the
    character's number in it."""
    site = content / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(text.replace("en: ", "en: \u200f", 1), encoding="utf-8")
    problem, = problems_of(content)
    assert problem.message.startswith("character 1 of this text is U+200F RIGHT-TO-LEFT MARK")


@pytest.mark.parametrize("reference", ["&#x202E;", "&#8238;", "&rlm;", "&zwj;", "&#x2066",
                                       "&#8203;", "&#xFEFF;"])
def test_a_reference_to_a_bidi_or_invisible_character_in_markdown_is_refused(reference):
    index, written, character = plain_words.refused_reference(f"Tekst {reference}tekst")
    assert (index, written) == (6, reference)
    assert plain_words.HIDDEN.fullmatch(character)


@pytest.mark.parametrize("text", ["A &amp; B", "&copy; 2020", "&rlmx; a", "& a", "&#65;",
                                  "&#14; (removed from the HTML)", "&#x9F;"])
def test_other_references_are_left_alone(text):
    assert plain_words.refused_reference(text) is None


def test_markdown_html_holds_no_refused_character():
    """Validation refuses references to bidi and zero-width characters; the sanitiser
    removes them as well, and control characters (as it always did)."""
    html = MarkdownConverter()("Een &#x202E;tekst&#8203; met &rlm;*nadruk*&#14;&#x1b;")
    assert not plain_words.REFUSED.search(html)
    assert "tekst" in html and "<em>nadruk</em>" in html


def test_messages_show_invisible_characters_escaped():
    assert printable("ti\u200btle \u202e \u200f \ufeff") == "ti\\u200btle \\u202e \\u200f \\ufeff"


# Zero durations ----------------------------------------------------------------

def _walk_problems(node, value) -> list[str]:
    walk = _Walk(Problems(), path="f.yaml")
    walk.check(node, value, Location("f.yaml", 1, 1))
    return [problem.message for problem in walk.problems.sorted()]


@pytest.mark.parametrize("period", ["P0D", "PT0S", "P0Y", "P0Y0M0D", "P", "PT", "P00W"])
def test_a_period_of_no_time_is_refused(period):
    assert _walk_problems(DURATION, period) == [
        f"'{period}' is no time at all; expected an ISO 8601 duration such as P7Y or P6M, "
        "longer than zero"]


@pytest.mark.parametrize("period", ["P1D", "PT1S", "P10Y", "P0Y6M", "P1W"])
def test_a_period_of_some_time_is_accepted(period):
    assert _walk_problems(DURATION, period) == []


def test_the_cookie_expiry_session_is_not_a_period():
    expiry = VERSION_FILES["cookies.yaml"].fields["cookies"].node.item.fields["expiry"].node
    assert _walk_problems(expiry, "session") == []
    assert _walk_problems(expiry, "P0D") == [
        "'P0D' is no time at all; expected 'session' or an ISO 8601 duration such as P13M, "
        "longer than zero"]


# Wrong types say what is valid ------------------------------------------------

NAME = Str("Name", "Naam")
LINE = Text("Title", "Titel", line=True)


@pytest.mark.parametrize(("node", "value", "message"), [
    (NAME, date(2020, 1, 1), "expected a text, found the date 2020-01-01; to keep it as "
                             "text, put it in quotes: \"2020-01-01\""),
    (NAME, True, "expected a text, found 'true' (true/false); to keep a word as text, put it "
                 "in quotes, e.g. \"no\" (unquoted, YAML reads yes, no, on, off, true and "
                 "false as true or false)"),
    (DURATION, date(2020, 1, 1), "expected an ISO 8601 duration such as P7Y or P6M, found "
                                 "the date 2020-01-01; a period says how long, not until when"),
    (Str("Country code", pattern="^[A-Z]{2}$", hint="a two-letter country code such as NL"),
     False, "expected a two-letter country code such as NL, found 'false' (true/false); to "
            "keep a word as text, put it in quotes, e.g. \"no\" (unquoted, YAML reads yes, "
            "no, on, off, true and false as true or false)"),
])
def test_a_value_of_the_wrong_type_says_what_is_valid(node, value, message):
    assert _walk_problems(node, value) == [message]


def test_a_text_in_a_language_of_the_wrong_type_says_what_is_valid():
    from generator.content.located import YMap
    value = YMap(Location("f.yaml", 1, 1), "f.yaml")
    value.update(nl=date(2020, 1, 1), en="Title")
    assert _walk_problems(LINE, value) == [
        "expected a text in Dutch, found the date 2020-01-01; to keep it as text, put it in "
        "quotes: \"2020-01-01\""]


# NFC --------------------------------------------------------------------------

def test_texts_are_validated_in_nfc(content):
    """Texts typed with combining marks (e + U+0308) are the same texts, and give the same
    fingerprint, as those typed with ë."""
    from generator.pipeline import Project, load_and_validate
    project = Project.at(Path.cwd(), content=content)
    before = load_and_validate(project).versions[0].files["privacy.yaml"]
    path = content / "versions/2020-10-01/privacy.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("ë") >= 3
    path.write_text(text.replace("ë", "e\u0308"), encoding="utf-8")
    after = load_and_validate(project).versions[0].files["privacy.yaml"]
    assert fingerprint(after) == fingerprint(before)
    assert after["introduction"]["text"]["nl"] == before["introduction"]["text"]["nl"]
    assert "ë" in after["introduction"]["text"]["nl"]


def test_the_shipped_content_is_in_nfc():
    """So that normalising changes nothing the site shows."""
    for path in (ROOT / "content").rglob("*.yaml"):
        assert unicodedata.is_normalized("NFC", path.read_text(encoding="utf-8")), path
