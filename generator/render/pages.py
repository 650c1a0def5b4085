"""Stage 4, render: the site model through Jinja into a dict of output files.

Which pages there are and what each is given; the environments that render them
are in ``renderer.py``. The result is a mapping from output path to bytes
(``output.write.OutputFiles``); with a sink (``write.Staging``) each file is written
into the staging folder as it is made, which ``write.py`` swaps in atomically at
the end.
"""

from __future__ import annotations

import hashlib

from markupsafe import Markup

from generator.content.model import DocumentVersion, Site
from generator.content.schema import DOCUMENTS, LANGUAGES
from generator.output.write import OutputFiles
from generator.render import changes
from generator.render.environment import Renderer
from generator.render.redline import Comparisons
from generator.render.urls import (
    EMBED_EXAMPLE,
    EMBED_STYLESHEET,
    Page,
    compare_path,
    embed_path,
    feed_path,
    history_path,
    page_path,
)
from generator.timing import phase

# Versions whose pages are made before their comparisons: the articles of a batch are
# held for its comparisons (not a whole history's, which would take much memory), and
# a batch long enough keeps the template and comparison work apart, which is faster
# than one version at a time (docs/performance.md).
BATCH = 25
# A comparison submitted: the version, its comparison page, the page's key in the cache.
Submitted = tuple[DocumentVersion, Page, str | None]


def _document_pages(renderer: Renderer, site: Site, lang: str, document: str,
                    out: dict[str, bytes], change_lists: dict, side: Comparisons,
                    submitted: list[Submitted], part: slice = slice(None),
                    own_page: bool = True) -> list[Submitted]:
    """Each version's pages, and its comparison with the previous one, a batch at a time.
    A batch's comparisons are submitted when its pages are made, and collected after
    the next batch's pages: a side process (``side_process.py``) makes them meanwhile.
    ``submitted``: comparisons still to collect (the previous document's last batch);
    returns this document's last batch, to collect once more pages are made. ``part``:
    the versions to make (a render helper makes the others); ``own_page``: also the
    document's page when no version is in effect."""
    current, history = site.current(document), site.history(document)[part]
    for start in range(0, len(history), BATCH):
        batch = history[start:start + BATCH]
        for entry in batch:
            _version_pages(renderer, site, lang, entry, entry is current, out)
        _compare_pages(renderer, site, out, change_lists, submitted, side)
        submitted = [job for entry in batch if entry.previous is not None
                     for job in _submit_comparison(renderer, site, lang, entry, out,
                                                   side)]
    renderer.articles.clear()
    if current is None and own_page:
        _page(renderer, site, out, lang, page_path(lang, document), None, current=True,
              document=document)
    return submitted


def _version_pages(renderer: Renderer, site: Site, lang: str, entry: DocumentVersion,
                   is_current: bool, out: dict[str, bytes]) -> None:
    """A version's page and fragment; for the current version also the document's own."""
    document, cache = entry.document, renderer.cache
    paths = [embed_path(lang, document, entry.name),
             page_path(lang, document, entry.name) + "index.html"]
    if is_current:
        paths += [embed_path(lang, document), page_path(lang, document) + "index.html"]
    key = cache.entry_key(site, entry, lang, "pages") if cache else None
    if key and cache.reuse(out, key, paths):
        return
    fragment = Page(embed_path(lang, document, entry.name), lang, {}, site.base_url)
    html = _article(renderer, site, fragment, entry, renderer.fragment_heading_level)
    emit(out, fragment.path, html)
    if is_current:
        emit(out, embed_path(lang, document), html)
    _page(renderer, site, out, lang, page_path(lang, document, entry.name), entry, current=False)
    if is_current:
        _page(renderer, site, out, lang, page_path(lang, document), entry, current=True)
    if key:
        cache.remember(key, paths, rendered=True)


def _change_lists(site: Site, cache=None) -> dict[tuple[str, str], list]:
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


def _history_page(renderer: Renderer, site: Site, lang: str, document: str,
                  out: dict[str, bytes], change_lists: dict) -> None:
    """The history page: every version of the document, newest first."""
    entries = site.history(document)
    path = history_path(lang, document) + "index.html"
    page = Page.at(path, lang)
    listed = [_entry_part(renderer, site, entry, lang, "_history_entry.html", page=page,
                          document=document, entry=entry,
                          changes=change_lists.get((document, entry.name), []))
              for entry in reversed(entries)]
    emit(out, path, renderer.render(lang, "history.html", site=site, page=page,
                                    document=document, entries=listed,
                                    current=site.current(document)))


def _submit_comparison(renderer: Renderer, site: Site, lang: str, entry: DocumentVersion,
                       out: dict[str, bytes],
                       side: Comparisons) -> list[Submitted]:
    """Submit the comparison of a version with the previous one (none when an
    incremental build reuses its page)."""
    document, cache = entry.document, renderer.cache
    path = compare_path(lang, document, entry.name) + "index.html"
    key = cache.entry_key(site, entry, lang, "compare") if cache else None
    if key and cache.reuse(out, key, [path]):
        return []
    page = Page.at(path, lang)
    old = _version_article(renderer, site, page, entry.previous)
    new = _version_article(renderer, site, page, entry)
    renderer.articles.pop((lang, document, entry.previous.name), None)  # done with it
    side.submit(old, new)
    return [(entry, page, key)]


def _compare_pages(renderer: Renderer, site: Site, out: dict[str, bytes], change_lists: dict,
                   submitted: list[Submitted], side: Comparisons) -> None:
    """The comparison pages of the versions ``submitted``, marked word by word."""
    if not submitted:
        return
    for (entry, page, key), (marked, inserted, deleted) in zip(
            submitted, side.collect(), strict=True):
        document = entry.document
        emit(out, page.path, renderer.render(page.lang, "compare.html", site=site, page=page,
                                             document=document, entry=entry, redline=marked,
                                             inserted=inserted, deleted=deleted,
                                             changes=change_lists[(document, entry.name)]))
        if key:
            renderer.cache.remember(key, [page.path], rendered=True)


def _article(renderer: Renderer, site: Site, page: Page, entry: DocumentVersion,
             heading_level: int) -> str:
    """The statement itself; links to other documents are relative to ``page``. Rendered
    once for the fragment and the pages that show it when the pipeline hands in
    ``renderer.shared_articles`` (``speed/shared_articles.py``), else for each."""
    template = f"{entry.document}.html"

    def render(hl, on_page) -> str:
        return renderer.render(page.lang, template, site=site, entry=entry,
                               version=entry.version, hl=hl, page=on_page,
                               document=entry.document)
    shared = renderer.shared_articles
    article = shared.get((page.lang, entry.document, entry.name), template, render, page,
                         heading_level) if shared is not None else None
    return article if article is not None else render(heading_level, page)


def _version_article(renderer: Renderer, site: Site, page: Page, entry: DocumentVersion) -> str:
    known = renderer.articles.get((page.lang, entry.document, entry.name))
    return known if known is not None else _article(renderer, site, page, entry, heading_level=1)


def _page(renderer: Renderer, site: Site, out: dict[str, bytes], lang: str, folder: str,
          entry: DocumentVersion | None, current: bool, document: str | None = None) -> None:
    document = entry.document if entry else document
    path = folder + "index.html"
    page = Page.at(path, lang)
    article = _article(renderer, site, page, entry, heading_level=1) if entry else None
    if entry and not current:
        renderer.articles[(lang, document, entry.name)] = article
    html = renderer.render(lang, "document_page.html", site=site, page=page, entry=entry,
                           document=document, article=Markup(article or ""), is_current=current,
                           current=site.current(document), announced=site.announced(document))
    emit(out, path, html)


def _feed(renderer: Renderer, site: Site, lang: str, out: dict[str, bytes],
          change_lists: dict) -> None:
    """The Atom feed: one entry per version of each document, announced or in effect."""
    entries = [entry for document in DOCUMENTS for entry in site.history(document)
               if entry.status != "draft"]
    entries.sort(key=lambda entry: (entry.effective, entry.document), reverse=True)
    items = [_entry_part(renderer, site, entry, lang, "_feed_entry.xml", item={
                 "entry": entry, "changes": change_lists.get((entry.document, entry.name), [])})
             for entry in entries]
    updated = entries[0].effective.isoformat() if entries else "1970-01-01"
    author = site.versions[-1].organisation["legal_name"] if site.versions else ""
    emit(out, feed_path(lang), renderer.render(lang, "feed.xml", site=site, items=items,
                                                updated=updated, author=author))


def _entry_part(renderer: Renderer, site: Site, of: DocumentVersion, lang: str,
                template: str, **context) -> Markup:
    """The entry of version ``of`` on a page listing every version: ``template`` rendered
    with ``context``, kept under the key of that version's pages (the template names the
    kind)."""
    cache = renderer.cache
    key = cache.entry_key(site, of, lang, template) if cache else None
    return _kept_or_made(renderer, key, lambda: renderer.render(lang, template, site=site,
                                                                **context))


def _kept_or_made(renderer: Renderer, key: str | None, make) -> Markup:
    """A part of a page listing every version (a history or feed entry): made by
    ``make()``, or kept from an earlier build under ``key`` (an incremental build)."""
    return Markup(renderer.cache.versions.part(key, make) if key else make())


def _sitemap(renderer: Renderer, site: Site, out: dict[str, bytes]) -> None:
    """Every page, with the same page in the other languages as hreflang alternates."""
    pages = sorted(p for p in out if p.endswith("index.html"))

    def make() -> str:
        urls = []
        for path in pages:
            lang = path.split("/", 1)[0]
            alternates = Page.at(path, lang).alternates.items() if lang in LANGUAGES else ()
            urls.append({"path": path.removesuffix("index.html"),
                         "alternates": [(other, alternate.removesuffix("index.html"))
                                        for other, alternate in alternates]})
        return renderer.render(LANGUAGES[0], "sitemap.xml", site=site, urls=urls)
    cache = renderer.cache  # the same pages: the same sitemap
    key = hashlib.sha256("\n".join([cache.render_key, *pages]).encode()).hexdigest() \
        if cache else None
    emit(out, "sitemap.xml", str(_kept_or_made(renderer, key, make)))


def _embed_example(renderer: Renderer, out: dict[str, bytes]) -> None:
    """A host page with hostile CSS around the current privacy fragment: shows the isolation."""
    fragment = out.get(embed_path(LANGUAGES[0], "privacy"))
    if fragment is not None and (renderer.templates / EMBED_EXAMPLE).is_file():
        emit(out, EMBED_EXAMPLE, renderer.render(LANGUAGES[0], EMBED_EXAMPLE,
                                                 fragment=Markup(fragment.decode("utf-8"))))


def _older_part(renderer: Renderer, site: Site, out: dict[str, bytes], change_lists: dict,
                parts: dict[str, int]) -> None:
    """The pages of the oldest ``parts[document]`` versions of each document's history, in
    both languages, with their comparisons: what ``render_site``'s ``older`` makes."""
    side, submitted = Comparisons(), []
    for lang in LANGUAGES:
        for document in DOCUMENTS:
            submitted = _document_pages(renderer, site, lang, document, out, change_lists,
                                        side, submitted, slice(0, parts[document]),
                                        own_page=False)
    _compare_pages(renderer, site, out, change_lists, submitted, side)


def emit(out: dict[str, bytes], path: str, text: str | bytes) -> None:
    """Add an output file; two pages claiming one path is a bug, never silent."""
    if path in out:
        raise RuntimeError(f"two outputs claim the path {path}")
    out[path] = text if isinstance(text, bytes) else text.encode("utf-8")


def render_site(renderer: Renderer, site: Site, sink=None, side: Comparisons | None = None,
                older=None, meanwhile=None) -> dict[str, bytes]:
    """Every output file of the site, as bytes, keyed by path relative to the site root;
    with a ``sink`` (``write.Staging``) written there as they are made.

    The pipeline may hand in two helps, each with the same pages as the plain way:
    ``side`` makes the text comparisons (default: ``redline.Comparisons``, here);
    ``older`` makes the pages of each history's oldest versions into the sink
    meanwhile (``speed/render_helper.py``): ``older.parts(site)`` says how many of
    each document's, ``older.start(renderer, site, sink, make)`` begins ``make(out)``
    elsewhere, and the handle's ``finish(out)`` puts what was made into ``out``, False
    when that failed (the part is then made here). ``meanwhile(out)``: more to add to
    the files, called before the older pages are in them (the exports)."""
    side = side or Comparisons()
    out: dict[str, bytes] = OutputFiles(sink)
    with phase("compare"):
        change_lists = _change_lists(site, renderer.cache.versions if renderer.cache else None)
    parts = older.parts(site) if older is not None and sink is not None else {}
    helping = None
    if any(parts.values()):
        side.close()  # its work is done: it ends before the older part begins
        side = Comparisons()
        helping = older.start(renderer, site, sink, lambda made: _older_part(
            renderer, site, made, change_lists, parts))
    try:
        submitted: list[Submitted] = []
        for lang in LANGUAGES:
            for document in DOCUMENTS:
                submitted = _document_pages(renderer, site, lang, document, out,
                                            change_lists, side, submitted,
                                            slice(parts.get(document, 0), None))
                _history_page(renderer, site, lang, document, out, change_lists)
            _feed(renderer, site, lang, out, change_lists)
        _compare_pages(renderer, site, out, change_lists, submitted, side)
        if meanwhile is not None:
            meanwhile(out)
        if helping is not None:
            with phase("helper"):  # waiting for it
                if not helping.finish(out):  # it failed: its part is made here
                    _older_part(renderer, site, out, change_lists, parts)
    finally:
        if helping is not None:
            helping.close()  # the build failed first: the older part is not wanted
    index = Page("index.html", LANGUAGES[0], {lang: "index.html" for lang in LANGUAGES})
    emit(out, "index.html", renderer.render(LANGUAGES[0], "index.html", site=site, page=index))
    for lang in LANGUAGES:
        # served at any address, so its links are absolute
        page = Page.at(f"{lang}/404.html", lang, site.base_url)
        emit(out, page.path, renderer.render(lang, "404.html", site=site, page=page))
    _sitemap(renderer, site, out)
    _embed_example(renderer, out)
    embed_css = renderer.templates / "embed" / "privacy-docs-embed.css"
    if embed_css.is_file():
        emit(out, EMBED_STYLESHEET, embed_css.read_bytes())
    static = renderer.templates / "static"
    for asset in sorted(static.rglob("*")) if static.is_dir() else ():
        if asset.is_file():
            emit(out, "assets/" + asset.relative_to(static).as_posix(), asset.read_bytes())
    return out
