"""What earlier builds learnt about each version, so an unchanged one is not parsed again.

Keyed by a digest of the version folder's bytes (``model.folder_digest``) and
stored in a file named by the digest of the generator's code (and so of the
schema): a version whose exact bytes a build of the same code loaded and
validated without a problem counts as validated. It is read (its bytes are
the key) but parsed only when something needs one of its files, and then one
file at a time (:class:`LazyFiles`). Besides "valid", the cache keeps what the
later stages need from every version of the history:

- ``prints``: the fingerprint of each document, which decides history
  membership (a document is in a version's history when it differs from the
  previous version's);
- ``changes``: the change list of each consecutive pair, keyed by both digests;
- ``locked``: the lock checks that passed, keyed by the version's digest, its
  lock entry and the keys of the pages the check reads;
- ``parts``: the rendered entries of the pages that list every version (history
  pages, feeds), keyed by ``incremental.BuildCache.entry_key``;
- ``catalogs``: the compiled message catalogs, by language and ``.po`` bytes;
- ``markdown``: the HTML of each text the last build converted, and ``templates``
  the compiled templates (Jinja checks each against its source); the code digest
  naming the file also covers the versions of PyYAML, Markdown, nh3, Babel, Jinja.

A build that fails records nothing. The file holds pickled data the build
wrote itself; like the generator's code, the cache folder is trusted (see
README Security): delete it and the next build is a clean one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.content.loader import LoadedContent, LoadedVersion
from generator.content.model import folder_digest
from generator.content.schema import OPTIONAL_FILES, VERSION_FILES
from generator.content.validate import validate_content
from generator.content.yaml_values import parse_yaml
from generator.errors import Problems
from generator.incremental.cache_files import CacheFiles
from generator.render import i18n

FORMAT = 7  # 7: change lists derived from the declarations (issue 20)
# The files LazyFiles parsed and validated in this process, by name, path and bytes: a
# long-running preview reads the same unchanged versions again on every save (the one
# before the draft, for its comparison), and takes them from here. At most this many.
_VALIDATED: dict[tuple[str, str, bytes], object] = {}
_VALIDATED_LIMIT = 256


class TemplateStore(dict):
    """Compiled templates by Jinja's key: the client of a ``MemcachedBytecodeCache``."""

    def set(self, key, value, timeout=None):
        self[key] = value


class LazyFiles(Mapping):
    """The validated files of a version known to be valid, each parsed when first read."""

    def __init__(self, loaded: LoadedVersion):
        self._loaded = loaded
        self._files: dict[str, object] = {}
        self.parsed = 0

    def __getitem__(self, name: str):
        found = self._files.get(name)
        if found is None:
            if name not in self._loaded.raw:
                raise KeyError(name)
            found = self._files[name] = self._validate(name)
        return found

    def _validate(self, name: str):
        loaded = self._loaded
        key = (name, loaded.paths[name], loaded.raw[name])
        found = _VALIDATED.get(key)
        if found is None:
            if len(_VALIDATED) >= _VALIDATED_LIMIT:
                _VALIDATED.clear()
            found = _VALIDATED[key] = self._parse(name)
        return found

    def _parse(self, name: str):
        loaded, problems = self._loaded, Problems()
        self.parsed += 1
        value = parse_yaml(loaded.raw[name], loaded.paths[name], problems)
        part = LoadedVersion(loaded.name, loaded.effective, loaded.folder, {name: value},
                             loaded.paths, loaded.raw)
        valid = validate_content(LoadedContent(loaded.folder, versions=[part]), problems)
        if problems:  # the cache said these bytes were valid: it is not ours, or damaged
            raise RuntimeError(f"{loaded.paths[name]} was cached as valid but is not; "
                               "delete the cache folder and build again")
        return valid.versions[0].files[name]

    def __iter__(self) -> Iterator[str]:
        return (name for name in VERSION_FILES if name in self._loaded.raw)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass
class CachedVersion:
    """A ``validate.ValidVersion`` of a version validated by an earlier build."""
    name: str
    effective: date
    files: LazyFiles
    paths: dict[str, str]
    raw: dict[str, bytes]
    prints: dict[str, str] = field(default_factory=dict)
    digest: str = ""


class VersionCache:
    """Per-version results, in memory (``serve``) or also in a file (``build``)."""

    def __init__(self, folder: Path | None = None, code: str = "",
                 files: CacheFiles | None = None):
        self.path = folder / f"versions-{code[:16]}.pickle" if folder else None
        # how the file is read and written (what it cannot read does not fail a build)
        self.files = files or (CacheFiles(folder) if folder else None)
        self.known: dict[str, dict[str, str]] = {}  # folder digest -> document prints
        self.changes: dict[tuple[str, str, str], list] = {}
        self.locked: set[str] = set()
        self.markdown: dict[str, str] = {}  # text -> its HTML (text.MarkdownConverter)
        self.templates = TemplateStore()  # compiled by this code (a ``jinja2`` client)
        self.parts: dict[str, str] = {}  # key -> a rendered history or feed entry
        self._used_parts: set[str] = set()
        self._used_changes: set[tuple[str, str, str]] = set()
        self._used_locks: set[str] = set()
        self.reused = 0
        self._digests: dict[int, str] = {}  # id of a LoadedVersion -> its folder digest
        if self.path:
            self._read()

    def _read(self) -> None:
        try:
            state = self.files.read(self.path)
            if state is not None and state["format"] == FORMAT:
                self.known, self.changes, self.locked, self.markdown, self.parts = (
                    state["known"], state["changes"], state["locked"], state["markdown"],
                    state["parts"])
                i18n.COMPILED.update(state["catalogs"])  # not compiled again in this process
                self.templates.update(state["templates"])
        except Exception:  # missing, damaged or from another version: start afresh
            self.known, self.changes, self.locked, self.markdown, self.parts = (
                {}, {}, set(), {}, {})
            self.templates.clear()

    # loading ---------------------------------------------------------------
    def is_known(self, loaded: LoadedVersion) -> bool:
        """For ``load_content``: were exactly these bytes validated before?"""
        if len(loaded.raw) + len(OPTIONAL_FILES - loaded.raw.keys()) != len(VERSION_FILES):
            return False  # a file missing (or unreadable): not the bytes validated before
        digest = self._digests.get(id(loaded))
        if digest is None:
            digest = self._digests[id(loaded)] = folder_digest(loaded.raw)
        return digest in self.known

    def wrap(self, loaded: LoadedVersion) -> CachedVersion:
        self.reused += 1
        digest = self._digests[id(loaded)]
        return CachedVersion(loaded.name, loaded.effective, LazyFiles(loaded), loaded.paths,
                             loaded.raw, dict(self.known[digest]), digest)

    # derived results ---------------------------------------------------------
    def change_list(self, document: str, old, new, compute) -> list:
        """The changes of ``document`` from version ``old`` to ``new`` (model Versions)."""
        key = (document, old.digest, new.digest)
        self._used_changes.add(key)
        found = self.changes.get(key)
        if found is None:
            found = self.changes[key] = compute()
        return found

    def part(self, key: str, make) -> str:
        """A rendered entry made under ``key`` (which covers all it shows), or ``make()``."""
        self._used_parts.add(key)
        found = self.parts.get(key)
        if found is None:
            found = self.parts[key] = str(make())
        return found

    def lock_key(self, version, recorded: dict, page_keys: list[str]) -> str:
        text = json.dumps([version.digest, recorded, page_keys], sort_keys=True, default=str)
        key = hashlib.sha256(text.encode()).hexdigest()
        self._used_locks.add(key)
        return key

    # saving ------------------------------------------------------------------
    def remember(self, valid_versions, site_versions, markdown: dict | None = None) -> None:
        """Record the versions of a successful build, and drop what it no longer used.
        ``valid_versions`` are all it validated, ``site_versions`` (model Versions, with
        their document prints) those it built, ``markdown`` the texts it converted."""
        self.markdown = {text: str(html) for text, html in (markdown or {}).items()}
        prints = {version.digest: dict(version.prints) for version in site_versions}
        # the digest each built version made of its bytes, which it may have dropped since
        digests = {id(version.raw): version.digest for version in site_versions}
        self.known = {}
        for valid in valid_versions:
            digest = digests.get(id(valid.raw)) or folder_digest(valid.raw)
            self.known[digest] = prints.get(digest) or dict(getattr(valid, "prints", {}))
        self.changes = {key: self.changes[key] for key in self._used_changes
                        if key in self.changes}
        self.locked &= self._used_locks
        self.parts = {key: self.parts[key] for key in self._used_parts if key in self.parts}
        self._used_changes, self._used_locks, self._used_parts = set(), set(), set()
        if not self.path:
            return
        state = {"format": FORMAT, "known": self.known, "changes": self.changes,
                 "locked": self.locked, "markdown": self.markdown, "parts": self.parts,
                 "catalogs": dict(i18n.COMPILED),
                 "templates": dict(self.templates)}
        for old in self.path.parent.glob("versions-*.pickle"):
            if old != self.path:
                self.files.remove(old)  # made by other generator code (a file only)
        self.files.write(self.path, state)
