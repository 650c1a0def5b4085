"""The lock: what was released stays what customers read.

``content/lock.json`` records, per released version, a fingerprint of its
model (per content file) and of the text a customer reads in each document
and language (the rendered statement, a digest per passage). A build compares
the current content and rendering with it and fails, naming the version, the
document, the language and the first differing passage, when a released text
changed, whether by an edit of its YAML or of a template or the catalog.

A correction is possible only as an erratum: an entry under ``errata:`` in the
version's ``version.yaml`` (date, reason in both languages), followed by the
explicit ``python build.py lock VERSION``, which records the new fingerprints.
The lock is written by ``release`` and ``lock`` only, never by a build.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.content.files import display_path, read_content_file
from generator.content.located import YMap
from generator.content.model import Site, Version, fingerprint
from generator.content.schema import DOCUMENTS, LANGUAGES
from generator.errors import Location, Problems
from generator.render.urls import embed_path

LOCK_NAME = "lock.json"
LOCK_FORMAT = 1
MAX_LOCK_BYTES = 8 << 20  # about 800 released versions
# Meta fields that may change after release without changing what was released.
MUTABLE_META = ("status", "errata")
BLOCK_TAG = re.compile(r"</?(?:h[1-6]|p|li|dt|dd|tr|td|th|caption|blockquote|section|div|"
                       r"ul|ol|dl|table|thead|tbody|article|header|footer|br|hr)\b[^>]*>", re.I)
ANY_TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
_SEPARATOR = "\x00"  # control characters are refused in texts (validate.py)
_TAG_WITHIN = re.compile(r"<[^>\x00]*>")  # ANY_TAG, never across a passage's end
DOCUMENT_NAMES = {"privacy": "privacy statement", "cookies": "cookie statement"}
LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}


def lock_path(content: Path) -> Path:
    return content / LOCK_NAME


def read_lock(content: Path, problems: Problems | None = None) -> dict:
    """The lock of a content folder: ``{"versions": {name: entry}}``; empty when absent."""
    path = lock_path(content)
    if not path.exists() and not path.is_symlink():
        return {"format": LOCK_FORMAT, "versions": {}}
    raw = read_content_file(path, content, problems if problems is not None else Problems(),
                            limit=MAX_LOCK_BYTES)  # no link out of content/, no endless file
    if raw is None:
        return {"format": LOCK_FORMAT, "versions": {}}
    try:
        data = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        if problems is not None:
            line, column = getattr(error, "lineno", 0), getattr(error, "colno", 0)
            problems.add(Location(display_path(path), line, column),
                         f"the lock file is not valid JSON ({getattr(error, 'msg', error)}); "
                         "restore it from version control, it is written by "
                         "'python build.py release' and 'python build.py lock' only")
        return {"format": LOCK_FORMAT, "versions": {}}
    if not isinstance(data, dict) or not isinstance(data.get("versions"), dict):
        if problems is not None:
            problems.add(Location(display_path(path), 1, 1),
                         "the lock file has no 'versions' object; restore it from version "
                         "control")
        return {"format": LOCK_FORMAT, "versions": {}}
    return data


def write_lock(content: Path, lock: dict) -> None:
    """Replace the lock file atomically (a reader sees the old or the new one, whole)."""
    path = lock_path(content)
    ordered = {"format": LOCK_FORMAT,
               "note": "Written by 'python build.py release' and 'python build.py lock'. "
                       "Do not edit by hand.",
               "versions": dict(sorted(lock["versions"].items()))}
    text = json.dumps(ordered, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    fd, temporary = tempfile.mkstemp(prefix=".lock-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def passages(fragment: str) -> list[str]:
    """The text a reader sees, as passages (headings, paragraphs, list items, cells).

    Each step runs once over the whole fragment (block tags become a separator no text
    holds, other tags go, entities are read), then white space folds in each passage
    (``str.split`` knows the same white space as the pattern ``\\s``): the passages the
    same steps give block by block."""
    if _SEPARATOR in fragment:  # never in a rendered page; block by block then
        return _passages_by_block(fragment)
    text = html.unescape(_TAG_WITHIN.sub("", BLOCK_TAG.sub(_SEPARATOR, fragment)))
    return [found for part in text.split(_SEPARATOR) if (found := " ".join(part.split()))]


def _passages_by_block(fragment: str) -> list[str]:
    found = []
    for block in BLOCK_TAG.split(fragment):
        text = SPACE.sub(" ", html.unescape(ANY_TAG.sub("", block))).strip()
        if text:
            found.append(text)
    return found


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _written(value):
    """The values as the editor wrote them: defaults the validator filled in are left out,
    so a new optional field in the schema does not change released versions."""
    if isinstance(value, YMap):
        written = value.key_marks  # the keys the editor wrote
        return {key: _written(item) for key, item in value.items() if key in written}
    if isinstance(value, list | tuple):
        return [_written(item) for item in value]
    return value


def _released_part(name: str, data: YMap) -> dict:
    written = _written(data)
    if name == "version.yaml":
        return {key: value for key, value in written.items() if key not in MUTABLE_META}
    return written


def model_fingerprints(version: Version, before: dict | None = None) -> dict[str, str]:
    """One fingerprint per content file; version.yaml without its mutable fields.

    ``before``: the files of the version checked just before and their fingerprints, by
    name; a file that is the very same values (the loader reads a file repeated unchanged
    once) has the same fingerprint. It is updated with this version's."""
    prints = {}
    for name, data in sorted(version.files.items()):
        known = before.get(name) if before is not None else None
        prints[name] = known[1] if known and known[0] is data else \
            fingerprint(_released_part(name, data))
        if before is not None:
            before[name] = (data, prints[name])
    return prints


def key_digests(version: Version) -> dict[str, dict[str, str]]:
    """A short digest per top-level key of each file, to point at what changed."""
    return {name: _key_digests(name, data) for name, data in sorted(version.files.items())}


def _key_digests(name: str, data: YMap) -> dict[str, str]:
    return {key: fingerprint(value)[7:23] for key, value in _released_part(name, data).items()}


def _text_digest(found: list[str]) -> str:
    """A document's text as the lock records it, whole."""
    return "sha256:" + hashlib.sha256("\n".join(found).encode("utf-8")).hexdigest()


def _passage_digests(found: list[str]) -> str:
    """A short digest per passage, to point at the first that differs."""
    return " ".join(_digest(p) for p in found)


def entry_for(site: Site, files: dict[str, bytes], version: Version) -> dict:
    """The lock entry of one version, from the rendered site."""
    file_prints = model_fingerprints(version)
    documents: dict[str, dict[str, str]] = {}
    passage_prints: dict[str, dict[str, str]] = {}
    for document in DOCUMENTS:
        if site.entry(document, version.name) is None:
            continue  # unchanged in this version: its readers see the previous text
        for lang in LANGUAGES:
            found = passages(files[embed_path(lang, document, version.name)].decode("utf-8"))
            documents.setdefault(document, {})[lang] = _text_digest(found)
            passage_prints.setdefault(document, {})[lang] = _passage_digests(found)
    return {"model": fingerprint(file_prints), "files": file_prints, "keys": key_digests(version),
            "documents": documents, "passages": passage_prints,
            "errata": len(version.meta.get("errata") or ())}


def verify(content: Path, site: Site, files: Mapping[str, bytes], problems: Problems,
           memo=None) -> None:
    """Every released version in the lock must still be what was released.

    With ``memo`` (an incremental build's ``incremental.BuildCache``), a version whose
    check passed before with the same bytes, lock entry and pages is not checked again.
    """
    lock = read_lock(content, problems)
    versions = {version.name: version for version in site.versions}
    previous_files: dict = {}  # see model_fingerprints
    for name, recorded in sorted(lock["versions"].items()):
        version = versions.get(name)
        if version is None:
            problems.add(Location(display_path(lock_path(content))),
                         f"released version {name} is in the lock but its folder "
                         f"versions/{name}/ is missing or a draft; a released version is "
                         "never removed: restore the folder")
            continue
        key = _passed_key(site, version, recorded, memo) if memo else None
        if key and key in memo.versions.locked:
            continue
        before = len(problems)
        _verify_version(site, files, version, recorded, problems, previous_files)
        if key and len(problems) == before:
            memo.versions.locked.add(key)


def check_recorded(content: Path, site: Site, problems: Problems) -> None:
    """Every released version must be in the lock: a version marked ``released`` by hand,
    never recorded by ``release``, would otherwise be published unlocked, free to change
    unnoticed. Adopting such a version stays an explicit command (``release VERSION``)."""
    recorded = read_lock(content, problems)["versions"]
    for version in site.versions:
        if version.is_draft or version.name in recorded:
            continue
        loc = version.meta.value_loc("status")
        problems.add(Location(version.paths["version.yaml"], loc.line, loc.column),
                     f"version {version.name} says 'status: released' but was never released: "
                     f"{display_path(lock_path(content))} does not record it, so its text "
                     "would not be locked. Release it with 'python build.py release "
                     f"{version.name}' (which checks it and records it in the lock), or set "
                     "'status: draft' while it is being written")


def _passed_key(site: Site, version: Version, recorded: dict, memo) -> str | None:
    """What a version's check depends on: its bytes, its lock entry, and its fragments
    (through their keys, which cover templates, catalog, code and history membership)."""
    pages = []
    for document in DOCUMENTS:
        in_history = site.entry(document, version.name) is not None
        for lang in LANGUAGES:
            key = memo.keys.get(embed_path(lang, document, version.name)) if in_history else "-"
            if key is None:
                return None
            pages.append(key)
    return memo.versions.lock_key(version, recorded, pages)


def _verify_version(site: Site, files: dict[str, bytes], version: Version, recorded: dict,
                    problems: Problems, previous_files: dict | None = None) -> None:
    """Compare one version with its lock entry. What the entry holds to point at a
    difference (a digest per key, per passage) is worked out only where the whole
    (a file's fingerprint, a document's text digest) differs."""
    fix = (f"undo the change, or record it as an erratum under 'errata:' in "
           f"versions/{version.name}/version.yaml (date, reason in nl and en) and run "
           f"'python build.py lock {version.name}'")
    for name, print_ in model_fingerprints(version, previous_files).items():
        if recorded.get("files", {}).get(name) == print_:
            continue
        before, data = recorded.get("keys", {}).get(name), version.files[name]
        now = _key_digests(name, data)
        changed = [key for key, digest in now.items() if before.get(key) != digest] + \
            [key for key in before if key not in data] if before else []
        if not changed:
            state = "differs from what was released" if name in recorded.get("files", {}) \
                else "was added since the release (the version did not hold it)"
            problems.add(Location(version.paths[name]), f"released version {version.name}: "
                         f"{name} {state}; {fix}")
        for key in changed:
            loc = data.key_locs.get(key) if key in data else None
            where = Location(version.paths[name], loc.line, loc.column) if loc else \
                Location(version.paths[name])
            state = "changed" if key in data and key in before else (
                "was added" if key in data else "was removed")
            problems.add(where, f"released version {version.name}: '{key}' in {name} {state} "
                         f"since the release; {fix}")
    for name in sorted(recorded.get("files", {}).keys() - set(version.files)):
        problems.add(Location(version.paths.get(name, name)), f"released version "
                     f"{version.name}: {name} was removed since the release (the version then "
                     f"held it); restore the file; {fix}")
    folder = Location(str(Path(version.paths["version.yaml"]).parent))
    for document in DOCUMENTS:
        in_history = site.entry(document, version.name) is not None
        for lang in LANGUAGES:
            before = recorded.get("passages", {}).get(document, {}).get(lang)
            text = after = None
            if in_history:
                text = passages(files[embed_path(lang, document, version.name)].decode("utf-8"))
                if _text_digest(text) == recorded.get("documents", {}).get(document, {}).get(lang):
                    continue
                after = _passage_digests(text)
            if before == after:
                continue
            what = f"the {DOCUMENT_NAMES[document]} in {LANGUAGE_NAMES[lang]} ({lang})"
            if before is not None and not version.holds(document):
                continue  # its file was removed: said above
            if before is None or after is None:
                problems.add(folder, f"released version {version.name}: {what} "
                             f"{'now changes' if after else 'no longer changes'} in this "
                             f"version, unlike when it was released; {fix}")
                continue
            where = first_difference(before.split(), after.split(), text)
            problems.add(folder, f"released version {version.name}: {what} differs from the "
                         f"released text: {where}; {fix}")


def first_difference(before: list[str], after: list[str], text: list[str]) -> str:
    """Where two passage lists first part: in words, quoting the passage as it now reads."""
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            after_text = f" after \u201c{_short(text[j1 - 1])}\u201d" if j1 else " at the start"
            return f"passage {i1 + 1} of the released text was removed{after_text}"
        verb = "now reads" if tag == "replace" else "is new and reads"
        return f"passage {j1 + 1} {verb} \u201c{_short(text[j1])}\u201d"
    return "the passages are the same but their fingerprint differs"


def _short(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "\u2026"
