"""Every relative link in README.md and docs/*.md points to a file that exists, and every
#anchor to a heading of that file (GitHub's heading ids); offline, no site built."""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _prose(text):
    """The lines outside fenced code blocks, with inline code spans removed."""
    fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        if not fence:
            yield re.sub(r"`[^`]*`", "", line)


def _anchors(path):
    """GitHub's ids for the headings of a Markdown file."""
    ids = set()
    fence = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        elif not fence and (m := re.match(r"#{1,6} (.+)", line)):
            ids.add(re.sub(r"[^\w\- ]", "", m.group(1).strip().lower()).replace(" ", "-"))
    return ids


def _links():
    for doc in DOCS:
        for line in _prose(doc.read_text(encoding="utf-8")):
            for target in LINK.findall(line):
                if not re.match(r"[a-z]+:", target):
                    yield doc, target


def test_the_docs_exist_and_link_somewhere():
    assert len(DOCS) >= 9 and sum(1 for _ in _links()) > 10


@pytest.mark.parametrize(("doc", "target"), list(_links()),
                         ids=lambda v: v.name if hasattr(v, "name") else v)
def test_a_relative_link_resolves(doc, target):
    path, _, anchor = target.partition("#")
    file = (doc.parent / path).resolve() if path else doc
    assert file.exists(), f"{doc.name}: {target}: no such file"
    if anchor:
        assert anchor in _anchors(file), f"{doc.name}: {target}: no such heading"
