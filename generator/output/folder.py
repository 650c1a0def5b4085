"""The output folder: which folders a build may replace, and one build at a time.

A build replaces its output folder whole (``output/write.py``), so it must never be
pointed at a folder it did not make. Every site it writes carries a marker file,
:data:`MARKER`; a folder is replaced only when it is absent, empty, or carries
the marker. Before anything is loaded, a folder that is or holds the project,
the content, the templates, the catalog, the cache, a home folder or the root is
refused, marker or not: there is no option that skips these checks.

Builds into one output folder take turns: :func:`output_lock` holds an advisory
``flock`` on the folder that holds it, for the whole build (the staging folder,
the swap, the cache), so a second build waits (or, without waiting, stops with
a message) instead of removing the first one's staging folder as a leftover.
Commands that change the content (``release``, ``lock``, ``new-version``) hold
the content folder's lock exclusively; builds hold it shared, so that nobody
releases a version while a build is reading it.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.errors import UsageError

MARKER = ".privacy-docs-site"
MARKER_TEXT = (b"This folder was written by privacy-docs (python build.py build).\n"
               b"Each build replaces it whole: keep nothing else here.\n")


class Busy(UsageError):
    """Another build holds the lock and this one was told not to wait."""


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _within(inner: Path, outer: Path) -> bool:
    return inner == outer or outer in inner.parents


def refusal(out: Path, protected: Iterable[tuple[str, Path]],
            replaced: bool = True) -> str | None:
    """Why ``out`` may not be replaced by a build, or None when it may.

    ``protected``: (what, folder) pairs that the output folder may neither be nor
    hold, nor lie inside (the project's own sources, the cache). ``replaced=False``: a
    folder written into, not replaced (the register's, which holds one folder per
    version): only where it is is checked, not what it holds.
    """
    target = _real(out)
    home = _real(Path.home())
    if target == Path(target.anchor):
        return f"--out {out} is the root folder; a build replaces its output folder whole"
    if target == home or target in home.parents:
        where = "your home folder" if target == home else "above your home folder"
        return f"--out {out} is {where}; a build replaces its output folder whole"
    for what, folder in protected:
        folder = _real(folder)
        if _within(folder, target):
            same = "is" if folder == target else "holds"
            return f"--out {out} {same} {what} ({folder}); a build replaces its output folder " \
                   "whole, so it must be a folder of its own, such as site/"
        if _within(target, folder) and what != "the project":
            return f"--out {out} lies inside {what} ({folder}); choose a folder outside it"
    if os.path.islink(out):
        return f"--out {out} is a symbolic link; name the folder itself"
    if target.exists() and not target.is_dir():
        return f"--out {out} is a file, not a folder"
    parent = parent_refusal(out)
    if parent is not None:
        return parent
    if replaced and target.is_dir() and not is_ours(target):
        try:
            strangers = sorted(entry.name for entry in os.scandir(target))
        except OSError as error:
            return f"--out {out} cannot be read: {error.strerror}"
        if strangers:
            shown = ", ".join(strangers[:3]) + (", ..." if len(strangers) > 3 else "")
            return (f"--out {out} holds files that privacy-docs did not write ({shown}); "
                    "a build replaces its output folder whole, so it writes only into a new "
                    f"or empty folder, or one it made (with a {MARKER} file). Choose "
                    "another folder, or empty this one yourself")
    return None


def parent_refusal(out: Path) -> str | None:
    """Why the output folder cannot be made where ``--out`` puts it, or None: a file stands
    where one of its parents would be. The nearest parent that exists decides."""
    for parent in out.parents:
        if parent.is_dir():
            return None
        if parent.exists():
            return (f"the output folder's parent {parent} is a file, not a folder; choose "
                    "another --out")
    return None


def is_ours(folder: Path) -> bool:
    """Whether ``folder`` is a site a build wrote (it carries the marker file)."""
    return os.path.isfile(os.path.join(folder, MARKER))


def check_output(out: Path, protected: Iterable[tuple[str, Path]],
                 replaced: bool = True) -> None:
    """Refuse, before anything is read or written, an output folder a build may not
    replace (see :func:`refusal`)."""
    reason = refusal(out, list(protected), replaced)
    if reason is not None:
        raise UsageError(f"{reason}; nothing was written.")


def mark(folder: Path) -> None:
    """Write the marker into a site about to be swapped in."""
    with open(folder / MARKER, "wb") as stream:
        stream.write(MARKER_TEXT)


def _flock(fd: int, exclusive: bool, wait: bool, what: str, stream) -> None:
    kind = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
        return
    except OSError as error:
        if error.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise
    if not wait:
        raise Busy(f"another build or release is using {what}; try again when it has "
                   "finished (without --no-wait, this command waits for it)")
    print(f"build.py: waiting for another build or release using {what} to finish ...",
          file=stream or sys.stderr, flush=True)
    fcntl.flock(fd, kind)


def lock_folder(out: Path) -> Path:
    """The folder whose lock stands for the output folder's: the folder that holds it
    (or, while that does not exist yet, the nearest one above that does). Builds into
    one parent folder take turns, as they share its default cache; no lock file is
    left beside the site."""
    folder = out.absolute().parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return folder


@contextmanager
def output_lock(out: Path, wait: bool = True, stream=None) -> Iterator[None]:
    """Hold the output folder's lock (exclusive) while the block runs."""
    while True:
        folder = lock_folder(out)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            _flock(fd, True, wait, str(out), stream)
        except BaseException:
            os.close(fd)
            raise
        if lock_folder(out) == folder:
            break
        os.close(fd)  # another build made the folder meanwhile: lock that one instead
    try:
        yield
    finally:
        os.close(fd)  # releases the lock


@contextmanager
def content_lock(content: Path, exclusive: bool, wait: bool = True,
                 stream=None) -> Iterator[None]:
    """Hold the content folder's lock: shared to read it (builds), exclusive to change it
    (release, lock, new-version). The lock is taken on the folder itself, so a read-only
    content folder needs no lock file."""
    try:
        fd = os.open(content, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:  # missing or not a folder: the loader says so, located
        yield
        return
    try:
        _flock(fd, exclusive, wait, str(content), stream)
        yield
    finally:
        os.close(fd)


def changes_content(function: Callable) -> Callable:
    """Run a command that changes the content folder (its first argument is the project)
    while holding the content folder's lock exclusively."""
    @functools.wraps(function)
    def locked(project, *args, **kwargs):
        with content_lock(project.content, exclusive=True):
            return function(project, *args, **kwargs)
    return locked
