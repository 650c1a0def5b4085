"""The comparison of two articles, block by block and word by word."""

from __future__ import annotations

import difflib
import re

import cydifflib
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.render import article_blocks as redline_module
from generator.render.redline import compare


def redline(old: str, new: str) -> str:
    return str(compare(old, new)[0])


def test_a_changed_word_is_deleted_and_inserted():
    assert redline("<p>Wij bewaren het 13 maanden.</p>", "<p>Wij bewaren het 12 maanden.</p>") \
        == ('<p class="pd-redline-p" id="change-1">Wij bewaren het <del>13</del> <ins>12</ins> '
            "maanden.</p>")


def test_text_added_to_a_block_is_only_inserted():
    """The block's last word has no space after it; it still matches (was: deleted and
    inserted again)."""
    assert redline("<li>Ordergegevens (Datum, Aantal en transactiegegevens)</li>",
                   "<li>Ordergegevens (Datum, Aantal en transactiegegevens) Bewaartermijn: "
                   "7 jaar.</li>") == (
        '<ul class="pd-redline-list">\n<li class="pd-redline-li" id="change-1">'
        "Ordergegevens (Datum, Aantal en transactiegegevens) "
        "<ins>Bewaartermijn: 7 jaar.</ins></li>\n</ul>")


def test_a_block_rewritten_entirely_is_replaced_whole():
    assert redline("<p>Wij verkopen uw gegevens niet aan derden.</p>",
                   "<p>Contact opnemen kan via het formulier op de website.</p>") == (
        '<p class="pd-redline-p" id="change-1">'
        "<del>Wij verkopen uw gegevens niet aan derden.</del> "
        "<ins>Contact opnemen kan via het formulier op de website.</ins></p>")


def test_blocks_added_and_removed_are_counted():
    marked, inserted, deleted = compare("<h2>Een</h2><p>Twee.</p>",
                                        "<h2>Een</h2><p>Drie is nieuw hier.</p><p>Vier.</p>")
    assert '<h3 class="pd-redline-h2">Een</h3>' in marked
    assert (inserted, deleted) == (2, 1)
    assert "<ins>Vier.</ins>" in marked


# --- the quick scan reads blocks exactly as the standard library's parser ------------

def _by_html_parser(html: str):
    from generator.render.article_blocks import _Blocks
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    reader = parser.reader
    return (tuple(item for item in reader.blocks if item is not None),
            not reader.stack and not reader.lists)


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

    from generator.render.article_blocks import _parse, _scan
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


# Markup as a sequence of pieces, nested or not, with and without ids, stray ends and
# the newline before a heading at which articles are cut into pieces.
_MARKUP = st.lists(st.sampled_from([
    "<section id=s>", "<section>", "</section>", "<div id=d>", "<div>", "</div>",
    "<ul>", "</ul>", "<li id=l>", "<li>", "</li>", "<tr>", "</tr>", "<p>", "</p>",
    "tekst ", "\n<h2>kop</h2>", "\n<section id=t>", "\n<section>", "\n</section>"]),
    max_size=30).map("".join)


@settings(max_examples=400)
@given(_MARKUP)
def test_elements_left_out_without_an_id_leave_the_tree_as_it_was(html):
    """Items of elements without an id are left out where they add nothing, and parts
    whose elements close within them are read once: the tree the comparison reads is
    the one every item gives, read whole, piece by piece or part by part."""
    from unittest import mock

    from generator.render.article_blocks import _Keyed, _parse, blocks
    from generator.render.redline import _tree, tree
    with mock.patch.object(_Keyed, "keep_all", True):
        every = _parse(html)[0]
    assert tree(html) == _tree(_parse(html)[0]) == _tree(blocks(html)) == _tree(every)
    assert len(_parse(html)[0]) <= len(every)


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
    ``re.sub(r"\\s+", " ", text).strip()`` (``article_blocks._flush`` splits instead)."""
    found = []
    redline_module._flush(["p", "p", [text], None, []], found)
    expected = re.sub(r"\s+", " ", text).strip()
    assert found == ([("p", expected)] if expected else [])


# --- aligned by identity: sections, purposes, categories, recipients, cookies --------

def _article(*sections: tuple[str, str, str]) -> str:
    """An article as the templates write one: numbered sections, each with its id."""
    return "\n".join(f'<section class="pd-section" id="{key}">\n<h2>{n}. {title}</h2>\n'
                     f"<p>{text}</p>\n</section>"
                     for n, (key, title, text) in enumerate(sections, start=1))


A = ("controller", "Wie zijn wij?", "MKB serviceshop verkoopt aan bedrijven.")
B = ("purposes", "Doelen", "Wij verwerken uw gegevens voor uw bestelling.")
C = ("rights", "Uw rechten", "U kunt ons om inzage vragen.")
X = ("security", "Beveiliging", "Wij versleutelen uw gegevens.")


def _marked(html: str) -> list[str]:
    """The changed places of a redline, as text with [+inserted+] and [-deleted-]."""
    out = []
    for line in html.splitlines():
        line = re.sub(r' <a class="pd-next"[^>]*>.*?</a>', "", line)  # the page's way-marks
        if 'id="change-' in line:
            line = line.replace("<ins>", "[+").replace("</ins>", "+]")
            out.append(re.sub(r"<[^>]+>", "", line.replace("<del>", "[-").replace("</del>", "-]")))
    return out


def test_a_section_inserted_is_new_and_the_renumbered_rest_unchanged():
    marked, inserted, deleted = compare(_article(A, B, C), _article(A, X, B, C))
    assert _marked(marked) == ["New: [+2. Beveiliging+]", "[+Wij versleutelen uw gegevens.+]"]
    assert (inserted, deleted) == (2, 0)
    assert '<h3 class="pd-redline-h2">3. Doelen</h3>' in marked  # renumbered, unchanged


def test_a_section_removed_is_removed_and_the_rest_unchanged():
    marked, inserted, deleted = compare(_article(A, X, B, C), _article(A, B, C))
    assert _marked(marked) == ["Removed: [-2. Beveiliging-]", "[-Wij versleutelen uw gegevens.-]"]
    assert (inserted, deleted) == (0, 2)


def test_a_section_moved_is_marked_as_moved_and_compared_within():
    edited = (C[0], C[1], "U kunt ons om inzage of verwijdering vragen.")
    marked, inserted, deleted = compare(_article(A, B, C), _article(A, edited, B))
    assert _marked(marked) == ["Moved here from elsewhere in the text.",
                               "U kunt ons om inzage [+of verwijdering+] vragen."]
    assert "3. Doelen" in marked and "<del>" not in marked


def test_a_section_renamed_changes_its_heading_only():
    renamed = (B[0], "Waarvoor gebruiken wij uw gegevens?", B[2])
    marked, _, _ = compare(_article(A, B, C), _article(A, renamed, C))
    assert _marked(marked) == ["2. [-Doelen-] [+Waarvoor gebruiken wij uw gegevens?+]"]


def test_a_renamed_section_is_not_paired_with_its_neighbour():
    """Sections are paired by id, never by a heading that looks alike: the consent
    section renamed while the objection section is new next to it."""
    consent = ("consent-withdrawal", "Kan ik mijn gegeven instemming intrekken?",
               "U kunt uw toestemming intrekken.")
    objection = ("objection", "Recht van bezwaar", "U kunt bezwaar maken.")
    renamed = (consent[0], "Kan ik mijn toestemming intrekken?", consent[2])
    marked, _, _ = compare(_article(A, consent), _article(A, objection, renamed))
    assert _marked(marked) == ["New: [+2. Recht van bezwaar+]", "[+U kunt bezwaar maken.+]",
                               "3. Kan ik mijn [-gegeven instemming-] [+toestemming+] intrekken?"]


def test_purposes_recipients_categories_and_cookies_are_aligned_by_id():
    def page(*rows):
        return ('<section id="cookies"><h2>Cookies</h2><table>'
                "<tr><th>Naam</th><th>Doel</th></tr>"
                + "".join(f'<tr id="cookie-{n}"><td>{n}</td><td>{p}</td></tr>' for n, p in rows)
                + "</table></section>")
    old = page(("_pk_id", "Statistiek"), ("_pk_ses", "Sessie"), ("cc_cookie", "Keuze"))
    new = page(("cc_cookie", "Uw keuze"), ("_pk_id", "Statistiek"), ("_ga", "Google"))
    marked, _, _ = compare(old, new)
    assert _marked(marked) == ["Moved here from elsewhere in the text.",
                               "cc_cookie [-Keuze-] [+Uw keuze+]",
                               "Removed: [-_pk_ses Sessie-]", "New: [+_ga Google+]"]


def test_a_new_version_compares_by_identity(content, tmp_path):
    """A version that adds the security section (which renumbers every section after
    it), drops the children section, renames the retention section and moves a
    recipient: its comparison shows those four things and nothing else, in nl and en."""
    import shutil

    import yaml

    from .conftest import relock, run_build

    for later in (v for v in (content / "versions").iterdir() if v.name > "2026-04-01"):
        shutil.rmtree(later)  # compared with 2026-04-01, whatever ships after it
    (content / "lock.json").unlink()
    relock(content)
    new = content / "versions/2027-02-01"
    shutil.copytree(content / "versions/2026-04-01", new)
    version = yaml.safe_load((new / "version.yaml").read_text(encoding="utf-8"))
    version.update(status="draft", last_changed="2027-01-15")
    version.pop("errata")
    def dump(name, data):
        (new / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                                encoding="utf-8")

    dump("version.yaml", version)
    privacy = yaml.safe_load((new / "privacy.yaml").read_text(encoding="utf-8"))
    privacy["security"] = {"title": {"nl": "Beveiliging", "en": "Security"},
                           "text": {"nl": "Wij versleutelen uw gegevens.",
                                    "en": "We encrypt your data."}}
    del privacy["children"]
    privacy["retention"]["title"] = {"nl": "Hoe lang bewaren wij uw persoonsgegevens?",
                                     "en": "How long do we keep your personal data?"}
    dump("privacy.yaml", privacy)
    recipients = yaml.safe_load((new / "recipients.yaml").read_text(encoding="utf-8"))
    carriers = next(r for r in recipients["recipients"] if r["id"] == "carriers")
    recipients["recipients"].remove(carriers)
    recipients["recipients"].insert(0, carriers)
    dump("recipients.yaml", recipients)
    result = run_build("build", "--content", "content", "--out", "preview", "--drafts",
                       "--today", "2027-03-01", cwd=tmp_path)
    old_nl, new_nl = ("Hoe slaan we uw persoonlijke gegevens op?",
                      "Hoe lang bewaren wij uw persoonsgegevens?")
    assert result.returncode == 0, result.stderr
    for lang, expected in {
        "nl": ["Van kracht vanaf 1 [-april 2026-] [+februari 2027+]",
               # the first layer names the recipients in their order
               "Ontvangers: [+Vervoerders,+] Interne afdelingen en andere ondernemingen "
               "binnen onze eigen groep, Autoriteiten, Bedrijven voor zakelijke "
               "dienstverlening (gegevensverwerkers), [-Betaaldiensten, Vervoerders-] "
               "[+Betaaldiensten+] en Anders. Uw gegevens blijven binnen de Europese "
               "Economische Ruimte.",
               # the table of contents
               f"[-{old_nl}-] [+{new_nl}+]", "Nieuw: [+Beveiliging+]",
               "Verwijderd: [-Kinderen-]",
               "Verplaatst: stond eerder elders in de tekst.",  # the carriers
               f"8. [-{old_nl}-] [+{new_nl}+]",
               "Nieuw: [+9. Beveiliging+]", "[+Wij versleutelen uw gegevens.+]",
               "Verwijderd: [-10. Kinderen-]",
               "[-MKB serviceshop verkoopt uitsluitend aan bedrijven en richt zich niet op "
               "consumenten.-]", "[-Deze dienst is niet gericht op kinderen.-]",
               "Deze privacyverklaring is van kracht sinds 1 [-april 2026.-] [+februari "
               "2027.+] De laatste aanpassing is gemaakt op 15 [-maart 2026.-] [+januari "
               "2027.+]"],
        "en": ["In effect from 1 [-April 2026-] [+February 2027+]",
               "Recipients: [+Carriers,+] Internal departments and other companies within "
               "our own group, Authorities, Business service providers (processors), "
               "Payment [-services, Carriers-] [+services+] and Other. Your data does not "
               "leave the European Economic Area.",
               "How [+long+] do we [-store-] [+keep+] your personal data?",
               "New: [+Security+]", "Removed: [-Children-]",
               "Moved here from elsewhere in the text.",
               "8. How [+long+] do we [-store-] [+keep+] your personal data?",
               "New: [+9. Security+]", "[+We encrypt your data.+]",
               "Removed: [-10. Children-]",
               "[-MKB serviceshop sells exclusively to businesses and does not target "
               "consumers.-]", "[-This service is not aimed at children.-]",
               "This privacy statement has been in effect since 1 [-April 2026.-] "
               "[+February 2027.+] It was last changed on 15 [-March 2026.-] "
               "[+January 2027.+]"],
    }.items():
        page = (tmp_path / f"preview/{lang}/privacy/2027-02-01/compare/index.html")
        html = page.read_text(encoding="utf-8")
        redline = html[html.index('<div class="pd-redline">'):html.index("</main>")]
        assert _marked(redline) == expected


# --- the article's structure kept (issue 22, item 6) ----------------------------------

def test_an_unchanged_block_keeps_its_bold_label_and_its_link():
    html = ('<ul class="pd-facts"><li><strong>Personal data:</strong> '
            '<a href="#category-contact" id="x" onclick="y()">Contact details</a></li></ul>')
    assert redline(html, html) == (
        '<ul class="pd-redline-list">\n<li class="pd-redline-li"><strong>Personal data:'
        '</strong> <a href="#category-contact">Contact details</a></li>\n</ul>')


def test_an_address_keeps_its_lines():
    html = ("<address>Autoriteit Persoonsgegevens<br>\nPostbus 93374<br>\n2509 AJ Den Haag"
            "</address>")
    assert redline(html, html) == ('<p class="pd-redline-address">Autoriteit Persoonsgegevens'
                                   "<br>Postbus 93374<br>2509 AJ Den Haag</p>")


def test_a_changed_block_keeps_its_line_breaks_and_its_label():
    old = "<address>Autoriteit Persoonsgegevens<br>Bezuidenhoutseweg 30<br>Den Haag</address>"
    new = "<address>Autoriteit Persoonsgegevens<br>Postbus 93374<br>Den Haag</address>"
    assert redline(old, new) == (
        '<p class="pd-redline-address" id="change-1">Autoriteit Persoonsgegevens<br>'
        "<del>Bezuidenhoutseweg 30</del> <ins>Postbus 93374</ins><br>Den Haag</p>")
    old = "<p><strong>Legal basis:</strong> consent given by the data subject</p>"
    new = "<p><strong>Legal basis:</strong> a contract with the data subject</p>"
    assert redline(old, new) == (
        '<p class="pd-redline-p" id="change-1"><strong>Legal basis:</strong> '
        "<del>consent given by</del> <ins>a contract with</ins> the data subject</p>")


def test_the_first_layer_terms_and_descriptions_are_read():
    from generator.render.article_blocks import blocks
    html = ("<dl><dt>Who is responsible</dt><dd>MKB serviceshop B.V.</dd>"
            "<dt>Your rights</dt><dd><p>Access, erasure.</p></dd></dl>")
    assert blocks(html) == (("dt", "Who is responsible"), ("dd", "MKB serviceshop B.V."),
                            ("dt", "Your rights"), ("p", "Access, erasure."))
    marked, _, _ = compare(html, html.replace("erasure", "rectification, erasure"))
    assert '<p class="pd-redline-dt">Your rights</p>' in marked


def test_the_table_of_contents_is_a_numbered_list():
    toc = ('<nav class="pd-toc"><ol><li id="toc-a"><a href="#a">Who are we?</a></li>'
           '<li id="toc-b"><a href="#b">Your rights</a></li></ol></nav><p>Text.</p>')
    marked = str(compare(toc, toc.replace("Your rights", "Your rights and how"))[0])
    assert marked.startswith('<ol class="pd-redline-list">\n<li class="pd-redline-li-ol">'
                             '<a href="#a">Who are we?</a></li>\n<li ')
    assert "</li>\n</ol>\n<p " in marked


def test_markup_kept_is_only_what_is_safe():
    """Inline elements keep no attribute but a safe href and a class; others keep only
    their text; everything is escaped again and closed within its block."""
    html = ('<p><a href="javascript:alert(1)">x</a> <a href=" java\tscript:y">y</a> '
            '<a href="https://e.nl/?a=1&amp;b=&quot;2">z</a> <span class=\'a"b\' style="s">s'
            '</span> <img src=x onerror=alert(1)> <em>&lt;script&gt;</em> <strong>open'
            '</p><p>after</em></p>')
    assert redline(html, html) == (
        '<p class="pd-redline-p"><a>x</a> <a>y</a> <a href="https://e.nl/?a=1&amp;b=&quot;2">'
        'z</a> <span class="a&quot;b">s</span> <em>&lt;script></em> <strong>open</strong></p>\n'
        '<p class="pd-redline-p">after</p>')
