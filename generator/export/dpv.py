"""The privacy statement of one version as W3C Data Privacy Vocabulary (DPV 2) JSON-LD.

``api/privacy/<date>.jsonld``: the controller and its contact; each purpose as
a ``dpv:Process`` with its purpose (typed with the model's DPV purpose term),
its legal bases as GDPR IRIs (``eu-gdpr:A6-1-a`` ... ``-f``), its personal
data categories (typed with the model's ``pd:`` term where it names one), its
recipients and their roles, storage durations and transfers. Identifiers of
local nodes are the page's stable anchors (``#purpose-order-processing``).
"""

from __future__ import annotations

from generator import json_text
from generator.content.model import DocumentVersion, Site
from generator.content.schema import LANGUAGES
from generator.render.pages import emit
from generator.render.urls import page_path

CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "pd": "https://w3id.org/dpv/pd#",
    "tech": "https://w3id.org/dpv/tech#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
LEGAL_BASIS_IRI = {
    "consent": "eu-gdpr:A6-1-a", "contract": "eu-gdpr:A6-1-b",
    "legal_obligation": "eu-gdpr:A6-1-c", "vital_interests": "eu-gdpr:A6-1-d",
    "public_task": "eu-gdpr:A6-1-e", "legitimate_interests": "eu-gdpr:A6-1-f",
}
TRANSFER_IRI = {
    "adequacy_decision": "eu-gdpr:A45-3", "standard_contractual_clauses": "eu-gdpr:A46-2-c",
    "binding_corporate_rules": "eu-gdpr:A46-2-b", "derogation": "eu-gdpr:A49-1",
}
ROLE_TYPES = {
    "group_company": ["dpv:Recipient"],
    "processor": ["dpv:Recipient", "dpv:DataProcessor"],
    "controller": ["dpv:Recipient", "dpv:DataController", "dpv:ThirdParty"],
    "joint_controller": ["dpv:Recipient", "dpv:JointDataControllers"],
    "public_authority": ["dpv:Recipient", "dpv:GovernmentalOrganisation"],
}
SOURCE_IRI = {
    "data_subject": "dpv:DataSubjectDataSource", "third_party": "dpv:ThirdPartyDataSource",
    "public_source": "dpv:PublicDataSource",
}


def jsonld_path(version: str) -> str:
    return f"api/privacy/{version}.jsonld"


def _ref(iri: str) -> dict:
    return {"@id": iri}


def _text(value) -> list[dict]:
    """A text in every language as language-tagged literals."""
    return [{"@value": value[lang], "@language": lang} for lang in LANGUAGES]


def add_jsonld(out: dict[str, bytes], site: Site, entry: DocumentVersion) -> str:
    path = jsonld_path(entry.name)
    data = dpv_document(site, entry)
    emit(out, path, json_text.compact(data) + b"\n")
    return path


def dpv_document(site: Site, entry: DocumentVersion) -> dict:
    version = entry.version
    page = site.base_url + page_path(LANGUAGES[0], "privacy", entry.name)
    org = version.organisation
    controller = {
        "@id": page + "#controller",
        "@type": "dpv:DataController",
        "dpv:hasName": org["legal_name"],
        "dpv:hasAddress": ", ".join(org["address"][key] for key in
                                    ("street", "postcode", "city", "country")),
        "dpv:hasContact": {"@id": "mailto:" + org["email"]},
    }
    if org.get("website"):
        controller["foaf:homepage"] = _ref(org["website"])
    if isinstance(org.get("dpo"), dict):
        controller["dpv:hasDataProtectionOfficer"] = {
            "@type": "dpv:DataProtectionOfficer", "dpv:hasName": org["dpo"]["name"],
            "dpv:hasContact": _ref("mailto:" + org["dpo"]["email"])}
    if isinstance(org.get("representative"), dict):
        controller["dpv:hasRepresentative"] = {
            "@type": "dpv:Representative", "dpv:hasName": org["representative"]["name"],
            "dpv:hasContact": _ref("mailto:" + org["representative"]["email"])}
    graph = [controller]
    for ident, category in version.categories.items():
        graph.append(_category(page, ident, category))
    for ident, recipient in version.recipients.items():
        graph.append({
            "@id": f"{page}#recipient-{ident}", "@type": ROLE_TYPES[recipient["role"]],
            "rdfs:label": _text(recipient["name"]),
            "dpv:hasLocation": _ref("loc:" + recipient["country"]),
        })
    transfers = version.privacy["transfers"]["transfers"] or ()
    for ident, purpose in version.purposes.items():
        graph.append(_process(page, ident, purpose, version, transfers))
    statement = {
        "@id": page,
        "@type": "dpv:PersonalDataHandling",
        "dct:title": _text(version.privacy["title"]),
        "dct:valid": {"@value": entry.effective.isoformat(), "@type": "xsd:date"},
        "dct:modified": {"@value": version.meta["last_changed"].isoformat(),
                         "@type": "xsd:date"},
        "dpv:hasDataController": _ref(page + "#controller"),
        "dct:hasPart": [_ref(f"{page}#process-{ident}") for ident in version.purposes],
    }
    return {"@context": CONTEXT, "@graph": [statement, *graph]}


def _category(page: str, ident: str, category) -> dict:
    node = {
        "@id": f"{page}#category-{ident}",
        "@type": ["dpv:PersonalData"] + ([category["dpv"]] if category.get("dpv") else []),
        "rdfs:label": _text(category["name"]),
        "dpv:hasDataSource": _ref(SOURCE_IRI[category["source"]]),
    }
    if category.get("special"):
        node["@type"].append("dpv:SpecialCategoryPersonalData")
        if category.get("art9_condition"):
            node["dpv:hasLegalBasis"] = _ref(f"eu-gdpr:A9-2-{category['art9_condition']}")
    return node


def _storage(page: str, ident: str, category) -> dict | None:
    retention = category.get("retention")
    if not retention:
        return None
    node = {"@id": f"{page}#retention-{ident}", "@type": "dpv:StorageDuration",
            "dpv:hasPersonalData": _ref(f"{page}#category-{ident}")}
    if retention.get("period"):
        node["dpv:hasDuration"] = {"@type": "dpv:Duration", "rdf:value": {
            "@value": retention["period"], "@type": "xsd:duration"}}
    if retention.get("criteria"):
        node["dct:description"] = _text(retention["criteria"])
    return node


def _process(page: str, ident: str, purpose, version, transfers) -> dict:
    purpose_node = {
        "@id": f"{page}#purpose-{ident}",
        "@type": ["dpv:Purpose"] + ([purpose["dpv"]] if purpose.get("dpv") else []),
        "dct:description": _text(purpose["description"]),
    }
    if purpose.get("title"):
        purpose_node["rdfs:label"] = _text(purpose["title"])
    node = {
        "@id": f"{page}#process-{ident}",
        "@type": "dpv:Process",
        "dpv:hasPurpose": purpose_node,
        "dpv:hasLegalBasis": [_ref(LEGAL_BASIS_IRI[b]) for b in purpose["legal_bases"]],
        "dpv:hasPersonalData": [_ref(f"{page}#category-{c}")
                                for c in purpose["data_categories"]],
        "dpv:hasDataController": _ref(page + "#controller"),
        "dpv:hasRecipient": [_ref(f"{page}#recipient-{r}") for r in purpose["recipients"]],
    }
    if purpose.get("legitimate_interest"):
        # The interest itself: a legal basis node of DPV's type, beside eu-gdpr:A6-1-f.
        node["dpv:hasLegalBasis"].append({"@type": "dpv:LegitimateInterestOfController",
                                          "dct:description":
                                          _text(purpose["legitimate_interest"])})
    storage = [s for c in purpose["data_categories"]
               if (s := _storage(page, c, version.categories[c]))]
    if storage:
        node["dpv:hasStorageCondition"] = storage
    moved = [t for t in transfers if t["recipient"] in purpose["recipients"]]
    if moved:
        node["dpv:hasProcessing"] = [{
            "@type": "dpv:Transfer",
            "dpv:hasRecipient": _ref(f"{page}#recipient-{t['recipient']}"),
            "dpv:hasLocation": _ref("loc:" + t["country"]),
            "dpv:hasLegalBasis": _ref(TRANSFER_IRI[t["mechanism"]]),
        } for t in moved]
    return node
