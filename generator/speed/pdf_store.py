"""PDFs made once and taken again, the missing ones laid out on every core: the speed
wing's side of ``export/pdf.to_pdfs``.

Making a version's PDF is most of the work of a build that makes one (WeasyPrint lays
out every page), and a released version's PDF is made from the same HTML build after
build. :class:`PdfStore` keeps each PDF by a digest of what decides its bytes: the HTML
it was made from (which holds its text, stylesheet, dates and fingerprint) and
:func:`code_digest` (``to_pdf``, WeasyPrint's and pydyf's versions). It keeps
them in memory for the process (every build in it: a ``serve`` session, a test run) and
in a folder of the user's (``$XDG_CACHE_HOME/privacy-docs/pdf-<digest>``, the checks of
``compiled_store.user_folder``), written whole under a temporary name and renamed, so
that processes sharing it (two builds, a test run's workers) never read half a file.
What is found there is only ever bytes made by ``to_pdf`` from the same HTML, so it
changes no byte of the output; ``--plain`` makes every PDF itself. Anything that fails
in the folder leaves the PDF made in memory.

The PDFs a build has to make are laid out in parallel: a process per core, forked
(``lay_out``), each running ``export/pdf.to_pdf``, so the bytes are the plain ones.

A store that ``defers`` (``release`` and ``lock``, which read the fragments and not the
PDFs; the ``serve`` preview, which makes a draft's PDF when the browser asks for it)
gives for a PDF it does not hold a placeholder naming its key, and remembers the HTML,
so that :meth:`PdfStore.make` lays it out on request. A build that publishes never
defers.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from generator.speed.compiled_store import _write, user_folder

LIMIT = 96 * 2**20  # bytes kept in memory, the least recently used dropped first
_MEMORY: OrderedDict[str, bytes] = OrderedDict()
_held = 0  # their bytes
WINDOW = 8  # PDFs to make handed to the cores at a time, per core
PLACEHOLDER = b"privacy-docs: PDF not made yet: "  # + its key (a deferring store)
PENDING = 64  # the HTML of this many placeholders kept, the oldest dropped first


@cache
def code_digest() -> str:
    """What decides a PDF's bytes besides its HTML: WeasyPrint's and pydyf's versions,
    and how ``export/pdf.py`` calls WeasyPrint (``to_pdf`` and its options; the rest of
    that module makes the HTML, which is in the key)."""
    from importlib.metadata import version
    digest = hashlib.sha256(" ".join(version(name) for name in ("weasyprint", "pydyf"))
                            .encode())
    # found, not imported: a no-op build never loads the export stage (nor Jinja with it)
    source = Path(find_spec("generator.export.pdf").origin).read_text("utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "to_pdf" or \
                isinstance(node, ast.Assign) and "OPTIONS" in ast.unparse(node.targets[0]):
            digest.update(ast.get_source_segment(source, node).encode())
    return digest.hexdigest()[:16]


def folder() -> Path | None:
    """This user's folder of PDFs for this code, or None (``user_folder``)."""
    return user_folder(f"pdf-{code_digest()}")


def key_of(html: str) -> str:
    return hashlib.sha256(code_digest().encode() + b"\0" + html.encode()).hexdigest()


def placeholder_key(data: bytes) -> str | None:
    """The key a deferring store's placeholder names, or None for a PDF."""
    return data[len(PLACEHOLDER):].decode("ascii") if data.startswith(PLACEHOLDER) else None


class PdfStore:
    """``convert(htmls)``: the PDF of each HTML, in order, laid out (on every core) unless
    made before; ``made`` counts those laid out here, ``found`` those taken. With
    ``defer``, one not made before is a placeholder until :meth:`make`."""

    def __init__(self, folder: Path | Callable[[], Path | None] | None = None,
                 defer: bool = False) -> None:
        self._folder = folder  # or what finds it, asked when a PDF is first looked for
        self.defer = defer
        self.made = self.found = 0
        self.pending: OrderedDict[str, str] = OrderedDict()  # key -> HTML (``defer``)

    @property
    def folder(self) -> Path | None:
        """The user's folder of PDFs. Found when first asked for (finding it reads the
        installed WeasyPrint's version, ``code_digest``): a no-op build never asks."""
        if callable(self._folder):
            self._folder = self._folder()
        return self._folder

    def convert(self, htmls: Iterable[str]) -> Iterator[bytes]:
        """``export/pdf.to_pdfs``'s place: a window of HTML at a time, what is missing in
        it laid out in parallel (one PDF alone in this process)."""
        pending = iter(htmls)
        while window := list(itertools.islice(pending, WINDOW * _cores())):
            keys = [key_of(html) for html in window]
            known = [self._known(key) for key in keys]
            missing = [(key, html) for key, html, data in zip(keys, window, known, strict=True)
                       if data is None]
            if self.defer:
                for key, html in missing:
                    self._wait(key, html)
                made = {key: PLACEHOLDER + key.encode() for key, _ in missing}
            else:
                made = dict(zip([key for key, _ in missing],
                                lay_out([html for _, html in missing]), strict=True))
                for key, data in made.items():
                    if isinstance(data, bytes):
                        self._keep(key, data)
            self.found += len(window) - len(missing)
            for key, data in zip(keys, known, strict=True):
                data = made[key] if data is None else data
                if isinstance(data, BaseException):
                    raise data  # at the PDF it arose in
                yield data

    def make(self, key: str) -> bytes | None:
        """The PDF a placeholder names, laid out now (None: its HTML is no longer held)."""
        data = self._known(key)
        if data is None:
            html = self.pending.get(key)
            if html is None:
                return None
            data = _layout(html)
            self._keep(key, data)
        self.pending.pop(key, None)
        return data

    def _known(self, key: str) -> bytes | None:
        data = _MEMORY.get(key)
        if data is None and self.folder is not None:
            try:
                data = (self.folder / f"{key}.pdf").read_bytes()
            except OSError:
                data = None
            if data is not None and not data.startswith(b"%PDF-"):
                data = None  # not one it wrote: made again, and written over
        if data is not None:
            _remember(key, data)
        return data

    def _keep(self, key: str, data: bytes) -> None:
        self.made += 1
        if self.folder is not None:
            _write(self.folder / f"{key}.pdf", data)
        _remember(key, data)

    def _wait(self, key: str, html: str) -> None:
        self.pending[key] = html
        self.pending.move_to_end(key)
        while len(self.pending) > PENDING:
            self.pending.popitem(last=False)


def lay_out(htmls: list[str]) -> list[bytes | Exception]:
    """``export/pdf.to_pdf`` of each, in order (or the error it raised): two or more on a
    process per core, forked (each killed if this process ends)."""
    cores = _cores()
    if len(htmls) < 2 or cores < 2:
        return [_to_pdf(html) for html in htmls]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    with ProcessPoolExecutor(min(cores, len(htmls)), multiprocessing.get_context("fork"),
                             initializer=_end_with, initargs=(os.getpid(),)) as pool:
        return list(pool.map(_to_pdf, htmls))


def _layout(html: str) -> bytes:
    """``export/pdf.to_pdf``, imported when first laying out (with WeasyPrint)."""
    from generator.export import pdf as export_pdf
    return export_pdf.to_pdf(html)


def _to_pdf(html: str) -> bytes | Exception:
    try:
        return _layout(html)  # looked up in the worker, as this process has it
    except Exception as error:  # WeasyPrint's own, of any kind: raised where it arose
        return error


def _end_with(parent: int) -> None:
    """A worker is killed when the build ends, however it ends (Linux's parent-death
    signal, as the render helper's)."""
    import ctypes
    import signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's
    if os.getppid() != parent:  # it ended before the signal was asked for
        os._exit(1)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1


def _remember(key: str, data: bytes) -> None:
    global _held
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        return
    _MEMORY[key] = data
    _held += len(data)
    while _held > LIMIT and len(_MEMORY) > 1:
        _held -= len(_MEMORY.popitem(last=False)[1])
