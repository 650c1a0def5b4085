"""The site's URL scheme (``generator/render/urls.py``) and the templates' ``url_for()``.

Each kind of link ``url_for`` makes is the URL the templates spelt out before it
(``page.url(lang ~ '/' ~ document ~ '/')`` and the like), from every kind of page:
relative from a version or history page, absolute from the 404 page and a fragment
(both shown at another address) and in the feed; and no template spells a URL out
any more.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from generator.errors import Problems
from generator.render.environment import Renderer
from generator.render.urls import KINDS, Page, path_for
from generator.speed.shared_articles import NeutralPage

from .conftest import ROOT

BASE = "https://example.org/privacy/"
SITE = SimpleNamespace(base_url=BASE)

# kind: (url_for's arguments, the expression the templates wrote before it)
BEFORE = {
    "document": ('"document", "cookies"', "page.url(lang ~ '/' ~ 'cookies' ~ '/')"),
    "version": ('"version", "privacy", "2021-06-01"',
                "page.url(lang ~ '/' ~ 'privacy' ~ '/' ~ '2021-06-01' ~ '/')"),
    "compare": ('"compare", "privacy", "2021-06-01"',
                "page.url(lang ~ '/' ~ 'privacy' ~ '/' ~ '2021-06-01' ~ '/compare/')"),
    "history": ('"history", "cookies"', "page.url(lang ~ '/' ~ 'cookies' ~ '/history/')"),
    "stylesheet": ('"stylesheet"', "page.url('assets/privacy-docs.css')"),
    "alternate": ('"alternate", lang="en"',
                  "page.url(page.alternates['en']|replace('index.html', ''))"),
    "other language": ('"document", "privacy", lang="en"', "page.url('en/privacy/')"),
}
# What each page's links read, by kind, in the order of BEFORE; a fragment has no
# alternates (it is one file, in one language).
PAGES = {
    "version page": (Page.at("nl/privacy/2020-10-01/index.html", "nl"), [
        "../../cookies/", "../2021-06-01/", "../2021-06-01/compare/", "../../cookies/history/",
        "../../../assets/privacy-docs.css", "../../../en/privacy/2020-10-01/",
        "../../../en/privacy/"]),
    "history page": (Page.at("nl/cookies/history/index.html", "nl"), [
        "../", "../../privacy/2021-06-01/", "../../privacy/2021-06-01/compare/", "./",
        "../../../assets/privacy-docs.css", "../../../en/cookies/history/",
        "../../../en/privacy/"]),
    "404 page": (Page.at("nl/404.html", "nl", BASE), [
        BASE + "nl/cookies/", BASE + "nl/privacy/2021-06-01/",
        BASE + "nl/privacy/2021-06-01/compare/", BASE + "nl/cookies/history/",
        BASE + "assets/privacy-docs.css", BASE + "en/404.html", BASE + "en/privacy/"]),
    "fragment": (Page("embed/nl/privacy/2020-10-01.html", "nl", {}, BASE), [
        BASE + "nl/cookies/", BASE + "nl/privacy/2021-06-01/",
        BASE + "nl/privacy/2021-06-01/compare/", BASE + "nl/cookies/history/",
        BASE + "assets/privacy-docs.css", None, BASE + "en/privacy/"]),
}


@pytest.fixture(scope="module")
def env():
    return Renderer(ROOT / "templates", ROOT / "locales", Problems()).envs["nl"]


@pytest.mark.parametrize("name", PAGES)
def test_url_for_links_as_the_templates_did_before_it(env, name):
    page, expected = PAGES[name]
    for (kind, (arguments, before)), url in zip(BEFORE.items(), expected, strict=True):
        if url is None:
            continue
        new = env.from_string(f"{{{{ url_for({arguments}) }}}}").render(page=page, site=SITE)
        old = env.from_string(f"{{{{ {before} }}}}").render(page=page, site=SITE)
        assert new == old == url, (name, kind)


def test_every_kind_from_a_version_page(env):
    """The kinds no template used before have their own expected links."""
    page = Page.at("nl/privacy/2020-10-01/index.html", "nl")
    links = {kind: env.from_string("{{ url_for(kind, 'privacy', '2021-06-01') }}")
             .render(page=page, kind=kind) for kind in KINDS}
    assert links == {
        "home": "../../../", "document": "../", "version": "../2021-06-01/",
        "compare": "../2021-06-01/compare/", "history": "../history/",
        "fragment": "../../../embed/nl/privacy/2021-06-01.html", "feed": "../../feed.xml",
        "stylesheet": "../../../assets/privacy-docs.css",
        "pdf": "../2021-06-01/privacy-2021-06-01-nl.pdf"}
    current = env.from_string("{{ url_for('fragment', 'privacy') }}").render(page=page)
    assert current == "../../../embed/nl/privacy.html"


def test_the_index_links_into_each_language(env):
    index = Page("index.html", "nl", {"nl": "index.html", "en": "index.html"})
    source = "{{ url_for('document', 'cookies', lang='en') }}|{{ url_for('alternate', lang='en') }}"
    assert env.from_string(source).render(page=index) == "en/cookies/|./"


def test_the_feed_links_absolutely_without_a_page(env):
    """The feed is rendered without a page: its links are absolute, as before."""
    pairs = [('"feed"', "{{ site.base_url }}{{ lang }}/feed.xml"),
             ('"history", "privacy"', "{{ site.base_url }}{{ lang }}/privacy/history/"),
             ('"version", "cookies", "2021-06-01"',
              "{{ site.base_url }}{{ lang }}/{{ 'cookies' }}/{{ '2021-06-01' }}/")]
    for arguments, before in pairs:
        new = env.from_string(f"{{{{ url_for({arguments}, absolute=True) }}}}").render(site=SITE)
        assert new == env.from_string(before).render(site=SITE)
    assert new == BASE + "nl/cookies/2021-06-01/"


def test_a_shared_article_gets_a_mark_and_each_page_its_link(env):
    """An article rendered once for all its pages (``speed/shared_articles.py``) links
    through its placeholder page: url_for hands it the path, unchanged."""
    neutral = NeutralPage("nl")
    text = env.from_string('<a href="{{ url_for("document", "privacy") }}">').render(page=neutral)
    assert text == '<a href="\x02@0\x03">'
    assert neutral.links == ["nl/privacy/"]


def test_a_link_it_cannot_make_is_an_error(env):
    with pytest.raises(ValueError, match="no kind of link called 'page'"):
        path_for("page", "nl", "privacy")
    with pytest.raises(ValueError, match="needs a document"):
        path_for("version", "nl", "privacy")
    with pytest.raises(KeyError):  # a page's link, rendered without a page
        env.from_string("{{ url_for('stylesheet') }}").render(site=SITE)


def test_no_template_spells_out_a_url():
    """Every link in a template is made by url_for: none concatenates a path (``lang ~
    '/' ~ ...``), calls ``page.url`` itself or writes a page's path."""
    spelt = re.compile(r"""~\s*['"][^'"]*/|['"][^'"]*/['"]\s*~|page\.url\(|\{\{ lang \}\}/"""
                       r"""|href="(?:nl|en)/""")
    templates = [path for path in (ROOT / "templates").rglob("*")
                 if path.suffix in {".html", ".xml"}]
    assert len(templates) > 15
    for path in templates:
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            assert not spelt.search(line), f"{path.relative_to(ROOT)}:{number}: {line}"
