"""The floor plan holds: the stages never reach into the speed wing or the cache.

``content``, ``render``, ``export`` and ``check`` are the domain: what a build
does. ``speed`` and ``incremental`` only make it faster, and the pipeline and the
commands hand them in (``generator/pipeline.py``). The imports are read from the
source, so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
DOMAIN = ("content", "render", "export", "check")
WINGS = ("generator.speed", "generator.incremental")
MAX_LINES = 400


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, as an absolute dotted name."""
    package = ".".join(path.relative_to(GENERATOR.parent).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def domain_modules() -> list[Path]:
    return sorted(p for stage in DOMAIN for p in (GENERATOR / stage).rglob("*.py"))


@pytest.mark.parametrize("path", domain_modules(), ids=lambda p: str(p.relative_to(GENERATOR)))
def test_the_stages_do_not_import_the_speed_wing_or_the_cache(path):
    wrong = sorted(name for name in imported(path)
                   if any(name == wing or name.startswith(wing + ".") for wing in WINGS))
    assert not wrong, f"{path.relative_to(GENERATOR)} imports {wrong}"


def test_the_rule_reads_every_kind_of_import(tmp_path):
    """The reader itself: absolute, relative and late imports are all seen."""
    module = GENERATOR / "render" / "probe_not_a_module.py"
    source = ("from generator.speed import side_process\n"
              "def f():\n    from ..incremental.build_cache import BuildCache\n"
              "import generator.speed.template_memo\n")
    module.write_text(source, "utf-8")
    try:
        names = imported(module)
    finally:
        module.unlink()
    assert {"generator.speed.side_process", "generator.incremental.build_cache",
            "generator.speed.template_memo"} <= names


@pytest.mark.parametrize("path", sorted(GENERATOR.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(GENERATOR)))
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(GENERATOR)} has {lines} lines"
