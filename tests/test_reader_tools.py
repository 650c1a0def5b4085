"""What a reader is given beyond the text: the e-mail a right is exercised with, and the
change notice's period (site.yaml ``change_notice_days``) against fixed build dates."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import Markup

from generator.render.environment import mailto

from .conftest import relock, run_build


def test_mailto_encodes_subject_and_body_whole():
    url = mailto("privacy@example.nl", Markup("Verzoek: recht van inzage (artikel 15 AVG)"),
                 Markup("Geachte Lindehof &amp; Co,\n\nIk vraag: a+b=c?\n"))
    parts = urlsplit(url)
    assert parts.scheme == "mailto" and parts.path == "privacy@example.nl"
    assert " " not in url and "\n" not in url and "+" not in parts.query
    asked = parse_qs(parts.query)
    assert asked["subject"] == ["Verzoek: recht van inzage (artikel 15 AVG)"]
    assert asked["body"] == ["Geachte Lindehof & Co,\r\n\r\nIk vraag: a+b=c?"]


@pytest.mark.parametrize("today, days, shown", [
    ("2026-04-01", None, True), ("2026-04-30", None, True), ("2026-05-01", None, False),
    ("2026-03-31", None, False), ("2026-04-10", "7", False)])
def test_change_notice_for_a_while_after_a_version_takes_effect(content, tmp_path, today,
                                                                days, shown):
    if days is not None:
        site_yaml = content / "site.yaml"
        site_yaml.write_text(site_yaml.read_text("utf-8") + f"change_notice_days: {days}\n",
                             "utf-8")
        relock(content)
    out = tmp_path / "site"
    result = run_build("build", "--content", str(content), "--out", str(out), "--today", today)
    assert result.returncode == 0, result.stderr
    for lang, said in (("nl", "Gewijzigd op"), ("en", "Changed on")):
        page = (out / f"{lang}/privacy/index.html").read_text("utf-8")
        fragment = (out / f"embed/{lang}/privacy.html").read_text("utf-8")
        assert (said in page) is shown and (said in fragment) is shown
        assert ('href="2026-04-01/compare/"' in page) is shown
        # the dated pages and fragments never say it: the lock holds their text
        assert said not in (out / f"{lang}/privacy/2026-04-01/index.html").read_text("utf-8")
        assert said not in (out / f"embed/{lang}/privacy/2026-04-01.html").read_text("utf-8")
    if today == "2026-03-31":  # announced, as before: the notice of the coming version
        page = (out / "en/privacy/index.html").read_text("utf-8")
        assert "A new version takes effect on 1 April 2026." in page


def test_the_comparison_links_its_texts_links_from_where_it_is():
    """The articles compared link as their version pages do; on the comparison page (a
    folder deeper) each relative link leads where it did, a place in the article to the
    later version's page; links with a scheme stay as they are."""
    from generator.render.change_marks import mark_changes
    redline = Markup(
        '<p class="pd-redline-p" id="change-1"><a href="#purposes">doelen</a>, '
        '<a href="../../privacy/">privacy</a>, <a href="../history/">versies</a>, '
        '<a href="https://example.org/">elders</a>, <a href="mailto:a@b.nl">mail</a></p>')
    marked = mark_changes(redline, "Next (%(number)s of %(count)s)", "Back", "../")
    assert marked.count == 1
    text = str(marked.text)
    for href in ("../#purposes", "../../../privacy/", "../../history/", "https://example.org/",
                 "mailto:a@b.nl", "#changes"):
        assert f'href="{href}"' in text, href
