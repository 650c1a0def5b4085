"""Interface strings and locale formatting.

The Dutch catalog ``locales/nl/LC_MESSAGES/messages.po`` is compiled to a
``.mo`` in memory at every build (nothing compiled is committed); English is
the source language. Dates, lists and durations are formatted by Babel.
"""

from __future__ import annotations

import functools
import io
import re
from datetime import date
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_timedelta
from babel.lists import format_list
from babel.support import NullTranslations, Translations

from generator.content import vocabulary
from generator.content.files import display_path
from generator.errors import Location, Problems

BABEL_LOCALES = {"nl": Locale.parse("nl_NL"), "en": Locale.parse("en_GB")}
# (Babel unit, seconds per unit as Babel counts them) per ISO 8601 designator.
DURATION_UNITS = (("year", 365 * 86400), ("month", 30 * 86400), ("week", 7 * 86400),
                  ("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1))
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?"
                       r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def catalog_path(locales: Path, lang: str) -> Path:
    return locales / lang / "LC_MESSAGES" / "messages.po"


# (lang, the .po file's bytes) -> the compiled .mo: each catalog is compiled once per
# process (serve rebuilds on every save; the pages and the exports each load it), and
# kept by the incremental build's cache (version_cache.py) for the next process
COMPILED: dict[tuple[str, bytes], bytes] = {}


def load_translations(locales: Path, lang: str, problems: Problems) -> NullTranslations:
    """Compile the catalog of ``lang`` in memory; English needs none."""
    path = catalog_path(locales, lang)
    if not path.exists():
        if lang != "en":
            problems.add(Location(display_path(path)),
                         f"the message catalog for '{lang}' is missing")
        return NullTranslations()
    source = path.read_bytes()
    compiled = COMPILED.get((lang, source))
    if compiled is None:
        compiled = _compile(path, source, lang, problems)
        if compiled is None:
            return NullTranslations()
        if len(COMPILED) >= 8:
            COMPILED.clear()
        COMPILED[(lang, source)] = compiled
    return Translations(io.BytesIO(compiled))


def _compile(path: Path, source: bytes, lang: str, problems: Problems) -> bytes | None:
    from babel.messages.mofile import write_mo  # imported only here, where needed
    from babel.messages.pofile import read_po

    if _unterminated_strings(path, source, problems):
        return None
    try:
        catalog = read_po(io.BytesIO(source), locale=lang, abort_invalid=True)
    except Exception as error:  # babel raises several types for a broken .po
        line = getattr(error, "lineno", 0) or 0
        problems.add(Location(display_path(path), line, 1 if line else 0),
                     f"the message catalog cannot be read: {error}")
        return None
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


PO_STRING_LINE = re.compile(r'^(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)?\s*"')
PO_TERMINATED = re.compile(r'"(?:[^"\\]|\\.)*"\s*$')


def _unterminated_strings(path: Path, source: bytes, problems: Problems) -> bool:
    """Babel silently drops a character of a string whose closing quote is missing."""
    found = False
    lines = source.decode("utf-8", errors="replace").splitlines()
    for number, line in enumerate(lines, 1):
        match = PO_STRING_LINE.match(line)
        if match and not PO_TERMINATED.fullmatch(line[match.end() - 1:]):
            problems.add(Location(display_path(path), number, len(line) + 1),
                         "this string has no closing quote; end the line with \"")
            found = True
    return found


def names_country(code: str | None) -> bool:
    """Whether :func:`country_name` can put ``code`` in words (no code, 'EEA', or a
    territory Babel knows); ``check`` reports the others (P09)."""
    return code is None or code == "EEA" or code in BABEL_LOCALES["en"].territories


def country_name(code: str, lang: str, gettext) -> str:
    """A country code in words, in ``lang``: Babel's (CLDR's) name of the territory
    ('US' -> 'Verenigde Staten' / 'United States'); 'EEA' -> 'de Europese Economische
    Ruimte' / 'the European Economic Area' (the catalog's). A code Babel does not know
    stays as written (``check`` reports it: P09)."""
    if code == "EEA":
        return gettext(vocabulary.EEA_NAME)
    return BABEL_LOCALES[lang].territories.get(code, code)


def format_day(day: date, lang: str) -> str:
    """'1 oktober 2020' / '1 October 2020'."""
    return format_date(day, format="long", locale=BABEL_LOCALES[lang])


def join_list(items, lang: str) -> str:
    """'a, b en c' / 'a, b and c'."""
    return _join_list(tuple(str(i) for i in items), lang)


@functools.lru_cache(maxsize=4096)  # the same few lists on every page of a long history
def _join_list(items: tuple[str, ...], lang: str) -> str:
    if not items:
        return ""
    return format_list(list(items), locale=BABEL_LOCALES[lang])


@functools.lru_cache(maxsize=4096)  # the same few periods in pages, change lists, configs
def format_duration(iso: str, lang: str) -> str:
    """An ISO 8601 duration in words: 'P7Y' -> '7 jaar' / '7 years'."""
    match = _DURATION.match(iso)
    if not match or not any(match.groups()):
        return iso
    parts = []
    for amount, (unit, seconds) in zip(match.groups(), DURATION_UNITS, strict=True):
        if amount:
            # threshold == amount makes Babel keep the unit as written (13 months,
            # not 1 year); CLDR lacks some plain unit patterns that this path has.
            count = int(amount)
            parts.append(format_timedelta(count * seconds, threshold=count, granularity=unit,
                                          format="long", locale=BABEL_LOCALES[lang]))
    return join_list(parts, lang)
