"""The benchmark commands of docs/performance.md run (short history; figures not checked)."""

from __future__ import annotations

import subprocess
import sys

from benchmarks import floor

from .conftest import ROOT


def test_the_benchmark_runs_and_prints_its_table(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--versions",
                             "3", "--runs", "1", "--saves", "0", "--work", str(tmp_path)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "cold" in result.stdout and "one edit" in result.stdout
    assert "targets: cold <= 1.3 s" in result.stdout


def test_the_floor_is_measured_on_a_built_site(built_site, tmp_path):
    found = floor.measure(ROOT / "content", built_site, tmp_path / "scratch", runs=1)
    assert found["pages"] > 10 and found["files"] > found["pages"]
    assert all(found[part] > 0 for part in ("yaml", "jinja", "json", "write"))
    assert not (tmp_path / "scratch").exists()
