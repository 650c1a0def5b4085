"""The comparison of two articles, block by block and word by word."""

from __future__ import annotations

import difflib
import re

import cydifflib
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import redline as redline_module
from generator.render.redline import compare


def redline(old: str, new: str) -> str:
    return str(compare(old, new)[0])


def test_a_changed_word_is_deleted_and_inserted():
    assert redline("<p>Wij bewaren het 13 maanden.</p>", "<p>Wij bewaren het 12 maanden.</p>") \
        == '<p class="pd-redline-p">Wij bewaren het <del>13</del> <ins>12</ins> maanden.</p>'


def test_text_added_to_a_block_is_only_inserted():
    """The block's last word has no space after it; it still matches (was: deleted and
    inserted again)."""
    assert redline("<li>Ordergegevens (Datum, Aantal en transactiegegevens)</li>",
                   "<li>Ordergegevens (Datum, Aantal en transactiegegevens) Bewaartermijn: "
                   "7 jaar.</li>") == (
        '<p class="pd-redline-li">Ordergegevens (Datum, Aantal en transactiegegevens) '
        "<ins>Bewaartermijn: 7 jaar.</ins></p>")


def test_a_block_rewritten_entirely_is_replaced_whole():
    assert redline("<p>Wij verkopen uw gegevens niet aan derden.</p>",
                   "<p>Contact opnemen kan via het formulier op de website.</p>") == (
        '<p class="pd-redline-p"><del>Wij verkopen uw gegevens niet aan derden.</del> '
        "<ins>Contact opnemen kan via het formulier op de website.</ins></p>")


def test_blocks_added_and_removed_are_counted():
    marked, inserted, deleted = compare("<h2>Een</h2><p>Twee.</p>",
                                        "<h2>Een</h2><p>Drie is nieuw hier.</p><p>Vier.</p>")
    assert '<h3 class="pd-redline-h2">Een</h3>' in marked
    assert (inserted, deleted) == (2, 1)
    assert "<ins>Vier.</ins>" in marked


# --- the quick scan reads blocks exactly as the standard library's parser ------------

def _by_html_parser(html: str):
    from generator.render.redline import _Blocks
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return tuple(parser.blocks), not parser._stack


TRICKY = [
    '<p title="a > b">Eén &amp; twee&nbsp;drie</p>',
    "<p class='x>y'>quoted with single quotes</p><li>item<br/>next<BR>line</li>",
    '<TABLE><TR><TD>cel</TD><TH>kop</TH></TR></TABLE><H2 id="x">Kop</H2>',
    "<p>a &lt; b &gt; c &#233; &#x20AC; &unknown; & loose</p>",
    "<p>niet gesloten <strong>vet</strong>",
    "<li>buiten</p> binnen</li><p>tekst &lt; geen tag</p>",
    "<p>\n  veel\t\twit   ruimte \u00a0 </p><address>Straat 1<br>Plaats</address>",
    "<p>lege</p><p>   </p><caption>bijschrift</caption><h6>zes</h6>",
    '<a href="https://example.org/?a=1&amp;b=2">link</a><p><a href="x">in</a> blok</p>',
]
STRAY = ["<p>tekst < geen tag</p>", "<p>a<b</p>", '<p><https://x.nl/" onmouseover="y></p>',
         "<p id=unquoted>x</p>", "<p a='1'b>x</p>"]


def test_the_quick_scan_reads_as_the_html_parser(built_site):
    """Every block the comparison reads: the articles of the shipped site, texts through
    Markdown and the sanitiser or escaped as templates do, with the XSS corpus."""
    from pathlib import Path

    from markupsafe import escape

    from generator.render.redline import _parse, _scan
    from generator.render.text import MarkdownConverter
    corpus = Path(__file__).parent / "xss_corpus.txt"
    payloads = [line for line in corpus.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#:")]
    markdown = MarkdownConverter()
    articles = [path.read_text(encoding="utf-8") for path in built_site.rglob("embed/**/*.html")
                if path.name != "example.html"]  # a host page, not an article
    texts = [f"<li>{markdown(payload)}</li><p>{escape(payload)}</p>" for payload in payloads]
    assert articles and texts
    for html in TRICKY + articles + texts:
        assert _scan(html) is not None, html  # read by the quick scan
        assert _parse(html) == _by_html_parser(html), html
    for html in STRAY:  # a '<' the scan does not read as a tag: the standard parser reads it
        assert _scan(html) is None
        assert _parse(html) == _by_html_parser(html), html


# Words and blocks repeat (``de``, ``en``, the same paragraph in two places): small
# alphabets make every tie that difflib breaks by position show up.
_sequences = st.lists(st.sampled_from("abcde") | st.text(max_size=3), max_size=40)


@settings(max_examples=400)
@given(_sequences, _sequences)
def test_cydifflib_matches_as_the_standard_library_does(a, b):
    """The comparison's matcher is cydifflib's; it must find exactly difflib's matches
    (the same blocks, so the same redline), ties included."""
    ours = cydifflib.SequenceMatcher(None, a, b, autojunk=False)
    stdlib = difflib.SequenceMatcher(None, a, b, autojunk=False)
    assert ours.get_matching_blocks() == stdlib.get_matching_blocks()
    assert ours.get_opcodes() == stdlib.get_opcodes()


def test_cydifflib_on_long_texts_with_repeats():
    words = ("de klant en de winkel en de bezorger " * 60).split()
    edited = words[:100] + ["niet"] + words[103:250] + words[10:40] + words[250:]
    for a, b in ((words, edited), (edited, words), (words, words[::-1])):
        ours = cydifflib.SequenceMatcher(None, a, b, autojunk=False)
        assert ours.get_opcodes() == \
            difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()


@given(st.text(alphabet=st.sampled_from(" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u1680\u2003\u2028"
                                        "\u200b\u3000\ufeffab<&")))
def test_a_blocks_spaces_are_put_as_a_regular_expression_would(text):
    """A block's text: runs of white space as one space, none at the ends, as
    ``re.sub(r"\\s+", " ", text).strip()`` (``redline._end`` splits instead)."""
    stack, found = [("p", [text])], []
    redline_module._end(stack, found, "p")
    expected = re.sub(r"\s+", " ", text).strip()
    assert found == ([("p", expected)] if expected else [])
