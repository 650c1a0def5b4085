"""A PDF of each version of each document, per language, beside its page.

Made by WeasyPrint from HTML (``templates/document_pdf.html``: the version's article as
on its page, with its errata and reconstruction note, and the site's stylesheet with its
print rules and ``templates/pdf.css`` inlined), as PDF/UA-1: tagged, with the document's
language, title and metadata, every font embedded (subset). Its footer carries the
period in effect and the fingerprint ``content/lock.json`` records for this document's
text in this language (``@page`` margin boxes): it identifies what the reader holds,
and it changes only with that text, so an edit to one document or language leaves the
others' PDFs as they were. Nothing is fetched: the HTML holds all it shows.

The same HTML gives the same bytes: the dates in the PDF are the version's own
(``dcterms.created``: ``last_changed``; ``dcterms.modified``: its latest erratum, else
``last_changed``), and its identifier is a digest of its content. Which HTML a PDF is
made from is this module's; making them is :func:`to_pdfs`, which the pipeline may replace
by one that remembers what it made and lays out the rest in parallel
(``speed/pdf_store.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from markupsafe import Markup

from generator.content.model import DocumentVersion
from generator.content.schema import LANGUAGES
from generator.errors import ContentError, Location, Problems
from generator.render.kinds import article
from generator.render.pages import emit
from generator.render.urls import Page, page_path, pdf_path

TEMPLATE = "document_pdf.html"
STYLESHEETS = ("static/privacy-docs.css", "pdf.css")  # under templates/, in this order
# What PDF/UA-1 asks, and what makes the same HTML give the same bytes (WeasyPrint's
# options; ``pdf_identifier=True``: a digest of the content, not a random one).
OPTIONS = {"pdf_variant": "pdf/ua-1", "custom_metadata": True, "pdf_identifier": True}


def _browser_only(record: logging.LogRecord) -> bool:
    """WeasyPrint's log, less its word on what only browsers read, which the site's
    stylesheet sets for them: properties (``text-size-adjust``, ``overflow-x``), width
    queries (``@media (max-width: ...)``, which it reads as a media type and skips whole)
    and ``@container`` rules."""
    message = record.getMessage()
    return not (message.startswith("Ignored") and "unknown property" in message
                or message.startswith(("Expected a media type", "Invalid media type"))
                or message.startswith("Unknown rule <AtRule @container"))


def to_pdf(html: str) -> bytes:
    """The PDF of ``html``, which names nothing it would have to fetch."""
    from weasyprint import HTML, LOGGER
    from weasyprint.urls import URLFetcher
    if _browser_only not in LOGGER.filters:
        LOGGER.addFilter(_browser_only)

    class Offline(URLFetcher):
        def fetch(self, url, headers=None):
            raise ValueError(f"a PDF fetches nothing: {url}")
    return HTML(string=html, url_fetcher=Offline()).write_pdf(**OPTIONS)


def version_dates(entry: DocumentVersion) -> tuple[date, date]:
    """The PDF's creation and modification dates: the version's ``last_changed`` and its
    latest erratum's date (else ``last_changed`` again), never the day it was made."""
    meta = entry.version.meta
    created = meta["last_changed"]
    errata = [erratum["date"] for erratum in meta.get("errata") or ()]
    return created, max([created, *errata])


def html_for(exporting, entry: DocumentVersion, lang: str, fingerprint: str | None,
             stylesheet: str) -> str:
    """The HTML a version's PDF is made from; its links absolute (a saved copy is read
    away from the site)."""
    site, renderer = exporting.site, exporting.renderer
    path = pdf_path(lang, entry.document, entry.name)
    text = article(renderer, site, Page(path, lang, {}, site.base_url), entry, 1)
    created, modified = version_dates(entry)
    return renderer.render(
        lang, TEMPLATE, site=site, entry=entry, document=entry.document,
        article=Markup(text), fingerprint=fingerprint, stylesheet=Markup(stylesheet),
        created=created, modified=modified,
        address=site.base_url + page_path(lang, entry.document, entry.name))


def read_stylesheet(templates: Path) -> str:
    """The stylesheets a PDF is made with, as one text (inlined into its HTML)."""
    return "\n".join((templates / name).read_text("utf-8") for name in STYLESHEETS
                     if (templates / name).is_file())


def fingerprint(lock: dict, entry: DocumentVersion, lang: str) -> str | None:
    """The lock's fingerprint of the document's text in ``lang`` (None: not released)."""
    recorded = lock.get("versions", {}).get(entry.name)
    texts = recorded.get("documents", {}).get(entry.document) if isinstance(recorded, dict) \
        else None
    return texts.get(lang) if isinstance(texts, dict) else None


class _NoHtml(Exception):
    """The HTML of a PDF could not be made (``error``), as opposed to the PDF."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


def to_pdfs(htmls: Iterable[str]) -> Iterator[bytes]:
    """The PDF of each HTML, in order: the plain way (``to_pdf`` one after another). The
    pipeline may hand in one that remembers what it made and lays out the rest in
    parallel (``speed/pdf_store.py``)."""
    for html in htmls:
        yield to_pdf(html)


def make_pdfs(exporting, entries: list[DocumentVersion]
              ) -> Iterator[tuple[DocumentVersion, dict[str, bytes]]]:
    """Each version's PDF in each language, by path, version by version, converted
    together by ``exporting.convert`` (a ``to_pdfs``), so that they may be laid out side
    by side. One that cannot be made stops the build, named by the version's
    ``version.yaml`` (``ContentError``)."""
    stylesheet = read_stylesheet(exporting.renderer.templates)
    jobs = [(entry, lang) for entry in entries for lang in LANGUAGES]

    def htmls() -> Iterator[str]:
        for entry, lang in jobs:
            try:
                yield html_for(exporting, entry, lang, fingerprint(exporting.lock, entry, lang),
                               stylesheet)
            except Exception as error:  # a template's: raised as it is, not as the PDF's
                raise _NoHtml(error) from error
    made = exporting.convert(htmls())
    part: dict[str, bytes] = {}
    for entry, lang in jobs:
        try:
            data = next(made)
        except _NoHtml as failed:
            raise failed.error from None
        except Exception as error:  # WeasyPrint's own, of any kind: said where it arose
            problems = Problems()
            problems.add(Location(entry.version.paths["version.yaml"], 1, 1),
                         f"the PDF of the {entry.document} statement of {entry.name} ({lang}) "
                         f"could not be made: {type(error).__name__}: {error}; the build "
                         f"publishes no version without its PDF")
            raise ContentError(problems) from error
        emit(part, pdf_path(lang, entry.document, entry.name), data)
        if lang == LANGUAGES[-1]:
            yield entry, part
            part = {}
