"""The AVG / GDPR terminology glossary (``locales/glossary.yaml``) and rule P28, which finds
its wrong terms in the content's texts.

The glossary is data a lawyer extends: per entry the language, the wrong phrase(s), the
right term, its source and where the wrong term is right after all (``except_in``,
``except_near``). The tests that read the built pages and the interface strings use the
same entries through :func:`wrong_terms`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from generator.check.rules import LANGUAGE_NAMES, N_, Findings, Term, rule, texts
from generator.content.model import Version

GLOSSARY = Path(__file__).resolve().parents[2] / "locales" / "glossary.yaml"
CONTEXTS = ("special_categories", "transfers", "automated_decisions")
# The privacy.yaml sections that are a context of their own.
OPENING, CLOSING = "‘“'\"«", "’”'\"»"
SECTION_CONTEXTS = {"transfers": "transfers", "automated_decision_making": "automated_decisions"}


@dataclass(frozen=True)
class Entry:
    lang: str
    wrong: tuple[str, ...]
    right: str
    source: str
    pattern: re.Pattern
    except_in: frozenset[str] = frozenset()
    except_near: re.Pattern | None = None


def _phrase(phrase: str) -> str:
    """A phrase as a pattern: whole words, any white space between them, ``word*`` also
    matching longer forms of the word."""
    words = []
    for word in phrase.split():
        star = word.endswith("*")
        words.append(re.escape(word.rstrip("*")) + (r"\w*" if star else ""))
    return r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)"


def _alternatives(phrases) -> re.Pattern:
    return re.compile("|".join(_phrase(p) for p in phrases), re.IGNORECASE)


@cache
def load(path: Path = GLOSSARY) -> tuple[Entry, ...]:
    """The glossary's entries; a malformed entry is a programming error of the file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for item in data["terms"]:
        wrong = item["wrong"] if isinstance(item["wrong"], list) else [item["wrong"]]
        unknown = set(item.get("except_in") or ()) - set(CONTEXTS)
        if item["lang"] not in LANGUAGE_NAMES or unknown:
            raise ValueError(f"{path}: entry {wrong[0]!r}: unknown language or context "
                             f"{item['lang']!r} {sorted(unknown)}")
        near = item.get("except_near")
        entries.append(Entry(item["lang"], tuple(wrong), item["right"], item["source"],
                             _alternatives(wrong), frozenset(item.get("except_in") or ()),
                             _alternatives(near) if near else None))
    return tuple(entries)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (or line) around ``text[start:end]``."""
    before = max(text.rfind(mark, 0, start) for mark in ".!?\n")
    after = [i for i in (text.find(mark, end) for mark in ".!?\n") if i >= 0]
    return text[before + 1:min(after) if after else len(text)]


def _quoted(text: str, start: int, end: int) -> bool:
    return (start > 0 and text[start - 1] in OPENING
            and end < len(text) and text[end] in CLOSING)


def wrong_terms(text: str, lang: str, contexts=frozenset(), entries=None):
    """(entry, the words as written) for every glossary term ``text`` gets wrong."""
    found = []
    for entry in entries if entries is not None else load():
        if entry.lang != lang or entry.except_in & contexts:
            continue
        for match in entry.pattern.finditer(text):
            if _quoted(text, match.start(), match.end()):
                continue  # quoted as written before ("'Privacy Verklaring' is now ...")
            near = entry.except_near
            if near and near.search(_sentence(text, match.start(), match.end())):
                continue
            found.append((entry, match.group()))
    return found


@rule("P28", "GDPR 12(1)")
def terminology(v: Version, out: Findings) -> None:
    """The content's texts in the words of the AVG / GDPR (``locales/glossary.yaml``)."""
    for text, contexts in _texts_in_context(v):
        for lang in text.values:
            values = text[lang] if isinstance(text[lang], list) else [text[lang]]
            seen = set()
            for value in values:
                for entry, written in wrong_terms(value, lang, contexts):
                    if (entry, written.lower()) in seen:
                        continue
                    seen.add((entry, written.lower()))
                    out.warning(text.loc,
                                N_("the text in %(language)s says '%(wrong)s', where the "
                                   "glossary of terms has '%(right)s'"),
                                N_("write '%(right)s' instead (%(source)s)"),
                                language=Term(LANGUAGE_NAMES[lang]), wrong=written,
                                right=entry.right, source=entry.source)


def _texts_in_context(v: Version):
    """Every text of the version with the contexts it is in (``CONTEXTS``)."""
    special = {ident for ident, c in v.categories.items() if c.get("special")}
    none = frozenset()
    for name, value in v.files.items():
        for key, item in value.items():
            if name == "purposes.yaml" and key == "groups":
                for group in item:
                    for part, inner in group.items():
                        if part != "purposes":
                            yield from ((t, none) for t in texts(inner))
                    for purpose in group["purposes"]:
                        uses = special & set(purpose["data_categories"])
                        yield from ((t, _context(uses, "special_categories"))
                                    for t in texts(purpose))
            elif name == "data_categories.yaml" and key == "categories":
                for category in item:
                    yield from ((t, _context(category.get("special"), "special_categories"))
                                for t in texts(category))
            elif name == "privacy.yaml":
                yield from ((t, _context(key in SECTION_CONTEXTS, SECTION_CONTEXTS.get(key)))
                            for t in texts(item))
            else:
                yield from ((t, none) for t in texts(item))


def _context(applies, name: str | None) -> frozenset:
    return frozenset({name}) if applies else frozenset()
