"""Issue 19, items 3, 7, 10 and 11: who is responsible and who receives the data, as the
page, the register and the DPV export show them.

- recipients' role and country, countries named in the page's language (never a bare
  code), transfers with their grounds in order (the first applies, later ones are the
  fallback), the decision or the point of Art. 49(1) named, and the older single
  ``mechanism:`` still read;
- the data protection officer: none, internal or external (a firm and a contact person),
  written by the template alone;
- the controller: legal and trade name, Chamber of Commerce number, establishment, EU
  representative with its address;
- the supervisory authority from the structured block, or the Autoriteit
  Persoonsgegevens where none is given and the controller is in the Netherlands.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import jsonschema
import pytest
import yaml
from babel import Locale

from generator.content import derived
from generator.content.model import build_site
from generator.errors import ContentError
from generator.export import json_schema, register
from generator.pipeline import Project, load_and_validate
from generator.render import i18n
from generator.render.change_walk import Walk

from .conftest import ROOT, TODAY, relock, run_build

VERSION = "2026-04-01"
DPF = {"nl": "Uitvoeringsbesluit (EU) 2023/1795 van de Commissie van 10 juli 2023 over het "
             "EU-VS-gegevensprivacykader",
       "en": "Commission Implementing Decision (EU) 2023/1795 of 10 July 2023 on the EU-US "
             "Data Privacy Framework"}
COPY = {"nl": "Een kopie van de modelcontractbepalingen vraagt u op via privacy@mkbserviceshop.nl.",
        "en": "You can ask for a copy of the standard contractual clauses at "
              "privacy@mkbserviceshop.nl."}


def _edit(folder: Path, name: str, change) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _organisation(org: dict) -> None:
    org["chamber_of_commerce"] = "08123456"
    org["establishment"] = {"nl": "Hoofdvestiging in Haaksbergen",
                            "en": "Main establishment in Haaksbergen"}
    org["dpo"] = {"kind": "external", "firm": "Privacy Partners B.V.", "name": "J. Jansen",
                  "email": "fg@privacypartners.nl", "phone": "+31 20 123 4567"}
    org["representative"] = {"name": "EU Rep GmbH", "email": "rep@eurep.de",
                             "address": {"street": "Hauptstraße 1", "postcode": "10115",
                                         "city": "Berlin", "country": "DE"}}


def _recipients(data: dict) -> None:
    where = {"processors": "US", "carriers": "CH", "other": "BR"}
    for recipient in data["recipients"]:
        recipient["country"] = where.get(recipient["id"], recipient["country"])
        if recipient["id"] == "payment-services":
            recipient["role"] = "joint_controller"
            recipient["arrangement"] = ARRANGEMENT


ARRANGEMENT = {
    "nl": "Wij informeren u; u kunt uw rechten bij ons en bij de betaaldienst uitoefenen.",
    "en": "We inform you; you can exercise your rights with us and with the payment service."}


def _privacy(data: dict) -> None:
    data["transfers"]["text"] = {
        "nl": "Sommige ontvangers verwerken uw gegevens buiten de Europese Economische Ruimte.",
        "en": "Some recipients process your data outside the European Economic Area."}
    data["transfers"]["transfers"] = [
        {"recipient": "processors", "country": "US",
         "mechanisms": [{"type": "adequacy_decision", "decision": DPF},
                        {"type": "standard_contractual_clauses"}],
         "copy_how": COPY},
        {"recipient": "carriers", "country": "CH", "mechanism": "adequacy_decision"},
        {"recipient": "other", "country": "BR",
         "mechanisms": [{"type": "derogation", "derogation": "b"}]},
    ]
    assert "supervisory_authority" not in data["complaints"]  # the default applies


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("parties") / "content"
    shutil.copytree(ROOT / "content", target)
    folder = target / "versions" / VERSION
    _edit(folder, "organisation.yaml", _organisation)
    _edit(folder, "recipients.yaml", _recipients)
    _edit(folder, "privacy.yaml", _privacy)
    relock(target)
    return target


@pytest.fixture(scope="module")
def built(content, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("parties-site") / "site"
    result = run_build("build", "--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr + result.stdout
    return out


@pytest.fixture(scope="module")
def model(content):
    site = build_site(load_and_validate(Project.at(ROOT, content=content)),
                      date.fromisoformat(TODAY), False)
    return next(v for v in site.versions if v.name == VERSION)


def page(built: Path, lang: str) -> str:
    return (built / lang / "privacy" / "index.html").read_text(encoding="utf-8")


def section(html: str, key: str) -> str:
    start = html.index(f'<section class="pd-section" id="{key}">')
    return html[start:html.index("</section>", start)]


# --- item 3: recipients and transfers -------------------------------------------------

def test_recipients_show_their_role_and_country_in_words(built):
    nl, en = section(page(built, "nl"), "recipients"), section(page(built, "en"), "recipients")
    assert "<li><strong>Rol:</strong> verwerker</li>" in nl
    assert "<li><strong>Role:</strong> processor</li>" in en
    assert "<li><strong>Waar de gegevens worden verwerkt:</strong> Verenigde Staten</li>" in nl
    assert "<li><strong>Where the data is processed:</strong> United States</li>" in en
    assert "<strong>Waar de gegevens worden verwerkt:</strong> de Europese Economische Ruimte" in nl
    assert "<strong>Where the data is processed:</strong> the European Economic Area" in en
    assert "<li><strong>Rol:</strong> overheidsinstantie</li>" in nl


def test_transfers_name_their_grounds_in_order_with_the_decision(built):
    nl, en = section(page(built, "nl"), "transfers"), section(page(built, "en"), "transfers")
    assert (f"(Verenigde Staten): adequaatheidsbesluit (art. 45 AVG): {DPF['nl']}; als die "
            "grondslag niet meer van toepassing is: standaardcontractbepalingen (art. 46 lid 2 sub "
            f"c AVG). {COPY['nl']}</li>") in nl
    assert (f"(United States): adequacy decision (Art. 45 GDPR): {DPF['en']}; if that ground "
            "no longer applies: standard contractual clauses (Art. 46(2)(c) GDPR). "
            f"{COPY['en']}</li>") in en
    # the older single 'mechanism:'
    assert "(Zwitserland): adequaatheidsbesluit (art. 45 AVG)</li>" in nl
    assert "(Switzerland): adequacy decision (Art. 45 GDPR)</li>" in en
    assert ("(Brazilië): afwijking voor een specifieke situatie (art. 49 lid 1 sub b AVG): de "
            "doorgifte is noodzakelijk voor de uitvoering van een overeenkomst") in nl
    assert ("(Brazil): derogation for a specific situation (Art. 49(1)(b) GDPR): the transfer "
            "is necessary for the performance of a contract") in en


def test_no_bare_country_code_is_shown(built):
    for lang in ("nl", "en"):
        html = page(built, lang)
        article = html[html.index("<article"):html.index("</article>")]
        for code in ("US", "CH", "BR", "NL", "DE", "EEA"):
            assert not re.search(rf"[\s>(]{code}[\s<),.]", article), (lang, code)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_country_code_babel_knows_is_named_in_words(lang):
    """A property of the filter: every two-letter territory is a name, never its code."""
    codes = [c for c in Locale.parse("en_GB").territories if len(c) == 2 and c.isalpha()]
    for code in codes:
        assert i18n.country_name(code, lang, lambda m: m) != code
    assert i18n.country_name("EEA", "en", lambda m: m) == "the European Economic Area"


@pytest.mark.parametrize("given", [(), ("mechanism",), ("mechanisms",),
                                   ("mechanism", "mechanisms")])
def test_exactly_one_of_mechanism_and_mechanisms_validator_and_schema_agree(tmp_path, given):
    """The validator and the editors' JSON Schema accept a transfer exactly when it has
    one of the two forms."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    transfer = {"recipient": "processors", "country": "US"}
    if "mechanism" in given:
        transfer["mechanism"] = "standard_contractual_clauses"
    if "mechanisms" in given:
        transfer["mechanisms"] = [{"type": "standard_contractual_clauses"}]
    folder = content / "versions" / VERSION
    _edit(folder, "privacy.yaml",
          lambda data: data["transfers"].__setitem__("transfers", [transfer]))
    relock(content)
    try:
        load_and_validate(Project.at(ROOT, content=content))
        valid = True
    except ContentError as error:
        messages = " ".join(str(p) for p in error.problems)
        assert "mechanism" in messages and "privacy.yaml:" in messages
        valid = False
    schema = json_schema.file_schema("privacy.yaml")
    data = yaml.safe_load((folder / "privacy.yaml").read_text(encoding="utf-8"))
    schema_valid = jsonschema.Draft202012Validator(schema).is_valid(data)
    assert valid == schema_valid == (len(given) == 1)


# --- item 7: the data protection officer ----------------------------------------------

def test_an_external_dpo_is_written_by_the_template(built):
    nl, en = section(page(built, "nl"), "controller"), section(page(built, "en"), "controller")
    assert ("Wij hebben Privacy Partners B.V. aangesteld als externe functionaris voor "
            "gegevensbescherming. Uw contactpersoon daar is J. Jansen, bereikbaar via "
            "fg@privacypartners.nl of telefonisch op +31 20 123 4567.") in nl
    assert ("We have appointed Privacy Partners B.V. as our external data protection officer. "
            "Your contact person there is J. Jansen, reachable at fg@privacypartners.nl or by "
            "telephone on +31 20 123 4567.") in en
    assert nl.count("functionaris voor gegevensbescherming") == 1


@pytest.mark.parametrize("dpo, sentence", [
    ("none", "We have not appointed a data protection officer."),
    ({"name": "A. de Vries", "email": "fg@example.nl"},  # the older form: internal
     "Our data protection officer is A. de Vries, reachable at fg@example.nl."),
    ({"kind": "internal", "name": "A. de Vries", "email": "fg@example.nl",
      "phone": "070 123 4567"},
     "Our data protection officer is A. de Vries, reachable at fg@example.nl or by telephone "
     "on 070 123 4567."),
])
def test_each_kind_of_dpo_has_its_sentence(tmp_path, dpo, sentence):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    _edit(content / "versions" / VERSION, "organisation.yaml",
          lambda org: org.__setitem__("dpo", dpo))
    relock(content)
    out = tmp_path / "site"
    result = run_build("build", "--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert f'<p class="pd-dpo">{sentence}</p>' in page(out, "en")


# --- item 10: the controller ----------------------------------------------------------

def test_the_controller_section_names_the_controller(built):
    nl, en = section(page(built, "nl"), "controller"), section(page(built, "en"), "controller")
    assert ("<li><strong>Verwerkingsverantwoordelijke:</strong> MKB serviceshop B.V., handelend "
            "onder de naam MKB serviceshop</li>") in nl
    assert ("<li><strong>Controller:</strong> MKB serviceshop B.V., trading as MKB "
            "serviceshop</li>") in en
    assert "<li><strong>KvK-nummer:</strong> 08123456</li>" in nl
    assert "<li><strong>Chamber of Commerce number:</strong> 08123456</li>" in en
    assert "<li><strong>Vestiging:</strong> Hoofdvestiging in Haaksbergen</li>" in nl
    assert ("<li><strong>Vertegenwoordiger in de EU (art. 27 AVG):</strong> EU Rep GmbH, "
            '<a href="mailto:rep@eurep.de">rep@eurep.de</a>, Hauptstraße 1, 10115 Berlin, '
            "Duitsland</li>") in nl
    assert "10115 Berlin, Germany</li>" in en


# --- item 11: the supervisory authority -----------------------------------------------

def test_the_autoriteit_persoonsgegevens_is_the_default_in_the_netherlands(built):
    for lang in ("nl", "en"):
        complaints = section(page(built, lang), "complaints")
        assert ('<address class="pd-authority">\nAutoriteit Persoonsgegevens<br>\nPostbus '
                '93374<br>\n2509 AJ Den Haag<br>\n<a href="https://autoriteitpersoonsgegevens.nl">'
                "https://autoriteitpersoonsgegevens.nl</a>\n</address>") in complaints
        assert complaints.count("93374") == 1 and "Bezuidenhoutseweg" not in complaints


def test_a_given_authority_is_shown_with_its_country_when_abroad(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)

    def authority(data):
        data["complaints"]["supervisory_authority"] = {
            "name": "Data Protection Commission",
            "address": {"street": "21 Fitzwilliam Square South", "postcode": "D02 RD28",
                        "city": "Dublin 2", "country": "IE"},
            "url": "https://www.dataprotection.ie", "phone": "+353 1 765 0100"}
    _edit(content / "versions" / VERSION, "privacy.yaml", authority)
    relock(content)
    out = tmp_path / "site"
    result = run_build("build", "--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    complaints = section(page(out, "nl"), "complaints")
    assert "D02 RD28 Dublin 2<br>\nIerland<br>" in complaints
    assert "Telefoon: +353 1 765 0100" in complaints


# --- the register and the DPV export --------------------------------------------------

@pytest.mark.parametrize("lang, label", [
    ("nl", "De wezenlijke inhoud van onze regeling (artikel 26 lid 2 AVG)"),
    ("en", "The essence of our arrangement (Article 26(2) GDPR)")])
def test_a_joint_controller_shows_the_essence_of_the_arrangement(built, lang, label):
    recipients = section(page(built, lang), "recipients")
    assert f"<strong>{label}:</strong> {ARRANGEMENT[lang]}" in recipients


def test_register_columns_a_d_e(model):
    nl = register.build_register(model, "nl", _dutch())
    purposes = [p for group in model.groups for p in group["purposes"]]
    row = next(r for r, p in zip(nl.rows, purposes, strict=True)
               if "processors" in p["recipients"])
    assert "MKB serviceshop B.V., handelend onder de naam MKB serviceshop" in row.cells["a"]
    assert "KvK-nummer: 08123456" in row.cells["a"]
    assert "Vertegenwoordiger in de EU (art. 27 AVG): EU Rep GmbH" in row.cells["a"]
    assert "Privacy Partners B.V. (extern), contactpersoon J. Jansen" in row.cells["a"]
    assert ("Gezamenlijke verwerkingsverantwoordelijke (art. 26 AVG): Betaaldiensten"
            in row.cells["a"])
    assert "(verwerker, Verenigde Staten)" in row.cells["d"]
    assert ("-> Verenigde Staten: adequaatheidsbesluit (art. 45 AVG): "
            f"{DPF['nl']}; als die grondslag niet meer van toepassing is: "
            "standaardcontractbepalingen") in row.cells["e"]
    for reg_row in nl.rows:
        assert not re.search(r"\b(US|CH|BR)\b", reg_row.cells["d"] + reg_row.cells["e"])


def test_dpv_export_names_grounds_authority_and_officer(built):
    data = json.loads((built / "api" / "privacy" / f"{VERSION}.jsonld").read_text("utf-8"))
    graph = data["@graph"]
    statement = graph[0]
    assert statement["dpv:hasAuthority"]["dpv:hasName"] == "Autoriteit Persoonsgegevens"
    controller = next(n for n in graph if n.get("@type") == "dpv:DataController")
    assert controller["dct:identifier"] == "08123456"
    assert controller["dpv:hasDataProtectionOfficer"]["dpv:hasName"] == "Privacy Partners B.V."
    transfers = [t for n in graph for t in n.get("dpv:hasProcessing", ())
                 if t.get("@type") == "dpv:Transfer"]
    bases = {t["dpv:hasLocation"]["@id"]: t["dpv:hasLegalBasis"] for t in transfers}
    assert bases["loc:US"] == [{"@id": "eu-gdpr:A45-3"}, {"@id": "eu-gdpr:A46-2-c"}]
    assert bases["loc:BR"] == {"@id": "eu-gdpr:A49-1-b"}


def test_check_reads_the_new_shape(content):
    from generator.check.run import run_check
    found = [(f.rule, f.severity, f.missing) for f in
             run_check(Project.at(ROOT, content=content), VERSION).findings
             if f.rule in ("P01", "P03", "P09", "P14")]
    # only the older form's adequacy decision, which names no decision
    assert found == [("P09", "warning", "the transfer to '%(recipient)s' relies on an "
                      "adequacy decision without naming it")]


def test_the_default_authority_is_the_aps_current_postal_address():
    ap = derived.AUTORITEIT_PERSOONSGEGEVENS
    assert (ap["address"]["street"], ap["address"]["postcode"]) == ("Postbus 93374", "2509 AJ")


def _dutch():
    from generator.errors import Problems
    return i18n.load_translations(ROOT / "locales", "nl", Problems()).gettext



def test_the_change_list_names_a_changed_ground_and_the_country_in_words():
    from types import SimpleNamespace

    from generator.content.located import LocalText
    from generator.errors import Location
    from generator.render import changes

    name = LocalText({"nl": "Hostingpartij", "en": "Hosting provider"}, Location("x"))

    def version(*transfers):
        return SimpleNamespace(privacy={"transfers": {"transfers": list(transfers)}},
                               recipients={"host": {"name": name}})

    old = {"recipient": "host", "country": "US", "mechanism": "standard_contractual_clauses"}
    new = {"recipient": "host", "country": "US", "mechanisms": [
        {"type": "adequacy_decision", "decision": None},
        {"type": "standard_contractual_clauses"}]}
    named = {**new, "mechanisms": [{"type": "adequacy_decision", "decision": DPF},
                                   {"type": "standard_contractual_clauses"}]}
    nl = _dutch()
    described = [changes.describe(c, "nl", nl)
                 for c in changes._transfer_changes(version(old), version(new))]
    assert described == ["Waarborg voor de doorgifte aan Hostingpartij (Verenigde Staten): "
                         "standaardcontractbepalingen (art. 46 lid 2 sub c AVG) → "
                         "adequaatheidsbesluit (art. 45 AVG) en standaardcontractbepalingen (art. "
                         "46 lid 2 sub c AVG)"]
    again = changes._transfer_changes(version(new), version(named))
    assert [changes.describe(c, "en", lambda m: m) for c in again] == [
        "The safeguards named for the transfer to Hosting provider (United States) were "
        "changed"]


def test_the_change_list_names_a_recipients_role_country_and_the_controllers_facts():
    from types import SimpleNamespace

    from generator.content.located import LocalText
    from generator.errors import Location
    from generator.render import changes

    name = LocalText({"nl": "Hostingpartij", "en": "Hosting provider"}, Location("x"))
    address = {"street": "Dorpsstraat 1", "postcode": "1234 AB", "city": "Ede",
               "country": "NL"}

    def version(role, country, dpo, authority=None, kvk=None):
        return SimpleNamespace(
            recipients={"host": {"name": name, "role": role, "country": country}},
            organisation={"address": address, "dpo": dpo, "chamber_of_commerce": kvk},
            privacy={"complaints": {"supervisory_authority": authority}})

    other = {"name": "Another authority", "address": address, "url": None}
    old = version("processor", "EEA", None)
    new = version("controller", "US", "none", other, "08123456")
    nl = _dutch()
    assert [changes.describe(c, "nl", nl) for c in changes._party_changes(old, new)] == [
        "Rol van Hostingpartij: verwerker → zelfstandige verwerkingsverantwoordelijke",
        "Waar Hostingpartij de gegevens verwerkt: de Europese Economische Ruimte → "
        "Verenigde Staten"]
    assert [changes.describe(c, "nl", nl) for c in Walk("privacy", old, new).authority()] == [
        "Toezichthoudende autoriteit — naam: Autoriteit Persoonsgegevens → Another authority",
        "Toezichthoudende autoriteit — adres: Postbus 93374, 2509 AJ Den Haag, Nederland → "
        "Dorpsstraat 1, 1234 AB Ede, Nederland",
        "Toezichthoudende autoriteit — website: https://autoriteitpersoonsgegevens.nl → "
        "niet vermeld"]
    # the controller's facts and the DPO: a line per field, from the declarations
    # (render/change_walk.py, tests/test_change_walk.py)
    assert changes._party_changes(new, new) == []


@pytest.mark.parametrize("text, expected", [
    ("Postbus 93374, 2509 AJ Den Haag", "which the page shows below it too"),
    ("Hoge Nieuwstraat 8, 2514 EL Den Haag", "besides the one the page shows below it"),
    ("Bezuidenhoutseweg 30, 2594 AV Den Haag", "outdated address"),
])
def test_p14_reads_the_ap_address_in_the_complaints_text(tmp_path, text, expected):
    from generator.check.run import run_check
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)

    def complaints(data):
        section = data["complaints"]
        assert "supervisory_authority" not in section  # the default: Postbus 93374
        section["text"] = {"nl": f"U kunt een klacht indienen bij de AP, {text}.",
                           "en": "You can lodge a complaint with the AP."}
    _edit(content / "versions" / VERSION, "privacy.yaml", complaints)
    found = [f.missing % f.params for f in
             run_check(Project.at(ROOT, content=content), VERSION).findings if f.rule == "P14"]
    assert len(found) == 1 and expected in found[0], found


def test_p03_warns_when_a_text_names_the_officer_by_name_or_address(tmp_path):
    from generator.check.run import run_check
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    folder = content / "versions" / VERSION
    _edit(folder, "organisation.yaml", lambda org: org.__setitem__(
        "dpo", {"name": "A. de Vries", "email": "fg@mkbserviceshop.nl"}))

    def contact(data):
        data["contact"]["text"]["en"] += " Or write to fg@mkbserviceshop.nl."
    _edit(folder, "privacy.yaml", contact)
    found = [(f.rule, f.severity) for f in
             run_check(Project.at(ROOT, content=content), VERSION).findings if f.rule == "P03"]
    assert found == [("P03", "warning")]
