"""The JSON Schema for editors: committed, complete, and in agreement with the validator."""

from __future__ import annotations

import datetime
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from generator.content.loader import load_content
from generator.content.validate import validate_content
from generator.errors import Problems
from generator.export.json_schema import (
    SCHEMA_FOLDER,
    all_schemas,
    content_files,
    schema_file_name,
    schema_text,
    write_schemas,
)

from .conftest import ROOT, run_build

CONTENT = ROOT / "content"
SHIPPED = sorted(CONTENT.rglob("*.yaml"))
VERSION = "versions/2026-04-01"


def as_json(value):
    """What an editor's YAML 1.2 parser sees: dates are plain strings."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def schema_errors(path: Path) -> list[str]:
    schema = all_schemas()[path.name]
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [error.message for error in checker.iter_errors(data)]


def validator_problems(content: Path, path: Path) -> list[str]:
    problems = Problems()
    validate_content(load_content(content, problems), problems)
    return [str(problem) for problem in problems if Path(problem.location.path).name == path.name]


def test_every_schema_is_a_valid_draft_2020_12_schema():
    schemas = all_schemas()
    assert list(schemas) == content_files()
    for schema in schemas.values():
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("name", content_files())
def test_committed_schema_files_equal_the_generated_ones(name):
    committed = CONTENT / SCHEMA_FOLDER / schema_file_name(name)
    assert committed.read_text(encoding="utf-8") == schema_text(name), (
        f"{committed} is out of date; run: python build.py schema")


def test_every_content_file_points_at_its_schema_with_a_modeline():
    for path in SHIPPED:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (CONTENT / SCHEMA_FOLDER / schema_file_name(path.name)).resolve()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(CONTENT)))
def test_every_shipped_content_file_is_valid_against_its_schema(path):
    assert schema_errors(path) == []


def test_descriptions_are_in_english_and_dutch():
    schema = all_schemas()["purposes.yaml"]
    basis = schema["properties"]["groups"]["items"]["properties"]["purposes"]["items"][
        "properties"]["legal_bases"]
    assert basis["x-description-en"] == "Legal bases"
    assert basis["x-description-nl"] == "Rechtsgronden"
    assert basis["description"] == "Legal bases\n\nNL: Rechtsgronden"
    assert basis["items"]["enum"][-1] == "legitimate_interests"


def test_schema_command_writes_the_files(tmp_path):
    target = tmp_path / "content"
    result = run_build("schema", "--content", str(target))
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (target / SCHEMA_FOLDER).iterdir())
    assert written == sorted(schema_file_name(name) for name in content_files())
    assert write_schemas(target)[0].read_text(encoding="utf-8") == schema_text("site.yaml")
    json.loads((target / SCHEMA_FOLDER / "cookies.schema.json").read_text(encoding="utf-8"))


# The corpus: (file, text to replace, replacement). Each broken case must be rejected
# by both the schema and the validator; each valid case accepted by both.
BROKEN = {
    "unknown-key": ("organisation.yaml", "trade_name:", "tradename:"),
    "missing-required-key": ("organisation.yaml", "legal_name: MKB serviceshop B.V.\n", ""),
    "required-key-empty": ("organisation.yaml", "legal_name: MKB serviceshop B.V.",
                           "legal_name:"),
    "bad-email": ("organisation.yaml", "email: privacy@mkbserviceshop.nl", "email: privacy"),
    "dpo-word-not-none": ("organisation.yaml", "\ndpo: none", "\ndpo: geen"),
    "dpo-mapping-missing-email": ("organisation.yaml", "\ndpo: none", "\ndpo: {name: Jan}"),
    "text-missing-english": ("organisation.yaml", "  en: Attn. Privacy\n", ""),
    "text-unknown-language": ("organisation.yaml", "  en: Attn. Privacy", "  de: z. Hd."),
    "text-empty": ("organisation.yaml", "en: Attn. Privacy", "en: '  '"),
    "line-text-two-lines": ("organisation.yaml", "en: Attn. Privacy",
                            "en: \"Attn.\\nPrivacy\""),
    "text-not-a-mapping": ("organisation.yaml", "postal_attention:\n  nl: T.a.v. Privacy\n"
                           "  en: Attn. Privacy", "postal_attention: T.a.v. Privacy"),
    "country-not-a-code": ("organisation.yaml", "country: NL", "country: Nederland"),
    "legal-basis-not-in-list": ("purposes.yaml", "legal_bases: [legal_obligation]",
                                "legal_bases: [legitiem belang]"),
    "legal-bases-empty": ("purposes.yaml", "legal_bases: [legal_obligation]",
                          "legal_bases: []"),
    "legal-basis-twice": ("purposes.yaml", "legal_bases: [legal_obligation]",
                          "legal_bases: [legal_obligation, legal_obligation]"),
    "id-with-capitals": ("purposes.yaml", "- id: invoicing", "- id: Invoicing"),
    "boolean-as-text": ("purposes.yaml", "direct_marketing: true", "direct_marketing: ja"),
    "list-as-text": ("purposes.yaml", "data_categories: [contact, account, participation]",
                     "data_categories: contact"),
    "bad-dpv-term": ("purposes.yaml", "dpv: dpv:LegalCompliance", "dpv: LegalCompliance"),
    "status-not-in-list": ("version.yaml", "status: released", "status: concept"),
    "date-not-a-date": ("version.yaml", "last_changed: 2026-03-15", "last_changed: soon"),
    "summary-of-an-unknown-document": ("version.yaml", "summaries:\n",
                                       "summaries:\n  imprint: {nl: Nieuw., en: New.}\n"),
    "reconstructed-without-note": ("version.yaml", "status: released",
                                   "status: released\nreconstructed: {}"),
    "retention-period-words": ("data_categories.yaml", "period: P2Y", "period: 2 jaar"),
    "items-not-a-list": ("data_categories.yaml",
                         "nl: [cookies en dergelijke]", "nl: cookies en dergelijke"),
    "art9-condition-not-a-letter": ("data_categories.yaml", "provision: contractual",
                                    "provision: contractual\n    art9_condition: k"),
    "recipient-role-unknown": ("recipients.yaml", "role: processor", "role: verwerker"),
    "cookie-expiry-words": ("cookies.yaml", "expiry: P30D", "expiry: 30 dagen"),
    "cookie-party-unknown": ("cookies.yaml", "party: first\n    purpose:\n      nl: Onthoudt",
                             "party: own\n    purpose:\n      nl: Onthoudt"),
    "cookie-name-with-space": ("cookies.yaml", "name: basket", "name: my basket"),
    "cookie-category-explanation-unknown": ("cookies.yaml", "    tracking:\n",
                                            "    marketing:\n"),
    "right-not-in-list": ("privacy.yaml", "- access", "- inzage"),
    "site-url-not-https": ("site.yaml", "base_url: https://", "base_url: ftp://"),
}
VALID = {
    "optional-key-empty": ("organisation.yaml", "website: https://www.mkbserviceshop.nl",
                           "website:"),
    "optional-key-left-out": ("organisation.yaml",
                              "website: https://www.mkbserviceshop.nl\n", ""),
    "number-as-plain-text": ("organisation.yaml", "postcode: 7481 EV", "postcode: 7481"),
    "dpo-mapping": ("organisation.yaml", "\ndpo: none",
                    "\ndpo: {name: A. de Vries, email: fg@mkbserviceshop.nl}"),
    "special-category-with-condition": ("data_categories.yaml", "provision: voluntary\n",
                                        "provision: voluntary\n    special: true\n"
                                        "    art9_condition: a\n"),
    "draft-status": ("version.yaml", "status: released", "status: draft"),
    "reconstructed-with-note": ("version.yaml", "status: released",
                                "status: released\nreconstructed:\n  note: {nl: Uit het "
                                "archief., en: From the archive.}"),
}


def _apply(content: Path, case: tuple[str, str, str]) -> Path:
    name, old, new = case
    path = content / (name if name == "site.yaml" else f"{VERSION}/{name}")
    text = path.read_text(encoding="utf-8")
    assert old in text, f"corpus case no longer applies: {old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("pristine") / "content"
    shutil.copytree(CONTENT, target)
    return target


def _copy(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(pristine, target)
    return target


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_schema_and_validator_both_reject_a_broken_file(case, pristine, tmp_path):
    content = _copy(pristine, tmp_path)
    path = _apply(content, BROKEN[case])
    assert schema_errors(path), f"the schema accepts {case}"
    assert validator_problems(content, path), f"the validator accepts {case}"


@pytest.mark.parametrize("case", VALID, ids=str)
def test_schema_and_validator_both_accept_a_valid_variant(case, pristine, tmp_path):
    content = _copy(pristine, tmp_path)
    path = _apply(content, VALID[case])
    assert schema_errors(path) == []
    assert validator_problems(content, path) == []
