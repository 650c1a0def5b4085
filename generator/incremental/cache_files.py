"""The files an incremental build keeps in its cache folder, read and written so that
nothing found there can fail a build.

The cache is only ever a help: without it a build is a clean one. So what is at the
name of a cache file is read only when it is what a build makes there, an ordinary
file; a file of ours that cannot be read (damaged, cut short by a full disk, not a
pickle) is removed; anything else (a folder, a link, a pipe) a build did not make,
and it is left as it is, and not written to while it is there. What was found and
done is said once per build (:meth:`CacheFiles.warning`), and the build goes on
without what it could not read: without the state of the last build, a clean one.

A file is written whole under a temporary name and renamed over the old one, so a
build stopped while writing leaves the old file or the new one, never part of one;
the temporary file is removed when writing fails (a full disk).
"""

from __future__ import annotations

import os
import pickle
import stat
from contextlib import suppress
from pathlib import Path

from generator.content.files import display_path


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not an ordinary file"


class CacheFiles:
    """The files of one build's cache folder: read, written, and what was found there."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.found: list[str] = []  # what was found and done, for the warning
        self.clean = False  # what reusing pages needs could not be read: a clean build
        self._blocked: set[Path] = set()  # names taken by what no build made
        self._unusable = False  # the folder itself is something else
        try:
            info = os.stat(folder)  # (a link to a folder is the operator's choice: taken)
        except OSError:  # missing (made when written), or cannot be looked at (said then)
            return
        if not stat.S_ISDIR(info.st_mode):
            self._unusable = self.clean = True
            self.found.append(f"the cache folder {display_path(folder)} is "
                              f"{_kind(info.st_mode)}: it is left as it is, and no cache is "
                              "kept")

    def read(self, path: Path, needed: bool = False):
        """What ``path`` holds (pickled), or None when it is missing or cannot be read
        (see the module). ``needed``: without it the build reuses nothing."""
        if self._unusable:
            return None
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            return None
        except OSError as error:  # the cache folder is a file, or cannot be entered
            self._blocked.add(path)
            self._note(path, f"cannot be looked at ({error.strerror}); it is not used",
                       needed)
            return None
        if not stat.S_ISREG(info.st_mode):
            self._blocked.add(path)
            self._note(path, f"is {_kind(info.st_mode)}, which a build never makes there: "
                       "it is left as it is, and the cache is not kept there until it is "
                       "removed", needed)
            return None
        try:
            with open(path, "rb") as stream:
                return pickle.load(stream)
        except Exception as error:  # damaged in any way: of no use, and ours to remove
            reason = type(error).__name__ + (f": {error}" if str(error) else "")
            try:
                os.unlink(path)
                self._note(path, f"could not be read ({reason}): it is removed", needed)
            except OSError:
                self._blocked.add(path)
                self._note(path, f"could not be read ({reason}), nor removed; it is not "
                           "used", needed)
            return None

    def write(self, path: Path, value) -> None:
        """Pickle ``value`` into ``path``, whole or not at all; not where what is at that
        name is not ours (``read``). Raises OSError when it cannot be written."""
        if self._unusable or path in self._blocked:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        try:
            with open(temporary, "wb") as stream:
                pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary)
            raise

    def ours(self, path: Path) -> bool:
        """Whether ``path`` is an ordinary file, as a build makes them in its cache."""
        try:
            return stat.S_ISREG(os.lstat(path).st_mode)
        except OSError:
            return False

    def remove(self, path: Path) -> bool:
        """Remove the file of ours at ``path``; whether none is there any more (what is
        not an ordinary file is not ours: left, and never read)."""
        try:
            if self.ours(path):
                os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:
            return False
        return True

    def _note(self, path: Path, what: str, needed: bool) -> None:
        self.found.append(f"the cache file {display_path(path)} {what}")
        self.clean = self.clean or needed

    def warning(self) -> str | None:
        """What was found in the cache folder and done, in one message; None if nothing."""
        if not self.found:
            return None
        return "; ".join(self.found) + (". This build is a clean one." if self.clean else ".")
