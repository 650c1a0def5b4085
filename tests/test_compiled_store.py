"""Compiled templates kept between processes (``generator/speed/compiled_store.py``):
a build without a cache takes them instead of compiling, and writes the same bytes;
a folder others may write is never used; a damaged file is compiled again."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import jinja2

from generator.pipeline import Project, build
from generator.speed import compiled_store
from generator.speed.session import Speedups

from .conftest import ROOT, TODAY


def files_of(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


def built(out: Path, folder: Path | None, monkeypatch) -> tuple[dict, list]:
    """A build without a cache, as ``build --no-cache`` runs it, and the templates it
    compiled."""
    compiled: list[str] = []
    real = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real(self, source, name, filename, raw, defer_init)
    with monkeypatch.context() as patched:
        patched.setattr(jinja2.Environment, "compile", counting)
        build(Project.at(ROOT), out, date.fromisoformat(TODAY),
              speed=Speedups(templates=folder))
    return files_of(out), compiled


def test_a_second_build_takes_the_templates_the_first_compiled(tmp_path, monkeypatch):
    folder = tmp_path / "store"
    folder.mkdir(mode=0o700)
    first, compiled = built(tmp_path / "a" / "site", folder, monkeypatch)
    templates = [name for name in os.listdir(folder) if not name.startswith("catalog-")]
    assert "document_page.html" in compiled and len(templates) == len(set(compiled))
    again, compiled_again = built(tmp_path / "b" / "site", folder, monkeypatch)
    assert compiled_again == [] and again == first
    for name in templates:  # damaged: compiled again, the same pages
        (folder / name).write_bytes(b"not a compiled template")
    damaged, compiled_damaged = built(tmp_path / "c" / "site", folder, monkeypatch)
    assert damaged == first and set(compiled_damaged) == set(compiled)


def test_the_folder_is_the_users_own_or_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = compiled_store.user_folder()
    assert folder is not None and folder.parent == tmp_path / "cache" / "privacy-docs"
    assert folder.name == f"templates-{compiled_store.code_digest()}"
    assert (folder.stat().st_mode & 0o777) == 0o700
    folder.chmod(0o770)  # others may write it: code they put there would run
    assert compiled_store.user_folder() is None
    folder.rmdir()
    folder.symlink_to(tmp_path)  # a link: not the user's folder
    assert compiled_store.user_folder() is None
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    (tmp_path / "file").write_text("not a folder")
    assert compiled_store.user_folder() is None  # nowhere to keep them: none kept


def test_the_command_line_keeps_them_for_the_user_and_plain_does_not(tmp_path, monkeypatch):
    from .conftest import run_build
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))  # this test's alone
    kept = tmp_path / "xdg" / "privacy-docs"
    assert run_build("build", "--plain", "--out", str(tmp_path / "p" / "site")).returncode == 0
    assert not kept.exists()
    assert run_build("build", "--no-cache", "--out", str(tmp_path / "s" / "site")).returncode == 0
    assert len(list(kept.glob("templates-*/*"))) > 10


def test_a_catalog_compiled_once_is_kept_and_a_damaged_one_compiled_again(tmp_path,
                                                                           monkeypatch):
    from generator.render import i18n
    folder = tmp_path / "store"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(i18n, "COMPILED", {})  # as a new process starts
    first, _ = built(tmp_path / "a" / "site", folder, monkeypatch)
    kept = list(folder.glob("catalog-*.mo"))
    assert len(kept) == 1  # Dutch; English is the source
    compiling = []
    real = i18n._compile
    monkeypatch.setattr(i18n, "COMPILED", {})
    monkeypatch.setattr(i18n, "_compile", lambda *a: compiling.append(a) or real(*a))
    assert built(tmp_path / "b" / "site", folder, monkeypatch)[0] == first
    assert compiling == []  # taken from the folder
    kept[0].write_bytes(b"damaged")
    monkeypatch.setattr(i18n, "COMPILED", {})
    assert built(tmp_path / "c" / "site", folder, monkeypatch)[0] == first
    assert len(compiling) == 1  # compiled again
