"""Reading a content file safely, and naming it as people read it.

Content comes from people and may be anything: a link to a file outside the
content folder, a pipe that never ends, a device, a file of gigabytes. Each is
a located problem, never read. The common case, an ordinary file, costs one
``open`` (without following a link or waiting for a pipe's writer) and one
``fstat`` of what was opened; only a link is resolved and checked first.

A long-running process (``serve``) reads the same files on every save: with a
:class:`FileMemory` installed (the speed wing owns one per build or session), a
file whose ``stat`` (device, inode, size, modification and change times) is what
it was when it was last read is not read again, and its digest is not computed
again. The digests are also kept in the incremental build's cache
(:func:`load_digests`, :func:`save_digests`), so that the next process need not
read an unchanged file to know its digest. A file changed in the last two
seconds is never taken as known, so two saves within one tick of the file
system's clock cannot be mistaken for one (the "racily clean" rule of git's
index); a later change always moves the change time past a recorded one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import time
from contextlib import contextmanager
from pathlib import Path

from generator.errors import Location, Problems

MAX_FILE_BYTES = 512 * 1024
_SETTLED_NS = 2_000_000_000  # unchanged for this long: its stat says it is unchanged


class FileMemory:
    """What one build, or one ``serve`` session, learnt of the files it read: each
    settled file's bytes and digest by its stat, so an unchanged file is not read or
    digested again; and one bytes object per distinct content (versions repeat most
    of their files unchanged: a long history holds each once, and a bytes object keeps
    its hash, which the loader looks it up by again). It keeps at most ``limit`` bytes
    of files, and starts afresh beyond that, so a long ``serve`` session stays bounded.
    In use while installed (:func:`remembering`); a plain build has none."""

    def __init__(self, limit: int = 64 << 20) -> None:
        self.limit = limit
        # (device, inode) -> [stat signature, its bytes or None, their SHA-256 or None]
        self.files: dict[tuple[int, int], list] = {}
        self.digest_of: dict[int, tuple[bytes, bytes]] = {}  # id(bytes kept) -> (bytes, SHA)
        self.same: dict[bytes, bytes] = {}
        self.kept = 0

    def known(self, info: os.stat_result) -> list | None:
        signature = _signature(info)
        found = self.files.get((info.st_dev, info.st_ino)) if signature is not None else None
        return found if found is not None and found[0] == signature else None

    def keep(self, info: os.stat_result, data: bytes | None, digest: bytes | None) -> None:
        """Remember a file's bytes and digest by its stat. A file changed too recently
        to tell is remembered too, but never taken as known (:meth:`known`): only so
        that its bytes are dropped once it changes again."""
        key = (info.st_dev, info.st_ino)
        before = self.files.get(key)
        if before is not None and before[1] is not None and before[1] is not data:
            self._drop(before[1])  # the file changed: what it held is not kept for it
        if data is not None:
            if self.kept + len(data) > self.limit:
                self.files.clear()
                self.digest_of.clear()
                self.same.clear()
                self.kept = 0
            self.kept += len(data)
            if digest is not None:
                self.digest_of[id(data)] = (data, digest)
        self.files[key] = [_signature(info), data, digest]

    def _drop(self, data: bytes) -> None:
        """Forget ``data`` as a content (an edited file's earlier bytes), so that a
        session saving one file again and again keeps one version of it. Another file
        holding the same bytes still has them; their digest is then computed again."""
        if self.same.get(data) is data:
            del self.same[data]
            self.kept -= len(data)
        if self.digest_of.get(id(data), (None,))[0] is data:
            del self.digest_of[id(data)]

    def forget_bytes(self) -> None:
        """Drop the files' bytes (their digests stay)."""
        for entry in self.files.values():
            entry[1] = None
        self.digest_of.clear()
        self.same.clear()
        self.kept = 0


_memory: FileMemory | None = None  # the memory installed (``remembering``), if any


@contextmanager
def remembering(memory: FileMemory | None):
    """Read and digest files with ``memory`` (None: with none) while in this block."""
    global _memory
    before, _memory = _memory, memory
    try:
        yield memory
    finally:
        _memory = before


def _signature(info: os.stat_result) -> tuple | None:
    """What identifies a file's bytes; None if it changed too recently to tell."""
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) < _SETTLED_NS:
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def file_digest(path: str, info: os.stat_result) -> bytes:
    """The SHA-256 of an ordinary file whose ``stat`` is ``info``; with a memory
    installed, computed once per file version, and the bytes kept for the loader,
    which reads the same files next."""
    memory = _memory
    known = memory.known(info) if memory is not None else None
    if known is not None and known[2] is not None:
        return known[2]
    with open(path, "rb") as stream:
        data = stream.read()
    digest = hashlib.sha256(data).digest()
    if memory is not None:
        memory.keep(info, data if len(data) <= MAX_FILE_BYTES else None, digest)
    return digest


def recorded_digests() -> dict:
    """The digest of every settled file digested with the memory installed, by its stat,
    to record (for :func:`take_digests` in the next process)."""
    if _memory is None:
        return {}
    return {key: (entry[0], entry[2]) for key, entry in _memory.files.items()
            if entry[0] is not None and entry[2] is not None}


def take_digests(recorded) -> None:
    """Take the digests :func:`recorded_digests` gave (anything else: none)."""
    if _memory is None:
        return
    try:
        for key, (signature, digest) in recorded.items():
            _memory.files.setdefault(key, [signature, None, digest])
    except Exception:  # not what was recorded (from another version): digest afresh
        return


def load_digests(path: Path) -> None:
    """Take the digests :func:`save_digests` recorded (a missing or damaged file: none)."""
    try:
        with open(path, "rb") as stream:
            recorded = pickle.load(stream)
    except Exception:  # missing, damaged or from another version: digest afresh
        return
    take_digests(recorded)


def save_digests(path: Path) -> None:
    """Record the digest of every settled file digested with the memory installed."""
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    with open(temporary, "wb") as stream:
        pickle.dump(recorded_digests(), stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def forget_bytes() -> None:
    """Drop the files' bytes the installed memory kept for the loader (their digests
    stay)."""
    if _memory is not None:
        _memory.forget_bytes()


def bytes_digest(data: bytes) -> bytes:
    """The SHA-256 of ``data``: looked up when they are the bytes of a file digested
    before (by identity), else computed."""
    known = _memory.digest_of.get(id(data)) if _memory is not None else None
    if known is not None and known[0] is data:
        return known[1]
    return hashlib.sha256(data).digest()


def display_path(path: Path) -> str:
    """A path as people should read it: relative to the working folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def read_content_file(path: Path, root: Path, problems: Problems,
                      limit: int = MAX_FILE_BYTES) -> bytes | None:
    """The bytes of a file under ``root``; a link out of it, a device or pipe, or a file over
    ``limit`` bytes is a located problem (and None), never read."""
    try:  # the common case, an ordinary file: opened without following a link or
        # waiting for a pipe's writer, then checked by what was opened
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:  # a link, or missing: resolved and checked first
        return _read_resolved(path, root, problems, limit)
    try:
        return _read_open(descriptor, path, problems, limit)
    finally:
        os.close(descriptor)


def _read_resolved(path: Path, root: Path, problems: Problems, limit: int) -> bytes | None:
    try:
        resolved = path.resolve(strict=True)
    except OSError:
        problems.add(Location(display_path(path)), "file is missing")
        return None
    if not resolved.is_relative_to(root.resolve()):
        problems.add(Location(display_path(path)), "this is a link to a file outside the "
                     "content folder; content files must be inside it")
        return None
    try:
        descriptor = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        problems.add(Location(display_path(path)), f"cannot read the file: {error.strerror}")
        return None
    try:
        return _read_open(descriptor, path, problems, limit)
    finally:
        os.close(descriptor)


def _read_open(descriptor: int, path: Path, problems: Problems, limit: int) -> bytes | None:
    too_large = f"file is larger than {limit // 1024} KiB"
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            problems.add(Location(display_path(path)), "this is not an ordinary file (a pipe, "
                         "device or folder?); content files must be text files")
            return None
        if info.st_size > limit:
            problems.add(Location(display_path(path), 1, 1), too_large)
            return None
        memory = _memory
        known = memory.known(info) if memory is not None else None
        if known is not None and known[1] is not None:
            return known[1]
        with open(descriptor, "rb", closefd=False) as file:
            # as large as fstat() said: asking for the limit allocated 512 KiB a file,
            # which is slow over many files; a file grown since is read on
            data = file.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += file.read(limit + 1 - len(data))
        if len(data) <= limit and memory is not None:  # with its digest, when known
            data = memory.same.setdefault(data, data)
            memory.keep(info, data, known[2] if known is not None else None)
    except OSError as error:
        problems.add(Location(display_path(path)), f"cannot read the file: {error.strerror}")
        return None
    if len(data) > limit:
        problems.add(Location(display_path(path), 1, 1), too_large)
        return None
    return data

