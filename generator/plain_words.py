"""How validation words what it finds: a value described in plain words, the names
of the kinds of ids, and the characters no page can show."""

from __future__ import annotations

import re
from datetime import date

# Characters no page or feed can hold (XML 1.0 forbids C0 controls but tab and newlines;
# HTML treats C1 controls as errors), and the non-characters U+FFFE and U+FFFF.
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def unshowable(text: str) -> str | None:
    """The problem with a text holding a character no page can show, or None."""
    found = UNSHOWABLE.search(text)
    if found is None:
        return None
    return (f"this text holds the control character U+{ord(found.group()):04X}, which no page "
            "or feed can show; remove it (it often comes with text pasted from elsewhere)")


KIND_NAMES = {
    "purpose": "purpose", "purpose_group": "purpose group", "data_category": "data category",
    "recipient": "recipient", "cookie": "cookie",
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


def one_of(values) -> str:
    """Values as a list in a sentence: a, b, c."""
    return ", ".join(values)
