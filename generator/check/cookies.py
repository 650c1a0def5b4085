"""Completeness rules for the cookie statement (Telecommunicatiewet art. 11.7a, the
AP/ACM cookie categories, GDPR Art. 7(3) and 13(1)(e)-(f)).
"""

from __future__ import annotations

from generator.check.rules import LANGUAGE_NAMES, N_, Findings, Term, at, rule, says, texts
from generator.content.model import Version
from generator.export.consent_cookie import TOOL_DEFAULTS, TOOL_NAMES, expiry_days


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


# Withdrawing consent (Art. 7(3)): the AVG's "intrekken", also as "in te trekken" or
# "trekt ... in"; the GDPR's "withdraw". The advice names the word a text needs.
WITHDRAW = {"nl": r"intrek|\bin\s+te\s+trekken\b|\btrekt\b[^.]{0,60}\bin\b", "en": r"withdraw"}
WITHDRAW_WORD = {"nl": "intrekken", "en": "withdraw"}


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
                        N_("say in the 'consent:' text in %(language)s how visitors "
                           "withdraw their consent (the word '%(word)s'), and that withdrawing "
                           "is as easy as giving it"),
                        language=Term(LANGUAGE_NAMES[lang]), word=WITHDRAW_WORD[lang])


@rule("C05", "Tw 11.7a(1)")
def consent_cookie(v: Version, out: Findings) -> None:
    """The cookie the consent exports store the visitor's choice in is one the inventory
    declares, kept as long as it says (``export/consent_cookie.py``)."""
    statement = v.cookie_statement
    tool = statement.get("consent_tool")
    if tool is None:
        undeclared = [f"'{cookie}' ({TOOL_NAMES[name]})"
                      for name, (cookie, _) in TOOL_DEFAULTS.items() if cookie not in v.cookies]
        if undeclared:
            out.warning(at(statement, "cookies"),
                        N_("the consent exports store the visitor's choice in a cookie the list "
                           "of cookies does not declare: %(cookies)s"),
                        N_("declare the cookie your consent tool sets, and name the tool and "
                           "that cookie under 'consent_tool:' (tool: cookieconsent, klaro or "
                           "other; cookie: its name)"), cookies=", ".join(undeclared))
        return
    cookie = v.cookies.get(tool["cookie"])
    if cookie is None:
        return  # a name no cookie has: the validator reports it
    if tool["tool"] in TOOL_DEFAULTS and expiry_days(cookie["expiry"]) is None:
        _, days = TOOL_DEFAULTS[tool["tool"]]
        out.error(at(cookie, "expiry"),
                  N_("%(tool)s keeps consent cookie '%(cookie)s' for days (%(days)s unless told "
                     "otherwise), but the list gives it the expiry '%(expiry)s'"),
                  N_("set its 'expiry:' to how long the tool keeps it, as a duration such as "
                     "P6M; the consent exports then set that"), tool=TOOL_NAMES[tool["tool"]],
                  cookie=cookie["name"], days=days, expiry=cookie["expiry"])
    if (cookie["category"] != "functional" or cookie["consent_required"]
            or cookie["party"] != "first"):
        out.warning(at(cookie, "category"),
                    N_("consent cookie '%(cookie)s' is not listed as a first-party functional "
                       "cookie set without asking consent, though the website's own tool sets "
                       "it only to store the visitor's choice"),
                    N_("set 'party: first', 'category: functional' and 'consent_required: "
                       "false'"), cookie=cookie["name"])


SETTINGS_PROMISED = {
    "nl": r"(link|knop)\W{0,3}cookie-?instellingen|cookie-?instellingen\W{0,3}(link|knop)",
    "en": r"(link|button)\W{0,3}cookie settings|cookie settings\W{0,3}(link|button)"}


@rule("C06", "Tw 11.7a(1), GDPR 7(3)")
def settings_link(v: Version, out: Findings) -> None:
    """A text that sends the reader to a 'cookie settings' link needs that link
    configured (``settings_link:``), which the consent section then shows."""
    if v.cookie_statement.get("settings_link") is not None:
        return
    for name in ("cookies.yaml", "privacy.yaml"):
        for text in texts(v.files.get(name)):
            if any(says(text, SETTINGS_PROMISED).values()):
                out.warning(text.loc,
                            N_("this text promises a 'cookie settings' link, but no such link "
                               "is configured"),
                            N_("add 'settings_link:' to cookies.yaml with its 'label:' (nl and "
                               "en) and 'href:' (e.g. '#cookie-settings'), or reword the "
                               "text"))
