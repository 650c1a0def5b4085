"""Reading one content file: the ordinary file in one open, everything else refused by name."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from generator.content.files import read_content_file
from generator.errors import Problems


def read(path: Path, root: Path, limit: int = 1024) -> tuple[bytes | None, list[str]]:
    problems = Problems()
    data = read_content_file(path, root, problems, limit)
    return data, [problem.message for problem in problems.sorted()]


def test_an_ordinary_file_is_read(tmp_path):
    (tmp_path / "a.yaml").write_bytes(b"x: 1\n")
    assert read(tmp_path / "a.yaml", tmp_path) == (b"x: 1\n", [])


def test_a_link_inside_the_content_folder_is_followed(tmp_path):
    (tmp_path / "a.yaml").write_bytes(b"x: 1\n")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert read(tmp_path / "b.yaml", tmp_path) == (b"x: 1\n", [])


def test_a_link_out_of_the_content_folder_is_refused_unread(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    (tmp_path / "secret").write_bytes(b"secret")
    (root / "a.yaml").symlink_to(tmp_path / "secret")
    data, messages = read(root / "a.yaml", root)
    assert data is None and "outside the content folder" in messages[0]


def test_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path, monkeypatch):
    """Opened without blocking (no writer ever comes) and refused by what was opened,
    never read."""
    from generator.content import files as content_files
    pipe = tmp_path / "a.yaml"
    os.mkfifo(pipe)
    flags, reads = [], []
    real_open = os.open

    def opening(path, flag, *args, **kwargs):  # os.open is every thread's: only the pipe's
        if os.fspath(path) == os.fspath(pipe):
            flags.append(flag)
        return real_open(path, flag, *args, **kwargs)
    monkeypatch.setattr(content_files.os, "open", opening)
    monkeypatch.setattr(content_files, "open", lambda *a, **k: reads.append(a) or open(*a, **k),
                        raising=False)
    found = []
    reader = threading.Thread(target=lambda: found.append(read(pipe, tmp_path)), daemon=True)
    reader.start()
    reader.join(60)  # against a hang (a blocking open waits for ever), not a measure of speed
    assert found, "the read waited for a writer"
    data, messages = found[0]
    assert data is None and "not an ordinary file" in messages[0]
    assert flags and all(flag & os.O_NONBLOCK for flag in flags) and not reads


def test_a_folder_missing_file_and_large_file(tmp_path):
    (tmp_path / "folder.yaml").mkdir()
    assert "not an ordinary file" in read(tmp_path / "folder.yaml", tmp_path)[1][0]
    assert read(tmp_path / "missing.yaml", tmp_path)[1] == ["file is missing"]
    (tmp_path / "big.yaml").write_bytes(b"x" * 2048)
    assert read(tmp_path / "big.yaml", tmp_path)[1] == ["file is larger than 1 KiB"]


def settle(path: Path) -> None:
    """Make the file look saved an hour ago (its change time stays now: see below)."""
    hour_ago = time.time() - 3600
    os.utime(path, (hour_ago, hour_ago))


@pytest.fixture
def memory():
    """A file memory installed, as a build with its speedups installs one."""
    from generator.content.files import FileMemory, remembering
    with remembering(FileMemory()) as installed:
        yield installed


def test_a_file_unchanged_since_it_was_read_is_not_read_again(tmp_path, monkeypatch, memory):
    from generator.content import files as content_files
    monkeypatch.setattr(content_files, "_SETTLED_NS", 0)  # the change time counts as old
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n")
    settle(path)
    first, _ = read(path, tmp_path)
    assert read(path, tmp_path)[0] is first
    time.sleep(0.05)  # past a tick of the file system's clock (the real guard: 2 s)
    path.write_bytes(b"x: 2\n")  # same size, then the same modification time again:
    settle(path)  # only the change time, which nothing can set back, tells
    assert read(path, tmp_path)[0] == b"x: 2\n"


def test_a_file_changed_within_the_last_seconds_is_always_read(tmp_path, monkeypatch, memory):
    from generator.content import files as content_files
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n")
    read(path, tmp_path)
    opened = []
    monkeypatch.setattr(content_files, "open", lambda *a, **k: opened.append(a) or open(*a, **k),
                        raising=False)
    assert read(path, tmp_path)[0] == b"x: 1\n"
    assert opened  # read again, not taken from what the first read kept


def test_digests_recorded_by_one_process_spare_the_next_a_read(tmp_path, monkeypatch, memory):
    from generator.content import files as content_files
    monkeypatch.setattr(content_files, "_SETTLED_NS", 0)
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x: 1\n")
    settle(path)
    first = content_files.file_digest(str(path), path.stat())
    content_files.save_digests(tmp_path / "digests.pickle")
    memory.files.clear()  # as in a new process
    content_files.load_digests(tmp_path / "digests.pickle")
    opened = []
    monkeypatch.setattr(content_files, "open", lambda *a, **k: opened.append(a) or open(*a, **k),
                        raising=False)
    assert content_files.file_digest(str(path), path.stat()) == first and not opened
    time.sleep(0.05)
    path.write_bytes(b"x: 2\n")  # same size and, below, the same modification time
    settle(path)
    assert content_files.file_digest(str(path), path.stat()) != first and opened
    content_files.load_digests(tmp_path / "missing.pickle")  # nothing recorded: no harm


def test_a_file_grown_since_its_size_was_taken_is_read_whole(tmp_path, monkeypatch):
    """The read asks for the size fstat() gave; a file still being written reads on, up
    to the limit, as before."""
    import generator.content.files as content_files
    real_fstat = os.fstat

    class Smaller:  # the stat of the file as it was at 10 bytes
        def __init__(self, info):
            self._info = info

        def __getattr__(self, name):
            return 10 if name == "st_size" else getattr(self._info, name)

    monkeypatch.setattr(content_files.os, "fstat", lambda fd: Smaller(real_fstat(fd)))
    (tmp_path / "a.yaml").write_bytes(b"x" * 900)
    assert read(tmp_path / "a.yaml", tmp_path) == (b"x" * 900, [])
    (tmp_path / "b.yaml").write_bytes(b"x" * 2048)
    assert read(tmp_path / "b.yaml", tmp_path)[1] == ["file is larger than 1 KiB"]
