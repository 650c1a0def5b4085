"""Versions: current and announced by build date, change lists, comparison pages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .conftest import relock, run_build
from .test_statement import page_text


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def two_versions(content: Path) -> Path:
    """The shipped 2020 version and a 2021-06-01 copy that differs in each kind of change.
    The shipped 2020 version has no cookie statement: here it gets the newest one, with
    the analytics cookie's expiry it had before."""
    cookies = (content / "versions/2026-04-01/cookies.yaml").read_text(encoding="utf-8")
    (content / "versions/2020-10-01/cookies.yaml").write_text(
        cookies.replace("expiry: P12M", "expiry: P13M", 1), encoding="utf-8")
    for extra in sorted((content / "versions").iterdir())[1:]:
        shutil.rmtree(extra)
    new = content / "versions/2021-06-01"
    shutil.copytree(content / "versions/2020-10-01", new)
    _edit(new / "version.yaml", "last_changed: 2020-10-01", "last_changed: 2021-05-20")
    _edit(new / "purposes.yaml", "legal_bases: [legal_obligation]",
          "legal_bases: [legal_obligation, legitimate_interests]")
    _edit(new / "purposes.yaml", "recipients: [authorities]", "recipients: [authorities, other]")
    _edit(new / "data_categories.yaml", "  - id: order\n",
          "  - id: order\n    retention:\n      period: P7Y\n")
    _edit(new / "cookies.yaml", "expiry: P13M", "expiry: P12M")
    return content


def _build(cwd: Path, today: str) -> Path:
    relock(cwd / "content")  # the versions made or edited here, released
    result = run_build("build", "--content", "content", "--out", "site", "--today", today,
                       cwd=cwd)
    assert result.returncode == 0, result.stderr
    return cwd / "site"


def test_change_list_in_both_languages(two_versions, tmp_path):
    site = _build(tmp_path, "2026-11-25")
    nl, _ = page_text(site / "nl/privacy/history/index.html")
    en, _ = page_text(site / "en/privacy/history/index.html")
    assert ("Rechtsgrond voor het doel ‘Wettelijke doelstellingen’: wettelijke verplichting "
            "→ wettelijke verplichting en gerechtvaardigd belang") in nl
    assert "Nieuwe ontvanger voor het doel ‘Wettelijke doelstellingen’: Anders" in nl
    assert "Bewaartermijn van ordergegevens: niet vermeld → 7 jaar" in nl
    assert "Retention period for order details: not stated → 7 years" in en
    assert "Van kracht van 1 oktober 2020 t/m 31 mei 2021" in nl
    assert "In effect from 1 October 2020 to 31 May 2021" in en
    cookies_nl, _ = page_text(site / "nl/cookies/history/index.html")
    assert "Bewaartermijn van cookie _pk_id: 13 maanden → 12 maanden" in cookies_nl


def test_comparison_page_marks_the_edit(two_versions, tmp_path):
    site = _build(tmp_path, "2026-11-25")
    html = (site / "nl/cookies/2021-06-01/compare/index.html").read_text()
    assert "<del>13</del> <ins>12</ins> maanden" in html


def test_current_and_announced_by_build_date(two_versions, tmp_path):
    before = _build(tmp_path, "2021-01-15")
    current = (before / "nl/privacy/index.html").read_text()
    assert "Op 1 juni 2021 wordt een nieuwe versie van kracht." in current
    announced = (before / "nl/privacy/2021-06-01/index.html").read_text()
    assert "Deze versie wordt van kracht op 1 juni 2021." in announced
    after = _build(tmp_path, "2021-06-01")
    old = (after / "nl/privacy/2020-10-01/index.html").read_text()
    assert "is niet meer van kracht" in old and 'href="../"' in old
    assert "nieuwe versie" not in (after / "nl/privacy/index.html").read_text()


def test_history_lists_only_versions_where_the_document_changed(content, tmp_path):
    """The 2022 copy of the 2020 version adds a cookie statement (the 2020 one has none):
    the cookie history starts there, and the privacy history does not list it."""
    cookies = (content / "versions/2026-04-01/cookies.yaml").read_bytes()
    for extra in sorted((content / "versions").iterdir())[1:]:
        shutil.rmtree(extra)
    new = content / "versions/2022-01-01"
    shutil.copytree(content / "versions/2020-10-01", new)
    (new / "cookies.yaml").write_bytes(cookies)
    site = _build(tmp_path, "2026-11-25")
    privacy = (site / "nl/privacy/history/index.html").read_text()
    assert "2022-01-01" not in privacy
    history = (site / "nl/cookies/history/index.html").read_text()
    assert "2022-01-01" in history and "2020-10-01" not in history


def test_identical_input_gives_identical_output(content, tmp_path):
    first = _build(tmp_path, "2026-11-25")
    snapshot = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    second = _build(tmp_path, "2026-11-25")
    again = {p.relative_to(second): p.read_bytes() for p in second.rglob("*") if p.is_file()}
    assert snapshot == again


ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_feed_is_valid_atom(built_site, lang):
    import xml.etree.ElementTree as ET
    root = ET.parse(built_site / f"{lang}/feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    entries = root.findall(f"{ATOM}entry")
    # privacy 2020-10-01, 2026-04-01 and 2027-01-01 (announced), cookies 2026-04-01 and
    # 2027-01-01
    assert len(entries) == 5
    ids = set()
    for entry in entries:
        for required in ("id", "title", "updated", "link", "content"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}updated").text.endswith("T00:00:00Z")
        ids.add(entry.find(f"{ATOM}id").text)
    assert len(ids) == len(entries)
    newest = entries[0].find(f"{ATOM}content").text
    expected = "Bewaartermijn van ordergegevens" if lang == "nl" else "Retention period for order"
    assert expected in newest


@pytest.mark.parametrize("today, current, announced", [
    ("2020-09-30", None, ["2020-10-01", "2026-04-01", "2027-01-01"]),
    ("2020-10-01", "2020-10-01", ["2026-04-01", "2027-01-01"]),
    ("2026-03-31", "2020-10-01", ["2026-04-01", "2027-01-01"]),
    ("2026-04-01", "2026-04-01", ["2027-01-01"]),
    ("2026-12-31", "2026-04-01", ["2027-01-01"]),
    ("2027-01-01", "2027-01-01", []),
    ("2030-01-01", "2027-01-01", []),
])
def test_shipped_content_by_build_date(tmp_path, today, current, announced):
    from datetime import date

    from generator.content.model import build_site
    from generator.pipeline import Project, load_and_validate

    from .conftest import ROOT
    site = build_site(load_and_validate(Project.at(ROOT)), date.fromisoformat(today), False)
    entry = site.current("privacy")
    assert (entry.name if entry else None) == current
    assert [e.name for e in site.announced("privacy")] == announced
    # the cookie statement first appears in 2026-04-01 (the 2020 version has none)
    entry = site.current("cookies")
    assert (entry.name if entry else None) == (None if current == "2020-10-01" else current)
    assert [e.name for e in site.announced("cookies")] == [
        name for name in announced if name != "2020-10-01"]
    history = site.history("privacy")
    assert [h.until for h in history] == [date(2026, 3, 31), date(2026, 12, 31), None]


def test_shipped_history_page_periods(built_site):
    nl, _ = page_text(built_site / "nl/privacy/history/index.html")
    assert "Van kracht van 1 oktober 2020 t/m 31 maart 2026" in nl
    assert "Van kracht van 1 april 2026 t/m 31 december 2026 · huidige versie" in nl
    assert re.search(r"Versie van 1 januari 2027 (Deze versie als pdf )?Van kracht vanaf 1 "
                     r"januari 2027", nl)  # announced
    en, _ = page_text(built_site / "en/privacy/history/index.html")
    assert "In effect from 1 October 2020 to 31 March 2026" in en


def test_draft_built_only_with_drafts(content, tmp_path):
    draft = content / "versions/2027-06-01"
    shutil.copytree(content / "versions/2027-01-01", draft)
    _edit(draft / "version.yaml", "status: released", "status: draft")
    _edit(draft / "cookies.yaml", "expiry: P13M", "expiry: P6M")
    site = _build(tmp_path, "2028-01-01")
    assert not (site / "nl/cookies/2027-06-01").exists()
    result = run_build("build", "--content", "content", "--out", "preview", "--today",
                       "2028-01-01", "--drafts", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "preview/nl/cookies/2027-06-01/index.html").read_text()
    assert "Concept" in page and "niet van kracht" in page
    current, _ = page_text(tmp_path / "preview/nl/cookies/index.html")
    assert "Van kracht vanaf 1 januari 2027" in current  # a draft is never current


def test_only_the_newest_version_may_be_a_draft(content, tmp_path):
    _edit(content / "versions/2020-10-01/version.yaml", "status: released", "status: draft")
    result = run_build("build", "--content", "content", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert ("content/versions/2020-10-01/version.yaml:" in result.stderr
            and "only the newest version may be a draft" in result.stderr)
