"""Completeness rules for the privacy statement: purposes and legal bases, recipients,
rights and withdrawing consent (GDPR Art. 6, 7, 13, 21). The controller, the data
protection officer, transfers and the supervisory authority: ``parties.py``.
"""

from __future__ import annotations

from generator.check.rules import (
    LANGUAGE_NAMES,
    N_,
    Findings,
    Term,
    at,
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


@rule("P05", "GDPR 13(1)(c), 6(1)")
def several_bases(v: Version, out: Findings) -> None:
    """Several legal bases on one purpose: its ``basis_covers`` says, for each one, the part
    of the processing it covers (a basis without its part keeps the warning)."""
    for purpose in v.purposes.values():
        covers = purpose.get("basis_covers") or {}
        bare = [b for b in purpose["legal_bases"] if b not in covers]
        if len(purpose["legal_bases"]) > 1 and bare:
            out.warning(at(purpose, "basis_covers" if covers else "legal_bases"),
                        N_("purpose '%(purpose)s' has several legal bases (%(bases)s) without "
                           "saying which applies to what (no part given for: %(bare)s)"),
                        N_("split the purpose so each part has one legal basis, or add "
                           "'basis_covers:' with, for each legal basis, the processing it "
                           "covers (nl and en)"),
                        purpose=purpose["id"], bases=", ".join(purpose["legal_bases"]),
                        bare=", ".join(bare))
        for basis in covers:
            if basis not in purpose["legal_bases"]:
                out.warning(at(purpose, "basis_covers"),
                            N_("purpose '%(purpose)s' says what legal basis '%(basis)s' "
                               "covers, but does not list that basis"),
                            N_("add it to 'legal_bases:', or remove it from 'basis_covers:'"),
                            purpose=purpose["id"], basis=basis)


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
                        N_("describe in 'legitimate_interest:', in a full sentence in nl and "
                           "en, the concrete interest the processing serves"),
                        purpose=purpose["id"])


@rule("P07", "GDPR 6(3), 13(1)(c)")
def legal_reference(v: Version, out: Findings) -> None:
    for purpose in v.purposes.values():
        if "legal_obligation" in purpose["legal_bases"] and not purpose.get("legal_reference"):
            out.warning(at(purpose, "legal_bases"),
                        N_("purpose '%(purpose)s' relies on a legal obligation but does not "
                           "name the law"),
                        N_("add 'legal_reference:' with nl and en naming the law and article "
                           "that impose the obligation (e.g. art. 52 AWR)"),
                        purpose=purpose["id"])


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
