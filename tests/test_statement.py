"""The rendered statements: faithful to the seed, same structure in both languages, goldens."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The customer's statement as received (../shared/seed/000_39b701b6ec06e436.txt), copied so
# the test never depends on a folder outside the project.
SEED = ROOT / "tests" / "fixtures" / "seed-2020-10-01.txt"
GOLDEN = Path(__file__).parent / "golden"

# Typos and grammar fixed in the content (../shared/LEGAL.md, section 5).
CORRECTIONS = {
    "eonze": "onze",
    "mkbservcieshop.nl": "mkbserviceshop.nl",
    "webshop dat uitsluitend": "webshop die uitsluitend",
    "facturen en incasso’s.": "facturen en incasso’s, uit te voeren.",
    "bij MKB serviceshop het voor ons": "bij MKB serviceshop is het voor ons",
    "plichten.Ook": "plichten. Ook",
    "end dergelijke": "en dergelijke",
    "onder ander via": "onder andere via",
    "doelen wij specifiek aan derden": "doelen wij specifiek op derden",
    "Houdt u er": "Houd u er",
    # the generated date sentence uses the AVG glossary's one word (LEGAL.md section 6)
    "Deze Privacy Verklaring is van kracht sinds": "Deze privacyverklaring is van kracht sinds",
    "‘Kan ik de door mij gegeven instemming later intrekken?’":
        "‘Kan ik mijn gegeven instemming intrekken?’",
    "– uw relatie": "– Uw relatie",
    "– bent u al": "– Bent u al",
}
# Seed lines that the model replaces by generated text, by design.
GENERATED = {
    # legal bases are identifiers rendered with the official AVG terms
    "Legitieme basis: het uitvoeren van een (aankoop)overeenkomst":
        "Rechtsgrond: uitvoering van een overeenkomst",
    "Legitieme basis: Legitiem belang": "Rechtsgrond: gerechtvaardigd belang",
    "Legitieme basis: Uitvoeren van een overeenkomst, legitiem belang":
        "Rechtsgronden: uitvoering van een overeenkomst en gerechtvaardigd belang",
    "Legitieme basis: Instemming, legitiem belang":
        "Rechtsgronden: toestemming en gerechtvaardigd belang",
    "Legitieme basis: Uitvoering van een overeenkomst":
        "Rechtsgrond: uitvoering van een overeenkomst",
    "Legitieme basis: Instemming": "Rechtsgrond: toestemming",
    "Legitieme basis: Wettelijke plicht": "Rechtsgrond: wettelijke verplichting",
    # the legal-basis headings, from the same vocabulary
    "Wettelijk plicht": "Wettelijke verplichting",
    "Legitiem belang": "Gerechtvaardigd belang",
}
# "Title – text" paragraphs of the seed: the title is now the purpose's heading.
PURPOSE_TITLES = ("Facturen en incasso verwerking", "Klantrelatiebeheer",
                  "Klantenservice en ondersteuning", "Marketing en promotionele aanbiedingen",
                  "Deelname aan loyaliteitsprogramma’s")
# The one truncated sentence, left out on purpose (see the comment in purposes.yaml).
OMITTED = ("Mocht het retourneren van producten of diensten geleverd door MKB serviceshop "
           "leiden tot een terugbetaling groter dan")


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.parts.append(" ")
        self.ids.extend(value for name, value in attrs if name == "id" and value)

    def handle_endtag(self, tag):
        self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def page_text(path: Path) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return normalise("".join(parser.parts)), parser.ids


def normalise(text: str) -> str:
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()
    text = re.sub(r" ([,.;:)’])", r"\1", text)
    return text.replace("( ", "(").replace("‘ ", "‘")


def seed_sentences() -> list[str]:
    sentences = []
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = normalise(raw.replace("•", ""))
        line = re.sub(r"^1\. ", "", line)  # the seed numbers every heading "1."
        if not line or line == "privacy statement" or line.startswith(OMITTED):
            continue
        for wrong, right in CORRECTIONS.items():
            line = line.replace(wrong, right)
        line = GENERATED.get(line, line)
        for title in PURPOSE_TITLES:
            if line.startswith(title + " – "):
                line = title + " " + line[len(title) + 3:]
        # headings and list entries run on; split into sentences
        sentences.extend(s for s in re.split(r"(?<=[.?!:;])\s+(?=[A-Z(‘“])", line) if s)
    return sentences


def test_every_seed_sentence_is_on_the_dutch_page(built_site):
    text, _ = page_text(built_site / "nl/privacy/2020-10-01/index.html")
    missing = [s for s in seed_sentences() if s not in text]
    assert not missing, "\n".join(missing)
    assert OMITTED not in text
    assert "groter dan" not in text


def _structure(path: Path) -> dict:
    html = path.read_text(encoding="utf-8")
    _, ids = page_text(path)
    return {
        "ids": ids,
        "headings": [level for level in re.findall(r"<h([1-6])", html)],
        "basis_lines": len(re.findall(r'<li><strong>[^<]+:</strong>', html)),
        "links": re.findall(r'href="#([^"]+)"', html),
        "rows": len(re.findall(r"<tr", html)),
    }


@pytest.mark.parametrize("document, version", [("privacy", "2020-10-01"),
                                               ("cookies", "2026-04-01")])
def test_english_has_the_same_structure(built_site, document, version):
    nl = _structure(built_site / f"nl/{document}/{version}/index.html")
    en = _structure(built_site / f"en/{document}/{version}/index.html")
    assert nl == en
    for prefix in ("purpose-", "category-", "recipient-", "basis-"):
        if document == "privacy":
            assert any(i.startswith(prefix) for i in nl["ids"]), prefix


def test_english_page_has_no_dutch(built_site):
    text, _ = page_text(built_site / "en/privacy/2020-10-01/index.html")
    dutch = {"persoonlijke", "gegevens", "verwerken", "rechtsgrond", "wij", "uw", "het", "een",
             "toestemming", "klant", "bestelling"}
    words = set(re.findall(r"[a-zà-ÿ]+", text.lower()))
    assert not (dutch & words), dutch & words


def test_dates_and_lists_by_locale(built_site):
    nl, _ = page_text(built_site / "nl/privacy/2020-10-01/index.html")
    en, _ = page_text(built_site / "en/privacy/2020-10-01/index.html")
    assert "Deze privacyverklaring is van kracht sinds 1 oktober 2020." in nl
    assert "1 October 2020" in en
    assert "toestemming en gerechtvaardigd belang" in nl
    assert "consent and legitimate interests" in en


def test_languages_link_to_each_other(built_site):
    for lang, other in (("nl", "en"), ("en", "nl")):
        html = (built_site / f"{lang}/privacy/2020-10-01/index.html").read_text()
        assert f'<html lang="{lang}">' in html
        assert f'hreflang="{other}" href="../../../{other}/privacy/2020-10-01/"' in html
        current = (built_site / f"{lang}/cookies/index.html").read_text()
        assert f'href="../../{other}/cookies/"' in current


@pytest.mark.parametrize("page", ["nl/privacy/2020-10-01", "en/privacy/2020-10-01",
                                  "nl/cookies/2026-04-01", "en/cookies/2026-04-01",
                                  "nl/privacy/2027-01-01", "en/privacy/2027-01-01",
                                  "nl/cookies/2027-01-01", "en/cookies/2027-01-01",
                                  "nl/privacy/history", "en/privacy/history",
                                  "nl/privacy/2026-04-01/compare",
                                  "en/privacy/2026-04-01/compare",
                                  "nl/privacy/2027-01-01/compare",
                                  "en/privacy/2027-01-01/compare"])
def test_golden(built_site, page):
    """Rendered text that matters is pinned: statements, the history with its change
    lists, a comparison; UPDATE_GOLDEN=1 rewrites on purpose."""
    actual = (built_site / page / "index.html").read_text(encoding="utf-8")
    golden = GOLDEN / (page.replace("/", "_") + ".html")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), "run UPDATE_GOLDEN=1 pytest tests/test_statement.py once"
    assert actual == golden.read_text(encoding="utf-8")


def summary_block(html: str) -> str:
    """The first layer ("In short") of a rendered statement, alone."""
    match = re.search(r'<section class="pd-summary".*?</section>', html, re.S)
    assert match, "no first layer on the page"
    return match.group(0) + "\n"


def check_golden(actual: str, golden: Path) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), "run UPDATE_GOLDEN=1 pytest tests/test_statement.py once"
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_summary_golden(built_site, lang):
    """The first layer of the shipped current version, in each language, pinned."""
    html = (built_site / f"{lang}/privacy/2026-04-01/index.html").read_text(encoding="utf-8")
    check_golden(summary_block(html), GOLDEN / f"summary_{lang}_privacy_2026-04-01.html")


def test_raw_html_in_text_never_reaches_the_page(content, tmp_path):
    from .conftest import relock, run_build
    path = content / "versions/2020-10-01/privacy.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "<script>alert(1)</script><img src=x onerror=alert(2)>[x](javascript:alert(3))"
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip() in ("nl: |", "nl: |-"))
    indent = len(lines[at]) - len(lines[at].lstrip()) + 2
    lines.insert(at + 1, " " * indent + marker)
    lines.insert(at + 2, "")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    relock(content)
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site/nl/privacy/2020-10-01/index.html").read_text()
    assert "<script>" not in html and "<img" not in html
    assert 'href="javascript' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
