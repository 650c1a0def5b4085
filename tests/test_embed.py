"""Embeddable fragments: no page chrome, scoped classes, stable anchors, heading level."""

from __future__ import annotations

import re

from .conftest import TODAY, run_build

DOCS = ("privacy", "cookies")


def test_fragments_for_every_document_and_version(built_site):
    for lang in ("nl", "en"):
        for doc in DOCS:
            current = (built_site / f"embed/{lang}/{doc}.html").read_text()
            assert current == (built_site / f"embed/{lang}/{doc}/2026-04-01.html").read_text()
            # the 2020 version has no cookie statement: no fragment of one
            assert (built_site / f"embed/{lang}/{doc}/2020-10-01.html").exists() == (
                doc == "privacy")
            for html in (current,):
                assert html.lstrip().startswith(f'<article class="pd-doc pd-{doc}" lang="{lang}">')
                assert not re.search(r"<(html|head|body|style|link|script)[\s>]", html)
                classes = {c for attr in re.findall(r'class="([^"]+)"', html) for c in attr.split()}
                assert all(c.startswith("pd-") for c in classes), classes
                assert 'href="../' not in html  # links are absolute on a host page


def test_anchors_are_identical_across_languages_and_versions(built_site):
    def anchors(path):
        return set(re.findall(r'id="((?:purpose|category|recipient|cookie)-[^"]+)"',
                              (built_site / path).read_text()))
    nl_old = anchors("embed/nl/privacy/2020-10-01.html")
    assert anchors("embed/en/privacy/2020-10-01.html") == nl_old
    assert "purpose-order-processing" in nl_old
    assert nl_old <= anchors("embed/nl/privacy/2026-04-01.html")  # no anchor was renamed
    assert anchors("embed/nl/cookies.html") == anchors("embed/en/cookies.html")
    assert "cookie-_pk_id" in anchors("embed/nl/cookies.html")


def test_heading_level_option(tmp_path):
    out = tmp_path / "site"
    result = run_build("build", "--out", str(out), "--today", TODAY,
                       "--fragment-heading-level", "3")
    assert result.returncode == 0, result.stderr
    html = (out / "embed/nl/privacy.html").read_text()
    assert re.search(r"<header[^>]*>\s*<h3>", html)
    assert "<h1" not in html and "<h2" not in html
    levels = {int(n) for n in re.findall(r"<h([1-6])", html)}
    assert min(levels) == 3
    page = (out / "nl/privacy/index.html").read_text()
    assert "<h1>Privacyverklaring MKB serviceshop</h1>" in page  # full pages keep h1


def test_embed_stylesheet_is_scoped(built_site):
    css = re.sub(r"/\*.*?\*/", "", (built_site / "embed/privacy-docs-embed.css").read_text(),
                 flags=re.S)
    selectors = re.findall(r"(^|})\s*([^{}]+)\{", css)
    for _, group in selectors:
        if group.strip().startswith("@"):  # an at-rule (@media, @container): its rules follow
            continue
        for selector in re.split(r",(?![^()]*\))", group):  # not the commas in :is(...)
            # inside the fragment; the host's documented wrapper may come first
            assert selector.strip().removeprefix(".pd-without-summary ").startswith(
                ".pd-doc"), selector


def test_sitemap_lists_every_page_with_alternates(built_site):
    import xml.etree.ElementTree as ET
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built_site / "sitemap.xml").getroot()
    base = "https://www.mkbserviceshop.nl/privacy/"
    listed = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    pages = {base + str(p.relative_to(built_site).parent).replace(".", "") + "/"
             for p in built_site.rglob("index.html")}
    pages = {p.replace(base + "/", base) for p in pages}
    assert set(listed) == pages
    entry = listed[base + "nl/privacy/2020-10-01/"]
    links = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", ns)}
    assert links == {"nl": base + "nl/privacy/2020-10-01/", "en": base + "en/privacy/2020-10-01/"}


def test_404_pages_use_absolute_links(built_site):
    for lang in ("nl", "en"):
        html = (built_site / f"{lang}/404.html").read_text()
        assert 'href="https://www.mkbserviceshop.nl/privacy/assets/privacy-docs.css"' in html
        assert f'href="https://www.mkbserviceshop.nl/privacy/{lang}/privacy/"' in html


def test_example_host_page_embeds_the_current_fragment(built_site):
    example = (built_site / "embed/example.html").read_text()
    fragment = (built_site / "embed/nl/privacy.html").read_text()
    assert fragment.strip() in example
    assert re.search(r"<style>.*\* \{ box-sizing: content-box; \}.*h2 \{ color: red;.*</style>",
                     example, re.S)
    assert example.index("privacy-docs-embed.css") < example.index("<style>")  # host CSS last
