"""The bad-input corpus in tests/hostile/: every case is refused, located, quickly.

Each folder under ``tests/hostile/`` is one case on top of a copy of the
shipped content:

- ``expected.txt``: ``#`` lines describe the case; every other line must
  appear, exactly, among the error lines the build prints;
- ``content/...``: files laid over the copy (raw bytes: BOMs, NULs, Latin-1);
- ``setup.yaml`` (optional): steps run after that, in order: ``remove: PATH``,
  ``link: {path, target}``, ``fifo: PATH``, ``copy: {from, to}``, ``replace: {file, old, new}``
  (first occurrence) and ``repeat: {file, times, text}`` (appended).

Every case goes through the command line's entry point and must exit 1, print
only located problems, no traceback, write no site and leave every other file
as it was (a YAML tag that would run ``touch pwned`` must not). And it must be
refused without a blow-up: the work is counted, not timed (a busy machine makes
any time limit flaky), in every process of the build (a process forked from it
counts too): the values built from YAML nodes, and the characters handed to the
YAML composer, against what the shipped content costs.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.commands.cli import main
from generator.content import yaml_values
from generator.errors import Problems

from .conftest import ROOT, TODAY

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if p.is_dir())
# file:line:column: message, or folder: message for problems with a whole file or folder
PROBLEM = re.compile(r"^(?P<path>[^:\s][^:]*?)(?::(?P<line>\d+):(?P<column>\d+))?: \S")


def expected_lines(case: Path) -> list[str]:
    lines = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def prepare(case: Path, where: Path) -> None:
    """The shipped content in ``where/content``, with the case applied."""
    shutil.copytree(ROOT / "content", where / "content")
    overlay = case / "content"
    if overlay.is_dir():
        shutil.copytree(overlay, where / "content", dirs_exist_ok=True)
    setup = case / "setup.yaml"
    for step in yaml.safe_load(setup.read_text(encoding="utf-8")) if setup.exists() else ():
        (action, arg), = step.items()
        if action == "remove":
            target = where / arg
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        elif action == "fifo":
            os.mkfifo(where / arg)
        elif action == "link":
            (where / arg["path"]).symlink_to(arg["target"])
        elif action == "copy":
            shutil.copytree(where / arg["from"], where / arg["to"])
        elif action == "replace":
            path = where / arg["file"]
            text = path.read_text(encoding="utf-8")
            assert arg["old"] in text, f"{case.name}: {arg['old']!r} not in {arg['file']}"
            path.write_text(text.replace(arg["old"], arg["new"], 1), encoding="utf-8")
        elif action == "repeat":
            with open(where / arg["file"], "a", encoding="utf-8") as file:
                file.write(arg["text"] * arg["times"])
        else:
            raise AssertionError(f"{case.name}: unknown setup step {action!r}")


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every path under ``folder`` (not following links) with its bytes or link target."""
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        key = str(path.relative_to(folder))
        if path.is_symlink():
            out[key] = "-> " + str(path.readlink())
        elif path.is_file():
            out[key] = path.read_bytes()
        else:
            out[key] = "dir"
    return out


def assert_located(lines: list[str], root: Path) -> None:
    """Every problem names its file:line:column; only a whole file or folder goes without."""
    assert lines and re.fullmatch(r"\d+ problems? found; nothing was written\.", lines[-1]), lines
    for line in lines[:-1]:
        match = PROBLEM.match(line)
        assert match, f"not located: {line!r}"
        path = root / match["path"]  # as given when absolute
        assert path.is_relative_to(root), f"a problem outside the content: {line!r}"
        if match["line"] is None:
            assert (not path.is_file() or path.is_symlink() or path.parent.name == "versions"
                    or "unknown file" in line), f"a problem in a file needs line:column: {line!r}"


class Work:
    """The YAML work of every process of a build, counted: ``values`` built from nodes
    (``yaml_values._Builder.build``) and ``characters`` composed (``yaml.compose``).
    Kept in shared memory, a slot per process (this one, and any process forked from
    it), so that no two processes add to one number at once."""

    def __init__(self, monkeypatch):
        self._counts = multiprocessing.RawArray("q", 4)
        self._parent = os.getpid()
        build, compose = yaml_values._Builder.build, yaml.compose

        def counted_build(builder, node, depth=0):
            self._counts[self._slot()] += 1
            return build(builder, node, depth)

        def counted_compose(stream, *args, **kwargs):
            self._counts[self._slot() + 2] += len(stream)
            return compose(stream, *args, **kwargs)
        monkeypatch.setattr(yaml_values._Builder, "build", counted_build)
        monkeypatch.setattr(yaml, "compose", counted_compose)

    def _slot(self) -> int:
        return 0 if os.getpid() == self._parent else 1

    @property
    def values(self) -> int:
        return self._counts[0] + self._counts[1]

    @property
    def characters(self) -> int:
        return self._counts[2] + self._counts[3]


@pytest.fixture(scope="module")
def shipped_values() -> int:
    """The values of every shipped content file, each parsed whole once."""
    monkeypatch = pytest.MonkeyPatch()
    try:
        work = Work(monkeypatch)
        for path in sorted((ROOT / "content").rglob("*.yaml")):
            yaml_values.parse_yaml(path.read_bytes(), str(path), Problems())
        return work.values
    finally:
        monkeypatch.undo()


def yaml_characters(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*.yaml") if path.is_file())


def build_in_process(where: Path, monkeypatch, capsys) -> tuple[int, list[str], Work]:
    monkeypatch.chdir(where)
    work = Work(monkeypatch)
    code = main(["build", "--content", "content", "--out", "site", "--today", TODAY])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err.splitlines(), work


def test_every_case_has_an_expected_message():
    assert len(CASES) >= 30
    for case in CASES:
        assert expected_lines(case), f"{case.name}/expected.txt names no message"
        described = (case / "expected.txt").read_text(encoding="utf-8").startswith("# ")
        assert described, f"{case.name}/expected.txt should start with a '# ' description"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_case(case, tmp_path, monkeypatch, capsys, shipped_values):
    prepare(case, tmp_path)
    before = snapshot(tmp_path)
    characters = yaml_characters(tmp_path / "content")  # (not following links out)
    code, lines, work = build_in_process(tmp_path, monkeypatch, capsys)
    assert code == 1, lines
    for expected in expected_lines(case):
        assert expected in lines, "\n".join(lines)
    assert_located(lines, tmp_path)
    assert not (tmp_path / "site").exists()
    assert snapshot(tmp_path) == before, "the build changed or added a file"
    # No blow-up: at most twice the shipped content's values (a file may be parsed again,
    # at another path or whole after its pieces), plus one file's worth up to the limit;
    # each file composed at most three times (pieces, whole, at a second path).
    assert work.values <= 2 * shipped_values + yaml_values.MAX_VALUES + 1, (
        f"{case.name}: {work.values} values built; the shipped content has {shipped_values}")
    assert work.characters <= 3 * characters + 3 * 512 * 1024, (
        f"{case.name}: {work.characters} characters composed, of {characters} in its files")


@pytest.mark.parametrize("name", ["alias-bomb", "too-many-values", "very-deep-nesting"])
def test_bombs_in_bounded_memory(name, tmp_path):
    """In a process limited to 512 MiB of address space, bombs are refused, not expanded."""
    prepare(HOSTILE / name, tmp_path)
    limited = ("import resource, runpy, sys; "
               "resource.setrlimit(resource.RLIMIT_AS, (512 << 20, 512 << 20)); "
               f"sys.argv = ['build.py', 'build', '--content', 'content', '--out', 'site', "
               f"'--today', '{TODAY}']; "
               f"runpy.run_path({str(ROOT / 'build.py')!r}, run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", limited], cwd=tmp_path, capture_output=True,
                            text=True, timeout=300)  # against a hang, not a measure of speed
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert expected_lines(HOSTILE / name)[0] in result.stderr.splitlines()
