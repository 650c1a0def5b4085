"""The content model, declared once.

Every content file is described here as a tree of small declarations
(``declarations.py``). The validator (``validate.py``) walks loaded YAML against
them and the JSON Schema export (``export/json_schema.py``) turns the very same
tree into a schema for editors, so the two can never disagree. Each declaration
carries a short description in English and Dutch.
"""

from __future__ import annotations

from generator.content.declarations import (  # noqa: F401 (the validator reads them here)
    ID_PATTERN,
    Bool,
    Date,
    Enum,
    Field,
    Id,
    ListOf,
    Mapping,
    Node,
    Record,
    Ref,
    Str,
    Text,
    TextList,
    opt,
    rec,
    req,
    section,
)

LANGUAGES = ("nl", "en")
LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}

COOKIE_NAME_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
DURATION_PATTERN = r"^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$"
COUNTRY_PATTERN = r"^(?:[A-Z]{2}|EEA)$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"

LEGAL_BASES = (
    "consent",
    "contract",
    "legal_obligation",
    "vital_interests",
    "public_task",
    "legitimate_interests",
)
RIGHTS = ("access", "rectification", "erasure", "restriction", "portability", "objection")
RECIPIENT_ROLES = ("group_company", "processor", "controller", "joint_controller",
                   "public_authority")
TRANSFER_MECHANISMS = ("adequacy_decision", "standard_contractual_clauses",
                       "binding_corporate_rules", "derogation")
DATA_SOURCES = ("data_subject", "third_party", "public_source")
PROVISION = ("contractual", "statutory", "contract_requirement", "voluntary")
ART9_CONDITIONS = tuple("abcdefghij")
COOKIE_CATEGORIES = ("functional", "analytics", "tracking")
COOKIE_PARTIES = ("first", "third")
VERSION_STATUSES = ("released", "draft")


# --- the content files ------------------------------------------------------

EMAIL = Str("E-mail address", "E-mailadres", pattern=EMAIL_PATTERN,
            hint="an address such as privacy@example.nl")
URL = Str("Web address starting with https://", "Webadres dat begint met https://",
          pattern=URL_PATTERN, hint="a web address such as https://example.nl")
DURATION = Str("ISO 8601 duration, e.g. P7Y (7 years), P6M, P30D",
               "ISO 8601-duur, bijv. P7Y (7 jaar), P6M, P30D",
               pattern=DURATION_PATTERN, hint="an ISO 8601 duration such as P7Y or P6M")

ADDRESS = rec(
    "Postal or visiting address", "Post- of bezoekadres",
    street=req(Str("Street and number, or PO box", "Straat en huisnummer, of postbus")),
    postcode=req(Str("Postcode", "Postcode")),
    city=req(Str("City", "Plaats")),
    country=opt(Str("Country code (ISO 3166)", "Landcode (ISO 3166)", pattern=COUNTRY_PATTERN,
                    hint="a two-letter country code such as NL"), "NL"),
)

SITE = rec(
    "Site settings, shared by all versions", "Instellingen van de site, voor alle versies",
    base_url=req(URL),
    title=req(Text("Name of the site", "Naam van de site", line=True)),
)

ERRATUM = rec(
    "A correction of a released version", "Een correctie van een vrijgegeven versie",
    date=req(Date("Date of the correction", "Datum van de correctie")),
    reason=req(Text("What was corrected, and why (one line)",
                    "Wat er is gecorrigeerd, en waarom (één regel)", line=True)),
)

VERSION = rec(
    "About this version", "Over deze versie",
    status=opt(Enum("Status: released, or draft (built only in preview)",
                    "Status: released (vrijgegeven) of draft (concept, alleen in preview)",
                    values=VERSION_STATUSES), "released"),
    last_changed=req(Date("Date the text was last changed", "Datum van de laatste aanpassing")),
    summary=req(Text("Short summary of what changed in this version",
                     "Korte samenvatting van wat er in deze versie veranderde")),
    errata=opt(ListOf("Corrections made after release, oldest first; each one is shown on "
                      "the version's page", "Correcties na vrijgave, oudste eerst; elke "
                      "correctie staat op de pagina van de versie", item=ERRATUM), ()),
)

ORGANISATION = rec(
    "The controller: who is responsible", "De verwerkingsverantwoordelijke",
    legal_name=req(Str("Legal name as registered", "Statutaire naam")),
    trade_name=req(Str("Name used in the text", "Naam zoals gebruikt in de tekst")),
    address=req(ADDRESS),
    email=req(EMAIL),
    website=opt(URL),
    chamber_of_commerce=opt(Str("Chamber of Commerce number", "KvK-nummer")),
    postal_attention=opt(Text("Attention line for letters", "Ter attentie van", line=True)),
    dpo=opt(Record(
        "Data protection officer, or the word none", "Functionaris gegevensbescherming, "
        "of het woord none",
        fields={"name": req(Str("Name", "Naam")), "email": req(EMAIL)}, literal="none")),
    representative=opt(Record(
        "EU representative (Art. 27), or the word none", "Vertegenwoordiger in de EU, of none",
        fields={"name": req(Str("Name", "Naam")), "email": req(EMAIL)}, literal="none")),
)

LEGAL_BASIS = Enum("GDPR Art. 6(1) legal basis", "Rechtsgrond uit AVG art. 6 lid 1",
                   values=LEGAL_BASES)

PURPOSE = rec(
    "A purpose of processing", "Een verwerkingsdoel",
    id=req(Id("Stable id, used in anchors (#purpose-<id>)", "Vaste id, voor ankers",
              kind="purpose")),
    title=opt(Text("Name of the purpose", "Naam van het doel", line=True)),
    description=req(Text("What is done and why (Markdown)", "Wat er gebeurt en waarom")),
    legal_bases=req(ListOf("Legal bases", "Rechtsgronden", item=LEGAL_BASIS, min_items=1,
                           unique=True)),
    legitimate_interest=opt(Text("The legitimate interest pursued (Art. 13(1)(d))",
                                 "Het gerechtvaardigde belang (art. 13 lid 1 sub d)")),
    legal_reference=opt(Text("The law behind a legal obligation (Art. 6(3))",
                             "De wet achter een wettelijke verplichting")),
    direct_marketing=opt(Bool("Used for direct marketing", "Voor direct marketing"), False),
    data_categories=req(ListOf("Data categories used", "Gebruikte gegevenscategorieën",
                               item=Ref("Data category id", "Id van een categorie",
                                        kind="data_category"), min_items=1, unique=True)),
    recipients=opt(ListOf("Recipients", "Ontvangers", item=Ref(
        "Recipient id", "Id van een ontvanger", kind="recipient"), unique=True), ()),
    dpv=opt(Str("W3C DPV purpose term, e.g. dpv:CustomerOrderManagement",
                "W3C DPV-term", pattern=r"^dpv:[A-Za-z]+$")),
)

PURPOSE_GROUP = rec(
    "A group of purposes", "Een groep doelen",
    id=req(Id("Stable id", "Vaste id", kind="purpose_group")),
    title=req(Text("Heading of the group", "Kop van de groep", line=True)),
    overview_title=opt(Text("Name in the overview, if it differs", "Naam in het overzicht",
                            line=True)),
    overview=req(Text("One-sentence summary for the overview", "Samenvatting")),
    purposes=req(ListOf("Purposes", "Doelen", item=PURPOSE, min_items=1)),
)

PURPOSES = rec(
    "Purposes of processing", "Verwerkingsdoelen",
    groups=req(ListOf("Purpose groups", "Groepen van doelen", item=PURPOSE_GROUP,
                      min_items=1)),
)

RETENTION = rec(
    "How long the data is kept", "Hoe lang de gegevens bewaard worden",
    period=opt(DURATION),
    criteria=opt(Text("Criteria or event the period runs from", "Criteria of startmoment")),
)

DATA_CATEGORY = rec(
    "A category of personal data", "Een categorie persoonsgegevens",
    id=req(Id("Stable id (#category-<id>)", "Vaste id", kind="data_category")),
    name=req(Text("Name", "Naam", line=True)),
    items=req(TextList("What it contains", "Wat eronder valt")),
    note=opt(Text("Remark", "Opmerking")),
    retention=opt(RETENTION),
    source=opt(Enum("Where the data comes from", "Herkomst", values=DATA_SOURCES),
               "data_subject"),
    source_text=opt(Text("Source, when not the data subject (Art. 14(2)(f))",
                         "Bron, als die niet de betrokkene is")),
    provision=opt(Enum("Why providing it is needed (Art. 13(2)(e))",
                       "Waarom verstrekken nodig is", values=PROVISION)),
    consequence=opt(Text("What happens when it is not provided",
                         "Gevolg van niet verstrekken")),
    special=opt(Bool("Special category (Art. 9)", "Bijzonder persoonsgegeven"), False),
    art9_condition=opt(Enum("Art. 9(2) condition", "Uitzonderingsgrond art. 9 lid 2",
                            values=ART9_CONDITIONS)),
    dpv=opt(Str("W3C DPV personal-data term, e.g. pd:Contact", "W3C DPV-term",
                pattern=r"^(?:pd|tech):[A-Za-z]+$")),
)

DATA_CATEGORIES = rec(
    "Categories of personal data", "Categorieën persoonsgegevens",
    categories=req(ListOf("Categories", "Categorieën", item=DATA_CATEGORY, min_items=1)),
)

RECIPIENT = rec(
    "A recipient or category of recipients", "Een (categorie) ontvanger(s)",
    id=req(Id("Stable id (#recipient-<id>)", "Vaste id", kind="recipient")),
    name=req(Text("Name", "Naam", line=True)),
    description=req(Text("Who they are and why they receive data",
                         "Wie het zijn en waarom zij gegevens ontvangen")),
    role=req(Enum("Role under the GDPR", "Rol onder de AVG", values=RECIPIENT_ROLES)),
    country=opt(Str("Where they process the data: country code or EEA",
                    "Waar zij verwerken: landcode of EEA", pattern=COUNTRY_PATTERN,
                    hint="a two-letter country code such as NL, or EEA"), "EEA"),
)

RECIPIENTS = rec(
    "Recipients", "Ontvangers",
    recipients=req(ListOf("Recipients", "Ontvangers", item=RECIPIENT, min_items=1)),
)

TRANSFER = rec(
    "A transfer outside the EEA", "Een doorgifte buiten de EER",
    recipient=req(Ref("Recipient id", "Id van de ontvanger", kind="recipient")),
    country=req(Str("Country code", "Landcode", pattern=COUNTRY_PATTERN)),
    mechanism=req(Enum("Safeguard (Art. 45-49)", "Waarborg", values=TRANSFER_MECHANISMS)),
    copy_how=opt(Text("How to obtain a copy of the safeguards", "Hoe een kopie te krijgen")),
)

AUTHORITY = rec(
    "Supervisory authority", "Toezichthoudende autoriteit",
    name=req(Str("Name", "Naam")),
    address=req(ADDRESS),
    url=opt(URL),
)

ADM = rec(
    "Automated decision-making and profiling (Art. 22)",
    "Geautomatiseerde besluitvorming en profilering (art. 22)",
    title=req(Text("Heading", "Kop", line=True)),
    used=req(Bool("Is it used?", "Wordt het gebruikt?")),
    text=req(Text("Explanation: logic, significance, consequences",
                  "Uitleg: logica, belang en gevolgen")),
)

PRIVACY = rec(
    "The privacy statement's texts", "De teksten van de privacyverklaring",
    title=req(Text("Title of the statement", "Titel van de verklaring", line=True)),
    introduction=req(section("Introduction", "Introductie")),
    controller=req(section("Who we are", "Wie zijn wij")),
    purposes=req(rec(
        "Purposes section", "Paragraaf doelen",
        title=req(Text("Heading", "Kop", line=True)),
        intro=req(Text("Text before the overview", "Tekst voor het overzicht")),
        details_intro=req(Text("Text before the details", "Tekst voor de uitwerking")))),
    data_categories=req(section("Data categories section", "Paragraaf gegevens")),
    legal_bases=req(section(
        "Legal bases section", "Paragraaf rechtsgronden",
        explanations=req(Mapping("Explanation per legal basis", "Uitleg per rechtsgrond",
                                 keys=LEGAL_BASES, value=Text("Explanation", "Uitleg"))))),
    recipients=req(section("Recipients section", "Paragraaf ontvangers")),
    transfers=req(section(
        "Transfers outside the EEA", "Doorgifte buiten de EER",
        transfers=opt(ListOf("Transfers", "Doorgiften", item=TRANSFER), ()))),
    retention=req(section("Storage and retention", "Opslag en bewaartermijnen")),
    automated_decision_making=opt(ADM),
    rights=req(section(
        "Data-subject rights", "Rechten van betrokkenen",
        covered=req(ListOf("Rights the text explains", "Rechten die de tekst uitlegt",
                           item=Enum("Right", "Recht", values=RIGHTS), unique=True)),
        objection=opt(section("Right to object, shown separately (Art. 21(4))",
                              "Recht van bezwaar, apart vermeld (art. 21 lid 4)")))),
    consent_withdrawal=req(section("Withdrawing consent", "Toestemming intrekken")),
    complaints=req(section("Complaints", "Klachten",
                           supervisory_authority=req(AUTHORITY))),
    contact=req(section("Contact", "Contact")),
    changes=req(section("Date of the statement", "Datum van de verklaring",
                        text_required=False)),
)

COOKIE = rec(
    "A cookie or similar technique", "Een cookie of vergelijkbare techniek",
    name=req(Id("Cookie name as set in the browser (#cookie-<name>)", "Naam van de cookie",
                kind="cookie", pattern=COOKIE_NAME_PATTERN)),
    provider=req(Str("Who places it", "Wie plaatst de cookie")),
    party=req(Enum("first or third party", "eigen (first) of derde (third) partij",
                   values=COOKIE_PARTIES)),
    purpose=req(Text("What it is for", "Waarvoor hij dient")),
    category=req(Enum("AP category", "Categorie (AP)", values=COOKIE_CATEGORIES)),
    expiry=req(Str("session, or an ISO 8601 duration such as P1Y",
                   "session, of een ISO 8601-duur zoals P1Y",
                   pattern=r"^(?:session|" + DURATION_PATTERN[1:-1] + r")$",
                   hint="'session' or an ISO 8601 duration such as P13M")),
    legal_basis=req(LEGAL_BASIS),
    consent_required=req(Bool("Asks consent before it is set", "Vraagt vooraf toestemming")),
    low_privacy_impact=opt(Bool("Analytics configured for low privacy impact",
                                "Analytisch met geringe privacygevolgen"), False),
    recipient=opt(Ref("Recipient id of a third-party provider", "Id van de ontvanger",
                      kind="recipient")),
)

COOKIES = rec(
    "The cookie statement", "De cookieverklaring",
    title=req(Text("Title", "Titel", line=True)),
    introduction=req(section("Introduction", "Introductie")),
    categories=req(section(
        "Cookie categories", "Soorten cookies",
        explanations=req(Mapping("Explanation per category", "Uitleg per categorie",
                                 keys=COOKIE_CATEGORIES, value=Text("Explanation", "Uitleg"))))),
    cookie_list=req(section("The list of cookies", "Het overzicht van cookies")),
    cookies=req(ListOf("Cookies", "Cookies", item=COOKIE, min_items=1)),
    consent=req(section("Giving and withdrawing consent", "Toestemming geven en intrekken")),
    contact=req(section("Contact", "Contact")),
)

# File name -> declaration, in the order they are loaded.
VERSION_FILES: dict[str, Record] = {
    "version.yaml": VERSION,
    "organisation.yaml": ORGANISATION,
    "privacy.yaml": PRIVACY,
    "purposes.yaml": PURPOSES,
    "data_categories.yaml": DATA_CATEGORIES,
    "recipients.yaml": RECIPIENTS,
    "cookies.yaml": COOKIES,
}
SITE_FILE = "site.yaml"

# Which files make up which document (for histories and change detection).
DOCUMENTS = ("privacy", "cookies")
DOCUMENT_FILES = {
    "privacy": ("organisation.yaml", "privacy.yaml", "purposes.yaml",
                "data_categories.yaml", "recipients.yaml"),
    "cookies": ("organisation.yaml", "cookies.yaml"),
}
