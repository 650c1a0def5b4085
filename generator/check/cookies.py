"""Completeness rules for the cookie statement (Telecommunicatiewet art. 11.7a, the
AP/ACM cookie categories, GDPR Art. 7(3) and 13(1)(e)-(f)).
"""

from __future__ import annotations

from generator.check.rules import LANGUAGE_NAMES, N_, Findings, Term, at, rule, says, texts
from generator.content.model import Version


@rule("C02", "Tw 11.7a(1), 11.7a(3)")
def cookie_consent(v: Version, out: Findings) -> None:
    for cookie in v.cookies.values():
        if cookie["consent_required"]:
            continue
        if cookie["category"] == "tracking":
            out.error(at(cookie, "consent_required"),
                      N_("tracking cookie '%(cookie)s' is set without consent"),
                      N_("ask consent first: set 'consent_required: true' and "
                         "'legal_basis: consent'"), cookie=cookie["name"])
        elif cookie["category"] == "analytics" and not cookie["low_privacy_impact"]:
            out.error(at(cookie, "consent_required"),
                      N_("analytics cookie '%(cookie)s' is set without consent, but is not "
                         "configured for low privacy impact"),
                      N_("ask consent first, or configure it for low privacy impact and set "
                         "'low_privacy_impact: true'"), cookie=cookie["name"])


@rule("C03", "GDPR 13(1)(e), 13(1)(f)")
def cookie_provider(v: Version, out: Findings) -> None:
    for cookie in v.cookies.values():
        if cookie["party"] == "third" and not cookie.get("recipient"):
            out.warning(at(cookie, "provider"),
                        N_("third-party cookie '%(cookie)s' is not linked to a recipient"),
                        N_("add 'recipient:' with the id of the provider in recipients.yaml "
                           "(and a transfer if it is outside the EEA)"), cookie=cookie["name"])


WITHDRAW = {"nl": r"intrek", "en": r"withdraw"}


@rule("C04", "Tw 11.7a(1), GDPR 7(3)")
def cookie_statement(v: Version, out: Findings) -> None:
    statement = v.cookie_statement
    names = [v.organisation["legal_name"], v.organisation["trade_name"]]
    named = {lang: any(name.lower() in text[lang].lower() for text in texts(statement)
                       for name in names) for lang in ("nl", "en")}
    for lang, said in named.items():
        if not said:
            out.warning(statement.loc,
                        N_("the cookie statement in %(language)s does not name the controller"),
                        N_("name %(name)s, for instance in the introduction"),
                        language=Term(LANGUAGE_NAMES[lang]), name=names[0])
    for lang, said in says(statement["consent"]["text"], WITHDRAW).items():
        if not said:
            out.warning(at(statement["consent"], "text"),
                        N_("the cookie statement in %(language)s does not say how to "
                           "withdraw consent"),
                        N_("explain how to withdraw consent (as easily as it was given)"),
                        language=Term(LANGUAGE_NAMES[lang]))
