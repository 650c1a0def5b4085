"""The output folder: a build never replaces a folder it did not make, and builds into
one folder take turns (``generator/output/folder.py``)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.output import folder as out_folder
from generator.output.folder import MARKER, Busy, output_lock, refusal

from .conftest import ROOT, TODAY

HANG_GUARD = 120  # seconds: a build that has not ended by then hangs (not a speed limit)


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the project (code, templates, catalog, content) to aim builds at."""
    target = tmp_path / "project"
    target.mkdir()
    for name in ("generator", "templates", "locales", "content"):
        shutil.copytree(ROOT / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "build.py", target / "build.py")
    (target / "README.md").write_text("an uncommitted draft\n")
    return target


def _build(project: Path, *args: str, home: Path | None = None,
           cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, HOME=str(home)) if home else None
    return subprocess.run([sys.executable, str(project / "build.py"), "build", "--today", TODAY,
                           *args], cwd=cwd or project, capture_output=True, text=True,
                          timeout=HANG_GUARD, env=env)


@pytest.mark.parametrize(("out", "says"), [
    (".", "is the project"),
    ("content", "is the content folder"),
    ("templates", "is the templates"),
    ("locales", "is the catalog"),
    ("content/versions/site", "lies inside the content folder"),
    ("templates/site", "lies inside the templates"),
    ("generator", "holds files that privacy-docs did not write"),
])
def test_a_build_refuses_the_project_and_its_sources_and_touches_nothing(project, out, says):
    before = _snapshot(project)
    result = _build(project, "--out", out)
    assert result.returncode == 2, result.stderr
    assert says in result.stderr
    assert "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert _snapshot(project) == before
    assert not list(project.parent.glob(".staging-*")) and not list(project.glob(".staging-*"))


def test_a_build_refuses_a_folder_above_the_project(project):
    before = _snapshot(project)
    result = _build(project, "--out", str(project.parent))
    assert result.returncode == 2
    assert "holds the project" in result.stderr
    assert _snapshot(project) == before


def test_a_build_refuses_a_folder_of_unrelated_files_and_keeps_them(project, tmp_path):
    stuff = tmp_path / "photos"
    stuff.mkdir()
    (stuff / "holiday.jpg").write_bytes(b"\xff\xd8 not really")
    (stuff / "sub").mkdir()
    (stuff / "sub" / "notes.txt").write_text("keep me")
    before = _snapshot(stuff)
    result = _build(project, "--out", str(stuff))
    assert result.returncode == 2
    assert "holds files that privacy-docs did not write (holiday.jpg, sub)" in result.stderr
    assert "empty this one yourself" in result.stderr
    assert _snapshot(stuff) == before


def test_a_build_refuses_the_cache_as_output_and_an_output_holding_the_cache(project, tmp_path):
    cache = tmp_path / "out" / "cache"
    cache.mkdir(parents=True)
    result = _build(project, "--out", str(tmp_path / "out"), "--cache", str(cache))
    assert result.returncode == 2
    assert "holds the cache" in result.stderr
    result = _build(project, "--out", str(cache), "--cache", str(cache))
    assert result.returncode == 2
    assert "is the cache" in result.stderr


def test_a_build_refuses_the_home_folder(project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / ".bashrc").write_text("keep me")
    result = _build(project, "--out", str(home), home=home)
    assert result.returncode == 2
    assert "is your home folder" in result.stderr
    assert (home / ".bashrc").read_text() == "keep me"
    result = _build(project, "--out", str(tmp_path), home=home)
    assert result.returncode == 2


def test_the_root_folder_and_links_are_refused():
    """Asked directly: a build aimed at / must never get as far as trying."""
    assert "is the root folder" in refusal(Path("/"), [])
    assert "above your home folder" in refusal(Path.home().parent, []) or \
        Path.home().parent == Path("/")


def test_a_link_as_output_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert "is a symbolic link" in refusal(tmp_path / "link", [])


def test_an_absent_or_empty_folder_is_built_and_marked_and_then_rebuilt(project, tmp_path):
    out = tmp_path / "new" / "site"
    result = _build(project, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / MARKER).is_file()
    assert (out / "index.html").is_file()
    result = _build(project, "--out", str(out), "--no-cache")  # marked: replaced
    assert result.returncode == 0, result.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _build(project, "--out", str(empty))
    assert result.returncode == 0, result.stderr
    assert (empty / MARKER).is_file()


def test_an_unchanged_rebuild_keeps_the_marker_and_does_nothing(project, tmp_path):
    out = tmp_path / "site"
    assert _build(project, "--out", str(out)).returncode == 0
    first = _snapshot(out)
    assert _build(project, "--out", str(out)).returncode == 0
    assert _snapshot(out) == first
    assert MARKER in first


def test_staging_never_swaps_out_an_unmarked_folder(tmp_path):
    """The last guard, below every command: the swap itself refuses."""
    from generator.output.write import write_site

    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("five years of work")
    with pytest.raises(FileExistsError, match="did not write"):
        write_site({"index.html": b"<p>x</p>"}, out)
    assert (out / "thesis.tex").read_text() == "five years of work"
    assert not list(tmp_path.glob(".staging-*"))


def _popen_build(out: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "build", "--today", TODAY,
                             "--out", str(out), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_two_builds_at_once_both_succeed_and_the_site_is_whole(tmp_path, cache):
    out = tmp_path / "site"
    options = () if cache else ("--no-cache",)
    reference = tmp_path / "reference"
    first = _popen_build(reference, "--no-cache")
    first.communicate(timeout=HANG_GUARD)
    expected = _snapshot(reference)
    for _ in range(2):  # a second round: the cache and the site are there now
        builds = [_popen_build(out, *options) for _ in range(2)]
        results = [build.communicate(timeout=HANG_GUARD) for build in builds]
        for build, (stdout, stderr) in zip(builds, results, strict=True):
            assert build.returncode == 0, stderr
            assert "Traceback" not in stderr
            assert stdout.startswith("Built ")
        assert _snapshot(out) == expected
        assert not list(tmp_path.glob(".staging-*"))


def test_a_second_build_waits_for_the_first_or_stops_when_told_not_to_wait(tmp_path):
    out = tmp_path / "site"
    with output_lock(out):
        refused = _popen_build(out, "--no-wait")
        _stdout, stderr = refused.communicate(timeout=HANG_GUARD)
        assert refused.returncode == 2
        assert "another build or release is using" in stderr
        assert not out.exists()
        waiting = _popen_build(out)
        line = waiting.stderr.readline()  # said before it waits
        assert "waiting for another build or release" in line
        assert waiting.poll() is None and not out.exists()
    stdout, stderr = waiting.communicate(timeout=HANG_GUARD)
    assert waiting.returncode == 0, stderr
    assert (out / "index.html").is_file()


def test_the_lock_is_exclusive_within_one_process_too(tmp_path):
    out = tmp_path / "site"
    with output_lock(out), pytest.raises(Busy):  # noqa: SIM117
        with output_lock(out, wait=False):
            pass
    with output_lock(out, wait=False):  # released when the first block ended
        pass


def test_a_release_excludes_builds_of_the_same_content(tmp_path):
    """Builds read the content under a shared lock, release changes it under an exclusive
    one: a build waits while a release is under way."""
    content = tmp_path / "content"
    content.mkdir()
    with out_folder.content_lock(content, exclusive=False), \
            out_folder.content_lock(content, exclusive=False, wait=False):
        pass  # readers share
    with out_folder.content_lock(content, exclusive=True), pytest.raises(Busy):
        with out_folder.content_lock(content, exclusive=False, wait=False):
            pass
