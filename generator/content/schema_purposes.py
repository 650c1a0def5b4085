"""Declarations of purposes.yaml (the purposes with their legal bases, what each basis
covers, whose data they process, their own retention and security) and of the facts the
other files take from it: the legal bases, durations, the categories of data subjects,
national identifiers and the security section (GDPR Art. 6, 9, 30, 32, 87). Part of the
content model: ``schema.py`` imports them."""

from __future__ import annotations

from generator.content.declarations import (
    ID_PATTERN,
    Bool,
    Enum,
    Id,
    ListOf,
    Mapping,
    Ref,
    Str,
    Text,
    labelled,
    opt,
    rec,
    req,
    section,
    unlisted,
)

DURATION_PATTERN = r"^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$"

LEGAL_BASES = (
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
)

# The fixed categories of data subjects (labels and DPV terms: vocabulary.py); an
# organisation declares its own in purposes.yaml's top-level `data_subjects:`.
DATA_SUBJECTS = ("customers", "prospective_customers", "business_contacts",
                 "website_visitors", "employees", "job_applicants", "patients", "clients",
                 "minors", "parents_or_guardians", "suppliers", "visitors", "members",
                 "subscribers")
FIXED_IDS = {"data_subject": DATA_SUBJECTS}  # ids that need no declaration
# An own category's id: an id, but not one of the fixed ones (those need no declaration).
DATA_SUBJECT_ID_PATTERN = ("^(?!(?:" + "|".join(DATA_SUBJECTS) + ")$)"
                           + ID_PATTERN[1:])

DURATION = Str("ISO 8601 duration, e.g. P7Y (7 years), P6M, P30D",
               "ISO 8601-duur, bijv. P7Y (7 jaar), P6M, P30D",
               pattern=DURATION_PATTERN, hint="an ISO 8601 duration such as P7Y or P6M")

LEGAL_BASIS = Enum("GDPR Art. 6(1) legal basis", "Rechtsgrond uit AVG art. 6 lid 1",
                   values=LEGAL_BASES)

DATA_SUBJECT_REF = Ref(
    "A category of data subjects: one of " + ", ".join(DATA_SUBJECTS) + ", or the id of "
    "one declared under the top-level data_subjects:",
    "Een categorie betrokkenen: een vaste (" + ", ".join(DATA_SUBJECTS) + ") of de id van "
    "een eigen categorie onder data_subjects: bovenaan", kind="data_subject")

PURPOSE_RETENTION = labelled(rec(
    "How long this purpose keeps a data category, when that differs from the category's "
    "own retention", "Hoe lang dit doel een gegevenscategorie bewaart, als dat afwijkt van "
    "de bewaartermijn van de categorie",
    category=req(Ref("Data category id", "Id van een categorie", kind="data_category")),
    period=opt(DURATION),
    criteria=opt(Text("Criteria or event the period runs from", "Criteria of startmoment")),
), "Retention", "Bewaartermijn")

PURPOSE = labelled(rec(
    "A purpose of processing", "Een verwerkingsdoel",
    id=req(Id("Stable id, used in anchors (#purpose-<id>)", "Vaste id, voor ankers",
              kind="purpose")),
    title=opt(Text("Name of the purpose", "Naam van het doel", line=True)),
    description=req(Text("What is done and why (Markdown)", "Wat er gebeurt en waarom")),
    legal_bases=req(ListOf("Legal bases", "Rechtsgronden", item=LEGAL_BASIS, min_items=1,
                           unique=True)),
    legitimate_interest=opt(Text("The legitimate interest pursued (Art. 13(1)(d))",
                                 "Het gerechtvaardigde belang (art. 13 lid 1 sub d)")),
    legal_reference=opt(labelled(Text("The law behind a legal obligation (Art. 6(3))",
                                      "De wet achter een wettelijke verplichting"),
                                 "Law imposing the legal obligation",
                                 "Wettelijk voorschrift waaruit de verplichting voortvloeit")),
    direct_marketing=opt(Bool("Used for direct marketing", "Voor direct marketing"), False),
    data_categories=req(ListOf("Data categories used", "Gebruikte gegevenscategorieën",
                               item=Ref("Data category id", "Id van een categorie",
                                        kind="data_category"), min_items=1, unique=True)),
    recipients=opt(ListOf("Recipients", "Ontvangers", item=Ref(
        "Recipient id", "Id van een ontvanger", kind="recipient"), unique=True), ()),
    data_subjects=opt(ListOf("Categories of data subjects whose data this purpose processes "
                             "(Art. 30(1)(c))", "Categorieën betrokkenen van wie dit doel "
                             "gegevens verwerkt (art. 30 lid 1 sub c)", item=DATA_SUBJECT_REF,
                             unique=True), ()),
    basis_covers=opt(labelled(Mapping(
        "Per legal basis of the purpose: the processing it covers",
        "Per rechtsgrond van het doel: de verwerking die eronder valt", keys=LEGAL_BASES,
        value=Text("What this legal basis covers", "Wat onder deze rechtsgrond valt")),
        "Processing per legal basis", "Verwerking per rechtsgrond")),
    retention=opt(ListOf("Retention for this purpose, per data category, where it differs",
                         "Bewaartermijn voor dit doel, per gegevenscategorie, waar die afwijkt",
                         item=PURPOSE_RETENTION), ()),
    security=opt(Text("Security measures for this purpose, in addition to the general ones "
                      "(Art. 32)", "Beveiligingsmaatregelen voor dit doel, naast de algemene "
                      "(art. 32)")),
    dpv=opt(unlisted(Str("W3C DPV purpose term, e.g. dpv:CustomerOrderManagement",
                "W3C DPV-term", pattern=r"^dpv:[A-Za-z]+$"))),
), "Purpose", "Doel")

PURPOSE_GROUP = labelled(rec(
    "A group of purposes", "Een groep doelen",
    id=req(Id("Stable id", "Vaste id", kind="purpose_group")),
    title=req(Text("Heading of the group", "Kop van de groep", line=True)),
    overview_title=opt(Text("Name in the overview, if it differs", "Naam in het overzicht",
                            line=True)),
    overview=req(Text("One-sentence summary for the overview", "Samenvatting")),
    purposes=req(ListOf("Purposes", "Doelen", item=PURPOSE, min_items=1)),
), "Group of purposes", "Groep doelen")

DATA_SUBJECT = labelled(rec(
    "An organisation's own category of data subjects", "Een eigen categorie betrokkenen",
    id=req(Id("Stable id, not one of the fixed categories", "Vaste id, geen van de vaste "
              "categorieën", kind="data_subject", pattern=DATA_SUBJECT_ID_PATTERN)),
    name=req(Text("Name, in the plural (e.g. volunteers)", "Naam, in het meervoud (bijv. "
                  "vrijwilligers)", line=True)),
    dpv=opt(unlisted(Str("W3C DPV data-subject term, e.g. dpv:Participant", "W3C DPV-term",
                pattern=r"^dpv:[A-Za-z]+$"))),
), "Category of data subjects", "Categorie betrokkenen")

PURPOSES = rec(
    "Purposes of processing", "Verwerkingsdoelen",
    data_subjects=opt(ListOf("Own categories of data subjects, besides the fixed ones",
                             "Eigen categorieën betrokkenen, naast de vaste",
                             item=DATA_SUBJECT), ()),
    groups=req(ListOf("Purpose groups", "Groepen van doelen", item=PURPOSE_GROUP,
                      min_items=1)),
)

NATIONAL_IDENTIFIER = labelled(rec(
    "A national identification number in this category (Art. 87), e.g. the BSN",
    "Een nationaal identificatienummer in deze categorie (art. 87), bijv. het BSN",
    name=req(Text("Name of the number, e.g. burgerservicenummer (BSN)",
                  "Naam van het nummer, bijv. burgerservicenummer (BSN)", line=True)),
    law=req(Text("The law that allows its use, e.g. art. 46 UAVG",
                 "De wet die het gebruik toestaat, bijv. art. 46 UAVG")),
), "National identification number", "Nationaal identificatienummer")

SECURITY = section(
    "Security: technical and organisational measures (Art. 32, 30(1)(g))",
    "Beveiliging: technische en organisatorische maatregelen (art. 32, 30 lid 1 sub g)")
