"""Stage 5, write: put the rendered files in place, all or nothing.

The site is written into a fresh folder beside the target and swapped in
with one atomic ``renameat2(RENAME_EXCHANGE)`` on Linux (two renames
elsewhere). A build that fails or is killed before the swap leaves the
previous site complete and untouched; leftovers of a killed build are
removed by the next one. No path outside the output folder is ever written.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import posixpath
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_STAGING_PREFIX = ".staging-"
_RETIRED_PREFIX = ".retired-"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
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


def write_site(files: Mapping[str, bytes], out: Path, linked: dict[str, Path] | None = None,
               finish: Callable[[str, bytes], bytes] | None = None) -> None:
    """Write ``files`` (relative path -> bytes) as the complete new content of ``out``.

    ``linked`` names files of the previous site that hold exactly these bytes
    (an incremental build's unchanged pages): they are hard-linked, not copied.
    ``finish(path, data)`` changes what is written of the other files (the preview
    adds its reload script; linked files were written by the same ``finish``).
    """
    linked = linked or {}
    for path in files:
        safe_relative(path)
    out = out.absolute()
    parent = out.parent
    parent.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(parent, out.name)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{out.name}-", dir=parent))
    try:
        made = {""}
        for path in sorted(files):
            folder, _, _ = path.rpartition("/")
            if folder not in made:
                os.makedirs(staging / folder, exist_ok=True)
                made.add(folder)
            target = os.path.join(staging, path)
            source = linked.get(path)
            if source is None or not _link(source, target):
                data = files[path]
                Path(target).write_bytes(finish(path, data) if finish else data)
        staging.chmod(0o755)
        if out.is_symlink() or (out.exists() and not out.is_dir()):
            raise FileExistsError(f"{out} exists and is not a folder; refusing to replace it")
        if not out.exists():
            staging.rename(out)
            return
        if _exchange(staging, out):
            shutil.rmtree(staging, ignore_errors=True)  # now holds the previous site
            return
        retired = parent / f"{_RETIRED_PREFIX}{out.name}-{os.getpid()}"
        out.rename(retired)
        staging.rename(out)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
