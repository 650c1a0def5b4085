"""Stage 6, write: put the rendered files in place, all or nothing.

The site is written into a fresh folder beside the target, marked as a
site this tool wrote (``folder.MARKER``), and swapped in with one atomic
``renameat2(RENAME_EXCHANGE)`` on Linux (two renames elsewhere); a folder
without the marker that holds anything is never replaced. A build that
fails or is killed before the swap leaves the previous site complete and
untouched; leftovers of a killed build are removed by the next one, which
holds the output folder's lock (``folder.output_lock``). No path outside
the output folder is ever written.
"""

from __future__ import annotations

import ctypes
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from generator.output.folder import MARKER, is_ours, mark

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_STAGING_PREFIX = ".staging-"
_RETIRED_PREFIX = ".retired-"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    try:
        # the C library as the interpreter already has it loaded: finding it by name
        # (ctypes.util) runs ldconfig in a subprocess on every build
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def safe_relative(path: str) -> str:
    """Refuse any output path that could leave the output folder."""
    normal = posixpath.normpath(path)
    if (path.startswith("/") or "\\" in path or normal.startswith("..") or normal == "."
            or "\x00" in path or normal != path):
        raise ValueError(f"refusing to write outside the output folder: {path!r}")
    return normal


def _clean_leftovers(parent: Path, name: str) -> None:
    for prefix in (_STAGING_PREFIX, _RETIRED_PREFIX):
        for leftover in parent.glob(f"{prefix}{name}-*"):
            shutil.rmtree(leftover, ignore_errors=True)


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
        return True
    except OSError:
        return False


class FileAt(str):
    """A file's path standing for its bytes: a file of the previous site to hard-link,
    or one already written into the staging folder; read only when asked for. ``inode``:
    its (device, inode) when the caller has just looked (saves a ``stat``)."""

    inode: tuple[int, int] | None = None

    def read(self) -> bytes:
        with open(self, "rb") as stream:
            return stream.read()


class Staging:
    """The new site, written file by file as it is made into a folder beside ``out``,
    and swapped in whole by :meth:`commit` (or removed by :meth:`discard`).

    ``spare`` (an incremental build's, inside its cache folder) names where the site
    replaced by the last commit was kept: it becomes the staging folder again, so its
    folders need not be made anew; every file in it is replaced (unlinked first, never
    written into: its files share their inodes with the live site) or removed.
    ``finish(path, data)`` changes what is written of each file given as bytes (the
    preview adds its reload script; a file linked from the previous site was written
    by the same ``finish``).
    """

    def __init__(self, out: Path, spare: Path | None = None,
                 finish: Callable[[str, bytes], bytes] | None = None):
        self.out, self.spare, self.finish = out.absolute(), spare, finish
        parent = self.out.parent
        parent.mkdir(parents=True, exist_ok=True)
        _clean_leftovers(parent, self.out.name)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{self.out.name}-",
                                            dir=parent))
        self._prefix = f"{self.folder}/"
        self._old_files: dict[str, int] = {}  # path -> inode, of the spare's files
        self._made: set[str] = {""}
        self._written: set[str] = set()
        self._from_spare = False
        self._device = -1  # of the spare's files
        if spare is not None and spare.is_dir() and not spare.is_symlink():
            try:
                os.rename(spare, self.folder)  # onto the empty folder just made
                self._old_files, old_folders = inventory(self.folder)
                self._device = os.stat(self.folder).st_dev
                self._made |= old_folders
                self._from_spare = True
            except OSError:
                shutil.rmtree(spare, ignore_errors=True)

    def put(self, path: str, data: bytes | FileAt) -> FileAt:
        """Add one file: bytes, or a file of the previous site to hard-link. Returns it
        as it now is in the staging folder."""
        safe_relative(path)
        if path in self._written:
            raise RuntimeError(f"two outputs claim the path {path}")
        folder = path.rpartition("/")[0]
        if folder not in self._made:
            self._make_folder(folder)
        target = self._prefix + path
        if path in self._old_files:
            if isinstance(data, FileAt) and self._same_file(data, path, target):
                self._written.add(path)  # unchanged for two builds: already the same file
                return FileAt(target)
            _remove(target)
        elif path in self._made:
            _remove(target)
        if isinstance(data, FileAt):
            if _link(data, target):
                self._written.add(path)
                return FileAt(target)
            data = data.read()
        elif self.finish is not None:
            data = self.finish(path, data)
        _write_file(target, data)
        self._written.add(path)
        return FileAt(target)

    def written_elsewhere(self, path: str) -> FileAt:
        """A file another process wrote into the staging folder (a render helper, forked
        with a copy of this object): part of this site, as if put here."""
        safe_relative(path)
        if path in self._written:
            raise RuntimeError(f"two outputs claim the path {path}")
        self._written.add(path)
        return FileAt(self._prefix + path)

    def _same_file(self, data: FileAt, path: str, target: str) -> bool:
        """Whether the spare's file at ``path`` is the file ``data`` (hard-linked two builds
        running): by the inode the listing gave, when ``data``'s is known (a rename keeps a
        file on its device), else by looking."""
        try:
            if data.inode is not None and data.inode[0] == self._device:
                return data.inode[1] == self._old_files[path]
            there = os.stat(target)
            return (data.inode or _inode(os.stat(data))) == (there.st_dev, there.st_ino)
        except OSError:
            return False

    def _make_folder(self, folder: str) -> None:
        try:
            os.makedirs(os.path.join(self.folder, folder), exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a file of the spare is in the way
            parts = folder.split("/")
            for end in range(1, len(parts) + 1):
                here = os.path.join(self.folder, *parts[:end])
                if os.path.lexists(here) and not os.path.isdir(here):
                    os.unlink(here)
                    self._old_files.pop("/".join(parts[:end]), None)
            os.makedirs(os.path.join(self.folder, folder), exist_ok=True)
        while folder not in self._made:
            self._made.add(folder)
            folder = folder.rpartition("/")[0]

    def _tidy(self) -> None:
        """Remove what the spare held that this site does not (but its marker)."""
        for path in self._old_files.keys() - self._written - {MARKER}:
            _remove(os.path.join(self.folder, path))
        needed = {""}
        for path in self._written:
            folder = path.rpartition("/")[0]
            while folder not in needed:
                needed.add(folder)
                folder = folder.rpartition("/")[0]
        for folder in sorted(self._made - needed, key=len, reverse=True):
            shutil.rmtree(os.path.join(self.folder, folder), ignore_errors=True)

    def commit(self) -> None:
        """Swap the staging folder in as ``out``, atomically."""
        out, staging, parent = self.out, self.folder, self.out.parent
        try:
            self._tidy()
            mark(staging)
            staging.chmod(0o755)
            if out.is_symlink() or (out.exists() and not out.is_dir()):
                raise FileExistsError(f"{out} exists and is not a folder; refusing to "
                                      "replace it")
            if out.is_dir() and not is_ours(out) and any(out.iterdir()):
                raise FileExistsError(f"{out} holds files that privacy-docs did not write; "
                                      "refusing to replace it")
            if not out.exists():
                staging.rename(out)
                return
            if _exchange(staging, out):
                self._keep_or_remove(staging)  # now holds the previous site
                return
            retired = parent / f"{_RETIRED_PREFIX}{out.name}-{os.getpid()}"
            out.rename(retired)
            staging.rename(out)
            self._keep_or_remove(retired)
        except BaseException:
            self.discard()
            raise

    def _keep_or_remove(self, previous: Path) -> None:
        if self.spare is not None:
            try:
                self.spare.parent.mkdir(parents=True, exist_ok=True)
                shutil.rmtree(self.spare, ignore_errors=True)
                os.rename(previous, self.spare)
                return
            except OSError:
                pass
        shutil.rmtree(previous, ignore_errors=True)

    def discard(self) -> None:
        """Give up (the build failed): the folder goes back to being the spare when it
        was one (its files are replaced or removed whenever it is used), else away."""
        if self._from_spare and not self.spare.exists():
            try:
                os.rename(self.folder, self.spare)
                return
            except OSError:
                pass
        shutil.rmtree(self.folder, ignore_errors=True)


def inventory(folder: Path) -> tuple[dict[str, int], set[str]]:
    """The files (with their inode numbers, as the folder listing gives them: no ``stat``)
    and the folders under ``folder``, as relative paths."""
    files, folders = {}, set()
    pending = [("", str(folder))]
    while pending:
        prefix, here = pending.pop()
        with os.scandir(here) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append((name + "/", entry.path))
                else:
                    files[name] = entry.inode()
    return files, folders


def _write_file(target: str, data: bytes) -> None:
    with open(target, "wb") as stream:  # (pathlib's write_bytes: a Path per file)
        stream.write(data)


def _inode(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _remove(target: str) -> None:
    """Remove a file (or a folder where a file is to go); never write into it."""
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        shutil.rmtree(target)


def write_site(files: Mapping[str, bytes], out: Path, linked: dict[str, Path] | None = None,
               finish: Callable[[str, bytes], bytes] | None = None) -> None:
    """Write ``files`` (relative path -> bytes) as the complete new content of ``out``.

    ``linked`` names files of the previous site that hold exactly these bytes: they
    are hard-linked, not copied. ``finish``: see :class:`Staging`.
    """
    linked = linked or {}
    for path in files:
        safe_relative(path)
    staging = Staging(out, finish=finish)
    try:
        for path in sorted(files):
            source = linked.get(path)
            staging.put(path, FileAt(source) if source else files[path])
    except BaseException:
        staging.discard()
        raise
    staging.commit()


class OutputFiles(dict):
    """Output path -> bytes, as the render stage makes them. A file kept from the previous
    site is held as its path and read only when asked for: most never are, they are
    hard-linked into the new site. With a ``sink`` (``write.Staging``) every file is
    written into the staging folder as it is made and held as that file, so pages do
    not stay in memory until the swap."""

    def __init__(self, sink=None):
        super().__init__()
        self.sink = sink

    def __setitem__(self, path: str, data: bytes | FileAt) -> None:
        if self.sink is not None:
            data = self.sink.put(path, data)
        dict.__setitem__(self, path, data)

    def __getitem__(self, path: str) -> bytes:
        value = dict.__getitem__(self, path)
        return value.read() if isinstance(value, FileAt) else value

    def add_written_elsewhere(self, path: str) -> None:
        """A file another process wrote into the sink (a render helper's), as if made
        here."""
        if path in self:
            raise RuntimeError(f"two outputs claim the path {path}")
        dict.__setitem__(self, path, self.sink.written_elsewhere(path))

    def get(self, path: str, default=None):
        return self[path] if path in self else default

    def items(self):
        return ((path, self[path]) for path in self)

    def values(self):
        return (self[path] for path in self)
