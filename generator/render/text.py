"""Markdown in text fields, converted once per distinct text and sanitised.

Raw HTML in a text is shown as text, never passed through: Python-Markdown's
HTML handling is switched off, and its output goes through nh3 (the Ammonia
sanitiser) with an allow-list of tags, attributes and link schemes, so that
``javascript:`` and ``data:`` links and event handlers cannot reach a page,
fragment, feed or export.
"""

from __future__ import annotations

import re

import markdown
import nh3
from markdown.extensions.sane_lists import SaneListExtension
from markupsafe import Markup

from generator.content.plain_words import REFUSED

ALLOWED_TAGS = {"p", "a", "em", "strong", "ul", "ol", "li", "br", "code", "blockquote",
                "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

# A text Markdown can only make into one paragraph of itself: one line that starts
# with a letter (not a list, heading, quote or code block), of letters, digits,
# single spaces and punctuation that is no Markdown syntax and that neither
# Markdown's serialiser nor the sanitiser escapes. More than half the texts of a
# statement are such sentences; converting them took 57 us each.
_PLAIN_PARAGRAPH = re.compile(r"[^\W\d_](?:[^\W_]|[,.;:?'’‘()/@–-]| (?=[^ ]))*")


class MarkdownConverter:
    """Converts Markdown to safe HTML; remembers each distinct text.

    ``known``: conversions an earlier build made with the same code and libraries
    (``version_cache.py``); ``used`` holds every one this build needed, to keep.
    """

    def __init__(self, known: dict[str, str] | None = None) -> None:
        # the extension itself, not its name: a name is looked up among the installed
        # packages' entry points (importlib.metadata), which slows every build's start
        self._md = markdown.Markdown(extensions=[SaneListExtension()], output_format="html")
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._known = known or {}
        self.used: dict[str, Markup] = {}
        self._inline: dict[str, Markup] = {}
        self.conversions = 0

    def __call__(self, text: str) -> Markup:
        cached = self.used.get(text)
        if cached is None:
            html = self._known.get(text)
            if html is None:
                self.conversions += 1
                html = (f"<p>{text}</p>" if _PLAIN_PARAGRAPH.fullmatch(text)
                        else sanitise(self._md.reset().convert(text)))
            cached = self.used[text] = Markup(html)
        return cached

    def warm_up(self) -> None:
        """Load what converting loads the first time, without keeping a conversion."""
        sanitise(self._md.reset().convert("*a* [b](https://example.org)\n\n- c\n- d"))

    def take(self, made: dict[str, str]) -> None:
        """Conversions made by another process (a render helper), as if made here."""
        for text, html in made.items():
            if text not in self.used:
                self.used[text] = Markup(html)
                self.conversions += 1

    def inline(self, text: str) -> Markup:
        """The text converted for use inside a sentence: without its paragraph tags."""
        cached = self._inline.get(text)
        if cached is None:
            cached = self(text).replace("<p>", "").replace("</p>", "").strip()
            self._inline[text] = cached
        return cached


def sanitise(html: str) -> str:
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        url_schemes=ALLOWED_SCHEMES, link_rel="noopener noreferrer")
    # A character reference such as &#14; or &#x202E; comes out as the character itself:
    # a control character, which a feed (XML) cannot hold, or a bidirectional control or
    # zero-width character; validation refuses them, typed or referred to.
    return REFUSED.sub("", cleaned)


def plain(text: str) -> str:
    """Text with Markdown markup removed, for feeds and change lists."""
    return nh3.clean(MarkdownConverter()(text), tags=set())
