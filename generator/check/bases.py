"""Rules on whether a legal basis fits what it is claimed for (GDPR Art. 6(1), 6(3),
13(1)(c)): a legal obligation claimed for processing no law requires (P26), and a legal
reference that does not fit its legal basis (P27).
"""

from __future__ import annotations

import re

from generator.check.rules import N_, Findings, Term, at, rule
from generator.content.model import Version

# Kinds of processing no general law obliges a business to carry out: each found by the
# purpose's direct_marketing flag, its DPV term or the words of its text.
KINDS = {
    "fraud": (N_("fraud prevention or investigation"), ("dpv:FraudPreventionAndDetection",),
              r"fraude|\bfraud"),
    "debt_collection": (N_("debt collection"), ("dpv:DebtCollection",),
                        r"incassobureau|invordering|gerechtelijke stappen|rechtsbijstand|"
                        r"deurwaarder|debt[- ]collect|legal action|obtaining payment|bailiff|"
                        r"legal assistance"),
    "direct_marketing": (N_("direct marketing"), ("dpv:DirectMarketing", "dpv:Marketing",
                                                  "dpv:Advertising"),
                         r"direct ?marketing|nieuwsbrie|newsletter|promotione"),
}
# Laws a legal_reference may name, and the kinds of processing each requires. The Dutch
# bookkeeping obligations require keeping records, nothing of KINDS; the Wwft (anti-money
# laundering) requires customer due diligence, which is fraud prevention.
LAWS = (
    ("art. 52 AWR", r"\b52\b.{0,60}(AWR|Algemene wet inzake rijksbelastingen)|"
                    r"(AWR|Algemene wet inzake rijksbelastingen).{0,20}\b52\b", ()),
    ("art. 2:10 BW", r"\b2:10\b", ()),
    ("Wwft", r"\bWwft\b|Wet ter voorkoming van witwassen", ("fraud",)),
)
GDPR_ITSELF = r"\b(AVG|GDPR|UAVG|verordening gegevensbescherming|Data Protection Regulation)\b"
OTHER_LAW = r"\b([Ww]et|[Ww]etboek|Act|Code|BW|AWR|Wwft)\b|[a-z]wet\b"


def _words(purpose) -> str:
    """The text that says what the legal obligation covers: its part under 'basis_covers',
    or else the purpose's title and description."""
    covers = purpose.get("basis_covers") or {}
    parts = [covers["legal_obligation"]] if "legal_obligation" in covers else [
        purpose.get("title"), purpose["description"]]
    return " ".join(text[lang] for text in parts if text is not None for lang in text.values)


def _kinds(purpose) -> list[str]:
    """The kinds of processing the purpose's legal obligation is claimed for."""
    words, found = _words(purpose), []
    declared = "legal_obligation" not in (purpose.get("basis_covers") or {})
    for kind, (_, terms, pattern) in KINDS.items():
        flagged = declared and (purpose.get("dpv") in terms or (
            kind == "direct_marketing" and purpose["direct_marketing"]))
        if flagged or re.search(pattern, words, re.IGNORECASE):
            found.append(kind)
    return found


def _named_laws(purpose) -> list[tuple[str, tuple[str, ...]]]:
    reference = purpose.get("legal_reference")
    if reference is None:
        return []
    text = " ".join(reference[lang] for lang in reference.values)
    return [(name, kinds) for name, pattern, kinds in LAWS if re.search(pattern, text)]


@rule("P26", "GDPR 6(1)(c), 6(3), 13(1)(c)")
def obligation_fits(v: Version, out: Findings) -> None:
    """A legal obligation (Art. 6(1)(c)) covers only what a law requires of the
    controller: fraud prevention, debt collection and direct marketing rest on legitimate
    interests (or consent), unless a named law (the Wwft, for fraud) requires it."""
    for purpose in v.purposes.values():
        if "legal_obligation" not in purpose["legal_bases"]:
            continue
        laws = _named_laws(purpose)
        required = {kind for _, kinds in laws for kind in kinds}
        named = ", ".join(name for name, _ in laws)
        for kind in _kinds(purpose):
            if kind in required:
                continue
            if laws:
                missing = N_("purpose '%(purpose)s' claims a legal obligation (Art. 6(1)(c)) "
                             "for %(kind)s, but the law it names (%(laws)s) requires only "
                             "keeping records")
            else:
                missing = N_("purpose '%(purpose)s' claims a legal obligation (Art. 6(1)(c)) "
                             "for %(kind)s, which no law it names requires")
            out.error(at(purpose, "legal_bases"), missing,
                      N_("base that processing on legitimate interests: give it a purpose "
                         "of its own with 'legal_bases: [legitimate_interests]' and "
                         "'legitimate_interest:' naming the interest, and keep under the "
                         "legal obligation only what the law requires"),
                      purpose=purpose["id"], kind=Term(KINDS[kind][0]), laws=named)


@rule("P27", "GDPR 6(3), 13(1)(c)")
def reference_fits(v: Version, out: Findings) -> None:
    """A legal reference names the law behind a legal obligation or public task
    (Art. 6(3)): on a purpose without either basis it explains nothing, and the GDPR
    itself is not that law."""
    for purpose in v.purposes.values():
        reference = purpose.get("legal_reference")
        if reference is None:
            continue
        if not {"legal_obligation", "public_task"} & set(purpose["legal_bases"]):
            out.warning(at(purpose, "legal_reference"),
                        N_("purpose '%(purpose)s' names a law under 'legal_reference:', but "
                           "its legal bases (%(bases)s) include no legal obligation or public "
                           "task that the law would impose"),
                        N_("remove 'legal_reference:', or move the processing that law "
                           "requires to a purpose with 'legal_bases: [legal_obligation]'"),
                        purpose=purpose["id"], bases=", ".join(purpose["legal_bases"]))
            continue
        for lang in reference.values:
            text = reference[lang]
            if re.search(GDPR_ITSELF, text) and not re.search(OTHER_LAW, text):
                out.warning(at(purpose, "legal_reference"),
                            N_("the legal reference of purpose '%(purpose)s' names only the "
                               "GDPR, which is not the law that imposes the obligation"),
                            N_("name the national or EU law and article that require the "
                               "processing (e.g. art. 52 AWR), not the GDPR"),
                            purpose=purpose["id"])
                break
