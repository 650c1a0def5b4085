"""Content files parsed the fast way: in pieces, and validated ahead.

A file is parsed as ``loader.parse_files`` parses it, but in pieces
(``yaml_pieces``: a piece the previous version of the file held at the same line is
taken as it was built) and, when its job names the file and the parse found no
problem, validated on its own where it is parsed (``validate.check_alone``), a
piece repeated from the file's previous version once (``validated_pieces``). The
build's own validation then only adds what each file declares to its versions.
``tests/test_parsing.py`` compares every value, position and problem with the
plain way.
"""

from __future__ import annotations

import os

from generator.content.validate import check_alone
from generator.content.yaml_values import parse_yaml
from generator.errors import Problems

Parsed = tuple[object, list]  # a file's values and the problems found (``Problem`` list)


def parse_ahead(job: tuple, speed) -> Parsed:
    """One job of ``load_content`` (bytes, path, and the file's name or None) parsed
    with the state ``speed`` (a ``Speedups``) keeps: its ``yaml_pieces`` and
    ``validated``."""
    data, path = job[0], job[1]
    problems = Problems()
    value = parse_yaml(data, path, problems, speed.yaml_pieces.reader(os.path.basename(path)))
    if len(job) > 2 and job[2] is not None and not problems.items:
        value = check_alone(job[2], value, path, speed.validated.of(job[2])) or value
    return value, problems.items
