"""The kinds of page the site has, each declared once: its template, where its pages are
(``urls.py``) and, for a version's pages, what they show, from which an incremental
build derives the key a page is kept under (``BuildCache.entry_key``).

:data:`VERSION_PAGES` are made for each version of each document in each language
(``pages.py`` loops over them); :data:`COMPARE` too, in two steps, as its text
comparisons are made a batch at a time; :data:`SITE_PAGES` once per document, language or
build, always rendered. A version's entry on the history page and in the feed is an
:class:`EntryPart`, kept like a page. Adding a kind of page is one entry here and a
template (docs/design.md, "Adding a page kind").

What every page shows (site.yaml, the templates, the catalog, the generator's code,
the build options) and where it is (kind, language, document, version) are in every
key. Anything else a kind's pages show must be one of its ``depends``, named in
:data:`INPUTS`: what it does not declare does not change its key, so its pages would
be kept when that changes (``tests/test_registries.py`` changes each undeclared input
and holds every kind to its declaration).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup

from generator.content.model import DocumentVersion, Site
from generator.content.schema import DOCUMENTS, LANGUAGES
from generator.render.environment import Renderer
from generator.render.urls import (
    EMBED_EXAMPLE,
    Page,
    compare_path,
    embed_path,
    feed_path,
    history_path,
    page_path,
)


@dataclass(frozen=True)
class Input:
    """Something a version's pages may show besides what every page shows: ``read``
    gives its value for one version (``of_site``: the same for all, read once a build)."""
    says: str
    read: Callable[[Site, DocumentVersion | None], str]
    of_site: bool = False


def statuses(site: Site, entry: DocumentVersion | None = None) -> str:
    """Which version of each document is current and which are announced (or drafts),
    by name and status: what pages show of versions other than their own."""
    parts = []
    for document in sorted(site.histories):
        current = site.current(document)
        parts.append(f"{document}={current.name if current else '-'}")
        parts += [f"{e.name}:{e.status}" for e in site.announced(document)]
    return "|".join(parts)


def _previous(site: Site, entry: DocumentVersion) -> str:
    before = entry.previous
    return f"{before.name} {before.version.document_digest(entry.document)}" if before \
        else "-"


INPUTS: dict[str, Input] = {
    "version": Input("the version's files its document reads: version.yaml and the "
                     "document's own (Version.document_digest)",
                     lambda site, entry: entry.version.document_digest(entry.document)),
    "period": Input("the version's status and last day in effect, which the build date and "
                    "the next version decide", lambda site, entry: f"{entry.status} {entry.until}"),
    "previous": Input("the version before it in the document's history: its name and files "
                      "(its date, its text, the change list)", _previous),
    "statuses": Input("which version of each document is current and which are announced or "
                      "drafts: their names and status, not their text", statuses, of_site=True),
    "build date": Input("the build date itself", lambda site, entry: site.today.isoformat(),
                        of_site=True),
    "notice": Input("whether the version is current and new enough to say what changed "
                    "(Site.change_notice: the build date, site.yaml's change_notice_days)",
                    lambda site, entry: str(site.change_notice(entry))),
}


def check_depends(name: str, depends: tuple[str, ...]) -> None:
    """Refuse a declaration naming an input that is not in :data:`INPUTS`, or one twice."""
    unknown = [input_ for input_ in depends if input_ not in INPUTS]
    if unknown or len(set(depends)) != len(depends):
        raise ValueError(f"{name}: depends names {unknown or 'an input twice'}; each one of "
                         f"{', '.join(INPUTS)}")


@dataclass
class Rendering:
    """One build's rendering: what every kind's pages are made with."""
    renderer: Renderer
    site: Site
    change_lists: dict[tuple[str, str], list] = field(default_factory=dict)

    def changes(self, entry: DocumentVersion) -> list:
        """The version's changes from the previous one (none for the first)."""
        return self.change_lists.get((entry.document, entry.name), [])


def _always(site: Site, entry: DocumentVersion) -> bool:
    return True


def _is_current(site: Site, entry: DocumentVersion) -> bool:
    return entry is site.current(entry.document)


def _has_previous(site: Site, entry: DocumentVersion) -> bool:
    return entry.previous is not None


@dataclass(frozen=True)
class PageKind:
    """A kind of page made for each version of a document (``when`` it applies), in each
    language: ``template`` ("{document}" stands for the version's document) rendered at
    ``path(lang, entry)``, kept by an incremental build while what it ``depends`` on
    (names in :data:`INPUTS`) is unchanged. ``current_path(lang, document)``: while the
    version is current, the same bytes there too. ``make(kind, rendering, path, lang,
    entry)`` makes the page's text; by default the template is rendered with ``site``,
    ``page``, ``entry``, ``document`` and ``changes`` (its change list: declare
    "previous" to show it)."""
    name: str
    template: str
    path: Callable[[str, DocumentVersion], str]
    depends: tuple[str, ...] = ("version",)
    when: Callable[[Site, DocumentVersion], bool] = _always
    current_path: Callable[[str, str], str] | None = None
    make: Callable[..., str] | None = None

    def __post_init__(self) -> None:
        check_depends(self.name, self.depends)

    def template_for(self, entry: DocumentVersion) -> str:
        return self.template.format(document=entry.document)

    def paths(self, site: Site, lang: str, entry: DocumentVersion) -> list[str]:
        """Where this version's page goes (the same bytes at each)."""
        paths = [self.path(lang, entry)]
        if self.current_path is not None and _is_current(site, entry):
            paths.append(self.current_path(lang, entry.document))
        return paths

    def text(self, rendering: Rendering, path: str, lang: str, entry: DocumentVersion) -> str:
        if self.make is not None:
            return self.make(self, rendering, path, lang, entry)
        return rendering.renderer.render(
            lang, self.template_for(entry), site=rendering.site, page=Page.at(path, lang),
            entry=entry, document=entry.document, changes=rendering.changes(entry))


@dataclass(frozen=True)
class EntryPart:
    """A version's entry on a page listing every version, kept like a page: rendered
    once a build at most, or taken from an earlier one while what it ``depends`` on is
    unchanged."""
    name: str
    template: str
    depends: tuple[str, ...]

    def __post_init__(self) -> None:
        check_depends(self.name, self.depends)


# --- a version's statement, on its pages and in its fragment -----------------------

def article(renderer: Renderer, site: Site, page: Page, entry: DocumentVersion,
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
    made = shared.get((page.lang, entry.document, entry.name), template, render, page,
                      heading_level) if shared is not None else None
    return made if made is not None else render(heading_level, page)


def version_article(renderer: Renderer, site: Site, page: Page, entry: DocumentVersion) -> str:
    """The version's article as on its page: kept from its page when just made there."""
    known = renderer.articles.get((page.lang, entry.document, entry.name))
    return known if known is not None else article(renderer, site, page, entry, 1)


def _fragment(kind: PageKind, rendering: Rendering, path: str, lang: str,
              entry: DocumentVersion, current: bool = False) -> str:
    """Shown on other sites' pages: its links are absolute. Under its header, a
    reconstructed version says so, as its pages do above it (``_reconstructed.html``),
    and the current fragment of a new version says what changed (``_change_notice.html``;
    never the dated one, whose text the lock holds)."""
    site, renderer = rendering.site, rendering.renderer
    page = Page(path, lang, {}, site.base_url)
    text = article(renderer, site, page, entry, renderer.fragment_heading_level)
    notes = []
    if current and site.change_notice(entry):
        notes.append(renderer.render(lang, "_change_notice.html", site=site, page=page,
                                     entry=entry, document=entry.document, fragment=True))
    if entry.reconstructed is not None:
        notes.append(renderer.render(lang, "_reconstructed.html", entry=entry, fragment=True))
    if not notes:
        return text
    head, end, rest = text.partition("</header>\n")
    return head + end + "".join(note.strip() + "\n" for note in notes) + rest


def _current_fragment(kind, rendering: Rendering, path: str, lang: str,
                      entry: DocumentVersion) -> str:
    return _fragment(kind, rendering, path, lang, entry, current=True)


def _statement_page(kind, rendering: Rendering, path: str, lang: str, document: str,
                    entry: DocumentVersion | None, is_current: bool) -> str:
    site, renderer = rendering.site, rendering.renderer
    page = Page.at(path, lang)
    text = article(renderer, site, page, entry, heading_level=1) if entry else None
    if entry and not is_current:  # for its comparison with the next version
        renderer.articles[(lang, document, entry.name)] = text
    return renderer.render(lang, kind.template, site=site, page=page, entry=entry,
                           document=document, article=Markup(text or ""),
                           is_current=is_current, current=site.current(document),
                           announced=site.announced(document),
                           change_notice=bool(entry and is_current
                                              and site.change_notice(entry)))


def _version_page(kind, rendering, path, lang, entry) -> str:
    return _statement_page(kind, rendering, path, lang, entry.document, entry, False)


def _document_page(kind, rendering, path, lang, entry) -> str:
    return _statement_page(kind, rendering, path, lang, entry.document, entry, True)


FRAGMENT = PageKind("fragment", "{document}.html",
                    lambda lang, entry: embed_path(lang, entry.document, entry.name),
                    depends=("version",), make=_fragment)
# The current version's fragment: the dated one, and for a while what changed.
CURRENT_FRAGMENT = PageKind("current fragment", "{document}.html",
                            lambda lang, entry: embed_path(lang, entry.document),
                            depends=("version", "statuses", "notice"), when=_is_current,
                            make=_current_fragment)
VERSION_PAGE = PageKind("version", "document_page.html",
                        lambda lang, entry: page_path(lang, entry.document, entry.name)
                        + "index.html",
                        depends=("version", "period", "statuses"), make=_version_page)
DOCUMENT_PAGE = PageKind("document", "document_page.html",
                         lambda lang, entry: page_path(lang, entry.document) + "index.html",
                         depends=("version", "period", "statuses", "notice"),
                         when=_is_current,
                         make=_document_page)
# Made by ``pages.py`` in two steps: the articles compared (``redline.Comparisons``,
# a batch of versions at a time), then the page.
COMPARE = PageKind("compare", "compare.html",
                   lambda lang, entry: compare_path(lang, entry.document, entry.name)
                   + "index.html",
                   depends=("version", "period", "previous"), when=_has_previous)
# The kinds made for each version, in this order, each reused on its own.
VERSION_PAGES: list[PageKind] = [FRAGMENT, CURRENT_FRAGMENT, VERSION_PAGE, DOCUMENT_PAGE]

HISTORY_ENTRY = EntryPart("history entry", "_history_entry.html",
                          depends=("version", "period", "previous"))
FEED_ENTRY = EntryPart("feed entry", "_feed_entry.xml", depends=("version", "previous"))


def entry_part(rendering: Rendering, part: EntryPart, of: DocumentVersion, lang: str,
               **context) -> Markup:
    """The entry of version ``of`` on a page listing every version: ``part``'s template
    rendered with ``context``, or kept from an earlier build (an incremental build)."""
    renderer, site = rendering.renderer, rendering.site
    cache = renderer.cache
    key = cache.entry_key(site, of, lang, part) if cache else None
    return kept_or_made(renderer, key, lambda: renderer.render(lang, part.template,
                                                               site=site, **context))


def kept_or_made(renderer: Renderer, key: str | None, make) -> Markup:
    """A part of a page made by ``make()``, or kept from an earlier build under ``key``."""
    return Markup(renderer.cache.versions.part(key, make) if key else make())


# --- pages made once a build: per document, per language, once -----------------------

@dataclass(frozen=True)
class SitePage:
    """A page made on every build, ``per`` document and language ("document"), language
    ("language") or once ("site"), at ``path(lang, document)``, ``path(lang)`` or
    ``path()``. ``make(kind, rendering, out, path, *where)`` returns its text, or None
    when this build has no such page."""
    name: str
    template: str
    per: str
    path: Callable[..., str]
    make: Callable[..., str | bytes | None]


def _no_version_yet(kind, rendering: Rendering, out, path: str, lang: str,
                    document: str) -> str | None:
    if rendering.site.current(document) is not None or not rendering.site.history(document):
        return None  # the current version's page is there (DOCUMENT_PAGE), or no version
        # holds the document at all: the site has no such page
    return _statement_page(kind, rendering, path, lang, document, None, is_current=True)


def _history(kind, rendering: Rendering, out, path: str, lang: str,
             document: str) -> str | None:
    """Every version of the document, newest first; none when no version holds it."""
    site = rendering.site
    if not site.history(document):
        return None
    page = Page.at(path, lang)
    listed = [entry_part(rendering, HISTORY_ENTRY, entry, lang, page=page, document=document,
                         entry=entry, changes=rendering.changes(entry))
              for entry in reversed(site.history(document))]
    return rendering.renderer.render(lang, kind.template, site=site, page=page,
                                     document=document, entries=listed,
                                     current=site.current(document))


def _feed(kind, rendering: Rendering, out, path: str, lang: str) -> str:
    """The Atom feed: one entry per version of each document, announced or in effect."""
    site = rendering.site
    entries = [entry for document in DOCUMENTS for entry in site.history(document)
               if entry.status != "draft"]
    entries.sort(key=lambda entry: (entry.effective, entry.document), reverse=True)
    items = [entry_part(rendering, FEED_ENTRY, entry, lang, item={
                 "entry": entry, "changes": rendering.changes(entry)})
             for entry in entries]
    updated = entries[0].effective.isoformat() if entries else "1970-01-01"
    author = site.versions[-1].organisation["legal_name"] if site.versions else ""
    return rendering.renderer.render(lang, kind.template, site=site, items=items,
                                     updated=updated, author=author)


def _not_found(kind, rendering: Rendering, out, path: str, lang: str) -> str:
    site = rendering.site
    page = Page.at(path, lang, site.base_url)  # served at any address: links absolute
    return rendering.renderer.render(lang, kind.template, site=site, page=page)


def _index(kind, rendering: Rendering, out, path: str) -> str:
    """The language choice; its alternates are the privacy statement in each language."""
    page = Page(path, LANGUAGES[0], {lang: page_path(lang, "privacy") + "index.html"
                                     for lang in LANGUAGES})
    return rendering.renderer.render(LANGUAGES[0], kind.template, site=rendering.site,
                                     page=page)


def _sitemap(kind, rendering: Rendering, out, path: str) -> str:
    """Every page made so far, with the same page in the other languages as hreflang
    alternates: made last."""
    renderer = rendering.renderer
    pages = sorted(p for p in out if p.endswith("index.html"))

    def make() -> str:
        urls = []
        for at in pages:
            lang = at.split("/", 1)[0]
            alternates = Page.at(at, lang).alternates.items() if lang in LANGUAGES else ()
            urls.append({"path": at.removesuffix("index.html"),
                         "alternates": [(other, alternate.removesuffix("index.html"))
                                        for other, alternate in alternates]})
        return renderer.render(LANGUAGES[0], kind.template, site=rendering.site, urls=urls)
    cache = renderer.cache  # the same pages: the same sitemap
    key = hashlib.sha256("\n".join([cache.render_key, *pages]).encode()).hexdigest() \
        if cache else None
    return str(kept_or_made(renderer, key, make))


def _embed_example(kind, rendering: Rendering, out, path: str) -> str | None:
    """A host page with hostile CSS around the current privacy fragment: shows the
    isolation."""
    renderer = rendering.renderer
    fragment = out.get(embed_path(LANGUAGES[0], "privacy"))
    if fragment is None or not (renderer.templates / kind.template).is_file():
        return None
    return renderer.render(LANGUAGES[0], kind.template,
                           fragment=Markup(fragment.decode("utf-8")))


SITE_PAGES: list[SitePage] = [
    SitePage("no version yet", "document_page.html", "document",
             lambda lang, document: page_path(lang, document) + "index.html", _no_version_yet),
    SitePage("history", "history.html", "document",
             lambda lang, document: history_path(lang, document) + "index.html", _history),
    SitePage("feed", "feed.xml", "language", feed_path, _feed),
    SitePage("404", "404.html", "language", lambda lang: f"{lang}/404.html", _not_found),
    SitePage("index", "index.html", "site", lambda: "index.html", _index),
    SitePage("sitemap", "sitemap.xml", "site", lambda: "sitemap.xml", _sitemap),
    SitePage("embed example", EMBED_EXAMPLE, "site", lambda: EMBED_EXAMPLE, _embed_example),
]
