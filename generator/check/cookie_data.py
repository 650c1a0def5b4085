"""Rules that hold the cookie statement to the privacy statement: a cookie's data is a
data category of the privacy statement (its ``data_category:``, or else, for an analytics
or tracking cookie, the categories of browsing behaviour), kept no longer than that
category (C07), used only for measuring when the cookie is exempt as low-impact
analytics (C08), and processed on a legal basis a purpose explains (C09).
"""

from __future__ import annotations

import re

from generator.check.rules import N_, Findings, at, rule
from generator.content.model import Version
from generator.export.consent_cookie import expiry_days

BROWSING = ("pd:BrowsingBehaviour", "pd:BrowsingReferral", "pd:BrowsingHistory")
MEASURING = ("analytics", "tracking")  # cookies that collect data of their own
ANALYTICS_DPV = ("dpv:ServiceUsageAnalytics", "dpv:ServiceOptimisation",
                 "dpv:OptimiseUserInterface", "dpv:ImproveExistingProductsAndServices")
ANALYTICS_WORDS = r"\bmeten\b|statistie|analy|measur|statistic"
OTHER_USE_WORDS = r"profil|marketing|advert|personali[sz]|gepersonaliseerd|aanbieding|offers?\b"


def cookie_categories(v: Version, cookie) -> list[str]:
    """The data categories that hold what the cookie collects."""
    if cookie.get("data_category"):
        return [cookie["data_category"]]
    if cookie["category"] not in MEASURING:
        return []
    return [ident for ident, c in v.categories.items() if c.get("dpv") in BROWSING]


def measures_only(purpose) -> bool:
    """Whether a purpose is the measuring of the website (analytics) and nothing else."""
    if purpose["direct_marketing"]:
        return False
    if purpose.get("dpv"):
        return purpose["dpv"] in ANALYTICS_DPV
    words = " ".join(text[lang] for text in (purpose.get("title"), purpose["description"])
                     if text is not None for lang in text.values)
    return bool(re.search(ANALYTICS_WORDS, words, re.IGNORECASE)) and not re.search(
        OTHER_USE_WORDS, words, re.IGNORECASE)


def _users(v: Version, categories: list[str]):
    return [p for p in v.purposes.values() if set(categories) & set(p["data_categories"])]


@rule("C07", "GDPR 13(2)(a), Tw 11.7a(1)")
def expiry_within_retention(v: Version, out: Findings) -> None:
    """A cookie that outlives the retention of its data category keeps that data longer
    than the privacy statement says."""
    for cookie in v.cookies.values():
        days = expiry_days(cookie["expiry"])
        for ident in cookie_categories(v, cookie):
            period = (v.categories[ident].get("retention") or {}).get("period")
            kept = expiry_days(period) if period else None
            if days is not None and kept is not None and days > kept + 1:
                out.warning(at(cookie, "expiry"),
                            N_("cookie '%(cookie)s' is kept for %(expiry)s, longer than the "
                               "privacy statement keeps its data (data category "
                               "'%(category)s', %(period)s)"),
                            N_("make the two agree: set the cookie's 'expiry:' to %(period)s, "
                               "or the category's retention 'period:' to %(expiry)s"),
                            cookie=cookie["name"], expiry=cookie["expiry"], category=ident,
                            period=period)


@rule("C08", "Tw 11.7a(3)(b)")
def exempt_analytics_used_otherwise(v: Version, out: Findings) -> None:
    """Analytics set without consent as low-impact may serve only to measure the website:
    its data used by another purpose (marketing, profiling) loses the exemption."""
    for cookie in v.cookies.values():
        if cookie["category"] != "analytics" or cookie["consent_required"] or not cookie[
                "low_privacy_impact"]:
            continue
        categories = cookie_categories(v, cookie)
        for purpose in _users(v, categories):
            if measures_only(purpose):
                continue
            shared = [c for c in categories if c in purpose["data_categories"]]
            out.error(at(cookie, "low_privacy_impact"),
                      N_("analytics cookie '%(cookie)s' is set without consent as low-impact "
                         "measuring, but its data (data category '%(category)s') is also "
                         "used for purpose '%(purpose)s'"),
                      N_("remove '%(category)s' from the 'data_categories:' of purpose "
                         "'%(purpose)s', or ask consent for the cookie ('consent_required: "
                         "true', 'legal_basis: consent', 'low_privacy_impact: false')"),
                      cookie=cookie["name"], category=shared[0], purpose=purpose["id"])


@rule("C09", "GDPR 13(1)(c), 13(1)(d)")
def cookie_basis_explained(v: Version, out: Findings) -> None:
    """The legal basis a cookie claims is the basis of a purpose that uses its data (for
    analytics, a measuring purpose): that purpose states what the cookie is for and, on
    legitimate interests, the interest (an error then: Art. 13(1)(d) always applies)."""
    for cookie in v.cookies.values():
        categories = cookie_categories(v, cookie)
        if not categories and cookie["category"] not in MEASURING:
            continue
        basis = cookie["legal_basis"]
        report = out.error if basis == "legitimate_interests" else out.warning
        if not categories:
            report(at(cookie, "legal_basis"),
                   N_("cookie '%(cookie)s' relies on '%(basis)s', but no data category of "
                      "the privacy statement holds its data"),
                   N_("add 'data_category:' to the cookie with the id of the data category "
                      "that holds its data, used by a purpose with 'legal_bases: "
                      "[%(basis)s]'"),
                   cookie=cookie["name"], basis=basis)
            continue
        users = [p for p in _users(v, categories)
                 if cookie["category"] != "analytics" or measures_only(p)]
        if not any(basis in p["legal_bases"] for p in users):
            report(at(cookie, "legal_basis"),
                   N_("cookie '%(cookie)s' relies on '%(basis)s', but no purpose that uses "
                      "its data (%(categories)s) for what the cookie does has that legal "
                      "basis"),
                   N_("add a purpose with 'legal_bases: [%(basis)s]' (on legitimate "
                      "interests with 'legitimate_interest:') whose 'data_categories:' hold "
                      "%(categories)s, or give the cookie the legal basis of the purpose "
                      "that uses its data"),
                   cookie=cookie["name"], basis=basis, categories=", ".join(categories))
