"""Every built page in Debian's Chromium: axe-core, links, language switch, requests,
narrow and wide screens, and the isolation of a fragment on a hostile host page.

The site is built for and served at http://127.0.0.1:N/privacy/ (``local_site``);
fragments are checked wrapped in a minimal host document. One browser and one
context for the module; each page is visited once per width (``crawl``), and the
tests assert on what that visit recorded.
"""

from __future__ import annotations

import importlib.util
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urldefrag

import pytest

from .browser import AXE, chromium_missing, recording_context


def _missing() -> str | None:
    if importlib.util.find_spec("pytest_playwright") is None:
        return "playwright is missing: pip install -e '.[test]' (or run .ci/run)"
    return chromium_missing() or (None if AXE.exists() else
                                  f"{AXE} is missing: run `npm ci` (or .ci/run)")


pytestmark = [pytest.mark.browser, pytest.mark.skipif(_missing() is not None,
                                                      reason=_missing() or "")]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
AXE_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags},
                                       resultTypes: ['violations']}).then(r =>
    r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                           nodes: v.nodes.map(n => n.target.join(' '))})))"""
FACTS = """() => ({
    links: [...document.querySelectorAll('[href], [src]')].map(e => e.href || e.src),
    ids: [...document.querySelectorAll('[id]')].map(e => e.id),
    lang: document.documentElement.lang,
    switch: document.querySelector('.language-switch a')?.href ?? null,
    scroll: [document.documentElement.scrollWidth, window.innerWidth],
})"""
WIDTHS = {"narrow": 375, "wide": 1280}


@dataclass
class Visit:
    """What one page showed: axe violations, links, ids, language switch, widths."""
    path: str
    url: str
    status: int
    violations: list = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    lang: str = ""
    switch: str | None = None
    scroll: dict[int, tuple[int, int]] = field(default_factory=dict)  # width -> (scroll, inner)


@pytest.fixture(scope="module")
def recording(browser):
    # bypass_csp lets axe's script tag in; the pages' CSP itself is another test's concern
    recording = recording_context(browser, bypass_csp=True)
    yield recording
    recording.context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def crawl(recording, local_site, screenshots) -> dict[str, Visit]:
    """Every HTML output (fragments wrapped), loaded once at 1280 px, then narrowed to 375 px;
    axe-core, the page's facts and a screenshot at each width."""
    page = recording.context.new_page()
    page.add_init_script(path=str(AXE))  # quicker than a script tag after each load
    visits = {}
    for path in local_site.html_files():
        url = local_site.url(path)
        page.set_viewport_size({"width": WIDTHS["wide"], "height": 800})
        response = page.goto(url)
        facts = page.evaluate(FACTS)
        visit = Visit(path, url, response.status if response else 0, [], facts["links"],
                      set(facts["ids"]), facts["lang"], facts["switch"])
        for width in (WIDTHS["wide"], WIDTHS["narrow"]):
            page.set_viewport_size({"width": width, "height": 800})
            visit.scroll[width] = tuple(page.evaluate(FACTS)["scroll"])
            visit.violations += [{**v, "width": width}
                                 for v in page.evaluate(AXE_RUN, AXE_TAGS)]
            page.screenshot(path=screenshots / f"{path.replace('/', '_')}-{width}.png")
        visits[url] = visit
    page.close()
    return visits


def test_every_page_is_served(crawl, local_site):
    assert len(crawl) == len(local_site.html_files()) > 25
    assert all(visit.status == 200 for visit in crawl.values())
    assert {"index.html", "nl/404.html", "embed/example.html",
            "embed/en/cookies/2026-04-01.html"} <= {visit.path for visit in crawl.values()}


def test_no_axe_violations_on_any_page(crawl):
    found = [f"{visit.path} at {v['width']} px: {v['id']} ({v['impact']}): {v['help']}: "
             f"{v['nodes'][:3]}"
             for visit in crawl.values() for v in visit.violations]
    assert not found, "\n".join(found)


def test_every_internal_link_resolves(crawl, local_site):
    broken, checked = [], {}
    for visit in crawl.values():
        for link in visit.links:
            if not link.startswith(local_site.origin):
                continue  # mailto: and other hosts' pages are not ours to check
            target, anchor = urldefrag(link)
            if target not in checked:
                try:
                    with urllib.request.urlopen(target, timeout=10) as response:
                        checked[target] = response.status
                except urllib.error.HTTPError as error:
                    checked[target] = error.code
            if checked[target] != 200:
                broken.append(f"{visit.path}: {link} answers {checked[target]}")
            elif anchor and anchor not in (crawl[target].ids if target in crawl else ()):
                broken.append(f"{visit.path}: {link}: no element with id '{anchor}'")
    assert not broken, "\n".join(broken)
    assert len(checked) > 30


def test_language_switch_keeps_the_version(crawl, recording):
    page = recording.context.new_page()
    switched = 0
    for visit in crawl.values():
        if visit.switch is None:
            continue
        other = "en" if visit.lang == "nl" else "nl"
        page.goto(visit.url)
        with page.expect_navigation():
            page.click(".language-switch a")
        expected = visit.url.replace(f"/{visit.lang}/", f"/{other}/", 1)
        assert page.url == expected, visit.path
        landed = crawl[expected]
        assert landed.lang == other and landed.switch == visit.url, visit.path
        # anchors come from the model's ids: the same version has the same ones in each
        # language; a comparison's changes (change-N) are counted per language (a text
        # may change in one language only)
        def model_ids(ids):
            return {i for i in ids if not i.startswith("change-")}
        assert model_ids(landed.ids) == model_ids(visit.ids), visit.path
        switched += 1
    page.close()
    assert switched == sum(v.path.startswith(("nl/", "en/")) and v.path.endswith("index.html")
                           for v in crawl.values()) >= 15


def test_no_request_leaves_127_0_0_1(crawl, recording, local_site):
    assert recording.requests
    assert not recording.outside, recording.outside
    assert all(url.startswith(local_site.origin) for url in recording.requests)


def test_a_request_to_another_host_would_be_caught(browser, local_site):
    probe = recording_context(browser, bypass_csp=True)  # else the pages' CSP stops it first
    page = probe.context.new_page()
    page.goto(local_site.url("index.html"))
    page.set_content('<img src="https://example.org/pixel.png" alt="">')
    page.wait_for_load_state()
    probe.context.close()
    assert probe.outside == ["https://example.org/pixel.png"]


@pytest.mark.parametrize("width", WIDTHS.values())
def test_no_horizontal_scrolling(crawl, screenshots, width):
    too_wide = [f"{visit.path}: {visit.scroll[width][0]} px wide in a {width} px window"
                for visit in crawl.values() if visit.scroll[width][0] > visit.scroll[width][1]]
    assert not too_wide, "\n".join(too_wide)
    assert len(list(screenshots.glob(f"*-{width}.png"))) == len(crawl)


# -- embed/example.html: a host page with hostile CSS around a fragment --------------------

HEADING_STYLE = ["color", "font-family", "font-size", "font-weight", "font-style",
                 "text-transform", "letter-spacing", "text-decoration-line", "line-height"]
# Computed values that follow the fragment's size, not any rule about the element itself.
SIZE_DEPENDENT = {"height", "block-size", "perspective-origin", "transform-origin"}
# [name, {property: computed value}] of the elements matching a selector, inside the
# fragment (true), outside it (false) or both (null); all properties when names is null.
STYLES = """([selector, names, inside]) => [...document.querySelectorAll(selector)]
    .filter(e => inside === null || inside === !!e.closest('.pd-doc'))
    .map(e => {
        const s = getComputedStyle(e);
        const values = (names || [...s]).map(n => [n, s.getPropertyValue(n)]);
        return [e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className,
                Object.fromEntries(values)];
    })"""
DISABLE = """selector => document.querySelectorAll(selector)
    .forEach(e => { e.sheet.disabled = true; })"""


@pytest.fixture
def example(recording, local_site):
    page = recording.context.new_page()
    response = page.goto(local_site.url("embed/example.html"))
    assert response.status == 200
    yield page
    page.close()


def test_host_css_does_not_change_the_fragments_headings(example):
    headings = ".pd-doc :is(h1, h2, h3, h4, h5, h6)"
    hosted = example.evaluate(STYLES, [headings, HEADING_STYLE, None])
    assert len(hosted) > 20
    fragment = example.evaluate(STYLES, [".pd-doc", ["color", "font-family"], None])
    host_h2 = example.evaluate(STYLES, ["h2.host-after", ["color"], False])
    assert host_h2[0][1]["color"] == "rgb(255, 0, 0)"  # the host's CSS is in force around it
    assert all(box == {"box-sizing": "border-box"} for _, box in
               example.evaluate(STYLES, [".pd-doc, .pd-doc *", ["box-sizing"], None]))
    example.evaluate(DISABLE, "style")
    assert example.evaluate(STYLES, ["h2.host-after", ["color"], False]) != host_h2
    assert example.evaluate(STYLES, [headings, HEADING_STYLE, None]) == hosted
    assert example.evaluate(STYLES, [".pd-doc", ["color", "font-family"], None]) == fragment


def test_fragment_css_changes_nothing_outside_it(example):
    outside = example.evaluate(STYLES, ["*", None, False])
    assert {name.split(".")[0] for name, _ in outside} >= {"HTML", "BODY", "MAIN", "H1", "H2", "P"}
    fragment = example.evaluate(STYLES, [".pd-doc", ["font-family"], None])
    example.evaluate(DISABLE, "link[rel=stylesheet]")
    assert example.evaluate(STYLES, [".pd-doc", ["font-family"], None]) != fragment  # it was on
    without = example.evaluate(STYLES, ["*", None, False])
    assert [name for name, _ in without] == [name for name, _ in outside]
    changed = [f"{name} {prop}: {style[prop]} -> {after[prop]}"
               for (name, style), (_, after) in zip(outside, without, strict=True)
               for prop in style if prop not in SIZE_DEPENDENT and style[prop] != after[prop]]
    assert not changed, "\n".join(changed)
