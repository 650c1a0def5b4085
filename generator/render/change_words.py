"""The words of a change list: the kinds of value a line holds (texts per language,
vocabulary labels, durations, countries, addresses, names) and how a line is worded in
a language (``describe``). ``changes.py`` and ``change_walk.py`` make the lines.

Each :class:`Change` is a message id (an English source string in the catalog) with
parameters; ``describe`` words it in a language, so the same change reads naturally in
Dutch and English ("Bewaartermijn van ordergegevens: 2 jaar → 7 jaar" / "Retention
period for order details: 2 years → 7 years").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from babel import Locale

from generator.content import derived, vocabulary
from generator.content.located import LocalText
from generator.content.model import to_plain
from generator.content.schema import LANGUAGES
from generator.content.vocabulary import N_
from generator.render import i18n


@dataclass(frozen=True)
class Label:
    """A vocabulary identifier, or several, shown by their translated labels."""
    vocabulary: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Duration:
    iso: str | None


@dataclass(frozen=True)
class Country:
    """A country code (or EEA), shown by its name in the language described."""
    code: str


@dataclass(frozen=True)
class Change:
    message: str
    params: tuple[tuple[str, object], ...] = ()


def lower_first(text: str) -> str:
    """'Contact details' -> 'contact details' inside a sentence; a word written with a
    capital inside it ('MKB', 'KvK-nummer', 'BSN') stays as it is."""
    if text[1:2].isupper() or not text[:1].isupper():
        return text
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class QuotedNames:
    """Names listed in a line: 'A, B and C', each in quotes."""
    names: tuple

    def render(self, lang: str, gettext) -> str:
        return i18n.join_list([f"‘{describe_value('', n, lang, gettext)}’" for n in self.names],
                              lang)


@dataclass(frozen=True)
class Subjects:
    """Categories of data subjects: fixed ones by their labels, own ones by their names."""
    idents: tuple[str, ...]
    own: tuple[tuple[str, LocalText], ...] = ()


@dataclass(frozen=True)
class Missing:
    """A value a version no longer states ("not stated")."""


@dataclass(frozen=True)
class Retention:
    """A retention as the page states it: the period, the criteria, or both."""
    period: str | None
    criteria: object = None

    @classmethod
    def of(cls, retention) -> Retention:
        retention = retention or {}
        criteria = retention.get("criteria")
        return cls(retention.get("period"), to_plain(criteria) and tuple(
            sorted(to_plain(criteria).items())))

    def render(self, lang: str, gettext) -> str:
        parts = [i18n.format_duration(self.period, lang)] if self.period else []
        if self.criteria:
            text = lower_first(dict(self.criteria)[lang].strip())
            one_sentence = not re.search(r"[.!?]\s", text)
            parts.append(text.rstrip(".") if one_sentence else text)
        return "; ".join(parts) or gettext("not stated")


@dataclass(frozen=True)
class Grounds:
    """A transfer's mechanisms as the page names them: the safeguard, and the decision
    where one is named."""
    named: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, transfer) -> Grounds:
        return cls(tuple((m["type"], to_plain(m.get("decision")) and tuple(
            sorted(to_plain(m["decision"]).items()))) for m in derived.mechanisms(transfer)))

    def render(self, lang: str, gettext) -> str:
        words = []
        for kind, decision in self.named:
            text = gettext(vocabulary.TRANSFER_MECHANISM[kind])
            words.append(f"{text}: {dict(decision)[lang]}" if decision else text)
        return i18n.join_list(words, lang)


# A field whose text changed in one language only reads the same before and after in
# the other: say so there instead of "X → X".
BEFORE_AFTER = "%(field)s: %(old)s → %(new)s"


ONLY_OTHER_LANGUAGE = N_("%(field)s: changed only in the %(language)s text")


def describe(change: Change, lang: str, gettext) -> str:
    """The change in plain words in ``lang``."""
    values = {key: describe_value(key, value, lang, gettext) for key, value in change.params}
    if change.message == BEFORE_AFTER and values["old"] == values["new"]:
        other = next(code for code in LANGUAGES if code != lang)
        return gettext(ONLY_OTHER_LANGUAGE) % {
            "field": values["field"], "language": Locale.parse(lang).languages[other]}
    return gettext(change.message) % values


def describe_value(key: str, value, lang: str, gettext) -> str:
    """One parameter of a change in ``lang``; the change list's own kinds of value
    (``change_walk``) word themselves (``render``)."""
    if isinstance(value, LocalText):
        return lower_first(value[lang]) if key == "category" else value[lang]
    if isinstance(value, Label):
        labels = [gettext(vocabulary.VOCABULARIES[value.vocabulary][v]) for v in value.values]
        return i18n.join_list(labels, lang)
    if isinstance(value, Subjects):
        own = {ident: text[lang] for ident, text in value.own}
        return i18n.join_list([
            own.get(v) or gettext(vocabulary.DATA_SUBJECT[v]) for v in value.idents],
            lang) if value.idents else gettext("not stated")
    if isinstance(value, Country):
        return i18n.country_name(value.code, lang, gettext)
    if isinstance(value, Missing):
        return gettext("not stated")
    if isinstance(value, Duration):
        return (gettext("not stated") if value.iso is None else
                gettext("session") if value.iso == "session" else
                i18n.format_duration(value.iso, lang))
    if hasattr(value, "render"):
        return value.render(lang, gettext)
    return str(value)


@dataclass(frozen=True)
class Words:
    """A label written in the declarations, in English and Dutch."""
    en: str
    nl: str

    def __getitem__(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl

    def render(self, lang: str, gettext) -> str:
        return self[lang]


@dataclass(frozen=True)
class FieldName:
    """Where a change is: the item (its kind and name) and the field, e.g. 'Recipient
    ‘SMS gateway’ — who they are and why they receive data'."""
    where: tuple
    field: tuple

    def render(self, lang: str, gettext) -> str:
        named = [words(v, lang, gettext) for v in self.where]
        where = f"{named[0]} ‘{' '.join(named[1:])}’" if len(named) > 1 else "".join(named)
        field = [words(v, lang, gettext) for v in self.field]
        field = [_lower(f) if i or where else f for i, f in enumerate(field)]
        if len(field) > 1 and isinstance(self.field[-1], Label):  # per key of a mapping
            field = [", ".join(field[:-1]) + " (" + field[-1] + ")"]
        text = ", ".join(field)
        return f"{where} — {text}" if where and text else where or text


def _lower(label: str) -> str:
    """'Name' -> 'name' after a dash; 'Chamber of Commerce number' stays as it is."""
    if any(word[:1].isupper() for word in label.split()[1:]):
        return label
    return label[:1].lower() + label[1:]


@dataclass(frozen=True)
class YesNo:
    value: bool

    def render(self, lang: str, gettext) -> str:
        return gettext("yes") if self.value else gettext("no")


@dataclass(frozen=True)
class Address:
    """A postal address on one line, its country by name: an address is one fact."""
    street: str
    postcode: str
    city: str
    country: str

    @classmethod
    def of(cls, value):
        if not value:
            return Missing()
        return cls(value["street"], value["postcode"], value["city"],
                   value.get("country") or "NL")

    def render(self, lang: str, gettext) -> str:
        country = describe_value("", Country(self.country), lang, gettext)
        return f"{self.street}, {self.postcode} {self.city}, {country}"


@dataclass(frozen=True)
class Literal:
    """A record's literal alternative ('none'), in words."""
    text: str

    def render(self, lang: str, gettext) -> str:
        return gettext(self.text)


@dataclass(frozen=True)
class NameList:
    """Referenced records by their names (texts per language or plain)."""
    values: tuple

    def render(self, lang: str, gettext) -> str:
        return i18n.join_list([words(v, lang, gettext) for v in self.values], lang)


def words(value, lang: str, gettext) -> str:
    """A part of a line in ``lang``."""
    if value is None:
        return ""
    if isinstance(value, LocalText):
        return value[lang]
    return describe_value("", value, lang, gettext)
