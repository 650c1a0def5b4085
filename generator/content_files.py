"""Reading a content file safely, and naming it as people read it.

Content comes from people and may be anything: a link to a file outside the
content folder, a pipe that never ends, a device, a file of gigabytes. Each is
a located problem, never read. The common case, an ordinary file, costs one
``open`` (without following a link or waiting for a pipe's writer) and one
``fstat`` of what was opened; only a link is resolved and checked first.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Location, Problems

MAX_FILE_BYTES = 512 * 1024


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
        with open(descriptor, "rb", closefd=False) as file:
            data = file.read(limit + 1)  # the size may have changed since fstat()
    except OSError as error:
        problems.add(Location(display_path(path)), f"cannot read the file: {error.strerror}")
        return None
    if len(data) > limit:
        problems.add(Location(display_path(path), 1, 1), too_large)
        return None
    return data
