"""How validation words what it finds: a value described in plain words, what to
write instead, the names of the kinds of ids, and the characters a text may not
hold.

Texts may not hold characters that change how the text around them displays or
that do not display at all: bidirectional controls (embeddings, overrides,
isolates and direction marks, which make a text show in another order than it
is written: "Intro\\u202eshopping" shows as "Intrognippohs") and zero-width
characters. Zero-width characters are refused, not warned about: they are
invisible in the editor, in review and on the page, yet make texts that look the
same differ (comparisons, change lists, searches on the site); Dutch and English
need none of them (the joiners matter in scripts and emoji sequences these
statements do not use); and a warning in a build's output goes unread where a
refusal is fixed before the text is published.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from datetime import date

from generator.content.schema import DATA_SUBJECTS, DURATION_PATTERN, LANGUAGE_NAMES, LANGUAGES

# Characters no page or feed can hold (XML 1.0 forbids C0 controls but tab and newlines;
# HTML treats C1 controls as errors), and the non-characters U+FFFE and U+FFFF.
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_OVERRIDES = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates, their ends
_MARKS = "\u061c\u200e\u200f"  # direction marks
_INVISIBLE = "\u200b-\u200d\u2060-\u2064\u206a-\u206f\ufeff"  # zero-width, deprecated
HIDDEN = re.compile(f"[{_OVERRIDES}{_MARKS}{_INVISIBLE}]")
# Every character a text may not hold: one search per text, as cheap as either alone
REFUSED = re.compile(f"[{UNSHOWABLE.pattern[1:-1]}{HIDDEN.pattern[1:-1]}]")
# A character reference, which Markdown's HTML turns into its character
_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


def refusal(text: str) -> tuple[int, str, str] | None:
    """The first character ``text`` may not hold: where, as written (the character),
    and which; or None."""
    found = REFUSED.search(text)
    return None if found is None else (found.start(), found.group(), found.group())


def refused(character: str, holds: str = "") -> str:
    """Why a text may not hold ``character`` (one ``REFUSED`` matches), named;
    ``holds`` says how the text holds it."""
    code = ord(character)
    if UNSHOWABLE.match(character):
        return (f"{holds or 'this text holds'} the control character U+{code:04X}, which "
                "no page or feed can show; remove it (it often comes with text pasted from "
                "elsewhere)")
    if character == "\u202e":
        effect = "which reverses how the text after it displays"
    elif re.match(f"[{_OVERRIDES}]", character):
        effect = ("which changes the direction the text after it displays in, so that it "
                  "shows in another order than it is written")
    elif re.match(f"[{_MARKS}]", character):
        effect = "an invisible direction mark, which changes how the text around it is ordered"
    else:
        effect = ("an invisible character, which makes texts that look the same differ "
                  "(in comparisons, change lists and searches)")
    named = f"U+{code:04X} {unicodedata.name(character, '')}".rstrip()
    return (f"{holds or 'this text contains'} {named}, {effect}; remove it (it often comes "
            "with text pasted from elsewhere)")


def refused_reference(text: str) -> tuple[int, str, str] | None:
    """A character reference in a Markdown text (``&#x202E;``, ``&rlm;``), which its HTML
    turns into the character, to a bidirectional control or zero-width character: where,
    as written (the reference), and which; or None. (A reference to a control character,
    which no page can show, is removed from the HTML, as it always was: ``text.sanitise``.)"""
    for found in _REFERENCE.finditer(text):
        character = _referred(found.group())
        if len(character) == 1 and HIDDEN.match(character):
            return found.start(), found.group(), character
    return None


def _referred(reference: str) -> str:
    """The character a reference stands for in HTML (where, unlike ``html.unescape``,
    a control character's number gives the character)."""
    number = reference[2:].rstrip(";")
    if reference[1] == "#":
        code = int(number[1:], 16) if number[0] in "xX" else int(number)
        if 0 < code < 0x80 or 0x9F < code < 0x110000:  # 0x80-0x9F: windows-1252's
            return chr(code)
    return html.unescape(reference)


def no_time(value: str, pattern: str) -> bool:
    """Whether ``value``, matching ``pattern``, is an ISO 8601 duration of no time at all
    (P0D, PT0S)."""
    return DURATION_PATTERN[1:-1] in pattern and re.search("[1-9]", value) is None


KIND_NAMES = {
    "purpose": "purpose", "purpose_group": "purpose group", "data_category": "data category",
    "recipient": "recipient", "cookie": "cookie", "data_subject": "category of data subjects",
}


def describe(value) -> str:
    """What a value is, in plain words."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text '{shown}'"
    if isinstance(value, dict):
        return "a mapping (key: value)"
    if isinstance(value, list):
        return "a list"
    return "an unexpected value"


def not_text(value, pattern: str | None = None, form: str = "", in_language: str = "") -> str:
    """``value`` read where a text belongs: one ``in_language``, or one of the ``form``
    that ``pattern`` checks."""
    if not pattern:
        expected = f"a text in {in_language}" if in_language else "a text"
        return f"expected {expected}, found {describe(value)}{as_text(value)}"
    fix = (as_text(value) if isinstance(value, bool) else
           "; a period says how long, not until when" if isinstance(value, date)
           and DURATION_PATTERN[1:-1] in pattern else "")
    return f"expected {form[0].lower() + form[1:]}, found {describe(value)}{fix}"


def as_text(value) -> str:
    """What to write where a text belongs and ``value`` was read: the end of a message."""
    if isinstance(value, bool):
        return ("; to keep a word as text, put it in quotes, e.g. \"no\" (unquoted, YAML reads "
                "yes, no, on, off, true and false as true or false)")
    if isinstance(value, date):
        return f"; to keep it as text, put it in quotes: \"{value.isoformat()}\""
    if value is None:
        return "; write the text after its key (or its '- ')"
    return ("; write the text itself, e.g. \"A text\" (in quotes when it starts with [, {, "
            "- or # or holds ': ')")


def one_of(values) -> str:
    """Values as a list in a sentence: a, b, c."""
    return ", ".join(values)


def _close_to(word: str, words) -> str:
    """The question "did you mean 'x'? ", x the one of ``words`` closest to ``word``, or
    nothing."""
    close = difflib.get_close_matches(word, list(words), n=1)
    return f"did you mean '{close[0]}'? " if close else ""


IN_EACH_LANGUAGE = ("a text in each language ("
                    + ", ".join(f"{lang}: ..." for lang in LANGUAGES) + ")")


def unknown_language(key: str) -> str:
    return f"unknown language '{key}'; expected: {one_of(LANGUAGES)}"


def missing_language(given: str, lang: str) -> str:
    """A text in the language ``given`` and not in ``lang``."""
    return (f"text has {LANGUAGE_NAMES[given]} ({given}) but no {LANGUAGE_NAMES[lang]} "
            f"({lang}); add '{lang}:' with the translation")


def counts_differ(counts: dict) -> str:
    """Lists of texts of different lengths in each language."""
    return ("the languages list a different number of items ("
            + ", ".join(f"{k}: {v}" for k, v in counts.items()) + "); translate item by item")


def used_twice(kind: str, ident: str, first: int) -> str:
    return (f"{KIND_NAMES[kind]} id '{ident}' is used twice (first at line {first}); "
            "ids must be unique")


def mapping_of(keys, literal: str | None = None) -> str:
    """A mapping expected, with its keys (or the word ``literal``)."""
    *others, last = keys
    return (f"a mapping (key: value lines) of the keys {one_of(others)} and {last}"
            if others else f"a mapping (key: value lines) of the key {last}") + (
        f", or the word '{literal}'" if literal is not None else "")


def not_one_of(label: str, value, values) -> str:
    """A value of a fixed list that is none of them."""
    shown = f"'{value}'" if isinstance(value, str) else describe(value)
    close = _close_to(str(value), values)
    return f"{label} {shown} is not one of: {one_of(values)}" + (
        f" ({close.rstrip()})" if close else "")


def unknown_key(key: str, allowed) -> str:
    return f"unknown key '{key}'; {_close_to(key, allowed)}expected one of: {one_of(allowed)}"


def bad_id(kind: str, value) -> str:
    """An id of ``kind`` that is not written as one."""
    shown = f"'{value}'" if isinstance(value, str) else describe(value)
    rule = ("lower-case letters a-z, digits and single hyphens, e.g. order-processing"
            if kind != "cookie" else "letters, digits, '_', '.' and '-'")
    if kind == "data_subject" and value in DATA_SUBJECTS:
        return (f"{shown} is one of the fixed categories of data subjects; name it in a "
                "purpose's 'data_subjects:' without declaring it here")
    return f"{shown} is not a valid {KIND_NAMES[kind]} id; use {rule}"


def dangling(kind: str, ref: str, known) -> str:
    """A reference to an id of ``kind`` that is not among the ``known``."""
    return (f"{KIND_NAMES[kind]} '{ref}' does not exist; {_close_to(ref, known)}known "
            f"{KIND_NAMES[kind]} ids: {one_of(sorted(known)) or 'none'}")


def record_rules(node, value, add) -> None:
    """A record's rules across its keys (``Record.one_of``, ``Record.required_when``),
    each broken one added, located: ``add(where, message)``."""
    given = [key for key in node.one_of if value.get(key) is not None]
    if node.one_of and len(given) != 1:
        where = value.key_marks[given[1]] if len(given) > 1 else value.start
        add(where, f"give '{given[0]}' or '{given[1]}', not both (one of them only)"
            if given else f"missing key: give one of {one_of(node.one_of)}")
    for key, wanted, needed in node.required_when:
        if value.get(key) == wanted and value.get(needed) is None:
            said = node.fields[needed].node.en
            add(value.key_marks[key], f"'{key}: {wanted}' needs '{needed}:' too "
                                      f"({said[:1].lower() + said[1:]})")
