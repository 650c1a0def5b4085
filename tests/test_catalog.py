"""The Dutch catalog is complete and up to date with the templates and code."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locales/nl/LC_MESSAGES/messages.po"


def _catalog():
    with PO.open("rb") as handle:
        return read_po(handle, locale="nl")


def test_every_msgid_has_a_dutch_translation():
    untranslated = []
    for message in _catalog():
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            untranslated.append(message.id)
    assert not untranslated, f"untranslated in {PO.name}: {untranslated}"


def test_catalog_holds_every_extracted_string():
    method_map = [("generator/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    extracted = set()
    for _, _, message, *_ in extract_from_dir(str(ROOT), method_map, options,
                                              keywords=keywords):
        extracted.add(message[0] if isinstance(message, tuple) else message)
    known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in _catalog()}
    missing = extracted - known
    assert not missing, ("run: pybabel extract -F babel.cfg -k N_ -o /tmp/messages.pot . && "
                         "pybabel update -i /tmp/messages.pot -d locales; then translate "
                         f"{sorted(missing)}")


def test_no_compiled_catalog_is_committed():
    import subprocess
    tracked = subprocess.run(["git", "ls-files", "*.mo"], cwd=ROOT, capture_output=True,
                             text=True).stdout
    assert tracked == ""


def test_a_string_without_closing_quote_is_reported_located(tmp_path):
    """Babel would silently drop the string's last character."""
    import shutil

    from generator.errors import Problems
    from generator.render.i18n import load_translations

    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    po = tmp_path / "locales/nl/LC_MESSAGES/messages.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    number = lines.index('msgstr "Gecorrigeerd na publicatie"') + 1
    lines[number - 1] = 'msgstr "Gecorrigeerd na publicatie'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = Problems()
    load_translations(tmp_path / "locales", "nl", problems)
    assert [str(p).split(":", 1)[1] for p in problems] == [
        f"{number}:35: this string has no closing quote; end the line with \""]
