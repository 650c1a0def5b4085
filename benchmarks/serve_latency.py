"""How long ``serve`` takes from a save to the page in the browser reloading.

Runs the real preview server (``generator.serve.PreviewServer``: watchfiles,
the incremental build, livereload) in this process on a free port, in an
editing session as a person has one: the content is copied, a draft is made of
its newest version (``new-version``), and one text of the draft is saved
``saves`` times, each save its own change (apart, and after the page's
livereload script has connected again).

- :func:`measure_serve`: the server's own measurement of each save, from the
  saved file's modification time to the reload message sent to the browsers.
- :func:`measure_in_browser`: measured in Chromium (Debian's ``/usr/bin/chromium``
  through Playwright), from the moment the file is written to the navigation of
  the open page: the new document's ``performance.timeOrigin`` (when the browser
  began to load it; both clocks are this machine's wall clock), and its load
  event. Where the time goes is taken from the server meanwhile: from the write
  to the server hearing of it (the watcher), the rebuild, and the reload
  message sent.

``python benchmarks/serve_latency.py [--saves 20] [--content DIR]`` prints the
medians in the browser; ``benchmarks/run.py`` prints both for the shipped and
the synthetic content.
"""

from __future__ import annotations

import argparse
import gc
import io
import re
import shutil
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
               "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run", "--disable-quic"]
TODAY = date(2026, 11, 25)
EDIT_FILE, EDIT = "privacy.yaml", re.compile(r"Als u klant(?: \(bewerkt \d+\))? bent")
APART = 0.3  # seconds between two saves, so that each is its own change


def edit_text(folder: Path, number: int) -> None:
    """Change one Dutch text of the version in ``folder`` (a different change each time)."""
    path = folder / EDIT_FILE
    text, count = EDIT.subn(f"Als u klant (bewerkt {number}) bent", path.read_text("utf-8"), 1)
    if not count:
        raise ValueError(f"{path}: the text to edit is missing")
    path.write_text(text, "utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def editing_session(content: Path, today: date) -> Iterator[tuple]:
    """The preview server on a copy of ``content`` with a draft of its newest version:
    yields the server, the draft's folder and the records of each change the server
    handled (when it heard of it, how long it rebuilt, when it told the browsers)."""
    from generator.commands.cli import GC_THRESHOLD
    from generator.commands.new_version import new_version
    from generator.commands.serve import PreviewServer
    from generator.pipeline import Project

    gc.set_threshold(*GC_THRESHOLD)  # as build.py serve does
    handled: list[tuple[float, float, float]] = []
    changed = PreviewServer._changed

    def recorded(server, path):
        heard = time.time()
        changed(server, path)
        handled.append((heard, server.preview.last_seconds, time.time()))

    with tempfile.TemporaryDirectory(prefix="privacy-docs-bench-") as work:
        copy = Path(work) / "content"
        shutil.copytree(content, copy)
        project = Project.at(ROOT, content=copy)
        draft = new_version(project, None, today)
        edit_text(draft, 999)  # so that the draft is in the history and has its pages
        server = PreviewServer(project, port=_free_port(), today=today, stream=io.StringIO())
        server._changed = recorded.__get__(server)
        server.start()
        try:
            yield server, draft, handled
        finally:
            server.stop()


def _wait(condition: Callable[[], object], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds  # against a hang, not a measure
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} within {seconds:.0f} s")
        time.sleep(0.002)


def measure_serve(content: Path, saves: int, today: date = TODAY) -> dict:
    """Median seconds from save to reload sent, and of the rebuild alone, over ``saves``
    saves of the draft, as the server measures them."""
    with editing_session(content, today) as (server, draft, handled):
        for number in range(saves):
            time.sleep(APART)
            edit_text(draft, 1000 + number)
            _wait(lambda n=number: len(server.reload_seconds) > n, "the preview did not rebuild")
        problems = server.preview.problems
    if problems:
        raise RuntimeError(f"the preview shows problems: {problems[0]}")
    return {"reload": statistics.median(server.reload_seconds),
            "build": statistics.median(build for _, build, _ in handled), "saves": saves}


def measure_in_browser(content: Path, saves: int, today: date = TODAY) -> dict:
    """Median seconds, measured in Chromium, from writing the draft's file to the
    navigation of its open page (``navigation``: the new document's time origin;
    ``load``: its load event), and where they went (``heard``, ``build``, ``told``: the
    server heard of the save, rebuilt, told the browser), over ``saves`` saves."""
    from livereload.handlers import LiveReloadHandler
    from playwright.sync_api import sync_playwright

    rows = []
    with editing_session(content, today) as (server, draft, handled), \
            sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{server.url}nl/privacy/{draft.name}/")
            for number in range(saves):
                _wait(lambda: LiveReloadHandler.waiters, "the page's livereload did not connect")
                time.sleep(APART)
                done = len(handled)
                with page.expect_event("load", timeout=60_000):
                    written = time.time()
                    edit_text(draft, 1000 + number)
                origin, loaded = page.evaluate(
                    "[performance.timeOrigin, performance.timing.loadEventEnd]")
                _wait(lambda n=done: len(handled) > n, "the server did not record the save")
                heard, build, told = handled[done]
                rows.append({"navigation": origin / 1000 - written,
                             "load": loaded / 1000 - written, "heard": heard - written,
                             "build": build, "told": told - written})
                if "(bewerkt" not in page.content():
                    raise RuntimeError("the page reloaded without the saved text")
        finally:
            browser.close()
    if server.preview.problems:
        raise RuntimeError(f"the preview shows problems: {server.preview.problems[0]}")
    found = {name: statistics.median(row[name] for row in rows) for name in rows[0]}
    found.update(saves=saves, slowest=max(row["navigation"] for row in rows),
                 fastest=min(row["navigation"] for row in rows))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="serve: from a save to the page's "
                                                 "navigation, measured in Chromium")
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium")
    found = measure_in_browser(args.content, args.saves)
    print(f"serve, {args.content}: from writing the file to the page's navigation, median "
          f"of {args.saves} saves: {found['navigation'] * 1000:.0f} ms "
          f"({found['fastest'] * 1000:.0f}-{found['slowest'] * 1000:.0f} ms); its load event "
          f"{found['load'] * 1000:.0f} ms. The server heard of the save after "
          f"{found['heard'] * 1000:.0f} ms, rebuilt in {found['build'] * 1000:.0f} ms and "
          f"told the browser at {found['told'] * 1000:.0f} ms.")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
