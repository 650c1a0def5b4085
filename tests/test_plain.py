"""``build --plain`` (no speedup, no cache) writes the very bytes a fast
build writes: every speedup is an optimisation, never a second meaning.

On the shipped content both ways are run as a person runs them, ``python build.py
build``, every PDF laid out by WeasyPrint (the plain build in its own process, the fast
one on every core, or taken from the store). On a 30-version history, long enough for
every speedup to be at work (the render helper, pieces, shared articles, the template
memo, the file memory, the PDF store and its workers), the builds run in this process
and each PDF's layout is stood in for by a digest of its HTML: laying out its 120 PDFs
plainly, one after another, takes two minutes on an idle machine, and what a speedup
could get wrong is the HTML a PDF is made from (compared here, byte for byte, by its
digest) or where ``to_pdf`` runs (compared on the shipped content, and in
``test_pdf.py``), not WeasyPrint's layout.
"""

from __future__ import annotations

import sys
from datetime import date
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
    return generate(tmp_path_factory.mktemp("plain") / "content", versions=VERSIONS,
                    purposes=6)


def built(content: Path, out: Path, *options: str) -> dict[str, bytes]:
    result = run_build("build", "--content", str(content), "--out", str(out),
                       "--today", TODAY, *options)
    assert result.returncode == 0, result.stderr
    return tree(out)


def test_a_plain_build_writes_the_bytes_of_a_fast_one(tmp_path):
    content = ROOT / "content"
    plain = built(content, tmp_path / "plain" / "site", "--plain")
    assert len(plain) > 40
    fast = built(content, tmp_path / "fast" / "site", "--no-cache")
    assert fast.keys() == plain.keys()
    assert [path for path in plain if plain[path] != fast[path]] == []
    # and with the cache: a first (cold) build, then one that reuses everything
    cached = tmp_path / "cached" / "site"
    assert built(content, cached) == plain
    assert any(path.endswith(".pdf") for path in plain)  # the PDFs too, made both ways
    assert built(content, cached, "--drafts") == built(content, tmp_path / "d" / "site",
                                                       "--plain", "--drafts")


def test_on_a_long_history_too(history, tmp_path, monkeypatch, pdf_stand_in):
    """In this process, a PDF's layout stood in for by its HTML's digest (see above)."""
    from generator.pipeline import Project, build
    from generator.speed import pdf_store
    from generator.speed.session import Speedups
    monkeypatch.setattr(pdf_store, "_cores", lambda: 2)  # the workers too

    def made(out: Path, **options) -> dict[str, bytes]:
        build(Project.at(ROOT, content=history), out, date.fromisoformat(TODAY), **options)
        return tree(out)
    plain = made(tmp_path / "plain" / "site", plain=True)
    assert len([path for path in plain if path.endswith(".pdf")]) == 4 * VERSIONS
    fast = made(tmp_path / "fast" / "site", speed=Speedups())  # no cache, no user's store
    assert fast.keys() == plain.keys()
    assert [path for path in plain if plain[path] != fast[path]] == []
    cache = tmp_path / "cache"
    assert made(tmp_path / "cached" / "site", cache=cache, speed=Speedups()) == plain
    assert made(tmp_path / "cached" / "site", cache=cache, speed=Speedups()) == plain


def test_plain_builds_without_a_cache(tmp_path):
    out = tmp_path / "site"
    built(ROOT / "content", out, "--plain")
    assert not (tmp_path / ".privacy-docs-cache").exists()
    result = run_build("build", "--out", str(out), "--plain", "--cache", str(tmp_path / "c"))
    assert result.returncode == 2
    assert "--plain builds without a cache" in result.stderr
