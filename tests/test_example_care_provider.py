"""The second example organisation, a care provider (examples/care-provider, issue 19):
it builds from its own content folder, `check` finds nothing in either language, its
current pages are pinned by goldens, its Art. 30 register has no MISSING cell, and the
JSON and DPV exports carry the facts the model gained for it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator.content.model import build_site
from generator.content.schema import LANGUAGES
from generator.export import register
from generator.pipeline import Project, load_and_validate

from .conftest import ROOT, run_build

EXAMPLE = ROOT / "examples" / "care-provider"
TODAY = "2026-11-25"
EARLIER, CURRENT = "2025-03-01", "2026-10-01"
GOLDEN = Path(__file__).parent / "golden" / "care-provider"
PAGES = [f"{lang}/{document}/{CURRENT}" for document in ("privacy", "cookies")
         for lang in LANGUAGES] + [f"{lang}/privacy/{page}" for lang in LANGUAGES
                                   for page in ("history", f"{CURRENT}/compare")]


@pytest.fixture(scope="module")
def care_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("care") / "site"
    result = run_build("build", "--content", str(EXAMPLE), "--out", str(out),
                       "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def model():
    project = Project.at(ROOT, EXAMPLE)
    site = build_site(load_and_validate(project), date.fromisoformat(TODAY), True)
    return next(v for v in site.versions if v.name == CURRENT)


def test_it_is_a_content_folder_with_two_released_versions():
    versions = sorted(p.name for p in (EXAMPLE / "versions").iterdir())
    assert versions == [EARLIER, CURRENT]
    lock = json.loads((EXAMPLE / "lock.json").read_text(encoding="utf-8"))
    assert sorted(lock["versions"]) == versions
    # The earlier version reconstructs a publication that had no cookie statement.
    assert not (EXAMPLE / "versions" / EARLIER / "cookies.yaml").exists()


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("strict", [False, True])
def test_check_finds_nothing(lang, strict):
    args = ["check", "--content", str(EXAMPLE), "--lang", lang] + (["--strict"] if strict else [])
    result = run_build(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, result.stdout
    assert CURRENT in lines[0] and ("no findings" in lines[0] or "geen bevindingen" in lines[0])


def test_history_and_comparison_of_each_document(care_site):
    for lang in LANGUAGES:
        privacy = (care_site / lang / "privacy" / "history" / "index.html").read_text("utf-8")
        assert EARLIER in privacy and CURRENT in privacy
        assert f"../{CURRENT}/compare/" in privacy
        assert (care_site / lang / "privacy" / CURRENT / "compare" / "index.html").is_file()
        cookies = (care_site / lang / "cookies" / "history" / "index.html").read_text("utf-8")
        assert CURRENT in cookies and EARLIER not in cookies
        assert not (care_site / lang / "cookies" / EARLIER).exists()
    # Each document's history shows its own summary.
    cookies = (care_site / "en" / "cookies" / "history" / "index.html").read_text("utf-8")
    assert "First cookie statement of our website." in cookies and "newsletter" not in cookies
    privacy = (care_site / "en" / "privacy" / "history" / "index.html").read_text("utf-8")
    assert "New are our newsletter" in privacy and "First cookie statement" not in privacy
    earlier = (care_site / "en" / "privacy" / EARLIER / "index.html").read_text("utf-8")
    assert "reconstruction of the privacy statement published on our website" in earlier


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_summary_golden(care_site, lang):
    """The care provider's first layer, in each language, pinned."""
    from .test_statement import check_golden, summary_block
    html = (care_site / f"{lang}/privacy/index.html").read_text(encoding="utf-8")
    check_golden(summary_block(html), GOLDEN / f"summary_{lang}_privacy.html")


@pytest.mark.parametrize("page", PAGES)
def test_golden(care_site, page):
    """The current pages, the privacy history and the comparison are pinned;
    UPDATE_GOLDEN=1 rewrites them on purpose."""
    actual = (care_site / page / "index.html").read_text(encoding="utf-8")
    golden = GOLDEN / (page.replace("/", "_") + ".html")
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.exists(), "run UPDATE_GOLDEN=1 pytest tests/test_example_care_provider.py"
    assert actual == golden.read_text(encoding="utf-8")


def test_register_has_no_missing_cell(tmp_path):
    out = tmp_path / "reg"
    result = run_build("register", "--content", str(EXAMPLE), "--out", str(out),
                       "--today", TODAY)
    assert result.returncode == 0, result.stderr
    for lang, missing in (("en", "MISSING"), ("nl", "ONTBREEKT")):
        text = (out / CURRENT / f"register.{lang}.csv").read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) > 1
        for row in rows:
            assert all(missing not in cell for cell in row), row


@pytest.mark.parametrize("lang", LANGUAGES)
def test_register_rows_are_complete_in_the_model(model, lang):
    reg = register.build_register(model, lang, lambda message: message)
    purposes = [p for g in model.groups for p in g["purposes"]]
    assert len(reg.rows) == len(purposes)
    for row in reg.rows:
        assert not row.gaps and not row.missing, (row.cells, row.gaps)


def _json(site: Path, path: str):
    return json.loads((site / path).read_text(encoding="utf-8"))


def test_json_export_carries_the_new_fields(care_site):
    model = _json(care_site, f"api/privacy/{CURRENT}.json")["model"]
    org = model["organisation"]
    assert org["establishment"]["nl"].startswith("Lindehoflaan 12")
    assert org["chamber_of_commerce"] == "12345678"
    assert org["dpo"]["kind"] == "external" and org["dpo"]["firm"] == "Privacyzorg Advies B.V."
    purposes = {p["id"]: p for g in model["purposes"]["groups"] for p in g["purposes"]}
    assert model["purposes"]["data_subjects"][0]["id"] == "referring-practitioners"
    assert purposes["treatment"]["data_subjects"] == [
        "patients", "minors", "parents_or_guardians", "referring-practitioners"]
    assert set(purposes["treatment"]["basis_covers"]) == {"contract", "legal_obligation"}
    assert [r["category"] for r in purposes["billing"]["retention"]] == ["identity", "contact"]
    assert purposes["billing"]["security"]["en"]
    categories = {c["id"]: c for c in model["data_categories"]["categories"]}
    assert categories["health"]["art9_condition"] == "h"
    assert "30" in categories["health"]["art9_law"]["nl"]
    assert "46" in categories["identity"]["national_identifier"]["law"]["nl"]
    privacy = model["privacy"]
    assert "NEN 7510" in privacy["security"]["text"]["en"]
    adm = privacy["automated_decision_making"]
    assert adm["profiling"]["used"] is True and adm["decisions"]["used"] is False
    children = privacy["children"]
    assert children["aimed_at_children"] is True and int(children["minimum_age"]) == 16
    transfer = privacy["transfers"]["transfers"][0]
    assert [m["type"] for m in transfer["mechanisms"]] == [
        "adequacy_decision", "standard_contractual_clauses"]
    assert "2023/1795" in transfer["mechanisms"][0]["decision"]["en"]
    roles = {r["id"]: r["role"] for r in model["recipients"]["recipients"]}
    assert {roles["health-insurers"], roles["municipality"], roles["newsletter-service"]} == {
        "controller", "public_authority", "processor"}
    cookies = _json(care_site, f"api/cookies/{CURRENT}.json")["model"]["cookies"]
    assert cookies["consent_tool"] == {"tool": "klaro", "cookie": "lindehof_consent"}
    assert cookies["settings_link"]["href"] == "#cookie-settings"
    meta = _json(care_site, f"api/privacy/{EARLIER}.json")["model"]["version"]
    assert meta["reconstructed"]["note"]["en"] and not meta["summaries"].get("cookies")
    summaries = _json(care_site, f"api/privacy/{CURRENT}.json")["model"]["version"]["summaries"]
    assert summaries["privacy"]["en"] != summaries["cookies"]["en"]


def test_consent_exports_store_the_choice_in_the_declared_cookie(care_site):
    klaro = _json(care_site, f"api/consent/{CURRENT}/klaro.json")
    assert klaro["storageName"] == klaro["cookieName"] == "lindehof_consent"
    assert _json(care_site, f"api/consent/{CURRENT}/cookieconsent.json")["cookie"][
        "name"] == "lindehof_consent"


def test_dpv_export_carries_the_new_fields(care_site):
    graph = _json(care_site, f"api/privacy/{CURRENT}.jsonld")["@graph"]
    nodes = {node["@id"].rsplit("#", 1)[-1]: node for node in graph}
    types = {t for node in graph for t in (node["@type"] if isinstance(node["@type"], list)
                                            else [node["@type"]])}
    assert {"dpv:Patient", "dpv:Child", "dpv:ParentOfDataSubject", "dpv:Subscriber",
            "dpv:Visitor", "dpv:DataSubject", "dpv:DataProcessor",
            "dpv:GovernmentalOrganisation", "dpv:SpecialCategoryPersonalData"} <= types
    controller = nodes["controller"]
    assert controller["dct:identifier"] == "12345678"
    assert controller["dpv:hasDataProtectionOfficer"]["dpv:hasName"] == "Privacyzorg Advies B.V."
    assert nodes["category-health"]["dpv:hasLegalBasis"] == {"@id": "eu-gdpr:A9-2-h"}
    assert "pd:OfficialID" in nodes["category-identity"]["dpv:hasPersonalData"]["@type"]
    treatment = nodes["process-treatment"]
    assert len(treatment["dpv:hasDataSubject"]) == 4
    transfer = nodes["process-newsletter"]["dpv:hasProcessing"][0]
    assert transfer["dpv:hasLocation"] == {"@id": "loc:US"}
    assert transfer["dpv:hasLegalBasis"] == [{"@id": "eu-gdpr:A45-3"},
                                              {"@id": "eu-gdpr:A46-2-c"}]
    assert any("2023/1795" in ref["@value"] for ref in transfer["dct:references"])
    billing = nodes["process-billing"]["dpv:hasStorageCondition"]
    assert any(s["@id"].endswith("#retention-billing-identity") for s in billing)


@pytest.mark.parametrize("lang, country, authority", [
    ("nl", "Verenigde Staten", "Toezichthoudende autoriteit"),
    ("en", "United States", "Supervisory authority")])
def test_the_facts_the_page_writes_itself_appear_once(care_site, lang, country, authority):
    html = (care_site / lang / "privacy" / CURRENT / "index.html").read_text("utf-8")
    # the first layer repeats the controller's and the DPO's contact details on purpose
    html = re.sub(r'<section class="pd-summary".*?</section>', "", html, flags=re.S)
    # The DPO, the firm and the authority's address: written by the template alone.
    for fact in ("fg@privacyzorg.example.nl", "Privacyzorg Advies B.V.", "Postbus 93374",
                 "12345678", "Lindehoflaan 12"):
        assert html.count(fact) == 1, fact
    assert country in html and "(US)" not in html and ">US<" not in html
    assert authority in html and "2023/1795" in html and "2021/914" in html
    cookies = (care_site / lang / "cookies" / CURRENT / "index.html").read_text("utf-8")
    assert 'href="#cookie-settings"' in cookies and "lindehof_consent" in cookies


def test_nu_html_checker_finds_no_errors(care_site, tmp_path):
    """Its pages hold sections the shipped content has not (children, profiling, the
    security measures): the Nu HTML Checker reads them too."""
    from .test_html_valid import _missing
    if _missing():
        pytest.skip(_missing())
    from .browser import VNU, is_fragment, wrap_fragments
    wrapped = wrap_fragments(care_site, tmp_path, "../privacy-docs-embed.css")
    pages = [path for path in care_site.rglob("*.html")
             if not is_fragment(path.relative_to(care_site).as_posix())]
    java = ["java", "-Xss4m", "-XX:TieredStopAtLevel=1", "-jar", str(VNU)]
    result = subprocess.run([*java, "--errors-only", "--format", "json",
                             *map(str, sorted(pages) + sorted(wrapped.values()))],
                            capture_output=True, text=True, timeout=120)
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    errors = [f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', '?')}: "
              f"{m['message']}" for m in messages if m.get("type") != "info"]
    assert not errors, "\n".join(errors)
