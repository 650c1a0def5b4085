"""Stage 2, validate: check loaded values against the declarations in ``schema.py``.

The walk returns normalised values (defaults filled in, texts in NFC, as
:class:`LocalText`) that still carry their locations, and adds a located,
plain-words problem for everything wrong: unknown or missing keys, wrong
types, values outside a list, texts missing in a language or holding
characters they may not (``plain_words``), duplicate ids and references to
ids that do not exist. All problems are collected; nothing stops at the first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from unicodedata import is_normalized, normalize

from generator.content import plain_words as words
from generator.content.loader import LoadedContent
from generator.content.located import LocalText, YList, YMap, find_in_source, located, position
from generator.content.schema import (
    FIXED_IDS,
    LANGUAGE_NAMES,
    LANGUAGES,
    OPTIONAL_FILES,
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
from generator.errors import Location, Problems


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
    source: bytes | None = None  # its bytes, where known: to locate a refused character
    # Pieces (``check_alone``): the file's mapping, the ids of its lists, and what checks
    # each value of the one and item of the others (None: ``check``)
    top: object = None
    top_lists: frozenset = frozenset()
    pieces: object = None

    def check(self, node: Node, value, loc):
        return _HANDLERS[type(node)](self, node, value, loc)

    def _add(self, where, message: str) -> None:
        self.problems.add(located(self.path, where), message)

    def _wrong(self, loc: Location, expected: str, value, fix: str = "") -> None:
        self._add(loc, f"expected {expected}, found {words.describe(value)}{fix}")

    def _refused(self, where, text: str, index: int, written: str, character: str) -> None:
        """``character``, written at ``index`` of ``text`` (itself or a reference), which
        the text may not hold: located where the file holds it, else at the value."""
        at = self.source and find_in_source(self.source, where, text, index, written)
        holds = (f"this text refers, by {written}, to" if written != character else
                 "" if at else f"character {index + 1} of this text is")
        self.problems.add(Location(self.path, *at) if at else located(self.path, where),
                          words.refused(character, holds))

    def _clean(self, where, text: str, markdown: bool = False):
        """``text`` (stripped) in NFC, so that texts that look the same compare and
        fingerprint the same; None (and a problem) if it holds a character it may not
        (or, in Markdown, refers to one)."""
        if _refused_in(text) is not None:
            return self._refused(where, text, *words.refusal(text))
        if markdown and "&" in text and words.refused_reference(text):
            return self._refused(where, text, *words.refused_reference(text))
        return text if text.isascii() or is_normalized("NFC", text) else normalize("NFC", text)

    # scalars ---------------------------------------------------------------
    def _str(self, node: Str, value, loc: Location):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return self._add(loc, words.not_text(value, node.pattern, node.hint or node.en))
        value = value.strip()
        if not value:
            self._add(loc, "this text is empty; fill it in or leave the key out "
                                   "if it is optional")
            return None
        value = self._clean(loc, value)
        if value is None:
            return None
        if len(value) > node.max_length:
            return self._add(loc, f"text is longer than {node.max_length} characters")
        if node.pattern and not re.fullmatch(node.pattern, value, flags=re.ASCII):
            return self._add(loc, f"'{value}' is not valid here; expected "
                                  f"{node.hint or node.en.lower()}")
        if value[0] == "P" and node.pattern and words.no_time(value, node.pattern):
            return self._add(loc, f"'{value}' is no time at all; expected {node.hint}, "
                                  "longer than zero")
        return value

    def _enum(self, node: Enum, value, loc: Location):
        if not isinstance(value, str) or value not in node.values:
            label = node.en.partition(":")[0].lower()  # "Status: released, or draft ..."
            return self._add(loc, words.not_one_of(label, value, node.values))
        return value

    def _bool(self, node: Bool, value, loc: Location):
        if not isinstance(value, bool):
            return self._wrong(loc, "true or false", value, "; write true or false, unquoted")
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
            return self._add(loc, words.bad_id(node.kind, value))
        return value if self.declare(node.kind, value, loc) else None

    def declare(self, kind: str, value: str, where) -> bool:
        """Record an id of ``kind`` found at ``where`` in the file walked; False (and a
        problem) when this version has it already."""
        known = self.ids.setdefault(kind, {})
        if value in known:
            self._add(where, words.used_twice(kind, value, known[value].line))
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
            return self._wrong(loc, f"the id of a {words.KIND_NAMES[node.kind]}, as written "
                               "after its 'id:'", value)
        self.refs.append((node.kind, value, loc, self.path))
        return value

    # texts -----------------------------------------------------------------
    def _languages(self, value, loc: Location) -> YMap | None:
        if not isinstance(value, YMap):
            return self._wrong(loc, words.IN_EACH_LANGUAGE, value)
        for key in value:
            if key not in LANGUAGES:
                self._add(value.key_marks[key], words.unknown_language(key))
        present = [lang for lang in LANGUAGES if lang in value]
        for lang in LANGUAGES:
            if lang not in value and present:
                self._add(value.start, words.missing_language(present[0], lang))
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
                self._add(where, words.not_text(text, in_language=LANGUAGE_NAMES[lang]))
                continue
            text = text.strip()
            if not text:
                self._add(where, f"the {LANGUAGE_NAMES[lang]} text is empty")
                continue
            if node.line and "\n" in text:
                self._add(where, "this text must be a single line")
                continue
            text = self._clean(where, text, not node.line)
            if text is not None:
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
                self._wrong(where, f"a list of items in {LANGUAGE_NAMES[lang]} (lines "
                            "starting with '- ')", items)
                continue
            cleaned = [self._str(Str(), item, items.where(i)) for i, item in enumerate(items)]
            if None not in cleaned:
                out[lang] = cleaned
        if len(out) != len(LANGUAGES):
            return None
        counts = {lang: len(items) for lang, items in out.items()}
        if len(set(counts.values())) > 1:
            return self._add(value.start, words.counts_differ(counts))
        return LocalText(out, located(self.path, value.start), markdown=False)

    # containers ------------------------------------------------------------
    def _listof(self, node: ListOf, value, loc: Location):
        if not isinstance(value, YList):
            return self._wrong(loc, "a list (lines starting with '- ')", value)
        out = YList(value.start, self.path)
        pieces = self.pieces is not None and id(value) in self.top_lists
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
                self._add(value.key_marks[key], words.unknown_key(key, allowed))

    def _record(self, node: Record, value, loc: Location):
        if node.literal is not None and value == node.literal:
            return node.literal
        if not isinstance(value, YMap):
            return self._wrong(loc, words.mapping_of(node.fields, node.literal), value)
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
                         if value is self.top and self.pieces is not None else
                         self.check(spec.node, value[name], value.where(name)))
        out.value_marks = value.value_marks  # the same places: share them
        words.record_rules(node, value, self._add)  # ``one_of``, ``required_when``
        return out

    def _mapping(self, node: Mapping, value, loc: Location):
        if not isinstance(value, YMap):
            return self._wrong(loc, words.mapping_of(node.keys), value)
        self._unknown_keys(value, node.keys)
        out = YMap(value.start, self.path)
        out.key_marks, out.value_marks = value.key_marks, value.value_marks
        for key in value:
            if key in node.keys:
                out[key] = self.check(node.value, value[key], value.where(key))
        return out


_refused_in = words.REFUSED.search  # a text holds a character it may not: one search

# The walk's method for each kind of declaration: _Walk._str for Str, and so on.
_HANDLERS = {kind: getattr(_Walk, "_" + kind.__name__.lower())
             for kind in (Str, Enum, Bool, Date, Id, Ref, Text, TextList, ListOf, Record, Mapping)}


def _resolve_refs(walk: _Walk) -> None:
    for kind, ref, where, path in walk.refs:
        known = {**dict.fromkeys(FIXED_IDS.get(kind, ())), **walk.ids.get(kind, {})}
        if ref not in known:
            walk.problems.add(located(path, where), words.dangling(kind, ref, known))


@dataclass(slots=True)
class Checked:
    """A file validated on its own where it was parsed, ahead of the versions that hold
    it (``check_alone``): its values, the ids it declares, the references it makes."""
    value: object
    declared: list
    refs: list


def check_alone(name: str, parsed, path: str, pieces=None) -> Checked | None:
    """File ``name`` of a version, parsed from ``path``, validated as if no other file
    declared an id; None when that found a problem (the file is then walked with its
    version's files, where each problem is reported). Asked for only of bytes that no
    file of another name holds. ``pieces``: None, or what checks each piece of the file
    (``pieces.check(walk, node, value, loc)``), told when the file is done (``keep()``)."""
    walk = _Walk(Problems(), path=path, top=parsed, pieces=pieces)
    if isinstance(parsed, YMap):
        walk.top_lists = frozenset(id(item) for item in parsed.values() if type(item) is YList)
    value = walk.check(VERSION_FILES[name], parsed, Location(path, 1, 1))
    if pieces is not None:
        pieces.keep()
    return None if walk.problems else Checked(value, walk.declared, walk.refs)


def _check_file(walk: _Walk, name: str, declaration: Node, loaded, validated: dict):
    """The validated values of one file of a version (``walk.path``).

    A file ``Checked`` ahead, or repeated unchanged from an earlier version (the loader
    parsed it once: the same loaded values) that validated without a problem, is not
    walked again: its validated values are shared, and the ids and references it
    declares are added to this version's walk, located in this version's file (an id
    declared twice is reported as if walked). Shared values keep the places of the
    first file (the same lines); the check rules name this version's file
    (``check/rules.py``, ``Findings``)."""
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
        walk, files = _Walk(problems), {}
        for name, declaration in VERSION_FILES.items():
            if name in version.files and version.files[name] is not None:
                walk.path, walk.source = version.paths[name], version.raw.get(name)
                files[name] = _check_file(walk, name, declaration, version.files[name],
                                          validated)
        if len(files) + len(OPTIONAL_FILES - version.raw.keys()) == len(VERSION_FILES):
            _resolve_refs(walk)  # every file there, or left out as it may be, validated
        versions.append(ValidVersion(version.name, version.effective, files, version.paths,
                                     version.raw))
    return ValidContent(site, loaded.site_path, versions)
