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

from generator.content import derived, vocabulary
from generator.content.model import Site, Version
from generator.content.schema import LANGUAGES
from generator.content.vocabulary import N_
from generator.errors import ContentError, Problems, UsageError
from generator.render import i18n
from generator.render.environment import Renderer, TemplateProblem

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
# A point of GDPR Art. 6(1), cited as the register's language cites it.
BASIS_ARTICLE = N_("Art. 6(1)(%(point)s) GDPR")
GAPS = {
    "dpo": N_("data protection officer, or 'dpo: none'"),
    "interest": N_("the legitimate interest pursued"),
    "subjects": N_("categories of data subjects (the purpose's 'data_subjects:')"),
    "art9": N_("the Art. 9(2) condition of %(category)s ('art9_condition:')"),
    "retention": N_("retention of %(category)s"),
    "transfer": N_("transfer safeguard for %(recipient)s (%(country)s)"),
    "security": N_("security measures ('security:' in privacy.yaml or the purpose)"),
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

    def country(self, code: str) -> str:
        return i18n.country_name(code, self.lang, self.gettext)

    def address(self, address) -> str:
        return (f"{address['street']}, {address['postcode']} {address['city']}"
                + (f", {self.country(address['country'])}" if address.get("country") else ""))

    def mechanism(self, mechanism: dict) -> str:
        """A ground of a transfer in words, with its decision or point of Art. 49(1)."""
        if mechanism["type"] == "derogation" and mechanism["derogation"]:
            words = self._("derogation for a specific situation (Art. 49(1)(%(point)s) GDPR): "
                           "%(ground)s") % {"point": mechanism["derogation"],
                                            "ground": self.label(mechanism["derogation"],
                                                                 "derogation")}
        else:
            words = self.label(mechanism["type"], "mechanism")
        return words + (f": {mechanism['decision'][self.lang]}" if mechanism["decision"]
                        else "")

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
    title = (purpose["title"] or group["title"])[lang]
    row = Row(title)
    row.cells["a"] = _controller(reg, row, purpose)

    bases = [f"{reg.label(b, 'basis')} ("
             + reg._(BASIS_ARTICLE) % {"point": vocabulary.LEGAL_BASIS_ARTICLE[b][-2]} + ")"
             for b in purpose["legal_bases"]]
    purpose_text = [f"{title}: {i18n.join_list(bases, lang)}"]
    if "legitimate_interests" in purpose["legal_bases"]:
        purpose_text.append(purpose["legitimate_interest"][lang]
                            if purpose["legitimate_interest"] else reg.flag(row, "interest"))
    row.cells["b"] = "\n".join(purpose_text)

    categories = [version.categories[c] for c in purpose["data_categories"]]
    row.cells["c"] = "\n".join([_subjects(reg, row, purpose)]
                               + [_category(reg, row, c) for c in categories])

    recipients = [version.recipients[r] for r in purpose["recipients"]]
    row.cells["d"] = "\n".join(
        f"{r['name'][lang]} ({reg.label(r['role'], 'role')}, {reg.country(r['country'])})"
        for r in recipients) or reg._("none")
    row.cells["e"] = _transfers(reg, row, purpose, recipients)

    limits = []
    own = {kept["category"]: kept for kept in purpose.get("retention") or ()}
    for category in categories:
        retention = own.get(category["id"]) or category["retention"]
        if not retention or not (retention["period"] or retention["criteria"]):
            limits.append(reg.flag(row, "retention", category=category["name"][lang]))
            continue
        words = [i18n.format_duration(retention["period"], lang)] if retention["period"] else []
        if retention["criteria"]:
            words.append(retention["criteria"][lang])
        limits.append(f"{category['name'][lang]}: {'; '.join(words)}")  # as the page
    row.cells["f"] = "\n".join(limits)
    row.cells["g"] = _security(reg, row, purpose)
    return row


def _controller(reg: Register, row: Row, purpose) -> str:
    """Column (a): the controller (legal and trade name, Chamber of Commerce number,
    address, establishment), its EU representative and its data protection officer, and
    the purpose's joint controllers ("where applicable, the joint controller")."""
    org = reg.version.organisation
    name = org["legal_name"] if org["trade_name"] == org["legal_name"] else (
        reg._("%(legal_name)s, trading as %(trade_name)s")
        % {"legal_name": org["legal_name"], "trade_name": org["trade_name"]})
    lines = [f"{name}, {reg.address(org['address'])}, {org['email']}"]
    if org.get("chamber_of_commerce"):
        lines.append(reg._("Chamber of Commerce number") + ": " + org["chamber_of_commerce"])
    if org.get("establishment"):
        lines.append(reg._("Establishment") + ": " + org["establishment"][reg.lang])
    representative = org["representative"]
    if isinstance(representative, dict):
        line = f"{representative['name']} <{representative['email']}>"
        if representative.get("address"):
            line += ", " + reg.address(representative["address"])
        lines.append(reg._("Representative in the EU (Art. 27 GDPR)") + ": " + line)
    dpo = org["dpo"]
    if dpo is None:
        lines.append(reg.flag(row, "dpo"))
    elif dpo == "none":
        lines.append(reg._("We have not appointed a data protection officer."))
    else:
        line = f"{dpo['name']} <{dpo['email']}>" + (f", {dpo['phone']}" if dpo.get("phone")
                                                     else "")
        if derived.dpo_kind(dpo) == "external":
            line = reg._("%(firm)s (external), contact person %(contact)s") % {
                "firm": dpo["firm"], "contact": line}
        lines.append(reg._("Data protection officer") + ": " + line)
    for ident in purpose["recipients"]:
        recipient = reg.version.recipients[ident]
        if recipient["role"] == "joint_controller":
            lines.append(reg._("Joint controller (Art. 26 GDPR)") + ": "
                         + recipient["name"][reg.lang])
    return "\n".join(lines)


def _transfers(reg: Register, row: Row, purpose, recipients) -> str:
    """Column (e): each transfer of the purpose's recipients with its grounds in order
    (the first applies, later ones are the fallback), or a gap where none is stated."""
    lang = reg.lang
    transfers = reg.version.privacy["transfers"]["transfers"] or ()
    moved = []
    for ident, recipient in zip(purpose["recipients"], recipients, strict=True):
        found = [t for t in transfers if t["recipient"] == ident]
        for transfer in found:
            grounds = [reg.mechanism(m) for m in derived.mechanisms(transfer)]
            moved.append(f"{recipient['name'][lang]} -> {reg.country(transfer['country'])}: "
                         + f"; {reg._('if that ground no longer applies')}: ".join(grounds))
        if not derived.in_eea(recipient["country"]) and not found:
            moved.append(reg.flag(row, "transfer", recipient=recipient["name"][lang],
                                  country=reg.country(recipient["country"])))
    return "\n".join(moved) or reg._("No transfers outside the EEA")


def _subjects(reg: Register, row: Row, purpose) -> str:
    """Column (c)'s first line: whose data, from the fixed vocabulary or the model's own."""
    if not purpose.get("data_subjects"):
        return reg.flag(row, "subjects")
    own = {s["id"]: s["name"][reg.lang]
           for s in reg.version.files["purposes.yaml"].get("data_subjects") or ()}
    names = [own.get(ident) or reg.label(ident, "data_subject")
             for ident in purpose["data_subjects"]]
    return f"{reg._('Data subjects')}: {i18n.join_list(names, reg.lang)}"


def _category(reg: Register, row: Row, category) -> str:
    """A data category with its items, its Art. 9(2) condition and national identifier."""
    lang = reg.lang
    line = f"{category['name'][lang]} ({', '.join(category['items'][lang])})"
    if category.get("special"):
        condition = category.get("art9_condition")
        if condition:
            line += "; " + reg._("special category, Art. 9(2)(%(point)s) GDPR: "
                                 "%(condition)s") % {
                "point": condition, "condition": reg.label(condition, "art9")}
            if category.get("art9_law"):
                line += f" ({category['art9_law'][lang]})"
        else:
            line += "; " + reg.flag(row, "art9", category=category["name"][lang])
    identifier = category.get("national_identifier")
    if identifier:
        line += (f"; {reg._('National identification number')}: {identifier['name'][lang]} "
                 f"({identifier['law'][lang]})")
    return line


def _security(reg: Register, row: Row, purpose) -> str:
    """Column (g): the general measures of privacy.yaml's ``security`` and the purpose's."""
    general = reg.version.privacy.get("security")
    parts = [general["text"][reg.lang]] if general and general.get("text") else []
    if purpose.get("security"):
        parts.append(purpose["security"][reg.lang])
    return "\n".join(parts) or reg.flag(row, "security")


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
