"""``python build.py check``: the GDPR completeness findings, rule by rule.

The 2026-04-01 example version, with the edits of ``tests/fixtures/check-clean.yaml``,
has no findings at all. Each fixture in ``tests/fixtures/check/`` applies a small
edit to that clean version that violates one rule, and the test asserts exactly
the findings the fixture expects.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.check.rules import RULES
from generator.check.run import check_valid, format_article, run_check
from generator.errors import ContentError
from generator.pipeline import Project

from .conftest import ROOT, TODAY, relock, run_build

FIXTURES = ROOT / "tests/fixtures/check"
BASE = "2026-04-01"


def pinned(result) -> list[str]:
    return [f"{f.rule} {f.severity} {Path(f.location.path).name}:{f.location.line}"
            for f in result.findings]


def check(content: Path, version: str | None = BASE) -> list[str]:
    return pinned(run_check(Project.at(ROOT, content=content), version))


def apply_edits(content: Path, edits: list[dict], version: str = BASE) -> None:
    for edit in edits:
        path = content / "versions" / version / edit["file"]
        text = path.read_text(encoding="utf-8")
        count = edit.get("count", 1)
        if edit.get("regex"):
            new, made = re.subn(edit["old"], edit["new"], text, count=count)
        else:
            made = text.count(edit["old"])
            new = text.replace(edit["old"], edit["new"], count if count else -1)
        assert made, f"fixture edit no longer applies to {edit['file']}: {edit['old']!r}"
        path.write_text(new, encoding="utf-8")


# The seed statement of 1 October 2020, as modelled: its real gaps (its non-AVG terms,
# P28, are counted apart: one per term per text).
SEED_FINDINGS = [
    "P10 error data_categories.yaml:8", "P15 error data_categories.yaml:8",
    "P10 error data_categories.yaml:17", "P15 error data_categories.yaml:17",
    "P10 error data_categories.yaml:25", "P15 error data_categories.yaml:25",
    "P10 error data_categories.yaml:34", "P15 error data_categories.yaml:34",
    "P10 error data_categories.yaml:43", "P15 error data_categories.yaml:43",
    "P21 warning data_categories.yaml:52",  # "Deze gegevens kunnen ... verschillen" (no period)
    "P10 error data_categories.yaml:56", "P15 error data_categories.yaml:56",
    "P21 warning data_categories.yaml:64",
    "P10 error data_categories.yaml:67", "P15 error data_categories.yaml:67",
    "P10 error data_categories.yaml:79", "P15 error data_categories.yaml:79",
    "P03 warning organisation.yaml:6",  # no DPO statement (only "where applicable")
    "P16 warning privacy.yaml:6",  # nothing on automated decision-making
    "R01 warning privacy.yaml:6",  # no security measures (Art. 30(1)(g))
    "P02 warning privacy.yaml:44",  # contact details under the trade name
    "P21 warning privacy.yaml:44",  # "U kunt ons bereiken via privacy@..." (no period)
    "P12 error privacy.yaml:169",  # objection not shown separately
    "P11 error privacy.yaml:189",  # right to restriction missing
    "P14 warning privacy.yaml:219",  # the AP's old address in the complaints text
    "P14 warning privacy.yaml:226",  # AP's old visiting address
    "P06 error purposes.yaml:56",  # invoicing: legitimate interest not named
    "P05 warning purposes.yaml:80", "P05 warning purposes.yaml:129",
    "P07 warning purposes.yaml:175",  # legal obligation: no law named
    "P26 error purposes.yaml:175", "P26 error purposes.yaml:175",  # fraud, debt collection
]
SEED_TERMS = 59
# The example version of 1 April 2026 closes the completeness gaps; what remains is the
# legal basis of fraud and debt collection, the analytics cookie, wording and terms.
EXAMPLE_FINDINGS = [
    "C09 error cookies.yaml:100",  # analytics cookie on legitimate interests, no purpose
    "C08 error cookies.yaml:102",  # its low-impact data also used for marketing
    "P21 warning data_categories.yaml:87", "P21 warning data_categories.yaml:107",
    "R01 warning privacy.yaml:10",  # no security measures (Art. 30(1)(g))
    "P02 warning privacy.yaml:48", "P21 warning privacy.yaml:48",
    "P16 warning privacy.yaml:192",  # "ten behoeve van profilering" in the rights text
    "P26 error purposes.yaml:191", "P26 error purposes.yaml:191",  # under art. 52 AWR, 2:10 BW
]
EXAMPLE_TERMS = 49


def without_terms(found: list[str]) -> list[str]:
    return [f for f in found if not f.startswith("P28 ")]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("shipped") / "content"
    shutil.copytree(ROOT / "content", target)
    return target


@pytest.fixture(scope="module")
def clean(tmp_path_factory, shipped) -> Path:
    target = tmp_path_factory.mktemp("clean") / "content"
    shutil.copytree(shipped, target)
    apply_edits(target, _fixture(FIXTURES.parent / "check-clean.yaml")["edits"])
    relock(target)  # its edits, released
    return target


def test_the_seed_version_reports_its_real_gaps(shipped):
    found = check(shipped, "2020-10-01")
    assert without_terms(found) == SEED_FINDINGS
    assert len(found) - len(SEED_FINDINGS) == SEED_TERMS


def test_the_example_version_reports_what_2027_corrects(shipped):
    found = check(shipped, "2026-04-01")
    assert without_terms(found) == EXAMPLE_FINDINGS
    assert len(found) - len(EXAMPLE_FINDINGS) == EXAMPLE_TERMS


def test_the_clean_base_of_the_fixtures_has_no_findings(clean):
    assert check(clean) == []


def test_check_looks_at_the_newest_version_by_default(shipped):
    newest = max(p.name for p in (shipped / "versions").iterdir())
    assert check(shipped, None) == check(shipped, newest)


FIXTURE_FILES = sorted(FIXTURES.glob("*.yaml"))


def _fixture(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_each_fixture_violates_its_rule_alone(path, clean, tmp_path):
    fixture = _fixture(path)
    content = tmp_path / "content"
    shutil.copytree(clean, content)
    apply_edits(content, fixture["edits"])
    if "validation" in fixture:  # enforced before the check runs, as a content error
        with pytest.raises(ContentError) as raised:
            check(content)
        messages = [str(p) for p in raised.value.problems]
        assert any(fixture["validation"] in m for m in messages), messages
        return
    found = check(content)
    assert found == fixture["expect"]
    assert {f.split()[0] for f in found} == {fixture["rule"]}


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_each_fixtures_advised_fix_clears_it(path, clean, tmp_path):
    """The fix a fixture declares is what its finding's "How to fix" advises, or for a
    validation fixture what the content error says would be right (the fixture's comment
    quotes it); applied, the version is clean again."""
    fixture = _fixture(path)
    content = tmp_path / "content"
    shutil.copytree(clean, content)
    apply_edits(content, fixture["edits"])
    apply_edits(content, advised_fix(fixture))
    assert check(content) == []


def advised_fix(fixture: dict) -> list[dict]:
    """The fixture's ``fix:``, or else its edits undone: where the advice is to put back
    what the edit took away (a right in 'covered:', 'dpo: none', a full stop). An edit
    that cannot be undone by text (a regex, or one that only deletes) needs ``fix:``."""
    if "fix" in fixture:
        return fixture["fix"]
    undone = []
    for edit in reversed(fixture["edits"]):
        assert not edit.get("regex") and edit["new"], "declare 'fix:' in the fixture"
        undone.append({**edit, "old": edit["new"], "new": edit["old"]})
    return undone


@pytest.mark.parametrize("text, said", [
    ("U kunt uw toestemming op elk moment intrekken.", True),
    ("U heeft het recht uw toestemming te allen tijde in te trekken.", True),  # AVG art. 7(3)
    ("Trekt u uw toestemming in, dan plaatsen wij die cookies niet meer.", True),
    ("U kunt uw keuzes op elk moment wijzigen.", False),
])
def test_c04_reads_withdrawal_as_the_avg_words_it(text, said):
    from generator.check.cookies import WITHDRAW
    assert bool(re.search(WITHDRAW["nl"], text, re.IGNORECASE)) is said


def test_every_rule_has_a_fixture():
    covered = {_fixture(path)["rule"] for path in FIXTURE_FILES}
    assert {rule.id for rule in RULES} <= covered
    assert "C01" in covered  # enforced by validation, shown by a fixture too


def test_articles_read_as_law_in_each_language():
    assert format_article("GDPR 13(1)(b), 27", "en") == "GDPR Art. 13(1)(b), 27"
    assert format_article("GDPR 13(1)(b), 27", "nl", {"GDPR": "AVG"}.get) == \
        "AVG art. 13 lid 1 sub b, 27"
    assert format_article("Tw 11.7a(1), GDPR 7(3)", "nl", {"GDPR": "AVG", "Tw": "Tw"}.get) == \
        "Tw art. 11.7a lid 1, AVG art. 7 lid 3"


def test_findings_are_located_and_say_what_to_do(shipped):
    from generator.check.run import format_finding, translations_for
    result = check_valid_for(shipped, "2020-10-01")
    project = Project.at(ROOT, content=shipped)
    dpo = next(f for f in result.findings if f.rule == "P03")
    line_en = format_finding(dpo, "en", translations_for(project, "en"))
    assert line_en.endswith(
        "organisation.yaml:6:1: warning P03 (GDPR Art. 13(1)(b)): no data protection officer "
        "(DPO) is named, and no statement that there is none. How to fix: add 'dpo:' with "
        "'name:' and 'email:', or write 'dpo: none' if you have not appointed one.")
    line_nl = format_finding(dpo, "nl", translations_for(project, "nl"))
    assert line_nl.endswith(
        "organisation.yaml:6:1: waarschuwing P03 (AVG art. 13 lid 1 sub b): er wordt geen "
        "functionaris voor gegevensbescherming (FG) genoemd, en ook niet gezegd dat die er "
        "niet is. "
        "Oplossing: voeg 'dpo:' toe met 'name:' en 'email:', of schrijf 'dpo: none' als u "
        "geen FG hebt aangesteld.")


def check_valid_for(content: Path, version: str):
    from generator.pipeline import load_and_validate
    return check_valid(load_and_validate(Project.at(ROOT, content=content)), version)


# --- the command line -------------------------------------------------------------

def test_check_command_exit_codes_and_languages(shipped):
    seed = run_build("check", "--content", str(shipped), "2020-10-01")
    assert seed.returncode == 1
    assert "error P11 (GDPR Art. 13(2)(b)" in seed.stdout
    assert seed.stdout.rstrip().endswith("Version 2020-10-01: 21 errors, 71 warnings.")

    example = run_build("check", "--content", str(shipped), "2026-04-01")
    assert example.returncode == 1, example.stdout + example.stderr
    assert example.stdout.rstrip().endswith("Version 2026-04-01: 4 errors, 55 warnings.")

    dutch = run_build("check", "--lang", "nl", "--content", str(shipped), "2020-10-01")
    assert "waarschuwing P16 (AVG art. 13 lid 2 sub f, 22): de verklaring zegt niet" in dutch.stdout
    assert dutch.stdout.rstrip().endswith("Versie 2020-10-01: 21 fouten, 71 waarschuwingen.")

    unknown = run_build("check", "--content", str(shipped), "2019-01-01")
    assert unknown.returncode == 2
    assert "there is no version '2019-01-01'" in unknown.stderr


def test_check_validates_first(content):
    path = content / "versions/2026-04-01/purposes.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "legal_bases: [legal_obligation]", "legal_bases: [wettelijke plicht]"), encoding="utf-8")
    result = run_build("check", "--content", str(content))
    assert result.returncode == 1
    assert re.search(r"content/versions/2026-04-01/purposes\.yaml:\d+:\d+: .*'wettelijke plicht' "
                     r"is not one of", result.stderr)


def test_build_strict_fails_on_any_finding_and_writes_nothing(shipped, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(shipped, content)
    newest = max(p.name for p in (content / "versions").iterdir())
    apply_edits(content, [{"file": "organisation.yaml", "old": "\ndpo: none", "new": ""}], newest)
    relock(content)
    out = tmp_path / "site"
    strict = run_build("build", "--strict", "--content", str(content), "--out", str(out),
                       "--today", TODAY)
    assert strict.returncode == 1
    assert "warning P03" in strict.stderr
    assert not out.exists()


def test_build_strict_passes_on_a_clean_version(clean, tmp_path):
    out = tmp_path / "site"
    result = run_build("build", "--strict", "--content", str(clean), "--out", str(out),
                       "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert (out / "nl/privacy/index.html").exists()
