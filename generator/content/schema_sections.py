"""Declarations of the privacy statement's sections on profiling and automated decisions
(GDPR Art. 4(4), 13(2)(f), 22) and on children (Art. 8, UAVG art. 5), and of the cookie
statement's consent tool and settings link (Tw 11.7a): part of the content model
(``schema.py`` imports them)."""

from __future__ import annotations

from generator.content.declarations import (
    Bool,
    Enum,
    Ref,
    Str,
    Text,
    labelled,
    opt,
    rec,
    req,
    unlisted,
)

CONSENT_TOOLS = ("cookieconsent", "klaro", "other")

HEADING = Text("Heading of the section", "Kop van de paragraaf", line=True)

PROFILING = rec(
    "Profiling (Art. 4(4)): whether it is used, what for, how it works, and whether it has "
    "legal or similarly significant effects",
    "Profilering (art. 4 lid 4): of die wordt gebruikt, waarvoor, hoe die werkt, en of die "
    "rechtsgevolgen of vergelijkbare aanmerkelijke gevolgen heeft",
    used=req(labelled(Bool("Is profiling used?", "Wordt profilering gebruikt?"), "used",
                      "gebruikt")),
    purpose=opt(Text("What the profiling is for", "Waarvoor de profilering dient")),
    logic=opt(Text("How it works: the logic involved", "Hoe die werkt: de onderliggende logica")),
    effects=opt(Text("Its effects for the data subject: whether it has legal or similarly "
                     "significant effects (and, if not, why not)",
                     "De gevolgen voor de betrokkene: of er rechtsgevolgen of vergelijkbare "
                     "aanmerkelijke gevolgen zijn (en zo niet, waarom niet)")),
)

DECISIONS = rec(
    "Decisions based solely on automated processing, including profiling, with legal or "
    "similarly significant effects (Art. 22, 13(2)(f))",
    "Besluiten die uitsluitend op geautomatiseerde verwerking, waaronder profilering, zijn "
    "gebaseerd en rechtsgevolgen of vergelijkbare aanmerkelijke gevolgen hebben (art. 22, "
    "13 lid 2 sub f)",
    used=req(labelled(Bool("Are such decisions taken?", "Worden zulke besluiten genomen?"),
                      "taken", "genomen")),
    logic=opt(Text("Meaningful information about the logic involved",
                   "Nuttige informatie over de onderliggende logica")),
    significance=opt(Text("The significance of the processing for the data subject",
                          "Het belang van de verwerking voor de betrokkene")),
    consequences=opt(Text("The envisaged consequences for the data subject",
                          "De verwachte gevolgen voor de betrokkene")),
)

ADM = rec(
    "Automated decision-making and profiling (Art. 22)",
    "Geautomatiseerde besluitvorming en profilering (art. 22)",
    title=req(HEADING),
    text=opt(Text("Text of the section (Markdown); with the older 'used', the logic, "
                  "significance and consequences", "Tekst van de paragraaf (Markdown); bij "
                  "het oudere 'used' de logica, het belang en de gevolgen")),
    # not listed: the page does not show it, the section's text says it (and moving to
    # 'profiling' and 'decisions' would otherwise read as 'used: no -> not stated')
    used=opt(unlisted(Bool("Older form, for both at once: is automated decision-making or "
                           "profiling used? Say it with 'profiling' and 'decisions' instead",
                           "Oudere vorm, voor beide tegelijk: wordt geautomatiseerde "
                           "besluitvorming of profilering gebruikt? Zeg het liever met "
                           "'profiling' en 'decisions'"))),
    profiling=opt(labelled(PROFILING, "Profiling", "Profilering")),
    decisions=opt(labelled(DECISIONS, "Decisions based solely on automated processing (Art. 22)",
                           "Geautomatiseerde individuele besluiten (art. 22)")),
)

CHILDREN = rec(
    "Children (Art. 8; in the Netherlands UAVG art. 5)",
    "Kinderen (art. 8 AVG, art. 5 UAVG)",
    title=req(HEADING),
    text=opt(Text("Text of the section (Markdown)", "Tekst van de paragraaf (Markdown)")),
    aimed_at_children=req(Bool("Is the service aimed at children, or offered directly to them?",
                               "Is de dienst gericht op kinderen, of rechtstreeks aan hen "
                               "aangeboden?")),
    minimum_age=opt(Str("The age of digital consent: below it, consent is given or authorised "
                        "by the holder of parental responsibility (NL: 16, UAVG art. 5)",
                        "De leeftijd voor digitale toestemming: daaronder geeft de wettelijk "
                        "vertegenwoordiger toestemming (NL: 16, art. 5 UAVG)",
                        pattern=r"^1[3-6]$", hint="an age from 13 to 16, such as 16",
                        numbers=(13, 16))),
    parental_consent=opt(Text("How the consent of the holder of parental responsibility is "
                              "obtained and verified", "Hoe de toestemming van de wettelijk "
                              "vertegenwoordiger wordt gevraagd en gecontroleerd")),
)

CONSENT_TOOL = rec(
    "The consent tool of the website and the cookie it stores the visitor's choice in; the "
    "consent exports (cookieconsent, Klaro!) store it in that cookie",
    "De toestemmingstool van de website en de cookie waarin die de keuze van de bezoeker "
    "opslaat; de exports voor cookieconsent en Klaro! gebruiken die cookie",
    tool=req(Enum("cookieconsent, klaro or other", "cookieconsent, klaro of other",
                  values=CONSENT_TOOLS)),
    cookie=req(Ref("Name of the cookie, as declared in the list of cookies",
                   "Naam van de cookie, zoals in het overzicht van cookies", kind="cookie")),
)

SETTINGS_LINK = rec(
    "The link that opens the cookie settings, shown in the consent section",
    "De link die de cookie-instellingen opent, getoond bij toestemming",
    label=req(Text("Text of the link", "Tekst van de link", line=True)),
    href=req(Str("Where it points: #cookie-settings, or a page's address",
                 "Waarheen: #cookie-settings, of het adres van een pagina",
                 pattern=r"^(?:#[A-Za-z][A-Za-z0-9_-]*|https?://[^\s<>\"']+|/[^\s<>\"']*)$",
                 hint="'#cookie-settings', a path such as /cookies/settings, or a web "
                      "address starting with https://")),
)
