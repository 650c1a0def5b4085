"""YAML syntax errors point at where the problem starts (``yaml_values._syntax_problem``):
an unclosed quote or bracket where it opened, not where the parser gave up, with what
is wrong, what would be right, and the line itself."""

from __future__ import annotations

import pytest
import yaml

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
     "f.yaml:1:5: YAML syntax error: a colon ':' is not allowed here; put the value in quotes "
     "if it contains ': '; the line reads: a: b: c"),
    ("a:\n  b: 1\n c: 2\n",
     "f.yaml:3:2: YAML syntax error: the indentation is off: this line does not line up with "
     "the keys above it; the line reads:  c: 2"),
    ('a: "x\\q"\n',
     'f.yaml:1:6: YAML syntax error: a backslash in a text in double quotes starts an escape '
     'such as \\n; write a backslash as \\\\, or put the text in single quotes; the line '
     'reads: a: "x\\q"'),
], ids=["double", "single", "double-runs-on", "single-runs-on", "double-inside", "list",
        "list-at-end", "empty-list", "nested-list", "mapping", "mapping-in-list", "no-colon",
        "colon", "indentation", "escape"])
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
    assert {opener for *_, opener in cases} == {"'", "["}  # what the content uses
    for relative, closing, opening, opener in cases:
        text = (ROOT / relative).read_text(encoding="utf-8")
        broken = text[:closing] + text[closing + 1:]
        line = text.count("\n", 0, opening) + 1
        column = opening - (text.rfind("\n", 0, opening) + 1) + 1
        found = problem_of(broken)
        assert found.startswith(f"f.yaml:{line}:{column}: YAML syntax error: "), (relative, found)
        shown = opener if opener in "'\"" else f"'{opener}'"
        assert f"opened here with {shown} " in found, (relative, found)
