"""Completeness rules for the privacy statement: the controller, purposes and legal
bases, recipients and transfers, rights and complaints (GDPR Art. 6, 13, 21, 77).
"""

from __future__ import annotations

from generator.check.rules import (
    LANGUAGE_NAMES,
    N_,
    Findings,
    Term,
    at,
    in_eea,
    rule,
    says,
)
from generator.content.model import Version

RIGHTS_NAMES = {"access": N_("the right of access"),
                "rectification": N_("the right to rectification"),
                "erasure": N_("the right to erasure"),
                "restriction": N_("the right to restriction of processing"),
                "portability": N_("the right to data portability"),
                "objection": N_("the right to object")}
AP_OUTDATED_STREETS = ("bezuidenhoutseweg 30", "prins clauslaan 60", "juliana van stolberglaan 4")


@rule("P01", "GDPR 13(1)(a), 27")
def controller_representative(v: Version, out: Findings) -> None:
    org = v.organisation
    if not in_eea(org["address"].get("country")) and org.get("representative") in (None,
                                                                                   "none"):
        out.error(at(org, "address"),
                  N_("the controller is established outside the EEA but names no "
                     "representative in the EU"),
                  N_("add 'representative:' with the name and e-mail of your EU "
                     "representative (Art. 27)"))


@rule("P03", "GDPR 13(1)(b)")
def dpo(v: Version, out: Findings) -> None:
    if v.organisation.get("dpo") is None:
        out.error(v.organisation.loc,
                  N_("no data protection officer (DPO) is named, and no statement that there "
                     "is none"),
                  N_("add 'dpo:' with 'name:' and 'email:', or write 'dpo: none' if you have "
                     "not appointed one"))


@rule("P05", "GDPR 13(1)(c), 6(1)")
def several_bases(v: Version, out: Findings) -> None:
    for purpose in v.purposes.values():
        if len(purpose["legal_bases"]) > 1:
            out.warning(at(purpose, "legal_bases"),
                        N_("purpose '%(purpose)s' has several legal bases (%(bases)s) without "
                           "saying which applies to what"),
                        N_("split the purpose so each part has one legal basis, or explain in "
                           "its description which basis covers which processing"),
                        purpose=purpose["id"], bases=", ".join(purpose["legal_bases"]))


@rule("P06", "GDPR 13(1)(d)")
def legitimate_interest(v: Version, out: Findings) -> None:
    for purpose in v.purposes.values():
        if "legitimate_interests" not in purpose["legal_bases"]:
            continue
        interest = purpose.get("legitimate_interest")
        if interest is None:
            out.error(at(purpose, "legal_bases"),
                      N_("purpose '%(purpose)s' relies on legitimate interests but does not "
                         "name the interest pursued"),
                      N_("add 'legitimate_interest:' with nl and en saying which interest "
                         "(yours or a third party's) the processing serves"),
                      purpose=purpose["id"])
        elif any(len(interest[lang].split()) < 4 for lang in interest.values):
            out.warning(at(purpose, "legitimate_interest"),
                        N_("the legitimate interest of purpose '%(purpose)s' is too short to "
                           "say what the interest is"),
                        N_("describe the concrete interest in a full sentence"),
                        purpose=purpose["id"])


@rule("P07", "GDPR 6(3), 13(1)(c)")
def legal_reference(v: Version, out: Findings) -> None:
    for purpose in v.purposes.values():
        if "legal_obligation" in purpose["legal_bases"] and not purpose.get("legal_reference"):
            out.warning(at(purpose, "legal_bases"),
                        N_("purpose '%(purpose)s' relies on a legal obligation but does not "
                           "name the law"),
                        N_("add 'legal_reference:' naming the law and article (e.g. art. 52 "
                           "AWR, 7 years)"), purpose=purpose["id"])


DISCLOSES = {"nl": r"\b(derden|derde partij(en)?|verstrekken|gedeeld|delen)\b",
             "en": r"\b(third part(y|ies)|disclose[sd]?|share[sd]?)\b"}


@rule("P08", "GDPR 13(1)(e)")
def recipients(v: Version, out: Findings) -> None:
    used = {r for p in v.purposes.values() for r in p["recipients"]}
    used |= {c.get("recipient") for c in v.cookies.values()}
    for ident, recipient in v.recipients.items():
        if ident not in used:
            out.warning(recipient.loc,
                        N_("recipient '%(recipient)s' is listed, but no purpose or cookie "
                           "discloses data to it"),
                        N_("add it to the 'recipients:' of the purposes that disclose data to "
                           "it, or remove it"), recipient=ident)
    for purpose in v.purposes.values():
        if not purpose["recipients"] and any(says(purpose["description"], DISCLOSES).values()):
            out.warning(at(purpose, "description"),
                        N_("purpose '%(purpose)s' says it shares data with others but lists "
                           "no recipients"),
                        N_("add 'recipients:' with the ids of those recipients"),
                        purpose=purpose["id"])


NO_TRANSFERS = {"nl": r"\b(niet|nooit) (\w+ )?(overgebracht|doorgegeven)|geen doorgifte",
                "en": r"\bnot (\w+ )?transferred|\bno transfers?\b"}


@rule("P09", "GDPR 13(1)(f), 46")
def transfers(v: Version, out: Findings) -> None:
    section = v.privacy["transfers"]
    listed = list(section.get("transfers") or ())
    outside = [r for r in v.recipients.values() if not in_eea(r.get("country"))]
    for recipient in outside:
        if not any(t["recipient"] == recipient["id"] for t in listed):
            out.error(at(recipient, "country"),
                      N_("recipient '%(recipient)s' processes data in %(country)s, outside "
                         "the EEA, but no transfer and safeguard is stated"),
                      N_("add a transfer under privacy.yaml 'transfers: transfers:' with the "
                         "recipient, country and mechanism (adequacy decision, standard "
                         "contractual clauses, ...)"),
                      recipient=recipient["id"], country=recipient["country"])
    if outside and any(says(section["text"], NO_TRANSFERS).values()):
        out.error(at(section, "text"),
                  N_("the text says no data leaves the EEA, but recipients process data "
                     "outside it"),
                  N_("reword the text to describe the transfers"))
    for transfer in listed:
        recipient = v.recipients.get(transfer["recipient"])
        if in_eea(transfer["country"]) or (
                recipient is not None and recipient.get("country") not in (transfer["country"],
                                                                          None, "EEA")
                and in_eea(recipient.get("country"))):
            out.warning(transfer.loc,
                        N_("transfer to '%(recipient)s' in %(country)s does not match where "
                           "that recipient processes data"),
                        N_("make the transfer's country and the recipient's country agree"),
                        recipient=transfer["recipient"], country=transfer["country"])
        if transfer["mechanism"] != "adequacy_decision" and not transfer.get("copy_how"):
            out.warning(transfer.loc,
                        N_("transfer to '%(recipient)s' does not say how to obtain a copy of "
                           "the safeguards"),
                        N_("add 'copy_how:' (e.g. 'ask privacy@... for a copy of the standard "
                           "contractual clauses')"), recipient=transfer["recipient"])



@rule("P11", "GDPR 13(2)(b), 15, 16, 17, 18, 20, 21")
def rights(v: Version, out: Findings) -> None:
    section = v.privacy["rights"]
    for right, name in RIGHTS_NAMES.items():
        if right not in section["covered"]:
            out.error(at(section, "covered"),
                      N_("%(right)s is not explained"),
                      N_("explain it in the rights text (both languages) and add "
                         "'%(key)s' to 'covered:'"), right=Term(name), key=right)


@rule("P12", "GDPR 21(4)")
def objection(v: Version, out: Findings) -> None:
    section = v.privacy["rights"]
    uses = [p["id"] for p in v.purposes.values()
            if "legitimate_interests" in p["legal_bases"] or p["direct_marketing"]]
    if uses and not section.get("objection"):
        out.error(section.loc,
                  N_("purposes rely on legitimate interests or direct marketing (%(purposes)s), "
                     "but the right to object is not shown separately"),
                  N_("add 'objection:' under 'rights:' with its own title and text"),
                  purposes=", ".join(uses))


ANY_TIME = {"nl": r"te allen tijde|op (elk|ieder) (gewenst )?moment|altijd",
            "en": r"\b(at )?any time\b|\balways\b"}
NOT_RETROACTIVE = {"nl": r"terugwerkende kracht|rechtmatigheid|rechtmatig",
                   "en": r"retroactive|lawfulness|lawful"}


@rule("P13", "GDPR 13(2)(c), 7(3)")
def consent_withdrawal(v: Version, out: Findings) -> None:
    if not any("consent" in p["legal_bases"] for p in v.purposes.values()):
        return
    section = v.privacy["consent_withdrawal"]
    for lang, said in says(section["text"], ANY_TIME).items():
        if not said:
            out.warning(at(section, "text"),
                        N_("the text on withdrawing consent in %(language)s does not say "
                           "that consent can be withdrawn at any time"),
                        N_("say that consent can be withdrawn at any time, and how"),
                        language=Term(LANGUAGE_NAMES[lang]))
    for lang, said in says(section["text"], NOT_RETROACTIVE).items():
        if not said:
            out.warning(at(section, "text"),
                        N_("the text on withdrawing consent in %(language)s does not say "
                           "that withdrawal leaves earlier processing lawful"),
                        N_("add that withdrawal does not affect the lawfulness of processing "
                           "before it"), language=Term(LANGUAGE_NAMES[lang]))


@rule("P14", "GDPR 13(2)(d), 77")
def complaints(v: Version, out: Findings) -> None:
    authority = v.privacy["complaints"]["supervisory_authority"]
    street = authority["address"]["street"].lower()
    if "persoonsgegevens" in authority["name"].lower() and street in AP_OUTDATED_STREETS:
        out.warning(at(authority, "address"),
                    N_("the address of the Autoriteit Persoonsgegevens is outdated (%(street)s)"),
                    N_("use its postal address: Postbus 93374, 2509 AJ Den Haag"),
                    street=authority["address"]["street"])
    if not authority.get("url"):
        out.warning(authority.loc, N_("the supervisory authority's website is not given"),
                    N_("add 'url:' (e.g. https://autoriteitpersoonsgegevens.nl)"))
