"""Per-phase wall time and peak memory of a build, for the benchmark.

Off unless the environment variable ``PRIVACY_DOCS_TIMINGS`` names a file:
then each ``with phase("render"):`` adds its wall and CPU time and the
process's peak resident memory so far, and the figures are written to that file as
JSON when the process ends. Switched off, ``phase`` returns one shared
do-nothing context manager, so the build pays nothing for it.
"""

from __future__ import annotations

import atexit
import json
import os
import resource
import time
from contextlib import contextmanager, nullcontext

ENVIRONMENT_VARIABLE = "PRIVACY_DOCS_TIMINGS"
_NOTHING = nullcontext()
_records: dict[str, dict[str, float]] | None = None


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextmanager
def _timed(name: str):
    start, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        record = _records.setdefault(name, {"seconds": 0.0, "cpu": 0.0, "peak_mib": 0.0})
        record["seconds"] += time.perf_counter() - start
        record["cpu"] += time.process_time() - cpu
        record["peak_mib"] = max(record["peak_mib"], _peak_mib())


def phase(name: str):
    """A context manager timing one phase of the build (nothing when switched off)."""
    return _NOTHING if _records is None else _timed(name)


def enabled() -> bool:
    return _records is not None


def add(name: str, cpu: float = 0.0, peak_mib: float = 0.0) -> None:
    """Add figures measured elsewhere (a render helper's CPU time and own memory) under
    ``name``; its wall time stays 0, as its work overlaps the build's."""
    if _records is not None:
        record = _records.setdefault(name, {"seconds": 0.0, "cpu": 0.0, "peak_mib": 0.0})
        record["cpu"] += cpu
        record["peak_mib"] = max(record["peak_mib"], peak_mib)


def _write(path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(_records, handle, indent=1)


def finish() -> None:
    """Write the timings now (``build.py`` ends without running exit handlers)."""
    path = os.environ.get(ENVIRONMENT_VARIABLE)
    if path and _records is not None:
        _write(path)


def _switch_on() -> None:
    global _records
    path = os.environ.get(ENVIRONMENT_VARIABLE)
    if path:
        _records = {}
        atexit.register(_write, path)  # for a build run in another program's process


_switch_on()
