"""A build killed (SIGKILL) while it writes leaves the previous site complete and unchanged.

The build runs in a child process whose writer is paused at a chosen point:
before its first file, after some files, halfway through a file, with every
file written but not yet swapped in, or just after the swap. The test then
kills it with SIGKILL (no cleanup runs) and compares a hash of every file of
``site/`` with the tree before: unchanged, or (killed after the swap) exactly
the new site. The next ordinary build must then succeed, produce the same
bytes as a build elsewhere, and leave no staging folder behind. The same is
done for an incremental build, which hard-links unchanged pages from the
previous site into the new one.
"""

from __future__ import annotations

import hashlib
import os
import select
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from generator.commands.cli import main

from .conftest import ROOT, TODAY, relock

NEW_TODAY = "2026-11-26"
# Runs the command line with the writer paused at POINT; prints PAUSED and waits to be killed.
CHILD = r"""
import os, sys, time
import generator.output.write as write

point, at = os.environ["KILL_POINT"], int(os.environ.get("KILL_AT", "0"))
count = 0

def pause():
    print("PAUSED", flush=True)
    time.sleep(600)

def counted(original):
    def placed(*args, **kwargs):
        global count
        if point == "file" and count == at:
            pause()
        if point == "mid-file" and count >= at and original is real_write_file:
            path, data = args
            with open(path, "wb") as file:
                file.write(data[: len(data) // 2])
                file.flush()
                os.fsync(file.fileno())
            pause()
        count += 1
        return original(*args, **kwargs)
    return placed

real_write_file = write._write_file
write._write_file = counted(real_write_file)
os.link = counted(os.link)
real_exchange = write._exchange

def exchange(a, b):
    if point == "before-swap":
        pause()
    swapped = real_exchange(a, b)
    if point == "after-swap":
        pause()
    return swapped

write._exchange = exchange
from generator.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith((".staging", ".retired")))


def _change(content: Path) -> None:
    """A content change that alters some pages of the newest version, not all (recorded
    in the lock, as an erratum would be)."""
    newest = sorted((content / "versions").iterdir())[-1] / "version.yaml"
    text = newest.read_text(encoding="utf-8")
    changed = text.replace("  privacy:\n    nl: ", "  privacy:\n    nl: Herzien. ", 1)
    assert changed != text, "the newest version.yaml no longer has a privacy summary"
    newest.write_text(changed, encoding="utf-8")
    relock(content)


def _args(work: Path, today: str, cache: bool) -> list[str]:
    return ["build", "--content", str(work / "content"), "--out", str(work / "site"),
            "--today", today] + ([] if cache else ["--no-cache"])


def _in_process(args: list[str], capsys) -> None:
    assert main(args) == 0, capsys.readouterr().err
    capsys.readouterr()


def kill_during_build(args: list[str], point: str, at: int = 0) -> None:
    """Run the build with the writer paused at ``point``, then SIGKILL it."""
    env = {**os.environ, "KILL_POINT": point, "KILL_AT": str(at), "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready, _, _ = select.select([child.stdout], [], [], 60)
        line = child.stdout.readline() if ready else ""
        assert line.strip() == "PAUSED", f"never paused: {line!r} {child.stderr.read()}"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> tuple[dict[str, str], dict[str, str], int]:
    """The old and the new site as clean builds elsewhere produce them, and the file count."""
    work = tmp_path_factory.mktemp("kill-expected")
    shutil.copytree(ROOT / "content", work / "content")
    assert main(_args(work, TODAY, cache=False)) == 0
    old = tree(work / "site")
    _change(work / "content")
    assert main(_args(work, NEW_TODAY, cache=False)) == 0
    new = tree(work / "site")
    assert old != new
    return old, new, len(new) - 1  # pages; the marker is written at the swap


CASES = [  # (build, where the writer stops, after how many files)
    ("clean", "file", "first"), ("clean", "file", "one"), ("clean", "file", "half"),
    ("clean", "file", "last"), ("clean", "mid-file", "half"), ("clean", "before-swap", "all"),
    ("clean", "after-swap", "all"),
    ("incremental", "file", "half"), ("incremental", "mid-file", "half"),
    ("incremental", "after-swap", "all"),
]


@pytest.mark.parametrize("mode, point, where", CASES, ids=["-".join(case) for case in CASES])
def test_killed_build_keeps_the_previous_site(mode, point, where, expected, tmp_path, capsys):
    old, new, count = expected
    cache = mode == "incremental"
    at = {"first": 0, "one": 1, "half": count // 2, "last": count - 1, "all": count}[where]
    work = tmp_path
    shutil.copytree(ROOT / "content", work / "content")
    _in_process(_args(work, TODAY, cache), capsys)
    assert tree(work / "site") == old
    _change(work / "content")

    kill_during_build(_args(work, NEW_TODAY, cache), point, at)
    if point == "after-swap":
        assert tree(work / "site") == new, "the swap is one step: the new site, complete"
    else:
        assert tree(work / "site") == old, "the killed build changed the previous site"
    assert leftovers(work), "the kill should have left a staging folder to clean up"

    _in_process(_args(work, NEW_TODAY, cache), capsys)
    assert tree(work / "site") == new
    assert leftovers(work) == [], "the next build should remove what the killed one left"
