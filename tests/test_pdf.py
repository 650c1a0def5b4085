"""Each version's PDF (``generator/export/pdf.py``), opened with pypdf: where it is and
what links to it, its text, language, tags, metadata and footer, that the same input
gives the same bytes, and how many PDFs a build makes (``speed/pdf_store.py``)."""

from __future__ import annotations

import io
import json
import re
import shutil
from collections import OrderedDict
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import pipeline
from generator.export import pdf as export_pdf
from generator.pipeline import Project
from generator.speed import pdf_store

from .conftest import ROOT, TODAY, relock

SHIPPED = {("privacy", "2020-10-01"), ("privacy", "2026-04-01"), ("cookies", "2026-04-01"),
           ("privacy", "2027-01-01"), ("cookies", "2027-01-01")}
TITLES = {"nl": "Versie van", "en": "Version of"}
PERIOD = {"nl": "Van kracht vanaf", "en": "In effect from"}


@pytest.fixture
def made(monkeypatch) -> list[str]:
    """The HTML of each PDF made from scratch, the plain way (``to_pdfs``) or by the speed
    wing (``lay_out``, on other processes), with nothing remembered from earlier builds of
    the test run."""
    monkeypatch.setattr(pdf_store, "_MEMORY", OrderedDict())
    calls: list[str] = []
    plain, fast = export_pdf.to_pdfs, pdf_store.lay_out

    def counted_plain(htmls):
        for html in htmls:
            calls.append(html)
            yield from plain([html])

    def counted_fast(htmls: list[str]) -> list:
        calls.extend(htmls)
        return fast(htmls)
    monkeypatch.setattr(export_pdf, "to_pdfs", counted_plain)
    monkeypatch.setattr(pdf_store, "lay_out", counted_fast)
    return calls


def build(content: Path, out: Path, **options) -> None:
    pipeline.build(Project.at(ROOT, content=content), out, date.fromisoformat(TODAY),
                   **options)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "site"
    build(ROOT / "content", out)
    return out


def reader(site: Path, lang: str, document: str, version: str) -> PdfReader:
    path = site / lang / document / version / f"{document}-{version}-{lang}.pdf"
    return PdfReader(io.BytesIO(path.read_bytes()))


def lock() -> dict:
    return json.loads((ROOT / "content" / "lock.json").read_text("utf-8"))


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("document, version", sorted(SHIPPED))
def test_each_version_has_a_tagged_pdf_with_its_metadata(site, lang, document, version):
    pdf = reader(site, lang, document, version)
    root = pdf.trailer["/Root"]
    assert root["/Lang"] == lang
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    meta = pdf.metadata
    assert TITLES[lang] in meta["/Title"] and meta["/Author"] == "MKB serviceshop B.V."
    assert meta["/version"] == version
    fingerprint = lock()["versions"][version]["documents"][document][lang]
    assert meta["/fingerprint"] == fingerprint
    assert meta["/CreationDate"].startswith("D:2020" if version == "2020-10-01" else "D:2026")
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()  # PDF/UA-1
    text = "\n".join(page.extract_text() for page in pdf.pages)
    assert ("Cookie" in text) if document == "cookies" else ("MKB serviceshop" in text)
    for page in pdf.pages:  # the footer of every page: the period and the fingerprint
        footer = page.extract_text()
        assert PERIOD[lang] in footer and fingerprint in footer
    for page in pdf.pages:  # every font embedded
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font
                         else font)["/FontDescriptor"].get_object()
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(described), font


def test_the_version_page_the_history_and_the_api_index_link_the_pdfs(site):
    index = json.loads((site / "api" / "index.json").read_text("utf-8"))
    base = index["base_url"]
    for document, version in SHIPPED:
        for lang in ("nl", "en"):
            name = f"{document}-{version}-{lang}.pdf"
            page = (site / lang / document / version / "index.html").read_text("utf-8")
            assert f'href="{name}"' in page
            history = (site / lang / document / "history" / "index.html").read_text("utf-8")
            assert f'href="../{version}/{name}"' in history
            listed = {v["version"]: v for v in index["documents"][document]["versions"]}
            assert listed[version]["urls"][lang]["pdf"] == \
                f"{base}{lang}/{document}/{version}/{name}"
    current = (site / "nl" / "privacy" / "index.html").read_text("utf-8")
    assert 'href="2026-04-01/privacy-2026-04-01-nl.pdf"' in current


def test_the_same_html_gives_the_same_bytes(site):
    html = "<html lang='en'><title>T</title><meta name=dcterms.created content=2020-01-01>" \
           "<p>Text</p></html>"
    first, second = export_pdf.to_pdf(html), export_pdf.to_pdf(html)
    assert first == second
    assert b"D:20200101" in first or b"CreationDate" not in first


def test_two_builds_make_the_same_pdfs(site, made, tmp_path):
    """Made again from scratch, by another build with no speedup: the same bytes."""
    again = tmp_path / "site"
    build(ROOT / "content", again, plain=True)
    assert len(made) == 2 * len(SHIPPED)
    for path in sorted(site.rglob("*.pdf")):
        assert (again / path.relative_to(site)).read_bytes() == path.read_bytes(), path


def test_a_rebuild_makes_only_the_pdfs_whose_text_changed(content, made, tmp_path):
    relock(content)  # as the edit below is recorded: the fingerprints the same way
    out, cache = tmp_path / "site", tmp_path / "cache"
    assert made == []  # (recording reads the fragments: it makes no PDF)
    build(content, out, cache=cache)
    assert len(made) == 2 * len(SHIPPED)
    made.clear()
    build(content, out, cache=cache)  # no-op
    assert made == []
    build(content, out)  # a build without a cache takes them from the speed wing's store
    assert made == []
    privacy = content / "versions" / "2026-04-01" / "privacy.yaml"
    text = privacy.read_text("utf-8")
    edited = re.sub(r"(\n  nl: )(\S)", r"\1Bewerkt. \2", text, count=1)
    assert edited != text
    privacy.write_text(edited, "utf-8")
    relock(content)
    made.clear()
    build(content, out, cache=cache)
    assert len(made) == 1 and 'lang="nl"' in made[0] and "Bewerkt." in made[0]


def test_the_pdfs_to_make_are_laid_out_on_other_processes_as_plainly(made, monkeypatch):
    """Two or more missing: laid out by forked workers, the plain bytes, in order; one
    that fails is raised at its place; what is known is taken, not laid out again."""
    monkeypatch.setattr(pdf_store, "_cores", lambda: 2)
    htmls = [f"<html lang='en'><title>{n}</title><p>Text {n}</p></html>" for n in range(3)]
    store = pdf_store.PdfStore()
    assert list(store.convert(htmls)) == [export_pdf.to_pdf(html) for html in htmls]
    assert (store.made, len(made)) == (3, 3)
    assert list(store.convert(htmls[:1])) and (store.made, store.found) == (3, 1)
    monkeypatch.setattr(export_pdf, "to_pdf", lambda html: 1 / ("fail" not in html))
    results = store.convert([*htmls, "<p>fail</p>", "<p>fail too</p>"])
    assert len([next(results) for _ in htmls]) == 3
    with pytest.raises(ZeroDivisionError):
        next(results)


def test_a_deferring_store_gives_a_placeholder_made_on_request(made):
    store = pdf_store.PdfStore(defer=True)
    html = "<html lang='en'><title>Deferred</title><p>Text</p></html>"
    [placeholder] = store.convert([html])
    key = pdf_store.placeholder_key(placeholder)
    assert key and made == []
    assert store.make(key) == export_pdf.to_pdf(html) and store.made == 1
    assert list(store.convert([html])) == [export_pdf.to_pdf(html)]  # known now
    assert store.make("0" * 64) is None


def test_a_draft_has_its_pdf_without_a_fingerprint(content, made, tmp_path):
    draft = content / "versions" / "2027-06-01"
    shutil.copytree(content / "versions" / "2027-01-01", draft)
    privacy = draft / "privacy.yaml"  # a privacy statement of its own
    privacy.write_text(re.sub(r"(\n  en: )(\S)", r"\1Draft. \2", privacy.read_text("utf-8"),
                              count=1), "utf-8")
    meta = draft / "version.yaml"
    meta.write_text(re.sub(r"(?m)^status: released", "status: draft",
                           meta.read_text("utf-8")), "utf-8")
    out = tmp_path / "site"
    build(content, out, drafts=True)
    pdf = reader(out, "en", "privacy", "2027-06-01")
    assert pdf.metadata["/fingerprint"] == "-"
    assert "not released, without a fingerprint" in pdf.pages[0].extract_text()


def test_a_pdf_that_cannot_be_made_stops_the_build_before_anything_is_written(
        content, monkeypatch, tmp_path):
    from generator.errors import ContentError

    def broken(html: str) -> bytes:
        raise RuntimeError("no fonts")
    monkeypatch.setattr(pdf_store, "_MEMORY", OrderedDict())
    monkeypatch.setattr(export_pdf, "to_pdf", broken)
    out = tmp_path / "site"
    with pytest.raises(ContentError) as raised:
        build(content, out)
    message = "\n".join(str(problem) for problem in raised.value.problems.items)
    assert "version.yaml:1:1" in message and "could not be made: RuntimeError: no fonts" \
        in message
    assert not out.exists()


def test_release_lays_out_the_released_pdfs_for_the_next_build(content, made, tmp_path):
    """``release`` checks without laying out a PDF, then lays out the released version's
    (its privacy statement, in both languages: its cookie statement is the earlier one)
    into the user's store: the next build finds them."""
    from generator.commands.new_version import new_version
    from generator.commands.release import release
    from generator.speed.session import Speedups
    project, today = Project.at(ROOT, content=content), date.fromisoformat(TODAY)
    draft = new_version(project, date(2027, 6, 1), today)
    privacy = draft / "privacy.yaml"
    privacy.write_text(re.sub(r"(\n  en: )(\S)", r"\1Released. \2", privacy.read_text("utf-8"),
                              count=1), "utf-8")
    assert release(project, None, None, today) == "2027-06-01"
    released = 'name="version" content="2027-06-01"'
    assert len(made) == 2 and all(released in html for html in made)
    made.clear()
    build(content, tmp_path / "site", speed=Speedups(pdfs=pdf_store.folder()))
    assert not [html for html in made if released in html]  # (others: maybe in the store)
