"""Shared fixtures: the project root, a copy of the shipped content, a build helper."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"


@pytest.fixture(autouse=True, scope="session")
def user_cache_folder(tmp_path_factory):
    """The builds the tests run keep their compiled templates and PDFs in a folder of the
    test run's (``speed/compiled_store.py``, ``speed/pdf_store.py``), not in the user's
    own ~/.cache: one folder for all the workers of a run (``pytest -n``, whose base
    temporary folders share a parent), so that a PDF is laid out once per run."""
    import os
    if os.environ.get("PYTEST_XDIST_WORKER"):
        folder = tmp_path_factory.getbasetemp().parent / "xdg-cache"
        folder.mkdir(exist_ok=True)
    else:
        folder = tmp_path_factory.mktemp("xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


def stood_in_pdf(html: str) -> bytes:
    """A PDF's stand-in: the digest of the HTML it is made from (``pdf_stand_in``)."""
    import hashlib
    return b"%PDF- stood in for: " + hashlib.sha256(html.encode()).hexdigest().encode()


@pytest.fixture
def pdf_stand_in(tmp_path, monkeypatch) -> None:
    """Each PDF's layout stood in for by :func:`stood_in_pdf`, for the tests of a long
    history that compare builds or count their work: laying out a 30-version history's
    120 PDFs takes a minute or two of CPU, and what such a build could get wrong is the
    HTML a PDF is made from (compared byte for byte by its digest) or where ``to_pdf``
    runs (``test_pdf.py``, ``test_plain.py`` on the shipped content), not WeasyPrint's
    layout. The stand-ins are kept in the memory of this test (the forked workers too)
    and in a user's folder of its own (``XDG_CACHE_HOME``), never where another test
    looks for a real PDF."""
    from collections import OrderedDict

    from generator.export import pdf as export_pdf
    from generator.speed import pdf_store
    monkeypatch.setattr(export_pdf, "to_pdf", stood_in_pdf)
    monkeypatch.setattr(pdf_store, "_MEMORY", OrderedDict())
    monkeypatch.setattr(pdf_store, "_held", 0)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache-stood-in"))


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """A writable copy of the shipped content, with its lock; the working folder is
    tmp_path. A test that edits a released version calls :func:`relock` after the edit,
    as a person would release it again."""
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def locked_content(content) -> Path:
    """The shipped content with its lock: released versions may not change."""
    return content


def relock(content, today: str = TODAY) -> None:
    """Record every released version of ``content`` (a folder or a Project) in its lock
    as it now reads, as ``python build.py release VERSION`` would: tests edit released
    versions freely, but a build publishes no released version its lock does not
    record."""
    from datetime import date

    from benchmarks.synthetic import lock_released
    from generator.pipeline import Project

    project = content if isinstance(content, Project) else None
    lock_released(project.content if project else content, date.fromisoformat(today), project)


def run_build(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    result = run_build("build", "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return out


# Browser and checker fixtures, shared by the browser, serve, XSS and consent tests.
from .browser import browser_type_launch_args, local_site  # noqa: E402, F401
