"""The generated cookieconsent v3 configuration in the real library, in Chromium.

On the cookie statement page itself (served from 127.0.0.1), the library from
``node_modules/vanilla-cookieconsent`` is run with ``api/consent/cookieconsent.json``;
its preferences dialog must list the categories and cookies of the statement's own
cookie table, in the page's language (Dutch and English).
"""

from __future__ import annotations

import json

import pytest

from .browser import NODE_MODULES, chromium_missing

COOKIECONSENT = NODE_MODULES / "vanilla-cookieconsent" / "dist"


def _missing() -> str | None:
    if chromium_missing():
        return chromium_missing()
    if not (COOKIECONSENT / "cookieconsent.umd.js").exists():
        return f"{COOKIECONSENT} is missing: run `npm ci` (or .ci/run)"
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
