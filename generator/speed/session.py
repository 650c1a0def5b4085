"""The speed wing's state, owned by one object with a lifetime: one build, or one
``serve`` session (whose rebuilds reuse what the last one learnt).

The pipeline makes a :class:`Speedups` and hands its parts to the stages, which take
a plain default in their place (``python build.py build --plain`` builds without
one). Nothing here changes a byte of the output; everything here is kept in memory
only, bounded, and dropped with the object.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2

from generator.content.files import FileMemory
from generator.speed.compiled_store import StoredCatalogs, StoredTemplates
from generator.speed.pdf_store import PdfStore
from generator.speed.validated_pieces import ValidatedPieces
from generator.speed.yaml_pieces import PieceReader


class Speedups:
    """Every speedup of a build, with the state each keeps between builds of a session."""

    def __init__(self, render_helper: bool = True, templates: Path | None = None,
                 pdfs: Path | Callable[[], Path | None] | None = None,
                 defer_pdfs: bool = False) -> None:
        self.render_helper = render_helper  # a cold build of a long history uses one
        # the files read and digested, by their stat: an unchanged one is not read again
        # (installed for each build by the pipeline, ``content/files.py``)
        self.files = FileMemory()
        # the pieces of the content file of each name read last (one file per name), so
        # that the next version of it parses only what changed (``yaml_pieces``) ...
        self.yaml_pieces = PieceReader()
        # ... and what those pieces gave when validated, taken again when repeated
        # (``validated_pieces``). Both are used where files are parsed (``parse_files``).
        self.validated = ValidatedPieces()
        # the compiled templates: Jinja stores each with its source's checksum and
        # compiles an edited template again, so a session's rebuilds only save work;
        # also kept in ``templates``, a folder of the user's (``compiled_store.py``)
        self.compiled = jinja2.MemcachedBytecodeCache(StoredTemplates(templates))
        self.catalogs = StoredCatalogs(templates)  # and the catalogs compiled there
        # the PDFs made before from the same HTML, in memory and in ``pdfs``, a folder of
        # the user's, the others laid out on every core (``pdf_store.py``); with
        # ``defer_pdfs`` (never for a build that publishes) made only when asked for
        self.pdf_store = PdfStore(pdfs, defer=defer_pdfs)

    def renderer_parts(self, cache=None) -> dict:
        """What the renderer takes in place of its plain defaults
        (``render/environment.py``): an incremental build's ``cache`` holds the
        templates it compiled before."""
        from generator.speed.jinja_tweaks import Environment
        from generator.speed.shared_articles import SharedArticles
        from generator.speed.template_memo import Memo
        known: dict = {}  # the records memo() numbered, shared by the languages of a build
        return {"environment": Environment, "shared_articles": SharedArticles(),
                "memo": lambda: Memo(known),
                "compiled": cache.compiled_templates() if cache is not None else self.compiled}

    def parse_files(self, jobs: list[tuple]) -> list:
        """``load_content``'s ``parse``: each file in pieces, validated ahead
        (``parsing.py``)."""
        from generator.speed.parsing import parse_ahead
        return [parse_ahead(job, self) for job in jobs]

    def older_pages(self):
        """``render_site``'s ``older``: a render helper (``render_helper.py``) on a second
        core, when this process may use one (Linux, which forks); else None."""
        import os
        import sys
        if not self.render_helper or sys.platform != "linux" or \
                len(os.sched_getaffinity(0)) < 2:
            return None
        from generator.speed.render_helper import OlderPages
        return OlderPages()
