"""The site's URL scheme, in one place: where each page, fragment and asset is, and how
one page links to another.

Output paths are relative to the site root; a folder ends in '/' and is served from its
``index.html``. ``path_for`` names each kind of target for the templates' ``url_for()``
global (``environment.py``); the render and export stages call the path functions.
A :class:`Page` links relatively, or absolutely when it is shown elsewhere (a fragment
on a host page, the 404 page at any address).
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass

from generator.content.schema import LANGUAGES

STYLESHEET = "assets/privacy-docs.css"
EMBED_STYLESHEET = "embed/privacy-docs-embed.css"
EMBED_EXAMPLE = "embed/example.html"


def page_path(lang: str, document: str, version: str | None = None) -> str:
    """The folder of a document page: nl/privacy/, nl/privacy/2020-10-01/."""
    return f"{lang}/{document}/" + (f"{version}/" if version else "")


def compare_path(lang: str, document: str, version: str) -> str:
    """The folder of a version's comparison with the version before it."""
    return page_path(lang, document, version) + "compare/"


def history_path(lang: str, document: str) -> str:
    return f"{lang}/{document}/history/"


def embed_path(lang: str, document: str, version: str | None = None) -> str:
    """A fragment for host pages: the current version's, or one version's."""
    return f"embed/{lang}/{document}" + (f"/{version}" if version else "") + ".html"


def feed_path(lang: str) -> str:
    return f"{lang}/feed.xml"


def pdf_path(lang: str, document: str, version: str) -> str:
    """A version's PDF, beside its page, named so that a saved copy says what it is:
    nl/privacy/2020-10-01/privacy-2020-10-01-nl.pdf."""
    return page_path(lang, document, version) + f"{document}-{version}-{lang}.pdf"


# The kinds of link ``url_for(kind, ...)`` makes, besides "alternate" (the page being
# rendered, in another language), which only the page knows.
KINDS = ("home", "document", "version", "compare", "history", "fragment", "feed",
         "stylesheet", "pdf")


def path_for(kind: str, lang: str, document: str | None = None,
             version: str | None = None) -> str:
    """The output path ``url_for(kind, document, version, lang)`` links to."""
    match kind:
        case "home":
            return ""
        case "document":
            return page_path(lang, _given(document))
        case "version":
            return page_path(lang, _given(document), _given(version))
        case "compare":
            return compare_path(lang, _given(document), _given(version))
        case "history":
            return history_path(lang, _given(document))
        case "fragment":
            return embed_path(lang, _given(document), version)
        case "feed":
            return feed_path(lang)
        case "stylesheet":
            return STYLESHEET
        case "pdf":
            return pdf_path(lang, _given(document), _given(version))
    raise ValueError(f"url_for: no kind of link called {kind!r}; one of "
                     f"{', '.join(KINDS)} or 'alternate'")


def _given(value: str | None) -> str:
    if not value:
        raise ValueError("url_for: this kind of link needs a document (and a version)")
    return value


def address(path: str) -> str:
    """Where a page is linked: a folder's ``index.html`` at the folder."""
    return path.replace("index.html", "")


@functools.lru_cache(maxsize=1024)  # a page's links repeat; pages seldom share theirs
def relative_url(from_path: str, to_path: str) -> str:
    """A link from one output file to another output path (a folder ends in '/')."""
    target = _relative(to_path or ".", posixpath.dirname(from_path) or ".")
    if to_path.endswith("/") or not to_path:
        target = "./" if target == "." else target + "/"
    return target


def _relative(path: str, start: str) -> str:
    """``posixpath.relpath`` for the site's own paths (relative, without '..'), by their
    parts: relpath makes both absolute first, which is slow over a long build's many
    distinct links."""
    if ".." in path or ".." in start or path.startswith("/") or start.startswith("/"):
        return posixpath.relpath(path, start)
    to = [part for part in path.split("/") if part and part != "."]
    at = [part for part in start.split("/") if part and part != "."]
    shared = 0
    for a, b in zip(to, at, strict=False):
        if a != b:
            break
        shared += 1
    return "/".join([".."] * (len(at) - shared) + to[shared:]) or "."


@dataclass
class Page:
    """One output file and what it needs to know about its neighbours."""
    path: str
    lang: str
    alternates: dict[str, str]  # lang -> output path of the same page in that language
    base_url: str = ""  # fragments link absolutely: they are shown on someone else's page

    @classmethod
    def at(cls, path: str, lang: str, base_url: str = "") -> Page:
        """The page at ``path`` (under ``<lang>/``), with the same page in every language."""
        return cls(path, lang, {other: path.replace(f"{lang}/", f"{other}/", 1)
                                for other in LANGUAGES}, base_url)

    def url(self, to_path: str) -> str:
        if self.base_url:
            return self.base_url + to_path
        return relative_url(self.path, to_path)
