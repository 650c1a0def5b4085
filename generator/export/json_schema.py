"""JSON Schema (draft 2020-12) of every content file, generated from ``schema.py``.

The validator and this export walk the same declarations, so an editor's
completion and inline errors match what the build says. What a schema cannot
express stays with the validator only: ids unique per kind, references to ids
that exist, the same number of list items in each language, and the rule that
only the newest version may be a draft.

Descriptions: VS Code's YAML extension (Red Hat) shows ``description`` (or
``markdownDescription``) on hover and in completion and ignores unknown
keywords, so ``description`` carries both languages ("English text", then "NL:
Nederlandse tekst", on two lines) for people, and ``x-description-en``/``x-description-nl``
carry each language separately for programs.

Files are written by ``python build.py schema`` into ``content/schema/``,
where each content file's ``yaml-language-server`` modeline points.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator.content.schema import (
    DATE_PATTERN,
    FIXED_IDS,
    ID_PATTERN,
    LANGUAGE_NAMES,
    LANGUAGES,
    SITE,
    SITE_FILE,
    VERSION_FILES,
    Bool,
    Date,
    Enum,
    Id,
    ListOf,
    Mapping,
    Node,
    Record,
    Ref,
    Str,
    Text,
    TextList,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FOLDER = "schema"  # inside the content folder
NOT_BLANK = r"\S"
ONE_LINE = r"^\s*[^\n\r]*\S[^\n\r]*\s*$"


def schema_file_name(content_file: str) -> str:
    """``purposes.yaml`` -> ``purposes.schema.json``."""
    return content_file.removesuffix(".yaml") + ".schema.json"


def _describe(node: Node) -> dict:
    if not node.en:
        return {}
    out = {"description": f"{node.en}\n\nNL: {node.nl}" if node.nl else node.en,
           "x-description-en": node.en}
    if node.nl:
        out["x-description-nl"] = node.nl
    return out


def _text_value(line: bool) -> dict:
    # The validator reads numbers as text and strips spaces before checking.
    return {"type": ["string", "number"], "pattern": ONE_LINE if line else NOT_BLANK}


def _languages(value: dict, node: Node) -> dict:
    return {
        "type": "object",
        "properties": {lang: {**value, "description": f"{node.en or 'Text'} in "
                                                     f"{LANGUAGE_NAMES[lang]}"}
                       for lang in LANGUAGES},
        "required": list(LANGUAGES),
        "additionalProperties": False,
    }


def node_schema(node: Node) -> dict:
    """The JSON Schema of one declaration (without the file-level keywords)."""
    out = _describe(node)
    if isinstance(node, Str):
        if node.numbers:
            out.update(type=["string", "integer"], pattern=node.pattern,
                       minimum=node.numbers[0], maximum=node.numbers[1])
        elif node.pattern:
            out.update(type="string", pattern=node.pattern)
        else:
            out.update(type=["string", "number"], pattern=NOT_BLANK)
        out["maxLength"] = node.max_length
    elif isinstance(node, Text):
        out.update(_languages(_text_value(node.line), node))
    elif isinstance(node, TextList):
        out.update(_languages({"type": "array", "minItems": 1,
                               "items": _text_value(False)}, node))
    elif isinstance(node, Enum):
        out["enum"] = list(node.values)
    elif isinstance(node, Bool):
        out["type"] = "boolean"
    elif isinstance(node, Date):
        out.update(type="string", format="date", pattern=DATE_PATTERN)
    elif isinstance(node, Id):
        out.update(type="string", pattern=node.pattern)
    elif isinstance(node, Ref):
        out["type"] = "string"
        if node.kind in FIXED_IDS:  # offered by the editor; an own id is declared
            out["anyOf"] = [{"enum": list(FIXED_IDS[node.kind])}, {"pattern": ID_PATTERN}]
    elif isinstance(node, ListOf):
        out.update(type="array", items=node_schema(node.item))
        if node.min_items:
            out["minItems"] = node.min_items
        if node.unique:
            out["uniqueItems"] = True
    elif isinstance(node, Record):
        record = {
            "type": "object",
            "properties": {name: _field_schema(spec.node, spec.required, spec.default)
                           for name, spec in node.fields.items()},
            "required": [name for name, spec in node.fields.items() if spec.required],
            "additionalProperties": False,
        }
        if not record["required"]:
            del record["required"]
        if node.one_of:
            record["oneOf"] = [{"required": [key], "properties": {key: {"not": {"type": "null"}}}}
                               for key in node.one_of]
        if node.required_when:
            record["allOf"] = [{"if": {"properties": {key: {"const": wanted}},
                                       "required": [key]},
                                "then": {"required": [needed]}}
                               for key, wanted, needed in node.required_when]
        if node.literal is not None:
            out["anyOf"] = [{"const": node.literal}, record]
        else:
            out.update(record)
    elif isinstance(node, Mapping):
        out.update(type="object",
                   properties={key: node_schema(node.value) for key in node.keys},
                   additionalProperties=False)
    else:  # pragma: no cover - a new declaration type must be added here
        raise TypeError(f"no JSON Schema for {type(node).__name__}")
    return out


def _field_schema(node: Node, required: bool, default: object) -> dict:
    out = node_schema(node)
    if required:
        return out
    # An optional key may be left empty (``key:``): the validator treats it as absent.
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    elif "anyOf" in out:
        out["anyOf"] = [*out["anyOf"], {"type": "null"}]
    else:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*types, "null"]
    if default is not None and default != ():
        out["default"] = default
    return out


def file_schema(name: str) -> dict:
    """The schema of one content file by name: ``site.yaml`` or a version file."""
    declaration = SITE if name == SITE_FILE else VERSION_FILES.get(name)
    if declaration is None:
        raise KeyError(f"unknown content file '{name}'; expected one of: "
                       + ", ".join(content_files()))
    return {
        "$schema": DIALECT,
        "title": name,
        "$comment": "Generated from generator/content/schema.py by 'python build.py schema'; "
                    "do not edit by hand.",
        **node_schema(declaration),
    }


def content_files() -> list[str]:
    return [SITE_FILE, *VERSION_FILES]


def all_schemas() -> dict[str, dict]:
    """Content file name -> its schema, for every content file."""
    return {name: file_schema(name) for name in content_files()}


def schema_text(name: str) -> str:
    return json.dumps(file_schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(content: Path) -> list[Path]:
    """Write ``<content>/schema/<name>.schema.json`` for every content file."""
    folder = content / SCHEMA_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in content_files():
        path = folder / schema_file_name(name)
        text = schema_text(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
