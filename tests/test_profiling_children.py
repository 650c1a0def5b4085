"""Profiling apart from Art. 22 decisions (issue 19, item 8) and children (item 9):
what ``check`` says about them and what the statement shows, in both languages.

The clean 2026-04-01 version (``tests/fixtures/check-clean.yaml``) is given an honest
statement of profiling without legal or similarly significant effect, no automated
decisions, a purpose for minors and a section on children; it must have no findings,
and its pages must show each fact. The older form (``used`` with a ``text``) is what
the shipped content uses, and stays valid.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .conftest import ROOT, TODAY, relock, run_build
from .test_check import FIXTURES, _fixture, apply_edits, check

ADM = """automated_decision_making:
  title:
    nl: Profilering en geautomatiseerde besluiten
    en: Profiling and automated decisions
  profiling:
    used: true
    purpose:
      nl: Wij delen klanten in groepen in naar hun aankopen, om hun passende aanbiedingen te sturen.
      en: We group customers by their purchases, to send them suitable offers.
    logic:
      nl: De groep volgt uit de productsoorten die u het afgelopen jaar kocht.
      en: The group follows from the kinds of products you bought in the past year.
    effects:
      nl: >-
        Dit heeft voor u geen rechtsgevolgen en treft u niet in aanmerkelijke mate;
        u ontvangt alleen andere aanbiedingen.
      en: >-
        This has no legal effects for you and does not similarly significantly affect
        you; you only receive other offers.
  decisions:
    used: false

"""
CHILDREN = """children:
  title:
    nl: Kinderen
    en: Children
  aimed_at_children: false
  minimum_age: 16
  parental_consent:
    nl: Wij vragen de ouder of voogd om toestemming per e-mail en controleren die telefonisch.
    en: We ask the parent or guardian for consent by e-mail and verify it by telephone.

"""
EDITS = [
    # The shipped section on children gives way to this one (placed before the rights).
    {"file": "privacy.yaml", "regex": True,
     "old": "\n# LEGAL.md section 6: a B2B shop(?s:.*?)  aimed_at_children: false\n", "new": "\n"},
    # The older form's flag and text give way to the new fields.
    {"file": "privacy.yaml", "regex": True,
     "old": "automated_decision_making:\n(?s:.*?)\n(?=rights:)", "new": ADM + CHILDREN},
    # A purpose that says it profiles, and one for minors.
    {"file": "purposes.yaml", "old": "We use your personal data to be able to send these "
     "offers and communications.", "new": "We use your personal data, including profiling, "
     "to send these offers and communications."},
    {"file": "purposes.yaml", "old": "        data_subjects: [business_contacts]\n",
     "new": "        data_subjects: [business_contacts, minors]\n"},
]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("profiling-children") / "content"
    shutil.copytree(ROOT / "content", target)
    apply_edits(target, _fixture(FIXTURES.parent / "check-clean.yaml")["edits"])
    apply_edits(target, EDITS)
    relock(target)
    return target


def test_profiling_without_art22_effect_and_children_stated_have_no_findings(content):
    assert check(content) == []


@pytest.mark.parametrize(("edit", "expected"), [
    # Without the section on children, the purpose for minors needs one.
    ({"file": "privacy.yaml", "regex": True, "old": "children:\n(?s:.*?)\n\n", "new": ""},
     ["P24 error privacy.yaml:10"]),
    # Saying profiling is not used, while a purpose says it profiles.
    ({"file": "privacy.yaml", "regex": True,
      "old": "  profiling:\n    used: true\n(?s:.*?)(?=  decisions:)",
      "new": "  profiling:\n    used: false\n"},
     ["P16 warning purposes.yaml:127"]),
    # Naming the topic, or the section by its title, says nothing about decisions.
    ({"file": "purposes.yaml", "old": "including profiling, to send",
      "new": "including profiling (see the section on automated decision-making and "
             "profiling, and the one headed Profiling and automated decisions), to send"},
     []),
])
def test_what_the_rules_still_find(content, tmp_path, edit, expected):
    changed = tmp_path / "content"
    shutil.copytree(content, changed)
    apply_edits(changed, [edit])
    assert check(changed) == expected


def test_parental_consent_is_asked_where_consent_is_the_basis(content, tmp_path):
    """Art. 8 GDPR: the age of digital consent and the parental consent are needed where
    consent is the legal basis for minors' data (or the service is aimed at children),
    not for a purpose under a contract (here: the order processing that lists minors)."""
    changed = tmp_path / "content"
    shutil.copytree(content, changed)
    apply_edits(changed, [{"file": "privacy.yaml", "regex": True,
                           "old": "  minimum_age: 16\n  parental_consent:\n.*\n.*\n",
                           "new": ""}])
    assert check(changed) == []
    apply_edits(changed, [{"file": "purposes.yaml", "old": "        legal_bases: [contract]\n",
                           "new": "        legal_bases: [contract, consent]\n"}])
    found = [f for f in check(changed) if f.startswith("P24")]
    assert len(found) == 1 and found[0].startswith("P24 error privacy.yaml:")  # the section


@pytest.fixture(scope="module")
def built(content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("profiling-children-site") / "site"
    result = run_build("build", "--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def pages(built) -> dict[str, str]:
    return {lang: (built / f"{lang}/privacy/index.html").read_text(encoding="utf-8")
            for lang in ("nl", "en")}


SHOWN = {
    "nl": ["<h3>Profilering</h3>", "<dt>Doel</dt>", "<dt>De onderliggende logica</dt>",
           "<dt>Gevolgen voor u</dt>", "geen rechtsgevolgen en treft u niet",
           "<h3>Geautomatiseerde besluiten (artikel 22 AVG)</h3>",
           "Wij nemen geen besluiten die uitsluitend op geautomatiseerde verwerking",
           "Deze dienst is niet gericht op kinderen.", "jonger bent dan 16 jaar",
           "Hoe wij die toestemming vragen en controleren", "controleren die telefonisch"],
    "en": ["<h3>Profiling</h3>", "<dt>Purpose</dt>", "<dt>The logic involved</dt>",
           "<dt>Effects for you</dt>", "no legal effects for you",
           "<h3>Automated decisions (Article 22 GDPR)</h3>",
           "We do not take decisions based solely on automated processing",
           "This service is not aimed at children.", "under the age of 16",
           "How we obtain and verify that consent", "verify it by telephone"],
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_page_shows_profiling_decisions_and_children(pages, lang):
    html = pages[lang]
    for shown in SHOWN[lang]:
        assert shown in html, shown
    toc = re.search(r'<nav class="pd-toc".*?</nav>', html, re.S).group(0)
    assert 'href="#automated-decision-making"' in toc and 'href="#children"' in toc
    # children after automated decisions, both before the rights
    assert (html.index('id="automated-decision-making"') < html.index('id="children"')
            < html.index('id="rights"'))


def test_the_dpv_export_has_the_profiling_process_and_the_json_model_the_fields(built):
    statement = json.loads((built / "api/privacy/2026-04-01.jsonld").read_text())
    document, *nodes = statement["@graph"]
    graph = {node["@id"].rpartition("#")[2]: node for node in nodes}
    profiling = graph["profiling"]
    assert profiling["@type"] == "dpv:Process"
    assert profiling["dpv:hasProcessing"] == {"@id": "dpv:Profiling"}
    assert {"@value": "We group customers by their purchases, to send them suitable offers.",
            "@language": "en"} in profiling["dpv:hasPurpose"]["dct:description"]
    assert "automated-decisions" not in graph  # said not to be taken
    assert {"@id": profiling["@id"]} in document["dct:hasPart"]
    privacy = json.loads((built / "api/privacy/2026-04-01.json").read_text())["model"]["privacy"]
    assert privacy["automated_decision_making"]["decisions"] == {
        "used": False, "logic": None, "significance": None, "consequences": None}
    assert privacy["children"]["minimum_age"] == "16"


# The new fields, for the editors' JSON Schema and the validator alike (test_json_schema).
# The shipped 2026-04-01 version has a section on children (not aimed at them).
CHILDREN_SECTION = ("privacy.yaml", "  aimed_at_children: false\n",
                    "  aimed_at_children: true\n  minimum_age: AGE\n"
                    "  parental_consent: {nl: Per e-mail., en: By e-mail.}\n")
VALID = {
    "children-age-a-number": CHILDREN_SECTION[:2] + (CHILDREN_SECTION[2].replace("AGE", "16"),),
    "children-age-quoted": CHILDREN_SECTION[:2] + (CHILDREN_SECTION[2].replace("AGE", "'13'"),),
    "profiling-and-decisions": ("privacy.yaml", "  used: false\n",
                                "  profiling: {used: false}\n  decisions: {used: false}\n"),
    "settings-link-a-page": ("cookies.yaml", 'href: "#cookie-settings"',
                             "href: https://www.mkbserviceshop.nl/cookies/instellingen"),
}
BROKEN = {
    "children-age-under-13": CHILDREN_SECTION[:2] + (CHILDREN_SECTION[2].replace("AGE", "12"),),
    "profiling-without-used": ("privacy.yaml", "  used: false\n", "  profiling: {}\n"),
    "consent-tool-unknown": ("cookies.yaml", "tool: cookieconsent", "tool: cookiebot"),
    "settings-link-script": ("cookies.yaml", 'href: "#cookie-settings"',
                             'href: "javascript:alert(1)"'),
}


@pytest.mark.parametrize("case", VALID, ids=str)
def test_schema_and_validator_both_accept_the_new_fields(case, tmp_path):
    from .test_json_schema import _apply, schema_errors, validator_problems
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = _apply(content, VALID[case])
    assert schema_errors(path) == []
    assert validator_problems(content, path) == []


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_schema_and_validator_both_reject_the_new_fields_misused(case, tmp_path):
    from .test_json_schema import _apply, schema_errors, validator_problems
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    path = _apply(content, BROKEN[case])
    assert schema_errors(path), f"the schema accepts {case}"
    assert validator_problems(content, path), f"the validator accepts {case}"
