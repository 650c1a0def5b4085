"""JSON as bytes for the exports and the fingerprints, the same bytes as the standard
library's ``json.dumps(..., ensure_ascii=False)`` gives, written by orjson.

A cold build of a long history writes thousands of JSON texts, and orjson writes
them much faster than the standard library (whose encoder is pure Python for
indented JSON); the figures are in docs/performance.md. orjson writes the same text
for what the model holds: ``str`` (and its subclasses), ``int``, ``bool``, ``None``,
``dict`` and ``list`` (and their subclasses), with ``ensure_ascii=False``'s escapes.
Dates and dataclasses (``LocalText``) are passed to ``default``, as the standard
library passes them. Anything orjson refuses (a key that is not a text, an integer
beyond 64 bits, a lone surrogate, nesting deeper than 254) is written by the
standard library instead, so the output never depends on which one wrote it.
The model holds no floats (the validator reads numbers as text), whose exponent
the two would write differently.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import orjson

_PASS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def compact(data, default: Callable | None = None, sort_keys: bool = False) -> bytes:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``, UTF-8."""
    try:
        return orjson.dumps(data, default,
                            _PASS | orjson.OPT_SORT_KEYS if sort_keys else _PASS)
    except TypeError:  # orjson.JSONEncodeError: let the standard library decide
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"),
                          sort_keys=sort_keys, default=default).encode("utf-8")


def indented(data) -> bytes:
    """``json.dumps(data, indent=2, ensure_ascii=False)``, UTF-8."""
    try:
        return orjson.dumps(data, None, _PASS | orjson.OPT_INDENT_2)
    except TypeError:
        return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
