"""Stage 4, render: the site model through Jinja into a dict of output files.

The order in which the pages are made, and what is reused; which pages there are and
how each is made is ``kinds.py``, the environments that render them ``environment.py``.
The result is a mapping from output path to bytes (``output.write.OutputFiles``); with
a sink (``write.Staging``) each file is written into the staging folder as it is made,
which ``output/write.py`` swaps in atomically at the end.
"""

from __future__ import annotations

from generator.content.model import DocumentVersion, Site
from generator.content.schema import DOCUMENTS, LANGUAGES
from generator.output.write import OutputFiles
from generator.render import changes, redline
from generator.render.environment import Renderer
from generator.render.kinds import (
    COMPARE,
    SITE_PAGES,
    VERSION_PAGE,
    VERSION_PAGES,
    PageKind,
    Rendering,
    SitePage,
    version_article,
)
from generator.render.redline import Comparisons, Words
from generator.render.urls import EMBED_STYLESHEET, Page
from generator.timing import phase

# Versions whose pages are made before their comparisons: the articles of a batch are
# held for its comparisons (not a whole history's, which would take much memory), and
# a batch long enough keeps the template and comparison work apart, which is faster
# than one version at a time (docs/performance.md).
BATCH = 25
# A comparison submitted: the version, its comparison page, the page's key in the cache.
Submitted = tuple[DocumentVersion, Page, str | None]


def document_pages(rendering: Rendering, lang: str, document: str, out: dict[str, bytes],
                   comparisons: Comparisons, submitted: list[Submitted],
                   part: slice = slice(None)) -> list[Submitted]:
    """Each version's pages (``VERSION_PAGES``), and its comparison with the previous one,
    a batch at a time. A batch's comparisons are submitted when its pages are made, and
    collected after the next batch's pages, so that a batch's articles are held only
    until their comparisons are made. ``submitted``: comparisons still to collect (the
    previous document's last batch); returns this document's last batch, to collect
    once more pages are made. ``part``: the versions to make (a render helper makes the
    others)."""
    site = rendering.site
    history = site.history(document)[part]
    for start in range(0, len(history), BATCH):
        batch = history[start:start + BATCH]
        for entry in batch:
            for kind in VERSION_PAGES:
                if kind.when(site, entry):
                    version_page(rendering, kind, lang, entry, out)
        compare_pages(rendering, out, submitted, comparisons)
        submitted = [job for entry in batch if COMPARE.when(site, entry)
                     for job in _submit_comparison(rendering, lang, entry, out, comparisons)]
    rendering.renderer.articles.clear()
    return submitted


def version_page(rendering: Rendering, kind: PageKind, lang: str, entry: DocumentVersion,
                 out: dict[str, bytes]) -> None:
    """One version's page of ``kind``: kept from the last build while its key (derived
    from what the kind depends on) is the same, else made."""
    cache = rendering.renderer.cache
    paths = kind.paths(rendering.site, lang, entry)
    key = cache.entry_key(rendering.site, entry, lang, kind) if cache else None
    if key and cache.reuse(out, key, paths):
        return
    text = kind.text(rendering, paths[0], lang, entry)
    for path in paths:
        emit(out, path, text)
    if key:
        cache.remember(key, paths, rendered=True)


def change_lists(site: Site, cache=None) -> dict[tuple[str, str], list]:
    """(document, version) -> its changes from the previous version; computed once, or
    taken from ``cache`` (a ``version_cache.VersionCache``) for a pair seen before."""
    lists = {}
    for document in DOCUMENTS:
        for e in site.history(document):
            if e.previous is None:
                continue
            old, new = e.previous.version, e.version
            compute = lambda d=document, o=old, n=new: changes.document_changes(d, o, n)  # noqa: E731
            lists[(document, e.name)] = (cache.change_list(document, old, new, compute)
                                         if cache else compute())
    return lists


def _submit_comparison(rendering: Rendering, lang: str, entry: DocumentVersion,
                       out: dict[str, bytes], comparisons: Comparisons) -> list[Submitted]:
    """Submit the comparison of a version with the previous one (none when an
    incremental build reuses its page)."""
    renderer, site = rendering.renderer, rendering.site
    cache = renderer.cache
    path = COMPARE.path(lang, entry)
    key = cache.entry_key(site, entry, lang, COMPARE) if cache else None
    if key and cache.reuse(out, key, [path]):
        return []
    page = Page.at(path, lang)
    # each article as on its version page (where it is kept from, when just made there):
    # its links relative to that page; the comparison page makes them relative to itself
    old, new = (version_article(renderer, site, Page.at(VERSION_PAGE.path(lang, e), lang), e)
                for e in (entry.previous, entry))
    renderer.articles.pop((lang, entry.document, entry.previous.name), None)  # done with it
    words = Words().translated(renderer.envs[lang].globals["gettext"])
    comparisons.submit(old, new, words)
    return [(entry, page, key)]


def compare_pages(rendering: Rendering, out: dict[str, bytes], submitted: list[Submitted],
                  comparisons: Comparisons) -> None:
    """The comparison pages of the versions ``submitted``, marked word by word."""
    if not submitted:
        return
    renderer = rendering.renderer
    with phase("compare"):
        made = comparisons.collect()
    for (entry, page, key), (marked, inserted, deleted) in zip(submitted, made, strict=True):
        emit(out, page.path, renderer.render(
            page.lang, COMPARE.template_for(entry), site=rendering.site, page=page,
            document=entry.document, entry=entry, redline=marked, inserted=inserted,
            deleted=deleted, changes=rendering.changes(entry)))
        if key:
            renderer.cache.remember(key, [page.path], rendered=True)


def site_pages(rendering: Rendering, out: dict[str, bytes], per: str, *where: str) -> None:
    """The ``SITE_PAGES`` made ``per`` document, language or site, for ``where`` (the
    language and document, the language, or nothing)."""
    for kind in SITE_PAGES:
        if kind.per == per:
            _site_page(rendering, kind, out, *where)


def _site_page(rendering: Rendering, kind: SitePage, out: dict[str, bytes],
               *where: str) -> None:
    path = kind.path(*where)
    text = kind.make(kind, rendering, out, path, *where)
    if text is not None:
        emit(out, path, text)


def _older_part(rendering: Rendering, out: dict[str, bytes], parts: dict[str, int]) -> None:
    """The pages of the oldest ``parts[document]`` versions of each document's history, in
    both languages, with their comparisons: what ``render_site``'s ``older`` makes."""
    comparisons, submitted = Comparisons(), []
    for lang in LANGUAGES:
        for document in DOCUMENTS:
            submitted = document_pages(rendering, lang, document, out, comparisons, submitted,
                                       slice(0, parts[document]))
    compare_pages(rendering, out, submitted, comparisons)


def emit(out: dict[str, bytes], path: str, text: str | bytes) -> None:
    """Add an output file; two pages claiming one path is a bug, never silent."""
    if path in out:
        raise RuntimeError(f"two outputs claim the path {path}")
    out[path] = text if isinstance(text, bytes) else text.encode("utf-8")


def render_site(renderer: Renderer, site: Site, sink=None, older=None,
                meanwhile=None) -> dict[str, bytes]:
    """Every output file of the site, as bytes, keyed by path relative to the site root;
    with a ``sink`` (``write.Staging``) written there as they are made.

    The pipeline may hand in ``older``, which makes the pages of each history's oldest
    versions into the sink meanwhile (``speed/render_helper.py``), the same pages as
    the plain way: ``older.parts(site)`` says how many of
    each document's, ``older.start(renderer, site, sink, make)`` begins ``make(out)``
    elsewhere, and the handle's ``finish(out)`` puts what was made into ``out``, False
    when that failed (the part is then made here). ``meanwhile(out)``: more to add to
    the files, called before the older pages are in them (the exports)."""
    comparisons = Comparisons()
    out: dict[str, bytes] = OutputFiles(sink)
    with phase("compare"):
        rendering = Rendering(renderer, site, change_lists(
            site, renderer.cache.versions if renderer.cache else None))
    parts = older.parts(site) if older is not None and sink is not None else {}
    helping = None
    if any(parts.values()):
        helping = older.start(renderer, site, sink,
                              lambda made: _older_part(rendering, made, parts))
    try:
        submitted: list[Submitted] = []
        for lang in LANGUAGES:
            for document in DOCUMENTS:
                submitted = document_pages(rendering, lang, document, out, comparisons, submitted,
                                           slice(parts.get(document, 0), None))
                site_pages(rendering, out, "document", lang, document)
            site_pages(rendering, out, "language", lang)
        compare_pages(rendering, out, submitted, comparisons)
        if meanwhile is not None:
            meanwhile(out)
        if helping is not None:
            with phase("helper"):  # waiting for it
                if not helping.finish(out):  # it failed: its part is made here
                    _older_part(rendering, out, parts)
    finally:
        if helping is not None:
            helping.close()  # the build failed first: the older part is not wanted
    redline.forget()  # what the comparisons kept is for this build only
    site_pages(rendering, out, "site")  # the sitemap lists every page: made last
    embed_css = renderer.templates / "embed" / "privacy-docs-embed.css"
    if embed_css.is_file():
        emit(out, EMBED_STYLESHEET, embed_css.read_bytes())
    static = renderer.templates / "static"
    for asset in sorted(static.rglob("*")) if static.is_dir() else ():
        if asset.is_file():
            emit(out, "assets/" + asset.relative_to(static).as_posix(), asset.read_bytes())
    return out
