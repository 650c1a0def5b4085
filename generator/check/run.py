"""``python build.py check``: validation first, then the GDPR completeness findings.

The check looks at one version: the one named on the command line, or else
the newest (the one being edited; a draft counts). Released versions are
frozen, so their old gaps are not reported again on every run. Findings are
printed one per line, in English by default (like every other message of the
command line) or in Dutch with ``--lang nl``:

    content/versions/2020-10-01/organisation.yaml:7:1: error P03 (GDPR Art. 13(1)(b)): ...

Exit code 1 when there is an error (or, with ``--strict``, any finding).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from babel.support import NullTranslations

from generator.check import (  # noqa: F401 (register the rules)
    bases,
    cookie_data,
    cookies,
    data,
    glossary,
    parties,
    sections,
    statement,
)
from generator.check.rules import ERROR, N_, Finding, Term, run_rules
from generator.content.model import Version
from generator.content.schema import SITE_FILE
from generator.content.validate import ValidContent
from generator.errors import Problems, UsageError
from generator.pipeline import Project, load_and_validate
from generator.render.i18n import load_translations

LAWS = {"GDPR": N_("GDPR"), "Tw": N_("Tw"), "UAVG": N_("UAVG")}
SEVERITIES = {"error": N_("error"), "warning": N_("warning")}
LINE = N_("%(location)s: %(severity)s %(rule)s (%(article)s): %(missing)s. "
          "How to fix: %(fix)s.")


@dataclass
class CheckResult:
    version: str
    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != ERROR]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.findings))


def _pick(valid: ValidContent, name: str | None):
    if name is None:
        return max(valid.versions, key=lambda v: v.effective)
    for version in valid.versions:
        if version.name == name:
            return version
    known = ", ".join(v.name for v in valid.versions)
    raise UsageError(f"there is no version '{name}'; the versions are: {known}")


def check_valid(valid: ValidContent, name: str | None = None) -> CheckResult:
    """The findings for one version of content that passed validation."""
    chosen = _pick(valid, name)
    files = dict(chosen.files)
    if valid.site is not None:  # read by the rules for all texts (P22), not by the others
        files[SITE_FILE] = valid.site
    version = Version(chosen.name, chosen.effective, files, chosen.paths, chosen.raw)
    return CheckResult(chosen.name, run_rules(version))


def run_check(project: Project, name: str | None = None) -> CheckResult:
    """Validate everything (raises ContentError), then check one version."""
    return check_valid(load_and_validate(project), name)


def format_article(article: str, lang: str, gettext=str) -> str:
    """'GDPR 13(1)(b), 27' -> 'GDPR Art. 13(1)(b), 27' / 'AVG art. 13 lid 1 sub b, 27'."""
    out, law = [], None
    for part in article.split(", "):
        first, _, rest = part.partition(" ")
        if first in LAWS:
            law, part = first, rest
            out.append(", " if out else "")
            out.append(f"{gettext(LAWS[law])} {'Art.' if lang == 'en' else 'art.'} ")
        elif out:
            out.append(", ")
        if lang == "nl":
            part = re.sub(r"\((\d+)\)", r" lid \1", part)
            part = re.sub(r"\(([a-z])\)", r" sub \1", part)
        out.append(part)
    return "".join(out)


def format_finding(finding: Finding, lang: str, translations: NullTranslations) -> str:
    gettext = translations.gettext
    params = {key: gettext(value) if isinstance(value, Term) else value
              for key, value in finding.params.items()}
    return gettext(LINE) % {
        "location": finding.location,
        "severity": gettext(SEVERITIES[finding.severity]),
        "rule": finding.rule,
        "article": format_article(finding.article, lang, gettext),
        "missing": gettext(finding.missing) % params,
        "fix": gettext(finding.fix) % params,
    }


def translations_for(project: Project, lang: str) -> NullTranslations:
    problems = Problems()
    translations = load_translations(project.locales, lang, problems)
    return NullTranslations() if problems else translations


def report_check(result: CheckResult, lang: str, translations: NullTranslations,
                 stream=None) -> None:
    stream = stream or sys.stdout  # looked up now, so that redirecting sys.stdout works
    for finding in result.findings:
        print(format_finding(finding, lang, translations), file=stream)
    errors, warnings = len(result.errors), len(result.warnings)
    counts = {"version": result.version, "errors": errors, "warnings": warnings}
    if not result.findings:
        print(translations.gettext("Version %(version)s: no findings.") % counts, file=stream)
        return
    print(translations.gettext("Version %(version)s:") % counts,
          translations.ngettext("%(errors)d error", "%(errors)d errors", errors) % counts + ",",
          translations.ngettext("%(warnings)d warning", "%(warnings)d warnings", warnings)
          % counts + ".", file=stream)
