"""Completeness rules for who is responsible and who receives the data: the controller
and its representative, the data protection officer, transfers outside the EEA and the
supervisory authority (GDPR Art. 13(1)(a), (b), (f), 13(2)(d), 27, 37, 45-49, 77).
"""

from __future__ import annotations

import re

from generator.check.rules import N_, Findings, at, in_eea, rule, says, texts
from generator.content import derived
from generator.content.model import Version
from generator.render.i18n import names_country

AP_OUTDATED_STREETS = ("bezuidenhoutseweg 30", "prins clauslaan 60", "juliana van stolberglaan 4")
# Addresses of the Autoriteit Persoonsgegevens a text may carry: its former ones, its
# postal address and its visiting address (../shared/LEGAL.md, section 3).
AP_STREETS = (*AP_OUTDATED_STREETS, "postbus 93374", "hoge nieuwstraat 8")


@rule("P01", "GDPR 13(1)(a), 27")
def controller_representative(v: Version, out: Findings) -> None:
    org = v.organisation
    representative = org.get("representative")
    if not in_eea(org["address"].get("country")) and representative in (None, "none"):
        out.error(at(org, "address"),
                  N_("the controller is established outside the EEA but names no "
                     "representative in the EU"),
                  N_("add 'representative:' with the name and e-mail of your EU "
                     "representative (Art. 27)"))
    if isinstance(representative, dict) and representative.get("address") and not in_eea(
            representative["address"].get("country")):
        out.warning(at(representative, "address"),
                    N_("the EU representative's address is outside the EEA"),
                    N_("give the address of the representative in the member state where it "
                       "is established (Art. 27(3))"))


# A sentence that gives the controller's identity: who is responsible, or where to reach it.
IDENTIFYING = {"nl": r"verwerkingsverantwoordelijke|verantwoordelijk(e)?\s+(is\s+)?voor|"
                     r"contactgegevens|adresgegevens",
               "en": r"\bcontroller\b|responsible\s+for|contact\s+details|address"}


@rule("P02", "GDPR 13(1)(a), 14(1)(a)")
def legal_name(v: Version, out: Findings) -> None:
    """Where a text says who the controller is (who is responsible, its contact details
    or address), it gives the legal name: a trade name is not a person the reader can
    hold to account. The page's own controller block shows the legal name, so a warning."""
    org = v.organisation
    trade, legal = org.get("trade_name"), org["legal_name"]
    if not trade or trade.lower() == legal.lower():
        return
    address = [re.escape(org["address"][key]) for key in ("street", "postcode")
               if org["address"].get(key)]
    bare = re.compile(r"(?<!\w)" + re.escape(trade) + r"(?!\w)", re.IGNORECASE)
    for name in ("privacy.yaml", "cookies.yaml"):
        for text in texts(v.files.get(name)):
            for lang in text.values:
                value = " ".join(text[lang]) if isinstance(text[lang], list) else text[lang]
                cue = "|".join([IDENTIFYING[lang], *address])
                # A sentence that gives the legal name too ("X B.V., trading as X") is right.
                if any(bare.search(s) and re.search(cue, s, re.IGNORECASE)
                       and legal.lower() not in s.lower()
                       for s in re.split(r"(?<=[.!?])\s+|\n", value)):
                    out.warning(text.loc,
                                N_("this text gives the controller's identity or contact "
                                   "details under its trade name '%(trade)s'"),
                                N_("write the legal name '%(legal)s' there"),
                                trade=trade, legal=legal)
                    break


# The words for a data protection officer, which the page's own sentence already says.
DPO_WORDS = {"nl": r"functionaris\s+(voor\s+)?(de\s+)?gegevensbescherming|\bFG\b",
             "en": r"data\s+protection\s+officer|\bDPO\b"}


@rule("P03", "GDPR 13(1)(b)")
def dpo(v: Version, out: Findings) -> None:
    """Art. 13(1)(b) asks for the officer's contact details "where applicable": the check
    cannot know whether one must be appointed (Art. 37), so saying nothing is a warning."""
    found = v.organisation.get("dpo")
    if found is None:
        out.warning(v.organisation.loc,
                    N_("no data protection officer (DPO) is named, and no statement that "
                       "there is none"),
                    N_("add 'dpo:' with 'name:' and 'email:', or write 'dpo: none' if you "
                       "have not appointed one"))
        return
    words = dict(DPO_WORDS)
    if isinstance(found, dict):  # the officer's name and address are the officer too
        named = "|".join(re.escape(found[key]) for key in ("name", "email"))
        words = {lang: f"{pattern}|{named}" for lang, pattern in words.items()}
    for text in texts(v.privacy):
        if any(says(text, words).values()):
            out.warning(text.loc,
                        N_("a text names the data protection officer, whom the page already "
                           "names from organisation.yaml's 'dpo:'; the reader would read it "
                           "twice"),
                        N_("remove the data protection officer from this text: the page "
                           "writes that sentence itself"))


@rule("P09", "GDPR 13(1)(f), 45, 46, 49")
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
                         "recipient, country and mechanisms (adequacy decision, standard "
                         "contractual clauses, ...)"),
                      recipient=recipient["id"], country=recipient["country"])
    if outside and any(says(section["text"], NO_TRANSFERS).values()):
        out.error(at(section, "text"),
                  N_("the text says no data leaves the EEA, but recipients process data "
                     "outside it"),
                  N_("reword the text to describe the transfers"))
    for recipient in v.recipients.values():
        _known_country(out, recipient, recipient.get("country"))
    for transfer in listed:
        _known_country(out, transfer, transfer["country"])
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
        _mechanisms(out, transfer)


NO_TRANSFERS = {"nl": r"\b(niet|nooit) (\w+ )?(overgebracht|doorgegeven)|geen doorgifte",
                "en": r"\bnot (\w+ )?transferred|\bno transfers?\b"}
SAFEGUARDS = ("standard_contractual_clauses", "binding_corporate_rules")


def _known_country(out: Findings, record, code: str | None) -> None:
    if not names_country(code):
        out.warning(at(record, "country"),
                    N_("'%(country)s' is not a country code the page can name"),
                    N_("use the ISO 3166 code of the country (e.g. US, GB, CH), or EEA"),
                    country=code)


def _mechanisms(out: Findings, transfer) -> None:
    """Each ground named as Art. 13(1)(f) asks: the adequacy decision, the point of
    Art. 49(1), and where the safeguards of Art. 46 can be obtained."""
    given = transfer.get("mechanisms") or ()
    found = derived.mechanisms(transfer)
    for index, mechanism in enumerate(found):
        where = given[index] if given else transfer
        if mechanism["type"] == "adequacy_decision" and not mechanism["decision"]:
            out.warning(at(where, "type" if given else "mechanism"),
                        N_("the transfer to '%(recipient)s' relies on an adequacy decision "
                           "without naming it"),
                        N_("use 'mechanisms:' with 'type: adequacy_decision' and 'decision:' "
                           "naming it (e.g. Commission Implementing Decision (EU) 2023/1795 "
                           "of 10 July 2023 on the EU-US Data Privacy Framework)"),
                        recipient=transfer["recipient"])
        if mechanism["type"] == "derogation" and not mechanism["derogation"]:
            out.warning(at(where, "type" if given else "mechanism"),
                        N_("the transfer to '%(recipient)s' relies on a derogation without "
                           "saying which point of Art. 49(1) applies"),
                        N_("use 'mechanisms:' with 'type: derogation' and 'derogation:' with "
                           "the letter (a-g) of Art. 49(1)"), recipient=transfer["recipient"])
        if mechanism["type"] != "derogation" and mechanism["derogation"]:
            out.warning(at(where, "derogation"),
                        N_("'derogation:' is given for a ground that is not a derogation"),
                        N_("remove 'derogation:', or set 'type: derogation'"))
    if any(m["type"] in SAFEGUARDS for m in found) and not transfer.get("copy_how"):
        out.warning(transfer.loc,
                    N_("transfer to '%(recipient)s' does not say how to obtain a copy of "
                       "the safeguards"),
                    N_("add 'copy_how:' to the transfer, with nl and en saying how to obtain a "
                       "copy (e.g. 'ask privacy@... for a copy of the standard contractual "
                       "clauses')"), recipient=transfer["recipient"])


@rule("P14", "GDPR 13(2)(d), 77")
def complaints(v: Version, out: Findings) -> None:
    """The supervisory authority the page shows (the block, or the default of the
    controller's country), and an address of the Autoriteit Persoonsgegevens in the
    section's free text, which the page shows beside the block."""
    section = v.privacy["complaints"]
    authority = derived.supervisory_authority(v)
    if authority is None:
        out.error(section.loc, N_("no supervisory authority is named, and there is no "
                                  "default for the controller's country"),
                  N_("add 'supervisory_authority:' under 'complaints:' with its name, "
                     "address and website"))
        return
    street = authority["address"]["street"].lower()
    given = not derived.authority_is_default(v)
    if given and "persoonsgegevens" in authority["name"].lower() and (
            street in AP_OUTDATED_STREETS):
        out.warning(at(authority, "address"),
                    N_("the address of the Autoriteit Persoonsgegevens is outdated (%(street)s)"),
                    N_("give its postal address under 'address:': 'street: Postbus 93374', "
                       "'postcode: 2509 AJ', 'city: Den Haag'"),
                    street=authority["address"]["street"])
    if given and not authority.get("url"):
        out.warning(authority.loc, N_("the supervisory authority's website is not given"),
                    N_("add 'url:' with its website under 'supervisory_authority:' (e.g. "
                       "https://autoriteitpersoonsgegevens.nl)"))
    text = section.get("text")
    if text is None:
        return
    said = {}  # each address of the AP the text gives, as written
    for lang in text.values:
        for street in AP_STREETS:
            found = re.search(re.escape(street).replace(r"\ ", r"\s+"), text[lang],
                              re.IGNORECASE)
            if found:
                said.setdefault(street, found.group())
    for street, named in sorted(said.items()):
        if street in AP_OUTDATED_STREETS:
            out.warning(at(section, "text"),
                        N_("the complaints text gives an outdated address of the Autoriteit "
                           "Persoonsgegevens (%(street)s)"),
                        N_("remove the address from the text: the page shows the "
                           "supervisory authority's name, address and website below it"),
                        street=named)
        elif street == authority["address"]["street"].lower():
            out.warning(at(section, "text"),
                        N_("the complaints text gives the address of the Autoriteit "
                           "Persoonsgegevens (%(street)s), which the page shows below it "
                           "too"),
                        N_("remove the address from the text: the page shows the "
                           "supervisory authority's name, address and website below it"),
                        street=named)
        else:
            out.warning(at(section, "text"),
                        N_("the complaints text gives an address of the Autoriteit "
                           "Persoonsgegevens (%(street)s) besides the one the page shows "
                           "below it"),
                        N_("remove the address from the text: the page shows the "
                           "supervisory authority's name, address and website below it"),
                        street=named)


@rule("P25", "GDPR 26(2)")
def joint_controllers(v: Version, out: Findings) -> None:
    """The essence of a joint-controller arrangement must be available to the reader."""
    for recipient in v.recipients.values():
        if recipient["role"] == "joint_controller" and not recipient.get("arrangement"):
            out.error(at(recipient, "role"),
                      N_("recipient '%(recipient)s' is a joint controller, but the essence of "
                         "your arrangement with it is not given"),
                      N_("add 'arrangement:' with nl and en: who is responsible for what "
                         "(informing people, handling their requests) and where they can "
                         "exercise their rights"), recipient=recipient["id"])
