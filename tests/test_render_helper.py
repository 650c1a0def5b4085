"""The render helper (``generator/speed/render_helper.py``): a cold build of a long history
with a helper writes the site a build without one writes, leaves a cache the next
builds use as their own, and a helper that fails leaves its part to the build.

The helper renders pages, not PDFs (the build makes those after its exports): each PDF's
layout is stood in for by its HTML's digest (``conftest.pdf_stand_in``), which the
comparisons below still compare byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from generator.errors import ContentError
from generator.pipeline import Project, build
from generator.render import pages as render
from generator.speed import pdf_store, render_helper
from generator.speed.session import Speedups

from .conftest import ROOT, TODAY, relock

pytestmark = pytest.mark.skipif(sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
                                reason="the render helper is Linux's, on a second core")

VERSIONS = 30  # the helper makes the older 18 of each document's history


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    return generate(tmp_path_factory.mktemp("history") / "content", versions=VERSIONS,
                    purposes=6)


@pytest.fixture(autouse=True)
def _pdfs_stood_in(pdf_stand_in) -> None:
    """Every build of this module with PDF stand-ins, the subprocess's too (they are in
    the user's folder it is given)."""


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def built(content: Path, out: Path, helper: bool, cache: Path | None = None,
          templates: Path | None = None, today: str = TODAY) -> dict[str, bytes]:
    project = Project.at(ROOT, content=content)
    if templates is not None:
        project.templates = templates
    build(project, out, date.fromisoformat(today), cache=cache,
          speed=Speedups(render_helper=helper, pdfs=pdf_store.folder()))
    return files_of(out)


def helped(monkeypatch) -> list[str]:
    """Record each helper forked."""
    events = []
    start = render_helper.RenderHelper.__init__

    def forking(self, work, renderer=None):
        events.append("helper")
        start(self, work, renderer)
    monkeypatch.setattr(render_helper.RenderHelper, "__init__", forking)
    return events


def test_a_long_history_is_helped_and_a_short_one_is_not():
    assert render_helper.helper_part(VERSIONS) == int(VERSIONS * render_helper.SHARE) > 0
    assert render_helper.helper_part(render_helper.FEW_VERSIONS - 1) == 0


def test_a_cold_build_with_a_helper_writes_the_site_written_without(history, tmp_path,
                                                                     monkeypatch):
    events = helped(monkeypatch)
    with_helper = built(history, tmp_path / "a" / "site", helper=True)
    assert events == ["helper"]
    without = built(history, tmp_path / "b" / "site", helper=False)
    assert events.count("helper") == 1
    assert with_helper.keys() == without.keys() and len(without) > 200
    assert [path for path in without if with_helper[path] != without[path]] == []


def test_the_cache_a_helped_build_leaves_serves_the_next_builds(history, tmp_path,
                                                                monkeypatch):
    """Its pages' keys and its Markdown are the build's: a rebuild with nothing changed
    changes nothing, and one after an edit is a clean build's site."""
    content = tmp_path / "content"
    shutil.copytree(history, content)
    out, cache = tmp_path / "out" / "site", tmp_path / "cache"
    events = helped(monkeypatch)
    built(content, out, helper=True, cache=cache)
    assert events.count("helper") == 1
    first = files_of(out)
    assert built(content, out, helper=True, cache=cache) == first
    oldest = sorted((content / "versions").iterdir())[0] / "privacy.yaml"
    oldest.write_text(oldest.read_text("utf-8").replace("Als u klant", "Als u (oud) klant", 1),
                      "utf-8")
    relock(content)  # an erratum of the oldest version
    again = built(content, out, helper=True, cache=cache)
    assert events.count("helper") == 1  # an incremental build reuses pages: no helper
    assert again == built(content, tmp_path / "clean" / "site", helper=False)
    assert again != first


def _edit(content: Path, path: Path, old: str, new: str) -> None:
    """An edit of ``content``, recorded in its lock as a release would record it."""
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    relock(content)


def test_a_rebuild_in_which_every_page_changes_takes_the_clean_path(history, tmp_path,
                                                                     monkeypatch):
    """A change every page shows (site.yaml's title; a version taking effect): the cached
    rebuild parses every version at once rather than one file at a time as pages ask,
    and is helped, as a build without a cache is; it writes what a clean build writes
    and saves a cache with which the next edit is incremental again."""
    from generator.incremental import version_cache
    content = tmp_path / "content"
    shutil.copytree(history, content)
    out, cache = tmp_path / "out" / "site", tmp_path / "cache"
    events = helped(monkeypatch)
    taken = []  # versions taken as known by their bytes: their files parsed when read
    wrap = version_cache.VersionCache.wrap
    monkeypatch.setattr(version_cache.VersionCache, "wrap",
                        lambda self, loaded: taken.append(loaded.name) or wrap(self, loaded))
    names = sorted(path.name for path in (content / "versions").iterdir())
    newest = content / "versions" / names[-1] / "privacy.yaml"

    built(content, out, helper=True, cache=cache)
    assert events.count("helper") == 1 and taken == []
    _edit(content, newest, "Als u klant", "Als u (nieuw) klant")
    built(content, out, helper=True, cache=cache)
    assert events.count("helper") == 1 and len(taken) == VERSIONS - 1  # incremental

    taken.clear()
    _edit(content, content / "site.yaml", "en: Privacy and cookies", "en: Privacy & cookies")
    again = built(content, out, helper=True, cache=cache)
    assert events.count("helper") == 2 and taken == []  # decided before loading
    assert again == built(content, tmp_path / "clean" / "site", helper=False)
    _edit(content, newest, "Als u (nieuw) klant", "Als u (weer) klant")
    built(content, out, helper=True, cache=cache)
    assert events.count("helper") == 2 and len(taken) == VERSIONS - 1  # its cache serves

    # the day the newest version takes effect: which version is current changes on every
    # page, which only the model tells (its versions loaded again, all at once)
    built(content, out, helper=True, cache=cache, today=names[-2])
    events.clear()
    moved = built(content, out, helper=True, cache=cache, today=names[-1])
    assert events.count("helper") == 1
    assert moved == built(content, tmp_path / "moved" / "site", helper=False, today=names[-1])


def test_a_helper_that_fails_leaves_its_part_to_the_build(history, tmp_path, monkeypatch):
    """Killed as it begins, or after writing its part but before answering: the build
    makes the helper's pages itself (over whatever it wrote)."""
    without = built(history, tmp_path / "plain" / "site", helper=False)
    with monkeypatch.context() as killing:
        killing.setattr(render_helper, "_end_with",
                        lambda parent: os.kill(os.getpid(), signal.SIGKILL))
        assert built(history, tmp_path / "killed" / "site", helper=True) == without
    write_part = render._older_part
    parent = os.getpid()

    def writes_then_dies(*args, **kwargs):
        write_part(*args, **kwargs)
        if os.getpid() != parent:
            os._exit(1)
    monkeypatch.setattr(render, "_older_part", writes_then_dies)
    assert built(history, tmp_path / "died" / "site", helper=True) == without


def test_a_template_error_in_the_helpers_part_is_reported_as_without_one(history, tmp_path):
    """The helper's part fails to render: the build makes it, and reports the error where
    a build without a helper does."""
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    oldest = sorted(path.name for path in (history / "versions").iterdir())[0]
    page = templates / "privacy.html"
    page.write_text(page.read_text("utf-8").replace(
        "{% call", f"{{% if entry.name == '{oldest}' %}}{{{{ no_such_value }}}}"
                   "{% endif %}{% call", 1), "utf-8")
    errors = []
    for helper in (True, False):
        with pytest.raises(ContentError) as raised:
            built(history, tmp_path / str(helper) / "site", helper, templates=templates)
        errors.append([str(problem) for problem in raised.value.problems])
    assert errors[0] == errors[1] and "no_such_value" in errors[0][0]
    assert not (tmp_path / "True" / "site").exists()  # nothing was written


def test_a_cold_build_reports_its_helper_and_a_rebuild_has_none(history, tmp_path):
    """A cold build as ``build`` runs it, with the history's PDFs (stand-ins) in the
    user's folder, where an earlier build left them."""
    built(history, tmp_path / "earlier" / "site", helper=False)
    timings = tmp_path / "timings.json"
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(history),
               "--out", str(tmp_path / "site"), "--today", TODAY]
    env = {**os.environ, "PRIVACY_DOCS_TIMINGS": str(timings)}
    recorded = []
    for _ in range(2):
        subprocess.run(command, env=env, check=True, capture_output=True)
        recorded.append(json.loads(timings.read_text()))
    cold, rebuild = recorded
    assert cold["render helper"]["cpu"] > 0 and 0 < cold["render helper"]["peak_mib"] < 200
    assert "render helper" not in rebuild


def test_the_build_collects_its_objects_again_once_its_helper_is_done(history, tmp_path):
    """The collector is frozen while a helper shares the build's memory (so that neither
    copies it by collecting), and only then."""
    import gc
    before = gc.get_freeze_count()
    built(history, tmp_path / "site", helper=True)
    assert gc.get_freeze_count() == before == 0


def test_a_helped_build_checks_the_lock_against_the_helpers_pages(history, tmp_path):
    """A released version the helper renders, changed since it was locked: the lock check
    reads the helper's fragment and reports the change as a build without a helper does."""
    from generator.commands.release import _prepare
    from generator.content import lock

    content = tmp_path / "content"
    shutil.copytree(history, content)
    project = Project.at(ROOT, content=content)
    site, files, *_ = _prepare(project, date.fromisoformat(TODAY))
    recorded = lock.read_lock(content)
    for version in site.versions:
        recorded["versions"][version.name] = lock.entry_for(site, files, version)
    lock.write_lock(content, recorded)
    assert built(content, tmp_path / "locked" / "site", helper=True)  # as released
    oldest = sorted((content / "versions").iterdir())[0] / "privacy.yaml"
    oldest.write_text(oldest.read_text("utf-8").replace("Als u", "Als jij", 1), "utf-8")
    errors = []
    for helper in (True, False):
        with pytest.raises(ContentError) as raised:
            built(content, tmp_path / f"changed-{helper}" / "site", helper)
        errors.append([str(problem) for problem in raised.value.problems])
    assert errors[0] == errors[1]
    assert any("differs from the released text" in error for error in errors[0])
