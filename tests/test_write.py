"""Writing the site: the swap of the new site into place is atomic where Linux offers it."""

from __future__ import annotations

import sys

import pytest

from generator.output import write


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_two_folders_are_swapped_in_one_step(tmp_path):
    """renameat2(RENAME_EXCHANGE), found in the C library the interpreter has loaded."""
    old, new = tmp_path / "site", tmp_path / "staging"
    old.mkdir()
    new.mkdir()
    (old / "old.html").write_text("old")
    (new / "new.html").write_text("new")
    assert write._exchange(new, old)
    assert [p.name for p in old.iterdir()] == ["new.html"]
    assert [p.name for p in new.iterdir()] == ["old.html"]
