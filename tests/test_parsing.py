"""Content parsed the fast way (``generator/speed/parsing.py``: in pieces, validated
ahead) reads exactly as parsed the plain way: every value, position and problem."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from generator.content.loader import parse_files
from generator.content.located import LocalText
from generator.content.validate import Checked
from generator.speed import yaml_pieces
from generator.speed.session import Speedups

ROOT = Path(__file__).resolve().parent.parent


def content_jobs() -> list[tuple]:
    """The shipped content's files, and some a parser has to refuse."""
    jobs = [(path.read_bytes(), str(path.relative_to(ROOT)))
            for path in sorted((ROOT / "content").rglob("*.yaml"))]
    broken = [b"key: [unclosed", b"a: 1\na: 2\n", b"\xef\xbb\xbfa: 1\n", b"a: \xff\n",
              b"x: &anchor 1\ny: *anchor\n", b"!!python/object:os.system {}\n", b""]
    return jobs + [(data, f"broken/{number}.yaml") for number, data in enumerate(broken)]


def ordered(value):
    """A value with the order of every mapping's keys (and their marks) spelled out. A
    validated text's place is its file's name, line and column: shared values name
    the file of an earlier version that held the same lines (``validate._check_file``,
    ``validated_pieces.py``)."""
    if isinstance(value, LocalText):
        return (value.values, os.path.basename(value.loc.path), value.loc.line,
                value.loc.column, value.markdown)
    if isinstance(value, dict):
        return [(key, ordered(item)) for key, item in value.items()] + [
            list(getattr(value, "key_marks", {}).items()),
            list(getattr(value, "value_marks", {}).items())]
    if isinstance(value, list):
        return [ordered(item) for item in value]
    return value


def history(tmp_path: Path, versions: int = 6) -> Path:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate
    return generate(tmp_path / "content", versions=versions, purposes=6)


def validated(content: Path, speed: Speedups | None):
    """The validated versions of ``content`` (as ``ordered`` values), or its problems."""
    from generator.errors import ContentError
    from generator.pipeline import Project, load_and_validate
    try:
        valid = load_and_validate(Project.at(ROOT, content=content), speed=speed)
    except ContentError as error:
        return [str(problem) for problem in error.problems]
    return [(v.name, {name: ordered(value) for name, value in v.files.items()})
            for v in valid.versions]


def test_files_parsed_fast_are_the_files_parsed_plainly():
    jobs = content_jobs()
    fast = Speedups().parse_files(jobs)
    plain = parse_files(jobs)
    assert [ordered(value) for value, _ in fast] == [ordered(value) for value, _ in plain]
    assert [found for _, found in fast] == [found for _, found in plain]
    assert any(found for _, found in fast)


def test_a_history_validated_fast_is_the_history_validated_plainly(tmp_path):
    content = history(tmp_path)
    speed = Speedups()
    fast = validated(content, speed)
    assert len(fast) == 6 and fast == validated(content, None)
    recent = speed.yaml_pieces.recent  # the pieces were at work
    assert len(recent) >= 3 and speed.validated.last.keys() >= recent.keys()
    last = {path.name: path.read_text("utf-8")
            for path in sorted((content / "versions").iterdir())[-1].iterdir()}
    for name, pieces in recent.items():
        assert set(pieces) == {text for text, _, _ in yaml_pieces.split(last[name])}


def test_problems_found_fast_are_the_problems_found_plainly(tmp_path):
    """Problems in files, an id declared twice, references to an id that another file
    no longer declares, and bytes held by files of two names: the same problems, at
    the same places."""
    content = history(tmp_path)
    folders = sorted((content / "versions").iterdir())
    _edit(folders[1] / "organisation.yaml", "legal_name:", "legal_nam:")
    _edit(folders[2] / "purposes.yaml", "    - contract\n", "    - contrct\n")
    _edit(folders[3] / "recipients.yaml", "- id: ", "- id: Not An Id ", count=1)
    _edit(folders[4] / "data_categories.yaml", "- id: contact\n", "- id: contact-gone\n")
    _edit(folders[5] / "data_categories.yaml", "- id: company\n", "- id: contact\n")
    for folder in folders[4:]:
        (folder / "privacy.yaml").write_bytes((folders[0] / "cookies.yaml").read_bytes())
    fast = validated(content, Speedups())
    assert all(isinstance(problem, str) for problem in fast) and len(fast) > 6
    assert fast == validated(content, None)


def test_a_named_file_is_validated_ahead_and_shares_what_it_repeats(tmp_path):
    jobs = [(path.read_bytes(), str(path), path.name)
            for path in sorted((history(tmp_path) / "versions").rglob("*.yaml"))]
    made = Speedups().parse_files(jobs)
    assert all(type(value) is Checked for value, _ in made)
    values = [{id(item) for item in value.value.values() if isinstance(item, dict | LocalText)}
              for value, _ in made]
    assert any(one & other for number, one in enumerate(values) for other in values[:number])
    named = [(data, path, None) for data, path, _ in jobs]  # bytes two file names hold
    assert not any(type(value) is Checked for value, _ in Speedups().parse_files(named))


def _edit(path: Path, old: str, new: str, count: int = -1) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count), "utf-8")
