"""What goes wrong with the cache fails no build (``generator/incremental/cache_files.py``).

A full disk while the cache is saved, after the site was published, is a warning with
exit code 0, and the next build is a clean one. A cache file turned into a folder, or
damaged, or a cache folder that is a file: the build says once what it found and did,
removes only files it made, leaves anything else as it is, and builds. Every site is a
clean build's, byte for byte.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from generator import CACHE_FOLDER
from generator.commands.cli import main
from generator.incremental import build_cache as incremental
from generator.incremental import cache_files, version_cache

from .conftest import TODAY, relock

FULL = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def shown(path: Path) -> str:
    """A path as messages name it (the tests run in the folder above the content)."""
    return os.path.relpath(path)


def args(content: Path, out: Path, *more: str) -> list[str]:
    return ["build", "--content", str(content), "--out", str(out), "--today", TODAY, *more]


def built(content: Path, out: Path, capsys, *more: str) -> tuple[list[str], list[str]]:
    """Build through the command line; exit code 0, and what it printed."""
    code = main(args(content, out, *more))
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "Traceback" not in printed.err
    return printed.out.splitlines(), printed.err.splitlines()


def clean_site(content: Path, tmp_path: Path, capsys) -> dict[str, bytes]:
    out = tmp_path / "clean" / "site"
    built(content, out, capsys, "--no-cache")
    return tree(out)


def edit_newest(content: Path, number: int) -> None:
    path = sorted((content / "versions").iterdir())[-1] / "privacy.yaml"
    text = path.read_text("utf-8")
    title = re.search(r"en: Privacy Statement MKB serviceshop[^\n]*", text).group(0)
    path.write_text(text.replace(title, f"en: Privacy Statement MKB serviceshop {number}", 1),
                    "utf-8")
    relock(content)


@pytest.fixture
def work(monkeypatch) -> dict[str, int]:
    """Counts what a build reused from its cache: versions known by their bytes, pages."""
    counts = {"versions": 0, "pages": 0}
    wrap, reuse = version_cache.VersionCache.wrap, incremental.PageReuse.reuse

    def wrapped(self, loaded):
        counts["versions"] += 1
        return wrap(self, loaded)

    def reused(self, out, key, paths):
        found = reuse(self, out, key, paths)
        counts["pages"] += len(paths) if found else 0
        return found
    monkeypatch.setattr(version_cache.VersionCache, "wrap", wrapped)
    monkeypatch.setattr(incremental.PageReuse, "reuse", reused)
    return counts


class FullDisk:
    """A file opened for writing on a full disk: every write fails."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, data):
        raise FULL

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._stream.close()


def full_disk_open(path, mode="r", *rest, **named):
    stream = open(path, mode, *rest, **named)  # noqa: SIM115 -- closed by FullDisk
    return FullDisk(stream) if "w" in mode else stream


def test_a_full_disk_while_saving_the_cache_is_a_warning(content, tmp_path, monkeypatch,
                                                          capsys, work):
    out, cache = tmp_path / "site", tmp_path / CACHE_FOLDER
    built(content, out, capsys)
    edit_newest(content, 1)
    with monkeypatch.context() as full:
        full.setattr(cache_files, "open", full_disk_open, raising=False)
        said, warned = built(content, out, capsys)
    assert said[0].startswith("Built ")
    assert warned == ["build.py: warning: the site was published; the cache could not be "
                      f"saved: {FULL}; the next build will be a clean one"]
    assert tree(out) == clean_site(content, tmp_path, capsys)  # published, whole
    assert not [path.name for path in cache.iterdir() if ".tmp-" in path.name]

    work.update(versions=0, pages=0)
    edit_newest(content, 2)
    said, warned = built(content, out, capsys)
    assert warned == [] and work == {"versions": 0, "pages": 0}  # clean: nothing reused
    assert tree(out) == clean_site(content, tmp_path, capsys)
    edit_newest(content, 3)
    built(content, out, capsys)
    assert work["versions"] and work["pages"]  # and its cache serves the next one


def test_a_cache_file_turned_into_a_folder_fails_no_build(content, tmp_path, capsys, work):
    out, cache = tmp_path / "site", tmp_path / CACHE_FOLDER
    built(content, out, capsys)
    state, = cache.glob("build-*.pickle")
    state.unlink()
    state.mkdir()
    (state / "notes.txt").write_text("not the build's", "utf-8")
    for number in range(2):  # not only once: no build fails on it
        edit_newest(content, number)
        work.update(versions=0, pages=0)
        _, warned = built(content, out, capsys)
        assert len(warned) == 1, warned
        assert warned[0].startswith(f"build.py: warning: the cache file {shown(state)} is a "
                                    "folder, "
                                    "which a build never makes there: it is left as it is")
        assert warned[0].endswith("This build is a clean one.")
        assert work["pages"] == 0
        assert tree(out) == clean_site(content, tmp_path, capsys)
    assert (state / "notes.txt").read_text("utf-8") == "not the build's"
    state.joinpath("notes.txt").unlink()
    state.rmdir()  # removed: the cache works again, and says nothing
    built(content, out, capsys)
    edit_newest(content, 9)
    _, warned = built(content, out, capsys)
    assert warned == [] and work["pages"]


def test_damaged_cache_files_are_removed_once_and_said(content, tmp_path, capsys, work):
    out, cache = tmp_path / "site", tmp_path / CACHE_FOLDER
    built(content, out, capsys)
    state, = cache.glob("build-*.pickle")
    versions, = cache.glob("versions-*.pickle")
    state.write_bytes(state.read_bytes()[:100])  # cut short
    versions.write_bytes(b"not a pickle")
    (cache / incremental.DIGESTS).write_bytes(b"")
    edit_newest(content, 1)
    work.update(versions=0, pages=0)
    _, warned = built(content, out, capsys)
    assert len(warned) == 1, warned
    for damaged in (state, versions, cache / incremental.DIGESTS):
        assert f"the cache file {shown(damaged)} could not be read (" in warned[0]
    assert warned[0].count(": it is removed") == 3
    assert warned[0].endswith("This build is a clean one.")
    assert work == {"versions": 0, "pages": 0}
    assert tree(out) == clean_site(content, tmp_path, capsys)
    edit_newest(content, 2)
    _, warned = built(content, out, capsys)  # saved anew: used, and nothing to say
    assert warned == [] and work["versions"] and work["pages"]


def test_a_cache_folder_that_is_a_file_fails_no_build(content, tmp_path, capsys):
    out, cache = tmp_path / "site", tmp_path / "cache-file"
    cache.write_text("someone's file", "utf-8")
    for _ in range(2):
        _, warned = built(content, out, capsys, "--cache", str(cache))
        assert warned == [f"build.py: warning: the cache folder {shown(cache)} is not an "
                          "ordinary "
                          "file: it is left as it is, and no cache is kept. This build is a "
                          "clean one."]
    assert cache.read_text("utf-8") == "someone's file"
    assert tree(out) == clean_site(content, tmp_path, capsys)
