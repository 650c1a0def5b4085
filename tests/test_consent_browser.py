"""The generated consent configurations in the real libraries, in Chromium.

On the cookie statement page itself (served from 127.0.0.1), the library from
``node_modules/vanilla-cookieconsent`` is run with ``api/consent/cookieconsent.json``;
its preferences dialog must list the categories and cookies of the statement's own
cookie table, in the page's language (Dutch and English).

Both tools, cookieconsent and Klaro! (``node_modules/klaro``), store the visitor's
choice in the cookie that ``cookies.yaml``'s ``consent_tool`` names, for as long as
the inventory says, and set no other: with the shipped content (``cc_cookie``) and
with that cookie renamed, so that a tool's own default cannot pass for it. The
statement's own 'Cookie settings' link opens cookieconsent's settings.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from .browser import NODE_MODULES, ROOT, chromium_missing

COOKIECONSENT = NODE_MODULES / "vanilla-cookieconsent" / "dist"
KLARO = NODE_MODULES / "klaro" / "dist" / "klaro-no-css.js"
STATEMENT = "2026-04-01"  # the version of the cookie statement in effect on TODAY
RENAMED = "mkb_consent"


def _missing() -> str | None:
    if chromium_missing():
        return chromium_missing()
    for needed in (COOKIECONSENT / "cookieconsent.umd.js", KLARO):
        if not needed.exists():
            return f"{needed} is missing: run `npm ci` (or .ci/run)"
    return None


pytestmark = [pytest.mark.browser, pytest.mark.skipif(_missing() is not None,
                                                      reason=_missing() or "")]

# The statement's table: cookie name and category label per row.
STATEMENT_ROWS = """() => [...document.querySelectorAll('.pd-cookie-table tbody tr')].map(
    r => [r.querySelector('th').textContent.trim(),
          r.querySelectorAll('td')[2].textContent.trim()])"""
# The dialog: per category toggle section, its title, toggle state and cookie table.
DIALOG = """() => [...document.querySelectorAll('#cc-main .pm__section--toggle')].map(s => ({
    title: s.querySelector('button.pm__section-title').childNodes[0].textContent.trim(),
    category: s.querySelector('input.section__toggle').value,
    checked: s.querySelector('input.section__toggle').checked,
    disabled: s.querySelector('input.section__toggle').disabled,
    headers: [...s.querySelectorAll('th')].map(h => h.textContent.trim()),
    cookies: [...s.querySelectorAll('tbody tr')].map(
        r => r.querySelector('td').textContent.trim()),
}))"""
HEADERS = {"nl": ["Naam", "Aanbieder", "Doel", "Bewaartermijn"],
           "en": ["Name", "Provider", "Purpose", "Expiry"]}
TITLES = {"nl": "Cookie-instellingen", "en": "Cookie settings"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_preferences_dialog_lists_the_categories_and_cookies_of_the_statement(
        browser, local_site, lang):
    config = json.loads((local_site.root / "api/consent/cookieconsent.json")
                        .read_text(encoding="utf-8"))
    # The library hides itself from automated browsers by default; this one is a test.
    config["hideFromBots"] = False
    context = browser.new_context(bypass_csp=True)  # the page's CSP forbids injected scripts
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(local_site.base_url + f"{lang}/cookies/")
        statement = page.evaluate(STATEMENT_ROWS)
        assert statement, "the cookie statement has no cookie table"

        page.add_style_tag(path=str(COOKIECONSENT / "cookieconsent.css"))
        page.add_script_tag(path=str(COOKIECONSENT / "cookieconsent.umd.js"))
        page.evaluate("config => CookieConsent.run(config)", config)
        page.evaluate("() => CookieConsent.showPreferences()")
        page.wait_for_selector("#cc-main .pm", state="visible")

        assert page.locator("#pm__title").text_content().strip() == TITLES[lang]
        dialog = page.evaluate(DIALOG)
        expected: dict[str, list[str]] = {}
        for name, category in statement:
            expected.setdefault(category, []).append(name)
        assert {s["title"]: s["cookies"] for s in dialog} == expected
        assert [s["title"] for s in dialog] == list(expected)  # the statement's order
        for section in dialog:
            assert section["headers"] == HEADERS[lang]
            # Functional cookies cannot be switched off; the rest need no consent here
            # (low-impact analytics), so they start switched on but can be switched off.
            assert section["disabled"] is (section["category"] == "functional")
            assert section["checked"]
        assert not errors
    finally:
        context.close()


def _declared(content: Path) -> tuple[str, int]:
    """The consent cookie ``cookies.yaml`` declares, and its lifetime in whole days."""
    statement = yaml.safe_load((content / "versions" / STATEMENT / "cookies.yaml")
                               .read_text(encoding="utf-8"))
    name = statement["consent_tool"]["cookie"]
    expiry, = (c["expiry"] for c in statement["cookies"] if c["name"] == name)
    assert expiry == "P6M"
    return name, 182


@pytest.fixture(scope="module")
def renamed(tmp_path_factory) -> Path:
    """The consent exports of the shipped content with its consent cookie renamed."""
    from .conftest import TODAY, relock, run_build

    work = tmp_path_factory.mktemp("renamed-consent-cookie")
    content = work / "content"
    shutil.copytree(ROOT / "content", content)
    cookies = content / "versions" / STATEMENT / "cookies.yaml"
    text = cookies.read_text(encoding="utf-8")
    assert text.count("cc_cookie") == 3  # the list, consent_tool, a comment
    cookies.write_text(text.replace("cc_cookie", RENAMED), encoding="utf-8")
    relock(content)
    result = run_build("build", "--content", str(content), "--out", str(work / "site"),
                       "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return work / "site" / "api" / "consent"


def _set_cookies(context) -> dict[str, float]:
    return {c["name"]: c["expires"] for c in context.cookies()}


@pytest.mark.parametrize("source", ["shipped", "renamed"])
def test_cookieconsent_stores_the_choice_in_the_declared_cookie(browser, local_site, renamed,
                                                                source):
    folder = local_site.root / "api/consent" if source == "shipped" else renamed
    config = json.loads((folder / "cookieconsent.json").read_text(encoding="utf-8"))
    config["hideFromBots"] = False
    name, days = _declared(ROOT / "content") if source == "shipped" else (RENAMED, 182)
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(local_site.base_url + "nl/cookies/")
        page.add_style_tag(path=str(COOKIECONSENT / "cookieconsent.css"))
        page.add_script_tag(path=str(COOKIECONSENT / "cookieconsent.umd.js"))
        page.evaluate("config => CookieConsent.run(config)", config)
        assert _set_cookies(context) == {}  # nothing before a choice
        page.click(".pd-cookie-settings a")  # the statement's own link opens the settings
        page.wait_for_selector("#cc-main .pm", state="visible")
        page.click("#cc-main .pm__btn[data-role=all]")
        page.wait_for_function("() => CookieConsent.validConsent()")
        now = page.evaluate("() => Date.now() / 1000")
        cookies = _set_cookies(context)
        assert list(cookies) == [name]
        assert abs(cookies[name] - now - days * 86400) < 86400
    finally:
        context.close()


@pytest.mark.parametrize("source", ["shipped", "renamed"])
def test_klaro_stores_the_choice_in_the_declared_cookie(browser, local_site, renamed, source):
    folder = local_site.root / "api/consent" if source == "shipped" else renamed
    config = json.loads((folder / "klaro.json").read_text(encoding="utf-8"))
    name, days = _declared(ROOT / "content") if source == "shipped" else (RENAMED, 182)
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(local_site.base_url + "nl/cookies/")
        page.evaluate("config => { window.klaroConfig = config; }", config)
        page.add_script_tag(path=str(KLARO))
        assert _set_cookies(context) == {}  # nothing before a choice
        page.evaluate("""() => { const manager = klaro.getManager();
                                 manager.changeAll(true); manager.saveAndApplyConsents(); }""")
        now = page.evaluate("() => Date.now() / 1000")
        cookies = _set_cookies(context)
        assert list(cookies) == [name]
        assert abs(cookies[name] - now - days * 86400) < 86400
        assert not errors
    finally:
        context.close()
