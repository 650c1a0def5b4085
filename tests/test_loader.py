"""The YAML reading's own parts (``generator/content/yaml_values.py``)."""

from __future__ import annotations

import json

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import yaml_values

SCALARS = ["yes", "No", "on", "OFF", "y", "~", "null", "", "true", "1", "-1_000", "0x1F",
           "0o17", "1.5", ".inf", "-.NaN", "1e3", "2020-10-01", "2020-10-01 12:00:00",
           "12:30:00", "=", "<<", "text", "1 april", "x" * 65, "1" * 65, "2020-10-01" + "x" * 60]


def tags(text: str, loader_class) -> list[str]:
    node = yaml.compose(text, Loader=loader_class)
    return [(key.tag, value.tag) for key, value in node.value]


def document(values: list[str]) -> str:
    """Each value as a key and as a value, plain where YAML allows it, and quoted."""
    lines = []
    for number, value in enumerate(values):
        plain = json.dumps(value) if not value or value != value.strip() or any(
            c in value for c in ":#{}[],&*!|>'\"%@`\n\\") or value[0] in "-?" else value
        lines += [f"k{number}: {plain}", f"{plain}: v",
                  f"q{number}: {json.dumps(value)}"]
    return "\n".join(lines) + "\n"


def test_remembered_tags_are_pyyamls_own():
    text = document(SCALARS)
    assert tags(text, yaml_values.YamlLoader) == tags(text, yaml_values._Loader)
    assert tags(text, yaml_values.YamlLoader) == tags(text, yaml_values._Loader)  # now remembered


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.text(alphabet="yesnotrufalYNOTF01234.56789-:_ex~ ", max_size=12),
                min_size=1, max_size=8, unique=True))
def test_remembered_tags_are_pyyamls_own_for_any_scalar(values):
    text = document(values)
    try:
        expected = tags(text, yaml_values._Loader)
    except yaml.YAMLError:
        return
    assert tags(text, yaml_values.YamlLoader) == expected


def test_a_file_repeated_in_later_versions_is_held_once(tmp_path):
    """Versions repeat most files unchanged: their bytes are one object (and parsed once)."""
    import shutil
    from pathlib import Path

    from generator.content.files import FileMemory, remembering
    from generator.content.loader import load_content
    from generator.errors import Problems
    root = Path(__file__).resolve().parent.parent
    content = tmp_path / "content"
    shutil.copytree(root / "content", content)
    versions = sorted((content / "versions").iterdir())
    shutil.copytree(versions[-1], versions[-1].with_name("2099-01-01"))
    with remembering(FileMemory()):  # as a build with its speedups reads
        loaded = load_content(content, Problems())
    last, copy = loaded.versions[-2], loaded.versions[-1]
    for name, raw in copy.raw.items():
        assert raw is last.raw[name]
        assert copy.files[name] is last.files[name]
