"""The kinds of declaration the content model is made of (``schema.py``): a tree of
these describes each content file, for the validator and the JSON Schema export alike.
Each carries a short description in English and Dutch."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


@dataclass(frozen=True)
class Node:
    en: str = ""
    nl: str = ""
    # The change list (render/change_walk.py) names a change to this value by ``label``
    # (English, Dutch) or else by the first clause of the description; ``listed=False``
    # leaves it out (a value the statement does not show to its readers).
    listed: bool = True
    label: tuple[str, str] = ()


@dataclass(frozen=True)
class Str(Node):
    """A plain string, the same in every language (names, addresses, e-mail)."""
    pattern: str | None = None
    hint: str = ""
    max_length: int = 2000
    # (lowest, highest): the pattern holds whole numbers, which YAML reads unquoted as
    # numbers (the validator reads them as text); the JSON Schema allows these too.
    numbers: tuple[int, int] | None = None


@dataclass(frozen=True)
class Text(Node):
    """A text per language: ``{nl: ..., en: ...}``. Markdown unless ``line``."""
    line: bool = False


@dataclass(frozen=True)
class TextList(Node):
    """A list of short texts per language: ``{nl: [..], en: [..]}``, same length."""


@dataclass(frozen=True)
class Enum(Node):
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bool(Node):
    pass


@dataclass(frozen=True)
class Date(Node):
    pass


@dataclass(frozen=True)
class Ref(Node):
    """The id of an object declared elsewhere in the same version."""
    kind: str = ""


@dataclass(frozen=True)
class Id(Node):
    """Declares an object's id of ``kind``; ids are unique per kind."""
    kind: str = ""
    pattern: str = ID_PATTERN


@dataclass(frozen=True)
class ListOf(Node):
    item: Node = field(default_factory=Node)
    min_items: int = 0
    unique: bool = False


@dataclass(frozen=True)
class Field:
    node: Node
    required: bool = True
    default: object = None


@dataclass(frozen=True)
class Record(Node):
    fields: dict[str, Field] = field(default_factory=dict)
    # Optional alternative: a literal string accepted instead of the mapping.
    literal: str | None = None
    # Keys of which exactly one must be given (an older form and its newer one).
    one_of: tuple[str, ...] = ()
    # (key, value, needed): when ``key`` is ``value``, ``needed`` must be given too.
    required_when: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Mapping(Node):
    """A mapping whose keys come from ``keys`` and whose values are ``value``."""
    keys: tuple[str, ...] = ()
    value: Node = field(default_factory=Node)


def req(node: Node) -> Field:
    return Field(node, True)


def opt(node: Node, default: object = None) -> Field:
    return Field(node, False, default)


def rec(en: str, nl: str, **fields: Field) -> Record:
    return Record(en=en, nl=nl, fields=fields)


def section(en: str, nl: str, text_required: bool = True, **extra: Field) -> Record:
    return rec(en, nl,
               title=req(Text("Heading of the section", "Kop van de paragraaf", line=True)),
               text=Field(Text("Text of the section (Markdown)", "Tekst van de paragraaf "
                                "(Markdown)"), text_required),
               **extra)


def labelled(node: Node, en: str, nl: str) -> Node:
    """``node`` with a short label for the change list ('Recipient' / 'Ontvanger')."""
    return replace(node, label=(en, nl))


def unlisted(node: Node) -> Node:
    """``node`` left out of the change list: a value the statement does not show."""
    return replace(node, listed=False)
