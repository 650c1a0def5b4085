"""The consent cookie and the cookie settings link (issue 19, item 13), without a browser
(``test_consent_browser.py`` runs the tools): what the exports configure, with and without
``consent_tool``, and what the change list says when the link or the sections on
profiling and children change."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from generator.content.model import build_site
from generator.export.consent_cookie import expiry_days
from generator.pipeline import Project, load_and_validate
from generator.render import changes

from .conftest import ROOT
from .test_change_list import NEW, _described, _rewrite


@pytest.mark.parametrize(("expiry", "days"), [
    ("P6M", 182), ("P12M", 365), ("P1Y", 365), ("P13M", 395), ("P30D", 30), ("P2W", 14),
    ("P1Y6M", 547), ("P1DT12H", 1), ("PT12H", None), ("session", None)])
def test_a_cookie_s_expiry_in_the_whole_days_the_tools_count(expiry, days):
    assert expiry_days(expiry) == days


def _edit_cookies(data: dict) -> None:
    data["settings_link"]["href"] = "/cookie-instellingen"


def _edit_privacy(data: dict) -> None:
    adm = data["automated_decision_making"]
    del adm["used"]
    adm["profiling"] = {"used": False}
    adm["decisions"] = {"used": False}
    data["children"] = {"title": {"nl": "Kinderen", "en": "Children"},
                        "aimed_at_children": False}


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    content = tmp_path_factory.mktemp("consent-settings") / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "lock.json").unlink()
    shutil.rmtree(content / "versions/2020-10-01")
    shutil.rmtree(content / "versions/2027-01-01")  # the case edits 2026-04-01
    new = content / "versions" / NEW
    shutil.copytree(content / "versions/2026-04-01", new)
    _rewrite(new / "cookies.yaml", _edit_cookies)
    _rewrite(new / "privacy.yaml", _edit_privacy)
    valid = load_and_validate(Project.at(ROOT, content=content))
    return build_site(valid, date(2027, 6, 1), drafts=False).versions


def test_the_change_list_names_the_settings_link_and_the_sections(versions):
    old, new = versions
    assert _described(changes.cookie_changes(old, new), "en") == [
        "The link to the cookie settings was changed"]
    assert _described(changes.cookie_changes(old, new), "nl") == [
        "De link naar de cookie-instellingen is gewijzigd"]
    assert _described(changes.cookie_changes(new, old), "en") == [
        "The link to the cookie settings was changed"]
    privacy = _described(changes.document_changes("privacy", old, new), "en")
    assert privacy == [
        "Section ‘Automated decision-making and profiling’ — profiling, used: not stated → "
        "no",
        "Section ‘Automated decision-making and profiling’ — decisions based solely on "
        "automated processing (Art. 22), taken: not stated → no",
        "Section ‘Children’: text changed"]


def test_without_consent_tool_the_exports_keep_the_tools_own_cookies(tmp_path):
    from .conftest import TODAY, relock, run_build

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    cookies = content / "versions/2026-04-01/cookies.yaml"
    text = cookies.read_text(encoding="utf-8")
    start = text.index("\nconsent_tool:")
    cookies.write_text(text[:start] + text[text.index("\n\n", start):], encoding="utf-8")
    relock(content)
    out = tmp_path / "site"
    result = run_build("build", "--content", str(content), "--out", str(out), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    cookieconsent = json.loads((out / "api/consent/cookieconsent.json").read_text())
    klaro = json.loads((out / "api/consent/klaro.json").read_text())
    assert cookieconsent["cookie"] == {"name": "cc_cookie"}
    assert klaro["cookieName"] == "klaro" and "storageName" not in klaro
    assert "cookieExpiresAfterDays" not in klaro
