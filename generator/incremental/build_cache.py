"""Incremental rebuilds: a persistent cache of what the last build wrote.

The cache folder (``.privacy-docs-cache/`` by default; safe to delete at any
time, the next build is then a clean one) holds one state per output folder
(``build-<hash>.pickle``; the folder is trusted like the code, see README
Security), besides the per-version results (``version_cache.py``), the input
files' digests (``content/files.py``) and the spare staging folder. What a build
cannot read there (a damaged file, a folder where a file should be) fails no
build: it is removed when it is a file of ours, else left alone, and said once
(``cache_files.py``); a cache that cannot be saved after the site was published
(a full disk) is a warning too, and the next build a clean one:

- ``inputs``: a digest of every input byte (content, templates, catalog, the
  generator's own code) and of the build options. When it is unchanged and
  the output folder still holds exactly what the last build wrote, nothing
  is loaded, rendered or written: the site is already right.
- ``files``: for each output file produced from one document version, the
  digest of everything that file depends on (see :meth:`BuildCache.entry_key`)
  and the file's size and modification time. A build renders a version's
  pages again only when that digest changed or the file was touched; other
  files are taken from the previous site (read for the later stages, and
  hard-linked into the new folder), so the output is byte-identical to a
  clean build and still swapped in atomically by ``output/write.py``.
- ``render`` and ``site``: the parts of that digest every page shares (site.yaml,
  templates, catalog, code and options; which versions are current and
  announced). When either changed, no page can be reused, and the build takes
  the clean path instead (:attr:`BuildCache.cold`): a rebuild in which
  everything changed costs what a build without a cache costs, not more.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path

import babel
import jinja2
import markdown
import nh3
import yaml

from generator.content.files import file_digest, recorded_digests, take_digests
from generator.incremental.cache_files import CacheFiles
from generator.incremental.version_cache import VersionCache
from generator.output.folder import MARKER
from generator.output.write import FileAt, inventory
from generator.render.kinds import INPUTS

DIGESTS = "digests.pickle"  # each input file's SHA-256 by its stat (content/files.py)
# What else decides what a version's files and texts become
LIBRARIES = tuple(getattr(module, "__version__", "?") for module in (yaml, markdown, nh3, babel,
                                                                      jinja2))
FORMAT = 4
GENERATOR = Path(__file__).resolve().parents[1]
MAX_DIGEST_BYTES = 16 << 20


def _file_print(path: str) -> bytes:
    """What stands for a file in the digest: the SHA-256 of its bytes. A pipe, a device
    or a huge file (which the loader refuses) is never read: reading /dev/zero or a pipe
    would not end."""
    try:
        info = os.stat(path)
    except OSError:
        return b"?missing"
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_DIGEST_BYTES:
        return f"?{info.st_mode} {info.st_size} {info.st_mtime_ns}".encode()
    return file_digest(path, info)


def _digest_tree(digest, root: Path) -> None:
    """Every file under ``root`` (name and bytes), in a fixed order."""
    if root.is_file():
        digest.update(b"F" + _file_print(str(root)))
        return
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__" and not d.startswith("."))
        relative = os.path.relpath(folder, root)
        for name in sorted(names):
            if name.endswith(".pyc"):
                continue
            digest.update(b"\x00" + os.path.join(relative, name).encode() + b"\x00")
            digest.update(_file_print(f"{folder}/{name}"))


def _digest(*roots: Path, options: tuple = (), known: dict[Path, str] | None = None) -> str:
    """A digest of the files under ``roots`` and of ``options``; ``known`` holds each
    root's own digest once made, for the next digest of the same build."""
    known = {} if known is None else known
    digest = hashlib.sha256(f"format {FORMAT} {options!r}".encode())
    for root in roots:
        if root not in known:
            part = hashlib.sha256(str(root).encode())
            if root.exists():
                _digest_tree(part, root)
            known[root] = part.hexdigest()
        digest.update(b"\x01" + known[root].encode())
    return digest.hexdigest()


class SiteFiles(Mapping):
    """The files of a site already on disk, read only when asked for."""

    def __init__(self, out: Path, paths: list[str]):
        self._out, self._paths, self._known = out, paths, set(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._known:
            raise KeyError(path)
        return (self._out / path).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


class PageReuse:
    """Keys for the pages of each document version, and reuse of earlier ones."""

    def __init__(self, render_key: str = ""):
        # everything a version's pages depend on besides the versions themselves;
        # the build date only through the versions' status and period
        self.render_key = render_key
        self.keys: dict[str, str] = {}  # output path -> its key in this build
        self.rendered = self.reused = 0
        self.kept: set[str] = set()  # paths whose file was taken from the last build
        # (the site, its inputs read once: name -> value)
        self._site_part: tuple[object, dict[str, str]] | None = None
        self.versions = VersionCache()  # per-version results (``version_cache.py``)
        # key -> (paths, paths by kind) of one version's exports, made or reused
        self.exported: dict[str, tuple[list[str], dict[str, str]]] = {}

    def _previous(self, path: str, key: str) -> bytes | FileAt | None:
        """The earlier build's bytes of ``path`` (or the file holding them) if they were
        made under ``key``."""
        raise NotImplementedError

    def _site_input(self, name: str, site) -> str:
        """An input that is the same for every version of ``site`` (``Input.of_site``),
        read once for the site. The statuses are always read: the next build compares
        them (``every_page_changes``)."""
        if self._site_part is None or self._site_part[0] is not site:
            self._site_part = (site, {"statuses": INPUTS["statuses"].read(site, None)})
        known = self._site_part[1]
        if name not in known:
            known[name] = INPUTS[name].read(site, None)
        return known[name]

    def _site_key(self, site) -> str:
        """Which version is current and which are announced (or drafts), per document
        (``kinds.statuses``): of these every page shows the name and date (and status),
        not the text, which is on their own pages. So an edit of a draft, as in the
        preview, leaves the other versions' pages as they are."""
        return self._site_input("statuses", site)

    def entry_key(self, site, entry, lang: str, kind) -> str:
        """The key of what ``kind`` makes of one document version in ``lang`` (a page,
        an entry on a page listing every version, an export; ``lang`` "-" for what holds
        both languages), derived from the kind's declaration, never chosen here: where
        it is (the kind, language, document and version), what every page depends on
        (``render_key``), and each input the kind says its pages show
        (``kind.depends``, read as ``render/kinds.py``'s ``INPUTS`` say). Of a version
        and its predecessor, only the files that document reads count
        (``Version.document_digest``): an edit to the cookie statement leaves the
        privacy statement's pages as they are.
        """
        parts = [self.render_key, kind.name, lang, entry.document, entry.name]
        for name in kind.depends:
            source = INPUTS[name]
            parts.append(name + "=" + (self._site_input(name, site) if source.of_site
                                       else source.read(site, entry)))
        return hashlib.sha256("\x00".join(parts).encode()).hexdigest()

    def reuse(self, out: dict[str, bytes], key: str, paths: list[str]) -> bool:
        """Put the earlier build's files for ``paths`` into ``out`` if still right."""
        found = []
        for path in paths:
            data = self._previous(path, key)
            if data is None:
                return False
            found.append(data)
        for path, data in zip(paths, found, strict=True):
            if path in out:
                raise RuntimeError(f"two outputs claim the path {path}")
            out[path] = data
        self.remember(key, paths)
        self.reused += len(paths)
        self.kept.update(paths)
        return True

    def exports(self, out: dict[str, bytes], key: str, produce) -> dict[str, str]:
        """The export files of one document version, put into ``out``: the earlier
        build's when made under ``key``, else made by ``produce(part)``, which puts them
        into ``part`` and returns the paths the API index names."""
        named = self.reused_exports(out, key)
        if named is not None:
            return named
        part: dict[str, bytes] = {}
        named = produce(part)
        self.made_exports(out, key, part, named)
        return named

    def reused_exports(self, out: dict[str, bytes], key: str) -> dict[str, str] | None:
        """The earlier build's export files made under ``key``, put into ``out``, and the
        paths the index names; None when there are none to take (``exports``)."""
        known = self._previous_exports(key)
        if known is not None and self.reuse(out, key, known[0]):
            self.exported[key] = known
            return dict(known[1])
        return None

    def made_exports(self, out: dict[str, bytes], key: str, part: dict[str, bytes],
                     named: dict[str, str]) -> None:
        """Export files made under ``key`` (``part``), put into ``out`` and recorded."""
        for path, data in part.items():
            if path in out:
                raise RuntimeError(f"two outputs claim the path {path}")
            out[path] = data
        self.remember(key, list(part), rendered=True)
        self.exported[key] = (list(part), named)

    def _previous_exports(self, key: str) -> tuple[list[str], dict[str, str]] | None:
        raise NotImplementedError

    def remember(self, key: str, paths: list[str], rendered: bool = False) -> None:
        for path in paths:
            self.keys[path] = key
        if rendered:
            self.rendered += len(paths)


class BuildCache(PageReuse):
    """The state of the last build into one output folder, and the memo for this one."""

    def __init__(self, folder: Path, project, out: Path, today: date, drafts: bool,
                 fragment_heading_level: int, finish: str = ""):
        sources, parts = (GENERATOR, project.templates, project.locales), {}
        self.files = CacheFiles(folder)  # what it cannot read there fails no build
        # files unchanged since are not read to digest them
        take_digests(self.files.read(folder / DIGESTS))
        super().__init__(_digest(project.content.absolute() / "site.yaml", *sources,
                                 options=(drafts, fragment_heading_level, finish), known=parts))
        self.out = out.absolute()
        self._out_prefix = f"{self.out}/"
        name = hashlib.sha256(str(self.out).encode()).hexdigest()[:16]
        self.state_path = folder / f"build-{name}.pickle"
        self.spare = folder / f"spare-{name}"  # the site before, made the next staging folder
        options = (str(self.out), today.isoformat(), drafts, fragment_heading_level, finish)
        self.inputs = _digest(project.content.absolute(), *sources, options=options,
                              known=parts)
        self.previous = self._read_state()
        self.folder = folder
        self.code = _digest(GENERATOR, options=LIBRARIES, known=parts)
        self.versions = VersionCache(folder, self.code, self.files)
        # The clean path, decided from the keys before anything is loaded: no earlier build
        # of this output folder is recorded, its site is gone, or what every page depends
        # on changed since (``render_key``: site.yaml, the templates, the catalog, the
        # code, the options), so that no page could be reused. Such a build loads every
        # version as a build without a cache does (every file up front, not one file
        # at a time as pages ask for them), and a render helper makes a long history's
        # older pages; what it made is saved for the next build as always. The model can
        # still make a build cold (``every_page_changes``).
        self.cold = self.previous.get("render") != self.render_key or not self.out.is_dir()

    def every_page_changes(self, site) -> bool:
        """Whether the model changes what every page shows since the last build: which
        version of a document is current, which are announced (a version took effect, one
        dated later was added or removed). Then no page could be reused either, and the
        build is better made on the clean path (``cold``), known before rendering."""
        return self.previous.get("site") != self._site_key(site)

    def compiled_templates(self) -> jinja2.BytecodeCache:
        """Jinja's cache of compiled templates, kept with the other per-code results (so a
        failed build writes nothing); Jinja checks each against its template's source."""
        return jinja2.MemcachedBytecodeCache(self.versions.templates)

    def _previous(self, path: str, key: str) -> FileAt | None:
        recorded = self.previous.get("files", {}).get(path)
        if not recorded or recorded[0] != key:
            return None
        info = self._intact(path, recorded)
        if info is None:
            return None  # gone or changed since (by hand?): made again
        found = FileAt(self._out_prefix + path)  # read only if needed (OutputFiles)
        found.inode = (info.st_dev, info.st_ino)  # spares staging a stat
        return found

    def _previous_exports(self, key: str) -> tuple[list[str], dict[str, str]] | None:
        known = self.previous.get("exports", {}).get(key)
        return (known[0], known[1]) if known else None

    def _read_state(self) -> dict:
        """The last build's state; none when missing, unreadable (``cache_files``) or from
        another version: a clean build."""
        state = self.files.read(self.state_path, needed=True)
        return state if isinstance(state, dict) and state.get("format") == FORMAT else {}

    def _intact(self, path: str, recorded) -> os.stat_result | None:
        """The file's stat when it is as recorded (size, modification time), else None."""
        try:
            info = os.stat(self._out_prefix + path)
        except OSError:
            return None
        return info if [info.st_size, info.st_mtime_ns] == recorded[1:] else None

    def unchanged(self) -> SiteFiles | None:
        """The site as it is, when no input changed and it is as the last build left it."""
        if self.previous.get("inputs") != self.inputs:
            return None
        files = self.previous.get("all", {})
        try:
            present = inventory(self.out)[0].keys() - {MARKER}
        except OSError:  # the output folder is gone
            return None
        if present != files.keys() or not all(self._intact(path, [None, *stat]) is not None
                                            for path, stat in files.items()):
            return None
        return SiteFiles(self.out, list(files))

    def save(self, paths) -> None:
        """Record this build once its site is in place (a failed build records nothing)."""
        everything, files = {}, {}
        before = self.previous.get("all", {})
        for path in paths:
            if path in self.kept and path in before:  # the same file (hard-linked), found
                everything[path] = before[path]  # intact by reuse()
            else:
                info = os.stat(self._out_prefix + path)
                everything[path] = [info.st_size, info.st_mtime_ns]
            if path in self.keys:
                files[path] = [self.keys[path], *everything[path]]
        state = {"format": FORMAT, "inputs": self.inputs, "render": self.render_key,
                 "site": self._site_part[1].get("statuses") if self._site_part else None,
                 "all": everything, "files": files, "exports": self.exported}
        self.files.write(self.folder / DIGESTS, recorded_digests())
        self.files.write(self.state_path, state)  # pickle: faster than JSON for this state

    def forget(self) -> bool:
        """Remove the state of this output folder (after a failed save), so that the next
        build is a clean one; whether it is gone. The rest of the cache is keyed by what
        it holds, and stays right whatever was saved of it."""
        return self.files.remove(self.state_path)
