"""Stage 3, model: validated content as versions of two documents.

A :class:`Version` wraps one dated snapshot with indexes by id. A
:class:`Site` orders the versions and answers, for a build date, which
version of each document is current, which are announced and which are
superseded, and over which period each was in effect. A document's history
holds only the versions in which that document changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from generator import json_text
from generator.content import files as content_files
from generator.content.documents import held
from generator.content.files import bytes_digest
from generator.content.located import LocalText, YMap
from generator.content.schema import DOCUMENT_FILES, DOCUMENTS
from generator.content.validate import ValidContent, ValidVersion


def to_plain(value):
    """Normalised model values as JSON-able data (dates as ISO text)."""
    if isinstance(value, LocalText):
        return dict(value.values)
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _plain_leaf(value):
    """``to_plain`` for what JSON cannot write itself: texts and dates."""
    if isinstance(value, LocalText):
        return dict(value.values)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot fingerprint a {type(value).__name__}")


def fingerprint(data) -> str:
    """The SHA-256 of ``to_plain(data)`` as canonical JSON: sorted keys, no spaces,
    UTF-8 (``json_text.compact``, which takes mappings and lists as they are)."""
    text = json_text.compact(data, _plain_leaf, sort_keys=True)
    return "sha256:" + hashlib.sha256(text).hexdigest()


def folder_digest(raw: Mapping[str, bytes]) -> str:
    """A digest of a version folder: each file's name and the SHA-256 of its bytes
    (known already for the bytes of a file the incremental build digested)."""
    digest = hashlib.sha256()
    for name in sorted(raw):
        digest.update(name.encode() + b"\x00" + bytes_digest(raw[name]))
    return digest.hexdigest()


@dataclass
class Version:
    """One version. ``files`` may be a lazy mapping (``version_cache.LazyFiles``) that
    parses a file of an unchanged version only when something reads it; ``prints``
    holds document fingerprints known from the cache, so history membership needs
    no file at all."""
    name: str
    effective: date
    files: Mapping[str, YMap]
    paths: dict[str, str]
    raw: dict[str, bytes]
    prints: dict[str, str] = field(default_factory=dict)

    @cached_property
    def digest(self) -> str:
        """A digest of the version folder's bytes (what the caches are keyed by)."""
        return folder_digest(self.raw)

    def document_digest(self, document: str) -> str:
        """A digest of the files ``document``'s pages read: ``version.yaml`` and its
        ``DOCUMENT_FILES`` (tests/test_document_files.py holds the templates to that)."""
        known = self.__dict__.setdefault("_document_digests", {})
        if document not in known:
            names = ("version.yaml", *DOCUMENT_FILES[document])
            known[document] = folder_digest({name: self.raw[name] for name in names
                                             if name in self.raw})
        return known[document]

    @cached_property
    def documents(self) -> tuple[str, ...]:
        """The documents this version holds (a version folder without ``cookies.yaml``
        has no cookie statement: ``documents.held``)."""
        return held(self.raw)

    def holds(self, document: str) -> bool:
        return document in self.documents

    def drop_bytes(self) -> None:
        """Forget the folder's bytes (a build with a render helper), keeping the digests
        made of them and the documents it holds; ``raw`` is then empty, here and in the
        validated version."""
        for document in DOCUMENT_FILES:
            self.document_digest(document)
        self.__dict__.setdefault("documents", held(self.raw))
        if "digest" not in self.__dict__:  # the cached property, made now
            self.__dict__["digest"] = folder_digest(self.raw)
        self.raw.clear()

    @cached_property
    def meta(self) -> YMap:
        return self.files["version.yaml"]

    @cached_property
    def organisation(self) -> YMap:
        return self.files["organisation.yaml"]

    @cached_property
    def privacy(self) -> YMap:
        return self.files["privacy.yaml"]

    @cached_property
    def groups(self) -> list:
        return list(self.files["purposes.yaml"]["groups"])

    @cached_property
    def purposes(self) -> dict[str, YMap]:
        return {p["id"]: p for g in self.groups for p in g["purposes"]}

    @cached_property
    def categories(self) -> dict[str, YMap]:
        return {c["id"]: c for c in self.files["data_categories.yaml"]["categories"]}

    @cached_property
    def recipients(self) -> dict[str, YMap]:
        return {r["id"]: r for r in self.files["recipients.yaml"]["recipients"]}

    @cached_property
    def cookie_statement(self) -> YMap:
        return self.files["cookies.yaml"]

    @cached_property
    def cookies(self) -> dict[str, YMap]:
        """The cookies by name; none in a version without a cookie statement."""
        if not self.holds("cookies"):
            return {}
        return {c["name"]: c for c in self.cookie_statement["cookies"]}

    @property
    def is_draft(self) -> bool:
        return self.meta["status"] == "draft"

    def document_model(self, document: str) -> dict:
        return {name: self.files[name] for name in DOCUMENT_FILES[document]}

    def document_fingerprint(self, document: str) -> str:
        known = self.prints.get(document)
        if known is None:
            known = self.prints[document] = fingerprint(self.document_model(document))
        return known

    def purposes_using(self, kind: str, ident: str) -> list[YMap]:
        """The purposes that reference a data category or recipient."""
        key = {"data_category": "data_categories", "recipient": "recipients"}[kind]
        return [p for p in self.purposes.values() if ident in p[key]]


@dataclass
class DocumentVersion:
    """One entry in a document's history."""
    document: str
    version: Version
    previous: DocumentVersion | None = None
    until: date | None = None  # last day in effect; None while open-ended
    status: str = "current"  # current | announced | superseded | draft

    @property
    def name(self) -> str:
        return self.version.name

    @property
    def summary(self):
        """What changed in this document in this version: its own summary
        (``summaries``), else the version's ``summary``."""
        meta = self.version.meta
        own = (meta.get("summaries") or {}).get(self.document)
        return own if own is not None else meta.get("summary")

    @property
    def reconstructed(self):
        """The note of a version that reconstructs an earlier publication, or None."""
        found = self.version.meta.get("reconstructed")
        return found["note"] if found else None

    @property
    def effective(self) -> date:
        return self.version.effective


@dataclass
class Site:
    base_url: str
    title: object
    versions: list[Version]
    today: date
    histories: dict[str, list[DocumentVersion]] = field(default_factory=dict)
    # for how many days after a version takes effect its current page says what changed
    change_notice_days: int = 30
    # per document: the current entry and the announced ones, as the histories say;
    # every page asks, and a long history is long to search on every page
    _current: dict[str, DocumentVersion | None] = field(default_factory=dict, repr=False)
    _announced: dict[str, list[DocumentVersion]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for document in DOCUMENTS:
            entries = self.histories[document] = self._history(document)
            self._current[document] = next((e for e in entries if e.status == "current"),
                                           None)
            self._announced[document] = [e for e in entries
                                         if e.status in ("announced", "draft")]

    def _history(self, document: str) -> list[DocumentVersion]:
        entries: list[DocumentVersion] = []
        last_print = None
        for version in self.versions:
            if document not in version.documents:
                continue  # not in this version (its history starts where it appears)
            current_print = version.document_fingerprint(document)
            if current_print == last_print:
                continue
            last_print = current_print
            entries.append(DocumentVersion(document, version,
                                           previous=entries[-1] if entries else None))
        for entry, following in zip(entries, entries[1:], strict=False):
            entry.until = following.effective - timedelta(days=1)
        in_effect = [e for e in entries if not e.version.is_draft and e.effective <= self.today]
        current = in_effect[-1] if in_effect else None
        for entry in entries:
            if entry.version.is_draft:
                entry.status = "draft"
            elif entry is current:
                entry.status = "current"
            elif entry.effective > self.today:
                entry.status = "announced"
            else:
                entry.status = "superseded"
        return entries

    def drop_bytes(self) -> None:
        """Forget the content's bytes, which nothing reads once the model is made (see
        ``render_helper.py``): every version's digests are made first."""
        for version in self.versions:
            version.drop_bytes()
        content_files.forget_bytes()

    @property
    def documents(self) -> tuple[str, ...]:
        """The documents some version holds: those the site has pages of."""
        return tuple(document for document in DOCUMENTS if self.histories[document])

    def history(self, document: str) -> list[DocumentVersion]:
        return self.histories[document]

    def current(self, document: str) -> DocumentVersion | None:
        return self._current[document]

    def announced(self, document: str) -> list[DocumentVersion]:
        return list(self._announced[document])

    def change_notice(self, entry: DocumentVersion) -> bool:
        """Whether ``entry`` is the current version, has a predecessor, and took effect
        fewer than ``change_notice_days`` days before the build date: its page and
        fragment then say what changed."""
        return (entry.status == "current" and entry.previous is not None
                and self.today < entry.effective + timedelta(days=self.change_notice_days))

    def entry(self, document: str, version_name: str) -> DocumentVersion | None:
        return next((e for e in self.histories[document] if e.name == version_name), None)


def build_site(valid: ValidContent, today: date, drafts: bool) -> Site:
    """The model of the whole site. Drafts are left out unless asked for."""
    versions = [_version(v) for v in valid.versions]
    if not drafts:
        versions = [v for v in versions if not v.is_draft]
    versions.sort(key=lambda v: v.effective)
    return Site(base_url=valid.site["base_url"].rstrip("/") + "/", title=valid.site["title"],
                versions=versions, today=today,
                change_notice_days=_days(valid.site.get("change_notice_days")))


def _days(given) -> int:
    return 30 if given is None else int(given)


def _version(valid: ValidVersion) -> Version:
    version = Version(valid.name, valid.effective, valid.files, valid.paths, valid.raw,
                      dict(getattr(valid, "prints", None) or {}))
    if getattr(valid, "digest", None):  # known from the cache (version_cache.CachedVersion)
        version.__dict__["digest"] = valid.digest
    return version
