"""The declaration of ``version.yaml`` (about a version: status, summaries, errata, a
reconstruction), part of the content model (``schema.py`` imports it)."""

from __future__ import annotations

from generator.content.declarations import Date, Enum, ListOf, Text, opt, rec, req

VERSION_STATUSES = ("released", "draft")

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
    summary=opt(Text("Short summary of what changed in this version, for every document it "
                     "holds; may be left out when 'summaries' has one for each",
                     "Korte samenvatting van wat er in deze versie veranderde, voor elk "
                     "document; mag weg als 'summaries' er een per document heeft")),
    summaries=opt(rec(
        "A summary per document, shown in that document's history, comparison and feed "
        "instead of 'summary'", "Een samenvatting per document, getoond in de "
        "geschiedenis, vergelijking en feed van dat document in plaats van 'summary'",
        privacy=opt(Text("What changed in the privacy statement",
                         "Wat er in de privacyverklaring veranderde")),
        cookies=opt(Text("What changed in the cookie statement",
                         "Wat er in de cookieverklaring veranderde")))),
    reconstructed=opt(rec(
        "This version reconstructs an earlier publication: its pages say so",
        "Deze versie reconstrueert een eerdere publicatie: de pagina's vermelden dat",
        note=req(Text("What was reconstructed, and from what (shown on its pages)",
                      "Wat er is gereconstrueerd, en waaruit (staat op de pagina's)")))),
    errata=opt(ListOf("Corrections made after release, oldest first; each one is shown on "
                      "the version's page", "Correcties na vrijgave, oudste eerst; elke "
                      "correctie staat op de pagina van de versie", item=ERRATUM), ()),
)
