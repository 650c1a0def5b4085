"""Completeness rules for profiling and automated decisions (GDPR Art. 13(2)(f), 22) and
for children (Art. 8; in the Netherlands UAVG art. 5).

Profiling (Art. 4(4)) and decisions based solely on automated processing with legal or
similarly significant effects (Art. 22) are said apart (``profiling:``, ``decisions:``):
profiling without such effects is disclosed with its purpose, logic and effects, and
trips nothing; the older single ``used`` flag says both at once.
"""

from __future__ import annotations

import re

from generator.check.rules import N_, Findings, at, rule, texts
from generator.content.model import Version

PROFILING_WORDS = {"nl": r"profilering", "en": r"profiling"}
DECISION_WORDS = {"nl": r"geautomatiseerde (individuele )?besluit",
                  "en": r"automated (individual )?decision"}
# The topic named as a whole (as in the GDPR's heading of Art. 22, or a reference to the
# section): a mention of the section, not a statement that either is used.
TOPIC = {"nl": r"geautomatiseerde (individuele )?besluitvorming,? (en|waaronder) profilering",
         "en": r"automated (individual )?decision[- ]making,? (and|including) profiling"}
PROFILING_NEEDS = ("purpose", "logic", "effects")
DECISIONS_NEED = ("logic", "significance", "consequences")
# Data subjects that are children: the fixed category, and an organisation's own ones
# with the DPV term for children.
CHILD = ("minors", "dpv:Child")
AGE_OF_CONSENT_NL = "16"  # UAVG art. 5


@rule("P16", "GDPR 13(2)(f), 22")
def automated_decisions(v: Version, out: Findings) -> None:
    """Art. 13(2)(f) asks for the information where Art. 22 decisions (or profiling with
    them) exist; the check cannot know that, so a statement that says nothing either way is
    a warning. Used but not described is an error."""
    adm = v.privacy.get("automated_decision_making")
    if adm is None:
        out.warning(v.privacy.loc,
                    N_("the statement does not say whether automated decision-making or "
                       "profiling is used"),
                    N_("add 'automated_decision_making:' with 'profiling:' and 'decisions:', "
                       "each with 'used: true' or 'used: false' and, when used, what it is"))
        return
    profiling, decisions, used = adm.get("profiling"), adm.get("decisions"), adm.get("used")
    if profiling is None and decisions is None and (used is None or adm.get("text") is None):
        out.warning(adm.loc,
                    N_("the section on automated decision-making does not say whether "
                       "profiling or automated decisions are used"),
                    N_("add 'profiling:' and 'decisions:', each with 'used: true' or 'used: "
                       "false' (or the older 'used:' with a 'text:' explaining it)"))
        return
    _described(adm, "profiling", PROFILING_NEEDS, out)
    _described(adm, "decisions", DECISIONS_NEED, out)
    profiles = bool(used) or bool(profiling and profiling["used"])
    decides = bool(used) or bool(decisions and decisions["used"])
    for text in _free_texts(v):
        if not profiles and _mentions(text, PROFILING_WORDS, adm["title"]):
            out.warning(text.loc,
                        N_("this text mentions profiling, but 'automated_decision_making' "
                           "says it is not used"),
                        N_("say so under 'profiling:' ('used: true', with its purpose, "
                           "logic and effects), or reword the text"))
        if not decides and _mentions(text, DECISION_WORDS, adm["title"]):
            out.warning(text.loc,
                        N_("this text mentions automated decisions, but "
                           "'automated_decision_making' says none are taken"),
                        N_("say so under 'decisions:' ('used: true', with the logic, its "
                           "significance and its consequences), or reword the text"))


def _free_texts(v: Version):
    """The texts that may say profiling or automated decisions are used: the purposes, the
    data categories and privacy.yaml, except the section that states it."""
    for name in ("purposes.yaml", "data_categories.yaml"):
        yield from texts(v.files.get(name))
    for key, section in v.privacy.items():
        if key != "automated_decision_making":
            yield from texts(section)


def _mentions(text, words: dict[str, str], title) -> bool:
    """Whether ``text`` mentions the words in a language, leaving out where it names the
    topic as a whole or the section by its title ("see the section on automated
    decision-making and profiling")."""
    for lang, pattern in words.items():
        values = text[lang] if isinstance(text[lang], list) else [text[lang]]
        for value in values:
            value = value.lower().replace(title[lang].lower(), " ")
            value = re.sub(TOPIC[lang], " ", value)
            if re.search(pattern, value):
                return True
    return False


def _described(adm, key: str, needed: tuple[str, ...], out: Findings) -> None:
    part = adm.get(key)
    if part is None or not part["used"]:
        return
    missing = [name for name in needed if not part.get(name)]
    if missing:
        out.error(at(adm, key),
                  N_("'%(part)s' is used, but its %(keys)s is not described"),
                  N_("add %(keys)s under '%(part)s:', in nl and en"),
                  part=key, keys=", ".join(missing))


@rule("P24", "GDPR 8, UAVG 5")
def children(v: Version, out: Findings) -> None:
    purposes = v.files.get("purposes.yaml") or {}
    own = {s["id"] for s in purposes.get("data_subjects") or () if s.get("dpv") in CHILD}
    minors = [p["id"] for p in v.purposes.values()
              if any(s in CHILD or s in own for s in p.get("data_subjects") or ())]
    section = v.privacy.get("children")
    if section is None:
        if minors:
            out.error(v.privacy.loc,
                      N_("purposes process personal data of children (%(purposes)s), but the "
                         "statement has no section on children"),
                      N_("add 'children:' to privacy.yaml with 'title:', 'aimed_at_children:', "
                         "'minimum_age:' (16 in the Netherlands) and 'parental_consent:' saying "
                         "how the consent of the holder of parental responsibility is obtained "
                         "and verified"), purposes=", ".join(minors))
        return
    # Art. 8 applies where consent (Art. 6(1)(a)) is the basis for an online service
    # offered to a child: a treatment contract or a legal obligation needs no parental
    # consent under it
    by_consent = [p["id"] for p in v.purposes.values()
                  if p["id"] in minors and "consent" in p["legal_bases"]]
    if not (by_consent or section["aimed_at_children"]):
        return
    missing = [name for name in ("minimum_age", "parental_consent") if not section.get(name)]
    if missing:
        out.error(section.loc,
                  N_("the section on children does not give its %(keys)s"),
                  N_("add %(keys)s under 'children:' (the age of digital consent: 16 in the "
                     "Netherlands; how the consent of the holder of parental responsibility is "
                     "obtained and verified)"), keys=", ".join(missing))
    age = section.get("minimum_age")
    if age and age != AGE_OF_CONSENT_NL and v.organisation["address"].get("country") == "NL":
        out.warning(at(section, "minimum_age"),
                    N_("the age of digital consent is %(age)s, but in the Netherlands it is 16 "
                       "(UAVG art. 5)"),
                    N_("write 'minimum_age: 16'"), age=age)
