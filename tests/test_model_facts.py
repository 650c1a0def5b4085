"""Issue 19, items 1, 2, 4, 5 and 6: facts of the model that reach the page, the
register and the exports: categories of data subjects, security measures, special
categories with their Art. 9(2) condition and national identifiers, the part of a
purpose each legal basis covers, and retention per purpose."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from hypothesis import given, settings
from hypothesis import strategies as st

import generator.check.run  # noqa: F401 (registers the rules)
from generator.check.rules import run_rules
from generator.content import vocabulary
from generator.content.model import build_site
from generator.content.schema import ART9_CONDITIONS, DATA_SUBJECTS, LANGUAGES, LEGAL_BASES
from generator.errors import ContentError, Location, Problems
from generator.export import dpv, register
from generator.pipeline import Project, load_and_validate, render
from generator.render import i18n

from .conftest import ROOT, TODAY

VERSION = "2026-04-01"
CATALOG = ROOT / "locales/nl/LC_MESSAGES/messages.po"


def edit(content: Path, name: str, old: str, new: str, version: str = VERSION) -> None:
    path = content / "versions" / version / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(content: Path, name: str, text: str, version: str = VERSION) -> None:
    path = content / "versions" / version / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.fixture(autouse=True)
def _pdfs_stood_in(pdf_stand_in) -> None:
    """These tests read pages, the register and the exports: each rendering's PDFs are
    stood in for (``conftest.pdf_stand_in``), not laid out one after another."""


def model(content: Path):
    site = build_site(load_and_validate(Project.at(ROOT, content=content)),
                      date.fromisoformat(TODAY), drafts=True)
    return site, next(v for v in site.versions if v.name == VERSION)


def page(content: Path, lang: str) -> str:
    site, _ = model(content)
    files, _ = render(Project.at(ROOT, content=content), site)
    return files[f"{lang}/privacy/{VERSION}/index.html"].decode("utf-8")


def rows(version, lang: str) -> dict[str, register.Row]:
    gettext = i18n.load_translations(ROOT / "locales", lang, Problems()).gettext
    reg = register.build_register(version, lang, gettext)
    ids = [p["id"] for g in version.groups for p in g["purposes"]]
    return dict(zip(ids, reg.rows, strict=True))


SECURITY = """
security:
  title:
    nl: Beveiliging
    en: Security
  text:
    nl: Wij versleutelen verbindingen en beperken de toegang tot wie de gegevens nodig heeft.
    en: We encrypt connections and limit access to those who need the data.
"""
SUBJECTS = """
data_subjects:
  - id: volunteers
    name:
      nl: vrijwilligers
      en: volunteers
    dpv: dpv:Participant
"""
HEALTH = """
  - id: health
    name:
      nl: Gezondheidsgegevens
      en: Health data
    items:
      nl: [medische voorgeschiedenis, burgerservicenummer]
      en: [medical history, citizen service number]
    retention:
      period: P20Y
    provision: statutory
    consequence:
      nl: Zonder deze gegevens kunnen wij u niet behandelen.
      en: Without this data we cannot treat you.
    special: true
    art9_condition: h
    art9_law:
      nl: art. 30 lid 3 UAVG
      en: UAVG art. 30(3)
    national_identifier:
      name:
        nl: burgerservicenummer (BSN)
        en: citizen service number (BSN)
      law:
        nl: art. 46 UAVG en de Wabvpz
        en: UAVG art. 46 and the Wabvpz
"""


@pytest.fixture(scope="module")
def facts(tmp_path_factory) -> Path:
    """The 2026 example with every fact of these items: an own category of data subjects,
    general and per-purpose security, a health category with its condition and the BSN,
    a purpose whose two bases each say what they cover, and a purpose's own retention."""
    content = tmp_path_factory.mktemp("facts") / "content"
    shutil.copytree(ROOT / "content", content)
    append(content, "privacy.yaml", SECURITY)
    append(content, "purposes.yaml", SUBJECTS)
    append(content, "data_categories.yaml", HEALTH)
    edit(content, "purposes.yaml", "data_subjects: [business_contacts, website_visitors]",
         "data_subjects: [business_contacts, website_visitors, volunteers, patients]")
    # The shipped marketing purpose says what each of its bases covers; other words here.
    edit(content, "purposes.yaml",
         "            nl: het sturen van promotionele aanbiedingen aan wie heeft aangegeven die "
         "te willen ontvangen.\n"
         "            en: sending promotional offers to those who have said they wish to "
         "receive them.\n",
         "            nl: Aanbiedingen aan wie zich daarvoor heeft aangemeld.\n"
         "            en: Offers to those who signed up for them.\n")
    edit(content, "purposes.yaml",
         "            nl: het sturen van (digitale) catalogi, folders en brochures aan "
         "bestaande klanten.\n"
         "            en: sending (digital) catalogues, leaflets and brochures to existing "
         "customers.\n",
         "            nl: Aanbiedingen aan bestaande klanten.\n"
         "            en: Offers to existing customers.\n")
    edit(content, "purposes.yaml", "legal_bases: [consent, legitimate_interests]\n",
         "legal_bases: [consent, legitimate_interests]\n"
         "        security:\n"
         "          nl: De verzendlijst staat in een afgeschermde omgeving.\n"
         "          en: The mailing list is kept in a shielded environment.\n")
    edit(content, "purposes.yaml", "data_categories: [contact, account, participation]",
         "data_categories: [contact, account, participation, health]")
    return content


# --- 1. categories of data subjects ----------------------------------------------------

def test_data_subjects_on_the_page_in_both_languages(facts):
    nl, en = page(facts, "nl"), page(facts, "en")
    assert "<strong>Betrokkenen:</strong> contactpersonen bij zakelijke klanten, " \
           "bezoekers van onze website, vrijwilligers en patiënten" in nl
    assert "<strong>Data subjects:</strong> contact persons at business customers, " \
           "visitors to our website, volunteers and patients" in en


def test_data_subjects_fill_register_column_c(facts):
    _, version = model(facts)
    for lang in LANGUAGES:
        for ident, row in rows(version, lang).items():
            assert "subjects" not in row.gaps, ident
    marketing = rows(version, "nl")["marketing"]
    assert marketing.cells["c"].startswith("Betrokkenen: contactpersonen bij zakelijke klanten")


def test_a_purpose_without_data_subjects_is_flagged_missing(content):
    edit(content, "purposes.yaml", "        data_subjects: [business_contacts]\n", "")
    _, version = model(content)
    row = rows(version, "en")["order-processing"]
    assert "subjects" in row.gaps and row.cells["c"].startswith("MISSING: ")


def test_data_subjects_in_the_dpv_export(facts):
    site, version = model(facts)
    entry = site.entry("privacy", VERSION)
    graph = {node["@id"].rpartition("#")[2]: node
             for node in dpv.dpv_document(site, entry)["@graph"]}
    assert graph["data-subject-patients"]["@type"] == ["dpv:Patient"]
    assert graph["data-subject-volunteers"]["@type"] == ["dpv:DataSubject", "dpv:Participant"]
    assert {"@id": graph["data-subject-volunteers"]["@id"]} in \
        graph["process-marketing"]["dpv:hasDataSubject"]


def test_an_unknown_data_subject_is_refused_with_the_known_ones(content):
    edit(content, "purposes.yaml", "data_subjects: [business_contacts]",
         "data_subjects: [custommers]")
    with pytest.raises(ContentError) as raised:
        model(content)
    message = str(raised.value.problems)
    assert "category of data subjects 'custommers' does not exist" in message
    assert "customers" in message


def test_an_own_category_may_not_take_a_fixed_id(content):
    append(content, "purposes.yaml", SUBJECTS.replace("volunteers", "customers"))
    with pytest.raises(ContentError) as raised:
        model(content)
    assert "'customers' is one of the fixed categories of data subjects" in \
        str(raised.value.problems)


@settings(max_examples=len(DATA_SUBJECTS), deadline=None)
@given(st.sampled_from(DATA_SUBJECTS))
def test_every_fixed_data_subject_has_a_label_a_dutch_term_and_a_dpv_term(ident):
    label = vocabulary.DATA_SUBJECT[ident]
    assert _dutch(label) and _dutch(label) != label
    assert vocabulary.DATA_SUBJECT_DPV[ident]
    assert all(term.startswith("dpv:") for term in vocabulary.DATA_SUBJECT_DPV[ident])


# --- 2. security measures -----------------------------------------------------------------

def test_security_is_a_section_of_the_page_and_a_line_under_the_purpose(facts):
    nl, en = page(facts, "nl"), page(facts, "en")
    assert 'id="security"' in en and "We encrypt connections" in en
    assert "Wij versleutelen verbindingen" in nl
    assert "<strong>Security for this purpose:</strong> The mailing list" in en
    assert "<strong>Beveiliging voor dit doel:</strong> De verzendlijst" in nl


def test_register_column_g_from_the_general_and_the_purpose_measures(facts):
    _, version = model(facts)
    for ident, row in rows(version, "en").items():
        assert "security" not in row.gaps
        assert row.cells["g"].startswith("We encrypt connections")
        assert ("shielded environment" in row.cells["g"]) == (ident == "marketing")


def test_without_security_column_g_is_flagged_missing(content):
    _, version = model(content)
    assert all("security" in row.gaps for row in rows(version, "en").values())


# --- 4. special categories and national identifiers -------------------------------------

def test_the_art9_condition_and_the_bsn_on_the_page(facts):
    import re
    # the labels are set apart in their own span (issue 22): read the text
    nl, en = (re.sub(r"</?span[^>]*>", "", page(facts, lang)) for lang in ("nl", "en"))
    assert ("Special category of personal data: processed under the exception for "
            "preventive or occupational medicine, medical diagnosis, or the provision of "
            "health or social care or treatment (Art. 9(2)(h) GDPR), read with UAVG "
            "art. 30(3)") in en
    assert "(art. 9 lid 2 sub h AVG), in samenhang met art. 30 lid 3 UAVG" in nl
    assert "National identification number: citizen service number (BSN)." in en
    assert "Nationaal identificatienummer: burgerservicenummer (BSN)." in nl


def test_the_art9_condition_and_the_bsn_in_the_register(facts):
    _, version = model(facts)
    cell = rows(version, "en")["loyalty-programme"].cells["c"]
    assert "special category, Art. 9(2)(h) GDPR: preventive or occupational medicine" in cell
    assert "(UAVG art. 30(3))" in cell
    assert "National identification number: citizen service number (BSN) " \
           "(UAVG art. 46 and the Wabvpz)" in cell


def test_the_bsn_without_its_law_is_reported(facts, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(facts, content)
    edit(content, "data_categories.yaml", "    national_identifier:\n", "    x_national:\n")
    edit(content, "data_categories.yaml", "    x_national:\n      name:\n        nl: "
         "burgerservicenummer (BSN)\n        en: citizen service number (BSN)\n      law:\n"
         "        nl: art. 46 UAVG en de Wabvpz\n        en: UAVG art. 46 and the Wabvpz\n", "")
    _, version = model(content)
    assert [f.rule for f in run_rules(version) if f.rule == "P23"] == ["P23"]
    _, complete = model(facts)
    assert not [f for f in run_rules(complete) if f.rule in ("P20", "P23")]


@settings(max_examples=len(ART9_CONDITIONS), deadline=None)
@given(st.sampled_from(ART9_CONDITIONS))
def test_every_art9_condition_has_words_in_both_languages_and_a_dpv_iri(point):
    label = vocabulary.ART9_CONDITION[point]
    assert _dutch(label) and _dutch(label) != label
    node = dpv._category("p", "c", {"name": _Text(), "source": "data_subject",
                                     "special": True, "art9_condition": point})
    assert node["dpv:hasLegalBasis"] == {"@id": f"eu-gdpr:A9-2-{point}"}


# --- 5. what each legal basis covers ------------------------------------------------------

def test_each_basis_with_its_part_on_the_page(facts):
    en, nl = page(facts, "en"), page(facts, "nl")
    assert "<li>Consent: Offers to those who signed up for them.</li>" in en
    assert "<li>Legitimate interests: Offers to existing customers.</li>" in en
    assert "<li>Toestemming: Aanbiedingen aan wie zich daarvoor heeft aangemeld.</li>" in nl


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(LEGAL_BASES), min_size=2, max_size=4, unique=True),
       st.data())
def test_p05_clears_exactly_when_every_basis_has_its_part(bases, data):
    covered = data.draw(st.lists(st.sampled_from(bases), unique=True))
    purpose = _Purpose(bases, {basis: _Text() for basis in covered})
    found = _p05(purpose)
    missing = [b for b in bases if b not in covered]
    assert bool(found) == bool(missing)
    if missing:
        assert found[0].params["bare"] == ", ".join(missing)


# --- 6. retention per purpose -------------------------------------------------------------

def test_a_purposes_own_retention_on_the_page_and_in_the_register(content):
    nl, en = page(content, "nl"), page(content, "en")
    assert ('<strong>Retention for this purpose:</strong> <a href="#category-contact">'
            'Contact details</a>: 7 years; because of the statutory retention') in en
    assert "<strong>Bewaartermijn voor dit doel:</strong>" in nl
    _, version = model(content)
    by_purpose = rows(version, "en")
    assert "Contact details: 7 years; because of" in by_purpose["legal-obligations"].cells["f"]
    assert "Contact details: 2 years; from your last order" in \
        by_purpose["order-processing"].cells["f"]


# --- the shipped content --------------------------------------------------------------------

def test_the_shipped_versions_name_the_data_subjects_of_every_purpose():
    site = build_site(load_and_validate(Project.at(ROOT)), date.fromisoformat(TODAY), False)
    for version in site.versions:
        for purpose in version.purposes.values():
            assert purpose["data_subjects"], (version.name, purpose["id"])
        for row in rows(version, "nl").values():
            assert "subjects" not in row.gaps


# --- helpers --------------------------------------------------------------------------------

def _dutch(message: str) -> str:
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    found = catalog.get(message)
    return found.string if found else ""


class _Text(dict):
    """A text with both languages, enough for the rules and the export."""

    def __init__(self):
        super().__init__(nl="tekst.", en="text.")
        self.values = dict(self)
        self.markdown = False


class _Purpose(dict):
    def __init__(self, bases, covers):
        super().__init__(id="p", legal_bases=bases, basis_covers=covers)
        self.loc, self.value_locs, self.key_locs = Location("purposes.yaml", 1, 1), {}, {}


def _p05(purpose) -> list:
    from generator.check.rules import RULES, Findings
    rule = next(r for r in RULES if r.id == "P05")
    version = type("V", (), {"purposes": {"p": purpose}})()
    out = Findings(rule)
    rule.run(version, out)
    return [f for f in out.findings if "without saying" in f.missing]


def test_a_complete_model_leaves_no_gap_in_columns_c_and_g():
    """The care provider's current version states every fact these columns take."""
    content = ROOT / "examples/care-provider"
    site = build_site(load_and_validate(Project.at(ROOT, content=content)),
                      date.fromisoformat(TODAY), drafts=True)
    newest = site.versions[-1]
    for lang in LANGUAGES:
        for ident, row in rows(newest, lang).items():
            assert not {"subjects", "art9", "security"} & set(row.gaps), (ident, row.gaps)
            assert "MISSING" not in row.cells["c"] + row.cells["g"], ident


def test_the_change_list_names_the_new_facts_of_a_purpose(facts):
    from generator.render import changes
    site, new = model(facts)
    old = next(v for v in site.versions if v.name == "2020-10-01")
    found = changes.document_changes("privacy", old, new)
    said = {lang: [changes.describe(c, lang, i18n.load_translations(
        ROOT / "locales", lang, Problems()).gettext) for c in found] for lang in LANGUAGES}
    assert "Categories of data subjects for the purpose ‘Marketing and promotional offers’: " \
           "contact persons at " \
           "business customers and visitors to our website → contact persons at business " \
           "customers, visitors to our website, volunteers and patients" in said["en"]
    assert "Retention period for contact details under the purpose ‘Legal objectives’: " \
           "not stated → 7 years; because of the statutory retention obligation for tax " \
           "records, for the contact details that appear on invoices" in said["en"]
    assert "Bewaartermijn van contactgegevens voor het doel ‘Wettelijke doelstellingen’: " \
           "niet vermeld → 7 jaar; vanwege de fiscale bewaarplicht, voor de contactgegevens " \
           "die op facturen staan" in said["nl"]
    assert any(line.startswith("Doel ‘Marketing en promotionele aanbiedingen’ — verwerking "
                               "per rechtsgrond (") for line in said["nl"]), said["nl"]
    assert "Security measures for Marketing and promotional offers: added" in said["en"]
