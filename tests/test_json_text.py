"""``json_text`` writes the bytes the standard library's ``json.dumps`` writes."""

from __future__ import annotations

import json
from datetime import date

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import json_text
from generator.content.located import LocalText, YList, YMap
from generator.content.model import _plain_leaf, fingerprint
from generator.errors import Location
from generator.export.api import _plain as plain


def stdlib_compact(data, default=None, sort_keys=False) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=sort_keys,
                      default=default).encode("utf-8")


def stdlib_indented(data) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")


def located_map(**items) -> YMap:
    mapping = YMap(0, "x.yaml")
    mapping.update(items)
    return mapping


TRICKY = [
    {},
    [],
    {"": ""},
    {"a": {}, "b": [], "c": [{}], "d": [[]]},
    "\x00\x01\x1f\x7f \" \\ / \b\f\n\r\t",
    "\u2028\u2029 é ë ß 中文 \U0001f600 \ufeff",
    "</script><!-- & -->",
    [True, False, None, 0, -1, 2**63 - 1, -(2**63)],
    {"z": 1, "a": {"y": [1, {"b": 2, "a": 1}], "x": None}, "é": 2, "e": 3, "Z": 4},
    located_map(name="Een", items=YList(0, "x.yaml")),
    {"text": LocalText({"nl": "Tekst", "en": "Text"}, Location("x.yaml", 1, 1)),
     "effective": date(2024, 2, 29), "dates": [date(1999, 12, 31)]},
]


@pytest.mark.parametrize("data", TRICKY, ids=range(len(TRICKY)))
def test_same_bytes_as_the_standard_library(data):
    for sort_keys in (False, True):
        assert json_text.compact(data, plain, sort_keys) == \
            stdlib_compact(data, plain, sort_keys)
    if not _needs_default(data):
        assert json_text.indented(data) == stdlib_indented(data)
        assert json_text.compact(data) == stdlib_compact(data)


def _needs_default(data) -> bool:
    try:
        json.dumps(data)
    except TypeError:
        return True
    return False


@pytest.mark.parametrize("data", [
    {1: "a key that is not a text"},
    {"big": 2**64},
    {"big": -(2**63) - 1},
], ids=["int key", "beyond 64 bits", "below -2**63"])
def test_what_orjson_refuses_the_standard_library_writes(data):
    assert json_text.compact(data, plain) == stdlib_compact(data, plain)
    assert json_text.indented(data) == stdlib_indented(data)


def test_nesting_deeper_than_orjson_takes():
    data: list = []
    for _ in range(300):
        data = [data]
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(data)
    assert json_text.compact(data) == stdlib_compact(data)
    assert json_text.indented(data) == stdlib_indented(data)


def test_errors_are_the_standard_library_s():
    with pytest.raises(TypeError, match="cannot export set"):
        json_text.compact({"a": {1}}, plain)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate, as before
        json_text.compact({"a": "\ud800"})
    with pytest.raises(TypeError, match="not JSON serializable"):
        json_text.indented({"when": date(2020, 1, 1)})  # no default: not written as text


def test_a_fingerprint_is_the_sha256_of_the_standard_library_s_canonical_json():
    import hashlib
    data = located_map(b=LocalText({"nl": "ë", "en": "e"}, Location("x.yaml", 1, 1)),
                       a=[date(2020, 1, 2), None, True])
    canonical = stdlib_compact(data, _plain_leaf, sort_keys=True)
    assert fingerprint(data) == "sha256:" + hashlib.sha256(canonical).hexdigest()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text()
    | st.dates(),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


@given(json_values)
def test_same_bytes_for_any_model_like_value(data):
    for sort_keys in (False, True):
        try:
            expected = stdlib_compact(data, plain, sort_keys)
        except UnicodeEncodeError:
            with pytest.raises(UnicodeEncodeError):
                json_text.compact(data, plain, sort_keys)
            continue
        assert json_text.compact(data, plain, sort_keys) == expected
