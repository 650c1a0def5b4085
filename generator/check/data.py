"""Completeness rules for the data categories and the texts: retention, provision,
source, special categories, automated decision-making, unfinished sentences,
placeholders left from ``init``
(GDPR Art. 9, 12-14, 22, 30).
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


PROFILING = {"nl": r"profilering|geautomatiseerde (individuele )?besluitvorming",
             "en": r"profiling|automated (individual )?decision"}


@rule("P16", "GDPR 13(2)(f), 22")
def automated_decisions(v: Version, out: Findings) -> None:
    adm = v.privacy.get("automated_decision_making")
    if adm is None:
        out.error(v.privacy.loc,
                  N_("the statement does not say whether automated decision-making or "
                     "profiling is used"),
                  N_("add 'automated_decision_making:' with 'used: false' and a text saying "
                     "so, or 'used: true' with the logic, significance and consequences"))
        return
    if adm["used"]:
        return
    for name in ("purposes.yaml", "data_categories.yaml"):
        for text in texts(v.files[name]):
            if any(says(text, PROFILING).values()):
                out.warning(text.loc,
                            N_("this text mentions profiling or automated decisions, but "
                               "'automated_decision_making' says they are not used"),
                            N_("set 'used: true' and explain the logic, significance and "
                               "consequences, or reword the text"))


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


@rule("P20", "GDPR 9(1), 9(2)")
def special(v: Version, out: Findings) -> None:
    for category in v.categories.values():
        if category["special"] and not category.get("art9_condition"):
            out.error(at(category, "special"),
                      N_("data category '%(category)s' is a special category but names no "
                         "Art. 9(2) condition"),
                      N_("add 'art9_condition:' with the letter (a-j) of the Art. 9(2) "
                         "exception that applies"), category=category["id"])


FINAL = tuple(".!?:;…)]\"'”’»")


@rule("P21", "GDPR 12(1)")
def unfinished(v: Version, out: Findings) -> None:
    for name in v.files:
        for text in texts(v.files[name]):
            if not text.markdown:
                continue
            for lang in text.values:
                if not text[lang].rstrip("*_` \n").endswith(FINAL):
                    out.warning(text.loc,
                                N_("the text in %(language)s stops mid-sentence (no final "
                                   "punctuation): '...%(end)s'"),
                                N_("finish the sentence"),
                                language=Term(LANGUAGE_NAMES[lang]), end=text[lang][-40:])


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
