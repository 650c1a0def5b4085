"""Work of a build done on the second core: compiling the templates, half the YAML
parsing and validating, the text comparisons.

:class:`InProcess` does it all in this process: ``parse_files`` parses each file
and validates it ahead where it can (``parse_ahead``); ``submit`` takes an article
and the previous version's, and ``collect`` returns the comparisons
(``redline.compare``) submitted since the last collect, in their order;
``compiled_templates`` gives none.

A command-line build on Linux uses :class:`SideProcess`: it forks a side
process first thing (``start``), before the generator's modules are imported,
so that the side process holds little of its own. While the build imports its
modules and reads the content, the side process compiles the templates
(``jinja_tweaks.compile_templates``), so a render helper begins sooner.
While the build parses and validates the first half of the distinct content
files, the side process parses and validates the later half (``parse_ahead``;
each reads consecutive versions, which share pieces, ``yaml_pieces``) and
returns them pickled into one stream (``_Stream``); while the build renders a
batch of pages, the side process compares the previous batch's articles, so that
the second core shortens loading, validating and rendering (figures in
docs/performance.md). What each process keeps of the files it read last (the
pieces, parsed and validated) is its own copy of the ``Speedups`` it was given
(the side process's inherited by the fork), or of one it made when first asked to
parse. A cold build of a
long history ends the side process once it has parsed and forks a render helper
instead (``render_helper.py``), which makes its own comparisons, as the build
then does.

The side process computes the same functions on the bytes and texts it is
sent, so the results are the same (``tests/test_side_process.py``). If it fails
in any way, whatever it has not returned is done in this process, as by
:class:`InProcess`; a build with nothing to give it (nothing changed) does not
wait for it.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import signal
import sys
import time
from collections.abc import Callable
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from generator import timing
from generator.timing import phase

if TYPE_CHECKING:  # imported when first needed: ``start`` runs before the build's imports
    from generator.speed.session import Speedups

# Both pipes hold a batch of articles or comparisons (25 of ~21 KB at the seed's size):
# with the default 64 KiB, handing over a batch waited for the side process to read it.
PIPE_BYTES = 1 << 20
# Fewer files than this are all parsed here: sending them costs more than it saves.
FEW_FILES = 8

Parsed = tuple[object, list]  # a file's values and the problems found (``Problem`` list)


class InProcess:
    """Everything in this process. ``speed``: the state the parsing keeps between files
    and builds (its ``yaml_pieces`` and ``validated``); by default a new one, made when
    first needed."""

    parallel = False  # whether a second core is at work (for a render helper too)

    def __init__(self, speed: Speedups | None = None) -> None:
        self._pending: list[tuple[str, str]] = []
        self._speed = speed

    @property
    def speed(self) -> Speedups:
        if self._speed is None:
            from generator.speed.session import Speedups
            self._speed = Speedups()
        return self._speed

    def parse_files(self, jobs: list[tuple]) -> list[Parsed]:
        """Each file's bytes parsed as if at its path, in pieces, and validated ahead
        where it can be (``parse_ahead``): a piece repeated from the previous version
        of a file is then parsed and validated once, here as in a side process."""
        return [parse_ahead(job, self.speed) for job in jobs]

    def submit(self, old: str, new: str) -> None:
        """Compare article ``old`` with ``new`` (for the next :meth:`collect`)."""
        self._pending.append((old, new))

    def collect(self) -> list[tuple[Markup, int, int]]:
        """The comparisons submitted since the last collect, in their order."""
        from generator.render import redline  # imported when first needed (see ``start``)
        pending, self._pending = self._pending, []
        with phase("compare"):
            return [redline.compare(old, new) for old, new in pending]

    def compiled_templates(self) -> dict[str, bytes]:
        """The page templates compiled meanwhile (``jinja_tweaks.compile_templates``): none."""
        return {}

    def close(self) -> None:
        """Done: the side process (if any) ends."""

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start(parallel: bool, templates: Path | None = None,
          speed: Speedups | None = None) -> InProcess:
    """A side process when ``parallel``, this system forks (Linux) and this process may
    run on a second core, else this process. Best called early: the side process holds
    on to the memory of this process as it was when forked, where this process changes
    it later. ``templates``: a folder whose templates it compiles first, while this
    process starts (``compiled_templates``). ``speed``: see :class:`InProcess`."""
    if parallel and sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1:
        try:
            return SideProcess(templates, speed)
        except OSError:  # no process to be had: all here
            pass
    return InProcess(speed)


class SideProcess(InProcess):
    """Half the parsing and the comparisons in a forked side process (see the module).

    Messages go through ``multiprocessing`` pipes. To the side process: ``("parse",
    bytes, path)`` and then ``("parsed",)``; ``("pair", old, new)``, or ``("next", new)``
    when ``old`` is the article sent last (consecutive versions: each article crosses
    once), and then ``("collect",)``; ``("end",)``. Back, only when asked: the files
    parsed (each pickled as soon as parsed, into one stream: ``_Stream``), the
    comparisons made since the last collect, and at the end its CPU time and the memory
    it held that this process does not share. This process only reads while the side
    process answers, so neither waits for the other with a full pipe.
    """

    def __init__(self, templates: Path | None = None, speed: Speedups | None = None) -> None:
        super().__init__(speed)
        jobs_in, self._jobs = Pipe(duplex=False)
        self._results, results_out = Pipe(duplex=False)
        for connection in (self._jobs, self._results):
            _widen(connection)
        self._last: str | None = None  # the article sent last
        self._used = False
        self._asked = False  # a question sent, its answer not read (interrupted)
        self._failed = False
        self.pid = os.fork()
        if self.pid == 0:  # the side process
            code = 1
            try:
                self._jobs.close()
                self._results.close()
                code = _serve(jobs_in, results_out, templates, lambda: self.speed)
            finally:
                os._exit(code)  # never this process's exit handlers or buffered output
        jobs_in.close()
        results_out.close()

    @property
    def parallel(self) -> bool:
        return not self._failed

    def parse_files(self, jobs: list[tuple]) -> list[Parsed]:
        """The later half of the files parsed in the side process, sent one by one
        between parsing the earlier half here, so that both parse at once and neither
        pipe fills. Each process reads consecutive versions, which repeat most pieces
        of a file (``yaml_pieces``). Both validate the files they parse ahead
        (``parse_ahead``): the build's own validation then only adds what each file
        declares to its versions."""
        if self._failed or len(jobs) < FEW_FILES:
            return super().parse_files(jobs)
        half = (len(jobs) + 1) // 2
        mine, theirs = jobs[:half], jobs[half:]
        results: list = []
        for number, job in enumerate(mine):
            if number < len(theirs) and not self._failed:
                try:
                    self._jobs.send(("parse", *theirs[number]))
                except OSError:
                    self._failed = True
            results.append(parse_ahead(job, self.speed))
        if not self._failed:
            try:
                self._used = True
                count, made = self._ask(("parsed",))
                if count != len(theirs):
                    raise EOFError
                # one stream: what files share (pieces) is sent once and shared here too
                stream = pickle.Unpickler(io.BytesIO(made))
                return results + [stream.load() for _ in range(count)]
            except (OSError, EOFError, pickle.UnpicklingError):
                self._failed = True
        return results + super().parse_files(theirs)

    def submit(self, old: str, new: str) -> None:
        super().submit(old, new)  # kept until collected, in case the side process fails
        if self._failed:
            return
        try:
            self._jobs.send(("next", new) if old is self._last else ("pair", old, new))
            self._last = new
            self._used = True
        except OSError:
            self._failed = True

    def collect(self) -> list[tuple[Markup, int, int]]:
        if not self._failed:
            try:
                with phase("compare"):
                    made = self._ask(("collect",))
                if len(made) == len(self._pending):
                    self._pending = []
                    return [(Markup(marked), inserted, deleted)
                            for marked, inserted, deleted in made]
            except (OSError, EOFError):
                pass
            self._failed = True
        return super().collect()

    def compiled_templates(self) -> dict[str, bytes]:
        """The templates it compiled when it began (none if it failed or was not asked)."""
        if not self._failed:
            try:
                self._used = True
                return self._ask(("compiled",))
            except (OSError, EOFError):
                self._failed = True
        return {}

    def _ask(self, question: tuple):
        self._asked = True
        self._jobs.send(question)
        answer = self._results.recv()
        self._asked = False
        return answer

    def close(self) -> None:
        if self.pid <= 0:
            return
        if not self._used or self._asked:  # nothing given to it, or interrupted: no need
            if timing.enabled():          # to wait for it
                timing.add("side process", peak_mib=_private_mib(self.pid))
            self._failed = True
            os.kill(self.pid, signal.SIGKILL)
        try:
            if not self._failed:
                cpu, private_mib = self._ask(("end",))
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


def _serve(jobs: Connection, results: Connection, templates: Path | None,
           speed: Callable[[], Speedups]) -> int:
    """The side process: do what it is sent until told to end (or the pipe ends).
    ``speed``: its state for parsing (``parse_ahead``), asked for at the first file."""
    from generator.content import validate  # noqa: F401 (while the build imports its own)
    from generator.render import redline  # noqa: F401
    gc.freeze()  # what it inherited is never collected, so never copied for it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    compiled: dict[str, bytes] = {}
    if templates is not None:  # before the first file comes: the build is starting
        try:
            from generator.speed.jinja_tweaks import compile_templates
            compiled = compile_templates(templates)
        except Exception:  # noqa: S110 -- the build compiles what it needs itself
            pass
    parsed = _Stream()
    made: list[tuple[str, int, int]] = []
    last = ""
    while True:
        try:
            message = jobs.recv()
        except EOFError:
            return 0
        kind = message[0]
        if kind == "parse":  # kept pickled, not as values, until asked for
            parsed.add(parse_ahead(message[1:], speed()))
        elif kind == "parsed":
            results.send(parsed.taken())
            parsed = _Stream()
        elif kind == "collect":
            results.send(made)
            made = []
        elif kind == "compiled":
            results.send(compiled)
        elif kind == "end":
            results.send((time.process_time(), _private_mib()))
            return 0
        else:
            old, new = (last, message[1]) if kind == "next" else message[1:]
            marked, inserted, deleted = redline.compare(old, new)
            made.append((str(marked), inserted, deleted))
            last = new


class _Stream:
    """Files parsed, pickled one after the other into one stream: a piece of a file
    repeated in the next (``yaml_pieces``, ``validated_pieces``) is pickled once, so
    the stream is much smaller and faster to unpickle than one pickle per file."""

    def __init__(self) -> None:
        self._bytes = io.BytesIO()
        self._pickler = pickle.Pickler(self._bytes, protocol=pickle.HIGHEST_PROTOCOL)
        self._count = 0

    def add(self, parsed: Parsed) -> None:
        self._pickler.dump(parsed)
        self._count += 1

    def taken(self) -> tuple[int, bytes]:
        """How many files, and their stream (``pickle.Unpickler.load`` each)."""
        return self._count, self._bytes.getvalue()


def parse_ahead(job: tuple, speed: Speedups) -> Parsed:
    """A file parsed (``yaml_values.parse_yaml``) as ``loader.parse_files`` does, but
    in pieces (``speed.yaml_pieces``, by the file's base name) and, when its job names
    the file and the parse found no problem, validated ahead (``validate.check_alone``,
    with ``speed.validated``): where two processes parse, each validates what it
    parsed, at the same time."""
    from generator.content.validate import check_alone
    from generator.content.yaml_values import parse_yaml
    from generator.errors import Problems
    data, path = job[0], job[1]
    problems = Problems()
    value = parse_yaml(data, path, problems,
                       speed.yaml_pieces.reader(os.path.basename(path)))
    if len(job) > 2 and job[2] is not None and not problems.items:
        value = check_alone(job[2], value, path, speed.validated.of(job[2])) or value
    return value, problems.items


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
