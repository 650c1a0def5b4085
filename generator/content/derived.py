"""Facts a version states that the page, the exports, the register and ``check`` read
the same way: a transfer's mechanisms (its older single ``mechanism:`` read as a list
of one), the supervisory authority (the Autoriteit Persoonsgegevens where none is given
and the controller is in the Netherlands), the data protection officer's kind, whether a
country is in the EEA, and what the first layer of the statement sums up (the legal bases
its purposes use, the range of its retention periods).
"""

from __future__ import annotations

import re

from generator.content.model import Version
from generator.content.schema import LEGAL_BASES

# EU member states plus Iceland, Liechtenstein and Norway (ISO 3166 alpha-2), and 'EEA'.
EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE "
                "SI SK IS LI NO EEA".split())
# Days per ISO 8601 designator, to order durations (P13M after P1Y), not to add them.
_DAYS = {"Y": 365, "M": 30, "W": 7, "D": 1}
_PART = re.compile(r"(\d+)([YMWD])")

# The Autoriteit Persoonsgegevens' postal address and website, as it gives them itself
# (../shared/LEGAL.md, section 3): the default supervisory authority in the Netherlands.
AUTORITEIT_PERSOONSGEGEVENS = {
    "name": "Autoriteit Persoonsgegevens",
    "address": {"street": "Postbus 93374", "postcode": "2509 AJ", "city": "Den Haag",
                "country": "NL"},
    "url": "https://autoriteitpersoonsgegevens.nl",
    "phone": None,
}
DEFAULT_AUTHORITY = {"NL": AUTORITEIT_PERSOONSGEGEVENS}


def mechanisms(transfer) -> list[dict]:
    """The transfer's mechanisms in order (the first applies, later ones are the
    fallback), each ``{type, decision, derogation}``; the older ``mechanism:`` as one."""
    given = transfer.get("mechanisms")
    if given:
        return [{"type": m["type"], "decision": m.get("decision"),
                 "derogation": m.get("derogation")} for m in given]
    return [{"type": transfer["mechanism"], "decision": None, "derogation": None}]


def supervisory_authority(version: Version):
    """The supervisory authority the complaints section names: the structured block,
    or the default of the controller's country (None when there is neither)."""
    given = version.privacy["complaints"].get("supervisory_authority")
    if given is not None:
        return given
    country = version.organisation["address"].get("country") or "NL"
    return DEFAULT_AUTHORITY.get(country)


def authority_is_default(version: Version) -> bool:
    return version.privacy["complaints"].get("supervisory_authority") is None


def dpo_kind(dpo) -> str | None:
    """'none', 'internal' or 'external'; None when the organisation says nothing."""
    if dpo is None or dpo == "none":
        return dpo
    return dpo.get("kind") or "internal"


def in_eea(country: str | None) -> bool:
    return country is None or country in EEA


def legal_bases_used(version: Version) -> list[str]:
    """The legal bases the version's purposes rely on, in the order of Art. 6(1)."""
    used = {basis for purpose in version.purposes.values() for basis in purpose["legal_bases"]}
    return [basis for basis in LEGAL_BASES if basis in used]


def _days(period: str) -> int:
    date_part = period.split("T")[0]
    return sum(int(n) * _DAYS[unit] for n, unit in _PART.findall(date_part))


def retention_range(version: Version) -> dict:
    """The shortest and longest retention period stated for the version's categories of
    personal data (ISO 8601, None when no category states one), and whether some
    category states only criteria."""
    periods = [c["retention"]["period"] for c in version.categories.values()
               if c.get("retention") and c["retention"].get("period")]
    ordered = sorted(periods, key=_days)
    criteria_only = any(not (c.get("retention") or {}).get("period")
                        for c in version.categories.values())
    return {"shortest": ordered[0] if ordered else None,
            "longest": ordered[-1] if ordered else None, "criteria_only": criteria_only}


def transfer_countries(version: Version) -> list[str]:
    """The countries outside the EEA the statement names transfers to, each once."""
    countries: list[str] = []
    for transfer in version.privacy["transfers"].get("transfers") or ():
        if transfer["country"] not in countries:
            countries.append(transfer["country"])
    return countries


def all_in_eea(version: Version) -> bool:
    """Whether every recipient processes the data inside the EEA."""
    return all(in_eea(r.get("country")) for r in version.recipients.values())
