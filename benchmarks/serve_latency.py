"""How long ``serve`` takes from a save to telling the browsers to reload.

Runs the real preview server (``generator.serve.PreviewServer``: watchfiles,
the incremental build, livereload) in this process on a free port, saves one
text of the newest version ``saves`` times, and reads the server's own
measurement of each: from the saved file's modification time to the reload
message. The content is copied first, without its lock (the edit lands in a
released version; the lock would refuse it, which is the lock's business).
"""

from __future__ import annotations

import gc
import io
import shutil
import socket
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def measure_serve(content: Path, saves: int, today: date, edit) -> dict:
    """Median seconds from save to reload, and of the rebuild alone, over ``saves`` saves.
    ``edit(content, number)`` changes one text of the newest version."""
    from generator.cli import GC_THRESHOLD
    from generator.pipeline import Project
    from generator.serve import PreviewServer

    gc.set_threshold(*GC_THRESHOLD)  # as build.py serve does

    with tempfile.TemporaryDirectory(prefix="privacy-docs-bench-") as work:
        copy = Path(work) / "content"
        shutil.copytree(content, copy)
        (copy / "lock.json").unlink(missing_ok=True)
        project = Project.at(ROOT, content=copy)
        server = PreviewServer(project, port=_free_port(), today=today, stream=io.StringIO())
        server.start()
        builds = []
        try:
            for number in range(saves):
                time.sleep(0.3)  # apart, so that each save is its own change
                edit(copy, 1000 + number)
                deadline = time.monotonic() + 60
                while len(server.reload_seconds) <= number:
                    if time.monotonic() > deadline:
                        raise RuntimeError("the preview did not rebuild within 60 s")
                    time.sleep(0.005)
                builds.append(server.preview.last_seconds)
        finally:
            server.stop()
    return {"reload": statistics.median(server.reload_seconds),
            "build": statistics.median(builds), "saves": saves}
