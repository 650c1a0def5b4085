"""Shared fixtures: the project root, a copy of the shipped content, a build helper."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-25"


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    """A writable copy of the shipped content; the working folder is tmp_path.

    The copy has no lock file, so a test may edit released versions freely;
    ``locked_content`` keeps it (tests/test_lock.py).
    """
    target = tmp_path / "content"
    shutil.copytree(ROOT / "content", target)
    (target / "lock.json").unlink(missing_ok=True)
    monkeypatch.chdir(tmp_path)
    return target


@pytest.fixture
def locked_content(content) -> Path:
    """The shipped content with its lock: released versions may not change."""
    shutil.copy2(ROOT / "content" / "lock.json", content / "lock.json")
    return content


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
