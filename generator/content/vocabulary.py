"""Fixed legal vocabulary: the labels of identifiers used in the content.

Labels are English source strings marked with ``N_`` so that ``pybabel
extract -k N_`` puts them in the catalog; Dutch is in locales/nl. Dutch
labels use the official AVG terms (see ../shared/LEGAL.md, section 3).
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker
    return message


LEGAL_BASIS = {
    "consent": N_("consent"),
    "contract": N_("performance of a contract"),
    "legal_obligation": N_("legal obligation"),
    "vital_interests": N_("vital interests"),
    "public_task": N_("public task or official authority"),
    "legitimate_interests": N_("legitimate interests"),
}
LEGAL_BASIS_ARTICLE = {
    "consent": "6(1)(a)", "contract": "6(1)(b)", "legal_obligation": "6(1)(c)",
    "vital_interests": "6(1)(d)", "public_task": "6(1)(e)", "legitimate_interests": "6(1)(f)",
}
RIGHT = {
    "access": N_("right of access"),
    "rectification": N_("right to rectification"),
    "erasure": N_("right to erasure"),
    "restriction": N_("right to restriction of processing"),
    "portability": N_("right to data portability"),
    "objection": N_("right to object"),
}
COOKIE_CATEGORY = {
    "functional": N_("functional cookies"),
    "analytics": N_("analytics cookies"),
    "tracking": N_("tracking cookies"),
}
COOKIE_PARTY = {"first": N_("first party"), "third": N_("third party")}
RECIPIENT_ROLE = {
    "group_company": N_("group company"),
    "processor": N_("processor"),
    "controller": N_("independent controller"),
    "joint_controller": N_("joint controller"),
    "public_authority": N_("public authority"),
}
TRANSFER_MECHANISM = {
    "adequacy_decision": N_("adequacy decision (Art. 45 GDPR)"),
    "standard_contractual_clauses": N_("standard contractual clauses (Art. 46 GDPR)"),
    "binding_corporate_rules": N_("binding corporate rules (Art. 47 GDPR)"),
    "derogation": N_("derogation for a specific situation (Art. 49 GDPR)"),
}
DATA_SOURCE = {
    "data_subject": N_("from you"),
    "third_party": N_("from a third party"),
    "public_source": N_("from a public source"),
}
PROVISION = {
    "contractual": N_("needed for the contract"),
    "statutory": N_("required by law"),
    "contract_requirement": N_("required to enter into a contract"),
    "voluntary": N_("voluntary"),
}
DOCUMENT = {"privacy": N_("Privacy statement"), "cookies": N_("Cookie statement")}

VOCABULARIES = {
    "basis": LEGAL_BASIS, "right": RIGHT, "cookie_category": COOKIE_CATEGORY,
    "party": COOKIE_PARTY, "role": RECIPIENT_ROLE, "mechanism": TRANSFER_MECHANISM,
    "source": DATA_SOURCE, "provision": PROVISION, "document": DOCUMENT,
}
