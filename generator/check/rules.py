"""The frame of the GDPR completeness rules of ``python build.py check``.

The rules themselves live in ``statement.py``, ``parties.py``, ``data.py``,
``sections.py`` and ``cookies.py``, one function each, registered with ``@rule``. Every
rule has a stable id (the numbering of LEGAL.md's checklist: P.. for the
privacy statement, C.. for cookies), the article it comes from, and yields
findings: a severity, a location in the YAML, what is missing and how to fix
it. Messages are marked with ``N_`` and translated when the report is printed.
What the validator already enforces (every required key, both languages,
legal bases from the list, each cookie's name, provider, party, purpose,
category, expiry and consent flag) is not repeated here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from generator.content.derived import EEA, in_eea  # noqa: F401 (the rules import them here)
from generator.content.located import LocalText
from generator.content.model import Version
from generator.errors import Location


def N_(message: str) -> str:
    """Mark a message for the catalog; it is translated when printed."""
    return message


ERROR, WARNING = "error", "warning"
LANGUAGE_NAMES = {"nl": N_("Dutch"), "en": N_("English")}


class Term(str):
    """A parameter that is itself translated (a right, a language)."""


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    article: str
    location: Location
    missing: str
    fix: str
    params: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Rule:
    id: str
    article: str  # "GDPR 13(1)(b)" or "Tw 11.7a(1)"
    run: Callable[[Version, Findings], None]


RULES: list[Rule] = []


class Findings:
    """The findings of one rule on one version, as the rule adds them.

    A place in one of the version's files is named in that version's folder: a file
    repeated unchanged from an earlier version shares that version's validated values,
    which name the earlier file (``validate._check_file``); the lines are the same."""

    def __init__(self, rule: Rule, paths: dict[str, str] | None = None):
        self.rule = rule
        self.paths = paths or {}  # file name -> the version's path of it
        self.findings: list[Finding] = []

    def add(self, severity: str, loc: Location, missing: str, fix: str, **params) -> None:
        path = self.paths.get(os.path.basename(loc.path))
        if path is not None and path != loc.path:
            loc = Location(path, loc.line, loc.column)
        self.findings.append(Finding(self.rule.id, severity, self.rule.article, loc, missing,
                                     fix, params))

    def error(self, loc: Location, missing: str, fix: str, **params) -> None:
        self.add(ERROR, loc, missing, fix, **params)

    def warning(self, loc: Location, missing: str, fix: str, **params) -> None:
        self.add(WARNING, loc, missing, fix, **params)


def rule(rule_id: str, article: str):
    def register(run: Callable[[Version, Findings], None]):
        RULES.append(Rule(rule_id, article, run))
        return run
    return register


def run_rules(version: Version) -> list[Finding]:
    findings = []
    for each in RULES:
        if each.id.startswith("C") and not version.holds("cookies"):
            continue  # a version without a cookie statement is not checked for cookies
        out = Findings(each, version.paths)
        each.run(version, out)
        findings.extend(out.findings)
    return sorted(findings, key=lambda f: (f.location, f.rule, f.missing))


# --- helpers -----------------------------------------------------------------

def at(record, key: str | None = None) -> Location:
    """Where a key's value is, or else the record itself."""
    if key is not None and hasattr(record, "value_locs") and key in record.value_locs:
        return record.value_locs[key]
    if key is not None and hasattr(record, "key_locs") and key in record.key_locs:
        return record.key_locs[key]
    return record.loc


def says(text: LocalText | None, patterns: dict[str, str]) -> dict[str, bool]:
    """Per language: does the text match that language's pattern?"""
    if text is None:
        return dict.fromkeys(patterns, False)
    return {lang: re.search(pattern, _joined(text[lang]), re.IGNORECASE) is not None
            for lang, pattern in patterns.items()}


def _joined(value: str | list) -> str:
    return " ".join(value) if isinstance(value, list) else value


def texts(value) -> Iterator[LocalText]:
    """Every text in a validated file, depth first."""
    if isinstance(value, LocalText):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from texts(item)
