"""The build's work grows at most linearly with the history; Markdown is converted once.

On synthetic content (``benchmarks/synthetic.py``, with 12 purposes a version
to keep the suite fast) of 1, 50 and 250 versions, the work is counted
(values built from YAML, template renders, Markdown conversions, text
comparisons, change lists, PDFs, output bytes): what a further version costs from 50
to 250 versions must not exceed what it cost up to 50, with a small margin.
Work no counter sees is caught by the build's CPU time, the only measurement:
compared with itself (the cost per version late against early, measured in the
same test), never with a fixed bound, and with a generous margin, as a busy
machine slows a build by more than any count varies (quadratic work would
still cost five times more per version at 250).
"""

from __future__ import annotations

import re
import time
from collections import Counter, OrderedDict
from datetime import date

import pytest

from benchmarks.synthetic import generate
from generator.content import yaml_values
from generator.content.model import build_site
from generator.pipeline import Project, load_and_validate, render
from generator.render import article_blocks, changes, redline
from generator.render.environment import Renderer
from generator.render.text import MarkdownConverter
from generator.speed import pdf_store
from generator.speed.session import Speedups

from .conftest import ROOT, TODAY

ONE, SMALL, LARGE = 1, 50, 250


def build_counting(tmp_path, monkeypatch, versions: int) -> tuple[Counter, Renderer]:
    """Build synthetic content of ``versions`` versions in memory, counting the work."""
    content = generate(tmp_path / f"content-{versions}", versions=versions, purposes=12)
    work: Counter = Counter()

    def counted(name, function):
        def wrapper(*args, **kwargs):
            work[name] += 1
            return function(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(Renderer, "render", counted("renders", Renderer.render))
    monkeypatch.setattr(redline, "compare", counted("comparisons", redline.compare))
    monkeypatch.setattr(changes, "document_changes",
                        counted("change lists", changes.document_changes))
    monkeypatch.setattr(yaml_values._Builder, "build",
                        counted("values built", yaml_values._Builder.build))
    # each PDF's HTML is made, but not laid out: WeasyPrint's layout costs the same per
    # page however long the history (docs/performance.md), and a thousand layouts would
    # take this test minutes; test_pdf.py and test_plain.py lay them out
    monkeypatch.setattr(pdf_store, "_MEMORY", OrderedDict())
    monkeypatch.setattr(pdf_store, "lay_out", lambda htmls: (
        work.update(pdfs=len(htmls)) or [b"%PDF- not laid out"] * len(htmls)))
    project = Project.at(ROOT, content=content)
    started = time.process_time()
    # read in pieces, validated ahead, as the command line does; afresh (a new
    # ``Speedups``), not after the previous build's files
    speed = Speedups()
    valid = load_and_validate(project, speed=speed)
    site = build_site(valid, date.fromisoformat(TODAY), drafts=False)
    files, renderer = render(project, site, speed=speed)
    work["cpu ms"] = round((time.process_time() - started) * 1000)
    monkeypatch.undo()
    work["conversions"] = renderer.markdown.conversions
    work["output bytes"] = sum(len(data) for data in files.values())
    work["entries"] = sum(len(site.history(d)) for d in site.histories)
    return work, renderer


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    try:
        return [build_counting(tmp_path_factory.mktemp("work"), monkeypatch, versions)[0]
                for versions in (ONE, SMALL, LARGE)]
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("unit, margin", [
    ("values built", 1.5), ("renders", 1.5), ("comparisons", 1.5), ("change lists", 1.5),
    ("conversions", 1.5), ("output bytes", 1.5), ("pdfs", 1.0), ("cpu ms", 4.0)])
def test_work_grows_at_most_linearly(measured, unit, margin):
    """What each further version costs does not grow with the length of the history."""
    one, small, large = measured
    assert large["entries"] == LARGE // SMALL * small["entries"]  # every version changes both
    early = (small[unit] - one[unit]) / (SMALL - ONE)
    late = (large[unit] - small[unit]) / (LARGE - SMALL)
    assert late <= margin * early + 1, (
        f"{unit}: {one[unit]}, {small[unit]}, {large[unit]} at {ONE}, {SMALL}, {LARGE} "
        f"versions; a version costs {early:.0f} early, {late:.0f} late: more than linear")


def test_comparisons_only_between_consecutive_versions(measured):
    for work in measured:
        pairs = work["entries"] - 2  # per document, every entry but the first
        assert work["change lists"] == pairs
        assert work["comparisons"] == 2 * pairs  # once per language
        assert work["pdfs"] == 2 * work["entries"]  # a PDF per entry and language


def test_markdown_converted_once_per_distinct_text_per_language(tmp_path, monkeypatch):
    seen: Counter = Counter()
    convert = MarkdownConverter.__call__

    def recording(self, text):
        seen[text] += 1
        return convert(self, text)

    monkeypatch.setattr(MarkdownConverter, "__call__", recording)
    work, renderer = build_counting(tmp_path, monkeypatch, 10)
    assert renderer.markdown.conversions == len(seen)  # one conversion per distinct text
    assert sum(seen.values()) > 5 * len(seen)  # while texts are asked for many times over
    # the texts of the first version, then only what changed: far below ten statements' worth
    first, rest = build_counting(tmp_path / "one", monkeypatch, 1)[0], work
    assert rest["conversions"] < 2 * first["conversions"]


def test_comparison_parses_each_piece_once_with_the_same_result(built_site):
    """Articles are parsed piecewise (shared pieces once); the blocks equal a whole parse."""
    article_blocks._piece.cache_clear()
    articles = [re.search(r"<article.*</article>", page.read_text("utf-8"), re.S).group(0)
                for page in sorted(built_site.glob("*/*/20*/index.html"))]
    assert len(articles) >= 6  # privacy 2020 and 2026, cookies 2026, in nl and en
    for article in articles:
        assert article_blocks.blocks(article) == article_blocks._parse(article)[0]
    assert article_blocks._piece.cache_info().hits  # pieces the two versions share: parsed once
    # a piece ending inside a block: the article is parsed whole
    odd = "<ul><li>one\n<h3>two</h3> three</li></ul>"
    assert article_blocks._piece("<ul><li>one") is None
    assert article_blocks.blocks(odd) == article_blocks._parse(odd)[0] == (
        ("li", "one"), ("h3", "two"), ("li", "three"))  # a list item without an id: no level
    # a comment or raw-text element hiding a boundary: the article is parsed whole
    for hidden in ("<!--\n<section>x</section>-->", "<SCRIPT>\n<h2>x</h2></script>",
                   "<textarea>\n<h2>x</h2></textarea>", "<title>\n<h2>x</h2></title>"):
        html = f"<p>before</p>{hidden}\n<h2>after</h2><p>end</p>"
        assert len(article_blocks._PIECE.split(html)) > 2
        assert article_blocks.blocks(html) == article_blocks._parse(html)[0]
        if hidden.startswith(("<!--", "<SCRIPT")):  # html.parser reads them as text
            assert ("h2", "x") not in article_blocks.blocks(html)
