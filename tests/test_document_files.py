"""A document's pages and exports read only ``version.yaml`` and that document's files.

The incremental build keys a document version's pages by those files alone
(``model.DOCUMENT_FILES``; see ``incremental.BuildCache.entry_key``): an edit
to the cookie statement leaves the privacy statement's pages as they were, and
the other way round. This test holds every template and export to that: each
version's files are watched while one document is rendered, and a read of
another file fails it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import cached_property

import pytest

from generator.content.model import Version, build_site
from generator.content.schema import DOCUMENT_FILES, DOCUMENTS, LANGUAGES
from generator.errors import Problems
from generator.export import api as export_api
from generator.pipeline import Project, load_and_validate
from generator.render.environment import Renderer
from generator.render.kinds import Rendering
from generator.render.pages import change_lists, compare_pages, document_pages, site_pages
from generator.render.redline import Comparisons
from generator.render.urls import Page

from .conftest import ROOT

CACHED = [name for name, value in vars(Version).items() if isinstance(value, cached_property)]


class Watched(Mapping):
    """A version's files, recording which are read."""

    def __init__(self, files: Mapping, read: set):
        self._files, self._read = files, read

    def __getitem__(self, name):
        self._read.add(name)
        return self._files[name]

    def __iter__(self):
        return iter(self._files)

    def __len__(self):
        return len(self._files)


@pytest.mark.parametrize("today", ["2026-03-15", "2026-11-25"])
@pytest.mark.parametrize("document", DOCUMENTS)
def test_a_document_reads_only_its_own_files(content, document, today, pdf_stand_in):
    """(The PDFs' HTML is made, and read from the model; their layout is stood in for.)"""
    project = Project.at(ROOT, content=content)
    site = build_site(load_and_validate(project), date.fromisoformat(today), drafts=True)
    renderer = Renderer(project.templates, project.locales, Problems())
    rendering = Rendering(renderer, site, change_lists(site))
    read: set[str] = set()
    for version in site.versions:
        for name in CACHED:  # what other documents' pages read, read again here
            version.__dict__.pop(name, None)
        version.files = Watched(version.files, read)
    out: dict[str, bytes] = {}
    for lang in LANGUAGES:
        made = Comparisons()
        last = document_pages(rendering, lang, document, out, made, [])
        compare_pages(rendering, out, last, made)
        site_pages(rendering, out, "document", lang, document)  # its history page
        for entry in site.history(document):  # its entries in the feed
            changes = rendering.changes(entry)
            assert renderer.render(lang, "_feed_entry.xml", site=site, page=Page.at("x", lang),
                                   item={"entry": entry, "changes": changes})
    exporting = export_api.Exporting(site, renderer, export_api.gettexts(project.locales))
    for entry in site.history(document):
        for form in export_api.FORMATS:
            if document in form.documents:
                form.add(out, exporting, entry)
    assert out
    assert read <= {"version.yaml", *DOCUMENT_FILES[document]}, (
        f"the {document} pages read {sorted(read - {'version.yaml', *DOCUMENT_FILES[document]})}")
