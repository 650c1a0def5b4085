"""The change list derived from the declarations (``schema.py``): the declaration tree
of each of a document's files is walked for two consecutive versions, list items are
matched by their id (else by the reference they are about, else by position), and every
field added, removed or changed gives a line worded by the field's kind.

A field declared later gets its line without a change here; a field the readers do not
see is left out by its declaration (``listed=False``). What ``changes.py`` words by hand
(a purpose's legal bases, retention, transfers, ...) is named in ``BY_HAND`` and passed
over here, so that each fact has one line."""

from __future__ import annotations

from generator.content import derived, schema, vocabulary
from generator.content.declarations import (
    Bool,
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
from generator.content.model import Version, to_plain
from generator.content.vocabulary import N_
from generator.render import changes
from generator.render.change_words import (
    Address,
    Change,
    Country,
    Duration,
    FieldName,
    Label,
    Literal,
    Missing,
    NameList,
    Subjects,
    Words,
    YesNo,
)

CHANGED = N_("%(field)s: %(old)s → %(new)s")  # change_words.BEFORE_AFTER
REWORDED = N_("%(field)s: reworded")
ADDED = N_("%(field)s: added")
REMOVED = N_("%(field)s: removed")
NAMES_ADDED = N_("%(field)s: %(names)s added")
NAMES_REMOVED = N_("%(field)s: %(names)s removed")
NEW_ITEM = N_("New: %(name)s")
REMOVED_ITEM = N_("Removed: %(name)s")
NEW_SECTION = N_("New section: ‘%(name)s’")
REMOVED_SECTION = N_("Section removed: ‘%(name)s’")
SECTION_TEXT = N_("Section ‘%(section)s’: text changed")
SECTION = Words("Section", "Paragraaf")

# Paths ("file:key/[]/key") that changes.py words by hand: the whole subtree, or (in
# ITEMS_BY_HAND) only the items added and removed, their fields walked here.
BY_HAND = {
    "privacy": frozenset({
        "privacy.yaml:transfers/transfers", "privacy.yaml:complaints/supervisory_authority",
        *(f"purposes.yaml:groups/[]/purposes/[]/{key}" for key in (
            "legal_bases", "recipients", "data_categories", "legitimate_interest",
            "data_subjects", "retention", "security")),
        "data_categories.yaml:categories/[]/retention",
        "recipients.yaml:recipients/[]/role", "recipients.yaml:recipients/[]/country",
    }),
    "cookies": frozenset({
        *(f"cookies.yaml:cookies/[]/{key}" for key in (
            "expiry", "category", "provider", "purpose", "consent_required")),
        "cookies.yaml:settings_link",
    }),
}
# What a document does not show of a file it shares: the cookie statement names the
# controller by its legal name, postal address and e-mail address only.
NOT_SHOWN = {
    "privacy": frozenset(),
    "cookies": frozenset(f"organisation.yaml:{key}" for key in (
        "trade_name", "website", "chamber_of_commerce", "establishment", "dpo",
        "representative")),
}
ITEMS_BY_HAND = frozenset({
    "purposes.yaml:groups/[]/purposes", "data_categories.yaml:categories",
    "recipients.yaml:recipients", "cookies.yaml:cookies",
})
ROOT_WHERE = {"organisation.yaml": (Words("Controller", "Verwerkingsverantwoordelijke"),)}
# The order of the statements' sections (templates/privacy.html, cookies.html), which
# the change list follows; a file's lines belong to the section that shows it.
SECTION_ORDER = {
    "privacy": ("title", "introduction", "controller", "purposes", "data_categories",
                "legal_bases", "recipients", "transfers", "retention", "security",
                "automated_decision_making", "children", "rights", "consent_withdrawal",
                "complaints", "contact", "changes"),
    "cookies": ("title", "introduction", "controller", "categories", "cookie_list",
                "consent", "contact"),
}
FILE_SECTION = {"organisation.yaml": "controller", "purposes.yaml": "purposes",
                "data_categories.yaml": "data_categories", "recipients.yaml": "recipients"}
KEY_SECTION = {"cookies": "cookie_list", "consent_tool": "consent", "settings_link": "consent"}
COOKIE_SECTION = {message: "consent" for message in (  # the rest: the list of cookies
    "The consent section now links to the cookie settings",
    "The consent section no longer links to the cookie settings",
    "The link to the cookie settings was changed")}
AUTHORITY = Words("Supervisory authority", "Toezichthoudende autoriteit")


def label(node: Node) -> Words:
    """The declaration's own label, or the first clause of its description."""
    if node.label:
        return Words(*node.label)
    return Words(_clause(node.en), _clause(node.nl))


def _clause(text: str) -> str:
    for stop in (" (", ": ", "; ", ", e.g.", ", bijv.", ", when ", ", als "):
        text = text.split(stop)[0]
    return text


def _stated(value):
    if value is None:
        return Missing()
    if isinstance(value, str):  # the only literal is 'none' (dpo, representative)
        return Literal(N_("none appointed") if value == "none" else value)
    return value.get("name") or Literal(N_("stated"))


def _same(old, new) -> bool:
    """Unchanged: the same object (a file or piece repeated unchanged is validated once
    and shared), or the same value. Mappings and lists are not compared whole here, which
    would convert each once per level; the walk goes into them and compares what they hold."""
    if old is new:
        return True
    if isinstance(old, dict) and isinstance(new, dict) or isinstance(old, list) and (
            isinstance(new, list)):
        return False
    return to_plain(old) == to_plain(new)


def _short(text) -> bool:
    """A text short enough to quote in the change list (one sentence or so)."""
    return all(len(value) <= 300 and "\n" not in value.strip()
               for value in to_plain(text).values())


def _vocabulary(values: tuple) -> str | None:
    for name, words in vocabulary.VOCABULARIES.items():
        if set(values) <= set(words):
            return name
    return None


class Walk:
    def __init__(self, document: str, old: Version, new: Version):
        self.document, self.old, self.new = document, old, new
        self.by_hand = BY_HAND[document] | NOT_SHOWN[document]
        self.out: list[Change] = []
        self.sections: list[str] = []  # the statement's section each line is about
        self.at = ""

    def run(self) -> list[Change]:
        for name in schema.DOCUMENT_FILES[self.document]:
            before, after = self.old.files.get(name), self.new.files.get(name)
            if before is after or after is None:
                continue
            self.at = FILE_SECTION.get(name, "")
            self.record(schema.VERSION_FILES[name], before or {}, after, name + ":",
                        ROOT_WHERE.get(name, ()), root=name in ("privacy.yaml", "cookies.yaml"))
        if self.document == "privacy":
            self.authority()
        return self.out

    def authority(self) -> list[Change]:
        """The supervisory authority as the page names it: given, or the default."""
        before, after = (derived.supervisory_authority(v) for v in (self.old, self.new))
        self.at = "complaints"
        if changes._changed(before, after):
            self.value(schema.AUTHORITY, before, after, "authority", (AUTHORITY,), ())
        return self.out

    # names ------------------------------------------------------------------
    def ref_name(self, kind: str, ident: str, version: Version):
        if kind == "recipient" and ident in version.recipients:
            return version.recipients[ident]["name"]
        if kind == "data_category" and ident in version.categories:
            return version.categories[ident]["name"]
        if kind == "purpose" and ident in version.purposes:
            return changes._purpose_name(version, ident)
        if kind == "data_subject":
            return Subjects((ident,), changes._own_subjects(version))
        return ident

    def item_name(self, node: Record, item, version: Version):
        for key in ("name", "title"):
            if key in node.fields and item.get(key) is not None:
                return item[key]
        if "id" in node.fields and isinstance(node.fields["id"].node, Id) and (
                node.fields["id"].node.kind == "purpose"):
            return changes._purpose_name(version, item["id"])
        for key, declared in node.fields.items():
            if isinstance(declared.node, Ref) and item.get(key) is not None:
                return self.ref_name(declared.node.kind, item[key], version)
        return None

    # the walk -----------------------------------------------------------------
    def record(self, node: Record, before, after, path: str, where: tuple,
               root: bool = False) -> None:
        for key, declared in node.fields.items():
            sub = declared.node
            here = path + key if path.endswith(":") else f"{path}/{key}"
            if not sub.listed or here in self.by_hand:
                continue
            old, new = before.get(key), after.get(key)
            if _same(old, new):
                continue
            if root:
                self.at = KEY_SECTION.get(key, key)
            if root and isinstance(sub, Record) and "title" in sub.fields:
                self.section(sub, old, new, here)
            else:
                self.value(sub, old, new, here, where, (label(sub),))

    def section(self, node: Record, old, new, path: str) -> None:
        if old is None:
            self.add(NEW_SECTION, name=new["title"])
        elif new is None:
            self.add(REMOVED_SECTION, name=old["title"])
        else:
            if changes._changed(old.get("title"), new.get("title")):
                self.value(node.fields["title"].node, old.get("title"), new.get("title"),
                           path + "/title", (SECTION, new["title"]),
                           (label(node.fields["title"].node),))
            if changes._changed(old.get("text"), new.get("text")):
                self.add(SECTION_TEXT, section=new["title"])
            rest = {k: f for k, f in node.fields.items() if k not in ("title", "text")}
            self.record(Record(fields=rest), old, new, path, (SECTION, new["title"]))

    def value(self, node: Node, old, new, path: str, where: tuple, field: tuple) -> None:
        name = FieldName(where, field)
        if node is schema.ADDRESS:
            before, after = Address.of(old), Address.of(new)
            if before != after:
                self.add(CHANGED, field=name, old=before, new=after)
        elif isinstance(node, Record) and "title" in node.fields and (old is None or new is None):
            self.add(NEW_SECTION, name=new["title"]) if old is None else \
                self.add(REMOVED_SECTION, name=old["title"])
        elif isinstance(node, Record):
            if isinstance(old or {}, dict) and isinstance(new or {}, dict):
                self.nested(node, old or {}, new or {}, path, where, field)
            else:  # the literal (dpo: none) and a record
                self.add(CHANGED, field=name, old=_stated(old), new=_stated(new))
        elif isinstance(node, ListOf):
            self.list(node, old or (), new or (), path, where, field)
        elif isinstance(node, Mapping):
            words = _vocabulary(node.keys)
            for key in node.keys:
                a, b = (old or {}).get(key), (new or {}).get(key)
                if changes._changed(a, b):
                    part = Label(words, (key,)) if words else key
                    self.value(node.value, a, b, path, where, field + (part,))
        elif isinstance(node, Text) and old is None and _short(new):
            self.add(CHANGED, field=name, old=Missing(), new=new)
        elif isinstance(node, Text) and not node.line or isinstance(node, TextList):
            self.add(ADDED if old is None else REMOVED if new is None else REWORDED,
                     field=name)
        else:
            self.add(CHANGED, field=name, old=self.shown(node, old),
                     new=self.shown(node, new))

    def nested(self, node: Record, old, new, path: str, where: tuple, field: tuple) -> None:
        for key, declared in node.fields.items():
            sub = declared.node
            here = f"{path}/{key}"
            if not sub.listed or here in self.by_hand:
                continue
            a, b = old.get(key), new.get(key)
            if not _same(a, b):
                self.value(sub, a, b, here, where, field + (label(sub),))

    def shown(self, node: Node, value):
        if value is None:
            return Missing()
        if isinstance(node, Enum):
            words = _vocabulary(node.values)
            return Label(words, (value,)) if words else value
        if isinstance(node, Bool):
            return YesNo(bool(value))
        if isinstance(node, Str) and node.pattern == schema.COUNTRY_PATTERN:
            return Country(value)
        if isinstance(node, Str) and node.pattern == schema.DURATION_PATTERN:
            return Duration(value)
        return value

    def list(self, node: ListOf, old, new, path: str, where: tuple, field: tuple) -> None:
        item = node.item
        if not isinstance(item, Record):
            versions = (self.old, self.new)
            gone = [v for v in old if v not in new]
            came = [v for v in new if v not in old]
            for message, values, version in ((NAMES_ADDED, came, versions[1]),
                                             (NAMES_REMOVED, gone, versions[0])):
                if values:
                    self.add(message, field=FieldName(where, field),
                             names=self.names(item, values, version))
            return
        key = self.key_of(item)
        before = {key(x, i): x for i, x in enumerate(old)}
        after = {key(x, i): x for i, x in enumerate(new)}
        items_by_hand = path in ITEMS_BY_HAND
        kind = label(item)
        for ident, value in after.items():
            earlier = before.get(ident)
            name = self.item_name(item, value, self.new)
            if earlier is None:
                if not items_by_hand:
                    self.add(NEW_ITEM, name=FieldName((kind, name), ()))
            elif earlier is not value:
                self.nested(item, earlier, value, path + "/[]", (kind, name), ())
        if not items_by_hand:
            for ident, value in before.items():
                if ident not in after:
                    self.add(REMOVED_ITEM, name=FieldName(
                        (kind, self.item_name(item, value, self.old)), ()))

    def key_of(self, node: Record):
        for key, declared in node.fields.items():
            if isinstance(declared.node, Id):
                return lambda item, index, key=key: item.get(key)
        for key, declared in node.fields.items():
            if isinstance(declared.node, Ref):
                return lambda item, index, key=key: item.get(key)
        return lambda item, index: index

    def names(self, item: Node, values: list, version: Version):
        if isinstance(item, Ref):
            return NameList(tuple(self.ref_name(item.kind, v, version) for v in values))
        if isinstance(item, Enum) and _vocabulary(item.values):
            return Label(_vocabulary(item.values), tuple(values))
        return NameList(tuple(values))

    def add(self, message: str, **params) -> None:
        self.out.append(Change(message, tuple(params.items())))
        self.sections.append(self.at)


def document_changes(document: str, old: Version, new: Version) -> list[Change]:
    """Every line, in the order of the statement's sections (within one, the hand-worded
    lines first, then every other declared field); each line once."""
    found = (changes.privacy_changes_by_section(old, new) if document == "privacy" else
             [(COOKIE_SECTION.get(c.message, "cookie_list"), c)
              for c in changes.cookie_changes(old, new)])
    walk = Walk(document, old, new)
    found += zip(walk.sections, walk.run(), strict=True)
    order = SECTION_ORDER[document]
    found.sort(key=lambda pair: order.index(pair[0]) if pair[0] in order else len(order))
    unique: list[Change] = []
    for _, change in found:
        if change not in unique:
            unique.append(change)
    return unique

