"""Completeness rules for the data categories and the texts: retention, provision,
source, special categories, unfinished sentences,
placeholders left from ``init``
(GDPR Art. 9, 12-14, 30); automated decisions and children are in ``sections.py``.
"""

from __future__ import annotations

import re

from generator.check.rules import LANGUAGE_NAMES, N_, Findings, Term, at, rule, says, texts
from generator.content.located import LocalText
from generator.content.model import Version

VAGUE = {"nl": r"zo ?lang (als )?(dat )?(nodig|noodzakelijk)|niet (meer|langer) (nodig|"
               r"noodzakelijk)|langer dan (nodig|noodzakelijk)",
         "en": r"as long as (is |it is )?(necessary|needed|required)|no longer (necessary|"
               r"needed|required)|longer than (necessary|needed)"}


@rule("P10", "GDPR 13(2)(a), 14(2)(a)")
def retention(v: Version, out: Findings) -> None:
    for category in v.categories.values():
        kept = category.get("retention") or {}
        if not kept.get("period") and not kept.get("criteria"):
            out.error(category.loc,
                      N_("data category '%(category)s' states no retention period or criteria"),
                      N_("add 'retention:' with 'period:' (e.g. P7Y) and/or 'criteria:' saying "
                         "from when it runs or how it is decided"), category=category["id"])
        elif not kept.get("period") and any(says(kept["criteria"], VAGUE).values()):
            out.warning(at(kept, "criteria"),
                        N_("the retention of data category '%(category)s' is vague ('as long "
                           "as necessary')"),
                        N_("give a period (e.g. P2Y) or concrete criteria: the event the "
                           "period starts from and what decides its end"),
                        category=category["id"])
    for purpose in v.purposes.values():
        for kept in purpose.get("retention") or ():
            if kept["category"] not in purpose["data_categories"]:
                out.warning(at(kept, "category"),
                            N_("purpose '%(purpose)s' says how long it keeps data category "
                               "'%(category)s', which it does not use"),
                            N_("add the category to the purpose's 'data_categories:', or "
                               "remove this retention"),
                            purpose=purpose["id"], category=kept["category"])
            elif not kept.get("period") and not kept.get("criteria"):
                out.error(kept.loc,
                          N_("purpose '%(purpose)s' keeps data category '%(category)s' for "
                             "its own period, but states no period or criteria"),
                          N_("add 'period:' (e.g. P7Y) and/or 'criteria:'"),
                          purpose=purpose["id"], category=kept["category"])


@rule("P15", "GDPR 13(2)(e)")
def provision(v: Version, out: Findings) -> None:
    for category in v.categories.values():
        if category["source"] != "data_subject":
            continue
        missing = [key for key in ("provision", "consequence") if not category.get(key)]
        if missing:
            out.error(category.loc,
                      N_("data category '%(category)s' does not say whether providing it is a "
                         "statutory or contractual requirement, or what happens if it is not "
                         "provided (%(keys)s missing)"),
                      N_("add 'provision:' (contractual, statutory, contract_requirement or "
                         "voluntary) and 'consequence:' with nl and en"),
                      category=category["id"], keys=", ".join(missing))


@rule("P17", "GDPR 14(1)(d), 30(1)(c)")
def unused_categories(v: Version, out: Findings) -> None:
    used = {c for p in v.purposes.values() for c in p["data_categories"]}
    for ident, category in v.categories.items():
        if ident not in used:
            out.warning(category.loc,
                        N_("data category '%(category)s' is listed, but no purpose uses it"),
                        N_("add it to the 'data_categories:' of the purposes that use it, or "
                           "remove it"), category=ident)


@rule("P18", "GDPR 14(2)(f)")
def source(v: Version, out: Findings) -> None:
    for category in v.categories.values():
        if category["source"] != "data_subject" and not category.get("source_text"):
            out.error(at(category, "source"),
                      N_("data category '%(category)s' is not obtained from the data subject, "
                         "but its source is not described"),
                      N_("add 'source_text:' naming the source (and whether it is public)"),
                      category=category["id"])


# Art. 9(2) points whose exception rests on Union or Member State law.
NEEDS_LAW = ("b", "g", "i", "j")


@rule("P20", "GDPR 9(1), 9(2)")
def special(v: Version, out: Findings) -> None:
    for category in v.categories.values():
        if category["special"] and not category.get("art9_condition"):
            out.error(at(category, "special"),
                      N_("data category '%(category)s' is a special category but names no "
                         "Art. 9(2) condition"),
                      N_("add 'art9_condition:' with the letter (a-j) of the Art. 9(2) "
                         "exception that applies"), category=category["id"])
        elif category["special"] and (category["art9_condition"] in NEEDS_LAW
                                      and not category.get("art9_law")):
            out.warning(at(category, "art9_condition"),
                        N_("data category '%(category)s' relies on Art. 9(2)(%(point)s), "
                           "which rests on a law, but names none"),
                        N_("add 'art9_law:' naming the law (e.g. UAVG art. 30 lid 3)"),
                        category=category["id"], point=category["art9_condition"])


BSN = {"nl": r"\bBSN\b|burger ?service ?nummer|sofinummer",
       "en": r"\bBSN\b|citizen ?service ?number|burgerservicenummer"}


@rule("P23", "GDPR 87, UAVG 46")
def national_identifier(v: Version, out: Findings) -> None:
    """A category holding a national identification number (the Dutch BSN) names the
    law that allows its use."""
    for category in v.categories.values():
        if category.get("national_identifier"):
            continue
        named = [category["name"], category["items"]] + (
            [category["note"]] if category.get("note") else [])
        if any(any(says(text, BSN).values()) for text in named):
            out.warning(at(category, "items"),
                        N_("data category '%(category)s' holds a national identification "
                           "number (BSN), but does not name the law that allows its use"),
                        N_("add 'national_identifier:' with 'name:' and 'law:' (e.g. art. 46 "
                           "UAVG, and the sector's own law), or remove the number"),
                        category=category["id"])


@rule("R01", "GDPR 30(1)(c), 30(1)(g), 32")
def register(v: Version, out: Findings) -> None:
    """What the record of processing activities needs besides the statement: whose data
    each purpose processes, and the security measures."""
    for purpose in v.purposes.values():
        if not purpose.get("data_subjects"):
            out.warning(at(purpose, "data_categories"),
                        N_("purpose '%(purpose)s' does not say whose data it processes "
                           "(categories of data subjects)"),
                        N_("add 'data_subjects:' (e.g. [customers, website_visitors], or an "
                           "id of your own from the top-level 'data_subjects:')"),
                        purpose=purpose["id"])
    if not v.privacy.get("security"):
        bare = [p["id"] for p in v.purposes.values() if not p.get("security")]
        if bare:
            out.warning(v.privacy.loc,
                        N_("the security measures are not described (%(purposes)s)"),
                        N_("add a 'security:' section to privacy.yaml with 'title:' and "
                           "'text:' describing the technical and organisational measures"),
                        purposes=", ".join(bare))


FINAL = tuple(".!?:;…)]\"'”’»")
# Words a sentence does not end on: a text that ends on one breaks off mid-sentence; any
# other text without final punctuation only lacks its full stop.
DANGLING = {
    "nl": frozenset("aan als bij dan dat de die door een en het in maar met naar noch of om "
                    "omdat onder op over te tot uit van voor waaronder want wanneer zoals "
                    "zodat indien onze uw haar zijn".split()),
    "en": frozenset("a an and as at because but by for from if in including its nor of on "
                    "or our so such than that the their to when which with your".split())}
QUOTED = 40  # characters of the text's end a finding quotes, in whole words


@rule("P21", "GDPR 12(1)")
def unfinished(v: Version, out: Findings) -> None:
    """A text without final punctuation: broken off (it ends on a word such as 'and',
    'dan', or on a comma or dash), or a complete sentence without its full stop."""
    for name in v.files:
        for text in texts(v.files[name]):
            if not text.markdown:
                continue
            for lang in text.values:
                end = text[lang].rstrip("*_` \n")
                if end.endswith(FINAL):
                    continue
                params = {"language": Term(LANGUAGE_NAMES[lang]), "end": _last_words(end)}
                last = re.split(r"\W+", end.lower().rstrip())[-1] if end[-1:].isalnum() else ""
                if last in DANGLING[lang] or not end[-1:].isalnum():
                    out.warning(text.loc,
                                N_("the text in %(language)s breaks off mid-sentence: "
                                   "'%(end)s'"),
                                N_("finish the sentence, or end it before the words that "
                                   "break off"), **params)
                else:
                    out.warning(text.loc,
                                N_("the text in %(language)s ends without a full stop: "
                                   "'%(end)s'"),
                                N_("end the last sentence with a full stop"), **params)


def _last_words(text: str) -> str:
    """The end of a text in whole words, about QUOTED characters, '...' where cut."""
    words = text.split()
    kept = [words.pop()]
    while words and len(words[-1]) + 1 + sum(len(w) + 1 for w in kept) <= QUOTED:
        kept.insert(0, words.pop())
    return ("..." if words else "") + " ".join(kept)


PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,80}\](?![(\[])")  # "[Naam]", not a Markdown link


@rule("P22", "GDPR 12(1)")
def placeholders(v: Version, out: Findings) -> None:
    """Text in square brackets, as ``init`` writes it, is still waiting for the real text."""
    for name in v.files:
        for loc, value in _strings(v.files[name]):
            found = PLACEHOLDER.search(value)
            if found:
                out.error(loc, N_("placeholder text '%(text)s' has not been filled in"),
                          N_("replace the text in square brackets by your own"),
                          text=found.group(0))


def _strings(value, loc=None):
    """(location, string) for every string in a validated file, both languages."""
    if isinstance(value, LocalText):
        for item in value.values.values():
            for text in item if isinstance(item, list) else [item]:
                yield value.loc, text
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, at(value, key))
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, loc)
    elif isinstance(value, str) and loc is not None:
        yield loc, value
