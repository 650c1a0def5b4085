"""PDFs made once and taken again: the speed wing's memory of ``export/pdf.to_pdf``.

Making a version's PDF is most of the work of a build that makes one (WeasyPrint lays
out every page), and a released version's PDF is made from the same HTML build after
build. :class:`PdfStore` keeps each PDF by a digest of what decides its bytes: the HTML
it was made from (which holds its text, stylesheet, dates and fingerprint) and
:func:`code_digest` (``export/pdf.py``, WeasyPrint's and pydyf's versions). It keeps
them in memory for the process (every build in it: a ``serve`` session, a test run) and
in a folder of the user's (``$XDG_CACHE_HOME/privacy-docs/pdf-<digest>``, the checks of
``compiled_store.user_folder``), so that a build without a cache (``--no-cache``, a new
output folder) takes the PDFs earlier builds made. What is found there is only ever
bytes made by ``to_pdf`` from the same HTML, so it changes no byte of the output;
``--plain`` makes every PDF itself. Anything that fails in the folder leaves the PDF
made in memory.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from functools import cache
from pathlib import Path

from generator.export import pdf as export_pdf
from generator.speed.compiled_store import _write, user_folder

LIMIT = 96 * 2**20  # bytes kept in memory, the least recently used dropped first
_MEMORY: OrderedDict[str, bytes] = OrderedDict()
_held = 0  # their bytes


@cache
def code_digest() -> str:
    """What decides a PDF's bytes besides its HTML."""
    from importlib.metadata import version
    digest = hashlib.sha256(" ".join(version(name) for name in ("weasyprint", "pydyf"))
                            .encode())
    digest.update(Path(export_pdf.__file__).read_bytes())
    return digest.hexdigest()[:16]


def folder() -> Path | None:
    """This user's folder of PDFs for this code, or None (``user_folder``)."""
    return user_folder(f"pdf-{code_digest()}")


class PdfStore:
    """``convert(html)``: the PDF of ``html``, made by ``export/pdf.to_pdf`` unless made
    before; ``made`` counts those made here, ``found`` those taken."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.made = self.found = 0

    def convert(self, html: str) -> bytes:
        key = hashlib.sha256(code_digest().encode() + b"\0" + html.encode()).hexdigest()
        data = _MEMORY.get(key)
        if data is None and self.folder is not None:
            try:
                data = (self.folder / f"{key}.pdf").read_bytes()
            except OSError:
                data = None
            if data is not None and not data.startswith(b"%PDF-"):
                data = None  # not one it wrote: made again, and written over
        if data is not None:
            self.found += 1
        else:
            data = export_pdf.to_pdf(html)
            self.made += 1
            if self.folder is not None:
                _write(self.folder / f"{key}.pdf", data)
        _remember(key, data)
        return data


def _remember(key: str, data: bytes) -> None:
    global _held
    if key in _MEMORY:
        _MEMORY.move_to_end(key)
        return
    _MEMORY[key] = data
    _held += len(data)
    while _held > LIMIT and len(_MEMORY) > 1:
        _held -= len(_MEMORY.popitem(last=False)[1])
