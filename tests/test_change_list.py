"""The semantic change list, for a pair of versions that differ in every kind of change."""

from __future__ import annotations

import copy
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from generator.content.model import build_site
from generator.errors import ContentError, Problems
from generator.pipeline import Project, load_and_validate
from generator.render import changes
from generator.render.i18n import load_translations
from generator.speed.session import Speedups

from .conftest import ROOT

NEW = "2027-06-01"


def _rewrite(path: Path, edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _purpose(data: dict, pid: str) -> dict:
    return next(p for g in data["groups"] for p in g["purposes"] if p["id"] == pid)


def _edit_purposes(data: dict) -> None:
    marketing_group = next(g for g in data["groups"] if g["id"] == "communication-marketing")
    marketing_group["purposes"] = [p for p in marketing_group["purposes"]
                                   if p["id"] != "loyalty-programme"]
    legal = next(g for g in data["groups"] if g["id"] == "legal")
    legal["purposes"].append({
        "id": "fraud-prevention",
        "title": {"nl": "Fraudepreventie", "en": "Fraud prevention"},
        "description": {"nl": "Wij controleren betalingen op fraude.",
                        "en": "We check payments for fraud."},
        "legal_bases": ["legitimate_interests"],
        "legitimate_interest": {"nl": "fraude voorkomen", "en": "preventing fraud"},
        "data_categories": ["payment"],
        "recipients": ["payment-services"],
    })
    service = _purpose(data, "customer-service")
    service["legal_bases"] = ["contract", "legitimate_interests"]
    service["legitimate_interest"] = {"nl": "goede service", "en": "good service"}
    _purpose(data, "customer-relationship")["recipients"] = ["group-companies"]
    _purpose(data, "marketing")["data_categories"] = ["contact", "marketing"]
    _purpose(data, "order-processing")["recipients"].append("cloud-host")


def _edit_categories(data: dict) -> None:
    data["categories"] = [c for c in data["categories"] if c["id"] != "participation"]
    data["categories"].append({
        "id": "payment", "name": {"nl": "Betaalgegevens", "en": "Payment data"},
        "items": {"nl": ["rekeningnummer"], "en": ["account number"]},
        "retention": {"period": "P1Y"}})
    by_id = {c["id"]: c for c in data["categories"]}
    by_id["contact"]["retention"]["period"] = "P3Y"
    by_id["account"]["retention"]["criteria"] = {"nl": "tot u uw account opheft.",
                                                 "en": "until you close your account."}


def _edit_recipients(data: dict) -> None:
    data["recipients"] = [r for r in data["recipients"] if r["id"] != "other"]
    data["recipients"].append({
        "id": "cloud-host", "name": {"nl": "Hostingpartij", "en": "Hosting provider"},
        "description": {"nl": "Host onze webwinkel.", "en": "Hosts our web shop."},
        "role": "processor", "country": "US"})


def _edit_privacy(data: dict) -> None:
    data["transfers"]["transfers"] = [{"recipient": "cloud-host", "country": "US",
                                       "mechanism": "standard_contractual_clauses"}]
    data["complaints"]["text"]["nl"] += " Wij reageren binnen vier weken."
    data["complaints"]["text"]["en"] += " We respond within four weeks."


def _edit_cookies(data: dict) -> None:
    data["cookies"] = [c for c in data["cookies"] if c["name"] != "basket"]
    by_name = {c["name"]: c for c in data["cookies"]}
    by_name["_pk_id"]["expiry"] = "P6M"
    by_name["_pk_id"]["provider"] = "Matomo"
    by_name["cc_cookie"]["purpose"]["en"] += " It holds no personal data."
    by_name["cc_cookie"]["purpose"]["nl"] += " Er staan geen persoonsgegevens in."
    new = dict(copy.deepcopy(by_name["_pk_id"]), name="_pk_ses", expiry="PT30M")
    data["cookies"].append(new)


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    content = tmp_path_factory.mktemp("changes") / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "lock.json").unlink()
    shutil.rmtree(content / "versions/2020-10-01")
    shutil.rmtree(content / "versions/2027-01-01")  # the cases edit 2026-04-01
    new = content / "versions" / NEW
    shutil.copytree(content / "versions/2026-04-01", new)
    for name, edit in [("purposes.yaml", _edit_purposes),
                       ("data_categories.yaml", _edit_categories),
                       ("recipients.yaml", _edit_recipients), ("privacy.yaml", _edit_privacy),
                       ("cookies.yaml", _edit_cookies)]:
        _rewrite(new / name, edit)
    try:
        valid = load_and_validate(Project.at(ROOT, content=content))
    except ContentError as error:
        raise AssertionError("\n".join(map(str, error.problems))) from None
    site = build_site(valid, date(2027, 6, 1), drafts=False)
    return site.versions


def _described(found: list, lang: str) -> list[str]:
    translations = load_translations(ROOT / "locales", lang, Problems())
    return [changes.describe(change, lang, translations.gettext) for change in found]


def test_every_kind_of_privacy_change_in_english(versions):
    old, new = versions
    assert _described(changes.document_changes("privacy", old, new), "en") == [
        "New purpose: Fraud prevention",
        "Purpose removed: Participation in loyalty programmes",
        "Legal basis for the purpose ‘Customer service and support’: performance of a "
        "contract → performance of a contract and legitimate interests",
        "Legitimate interest pursued for the purpose ‘Customer service and support’: not "
        "stated → good service",
        "Purpose ‘Marketing and promotional offers’ no longer processes: details of website "
        "use",
        "New category of personal data: Payment data",
        "Category of personal data removed: Participation data",
        "Retention period for contact details: 2 years → 3 years",
        "Retention period for accounts: until your account is deleted → until you close your "
        "account",
        "New recipient: Hosting provider (processor; United States), for ‘Order processing "
        "and performance of a contract’",
        "Recipient removed: Other",
        "New transfer outside the EEA: Hosting provider (United States), on the basis of "
        "standard contractual clauses (Art. 46(2)(c) GDPR)",
        "Section ‘Can I lodge a complaint?’: text changed",
    ]


def test_every_kind_of_privacy_change_in_dutch(versions):
    old, new = versions
    assert _described(changes.document_changes("privacy", old, new), "nl") == [
        "Nieuw doel: Fraudepreventie",
        "Doel vervallen: Deelname aan loyaliteitsprogramma\u2019s",
        "Rechtsgrond voor het doel ‘Klantenservice en ondersteuning’: uitvoering van een "
        "overeenkomst → uitvoering van een overeenkomst en gerechtvaardigd belang",
        "Gerechtvaardigd belang voor het doel ‘Klantenservice en ondersteuning’: niet vermeld "
        "→ goede service",
        "Doel ‘Marketing en promotionele aanbiedingen’ verwerkt niet meer: details over "
        "website gebruik",
        "Nieuwe categorie persoonsgegevens: Betaalgegevens",
        "Categorie persoonsgegevens vervallen: Deelname gegevens",
        "Bewaartermijn van contactgegevens: 2 jaar → 3 jaar",
        "Bewaartermijn van accounts: totdat uw account wordt verwijderd → tot u uw account "
        "opheft",
        "Nieuwe ontvanger: Hostingpartij (verwerker; Verenigde Staten), voor "
        "‘Orderverwerking en uitvoering van een overeenkomst’",
        "Ontvanger vervallen: Anders",
        "Nieuwe doorgifte buiten de EER: Hostingpartij (Verenigde Staten), op grond van "
        "standaardcontractbepalingen (art. 46 lid 2 sub c AVG)",
        "Paragraaf ‘Kan ik een klacht indienen?’: tekst gewijzigd",
    ]


def test_every_kind_of_cookie_change_in_both_languages(versions):
    old, new = versions
    found = changes.document_changes("cookies", old, new)
    assert _described(found, "en") == [
        "New cookie: _pk_ses",
        "Cookie removed: basket",
        "What cookie cc_cookie is for was reworded",
        "Expiry of cookie _pk_id: 12 months → 6 months",
        "Provider of cookie _pk_id: MKB serviceshop (Matomo) → Matomo",
    ]
    assert _described(found, "nl") == [
        "Nieuwe cookie: _pk_ses",
        "Cookie vervallen: basket",
        "De omschrijving van waarvoor cookie cc_cookie dient, is aangepast",
        "Bewaartermijn van cookie _pk_id: 12 maanden → 6 maanden",
        "Aanbieder van cookie _pk_id: MKB serviceshop (Matomo) → Matomo",
    ]


def test_what_versions_share_changes_nothing(tmp_path):
    """Consecutive versions share the pieces they repeat (``validated_pieces``): an
    unchanged purpose, category, cookie or section is one object in both, which the
    change list passes over, and the change list is that of versions sharing nothing."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "lock.json").unlink()
    shutil.rmtree(content / "versions/2020-10-01")
    shutil.rmtree(content / "versions/2027-01-01")  # the cases edit 2026-04-01
    new = content / "versions" / NEW
    shutil.copytree(content / "versions/2026-04-01", new)
    for name in ("purposes.yaml", "privacy.yaml", "cookies.yaml"):  # a word, in its line
        text = (new / name).read_text(encoding="utf-8")  # of the last one-line text
        last = list(re.finditer(r"(?m)^ +nl: (?=[A-Z])", text))[-1].end()
        (new / name).write_text(text[:last] + "Nu " + text[last:], encoding="utf-8")
    site = build_site(load_and_validate(Project.at(ROOT, content=content), speed=Speedups()),
                      date(2027, 6, 1), drafts=False)  # the fast parse: pieces shared
    old, new_version = site.versions
    assert any(old.purposes.get(key) is purpose for key, purpose in new_version.purposes.items())
    assert any(old.cookies.get(key) is cookie for key, cookie in new_version.cookies.items())
    assert any(old.privacy.get(key) is section for key, section in new_version.privacy.items()
               if isinstance(section, dict))
    apart = copy.deepcopy(new_version)
    assert not any(old.purposes.get(key) is purpose for key, purpose in apart.purposes.items())
    for document in ("privacy", "cookies"):
        found = changes.document_changes(document, old, new_version)
        assert found and found == changes.document_changes(document, old, apart)


def _dutch(message: str) -> str:
    return load_translations(ROOT / "locales", "nl", Problems()).gettext(message)


def test_a_text_changed_in_one_language_only_does_not_read_x_to_x_in_the_other():
    """A heading reworded only in Dutch ('we' -> 'wij') reads the same in English before
    and after: the English list says it changed in the Dutch text only (issue 21)."""
    from generator.render.change_words import BEFORE_AFTER, Change, describe
    same = Change(BEFORE_AFTER, (("field", "Heading"), ("old", "Who are we?"),
                                 ("new", "Who are we?")))
    assert describe(same, "en", lambda s: s) == "Heading: changed only in the Dutch text"
    assert describe(same, "nl", _dutch) == "Heading: alleen gewijzigd in de tekst in het Engels"
    changed = Change(BEFORE_AFTER, (("field", "Heading"), ("old", "A"), ("new", "B")))
    assert describe(changed, "en", lambda s: s) == "Heading: A → B"
