"""YAML syntax errors point at where the problem starts (``yaml_values._syntax_problem``):
an unclosed quote or bracket where it opened, not where the parser gave up, with what
is wrong, what would be right, and the line itself."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.yaml_values import parse_yaml
from generator.errors import Problems

from .conftest import ROOT


def problem_of(text: str) -> str:
    problems = Problems()
    assert parse_yaml(text.encode(), "f.yaml", problems) is None
    problem, = problems.sorted()
    return str(problem)


CLOSE_DOUBLE = "(write a \" inside it as \\\")"
CLOSE_SINGLE = "(write a ' inside it as '')"


@pytest.mark.parametrize(("text", "expected"), [
    ('a: 1\nb: "open\nc: 3\n',
     f'f.yaml:2:4: YAML syntax error: a text in quotes opened here with " is never closed; '
     f'end it with " {CLOSE_DOUBLE}; the line reads: b: "open'),
    ("a: 1\nb: 'open\nc: 3\n",
     "f.yaml:2:4: YAML syntax error: a text in quotes opened here with ' is never closed; "
     f"end it with ' {CLOSE_SINGLE}; the line reads: b: 'open"),
    ('summary:\n  nl: "Eerste versie.\n  en: "First version."\nx: 1\n',
     'f.yaml:2:7: YAML syntax error: a text in quotes opened here with " is not closed on '
     'this line: it runs on to the " at line 3, column 7; close it on this line (write a " '
     'inside it as \\"); the line reads:   nl: "Eerste versie.'),
    ("summary:\n  nl: 'Eerste versie.\n  en: 'First version.'\n",
     "f.yaml:2:7: YAML syntax error: a text in quotes opened here with ' is not closed on "
     "this line: it runs on to the ' at line 3, column 7; close it on this line (write a ' "
     "inside it as ''); the line reads:   nl: 'Eerste versie."),
    ('a: "he said "hi" to me"\n',
     'f.yaml:1:4: YAML syntax error: a text in quotes opened here with " is closed at column '
     '13, before the rest of the line; write a " inside it as \\"; the line reads: a: "he said '
     '"hi" to me"'),
    ("a: 1\nb: [x, y\nc: 3\n",
     "f.yaml:2:4: YAML syntax error: the list opened here with '[' is not closed: a ']' is "
     "missing (or a ',' between items) before line 3, column 2; the line reads: b: [x, y"),
    ("a: 1\nb: [x, y\n",
     "f.yaml:2:4: YAML syntax error: the list opened here with '[' is not closed: a ']' is "
     "missing (or a ',' between items) before the end of the file; the line reads: b: [x, y"),
    ("a: [\n",
     "f.yaml:1:4: YAML syntax error: the list opened here with '[' is not closed: a ']' is "
     "missing (or a ',' between items) before the end of the file; the line reads: a: ["),
    ("a: [x, [y, z]\n",
     "f.yaml:1:4: YAML syntax error: the list opened here with '[' is not closed: a ']' is "
     "missing (or a ',' between items) before the end of the file; the line reads: "
     "a: [x, [y, z]"),
    ("a: 1\nb: {x: 1, y: 2\nc: 3\n",
     "f.yaml:2:4: YAML syntax error: the mapping opened here with '{' is not closed: a '}' is "
     "missing (or a ',' between items) before line 3, column 2; the line reads: b: {x: 1, y: 2"),
    ("a: [1, {b: 2]\n",
     "f.yaml:1:8: YAML syntax error: the mapping opened here with '{' is not closed: a '}' is "
     "missing (or a ',' between items) before line 1, column 13; the line reads: a: [1, {b: 2]"),
    ("summary:\n  nl: Eerste\n  versie\n  en: x\n",
     "f.yaml:3:3: YAML syntax error: a key is missing its colon ':', or a text runs over a "
     "line without quotes; the line reads:   versie"),
    ("a: b: c\n",
     "f.yaml:1:5: YAML syntax error: a colon followed by a space (': ') cannot stand in a text "
     "without quotes; put the whole text in quotes (a: \"b: c\"), or write it on the lines "
     "after a '|'; the line reads: a: b: c"),
    ("a:\n  nl: Let op: \"x\"\n",
     "f.yaml:2:13: YAML syntax error: a colon followed by a space (': ') cannot stand in a "
     "text without quotes; put the whole text in quotes (nl: 'Let op: \"x\"'), or write it on "
     "the lines after a '|'; the line reads:   nl: Let op: \"x\""),
    ("a:\n  b: 1\n c: 2\n",
     "f.yaml:3:2: YAML syntax error: the indentation is off: this line does not line up with "
     "the keys above it; this line starts at column 2, the lines above it at column 3 (line 2) "
     "or 1 (line 1): start it at the column of the one it belongs with; the line reads:  c: 2"),
    ("a:\n  nl: x\n   en: y\n",
     "f.yaml:3:4: YAML syntax error: the indentation is off: this line is indented further "
     "than the key 'nl' at line 2, so it reads as the rest of that key's text; start this line "
     "at column 3, in line with 'nl'; the line reads:    en: y"),
    ("a:\n\tb: 1\n",
     "f.yaml:2:1: YAML syntax error: a tab is used to indent this line; YAML indents with "
     "spaces only: replace the tab by spaces; the line reads: \\tb: 1"),
    ("a:\n  b: 1\n\tc: 2\n",
     "f.yaml:3:1: YAML syntax error: a tab is used to indent this line; YAML indents with "
     "spaces only: replace the tab by spaces; the line reads: \\tc: 2"),
    ('a: "x\\q"\n',
     'f.yaml:1:6: YAML syntax error: a backslash in a text in double quotes starts an escape '
     'such as \\n; write a backslash as \\\\, or put the text in single quotes; the line '
     'reads: a: "x\\q"'),
], ids=["double", "single", "double-runs-on", "single-runs-on", "double-inside", "list",
        "list-at-end", "empty-list", "nested-list", "mapping", "mapping-in-list", "no-colon",
        "colon", "colon-with-quotes", "indentation", "indented-further", "tab", "tab-after-spaces",
        "escape"])
def test_a_syntax_error_names_where_it_starts(text, expected):
    assert problem_of(text) == expected


def test_a_long_line_is_shown_around_the_place():
    shown = problem_of('a: "' + "x" * 300 + "\n").rpartition("; the line reads: ")[2]
    assert shown == 'a: "' + "x" * 96 + "..."
    shown = problem_of("b: " + "y" * 300 + ": c\n").rpartition("; the line reads: ")[2]
    assert shown == "..." + "y" * 97 + ": c"


def _quotes_and_brackets() -> list[tuple[str, int, int, str]]:
    """Each closing quote and bracket of the shipped content: its file, where it and its
    opening are (offsets), and the opening character."""
    out = []
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        starts = [0, *(at + 1 for at, character in enumerate(text) if character == "\n")]
        opened = []
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            at = starts[token.start_mark.line] + token.start_mark.column
            end = starts[token.end_mark.line] + token.end_mark.column
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                out.append((str(path.relative_to(ROOT)), end - 1, at, token.style))
            elif isinstance(token, yaml.FlowSequenceStartToken | yaml.FlowMappingStartToken):
                opened.append(at)
            elif isinstance(token, yaml.FlowSequenceEndToken | yaml.FlowMappingEndToken):
                start = opened.pop()
                out.append((str(path.relative_to(ROOT)), at, start, text[start]))
    return out


def test_every_quote_and_bracket_left_open_in_the_shipped_content_is_named_where_it_opened():
    cases = _quotes_and_brackets()
    assert {opener for *_, opener in cases} == {"'", '"', "["}  # what the content uses
    for relative, closing, opening, opener in cases:
        text = (ROOT / relative).read_text(encoding="utf-8")
        broken = text[:closing] + text[closing + 1:]
        line = text.count("\n", 0, opening) + 1
        column = opening - (text.rfind("\n", 0, opening) + 1) + 1
        found = problem_of(broken)
        assert found.startswith(f"f.yaml:{line}:{column}: YAML syntax error: "), (relative, found)
        shown = opener if opener in "'\"" else f"'{opener}'"
        assert f"opened here with {shown} " in found, (relative, found)


@pytest.mark.parametrize(("text", "expected"), [
    ("a:\n  nl: Wij zijn #1 in service.\n  en: 'We are #1 in service.'\n",
     "f.yaml:2:16: this text stops before '#1 in service.': after a space, '#' starts a "
     "comment, which is left out of the text; if it belongs to the text, put the whole text "
     "in quotes (nl: \"Wij zijn #1 in service.\") or write it on the lines after a '|'; if it "
     "is a comment, put it on a line of its own; the line reads:   nl: Wij zijn #1 in service."),
    ("items:\n  en:\n    - Name # and address\n",
     "f.yaml:3:12: this text stops before '# and address': after a space, '#' starts a "
     "comment, which is left out of the text; if it belongs to the text, put the whole text "
     "in quotes (- \"Name # and address\") or write it on the lines after a '|'; if it is a "
     "comment, put it on a line of its own; the line reads:     - Name # and address"),
    ("a:\n  nl: Een\n    twee # drie\n",
     "f.yaml:3:10: this text stops before '# drie': after a space, '#' starts a comment, which "
     "is left out of the text; if it belongs to the text, put the whole text in quotes or "
     "write it on the lines after a '|'; if it is a comment, put it on a line of its own; the "
     "line reads:     twee # drie"),
], ids=["text", "list-item", "text-over-lines"])
def test_a_text_cut_short_by_a_comment_is_an_error(text, expected):
    problems = Problems()
    parse_yaml(text.encode(), "f.yaml", problems)
    assert [str(problem) for problem in problems.sorted()] == [expected]


@pytest.mark.parametrize("text", [
    "legal_basis: contract  # a comment after a value that is no text\n",
    "a:\n  nl: 'Wij zijn #1'  # a comment after a text in quotes\n",
    "a:\n  nl: |\n    Wij zijn #1 in a block, where '#' is text.\n",
    "a:\n  # a comment on its own line\n  nl: Wij#1, no space before it.\n",
])
def test_a_comment_that_cuts_no_text_is_allowed(text):
    problems = Problems()
    assert parse_yaml(text.encode(), "f.yaml", problems) is not None
    assert not problems


def test_no_shipped_content_file_has_a_text_cut_by_a_comment():
    for path in sorted((ROOT / "content").rglob("*.yaml")):
        problems = Problems()
        parse_yaml(path.read_bytes(), str(path), problems)
        assert not problems, [str(p) for p in problems.sorted()]


# Sentences as an editor writes them: words, with a '#' or ': ' somewhere inside.
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéë0123456789", min_size=1, max_size=8)
_WORDS = st.lists(_WORD, min_size=1, max_size=6).map(" ".join)


def _suggested(message: str) -> str:
    """The line the message suggests, in its parentheses after 'in quotes ('."""
    return message.split("in quotes (", 1)[1].split(") or write" if ") or write" in message
                                                  else "), or write", 1)[0]


@settings(max_examples=150, deadline=None)
@given(before=_WORDS, after=_WORDS, key=st.sampled_from(["nl", "en"]))
def test_the_quoted_line_a_cut_text_is_told_to_use_reads_the_whole_text(before, after, key):
    sentence = f"{before} #{after}"
    problems = Problems()
    parse_yaml(f"a:\n  {key}: {sentence}\n".encode(), "f.yaml", problems)
    problem, = problems.sorted()
    assert (problem.location.line, problem.location.column) == (2, 6 + len(key) + len(before))
    fixed = _suggested(problem.message)
    assert yaml.safe_load(f"a:\n  {fixed}\n") == {"a": {key: sentence}}


@settings(max_examples=150, deadline=None)
@given(before=_WORDS, after=_WORDS, key=st.sampled_from(["nl", "en", "title"]))
def test_the_quoted_line_a_colon_error_suggests_reads_the_whole_text(before, after, key):
    sentence = f"{before}: {after}"
    problem = problem_of(f"a:\n  {key}: {sentence}\n")
    assert problem.startswith("f.yaml:2:")
    fixed = _suggested(problem)
    assert yaml.safe_load(f"a:\n  {fixed}\n") == {"a": {key: sentence}}
