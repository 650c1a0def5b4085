"""The record of processing activities (GDPR Art. 30(1)) of one version.

``python build.py register [--out DIR] [VERSION]`` writes, for the version
current at ``--today`` or the one named, ``DIR/<version>/register.<lang>.csv``
and a printable ``register.<lang>.html`` per language: one row per processing
activity (purpose), one column per point of Art. 30(1)(a)-(g). What the model
does not say is flagged in the cell ("MISSING: ...") and listed in the last
column, so that a gap is visible, never silently empty. It is an internal
document: it goes to its own folder (default ``register/``), not into the site.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from generator.content import vocabulary
from generator.content.model import Site, Version
from generator.content.schema import LANGUAGES
from generator.content.vocabulary import N_
from generator.errors import ContentError, Problems, UsageError
from generator.render import i18n
from generator.render.environment import Renderer, TemplateProblem

# EU member states plus Iceland, Liechtenstein and Norway (ISO 3166 codes), and 'EEA'.
EEA = frozenset("AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE "
                "SI SK IS LI NO EEA".split())

COLUMNS = (
    ("activity", N_("Processing activity")),
    ("a", N_("(a) Controller, representative and data protection officer")),
    ("b", N_("(b) Purpose and legal basis")),
    ("c", N_("(c) Categories of data subjects and of personal data")),
    ("d", N_("(d) Categories of recipients")),
    ("e", N_("(e) Transfers to third countries and safeguards")),
    ("f", N_("(f) Time limits for erasure")),
    ("g", N_("(g) Technical and organisational security measures")),
    ("missing", N_("Missing")),
)
MISSING = N_("MISSING: %(what)s")
GAPS = {
    "dpo": N_("data protection officer, or 'dpo: none'"),
    "interest": N_("the legitimate interest pursued"),
    "subjects": N_("categories of data subjects (not in the model)"),
    "retention": N_("retention of %(category)s"),
    "transfer": N_("transfer safeguard for %(recipient)s (%(country)s)"),
    "security": N_("security measures (not in the model)"),
}


@dataclass
class Row:
    activity: str
    cells: dict[str, str] = field(default_factory=dict)
    gaps: list[str] = field(default_factory=list)  # GAPS keys, one per flag
    missing: list[str] = field(default_factory=list)  # the same, in words
    missing_lines: list[str] = field(default_factory=list)  # the flags as shown in cells

    def values(self) -> list[str]:
        return [self.activity, *(self.cells[key] for key, _ in COLUMNS[1:-1])]


@dataclass
class Register:
    version: Version
    lang: str
    gettext: object
    rows: list[Row] = field(default_factory=list)

    def _(self, message: str) -> str:
        return self.gettext(message)

    def flag(self, row: Row, gap: str, **names: str) -> str:
        what = self._(GAPS[gap]) % names if names else self._(GAPS[gap])
        row.gaps.append(gap)
        row.missing.append(what)
        line = self._(MISSING) % {"what": what}
        row.missing_lines.append(line)
        return line

    def label(self, value: str, vocabulary_name: str) -> str:
        return self._(vocabulary.VOCABULARIES[vocabulary_name][value])

    def headers(self) -> list[str]:
        return [self._(title) for _, title in COLUMNS]


def build_register(version: Version, lang: str, gettext) -> Register:
    """One row per purpose; every Art. 30(1) column filled or flagged."""
    register = Register(version, lang, gettext)
    for group in version.groups:
        for purpose in group["purposes"]:
            register.rows.append(_row(register, group, purpose))
    return register


def _row(reg: Register, group, purpose) -> Row:
    version, lang = reg.version, reg.lang
    org = version.organisation
    title = (purpose["title"] or group["title"])[lang]
    row = Row(title)
    address = org["address"]
    controller = [f"{org['legal_name']}, {address['street']}, {address['postcode']} "
                  f"{address['city']} ({address['country']}), {org['email']}"]
    if org["dpo"] is None:
        controller.append(reg.flag(row, "dpo"))
    elif org["dpo"] == "none":
        controller.append(reg._("We have not appointed a data protection officer."))
    else:
        controller.append(f"{org['dpo']['name']} <{org['dpo']['email']}>")
    if isinstance(org["representative"], dict):
        controller.append(f"{org['representative']['name']} "
                          f"<{org['representative']['email']}>")
    row.cells["a"] = "\n".join(controller)

    bases = [f"{reg.label(b, 'basis')} (Art. {vocabulary.LEGAL_BASIS_ARTICLE[b]})"
             for b in purpose["legal_bases"]]
    purpose_text = [f"{title}: {i18n.join_list(bases, lang)}"]
    if "legitimate_interests" in purpose["legal_bases"]:
        purpose_text.append(purpose["legitimate_interest"][lang]
                            if purpose["legitimate_interest"] else reg.flag(row, "interest"))
    row.cells["b"] = "\n".join(purpose_text)

    categories = [version.categories[c] for c in purpose["data_categories"]]
    row.cells["c"] = "\n".join([reg.flag(row, "subjects")] + [
        f"{c['name'][lang]} ({', '.join(c['items'][lang])})" for c in categories])

    recipients = [version.recipients[r] for r in purpose["recipients"]]
    row.cells["d"] = "\n".join(
        f"{r['name'][lang]} ({reg.label(r['role'], 'role')}, {r['country']})"
        for r in recipients) or reg._("none")

    transfers = version.privacy["transfers"]["transfers"] or ()
    moved = []
    for ident, recipient in zip(purpose["recipients"], recipients, strict=True):
        found = [t for t in transfers if t["recipient"] == ident]
        moved += [f"{recipient['name'][lang]} -> {t['country']}: "
                  f"{reg.label(t['mechanism'], 'mechanism')}" for t in found]
        if recipient["country"] not in EEA and not found:
            moved.append(reg.flag(row, "transfer", recipient=recipient["name"][lang],
                                  country=recipient["country"]))
    row.cells["e"] = "\n".join(moved) or reg._("No transfers outside the EEA")

    limits = []
    for category in categories:
        retention = category["retention"]
        if not retention or not (retention["period"] or retention["criteria"]):
            limits.append(reg.flag(row, "retention", category=category["name"][lang]))
            continue
        words = [i18n.format_duration(retention["period"], lang)] if retention["period"] else []
        if retention["criteria"]:
            words.append(retention["criteria"][lang])
        limits.append(f"{category['name'][lang]}: {' '.join(words)}")
    row.cells["f"] = "\n".join(limits)
    row.cells["g"] = reg.flag(row, "security")
    return row


def csv_bytes(register: Register) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(register.headers())
    for row in register.rows:
        writer.writerow([*row.values(), "; ".join(row.missing)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def html_bytes(register: Register, renderer: Renderer, site: Site) -> bytes:
    html = renderer.render(register.lang, "register.html", site=site, register=register,
                           version=register.version, columns=COLUMNS)
    return html.encode("utf-8")


def pick_version(site: Site, name: str | None) -> Version:
    """The named version, or the one whose privacy statement is current."""
    if name is None:
        current = site.current("privacy")
        if current is None:
            raise UsageError("no version is in effect at the build date; name one: "
                             + ", ".join(v.name for v in site.versions))
        return current.version
    for version in site.versions:
        if version.name == name:
            return version
    raise UsageError(f"there is no version '{name}'; known versions: "
                     + ", ".join(v.name for v in site.versions))


def register_files(site: Site, renderer: Renderer, version: Version) -> dict[str, bytes]:
    files = {}
    for lang in LANGUAGES:
        gettext = i18n.load_translations(renderer.locales, lang, Problems()).gettext
        register = build_register(version, lang, gettext)
        files[f"register.{lang}.csv"] = csv_bytes(register)
        files[f"register.{lang}.html"] = html_bytes(register, renderer, site)
    return files


def write_register(project, out: Path, today, name: str | None) -> Path:
    """Check the content, then write the register of one version into ``out/<version>/``."""
    from generator.content.model import build_site
    from generator.output.folder import check_output, output_lock
    from generator.output.write import write_site
    from generator.pipeline import load_and_validate, protected_folders

    protected = protected_folders(project)
    check_output(out, protected, replaced=False)  # before anything is read
    site = build_site(load_and_validate(project), today, drafts=name is not None)
    version = pick_version(site, name)
    problems = Problems()
    renderer = Renderer(project.templates, project.locales, problems)
    try:
        files = {} if problems else register_files(site, renderer, version)
    except TemplateProblem as error:
        problems.add(error.location, str(error))
    if problems:
        raise ContentError(problems)
    target = out / version.name
    with output_lock(target):
        check_output(target, protected)
        write_site(files, target)
    return target
