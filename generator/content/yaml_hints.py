"""What a YAML mistake means, in plain words, and how to fix it (for ``yaml_values``).

- A syntax error is located where it starts (an unclosed quote or bracket where it
  opened, not where the parser gave up) and named with its fix: a colon in a text
  without quotes (with the line as it should be written), a tab used to indent, a
  line indented more or less than the keys it belongs with (with the columns of the
  keys above it).
- A text cut short by ``#`` (``cut_by_comments``): after a space, ``#`` starts a
  comment, so ``nl: Wij zijn #1 in service`` silently holds "Wij zijn". A text in a
  language (a value of ``nl:`` or ``en:``, or an item of such a list) written without
  quotes and followed by a comment on its own line is reported: a comment is written
  on a line of its own.
"""

from __future__ import annotations

import re

import yaml

from generator.content.located import line_starts

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 32
LANGUAGE_KEYS = ("nl", "en")

TAB = ("a tab is used to indent this line; YAML indents with spaces only: replace the "
       "tab by spaces")
_HINTS = {
    "found character that cannot start any token":
        "a character here cannot start a value (a tab used for indentation? indent with spaces)",
    "mapping values are not allowed":
        "a colon followed by a space (': ') cannot stand in a text without quotes; put the "
        "whole text in quotes, or write it on the lines after a '|'",
    "could not find expected ':'":
        "a key is missing its colon ':', or a text runs over a line without quotes",
    "did not find expected key":
        "the indentation is off: this line does not line up with the keys above it",
    "expected <block end>":
        "the indentation is off: this line does not line up with the keys above it",
    "expected '-' indicator":
        "the indentation is off: this line does not line up with the list's items above it",
    "found unexpected end of stream":
        "the file ends inside a quoted text or a list: a closing quote or bracket is missing",
    "escape character":
        "a backslash in a text in double quotes starts an escape such as \\n; write a "
        "backslash as \\\\, or put the text in single quotes",
    "found undefined alias":
        "'*' starts an alias, which is not supported; put a text that starts with '*' in quotes",
    "exceeded maximum nesting depth": f"nesting is too deep (at most {MAX_DEPTH} levels)",
}
_INDENTATION = ("did not find expected key", "expected <block end>", "expected '-' indicator")
_FLOWS = {yaml.FlowSequenceStartToken: ("list", "[", "]"),
          yaml.FlowMappingStartToken: ("mapping", "{", "}")}
_FLOW_ENDS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken)
_QUOTED_QUOTE = {'"': '\\"', "'": "''"}  # a quote inside a text in such quotes


def syntax_problem(text: str, error: yaml.MarkedYAMLError) -> tuple[object, str]:
    """Where a YAML syntax error starts (a parser's mark, or None) and what is wrong
    there, in plain words: an unclosed quote or bracket where it opened, not where the
    parser gave up (the end of the file, or lines later)."""
    context, problem = str(error.context or ""), str(error.problem or "")
    opened, mark = error.context_mark, error.problem_mark
    if "nesting depth" in problem:
        return mark, _HINTS["exceeded maximum nesting depth"]
    if opened is not None and "quoted scalar" in context and "escape" not in problem:
        quote = line_of(text, opened)[opened.column]
        return opened, (f"a text in quotes opened here with {quote} is never closed; end it "
                        f"with {quote} (write a {quote} inside it as {_QUOTED_QUOTE[quote]})")
    if mark is not None and ("tab character" in problem
                             or "\t" in _indent_of(line_of(text, mark))):
        return mark, TAB
    before = _tokens_before(text, mark) if mark is not None else []
    quoted = before[-1] if before else None
    if (type(quoted) is yaml.ScalarToken and quoted.style in _QUOTED_QUOTE
            and quoted.end_mark.line == mark.line):  # a quote closed too early, or too late
        start, end, quote = quoted.start_mark, quoted.end_mark, quoted.style
        inside = f"write a {quote} inside it as {_QUOTED_QUOTE[quote]}"
        if start.line == end.line:
            return start, (f"a text in quotes opened here with {quote} is closed at column "
                           f"{end.column}, before the rest of the line; {inside}")
        return start, (f"a text in quotes opened here with {quote} is not closed on this line: "
                       f"it runs on to the {quote} at line {end.line + 1}, column {end.column}; "
                       f"close it on this line ({inside})")
    flows = []  # the brackets open at the mark, the innermost last
    for token in before if "flow" in context else ():
        if type(token) in _FLOWS:
            flows.append(token)
        elif type(token) in _FLOW_ENDS and flows:
            flows.pop()
    if flows:
        what, opener, closer = _FLOWS[type(flows[-1])]
        until = ("the end of the file" if not text[_offset(text, mark):].strip() else
                 f"line {mark.line + 1}, column {mark.column + 1}")
        return flows[-1].start_mark, (
            f"the {what} opened here with '{opener}' is not closed: a '{closer}' is missing "
            f"(or a ',' between items) before {until}")
    if opened is not None and "simple key" in context:
        mark = opened  # the line without its colon, not the line after it
    if "mapping values are not allowed" in problem and mark is not None:
        return _colon(text, mark, before)
    if mark is not None and any(known in problem for known in _INDENTATION):
        hint = next(_HINTS[known] for known in _INDENTATION if known in problem)
        return mark, hint + _columns_above(text, mark)
    for known, plain in _HINTS.items():
        if known in problem:
            return mark or opened, plain
    return mark or opened, problem or context


def _colon(text: str, mark, before: list) -> tuple[object, str]:
    """A colon the parser does not take: in a text without quotes, or on a line indented
    further than its key, which then reads as the rest of the text above it."""
    plain = _HINTS["mapping values are not allowed"]
    value = before[-1] if before else None
    if type(value) is not yaml.ScalarToken or value.style:
        return mark, plain
    if value.start_mark.line < mark.line:  # a plain text from a line above runs on to here
        key = before[-3] if len(before) >= 3 and type(before[-3]) is yaml.ScalarToken else None
        if key is None or type(before[-2]) is not yaml.ValueToken:
            return mark, plain
        line = line_of(text, mark)
        return _Mark(mark.line, len(_indent_of(line))), (
            f"the indentation is off: this line is indented further than the key "
            f"'{key.value}' at line {key.start_mark.line + 1}, so it reads as the rest of that "
            f"key's text; start this line at column {key.start_mark.column + 1}, in line with "
            f"'{key.value}'")
    line = line_of(text, value.start_mark)
    written = line[value.start_mark.column:].rstrip()
    if " #" in written or "\t" in written:
        return mark, plain
    example = f"{line[:value.start_mark.column].strip()} {_quoted(written)}"
    return mark, plain.replace("in quotes,", f"in quotes ({example}),")


def _quoted(text: str) -> str:
    """``text`` in the quotes that hold it as it is written."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _indent_of(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t"))]


def _columns_above(text: str, mark) -> str:
    """'; this line starts at column 3, the keys above it at column 5 (line 2) or 1
    (line 1)': the columns a line of a block may start at, from the lines above."""
    starts = line_starts(text)
    found, lowest = [], None
    for number in range(min(mark.line, len(starts)) - 1, -1, -1):
        line = line_of(text, _Mark(number))
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        column = len(line) - len(stripped)
        if lowest is None or column < lowest:
            found.append((column, number))
            lowest = column
        if column == 0 or len(found) == 3:
            break
    here = len(line_of(text, mark)) - len(line_of(text, mark).lstrip(" "))
    if not found or here in (column for column, _ in found):
        return ""
    columns = " or ".join(f"{column + 1} (line {number + 1})" for column, number in found)
    return (f"; this line starts at column {here + 1}, the lines above it at column "
            f"{columns}: start it at the column of the one it belongs with")


class _Mark:
    """A place as the parser marks one (0-based)."""

    def __init__(self, line: int, column: int = 0):
        self.line, self.column = line, column


def _tokens_before(text: str, mark) -> list:
    """The tokens of ``text`` that start before ``mark``, as far as they can be read."""
    tokens = []
    try:
        for token in yaml.scan(text, Loader=_Loader):
            if (token.start_mark.line, token.start_mark.column) >= (mark.line, mark.column):
                break
            tokens.append(token)
    except yaml.YAMLError:
        pass
    return tokens


def _offset(text: str, mark) -> int:
    starts = line_starts(text)
    return starts[mark.line] + mark.column if mark.line < len(starts) else len(text)


def line_of(text: str, mark) -> str:
    """The line of ``text`` that ``mark`` is on, as the parser counts lines."""
    starts = line_starts(text)
    if mark.line >= len(starts):
        return ""
    end = starts[mark.line + 1] if mark.line + 1 < len(starts) else len(text)
    return text[starts[mark.line]:end].rstrip("\r\n\x85\u2028\u2029")


def shown(line: str, column: int) -> str:
    """A line to show in a message, cut to the part around ``column`` when long."""
    line = line.rstrip()
    if len(line) <= 100:
        return line
    start = max(0, min(column - 60, len(line) - 100))
    return ("..." if start else "") + line[start:start + 100] + (
        "..." if start + 100 < len(line) else "")


# A line holding something, then a space or tab and '#': perhaps a text cut by a comment.
_MAYBE_CUT = re.compile(r"^[ \t]*[^\s#][^\n]*?[ \t]#", re.MULTILINE)
_COMMENT_AFTER = re.compile(r"[ \t]+#")


def cut_by_comments(text: str) -> list[tuple[int, int, str]]:
    """(line, column, message) for each text in a language (``nl:``/``en:``, or an item
    of their lists) written without quotes and followed by a comment on its line: the
    part after ' #' is not in the text. 0-based line and column of the '#'."""
    if " #" not in text and "\t#" not in text:
        return []
    lines = {text.count("\n", 0, found.start()) for found in _MAYBE_CUT.finditer(text)}
    if not lines:
        return []
    out = []
    stack: list[list] = []  # per open mapping/list: [is_mapping, key, expecting a key]
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind in (yaml.MappingStartEvent, yaml.SequenceStartEvent):
                key = stack[-1][1] if stack else None
                stack.append([kind is yaml.MappingStartEvent, key, True])
            elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                stack.pop()
                if stack and stack[-1][0]:
                    stack[-1][2] = True
            elif kind is yaml.ScalarEvent and stack:
                top = stack[-1]
                if top[0] and top[2]:
                    top[1], top[2] = event.value, False
                    continue
                if top[0]:
                    top[2] = True
                if (not event.style and top[1] in LANGUAGE_KEYS
                        and event.end_mark.line in lines):
                    found = _cut(text, event)
                    if found is not None:
                        out.append(found)
    except yaml.YAMLError:
        return out  # reported when the file is composed
    return out


def _cut(text: str, event) -> tuple[int, int, str] | None:
    line = line_of(text, event.end_mark)
    after = _COMMENT_AFTER.match(line, event.end_mark.column)
    if after is None:
        return None
    column = after.end() - 1
    left = line[column:].strip()
    start = event.start_mark.column if event.start_mark.line == event.end_mark.line else 0
    example = (f" ({line[:start].strip()} {_quoted(line[start:].rstrip())})"
               if event.start_mark.line == event.end_mark.line else "")
    return (event.end_mark.line, column,
            f"this text stops before '{shown(left, 0)}': after a space, '#' starts a comment, "
            f"which is left out of the text; if it belongs to the text, put the whole text in "
            f"quotes{example} or write it on the lines after a '|'; if it is a comment, put it "
            f"on a line of its own; the line reads: {shown(line, column)}")
