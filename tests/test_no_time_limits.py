"""No test asserts a wall or CPU time against a fixed bound.

On a busy machine any such limit fails at random, and a red run for a timing
blocks everyone. Tests count work instead (calls, values, bytes), or compare
two measurements taken in the same test with a generous ratio; how fast
something is belongs in ``benchmarks/``. A timeout that keeps a hanging test
from hanging for ever is no assertion, and is not looked for.

Found by reading each test module: an ``assert`` comparing a clock reading
(``time.monotonic()``, ``perf_counter``, ``process_time``, ``time``, ...), or a
name assigned from one in the same function, with a number or a constant.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CLOCKS = {"monotonic", "perf_counter", "process_time", "thread_time", "time",
          "monotonic_ns", "perf_counter_ns", "process_time_ns", "thread_time_ns", "time_ns"}


def _reads_clock(node: ast.AST, timed: set[str]) -> bool:
    for inner in ast.walk(node):
        if (isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute)
                and inner.func.attr in CLOCKS and isinstance(inner.func.value, ast.Name)
                and inner.func.value.id == "time"):
            return True
        if isinstance(inner, ast.Name) and inner.id in timed:
            return True
    return False


def _fixed(node: ast.AST) -> bool:
    """A number, a constant's name (UPPER_CASE), or arithmetic of those."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, int | float) and not isinstance(node.value, bool)
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.UnaryOp):
        return _fixed(node.operand)
    if isinstance(node, ast.BinOp):
        return _fixed(node.left) and _fixed(node.right)
    return False


def _timed_names(scope: ast.AST) -> set[str]:
    """Names assigned, in ``scope``, from a clock reading or from such names."""
    timed: set[str] = set()
    while True:
        found = set(timed)
        for node in ast.walk(scope):
            if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and node.value:
                if _reads_clock(node.value, timed):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    found |= {name.id for target in targets for name in ast.walk(target)
                              if isinstance(name, ast.Name)}
        if found == timed:
            return timed
        timed = found


def time_limits(source: str) -> list[int]:
    """The lines of ``source`` whose assert holds a clock reading to a fixed bound."""
    tree = ast.parse(source)
    lines = []
    scopes = [tree] + [node for node in ast.walk(tree)
                       if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    for scope in scopes:
        timed = _timed_names(scope)
        for node in ast.walk(scope):
            if not isinstance(node, ast.Assert):
                continue
            for compare in ast.walk(node.test):
                if not isinstance(compare, ast.Compare):
                    continue
                operands = [compare.left, *compare.comparators]
                if any(_reads_clock(operand, timed) for operand in operands) and any(
                        _fixed(operand) for operand in operands):
                    lines.append(node.lineno)
    return sorted(set(lines))


@pytest.mark.parametrize("path", sorted(TESTS.glob("*.py")), ids=lambda path: path.name)
def test_no_test_asserts_a_time_against_a_fixed_bound(path):
    found = time_limits(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.name}, lines {found}: a time held to a fixed bound fails at "
                       "random on a busy machine; count the work instead, or compare two "
                       "measurements of the same test with a generous ratio")


@pytest.mark.parametrize("source", [
    "import time\ndef test():\n    start = time.monotonic()\n    work()\n"
    "    assert time.monotonic() - start < 1\n",
    "import time\nLIMIT = 1.0\ndef test():\n    t = time.process_time()\n    work()\n"
    "    elapsed = time.process_time() - t\n    assert elapsed < LIMIT, elapsed\n",
    "import time\ndef test():\n    a = time.perf_counter()\n    seconds = time.perf_counter() - a\n"
    "    assert ok and seconds <= 2 * 60\n",
])
def test_the_limits_it_looks_for_are_found(source):
    assert time_limits(source)


@pytest.mark.parametrize("source", [
    "import time\ndef test():\n    deadline = time.monotonic() + 60\n"
    "    while time.monotonic() < deadline:\n        pass\n",  # a timeout, not an assert
    "import time\ndef test(early, late):\n    assert late <= 4 * early + 1\n",  # a ratio
    "def test(work):\n    assert work.values <= 2 * SHIPPED + 1\n",  # counted work
])
def test_what_it_leaves_alone(source):
    assert time_limits(source) == []
