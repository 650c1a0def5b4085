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
    labelled,
    opt,
    rec,
    req,
    section,
    unlisted,
)
from generator.content.schema_purposes import (  # noqa: F401 (purposes.yaml, declared there)
    DATA_SUBJECTS,
    DURATION,
    DURATION_PATTERN,
    FIXED_IDS,
    LEGAL_BASES,
    LEGAL_BASIS,
    NATIONAL_IDENTIFIER,
    PURPOSES,
    SECURITY,
)
from generator.content.schema_sections import (  # noqa: F401 (declared there)
    ADM,
    CHILDREN,
    CONSENT_TOOL,
    CONSENT_TOOLS,
    SETTINGS_LINK,
)
from generator.content.schema_version import (  # noqa: F401 (version.yaml, declared there)
    ERRATUM,
    VERSION,
    VERSION_STATUSES,
)

LANGUAGES = ("nl", "en")
LANGUAGE_NAMES = {"nl": "Dutch", "en": "English"}

COOKIE_NAME_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
COUNTRY_PATTERN = r"^(?:[A-Z]{2}|EEA)$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"
URL_PATTERN = r"^https?://[^\s<>\"']+$"
PHONE_PATTERN = r"^\+?[0-9][0-9 ()-]{5,24}$"

RIGHTS = ("access", "rectification", "erasure", "restriction", "portability", "objection")
RECIPIENT_ROLES = ("group_company", "processor", "controller", "joint_controller",
                   "public_authority")
TRANSFER_MECHANISMS = ("adequacy_decision", "standard_contractual_clauses",
                       "binding_corporate_rules", "derogation")
DEROGATIONS = tuple("abcdefg")  # the points of Art. 49(1)
DPO_KINDS = ("internal", "external")
DATA_SOURCES = ("data_subject", "third_party", "public_source")
PROVISION = ("contractual", "statutory", "contract_requirement", "voluntary")
ART9_CONDITIONS = tuple("abcdefghij")
COOKIE_CATEGORIES = ("functional", "analytics", "tracking")
COOKIE_PARTIES = ("first", "third")


# --- the content files ------------------------------------------------------

EMAIL = Str("E-mail address", "E-mailadres", pattern=EMAIL_PATTERN,
            hint="an address such as privacy@example.nl")
PHONE = Str("Telephone number", "Telefoonnummer", pattern=PHONE_PATTERN,
            hint="a telephone number such as +31 88 1805 250")
URL = labelled(Str("Web address starting with https://", "Webadres dat begint met https://",
                   pattern=URL_PATTERN, hint="a web address such as https://example.nl"),
               "Website", "Website")

ADDRESS = labelled(rec(
    "Postal or visiting address", "Post- of bezoekadres",
    street=req(Str("Street and number, or PO box", "Straat en huisnummer, of postbus")),
    postcode=req(Str("Postcode", "Postcode")),
    city=req(Str("City", "Plaats")),
    country=opt(Str("Country code (ISO 3166)", "Landcode (ISO 3166)", pattern=COUNTRY_PATTERN,
                    hint="a two-letter country code such as NL"), "NL"),
), "Address", "Adres")

SITE = rec(
    "Site settings, shared by all versions", "Instellingen van de site, voor alle versies",
    base_url=req(URL),
    title=req(Text("Name of the site", "Naam van de site", line=True)),
    change_notice_days=opt(Str(
        "For how many days after a version takes effect its current page and fragment say "
        "what changed (0: never)", "Hoeveel dagen nadat een versie ingaat de actuele pagina "
        "en het fragment zeggen wat er veranderde (0: nooit)", pattern=r"^\d{1,3}$",
        hint="a number of days from 0 to 999, such as 30", numbers=(0, 999)), "30"),
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
    establishment=opt(Text("Where the controller is established (its main establishment), "
                           "when that is not the postal address", "Waar de "
                           "verwerkingsverantwoordelijke is gevestigd (hoofdvestiging), als "
                           "dat niet het postadres is", line=True)),
    dpo=opt(labelled(Record(
        "Data protection officer (Art. 37-39), or the word none; the page writes the "
        "sentence about the DPO", "Functionaris gegevensbescherming (art. 37-39), of het woord "
        "none; de pagina schrijft de zin over de functionaris",
        fields={"kind": opt(labelled(Enum(
                    "internal (an employee) or external (provided by a firm)",
                    "internal (een medewerker) of external (via een bedrijf)",
                    values=DPO_KINDS), "employed or external", "in dienst of extern"),
                    "internal"),
                "name": req(Str("Name (of the contact person, for an external DPO)",
                                "Naam (van de contactpersoon, bij een externe functionaris)")),
                "email": req(EMAIL),
                "phone": opt(PHONE),
                "firm": opt(labelled(Str(
                    "The firm that provides the DPO (needed for kind: external)",
                    "Het bedrijf dat de functionaris levert (nodig bij kind: external)"),
                    "firm providing the officer", "bedrijf dat de functionaris levert"))},
        literal="none", required_when=(("kind", "external", "firm"),)),
        "Data protection officer", "Functionaris voor gegevensbescherming")),
    representative=opt(labelled(Record(
        "EU representative (Art. 27), or the word none", "Vertegenwoordiger in de EU, of none",
        fields={"name": req(Str("Name", "Naam")), "email": req(EMAIL),
                "address": opt(ADDRESS)}, literal="none"),
        "Representative in the EU", "Vertegenwoordiger in de EU")),
)

RETENTION = rec(
    "How long the data is kept", "Hoe lang de gegevens bewaard worden",
    period=opt(DURATION),
    criteria=opt(Text("Criteria or event the period runs from", "Criteria of startmoment")),
)

DATA_CATEGORY = labelled(rec(
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
    provision=opt(labelled(Enum("Why providing it is needed (Art. 13(2)(e))",
                                "Waarom verstrekken nodig is", values=PROVISION),
                           "Whether you must provide the data",
                           "Of u de gegevens moet verstrekken")),
    consequence=opt(labelled(Text("What happens when it is not provided",
                                  "Gevolg van niet verstrekken"),
                             "Consequences of not providing the data",
                             "Gevolgen als u de gegevens niet verstrekt")),
    special=opt(Bool("Special category (Art. 9)", "Bijzonder persoonsgegeven"), False),
    art9_condition=opt(Enum("Art. 9(2) condition", "Uitzonderingsgrond art. 9 lid 2",
                            values=ART9_CONDITIONS)),
    art9_law=opt(Text("The national law the Art. 9(2) condition rests on, e.g. UAVG art. 30 "
                      "lid 3", "De nationale wet waarop de uitzondering van art. 9 lid 2 "
                      "berust, bijv. art. 30 lid 3 UAVG", line=True)),
    national_identifier=opt(NATIONAL_IDENTIFIER),
    dpv=opt(unlisted(Str("W3C DPV personal-data term, e.g. pd:Contact", "W3C DPV-term",
                pattern=r"^(?:pd|tech):[A-Za-z]+$"))),
), "Category of personal data", "Categorie persoonsgegevens")

DATA_CATEGORIES = rec(
    "Categories of personal data", "Categorieën persoonsgegevens",
    categories=req(ListOf("Categories", "Categorieën", item=DATA_CATEGORY, min_items=1)),
)

RECIPIENT = labelled(rec(
    "A recipient or category of recipients", "Een (categorie) ontvanger(s)",
    id=req(Id("Stable id (#recipient-<id>)", "Vaste id", kind="recipient")),
    name=req(Text("Name", "Naam", line=True)),
    description=req(Text("Who they are and why they receive data",
                         "Wie het zijn en waarom zij gegevens ontvangen")),
    role=req(Enum("Role under the GDPR", "Rol onder de AVG", values=RECIPIENT_ROLES)),
    country=opt(Str("Where they process the data: country code or EEA",
                    "Waar zij verwerken: landcode of EEA", pattern=COUNTRY_PATTERN,
                    hint="a two-letter country code such as NL, or EEA"), "EEA"),
    arrangement=opt(Text("For a joint controller: the essence of the arrangement between "
                         "you (Art. 26(2)): who does what, and where to exercise your rights",
                         "Bij een gezamenlijke verwerkingsverantwoordelijke: de wezenlijke "
                         "inhoud van de regeling (art. 26 lid 2)")),
), "Recipient", "Ontvanger")

RECIPIENTS = rec(
    "Recipients", "Ontvangers",
    recipients=req(ListOf("Recipients", "Ontvangers", item=RECIPIENT, min_items=1)),
)

MECHANISM_TYPE = Enum("Safeguard (Art. 45-49)", "Waarborg (art. 45-49)",
                      values=TRANSFER_MECHANISMS)
MECHANISM = labelled(rec(
    "A ground for the transfer: the first applies, later ones are the fallback",
    "Een grondslag voor de doorgifte: de eerste geldt, latere zijn de terugvaloptie",
    type=req(MECHANISM_TYPE),
    decision=opt(Text("The decision named, e.g. Commission Implementing Decision (EU) "
                      "2023/1795 of 10 July 2023 on the EU-US Data Privacy Framework",
                      "Het genoemde besluit, bijv. Uitvoeringsbesluit (EU) 2023/1795 van de "
                      "Commissie van 10 juli 2023 (EU-VS-gegevensprivacykader)", line=True)),
    derogation=opt(Enum("For type derogation: the point of Art. 49(1), a to g",
                        "Bij type derogation: het onderdeel van art. 49 lid 1, a tot en met g",
                        values=DEROGATIONS)),
), "Safeguard", "Waarborg")

TRANSFER = Record(
    "A transfer outside the EEA", "Een doorgifte buiten de EER",
    fields={
        "recipient": req(Ref("Recipient id", "Id van de ontvanger", kind="recipient")),
        "country": req(Str("Country code", "Landcode", pattern=COUNTRY_PATTERN)),
        "mechanism": opt(Enum("Safeguard (Art. 45-49); the older form of mechanisms:",
                              "Waarborg (art. 45-49); de oudere vorm van mechanisms:",
                              values=TRANSFER_MECHANISMS)),
        "mechanisms": opt(ListOf("Safeguards in order: the first applies, later ones are the "
                                 "fallback", "Waarborgen op volgorde: de eerste geldt, latere "
                                 "zijn de terugvaloptie", item=MECHANISM, min_items=1)),
        "copy_how": opt(Text("How to obtain a copy of the safeguards, or where they are "
                             "available", "Hoe een kopie van de waarborgen te krijgen is, of "
                             "waar ze te vinden zijn")),
    },
    one_of=("mechanism", "mechanisms"))

AUTHORITY = rec(
    "Supervisory authority; when left out and the controller is in the Netherlands, the "
    "Autoriteit Persoonsgegevens", "Toezichthoudende autoriteit; zonder deze gegevens en met "
    "de verwerkingsverantwoordelijke in Nederland: de Autoriteit Persoonsgegevens",
    name=req(Str("Name", "Naam")),
    address=req(ADDRESS),
    url=opt(URL),
    phone=opt(PHONE),
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
    security=opt(SECURITY),
    automated_decision_making=opt(ADM),
    children=opt(CHILDREN),
    rights=req(section(
        "Data-subject rights", "Rechten van betrokkenen",
        covered=req(labelled(ListOf("Rights the text explains", "Rechten die de tekst uitlegt",
                                    item=Enum("Right", "Recht", values=RIGHTS), unique=True),
                             "Rights explained", "Toegelichte rechten")),
        objection=opt(section("Right to object, shown separately (Art. 21(4))",
                              "Recht van bezwaar, apart vermeld (art. 21 lid 4)")),
        identification=opt(Text(
            "How you confirm the identity of someone who makes a request (Art. 12(6)); left "
            "out, the page says you may ask for what you need and no more",
            "Hoe u de identiteit controleert van wie een verzoek doet (art. 12 lid 6); "
            "zonder deze tekst zegt de pagina dat u alleen vraagt wat u nodig hebt")))),
    consent_withdrawal=req(section("Withdrawing consent", "Toestemming intrekken")),
    complaints=req(section("Complaints", "Klachten",
                           supervisory_authority=opt(AUTHORITY))),
    contact=req(section("Contact", "Contact")),
    changes=req(section("Date of the statement", "Datum van de verklaring",
                        text_required=False)),
)

COOKIE = labelled(rec(
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
    data_category=opt(unlisted(Ref(
        "Id of the data category in data_categories.yaml that holds the data the cookie "
        "collects (the privacy statement's retention and purposes for it apply)",
        "Id van de gegevenscategorie in data_categories.yaml met de gegevens die de cookie "
        "verzamelt", kind="data_category"))),
), "Cookie", "Cookie")

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
    consent_tool=opt(CONSENT_TOOL),
    settings_link=opt(SETTINGS_LINK),
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
# The files by which a version holds a document: a version folder without them does not
# hold it (its history starts where it first appears). Only the documents in
# OPTIONAL_DOCUMENTS may be left out; the cookie statement references recipients.yaml.
DOCUMENT_OWN_FILES = {
    "privacy": ("privacy.yaml", "purposes.yaml", "data_categories.yaml", "recipients.yaml"),
    "cookies": ("cookies.yaml",),
}
OPTIONAL_DOCUMENTS = ("cookies",)
OPTIONAL_FILES = frozenset(name for document in OPTIONAL_DOCUMENTS
                           for name in DOCUMENT_OWN_FILES[document])
