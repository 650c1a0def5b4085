"""``build --plain`` (no speedup, no cache) writes the very bytes a fast
build writes: every speedup is an optimisation, never a second meaning.

Both ways are run as a person runs them, ``python build.py build``, on the shipped
content and on a 30-version history, long enough for every speedup to be at work
(the render helper, pieces, shared articles, the template memo, the file memory, the
PDF store: a plain build makes every PDF itself).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .conftest import ROOT, TODAY, run_build

VERSIONS = 30


def tree(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    return generate(tmp_path_factory.mktemp("plain") / "content", versions=VERSIONS)


def built(content: Path, out: Path, *options: str) -> dict[str, bytes]:
    result = run_build("build", "--content", str(content), "--out", str(out),
                       "--today", TODAY, *options)
    assert result.returncode == 0, result.stderr
    return tree(out)


@pytest.mark.parametrize("which", ["shipped", "history"])
def test_a_plain_build_writes_the_bytes_of_a_fast_one(which, history, tmp_path):
    content = ROOT / "content" if which == "shipped" else history
    plain = built(content, tmp_path / "plain" / "site", "--plain")
    assert len(plain) > 40
    fast = built(content, tmp_path / "fast" / "site", "--no-cache")
    assert fast.keys() == plain.keys()
    assert [path for path in plain if plain[path] != fast[path]] == []
    # and with the cache: a first (cold) build, then one that reuses everything
    cached = tmp_path / "cached" / "site"
    assert built(content, cached) == plain
    assert any(path.endswith(".pdf") for path in plain)  # the PDFs too, made both ways
    if which == "shipped":  # (the history has no draft; its 120 PDFs take a minute plain)
        assert built(content, cached, "--drafts") == built(content, tmp_path / "d" / "site",
                                                           "--plain", "--drafts")


def test_plain_builds_without_a_cache(tmp_path):
    out = tmp_path / "site"
    built(ROOT / "content", out, "--plain")
    assert not (tmp_path / ".privacy-docs-cache").exists()
    result = run_build("build", "--out", str(out), "--plain", "--cache", str(tmp_path / "c"))
    assert result.returncode == 2
    assert "--plain builds without a cache" in result.stderr
