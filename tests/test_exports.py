"""The machine-readable exports (issue 7): API JSON and its schemas, DPV JSON-LD, the
consent-manager configurations and the Art. 30(1) register, compared with the model."""

from __future__ import annotations

import csv
import io
import json
import shutil
import warnings
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import rdflib

from generator.content.model import build_site, to_plain
from generator.content.schema import DOCUMENT_FILES, DOCUMENTS, LANGUAGES
from generator.export import json_schema, register
from generator.export.consent import REQUIRED_CATEGORY
from generator.pipeline import Project, load_and_validate

from .conftest import ROOT, TODAY, relock, run_build

BASE_URL = "https://www.mkbserviceshop.nl/privacy/"
DPV = "https://w3id.org/dpv#"
GDPR = "https://w3id.org/dpv/legal/eu/gdpr#"
PD = "https://w3id.org/dpv/pd#"
BASIS_IRI = {"consent": "A6-1-a", "contract": "A6-1-b", "legal_obligation": "A6-1-c",
             "vital_interests": "A6-1-d", "public_task": "A6-1-e",
             "legitimate_interests": "A6-1-f"}


@pytest.fixture(scope="module")
def site():
    """The model of the shipped content, as the build sees it."""
    return build_site(load_and_validate(Project.at(ROOT)), date.fromisoformat(TODAY), False)


def _load(built: Path, path: str):
    return json.loads((built / path).read_text(encoding="utf-8"))


def _validator(built: Path, schema_path: str) -> jsonschema.Draft202012Validator:
    schema = _load(built, schema_path)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _schema_of(path: str) -> str:
    if path == "api/index.json":
        return "api/schema/index.schema.json"
    if path.startswith("api/consent/"):
        return f"api/schema/consent-{Path(path).stem}.schema.json"
    return "api/schema/version.schema.json"


# --- JSON files against their schemas ---------------------------------------------

def test_every_json_file_is_valid_against_its_schema(built_site):
    files = sorted(p.relative_to(built_site).as_posix()
                   for p in (built_site / "api").rglob("*.json")
                   if "/schema/" not in p.as_posix())
    # the index, the versions (privacy 2020, 2026 and 2027, cookies 2026 and 2027: the 2020
    # version has no cookie statement), 2 x 3 consent configurations (2026, 2027 and the
    # current one's)
    assert len(files) == 1 + 5 + 6
    for path in files:
        errors = [f"{path}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in _validator(built_site, _schema_of(path)).iter_errors(
                      _load(built_site, path))]
        assert not errors, "\n".join(errors[:10])


def test_the_model_schema_is_the_validators_schema(built_site):
    """Not a second copy: the version schema embeds json_schema.py's schema of each file."""
    schema = _load(built_site, "api/schema/version.schema.json")
    for name in {f for files in DOCUMENT_FILES.values() for f in files} | {"version.yaml"}:
        expected = json_schema.file_schema(name)
        expected.pop("$schema")
        assert schema["$defs"][name.removesuffix(".yaml")] == expected


def test_a_broken_model_fails_the_schema(built_site):
    data = _load(built_site, "api/privacy/2026-04-01.json")
    data["model"]["purposes"]["groups"][0]["purposes"][0]["legal_bases"] = ["legitiem belang"]
    assert not _validator(built_site, "api/schema/version.schema.json").is_valid(data)


# --- the index and the version files ------------------------------------------------

def test_index_lists_every_version_with_status_period_fingerprints_and_urls(built_site, site):
    index = _load(built_site, "api/index.json")
    lock = json.loads((ROOT / "content" / "lock.json").read_text(encoding="utf-8"))
    assert index["base_url"] == BASE_URL and index["build_date"] == TODAY
    for document in DOCUMENTS:
        listed = index["documents"][document]
        history = site.history(document)
        assert listed["current"] == site.current(document).name
        assert [v["version"] for v in listed["versions"]] == [e.name for e in history]
        for item, entry in zip(listed["versions"], history, strict=True):
            assert item["status"] == entry.status
            assert item["effective"] == entry.effective.isoformat()
            assert item["until"] == (entry.until.isoformat() if entry.until else None)
            recorded = lock["versions"][entry.name]
            assert item["fingerprints"]["model"] == recorded["model"]
            assert item["fingerprints"]["text"] == recorded["documents"][document]
            assert set(item["urls"]) == set(LANGUAGES)
            assert item["exports"]["json"] == f"{BASE_URL}api/{document}/{entry.name}.json"
    statuses = [v["status"] for v in index["documents"]["privacy"]["versions"]]
    assert statuses == ["superseded", "current", "announced"]
    assert index["documents"]["privacy"]["versions"][0]["until"] == "2026-03-31"


def test_every_url_in_the_index_is_a_built_file(built_site):
    index = _load(built_site, "api/index.json")
    urls = []

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and value.startswith(BASE_URL):
            urls.append(value)

    walk(index["documents"])
    walk(index["schemas"])
    walk(index["consent"])
    assert len(urls) > 40
    for url in urls:
        path = url.removeprefix(BASE_URL)
        target = built_site / (path + "index.html" if path.endswith("/") else path)
        assert target.is_file(), url


def test_version_file_is_the_normalised_model_in_both_languages(built_site, site):
    for document in DOCUMENTS:
        for entry in site.history(document):
            data = _load(built_site, f"api/{document}/{entry.name}.json")
            assert data["document"] == document and data["version"] == entry.name
            files = ("version.yaml", *DOCUMENT_FILES[document])
            assert data["model"] == {name.removesuffix(".yaml"): to_plain(entry.version
                                                                          .files[name])
                                     for name in files}
    purpose = _load(built_site, "api/privacy/2026-04-01.json")["model"]["purposes"]
    description = purpose["groups"][0]["purposes"][0]["description"]
    assert set(description) == set(LANGUAGES)


def test_a_version_not_in_the_lock_has_null_fingerprints(content, tmp_path):
    """Only a draft is not in the lock (a released one must be: test_lock)."""
    draft = content / "versions" / "2027-03-01"
    shutil.copytree(content / "versions" / "2027-01-01", draft)
    meta = draft / "version.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("status: released",
                                                             "status: draft"), encoding="utf-8")
    cookies = draft / "cookies.yaml"
    cookies.write_text(cookies.read_text(encoding="utf-8").replace("expiry: P13M", "expiry: P6M",
                                                                   1), encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("--content", str(content), "--out", str(out), "--today", TODAY,
                       "--drafts")
    assert result.returncode == 0, result.stderr
    index = json.loads((out / "api" / "index.json").read_text(encoding="utf-8"))
    prints = {v["version"]: v["fingerprints"] for v in index["documents"]["cookies"]["versions"]}
    assert prints["2027-03-01"] is None
    assert prints["2026-04-01"] is not None and "2020-10-01" not in prints  # no cookies then
    prints = {v["version"]: v["fingerprints"] for v in index["documents"]["privacy"]["versions"]}
    assert prints["2020-10-01"] is not None


# --- DPV JSON-LD ----------------------------------------------------------------------

PURPOSES_QUERY = """
PREFIX dpv: <https://w3id.org/dpv#>
SELECT ?process ?type WHERE {
  ?process a dpv:Process ; dpv:hasPurpose ?purpose .
  ?purpose a ?type . FILTER(?type != dpv:Purpose)
}"""
BASES_QUERY = """
PREFIX dpv: <https://w3id.org/dpv#>
SELECT ?process ?basis WHERE {
  ?process a dpv:Process ; dpv:hasLegalBasis ?basis . FILTER(isIRI(?basis)) }"""
INTEREST_QUERY = """
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?process ?text WHERE { ?process a dpv:Process ; dpv:hasLegalBasis ?basis .
  ?basis a dpv:LegitimateInterestOfController ; dct:description ?text .
  FILTER(lang(?text) = "en") }"""
CATEGORIES_QUERY = """
PREFIX dpv: <https://w3id.org/dpv#>
SELECT ?process ?category ?type WHERE {
  ?process a dpv:Process ; dpv:hasPersonalData ?category .
  OPTIONAL { ?category a ?type . FILTER(?type != dpv:PersonalData) }
}"""
CONTROLLER_QUERY = """
PREFIX dpv: <https://w3id.org/dpv#>
SELECT ?name ?contact WHERE {
  ?process dpv:hasDataController ?c . ?c a dpv:DataController ; dpv:hasName ?name ;
  dpv:hasContact ?contact . }"""
DURATION_QUERY = """
PREFIX dpv: <https://w3id.org/dpv#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?category ?period WHERE {
  ?process dpv:hasStorageCondition ?s . ?s dpv:hasPersonalData ?category ;
  dpv:hasDuration/rdf:value ?period . }"""


def _graph(built: Path, version: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    with warnings.catch_warnings():
        # rdflib 7.2+ warns about its own use of ConjunctiveGraph inside the JSON-LD parser.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        graph.parse(data=(built / f"api/privacy/{version}.jsonld").read_text(encoding="utf-8"),
                    format="json-ld", base=BASE_URL)
    return graph


def _local(iri, page: str) -> str:
    return str(iri).removeprefix(page + "#")


@pytest.mark.parametrize("version", ["2020-10-01", "2026-04-01"])
def test_dpv_purposes_legal_bases_and_categories_match_the_model(built_site, site, version):
    model = next(v for v in site.versions if v.name == version)
    page = f"{BASE_URL}nl/privacy/{version}/"
    graph = _graph(built_site, version)

    purposes = {_local(r.process, page): str(r.type) for r in graph.query(PURPOSES_QUERY)}
    assert purposes == {f"process-{ident}": p["dpv"].replace("dpv:", DPV)
                        for ident, p in model.purposes.items()}

    bases: dict[str, set[str]] = {}
    for row in graph.query(BASES_QUERY):
        bases.setdefault(_local(row.process, page), set()).add(str(row.basis))
    assert bases == {f"process-{ident}": {GDPR + BASIS_IRI[b] for b in p["legal_bases"]}
                     for ident, p in model.purposes.items()}

    categories: dict[str, set] = {}
    for row in graph.query(CATEGORIES_QUERY):
        categories.setdefault(_local(row.process, page), set()).add(
            (_local(row.category, page), str(row.type) if row.type else None))
    assert categories == {
        f"process-{ident}": {(f"category-{c}", model.categories[c]["dpv"].replace("pd:", PD)
                              if model.categories[c]["dpv"] else None)
                             for c in p["data_categories"]}
        for ident, p in model.purposes.items()}

    (controller,) = list(graph.query(CONTROLLER_QUERY))[:1]
    assert str(controller.name) == "MKB serviceshop B.V."
    assert str(controller.contact) == "mailto:privacy@mkbserviceshop.nl"


def test_dpv_of_the_shipped_content_by_name(built_site):
    """A few facts of the 2026 version spelled out, independent of the model code."""
    graph = _graph(built_site, "2026-04-01")
    page = f"{BASE_URL}nl/privacy/2026-04-01/"
    bases = {(_local(r.process, page), str(r.basis).removeprefix(GDPR))
             for r in graph.query(BASES_QUERY)}
    assert ("process-order-processing", "A6-1-b") in bases
    assert ("process-invoicing", "A6-1-f") in bases
    assert {("process-marketing", "A6-1-a"), ("process-marketing", "A6-1-f")} <= bases
    assert ("process-legal-obligations", "A6-1-c") in bases
    interests = {_local(r.process, page): str(r.text) for r in graph.query(INTEREST_QUERY)}
    assert interests["process-invoicing"].startswith("To ensure that our invoices are paid")
    assert set(interests) == {"process-invoicing", "process-customer-relationship",
                              "process-marketing"}
    purposes = {str(r.type).removeprefix(DPV) for r in graph.query(PURPOSES_QUERY)}
    assert {"CustomerOrderManagement", "PaymentManagement", "DirectMarketing",
            "PersonalisedBenefits", "LegalCompliance"} <= purposes
    types = {str(r.type).removeprefix(PD) for r in graph.query(CATEGORIES_QUERY) if r.type}
    assert {"Contact", "Purchase", "Preference", "BrowsingBehaviour"} <= types
    periods = {(_local(r.category, page), str(r.period)) for r in graph.query(DURATION_QUERY)}
    assert ("category-order", "P7Y") in periods and ("category-contact", "P2Y") in periods


# --- consent-manager configurations ----------------------------------------------------

def test_consent_configs_follow_the_cookie_inventory(built_site, site):
    cookies = site.current("cookies").version.cookies
    by_category: dict[str, list[str]] = {}
    for name, cookie in cookies.items():
        by_category.setdefault(cookie["category"], []).append(name)
    config = _load(built_site, "api/consent/cookieconsent.json")
    assert list(config["categories"]) == list(by_category)
    for category, names in by_category.items():
        spec = config["categories"][category]
        listed = [c["name"] for s in spec["services"].values() for c in s["cookies"]]
        assert listed == names
        assert spec["readOnly"] is (category == REQUIRED_CATEGORY)
        for lang in LANGUAGES:
            sections = config["language"]["translations"][lang]["preferencesModal"]["sections"]
            (section,) = [s for s in sections if s.get("linkedCategory") == category]
            assert [row["name"] for row in section["cookieTable"]["body"]] == names
    klaro = _load(built_site, "api/consent/klaro.json")
    assert sorted(c for s in klaro["services"] for c in s["cookies"]) == sorted(cookies)
    assert {p for s in klaro["services"] for p in s["purposes"]} == set(by_category)
    assert klaro["translations"]["nl"]["privacyPolicyUrl"] == BASE_URL + "nl/cookies/"


# --- the Art. 30(1) register -------------------------------------------------------------

@pytest.mark.parametrize("version", ["2020-10-01", "2026-04-01"])
def test_register_rows_match_the_model_every_column_filled_or_flagged(site, version):
    model = next(v for v in site.versions if v.name == version)
    for lang in LANGUAGES:
        reg = register.build_register(model, lang, lambda message: message)
        purposes = [p for g in model.groups for p in g["purposes"]]
        assert len(reg.rows) == len(purposes)
        for row, purpose in zip(reg.rows, purposes, strict=True):
            for key, _ in register.COLUMNS[1:-1]:
                assert row.cells[key].strip(), (purpose["id"], key)
            assert model.organisation["legal_name"] in row.cells["a"]
            for category in purpose["data_categories"]:
                assert model.categories[category]["name"][lang] in row.cells["c"]
            for recipient in purpose["recipients"]:
                assert model.recipients[recipient]["name"][lang] in row.cells["d"]
            # The shipped model says whose data each purpose processes, but has no
            # security measures: flagged on every row.
            assert "security" in row.gaps and "subjects" not in row.gaps
            missing_retention = [c for c in purpose["data_categories"]
                                 if not model.categories[c]["retention"]]
            assert row.gaps.count("retention") == len(missing_retention)
            assert len(row.missing) == len(row.gaps) == len(row.missing_lines)


def test_register_command_writes_csv_and_html_outside_the_site(content, tmp_path):
    out = tmp_path / "reg"
    result = run_build("register", "--content", str(content), "--out", str(out),
                       "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "2026-04-01").iterdir()) == [
        ".privacy-docs-site", "register.en.csv", "register.en.html", "register.nl.csv",
        "register.nl.html"]
    text = (out / "2026-04-01" / "register.nl.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[0]) == len(register.COLUMNS) and rows[0][0] == "Verwerkingsactiviteit"
    assert [r[0] for r in rows[1:]][:2] == ["Orderverwerking en uitvoering van een overeenkomst",
                                            "Facturen en incasso verwerking"]
    assert all("ONTBREEKT" in r[-2] and r[-1] for r in rows[1:])
    html = (out / "2026-04-01" / "register.en.html").read_text(encoding="utf-8")
    assert "Record of processing activities" in html and "@page" in html
    assert not (tmp_path / "site").exists()

    old = run_build("register", "--content", str(content), "--out", str(out), "2020-10-01")
    assert old.returncode == 0 and (out / "2020-10-01" / "register.en.csv").is_file()
    unknown = run_build("register", "--content", str(content), "--out", str(out), "1999-01-01")
    assert unknown.returncode == 2 and "known versions: 2020-10-01, 2026-04-01" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_index_before_a_version_takes_effect_shows_it_announced(tmp_path):
    out = tmp_path / "site"
    result = run_build("--out", str(out), "--today", "2026-01-15")
    assert result.returncode == 0, result.stderr
    index = json.loads((out / "api" / "index.json").read_text(encoding="utf-8"))
    listed = index["documents"]["privacy"]
    assert listed["current"] == "2020-10-01"
    assert [(v["version"], v["status"]) for v in listed["versions"]] == [
        ("2020-10-01", "current"), ("2026-04-01", "announced"), ("2027-01-01", "announced")]
    listed = index["documents"]["cookies"]  # the first cookie statement is announced
    assert listed["current"] is None
    assert [(v["version"], v["status"]) for v in listed["versions"]] == [
        ("2026-04-01", "announced"), ("2027-01-01", "announced")]
    assert "page" in listed["urls"]["nl"]  # which says that no version is in effect yet
    assert "fragment" not in listed["urls"]["nl"]

    assert _validator(out, "api/schema/index.schema.json").is_valid(index)


def test_consent_configs_escape_what_the_content_says(content, tmp_path):
    """Both tools put these texts into the page as HTML: markup typed in YAML stays text."""
    path = content / "versions" / "2026-04-01" / "cookies.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("provider: MKB serviceshop (Matomo)",
                                 "provider: <img src=x onerror=alert(1)>", 1), encoding="utf-8")
    relock(content)
    out = tmp_path / "out"
    result = run_build("--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    for kind in ("cookieconsent", "klaro"):
        config = (out / "api" / "consent" / f"{kind}.json").read_text(encoding="utf-8")
        assert "<img" not in config and "&lt;img src=x onerror=alert(1)&gt;" in config


def test_a_version_model_is_the_compact_json_of_its_plain_model(site):
    """Model values are written as they are (texts and dates through ``default``):
    the same JSON as the plain model's, and the same bytes as the standard library's."""
    from generator.export.api import _plain, to_compact_json, version_model
    for document in DOCUMENTS:
        for entry in site.history(document):
            written = to_compact_json(version_model(entry, plain=False))
            plain = version_model(entry)
            assert json.loads(written) == plain
            assert written == (json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
                               + "\n").encode()
            assert written == (json.dumps(version_model(entry, plain=False),
                                          ensure_ascii=False, separators=(",", ":"),
                                          default=_plain) + "\n").encode()
