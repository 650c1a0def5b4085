"""Incremental rebuilds: after any change, the output equals a clean build's, byte for byte.

Each test builds once with the cache, changes one kind of input, rebuilds
incrementally into the same folder and compares every file with a clean
build (no cache) of the changed input. The lock is removed from the copy:
editing a released text is the lock's business (test_lock), not this one's.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import incremental
from generator.incremental import MemoryMemo
from generator.model import build_site
from generator.pipeline import Project, build, load_and_validate, render

from .conftest import ROOT, TODAY

DAY = date.fromisoformat(TODAY)


@pytest.fixture
def project(content: Path, tmp_path: Path) -> Project:
    (content / "lock.json").unlink(missing_ok=True)
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return Project(content=content, templates=tmp_path / "templates",
                   locales=tmp_path / "locales")


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_same_as_clean(project: Project, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(project, clean, DAY)
    incremental_files, clean_files = tree(out), tree(clean)
    assert sorted(incremental_files) == sorted(clean_files)
    different = [p for p in clean_files if incremental_files[p] != clean_files[p]]
    assert not different, f"differ from a clean build: {different[:5]}"


def newest(project: Project) -> Path:
    return sorted((project.content / "versions").iterdir())[-1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture
def site(project: Project, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build(project, out, DAY, cache=tmp_path / incremental.CACHE_FOLDER)
    return out


def rebuild(project: Project, out: Path, tmp_path: Path):
    return build(project, out, DAY, cache=tmp_path / incremental.CACHE_FOLDER)


def inode(out: Path, path: str) -> int:
    return (out / path).stat().st_ino


def test_no_change_writes_nothing(project, site, tmp_path):
    before = {p: inode(site, p) for p in tree(site)}
    files = rebuild(project, site, tmp_path)
    assert sorted(files) == sorted(before)
    assert {p: inode(site, p) for p in tree(site)} == before, "the site was rewritten"
    assert_same_as_clean(project, site, tmp_path)


def test_text_edit_in_newest_version_renders_only_that_version(project, site, tmp_path):
    old_page, new_page = "nl/privacy/2020-10-01/index.html", "nl/privacy/2026-04-01/index.html"
    before = inode(site, old_page), inode(site, new_page)
    edit(newest(project) / "purposes.yaml", "Wanneer u een bestelling doet",
         "Wanneer u een bestelling (gewijzigd) doet")
    rebuild(project, site, tmp_path)
    assert "(gewijzigd)" in (site / new_page).read_text("utf-8")
    assert inode(site, old_page) == before[0], "an unchanged version was rendered again"
    assert inode(site, new_page) != before[1]
    assert_same_as_clean(project, site, tmp_path)


def test_new_version(project, site, tmp_path):
    folder = project.content / "versions" / "2026-10-01"
    shutil.copytree(newest(project), folder)
    edit(folder / "cookies.yaml", "expiry: P6M", "expiry: P3M")
    rebuild(project, site, tmp_path)
    assert (site / "nl/cookies/2026-10-01/index.html").is_file()
    assert_same_as_clean(project, site, tmp_path)


def test_template_change(project, site, tmp_path):
    edit(project.templates / "privacy.html", 'class="pd-meta"', 'class="pd-meta pd-changed"')
    rebuild(project, site, tmp_path)
    assert "pd-changed" in (site / "en/privacy/2020-10-01/index.html").read_text("utf-8")
    assert_same_as_clean(project, site, tmp_path)


def test_catalog_change(project, site, tmp_path):
    catalog = project.locales / "nl" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text("utf-8")
    changed = re.sub(r'(msgid "Versions and changes"\nmsgstr ")[^"]*"', r'\1Alle versies"', text)
    assert changed != text
    catalog.write_text(changed, "utf-8")
    rebuild(project, site, tmp_path)
    assert "Alle versies" in (site / "nl/privacy/2020-10-01/index.html").read_text("utf-8")
    assert_same_as_clean(project, site, tmp_path)


def test_a_page_edited_by_hand_is_rendered_again(project, site, tmp_path):
    page = site / "en/privacy/2020-10-01/index.html"
    page.write_text("defaced", "utf-8")
    (site / "stray.html").write_text("not ours", "utf-8")
    rebuild(project, site, tmp_path)
    assert_same_as_clean(project, site, tmp_path)


def test_the_cache_is_safe_to_delete(project, site, tmp_path):
    shutil.rmtree(tmp_path / incremental.CACHE_FOLDER)
    edit(newest(project) / "privacy.yaml", "MKB serviceshop", "MKB serviceshop B.V.")
    rebuild(project, site, tmp_path)
    assert_same_as_clean(project, site, tmp_path)
    assert os.listdir(tmp_path / incremental.CACHE_FOLDER)


def test_serve_keeps_the_last_build_in_memory_and_renders_only_what_changed(project):
    memo = MemoryMemo()

    def rendered(with_memo: bool):
        site = build_site(load_and_validate(project), DAY, drafts=True)
        return render(project, site, memo=memo.start(project, drafts=True) if with_memo
                      else None)[0]

    memo.keep(rendered(True))
    assert memo.reused == 0
    edit(newest(project) / "purposes.yaml", "Wanneer u een bestelling doet",
         "Wanneer u een bestelling (gewijzigd) doet")
    files = rendered(True)
    memo.keep(files)
    assert files == rendered(False)
    assert memo.reused and memo.rendered  # the older version's pages came from memory
    edit(project.templates / "privacy.html", 'class="pd-meta"', 'class="pd-meta pd-changed"')
    files = rendered(True)
    assert files == rendered(False)
    assert memo.reused == 0
