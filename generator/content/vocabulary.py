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
    "standard_contractual_clauses": N_("standard contractual clauses (Art. 46(2)(c) GDPR)"),
    "binding_corporate_rules": N_("binding corporate rules (Art. 46(2)(b) and 47 GDPR)"),
    "derogation": N_("derogation for a specific situation (Art. 49 GDPR)"),
}
# The one region a country code may also be (schema.COUNTRY_PATTERN); countries are named
# by Babel, in the page's language (render/i18n.py, country_name).
EEA_NAME = N_("the European Economic Area")
# The derogations of GDPR Art. 49(1), points (a) to (g), in words.
DEROGATION = {
    "a": N_("you have explicitly consented to the transfer, after being informed of its "
            "possible risks"),
    "b": N_("the transfer is necessary for the performance of a contract between you and us, "
            "or for pre-contractual measures taken at your request"),
    "c": N_("the transfer is necessary for the conclusion or performance of a contract "
            "concluded in your interest between us and another person"),
    "d": N_("the transfer is necessary for important reasons of public interest"),
    "e": N_("the transfer is necessary for the establishment, exercise or defence of legal "
            "claims"),
    "f": N_("the transfer is necessary to protect your vital interests or those of other "
            "persons, where you are physically or legally incapable of giving consent"),
    "g": N_("the transfer is made from a public register"),
}
DATA_SOURCE = {
    "data_subject": N_("from you"),
    "third_party": N_("from a third party"),
    "public_source": N_("from a public source"),
}
PROVISION = {
    "contractual": N_("yes, it is a contractual requirement"),
    "statutory": N_("yes, it is a statutory requirement"),
    "contract_requirement": N_("yes, it is a requirement necessary to enter into a contract"),
    "voluntary": N_("no, providing it is voluntary"),
}
DOCUMENT = {"privacy": N_("Privacy statement"), "cookies": N_("Cookie statement")}
DPO_KIND = {"internal": N_("employed by the controller"), "external": N_("external")}
# The fixed categories of data subjects (schema.DATA_SUBJECTS), in the plural, and the
# W3C DPV terms they are exported as (LEGAL.md section 6; dpv:DataSubject where DPV has
# no narrower one).
DATA_SUBJECT = {
    "customers": N_("customers"),
    "prospective_customers": N_("prospective customers"),
    "business_contacts": N_("contact persons at business customers"),
    "website_visitors": N_("visitors to our website"),
    "employees": N_("employees"),
    "job_applicants": N_("job applicants"),
    "patients": N_("patients"),
    "clients": N_("clients"),
    "minors": N_("minors"),
    "parents_or_guardians": N_("parents or guardians"),
    "suppliers": N_("suppliers and their contact persons"),
    "visitors": N_("visitors to our premises"),
    "members": N_("members"),
    "subscribers": N_("subscribers"),
}
DATA_SUBJECT_DPV = {
    "customers": ("dpv:Customer",), "prospective_customers": ("dpv:DataSubject",),
    "business_contacts": ("dpv:DataSubject",), "website_visitors": ("dpv:Visitor",),
    "employees": ("dpv:Employee",), "job_applicants": ("dpv:JobApplicant",),
    "patients": ("dpv:Patient",), "clients": ("dpv:Client",), "minors": ("dpv:Child",),
    "parents_or_guardians": ("dpv:ParentOfDataSubject", "dpv:GuardianOfDataSubject"),
    "suppliers": ("dpv:DataSubject",), "visitors": ("dpv:Visitor",),
    "members": ("dpv:Member",), "subscribers": ("dpv:Subscriber",),
}
# The conditions of GDPR Art. 9(2), points (a) to (j), in words.
ART9_CONDITION = {
    "a": N_("explicit consent"),
    "b": N_("obligations and rights in the field of employment, social security and social "
            "protection law"),
    "c": N_("the vital interests of the data subject or of another natural person, where the "
            "data subject is physically or legally incapable of giving consent"),
    "d": N_("the legitimate activities of a foundation, association or other not-for-profit "
            "body, concerning its members or regular contacts"),
    "e": N_("data manifestly made public by the data subject"),
    "f": N_("the establishment, exercise or defence of legal claims"),
    "g": N_("reasons of substantial public interest, on the basis of law"),
    "h": N_("preventive or occupational medicine, medical diagnosis, or the provision of "
            "health or social care or treatment"),
    "i": N_("reasons of public interest in the area of public health"),
    "j": N_("archiving in the public interest, scientific or historical research, or "
            "statistical purposes"),
}

VOCABULARIES = {
    "basis": LEGAL_BASIS, "right": RIGHT, "cookie_category": COOKIE_CATEGORY,
    "party": COOKIE_PARTY, "role": RECIPIENT_ROLE, "mechanism": TRANSFER_MECHANISM,
    "source": DATA_SOURCE, "provision": PROVISION, "document": DOCUMENT,
    "derogation": DEROGATION,
    "data_subject": DATA_SUBJECT, "art9": ART9_CONDITION, "dpo_kind": DPO_KIND,
}
