"""The privacy statement of one version as W3C Data Privacy Vocabulary (DPV 2) JSON-LD.

``api/privacy/<date>.jsonld``: the controller, its contact, representative and data
protection officer; the supervisory authority; each purpose as a ``dpv:Process`` with
its purpose (typed with the model's DPV purpose term), its legal bases as GDPR IRIs
(``eu-gdpr:A6-1-a`` ... ``-f``), its personal data categories (typed with the model's
``pd:`` term where it names one; special categories with their Art. 9(2) condition,
national identifiers with their law), its categories of data subjects
(``dpv:hasDataSubject``), its recipients and their roles, storage durations (a
purpose's own retention of a category in its place) and transfers with their grounds.
Profiling and automated decisions, where the statement says they are used, are processes
of their own (``dpv:Profiling``; ``dpv:AutomatedDecisionMaking`` as their context).
Identifiers of local nodes are the page's stable anchors (``#purpose-order-processing``).
"""

from __future__ import annotations

from generator import json_text
from generator.content import derived
from generator.content.model import DocumentVersion, Site
from generator.content.schema import LANGUAGES
from generator.content.vocabulary import DATA_SUBJECT_DPV
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
        "dpv:hasAddress": _address(org["address"]),
        "dpv:hasContact": {"@id": "mailto:" + org["email"]},
    }
    if org.get("website"):
        controller["foaf:homepage"] = _ref(org["website"])
    _controller_facts(controller, org)
    graph = [controller]
    for ident, category in version.categories.items():
        graph.append(_category(page, ident, category))
    for ident, recipient in version.recipients.items():
        graph.append({
            "@id": f"{page}#recipient-{ident}", "@type": ROLE_TYPES[recipient["role"]],
            "rdfs:label": _text(recipient["name"]),
            "dpv:hasLocation": _ref("loc:" + recipient["country"]),
        })
    own = {s["id"]: s for s in version.files["purposes.yaml"].get("data_subjects") or ()}
    used = dict.fromkeys(s for p in version.purposes.values()
                         for s in p.get("data_subjects") or ())
    graph += [_subject(page, ident, own.get(ident)) for ident in used]
    transfers = version.privacy["transfers"]["transfers"] or ()
    for ident, purpose in version.purposes.items():
        graph.append(_process(page, ident, purpose, version, transfers))
    automated = _automated(page, version.privacy.get("automated_decision_making"))
    graph += automated
    statement = {
        "@id": page,
        "@type": "dpv:PersonalDataHandling",
        "dct:title": _text(version.privacy["title"]),
        "dct:valid": {"@value": entry.effective.isoformat(), "@type": "xsd:date"},
        "dct:modified": {"@value": version.meta["last_changed"].isoformat(),
                         "@type": "xsd:date"},
        "dpv:hasDataController": _ref(page + "#controller"),
        **_authority(version),
        "dct:hasPart": [_ref(f"{page}#process-{ident}") for ident in version.purposes]
        + [_ref(node["@id"]) for node in automated],
    }
    return {"@context": CONTEXT, "@graph": [statement, *graph]}


def _automated(page: str, adm) -> list[dict]:
    """Profiling (Art. 4(4)) and decisions based solely on automated processing (Art. 22)
    that the statement says are used, each a process with its texts (the page's
    anchors ``#profiling`` and ``#automated-decisions``)."""
    nodes = []
    for key, anchor, term, texts in (
            ("profiling", "profiling", {"dpv:hasProcessing": _ref("dpv:Profiling")},
             ("logic", "effects")),
            ("decisions", "automated-decisions",
             {"dpv:hasContext": _ref("dpv:AutomatedDecisionMaking")},
             ("logic", "significance", "consequences"))):
        part = (adm or {}).get(key)
        if part is None or not part["used"]:
            continue
        node = {"@id": f"{page}#{anchor}", "@type": "dpv:Process", **term}
        if part.get("purpose"):
            node["dpv:hasPurpose"] = {"@type": "dpv:Purpose",
                                      "dct:description": _text(part["purpose"])}
        comments = [item for name in texts if part.get(name) for item in _text(part[name])]
        if comments:
            node["rdfs:comment"] = comments
        nodes.append(node)
    return nodes


def _address(address) -> str:
    return ", ".join(address[key] for key in ("street", "postcode", "city", "country")
                     if address.get(key))


def _controller_facts(controller: dict, org) -> None:
    """The controller's trade name, Chamber of Commerce number, establishment, EU
    representative and data protection officer (internal, or external: the firm, with
    its contact person)."""
    if org["trade_name"] != org["legal_name"]:
        controller["dct:alternative"] = org["trade_name"]
    if org.get("chamber_of_commerce"):
        controller["dct:identifier"] = org["chamber_of_commerce"]
    if org.get("establishment"):
        controller["dct:spatial"] = _text(org["establishment"])
    dpo = org.get("dpo")
    if isinstance(dpo, dict):
        contacts = [_ref("mailto:" + dpo["email"])] + (
            [_ref("tel:" + "".join(c for c in dpo["phone"] if c.isdigit() or c == "+"))]
            if dpo.get("phone") else [])
        officer = {"@type": "dpv:DataProtectionOfficer", "dpv:hasName": dpo["name"],
                   "dpv:hasContact": contacts if len(contacts) > 1 else contacts[0]}
        if derived.dpo_kind(dpo) == "external":
            officer["dpv:hasName"] = dpo["firm"]
            officer["dct:description"] = "contact person: " + dpo["name"]
        controller["dpv:hasDataProtectionOfficer"] = officer
    representative = org.get("representative")
    if isinstance(representative, dict):
        controller["dpv:hasRepresentative"] = {
            "@type": "dpv:Representative", "dpv:hasName": representative["name"],
            "dpv:hasContact": _ref("mailto:" + representative["email"])}
        if representative.get("address"):
            controller["dpv:hasRepresentative"]["dpv:hasAddress"] = _address(
                representative["address"])


def _authority(version) -> dict:
    """The supervisory authority the complaints section names (Art. 13(2)(d), 77)."""
    authority = derived.supervisory_authority(version)
    if authority is None:
        return {}
    node = {"@type": "dpv:DataProtectionAuthority", "dpv:hasName": authority["name"],
            "dpv:hasAddress": _address(authority["address"])}
    if authority.get("url"):
        node["foaf:homepage"] = _ref(authority["url"])
    return {"dpv:hasAuthority": node}


def _transfer(page: str, transfer) -> dict:
    """A transfer with its grounds as legal bases (an RDF set: which applies first and
    which is the fallback is in the API's JSON model and on the page) and the decisions
    it names (``dct:references``)."""
    grounds = derived.mechanisms(transfer)
    node = {
        "@type": "dpv:Transfer",
        "dpv:hasRecipient": _ref(f"{page}#recipient-{transfer['recipient']}"),
        "dpv:hasLocation": _ref("loc:" + transfer["country"]),
        "dpv:hasLegalBasis": [_ref(_transfer_iri(m)) for m in grounds],
    }
    if len(grounds) == 1:
        node["dpv:hasLegalBasis"] = node["dpv:hasLegalBasis"][0]
    decisions = [m["decision"] for m in grounds if m["decision"]]
    if decisions:
        node["dct:references"] = [item for d in decisions for item in _text(d)]
    return node


def _transfer_iri(mechanism: dict) -> str:
    if mechanism["type"] == "derogation" and mechanism["derogation"]:
        return f"eu-gdpr:A49-1-{mechanism['derogation']}"
    return TRANSFER_IRI[mechanism["type"]]


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
        if category.get("art9_law"):
            node["dpv:hasApplicableLaw"] = {"@type": "dpv:Law",
                                            "rdfs:label": _text(category["art9_law"])}
    identifier = category.get("national_identifier")
    if identifier:
        # Art. 87: the number and the law that allows its use.
        node["dpv:hasPersonalData"] = {
            "@type": ["dpv:PersonalData", "pd:OfficialID"],
            "rdfs:label": _text(identifier["name"]),
            "dpv:hasApplicableLaw": {"@type": "dpv:Law",
                                     "dct:description": _text(identifier["law"])}}
    return node


def _subject(page: str, ident: str, own) -> dict:
    """A category of data subjects: the fixed vocabulary's DPV terms, or an organisation's
    own category (typed with its ``dpv`` term where it names one)."""
    node = {"@id": f"{page}#data-subject-{ident}"}
    if own is None:
        node["@type"] = list(DATA_SUBJECT_DPV[ident])
    else:
        node["@type"] = ["dpv:DataSubject"] + ([own["dpv"]] if own.get("dpv") else [])
        node["rdfs:label"] = _text(own["name"])
    return node


def _storage(page: str, ident: str, category, purpose: str | None = None) -> dict | None:
    """A category's storage duration; ``purpose``: the id of the purpose whose own
    retention of the category it is (``retention:`` of the purpose)."""
    retention = category if purpose else category.get("retention")
    if not retention:
        return None
    name = f"retention-{purpose}-{ident}" if purpose else f"retention-{ident}"
    node = {"@id": f"{page}#{name}", "@type": "dpv:StorageDuration",
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
    subjects = purpose.get("data_subjects") or ()
    if subjects:
        node["dpv:hasDataSubject"] = [_ref(f"{page}#data-subject-{s}") for s in subjects]
    own = {kept["category"]: kept for kept in purpose.get("retention") or ()}
    storage = [s for c in purpose["data_categories"]
               if (s := _storage(page, c, own[c], ident) if c in own
                   else _storage(page, c, version.categories[c]))]
    if storage:
        node["dpv:hasStorageCondition"] = storage
    moved = [t for t in transfers if t["recipient"] in purpose["recipients"]]
    if moved:
        node["dpv:hasProcessing"] = [_transfer(page, t) for t in moved]
    return node
