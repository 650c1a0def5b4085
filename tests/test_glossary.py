"""The glossary of AVG / GDPR terms (locales/glossary.yaml): no wrong term in the interface
strings, nor in the built pages of the current and announced versions, in either language;
and the matching finds whole words only, leaving out where the term is right."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from generator.check.glossary import wrong_terms

from .conftest import ROOT, run_build

# Released versions superseded at the build date below, whose pages keep the text as it
# was published (their errata say what changed): exempt. Current and announced never.
HISTORICAL = {"2020-10-01": "the customer's statement of 2020, as published",
              "2026-04-01": "superseded by 2027-01-01; its text as published, with errata"}
BUILD_DATE = "2027-01-02"  # 2027-01-01 current


def test_interface_strings_use_the_glossarys_terms():
    """The labels of Art. 9(2) conditions and Art. 49(1) derogations are in their own
    context, where 'explicit consent' is the law's term."""
    from generator.content.vocabulary import ART9_CONDITION, DEROGATION
    own = set(ART9_CONDITION.values()) | set(DEROGATION.values())
    context = frozenset({"special_categories", "transfers"})
    with (ROOT / "locales/nl/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    found = []
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        where = context if ids[0] in own else frozenset()
        found += [(text, w) for text in ids for _, w in wrong_terms(text, "en", where)]
        found += [(text, w) for text in strings for _, w in wrong_terms(text, "nl", where)]
    assert not found


class _Text(HTMLParser):
    """A page's text, without what a comparison shows as deleted, nor the old side of a
    change list's "old → new" (a quotation of the previous version)."""

    def __init__(self):
        super().__init__()
        self.parts, self.deleted, self.historical = [], 0, 0

    def handle_starttag(self, tag, attrs):
        self.deleted += tag == "del"
        if self.historical:
            self.historical += tag == "li"
        elif tag == "li" and dict(attrs).get("id", "").removeprefix("version-") in HISTORICAL:
            self.historical = 1  # a historical version's entry on the history page

    def handle_endtag(self, tag):
        self.deleted -= tag == "del" and self.deleted > 0
        self.historical -= tag == "li" and self.historical > 0

    def handle_data(self, data):
        if not self.deleted and not self.historical:
            self.parts.append(re.sub(r"[^:→]*(?= → )", "", data))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("glossary") / "site"
    result = run_build("build", "--out", str(out), "--today", BUILD_DATE)
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_built_pages_use_the_glossarys_terms(site, lang):
    found = []
    for page in sorted((site / lang).rglob("*.html")):
        if any(version in page.parts for version in HISTORICAL):
            continue
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(parser.parts)
        found += [(str(page.relative_to(site)), w) for _, w in wrong_terms(text, lang)]
    assert not found


@pytest.mark.parametrize("text, lang, contexts, wrong", [
    ("Wij vragen uw instemming.", "nl", frozenset(), ["instemming"]),
    ("De ondernemingsraad heeft instemmingsrecht.", "nl", frozenset(), []),
    ("Met uw expliciete toestemming verwerken wij gegevens over uw gezondheid.", "nl",
     frozenset(), []),
    ("Met uw expliciete toestemming sturen wij u de nieuwsbrief.", "nl", frozenset(),
     ["expliciete toestemming"]),
    ("Met uw expliciete toestemming.", "nl", frozenset({"special_categories"}), []),
    ("We may submit a complaint, or you submitted complaints.", "en", frozenset(),
     ["submit a complaint"]),
    ("'Privacy Verklaring' is now one word.", "nl", frozenset(), []),
    ("Zie onze Privacy Verklaring.", "nl", frozenset(), ["Privacy Verklaring"]),
])
def test_terms_are_whole_words_and_right_in_their_context(text, lang, contexts, wrong):
    assert [w for _, w in wrong_terms(text, lang, contexts)] == wrong
