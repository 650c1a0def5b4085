"""Facts a version states that the page, the exports, the register and ``check`` read
the same way: a transfer's mechanisms (its older single ``mechanism:`` read as a list
of one), the supervisory authority (the Autoriteit Persoonsgegevens where none is given
and the controller is in the Netherlands) and the data protection officer's kind.
"""

from __future__ import annotations

from generator.content.model import Version

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
