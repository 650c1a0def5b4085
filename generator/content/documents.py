"""Which documents a version holds, and the rules on that across versions.

A version folder holds a document when its own files are there
(``schema.DOCUMENT_OWN_FILES``); only the cookie statement may be left out
(``OPTIONAL_DOCUMENTS``). A document's history starts at the first version that holds it,
and once it appeared every later version holds it. ``version.yaml``'s ``summary`` may be
left out when ``summaries`` has one for each document the version holds.
"""

from __future__ import annotations

from collections.abc import Container, Iterable

from generator.content.located import located
from generator.content.schema import DOCUMENT_OWN_FILES, DOCUMENTS
from generator.errors import Location, Problems

NAMES = {"privacy": "privacy statement", "cookies": "cookie statement"}


def held(names: Container[str]) -> tuple[str, ...]:
    """The documents a version whose folder holds the files ``names`` holds."""
    return tuple(document for document in DOCUMENTS
                 if all(name in names for name in DOCUMENT_OWN_FILES[document]))


def check_documents(versions: Iterable, problems: Problems) -> None:
    """Across the versions (validated, oldest first, each with ``name``, ``paths``,
    ``raw`` and ``files``): a document that appeared is held by every later version, and
    each version has a summary of every document it holds."""
    first: dict[str, str] = {}  # document -> the version it first appeared in
    last: dict[str, str] = {}  # document -> the latest version holding it
    for version in versions:
        holds = held(version.raw)
        folder = version.paths["version.yaml"].rpartition("/")[0]
        for document in DOCUMENTS:
            if document in holds:
                first.setdefault(document, version.name)
                last[document] = version.name
            elif document in first:
                missing = [name for name in DOCUMENT_OWN_FILES[document]
                           if name not in version.raw]
                problems.add(Location(f"{folder}/{missing[0]}"),
                             f"file is missing: the {NAMES[document]} appeared in version "
                             f"{first[document]}, and every later version holds it (a "
                             "published statement is replaced by a new version, never left "
                             f"out); copy {', '.join(missing)} from versions/{last[document]}/")
        _check_summaries(version, holds, problems)


def _check_summaries(version, holds: tuple[str, ...], problems: Problems) -> None:
    meta = version.files.get("version.yaml")
    if meta is None or meta.get("summary") is not None:
        return
    summaries = meta.get("summaries") or {}
    lacking = [document for document in holds if summaries.get(document) is None]
    if not lacking:
        return
    keys = " and ".join(f"'{document}:'" for document in lacking)
    where = (meta.key_marks["summaries"] if "summaries" in meta.key_marks
             else meta.start)
    problems.add(located(version.paths["version.yaml"], where),
                 f"this version holds the {' and the '.join(NAMES[d] for d in lacking)} but "
                 f"has no summary of {'it' if len(lacking) == 1 else 'them'}: add {keys} "
                 "under 'summaries:' (what changed in that document, in nl and en), or a "
                 "'summary:' that covers every document of this version")
