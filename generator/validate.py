"""Stage 2, validate: check loaded values against the declarations in ``schema.py``.

The walk returns normalised values (defaults filled in, texts as
:class:`LocalText`) that still carry their locations, and adds a located,
plain-words problem for everything wrong: unknown or missing keys, wrong
types, values outside a list, texts missing in a language, duplicate ids and
references to ids that do not exist. All problems are collected; nothing
stops at the first.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import date

from .errors import Location, Problems
from .loader import LoadedContent
from .located import LocalText, YList, YMap, located, position
from .plain_words import KIND_NAMES, describe, one_of, unshowable
from .schema import (
    LANGUAGE_NAMES,
    LANGUAGES,
    SITE,
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
from .validated_pieces import Pieces


@dataclass
class _Walk:
    problems: Problems
    ids: dict[str, dict[str, Location]] = field(default_factory=dict)
    refs: list[tuple[str, str, object, str]] = field(default_factory=list)
    declared: list[tuple[str, str, object]] = field(default_factory=list)  # ids, in order
    # The file being walked. The loader's maps and lists keep packed positions (see
    # located.py): the walk passes them on as they are ("where": one or a Location) and makes
    # a Location of one only for a problem, an id or a value's place in the result.
    path: str = ""
    # Pieces (``check_alone``): the file's mapping, the ids of its lists, and what the
    # pieces of the file of this name validated before gave (``validated_pieces``)
    top: object = None
    top_lists: frozenset = frozenset()
    pieces: Pieces | None = None

    def check(self, node: Node, value, loc):
        return _HANDLERS[type(node)](self, node, value, loc)

    def _add(self, where, message: str) -> None:
        self.problems.add(located(self.path, where), message)

    def _wrong(self, loc: Location, expected: str, value) -> None:
        self._add(loc, f"expected {expected}, found {describe(value)}")

    # scalars ---------------------------------------------------------------
    def _str(self, node: Str, value, loc: Location):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return self._wrong(loc, "a text", value)
        value = value.strip()
        if not value:
            self._add(loc, "this text is empty; fill it in or leave the key out "
                                   "if it is optional")
            return None
        if len(value) > node.max_length:
            self._add(loc, f"text is longer than {node.max_length} characters")
            return None
        if unshowable(value):
            self._add(loc, unshowable(value))
            return None
        if node.pattern and not re.fullmatch(node.pattern, value, flags=re.ASCII):
            self._add(loc, f"'{value}' is not valid here; expected "
                                   f"{node.hint or node.en.lower()}")
            return None
        return value

    def _enum(self, node: Enum, value, loc: Location):
        if not isinstance(value, str) or value not in node.values:
            shown = f"'{value}'" if isinstance(value, str) else describe(value)
            close = difflib.get_close_matches(str(value), node.values, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            label = node.en.partition(":")[0].lower()  # "Status: released, or draft ..."
            self._add(loc, f"{label} {shown} is not one of: "
                                   f"{one_of(node.values)}{hint}")
            return None
        return value

    def _bool(self, node: Bool, value, loc: Location):
        if not isinstance(value, bool):
            return self._wrong(loc, "true or false", value)
        return value

    def _date(self, node: Date, value, loc: Location):
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return self._wrong(loc, "a date written as YYYY-MM-DD", value)

    def _id(self, node: Id, value, loc: Location):
        if not isinstance(value, str) or not re.fullmatch(node.pattern, value, flags=re.ASCII):
            shown = f"'{value}'" if isinstance(value, str) else describe(value)
            rule = ("lower-case letters a-z, digits and single hyphens, e.g. order-processing"
                    if node.kind != "cookie" else "letters, digits, '_', '.' and '-'")
            self._add(loc, f"{shown} is not a valid {KIND_NAMES[node.kind]} id; "
                                   f"use {rule}")
            return None
        return value if self.declare(node.kind, value, loc) else None

    def declare(self, kind: str, value: str, where) -> bool:
        """Record an id of ``kind`` found at ``where`` in the file walked; False (and a
        problem) when this version has it already."""
        known = self.ids.setdefault(kind, {})
        if value in known:
            self._add(where, f"{KIND_NAMES[kind]} id '{value}' is used twice "
                             f"(first at line {known[value].line}); ids must be unique")
            return False
        known[value] = located(self.path, where)
        self.declared.append((kind, value, where))
        return True

    def check_once(self, node: Node, value, loc) -> tuple[object, tuple | None]:
        """``check``, and what it declared and referred to (for ``replay``), or None when
        it found a problem: only what validated without one is taken again."""
        problems, declared, refs = len(self.problems), len(self.declared), len(self.refs)
        checked = self.check(node, value, loc)
        if len(self.problems) != problems:
            return checked, None
        return checked, (self.declared[declared:], self.refs[refs:])

    def replay(self, declared: list, refs: list) -> None:
        """The ids and references of values validated before (``check_once``), declared
        and made again in the file walked (an id declared twice is reported as if
        walked)."""
        for kind, ident, where in declared:
            self.declare(kind, ident, position(where))
        self.refs.extend((kind, ref, position(where), self.path) for kind, ref, where, _ in refs)

    def _ref(self, node: Ref, value, loc: Location):
        if not isinstance(value, str):
            return self._wrong(loc, f"the id of a {KIND_NAMES[node.kind]}", value)
        self.refs.append((node.kind, value, loc, self.path))
        return value

    # texts -----------------------------------------------------------------
    def _languages(self, value, loc: Location) -> YMap | None:
        if not isinstance(value, YMap):
            self._wrong(loc, "a text in each language ("
                        + ", ".join(f"{lang}: ..." for lang in LANGUAGES) + ")", value)
            return None
        for key in value:
            if key not in LANGUAGES:
                self._add(value.key_marks[key], f"unknown language '{key}'; "
                                  f"expected: {one_of(LANGUAGES)}")
        present = [lang for lang in LANGUAGES if lang in value]
        for lang in LANGUAGES:
            if lang not in value and present:
                given = present[0]
                self._add(value.start, f"text has {LANGUAGE_NAMES[given]} ({given}) but "
                                             f"no {LANGUAGE_NAMES[lang]} ({lang}); add '{lang}:'"
                                             " with the translation")
        return value

    def _text(self, node: Text, value, loc: Location):
        langs = self._languages(value, loc)
        if langs is None:
            return None
        out = {}
        for lang in LANGUAGES:
            if lang not in langs:
                continue
            text = langs[lang]
            where = langs.where(lang)
            if isinstance(text, int | float) and not isinstance(text, bool):
                text = str(text)
            if not isinstance(text, str):
                self._wrong(where, f"a text in {LANGUAGE_NAMES[lang]}", text)
                continue
            text = text.strip()
            if not text:
                self._add(where, f"the {LANGUAGE_NAMES[lang]} text is empty")
                continue
            if node.line and "\n" in text:
                self._add(where, "this text must be a single line")
                continue
            if unshowable(text):
                self._add(where, unshowable(text))
                continue
            out[lang] = text
        if len(out) != len(LANGUAGES):
            return None
        return LocalText(out, located(self.path, value.start), markdown=not node.line)

    def _textlist(self, node: TextList, value, loc: Location):
        langs = self._languages(value, loc)
        if langs is None:
            return None
        out = {}
        for lang in LANGUAGES:
            items = langs.get(lang)
            where = langs.where(lang)
            if lang not in langs:
                continue
            if not isinstance(items, list) or not items:
                self._wrong(where, f"a list of items in {LANGUAGE_NAMES[lang]}", items)
                continue
            cleaned = [self._str(Str(), item, items.where(i)) for i, item in enumerate(items)]
            if None not in cleaned:
                out[lang] = cleaned
        if len(out) != len(LANGUAGES):
            return None
        counts = {lang: len(items) for lang, items in out.items()}
        if len(set(counts.values())) > 1:
            self._add(value.start, "the languages list a different number of items ("
                              + ", ".join(f"{k}: {v}" for k, v in counts.items())
                              + "); translate item by item")
            return None
        return LocalText(out, located(self.path, value.start), markdown=False)

    # containers ------------------------------------------------------------
    def _listof(self, node: ListOf, value, loc: Location):
        if not isinstance(value, YList):
            return self._wrong(loc, "a list (lines starting with '- ')", value)
        out = YList(value.start, self.path)
        pieces = id(value) in self.top_lists
        seen: dict = {}
        for index, item in enumerate(value):
            item_loc = value.where(index)
            checked = (self.pieces.check(self, node.item, item, item_loc) if pieces else
                       self.check(node.item, item, item_loc))
            if node.unique and isinstance(checked, str):
                if checked in seen:
                    self._add(item_loc, f"'{checked}' is listed twice")
                    continue
                seen[checked] = True
            out.append(checked)
            out.item_locs.append(item_loc)
        if len(value) < node.min_items:
            self._add(value.start, f"list is empty; give at least {node.min_items}")
        return out

    def _unknown_keys(self, value: YMap, allowed) -> None:
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(key, list(allowed), n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self._add(value.key_marks[key], f"unknown key '{key}'; {hint}expected "
                                  f"one of: {one_of(allowed)}")

    def _record(self, node: Record, value, loc: Location):
        if node.literal is not None and value == node.literal:
            return node.literal
        if not isinstance(value, YMap):
            expected = "a mapping (key: value lines)"
            if node.literal is not None:
                expected += f" or the word '{node.literal}'"
            return self._wrong(loc, expected, value)
        self._unknown_keys(value, node.fields)
        out = YMap(value.start, self.path)
        out.key_marks = value.key_marks
        for name, spec in node.fields.items():
            if name not in value or value[name] is None:
                if spec.required and name in value:
                    self._add(value.key_marks[name], f"key '{name}' has no value; "
                                      f"expected {spec.node.en.lower()}")
                elif spec.required:
                    self._add(value.start, f"missing key '{name}' ({spec.node.en.lower()})")
                out[name] = spec.default
                continue
            out[name] = (self.pieces.check(self, spec.node, value[name], value.where(name))
                         if value is self.top else
                         self.check(spec.node, value[name], value.where(name)))
        out.value_marks = value.value_marks  # the same places: share them
        return out

    def _mapping(self, node: Mapping, value, loc: Location):
        if not isinstance(value, YMap):
            return self._wrong(loc, "a mapping (key: value lines)", value)
        self._unknown_keys(value, node.keys)
        out = YMap(value.start, self.path)
        out.key_marks, out.value_marks = value.key_marks, value.value_marks
        for key in value:
            if key in node.keys:
                out[key] = self.check(node.value, value[key], value.where(key))
        return out


# The walk's method for each kind of declaration: _Walk._str for Str, and so on.
_HANDLERS = {kind: getattr(_Walk, "_" + kind.__name__.lower())
             for kind in (Str, Enum, Bool, Date, Id, Ref, Text, TextList, ListOf, Record, Mapping)}


def _resolve_refs(walk: _Walk) -> None:
    for kind, ref, where, path in walk.refs:
        known = walk.ids.get(kind, {})
        if ref not in known:
            close = difflib.get_close_matches(ref, list(known), n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            walk.problems.add(located(path, where), f"{KIND_NAMES[kind]} '{ref}' does not "
                              f"exist; {hint}known {KIND_NAMES[kind]} ids: "
                              f"{one_of(sorted(known)) or 'none'}")


@dataclass(slots=True)
class Checked:
    """A file validated on its own where it was parsed, ahead of the versions that hold
    it (``check_alone``): its values, the ids it declares, the references it makes."""
    value: object
    declared: list
    refs: list


def check_alone(name: str, parsed, path: str) -> Checked | None:
    """File ``name`` of a version, parsed from ``path``, validated as if no other file
    declared an id; None when that found a problem (the file is then walked with its
    version's files, where each problem is reported). The loader asks for this only of
    bytes that no file of another name holds."""
    walk = _Walk(Problems(), path=path, top=parsed, pieces=Pieces.of(name))
    if isinstance(parsed, YMap):
        walk.top_lists = frozenset(id(item) for item in parsed.values() if type(item) is YList)
    value = walk.check(VERSION_FILES[name], parsed, Location(path, 1, 1))
    walk.pieces.keep()
    return None if walk.problems else Checked(value, walk.declared, walk.refs)


def _check_file(walk: _Walk, name: str, declaration: Node, loaded, validated: dict):
    """The validated values of one file of a version (``walk.path``).

    A file ``Checked`` ahead, or repeated unchanged from an earlier version (the loader
    parsed it once: the same loaded values) that validated without a problem, is not
    walked again: its validated values are shared, and the ids and references it
    declares are added to this version's walk, located in this version's file (an id
    declared twice is reported as if walked). Shared values keep the places of the
    first file (the same lines); the check rules name this version's file
    (``check_rules.Out``)."""
    key = (name, id(loaded))
    known = validated.get(key)
    if type(loaded) is Checked:
        known = (loaded, loaded.value, loaded.declared, loaded.refs)
    if known is not None and known[0] is loaded:
        _, value, declared, refs = known
        walk.replay(declared, refs)
        return value
    value, found = walk.check_once(declaration, loaded, Location(walk.path, 1, 1))
    if found is not None:
        validated[key] = (loaded, value, *found)
    return value


@dataclass
class ValidVersion:
    name: str
    effective: date
    files: dict[str, YMap]
    paths: dict[str, str]
    raw: dict[str, bytes]


@dataclass
class ValidContent:
    site: YMap
    site_path: str
    versions: list[ValidVersion]


def validate_content(loaded: LoadedContent, problems: Problems) -> ValidContent:
    """Validate site.yaml and every version; problems are added, never raised."""
    site_walk = _Walk(problems, path=loaded.site_path)
    site = None
    if loaded.site is not None:
        site = site_walk.check(SITE, loaded.site, Location(loaded.site_path, 1, 1))
    versions = []
    validated: dict[tuple[str, int], tuple] = {}
    for version in loaded.versions:
        walk = _Walk(problems)
        files = {}
        for name, declaration in VERSION_FILES.items():
            if name in version.files and version.files[name] is not None:
                walk.path = version.paths[name]
                files[name] = _check_file(walk, name, declaration, version.files[name],
                                          validated)
        if len(files) == len(VERSION_FILES):
            _resolve_refs(walk)
        versions.append(ValidVersion(version.name, version.effective, files, version.paths,
                                     version.raw))
    return ValidContent(site, loaded.site_path, versions)
