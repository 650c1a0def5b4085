"""The text comparisons made in a side process: the same as made here, and a side
process that fails leaves them to this one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import comparisons, redline
from generator.comparisons import Comparisons, SideComparisons

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the side process is Linux's")


def article(version: int) -> str:
    """Consecutive versions of an article: a paragraph changes, one is added."""
    blocks = [f"<h2>Doel {n}</h2>\n<p>Wij bewaren uw gegevens {n + version % 3} jaar.</p>"
              for n in range(8)]
    blocks += [f"<p>Toegevoegd in versie {v}.</p>" for v in range(version)]
    return "<article>\n" + "\n".join(blocks) + "\n</article>"


def run(made: Comparisons, articles: list[str], batch: int = 3) -> list:
    """Submit consecutive pairs a batch at a time and collect each batch before the
    next is submitted, as the render stage does."""
    results, pending = [], 0
    pairs = list(zip(articles, articles[1:], strict=False))
    for start in range(0, len(pairs), batch):
        if pending:
            results += made.collect()
        for old, new in pairs[start:start + batch]:
            made.submit(old, new)
        pending = len(pairs[start:start + batch])
    return results + (made.collect() if pending else [])


def expected(articles: list[str]) -> list:
    return [redline.compare(old, new) for old, new in zip(articles, articles[1:],
                                                            strict=False)]


def test_the_side_process_makes_the_comparisons_made_here():
    articles = [article(v) for v in range(12)]
    with comparisons.start(parallel=True) as made:
        assert isinstance(made, SideComparisons)
        assert run(made, articles) == expected(articles)
    assert made.pid == 0  # ended and waited for


def test_an_article_not_sent_last_is_sent_again():
    """Each article crosses once when versions are consecutive; any other pair is sent
    whole."""
    first, second, third = article(1), article(2), article(3)
    with SideComparisons() as made:
        for old, new in ((first, second), (second, third), (first, third), (third, first)):
            made.submit(old, new)
        assert made.collect() == [redline.compare(first, second),
                                  redline.compare(second, third),
                                  redline.compare(first, third),
                                  redline.compare(third, first)]


def test_a_side_process_killed_leaves_the_comparisons_to_this_one():
    articles = [article(v) for v in range(8)]
    with SideComparisons() as made:
        made.submit(articles[0], articles[1])
        os.kill(made.pid, signal.SIGKILL)
        time.sleep(0.05)
        made.submit(articles[1], articles[2])
        assert made.collect() == expected(articles[:3])
        assert run(made, articles[2:]) == expected(articles[2:])


def test_an_error_in_the_side_process_is_raised_here(monkeypatch):
    """The side process dies quietly; the comparison made here raises the error, with
    its traceback, as a build without a side process would."""
    real = redline.compare

    def failing(old, new):
        if "Toegevoegd in versie 2" in new:
            raise ValueError("a bug in the comparison")
        return real(old, new)

    monkeypatch.setattr(redline, "compare", failing)
    with SideComparisons() as made:
        made.submit(article(1), article(2))
        made.submit(article(2), article(3))
        with pytest.raises(ValueError, match="a bug in the comparison"):
            made.collect()


def test_without_fork_the_comparisons_are_made_here(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    assert type(comparisons.start(parallel=True)) is Comparisons
    assert type(comparisons.start(parallel=False)) is Comparisons


SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
from generator.comparisons import SideComparisons
made = SideComparisons()
print(made.pid, flush=True)
time.sleep(60)
"""


def test_the_side_process_ends_when_the_build_is_killed():
    build = subprocess.Popen([sys.executable, "-c", SCRIPT.format(root=str(ROOT))],
                             stdout=subprocess.PIPE, text=True)
    side = int(build.stdout.readline())
    build.kill()
    build.wait()
    build.stdout.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and _running(side):
        time.sleep(0.02)
    assert not _running(side)


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has ended, its parent gone


def test_a_build_reports_the_side_process_in_its_timings(tmp_path):
    timings = tmp_path / "timings.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "build.py"), "build", "--out", str(tmp_path / "site"),
         "--no-cache", "--today", "2026-11-25"],
        env={**os.environ, "PRIVACY_DOCS_TIMINGS": str(timings)}, capture_output=True,
        text=True, check=False)
    assert result.returncode == 0, result.stderr
    import json
    recorded = json.loads(timings.read_text())
    assert recorded["side process"]["cpu"] > 0
    assert 0 < recorded["side process"]["peak_mib"] < 100


def test_a_side_process_never_used_is_not_waited_for():
    """A rebuild with nothing to compare does not wait for the side process to start."""
    made = SideComparisons()
    side = made.pid
    made.close()
    assert made.pid == 0
    assert not _running(side)
