"""The text comparisons of a build (``redline.compare``), made beside the rendering.

The render stage hands each version's article and the previous one's to
:meth:`Comparisons.submit` and takes the comparisons of a batch back with
:meth:`Comparisons.collect`, after rendering the next batch's pages.

:class:`Comparisons` makes them in this process, when collected. A command-line
build on Linux uses :class:`SideComparisons`: a side process, forked before any
content is loaded (so it holds little of its own), makes them on the second core
while this one renders; at 250 versions, 0.37 s of comparisons came off the cold
build's 2.5 s. It only ever computes ``redline.compare`` on the two texts it is
sent, so the result is the same; if it fails in any way, the comparisons it has
not returned are made here, as by :class:`Comparisons`.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import time
from multiprocessing import Pipe
from multiprocessing.connection import Connection

from markupsafe import Markup

from . import timing
from .timing import phase

# Both pipes hold a batch of articles or comparisons (25 of ~21 KB at the seed's size):
# with the default 64 KiB, handing over a batch waited for the side process to read it.
PIPE_BYTES = 1 << 20


class Comparisons:
    """The comparisons, made in this process when collected."""

    def __init__(self) -> None:
        self._pending: list[tuple[str, str]] = []

    def submit(self, old: str, new: str) -> None:
        """Compare article ``old`` with ``new`` (for the next :meth:`collect`)."""
        self._pending.append((old, new))

    def collect(self) -> list[tuple[Markup, int, int]]:
        """The comparisons submitted since the last collect, in their order."""
        from . import redline  # imported when first needed (see ``start``)
        pending, self._pending = self._pending, []
        with phase("compare"):
            return [redline.compare(old, new) for old, new in pending]

    def close(self) -> None:
        """Done: the side process (if any) ends."""

    def __enter__(self) -> Comparisons:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start(parallel: bool) -> Comparisons:
    """Comparisons in a side process when ``parallel`` and this system forks (Linux),
    else in this process. Best called early: the side process holds on to the memory
    of this process as it was when forked, where this process changes it later."""
    if parallel and sys.platform == "linux":
        try:
            return SideComparisons()
        except OSError:  # no process to be had: make them here
            pass
    return Comparisons()


class SideComparisons(Comparisons):
    """The comparisons, made by a forked side process (see the module's text).

    Messages go through ``multiprocessing`` pipes: to the side process ``("pair", old,
    new)``, or ``("next", new)`` when ``old`` is the article sent last (consecutive
    versions: each article crosses once), ``("collect",)`` and ``("end",)``; back, the
    list of comparisons made since the last collect, and at the end its CPU time and
    the memory it held that this process does not share. It answers only when asked,
    and this process then only reads, so neither waits for the other with a full pipe.
    """

    def __init__(self) -> None:
        super().__init__()
        jobs_in, self._jobs = Pipe(duplex=False)
        self._results, results_out = Pipe(duplex=False)
        for connection in (self._jobs, self._results):
            _widen(connection)
        self._last: str | None = None
        self._failed = False
        self.pid = os.fork()
        if self.pid == 0:  # the side process
            code = 1
            try:
                self._jobs.close()
                self._results.close()
                code = _serve(jobs_in, results_out)
            finally:
                os._exit(code)  # never this process's exit handlers or buffered output
        jobs_in.close()
        results_out.close()

    def submit(self, old: str, new: str) -> None:
        super().submit(old, new)  # kept until collected, in case the side process fails
        if self._failed:
            return
        try:
            self._jobs.send(("next", new) if old is self._last else ("pair", old, new))
            self._last = new
        except OSError:
            self._failed = True

    def collect(self) -> list[tuple[Markup, int, int]]:
        if not self._failed:
            try:
                with phase("compare"):
                    self._jobs.send(("collect",))
                    made = self._results.recv()
                if len(made) == len(self._pending):
                    self._pending = []
                    return [(Markup(marked), inserted, deleted)
                            for marked, inserted, deleted in made]
            except (OSError, EOFError):
                pass
            self._failed = True
        return super().collect()

    def close(self) -> None:
        if self.pid <= 0:
            return
        if self._last is None:  # never used (nothing to compare): no need to wait for it
            if timing.enabled():
                timing.add("side process", peak_mib=_private_mib(self.pid))
            self._failed = True
            os.kill(self.pid, signal.SIGKILL)
        try:
            if not self._failed:
                self._jobs.send(("end",))
                cpu, private_mib = self._results.recv()
                timing.add("side process", cpu=cpu, peak_mib=private_mib)
        except (OSError, EOFError):
            pass
        finally:
            self._jobs.close()  # the side process ends when it reads the end of the pipe
            self._results.close()
            os.waitpid(self.pid, 0)
            self.pid = 0


def _widen(connection: Connection) -> None:
    try:
        import fcntl
        fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError):  # the default size still works
        pass


def _serve(jobs: Connection, results: Connection) -> int:
    """The side process: compare what it is sent until told to end (or the pipe ends)."""
    from . import redline  # while the build loads its content
    gc.freeze()  # what it inherited is never collected, so never copied for it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    made: list[tuple[str, int, int]] = []
    last = ""
    while True:
        try:
            message = jobs.recv()
        except EOFError:
            return 0
        kind = message[0]
        if kind == "collect":
            results.send(made)
            made = []
            continue
        if kind == "end":
            results.send((time.process_time(), _private_mib()))
            return 0
        old, new = (last, message[1]) if kind == "next" else message[1:]
        marked, inserted, deleted = redline.compare(old, new)
        made.append((str(marked), inserted, deleted))
        last = new


def _private_mib(pid: int | str = "self") -> float:
    """The memory only process ``pid`` holds (not shared with the build it was forked
    from, or the side process the build forked)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
        return sum(int(fields[name].split()[0]) for name in
                   ("Private_Clean", "Private_Dirty", "Swap") if name in fields) / 1024
    except (OSError, ValueError):
        return 0.0
