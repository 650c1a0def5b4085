"""What a reader sees, in Debian's Chromium at 375 and 1280 px, on the shipped content
built on 10 April 2026 (nine days after a version took effect): the first layer, the
change notice, the cookie cards, the comparison's way-marks, the navigation's
aria-current and the embed example's fragment against its hostile host. One load of each
page per width; axe-core on each."""

from __future__ import annotations

import shutil

import pytest

from .browser import AXE, LAUNCH_ARGS, serve  # noqa: F401 (LAUNCH_ARGS: the fixture's)
from .conftest import ROOT, relock, run_build
from .test_browser import AXE_RUN, AXE_TAGS, _missing

pytestmark = [pytest.mark.browser, pytest.mark.skipif(_missing() is not None,
                                                      reason=_missing() or "")]

BUILT_ON = "2026-04-10"
PAGES = ["en/privacy/", "nl/cookies/", "en/privacy/2026-04-01/compare/",
         "nl/privacy/history/", "en/privacy/2020-10-01/", "embed/example.html"]
FACTS = """() => {
  const q = s => document.querySelector(s), all = s => [...document.querySelectorAll(s)];
  const style = (e, names) => e ?
    Object.fromEntries(names.map(n => [n, getComputedStyle(e)[n]])) : null;
  const wrap = q('.pd-table-wrap');
  return {
    width: [document.documentElement.scrollWidth, innerWidth],
    header: q('.site-header')?.getBoundingClientRect().height ?? null,
    // the tops of the navigation's last link and of the language switch: one row
    rows: q('.language-switch') ? [all('.site-nav li').at(-1).getBoundingClientRect().top,
                                   q('.language-switch li').getBoundingClientRect().top] : null,
    // the gaps between consecutive notices, and each notice's padding against its text
    notices: all('.notice').map(n => {
      const next = n.nextElementSibling, s = getComputedStyle(n.firstElementChild ?? n);
      return [next?.matches('.notice') ?
                next.getBoundingClientRect().top - n.getBoundingClientRect().bottom : null,
              n.firstElementChild ? parseFloat(s.marginTop) : 0];
    }),
    facts: all('.pd-categories > li > .pd-retention').map(e => getComputedStyle(e).display),
    wraps: getComputedStyle(document.body).overflowWrap,
    // the footer's version line: lines it takes (its date never broken)
    version: q('.site-footer .pd-version')?.getClientRects().length ?? null,
    countFirst: q('.pd-change-count') && q('.pd-changes') ?
      !!(q('.pd-change-count').compareDocumentPosition(q('.pd-changes'))
         & Node.DOCUMENT_POSITION_FOLLOWING) : null,
    countId: q('.pd-change-count')?.id ?? null,
    current: all('.site-nav [aria-current]').map(a => [a.textContent,
                                                       a.getAttribute('aria-current')]),
    summary: all('.pd-summary dt').length,
    summaryLinks: all('.pd-summary .pd-more a').map(a => a.getAttribute('href')),
    notice: q('.notice-changed, .pd-change-notice')?.textContent ?? null,
    noticeLink: q('.notice-changed a, .pd-change-notice a')?.getAttribute('href') ?? null,
    requests: all('.pd-request').map(a => a.getAttribute('href')),
    table: wrap ? [wrap.scrollWidth, wrap.clientWidth,
                   getComputedStyle(q('.pd-cookie-table tr')).display] : null,
    names: all('.pd-cookie-table tbody th code').map(code => code.getClientRects().length),
    changes: all('.pd-redline [id^="change-"]').length,
    count: q('.pd-change-count')?.textContent ?? null,
    next: all('.pd-next').map(a => a.getAttribute('href')),
    marks: style(q('.pd-redline ins'), ['textDecorationLine', 'color', 'backgroundColor']),
    fragment: {
      toc: style(q('.pd-doc .pd-toc ol'), ['listStyleType']),
      p: style(q('.pd-doc p'), ['textAlign', 'lineHeight', 'fontSize']),
      section: style(q('.pd-doc section.pd-section'), ['borderTopStyle', 'outlineStyle']),
      link: style(q('.pd-doc a'), ['borderBottomStyle', 'textDecorationLine']),
      heading: style(q('.pd-doc section.pd-section > :is(h2, h3)'), ['fontSize']),
    },
  };
}"""


@pytest.fixture(scope="module")
def seen(browser, tmp_path_factory):
    """Each page's facts and axe violations at each width; screenshots kept."""
    work = tmp_path_factory.mktemp("reader")
    shots = tmp_path_factory.mktemp("reader-screenshots")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    www = work / "www"
    with serve(www) as origin:
        site_yaml = content / "site.yaml"
        site_yaml.write_text("".join(f"base_url: {origin}privacy\n"
                                     if line.startswith("base_url:") else line
                                     for line in site_yaml.read_text("utf-8")
                                     .splitlines(keepends=True)), "utf-8")
        relock(content)
        result = run_build("build", "--content", str(content), "--out", str(www / "privacy"),
                           "--today", BUILT_ON)
        assert result.returncode == 0, result.stderr
        context = browser.new_context(bypass_csp=True)
        page = context.new_page()
        page.add_init_script(path=str(AXE))
        found = {}
        for width in (375, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for path in PAGES:
                assert page.goto(f"{origin}privacy/{path}").status == 200
                facts = page.evaluate(FACTS)
                facts["axe"] = [v["id"] for v in page.evaluate(AXE_RUN, AXE_TAGS)]
                found[(path, width)] = facts
                page.screenshot(path=shots / f"{path.replace('/', '_')}-{width}.png",
                                full_page=True)
        context.close()
    return found


WIDTHS = [375, 1280]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_scrolls_sideways_and_axe_finds_nothing(seen, width):
    for path in PAGES:
        facts = seen[(path, width)]
        assert facts["width"][0] <= facts["width"][1], path
        assert facts["axe"] == [], path


@pytest.mark.parametrize("width", WIDTHS)
def test_the_first_layer_links_to_the_full_sections(seen, width):
    facts = seen[("en/privacy/", width)]
    assert facts["summary"] == 5
    assert {"#controller", "#purposes", "#recipients", "#data-categories", "#rights",
            "#complaints"} <= set(facts["summaryLinks"])
    assert len(facts["requests"]) == 6
    assert all(r.startswith("mailto:privacy@mkbserviceshop.nl?subject=")
               for r in facts["requests"])


@pytest.mark.parametrize("width", WIDTHS)
def test_the_current_page_and_fragment_say_what_changed(seen, width):
    facts = seen[("en/privacy/", width)]
    assert facts["notice"].strip().startswith("Changed on 1 April 2026")
    assert facts["noticeLink"] == "2026-04-01/compare/"
    hosted = seen[("embed/example.html", width)]
    assert "Gewijzigd op 1 april 2026" in hosted["notice"]
    assert seen[("en/privacy/2020-10-01/", width)]["notice"] is None


def test_cookies_are_cards_on_a_phone_and_a_table_on_a_wide_screen(seen):
    narrow, wide = seen[("nl/cookies/", 375)], seen[("nl/cookies/", 1280)]
    assert narrow["table"][2] == "block" and wide["table"][2] == "table-row"
    for facts in (narrow, wide):
        assert facts["table"][0] <= facts["table"][1]  # nothing scrolls inside the box
        assert facts["names"] and all(n == 1 for n in facts["names"])  # one line each


@pytest.mark.parametrize("width", WIDTHS)
def test_the_comparison_goes_from_change_to_change(seen, width):
    facts = seen[("en/privacy/2026-04-01/compare/", width)]
    assert facts["changes"] > 10 and facts["count"].startswith(f"{facts['changes']} passages")
    assert facts["next"][:2] == ["#change-2", "#change-3"] and facts["next"][-1] == "#changes"
    # the count is at the top, before the summary's list, and the last change links to it
    assert facts["countFirst"] is True and facts["countId"] == "changes"
    assert facts["marks"]["textDecorationLine"] == "underline"


@pytest.mark.parametrize("width", WIDTHS)
def test_navigation_marks_the_page_shown(seen, width):
    assert seen[("en/privacy/", width)]["current"] == [["Privacy statement", "page"]]
    assert seen[("nl/privacy/history/", width)]["current"] == [["Versies en wijzigingen", "page"]]
    for path in ("en/privacy/2020-10-01/", "en/privacy/2026-04-01/compare/"):
        assert seen[(path, width)]["current"] == [["Versions and changes", "true"]], path


def test_the_header_on_a_phone_is_low(seen):
    for path in PAGES[:5]:
        facts = seen[(path, 375)]
        assert facts["header"] <= 100, path
        assert facts["version"] in (None, 1), path  # the footer's "Version of <date>" whole
        last_link, switch = facts["rows"]
        assert abs(last_link - switch) < 8, path  # on the links' last row (a row: 21 px)


@pytest.mark.parametrize("width", WIDTHS)
def test_notices_are_spaced_and_category_facts_on_lines_of_their_own(seen, width):
    notices = seen[("en/privacy/2020-10-01/", width)]["notices"]
    assert len(notices) >= 3  # superseded, reconstructed, corrected after publication
    assert all(gap is None or gap >= 12 for gap, _ in notices), notices
    assert all(inner == 0 for _, inner in notices), notices
    facts = seen[("en/privacy/", width)]
    assert facts["facts"] and set(facts["facts"]) == {"block"}
    assert facts["wraps"] == "break-word"  # a long URL in an address wraps on a phone


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hostile_host_does_not_reach_into_the_fragment(seen, width):
    fragment = seen[("embed/example.html", width)]["fragment"]
    assert fragment["toc"] == {"listStyleType": "decimal"}
    assert fragment["p"]["textAlign"] == "left"
    assert float(fragment["p"]["lineHeight"].removesuffix("px")) >= \
        1.5 * float(fragment["p"]["fontSize"].removesuffix("px"))
    assert fragment["section"] == {"borderTopStyle": "none", "outlineStyle": "none"}
    assert fragment["link"] == {"borderBottomStyle": "none", "textDecorationLine": "underline"}
    # its headings stand out from its text, whatever size the host gives its own text
    assert float(fragment["heading"]["fontSize"].removesuffix("px")) >= \
        1.2 * float(fragment["p"]["fontSize"].removesuffix("px"))
