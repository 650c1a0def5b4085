"""Script in text fields is rendered harmless: an XSS corpus through every kind of text field.

Every string of ``tests/xss_corpus.txt`` is injected, in both versions and both
languages, into every kind of text the content has: Markdown texts (as
paragraphs, list items and quotes), one-line texts (titles, names, the site's
title), lists of short texts, and plain strings (names, addresses, cookie
providers). The site is built once; then

- statically: no page, fragment, feed entry or JSON export holds a script, an
  event-handler attribute, a ``javascript:``/``data:``/``vbscript:`` address,
  or any element or attribute the clean build does not have;
- in Chromium (with the pages' CSP bypassed, because a host page that embeds a
  fragment has no CSP of ours): opening every page and every fragment opens no
  dialog, logs no marker, and the live DOM has no handler attribute or script.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import re
import shutil
import xml.etree.ElementTree as ElementTree
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.content.schema import (
    SITE,
    VERSION_FILES,
    Bool,
    Date,
    ListOf,
    Mapping,
    Record,
    Str,
    Text,
    TextList,
)
from generator.render import text

from .browser import chromium_missing, recording_context, serve, wrap_fragments
from .conftest import ROOT, TODAY, relock, run_build

CORPUS_FILE = Path(__file__).parent / "xss_corpus.txt"
CORPUS = [line for line in CORPUS_FILE.read_text(encoding="utf-8").splitlines()
          if line.strip() and not line.startswith("#:")]
KINDS = ("markdown", "line", "list item", "plain string")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "background", "poster",
                  "xlink:href", "srcset", "ping", "cite", "longdesc", "content"}
BAD_SCHEME = re.compile(r"^(?:javascript|data|vbscript):", re.IGNORECASE)
MARKER = "XSS-MARKER"
# For fields with a pattern (e-mail and web addresses): hostile, yet valid for the pattern.
ADDRESS_PAYLOADS = [
    '"><svg/onload=alert(1)>@example.nl', "x'onmouseover='alert(1)'@example.nl",
    "javascript:alert(1)//@example.nl", '"onfocus="alert(1)"autofocus="@example.nl',
    "https://example.nl/?q=%22onmouseover=alert(1)", "https://example.nl/#javascript:alert(1)",
    "https://example.nl/&#34;onmouseover=alert(1)", "https://example.nl/`onmouseover=alert(1)`",
]
MARKDOWN_VOCABULARY = ({(tag, "") for tag in text.ALLOWED_TAGS}
                       | {(tag, attr) for tag, attrs in text.ALLOWED_ATTRIBUTES.items()
                          for attr in attrs} | {("a", "rel")})
# What the comparison writes around the blocks it marks (render/redline.py): which of
# them a comparison has depends on what changed, not on the text.
REDLINE_VOCABULARY = {(tag, attr) for tag in ("h3", "h4", "p", "li") for attr in ("", "class", "id")
                      } | {("span", ""), ("span", "class"), ("ins", ""), ("del", ""),
                           ("ul", ""), ("ul", "class"), ("ol", ""), ("ol", "class")}
# The inline markup a comparison keeps of the article (render/article_blocks.py): these
# elements, with no attribute but a class and an a's href.
REDLINE_INLINE = {(tag, attr) for tag in ("a", "strong", "b", "em", "i", "code", "abbr", "span",
                                          "br") for attr in ("", "class")} | {("a", "href")}


# --- injection ----------------------------------------------------------------

class Injector:
    """Replaces every text of a content file by corpus strings, each kind cycling the corpus."""

    def __init__(self, per_field: dict[str, int], corpus: list[str] = CORPUS):
        self.per_field = per_field
        self.corpus = corpus
        self.cycles = {kind: itertools.cycle(range(len(corpus))) for kind in KINDS}
        self.used: dict[str, set[int]] = {kind: set() for kind in KINDS}
        self.fields = dict.fromkeys(KINDS, 0)
        self.addresses = 0

    def take(self, kind: str) -> list[str]:
        self.fields[kind] += 1
        picked = [next(self.cycles[kind]) for _ in range(self.per_field.get(kind, 1))]
        self.used[kind].update(picked)
        return [self.corpus[i] for i in picked]

    def markdown(self) -> str:
        first, *rest = self.take("markdown")
        blocks = [first]
        for i, payload in enumerate(rest):
            blocks.append(("- " if i % 3 == 0 else "> " if i % 3 == 1 else "") + payload)
        return "\n\n".join(blocks)

    def address(self, pattern: str, value):
        """E-mail and web addresses: a payload that still passes the field's pattern."""
        fitting = [p for p in ADDRESS_PAYLOADS if re.fullmatch(pattern, p, flags=re.ASCII)]
        if not fitting or not isinstance(value, str) or self.corpus is not CORPUS:
            return value
        self.addresses += 1
        return fitting[self.addresses % len(fitting)]

    def walk(self, node, value):
        if isinstance(node, Text):
            if not isinstance(value, dict):
                return value
            if node.line:
                return {lang: " ".join(self.take("line")) for lang in value}
            return {lang: self.markdown() for lang in value}
        if isinstance(node, TextList):
            return {lang: [" ".join(self.take("list item")) for _ in items]
                    for lang, items in value.items()}
        if isinstance(node, Str) and node.pattern:
            return self.address(node.pattern, value)
        if isinstance(node, Str):
            return " ".join(self.take("plain string"))
        if isinstance(node, Record) and isinstance(value, dict):
            out = {key: self.walk(node.fields[key].node, item) if key in node.fields else item
                   for key, item in value.items()}
            for key, spec in node.fields.items():  # optional texts the content leaves out
                if key not in out:
                    with contextlib.suppress(_CannotMake):
                        out[key] = self.walk(spec.node, _make(spec.node))
            return out
        if isinstance(node, Mapping) and isinstance(value, dict):
            return {key: self.walk(node.value, item) for key, item in value.items()}
        if isinstance(node, ListOf) and isinstance(value, list):
            return [self.walk(node.item, item) for item in value]
        return value


class _CannotMake(Exception):
    """A declaration with ids, references or choices: not made up for injection."""


def _make(node):
    """A placeholder value for an optional field the content leaves out (texts, errata,
    a DPO...), for the injector to fill; ids, references and choices are left out."""
    if isinstance(node, Text | TextList):
        return {"nl": ["x"], "en": ["x"]} if isinstance(node, TextList) else {"nl": "x", "en": "x"}
    if isinstance(node, Str):
        if node.pattern and not re.fullmatch(node.pattern, "privacy@example.nl"):
            raise _CannotMake("a pattern other than an e-mail address")
        return "x" if not node.pattern else "privacy@example.nl"
    if isinstance(node, Bool):
        return False
    if isinstance(node, Date):
        return date(2026, 11, 1)  # after both shipped versions, before the build date
    if isinstance(node, ListOf) and node.min_items == 0:
        return [_make(node.item)]
    if isinstance(node, Record):
        made = {}
        for key, spec in node.fields.items():
            try:
                made[key] = _make(spec.node)
            except _CannotMake:
                if spec.required:
                    raise
        return made
    raise _CannotMake(type(node).__name__)


def _files(content: Path):
    yield content / "site.yaml", SITE
    for folder in sorted((content / "versions").iterdir()):
        for name, declaration in VERSION_FILES.items():
            if (folder / name).exists():  # a version may leave out its cookie statement
                yield folder / name, declaration


def inject(content: Path, corpus: list[str] = CORPUS) -> Injector:
    """Fill every text of ``content`` with corpus strings, so each kind carries all of them;
    optional texts the content leaves out are added (and so are their parts of the page)."""
    counter = Injector({}, corpus)
    for path, declaration in _files(content):
        counter.walk(declaration, yaml.safe_load(path.read_text(encoding="utf-8")))
    # Enough strings per field that every kind carries the whole corpus at least once.
    per_field = {kind: max(1, math.ceil(len(corpus) / max(1, count)))
                 for kind, count in counter.fields.items()}
    per_field["markdown"] = max(per_field["markdown"], 4)  # paragraph, list item, quote
    injector = Injector(per_field, corpus)
    for path, declaration in _files(content):
        data = injector.walk(declaration, yaml.safe_load(path.read_text(encoding="utf-8")))
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6),
                        encoding="utf-8")
    return injector


# --- static checks --------------------------------------------------------------

class _Elements(HTMLParser):
    """Every start tag with its attributes (entity references already decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def elements(markup: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.elements


def dangers(markup: str) -> list[str]:
    """What in ``markup`` could run script, whatever the page around it allows."""
    found = []
    for tag, attrs in elements(markup):
        if tag in ("script", "iframe", "frame", "object", "embed", "base", "svg", "math",
                   "form"):
            found.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                found.append(f"<{tag} {name}=...> event handler")
            if name in URL_ATTRIBUTES and value is not None:
                bare = re.sub(r"[\x00-\x20]+", "", value)
                if tag == "meta" and name == "content":
                    bare = bare.split("url=", 1)[-1]
                if BAD_SCHEME.match(bare):
                    found.append(f"<{tag} {name}={value[:40]!r}> script or data address")
            if name == "http-equiv" and (value or "").lower() == "refresh":
                found.append("<meta http-equiv=refresh>")
    return found


def vocabulary(markup: str) -> set[tuple[str, str]]:
    """The (element, attribute) pairs used, with (element, '') for each element."""
    out = set()
    for tag, attrs in elements(markup):
        out.add((tag, ""))
        out.update((tag, name) for name, _ in attrs)
    return out


def feed_html(xml_bytes: bytes) -> list[str]:
    """The HTML a feed reader renders: Atom text constructs of type html or xhtml.

    Those of type text (the default) are shown as text by readers, whatever they hold.
    """
    root = ElementTree.fromstring(xml_bytes)  # well-formed, whatever the texts held
    out = []
    for element in root.iter():
        kind = element.get("type", "text")
        if kind == "html":
            out.append(element.text or "")
        elif kind == "xhtml":
            out.append(ElementTree.tostring(element, encoding="unicode"))
    return out


def json_strings(value, key: str = ""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from json_strings(v, str(k))
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item, key)
    elif isinstance(value, str):
        yield key, value


# --- fixtures -------------------------------------------------------------------

def _build(content: Path, out: Path) -> None:
    result = run_build("build", "--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> Path:
    """The same content with plain words instead of the corpus: the pages' own markup."""
    work = tmp_path_factory.mktemp("xss-clean")
    shutil.copytree(ROOT / "content", work / "content")
    inject(work / "content", corpus=["Plain *words*.", "More words, [linked](#top)."])
    relock(work / "content")
    _build(work / "content", work / "site")
    return work / "site"


@pytest.fixture(scope="module")
def injected(tmp_path_factory) -> tuple[Path, Injector]:
    work = tmp_path_factory.mktemp("xss")
    shutil.copytree(ROOT / "content", work / "content")
    injector = inject(work / "content")
    relock(work / "content")  # released texts change here: released again
    _build(work / "content", work / "site")
    return work / "site", injector


def _outputs(site: Path, suffix: str) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob(f"*{suffix}")) if p.is_file()}


# --- tests ----------------------------------------------------------------------

def test_corpus_is_large_and_varied():
    assert len(CORPUS) >= 50
    assert len(set(CORPUS)) == len(CORPUS), "duplicate lines in the corpus"
    assert sum("<script" in line.lower() for line in CORPUS) >= 5
    assert sum("](" in line for line in CORPUS) >= 8, "Markdown link and image tricks"


def test_every_string_goes_through_every_text_kind(injected):
    _, injector = injected
    for kind in KINDS:
        assert injector.fields[kind] >= 2, f"the content has no {kind} fields"
        missing = set(range(len(CORPUS))) - injector.used[kind]
        assert not missing, f"{kind}: not injected: {[CORPUS[i] for i in sorted(missing)]}"
    assert injector.addresses >= 4, "e-mail and web addresses"


def test_injected_text_reaches_the_pages(injected):
    site, _ = injected
    page = (site / "en/privacy/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in page  # shown as text, not dropped silently
    assert "xss.rocks" in page


def test_no_page_or_fragment_can_run_script(injected, clean_site):
    site, _ = injected
    pages = {path: data.decode("utf-8") for path, data in _outputs(site, ".html").items()}
    assert len(pages) > 25 and any(path.startswith("embed/") for path in pages)
    clean = {path: vocabulary(data.decode("utf-8"))
             for path, data in _outputs(clean_site, ".html").items()}
    problems = []
    for path, markup in pages.items():
        problems += [f"{path}: {danger}" for danger in dangers(markup)]
        # No element or attribute beyond the clean page's and what Markdown may produce.
        allowed = clean.get(path, set()) | MARKDOWN_VOCABULARY
        if "/compare/" in path:
            allowed |= REDLINE_VOCABULARY
        problems += [f"{path}: <{tag}{' ' + attr if attr else ''}> is new"
                     for tag, attr in sorted(vocabulary(markup) - allowed)]
    assert not problems, "\n".join(problems[:40])


def test_a_comparison_of_hostile_articles_keeps_only_safe_markup():
    """Every corpus string as an article's text, through Markdown and the sanitiser, escaped
    as templates do, and as raw markup no template writes (in a list item, a label, an
    address): the comparison of each with the next, and of each with itself, runs no
    script and writes no element or attribute beyond its own and the inline ones it keeps."""
    from markupsafe import escape

    from generator.render.redline import compare
    from generator.render.text import MarkdownConverter
    markdown = MarkdownConverter()
    articles = [f'<section id="s"><h2>1. Kop</h2><p>{escape(payload)}</p>'
                f"<ul><li><strong>{escape(payload)}:</strong> {markdown(payload)}</li></ul>"
                f"<address>{payload}<br>{payload}</address></section>" for payload in CORPUS]
    problems = []
    pairs = [*zip(articles, articles[1:], strict=False), *zip(articles, articles, strict=True)]
    for old, new in pairs:
        marked = str(compare(old, new)[0])
        problems += [f"{new[:60]!r}: {danger}" for danger in dangers(marked)]
        problems += [f"{new[:60]!r}: <{tag} {attr}> is new" for tag, attr in
                     sorted(vocabulary(marked) - REDLINE_VOCABULARY - REDLINE_INLINE)]
    assert not problems, "\n".join(problems[:40])


def test_feeds_stay_well_formed_and_harmless(injected):
    site, _ = injected
    feeds = _outputs(site, "feed.xml")
    assert set(feeds) == {"nl/feed.xml", "en/feed.xml"}
    problems = []
    for path, data in feeds.items():
        texts = feed_html(data)
        assert any("alert(" in html for html in texts), "the payloads should reach the feed"
        for html in texts:
            problems += [f"{path}: {danger}" for danger in dangers(html)]
    for data in _outputs(site, ".xml").values():
        ElementTree.fromstring(data)  # the sitemap too
    assert not problems, "\n".join(problems[:40])


def test_json_exports_carry_no_live_markup(injected):
    """Consent-banner configurations are put into a page as HTML by the banner's script, so
    every string in them must be harmless; elsewhere in the API, texts are data (the
    consumer escapes them) except those whose key says they are HTML."""
    site, _ = injected
    exports = _outputs(site, ".json")
    if not exports:
        pytest.skip("this build writes no JSON (site/api/ not built yet)")
    problems = []
    for path, data in exports.items():
        as_html = path.startswith("api/consent/")
        for key, value in json_strings(json.loads(data)):
            if as_html or "html" in key.lower():
                problems += [f"{path}: {key}: {danger}" for danger in dangers(value)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


# --- in Chromium ----------------------------------------------------------------

LIVE_DOM = """() => {
    const all = [...document.querySelectorAll('*')];
    return {
        handlers: all.flatMap(e => [...e.attributes].filter(a => /^on/i.test(a.name))
                                          .map(a => e.tagName + ' ' + a.name)),
        scripts: document.scripts.length,
        bad_links: all.flatMap(e => ['href', 'src', 'action', 'formaction', 'data']
            .map(n => e.getAttribute(n) || '')
            .filter(v => /^\\s*(javascript|data|vbscript):/i.test(v))),
    };
}"""


@pytest.mark.browser
@pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")
def test_no_script_runs_in_chromium(injected, browser, tmp_path):
    site, _ = injected
    www = tmp_path / "www"
    shutil.copytree(site, www / "site")
    wrapped = wrap_fragments(www / "site", www / "wrapped", "/site/embed/privacy-docs-embed.css")
    feeds = {path: feed_html(data) for path, data in _outputs(site, "feed.xml").items()}
    recording = recording_context(browser, bypass_csp=True, java_script_enabled=True)
    dialogs, markers, found = [], [], []
    page = recording.context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"),
                                      dialog.dismiss()))
    page.on("console", lambda message: MARKER in message.text and markers.append(page.url))
    visited = 0
    with serve(www) as origin:
        targets = [origin + "site/" + path.removesuffix("index.html")
                   for path in _outputs(site, ".html")] + \
                  [origin + "wrapped/" + path for path in wrapped]
        for url in targets:
            page.goto(url, wait_until="load")
            page.wait_for_timeout(20)  # let error and load handlers of broken images fire
            live = page.evaluate(LIVE_DOM)
            found += [f"{url}: {k}: {v}" for k, v in live.items() if v and k != "scripts"]
            if live["scripts"]:
                found.append(f"{url}: {live['scripts']} script element(s)")
            visited += 1
        # A feed reader shows an entry's HTML inside its own page, without our CSP.
        for path, texts in feeds.items():
            page.set_content("<!DOCTYPE html><title>feed</title>" + "".join(texts))
            page.wait_for_timeout(20)
            found += [f"{path} (as a reader shows it): {k}: {v}"
                      for k, v in page.evaluate(LIVE_DOM).items() if v]
    recording.context.close()
    assert visited > 35
    assert not dialogs, dialogs[:10]
    assert not markers, markers[:10]
    assert not found, "\n".join(found[:40])


@pytest.mark.browser
@pytest.mark.skipif(chromium_missing() is not None, reason=chromium_missing() or "")
def test_a_planted_script_would_be_caught(browser):
    """The browser check itself works: the same probes see a script that does run."""
    recording = recording_context(browser)
    page = recording.context.new_page()
    dialogs, markers = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: MARKER in message.text and markers.append(message.text))
    page.set_content(f"<img src=x onerror=\"console.log('{MARKER}')\">"
                     "<script>alert('XSS')</script>")
    page.wait_for_timeout(50)
    live = page.evaluate(LIVE_DOM)
    recording.context.close()
    assert dialogs == ["XSS"] and markers and live["handlers"] and live["scripts"]
    assert dangers('<a href=" jav&#x09;ascript:x" onclick="y">') == [
        "<a href=' jav\\tascript:x'> script or data address", "<a onclick=...> event handler"]

