"""The lock: released versions keep the text customers read; errata and release."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.content import lock
from generator.errors import ContentError
from generator.pipeline import Project, build

from .conftest import ROOT, TODAY, run_build
from .test_statement import page_text


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _build(*extra: str) -> tuple[int, str]:
    result = run_build("build", "--content", "content", "--out", "site", "--today", TODAY,
                       *extra)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr


def test_the_shipped_content_matches_its_lock(locked_content):
    code, errors = _build()
    assert code == 0, errors
    recorded = json.loads((locked_content / "lock.json").read_text())["versions"]
    assert sorted(recorded) == ["2020-10-01", "2026-04-01", "2027-01-01"]
    # the 2020 version holds no cookie statement (the customer's 2020 text had none)
    assert set(recorded["2020-10-01"]["documents"]) == {"privacy"}
    assert set(recorded["2026-04-01"]["documents"]) == {"privacy", "cookies"}
    assert set(recorded["2027-01-01"]["documents"]) == {"privacy", "cookies"}
    assert set(recorded["2020-10-01"]["documents"]["privacy"]) == {"nl", "en"}


def test_editing_a_released_version_fails_naming_version_document_language_passage(
        locked_content, tmp_path):
    _edit(locked_content / "versions/2020-10-01/privacy.yaml",
          "gegevens bewaren voor onze eigen legitieme doelen",
          "gegevens opslaan voor onze eigen legitieme doelen")
    code, errors = _build()
    assert code == 1
    assert not (tmp_path / "site").exists()
    lines = errors.splitlines()
    text_line = next(line for line in lines if "differs from the released text" in line)
    assert text_line.startswith("content/versions/2020-10-01: released version 2020-10-01: "
                                "the privacy statement in Dutch (nl) differs")
    assert "now reads \u201cEr zijn situaties" in text_line
    assert "opslaan voor onze eigen legitieme doelen" in text_line
    assert "python build.py lock 2020-10-01" in text_line
    # The YAML key that changed is located; English text is unchanged, so not named.
    assert any(line.startswith("content/versions/2020-10-01/privacy.yaml:") and
               "'retention' in privacy.yaml changed since the release" in line
               for line in lines)
    assert "in English" not in errors
    assert "2026-04-01" not in errors


def _project_with_copies(content: Path, tmp_path: Path) -> Project:
    templates, locales = tmp_path / "templates", tmp_path / "locales"
    shutil.copytree(ROOT / "templates", templates)
    shutil.copytree(ROOT / "locales", locales)
    return Project(content=content, templates=templates, locales=locales)


def _problems(project: Project, out: Path) -> list[str]:
    with pytest.raises(ContentError) as raised:
        build(project, out, date.fromisoformat(TODAY))
    assert not out.exists()
    return [str(problem) for problem in raised.value.problems]


def test_a_template_change_that_alters_released_text_fails(locked_content, tmp_path):
    project = _project_with_copies(locked_content, tmp_path)
    _edit(project.templates / "cookies.html", "<code>{{ cookie.name }}</code>",
          "<code>{{ cookie.name }}</code>!")
    problems = _problems(project, tmp_path / "site")
    assert problems, "a changed cookie table must not pass"
    assert all("cookie statement" in p for p in problems)
    assert any(p.startswith("content/versions/2026-04-01: released version 2026-04-01: the "
                            "cookie statement in English (en) differs from the released text: "
                            "passage ") for p in problems)
    assert any("the cookie statement in Dutch (nl)" in p for p in problems)


def test_a_catalog_change_that_alters_released_text_fails(locked_content, tmp_path):
    project = _project_with_copies(locked_content, tmp_path)
    catalog = project.locales / "nl/LC_MESSAGES/messages.po"
    _edit(catalog, 'msgstr "Bewaartermijn"', 'msgstr "Opslagduur"')
    problems = _problems(project, tmp_path / "site")
    assert problems
    assert all("in Dutch (nl)" in p for p in problems)
    assert any("Opslagduur" in p for p in problems)


def test_erratum_end_to_end(locked_content, tmp_path):
    meta = locked_content / "versions/2020-10-01/version.yaml"
    _edit(locked_content / "versions/2020-10-01/privacy.yaml",
          "gegevens bewaren voor onze eigen legitieme doelen",
          "gegevens opslaan voor onze eigen legitieme doelen")
    # Without an erratum the lock cannot be updated.
    result = run_build("lock", "2020-10-01", "--content", "content", "--today", TODAY)
    assert result.returncode == 1
    assert "version 2020-10-01 has no new erratum" in result.stderr
    assert meta.read_text().rstrip().splitlines()[-5] == "errata:"  # one erratum already
    meta.write_text(meta.read_text() + (
        "  - date: 2026-12-20\n"
        "    reason:\n"
        "      nl: Taalfout hersteld in de paragraaf over bewaartermijnen.\n"
        "      en: Corrected a wording error in the section on retention.\n"))
    code, errors = _build()
    assert code == 1 and "differs from the released text" in errors
    result = run_build("lock", "2020-10-01", "--content", "content", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert json.loads((locked_content / "lock.json").read_text())[
        "versions"]["2020-10-01"]["errata"] == 2
    code, errors = _build()
    assert code == 0, errors
    nl, _ = page_text(tmp_path / "site/nl/privacy/2020-10-01/index.html")
    en, _ = page_text(tmp_path / "site/en/privacy/2020-10-01/index.html")
    assert "Gecorrigeerd na publicatie" in nl
    assert "20 december 2026: Taalfout hersteld in de paragraaf over bewaartermijnen." in nl
    assert "20 December 2026: Corrected" in en
    assert "Corrected a wording error in the section on retention." in en
    history, _ = page_text(tmp_path / "site/en/privacy/history/index.html")
    assert "Corrected a wording error" in history
    # The same erratum cannot be used twice.
    result = run_build("lock", "2020-10-01", "--content", "content", "--today", TODAY)
    assert result.returncode == 1


def _add_draft(content: Path, name: str) -> Path:
    draft = content / "versions" / name
    shutil.copytree(content / "versions/2027-01-01", draft)  # the newest shipped
    _edit(draft / "version.yaml", "status: released", "status: draft")
    _edit(draft / "cookies.yaml", "expiry: P13M", "expiry: P6M")
    return draft


def test_release_turns_the_draft_into_a_locked_version(locked_content, tmp_path):
    _add_draft(locked_content, "2027-03-01")
    result = run_build("release", "--content", "content", "--date", "2027-06-01",
                       "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert not (locked_content / "versions/2027-03-01").exists()
    released = locked_content / "versions/2027-06-01/version.yaml"
    assert "status: released" in released.read_text()
    recorded = json.loads((locked_content / "lock.json").read_text())["versions"]
    assert set(recorded) == {"2020-10-01", "2026-04-01", "2027-01-01", "2027-06-01"}
    # Only the cookie statement changed in it, so only that text is locked.
    assert set(recorded["2027-06-01"]["documents"]) == {"cookies"}
    code, errors = _build()
    assert code == 0, errors
    assert (tmp_path / "site/nl/cookies/2027-06-01/index.html").is_file()
    # Nothing left to release.
    result = run_build("release", "--content", "content", "--today", TODAY)
    assert result.returncode == 1
    assert "there is no draft to release" in result.stderr


def test_release_refuses_when_a_locked_version_changed(locked_content):
    _add_draft(locked_content, "2027-03-01")
    _edit(locked_content / "versions/2026-04-01/cookies.yaml", "expiry: P12M", "expiry: P24M")
    before = (locked_content / "lock.json").read_bytes()
    result = run_build("release", "--content", "content", "--today", TODAY)
    assert result.returncode == 1
    assert "released version 2026-04-01" in result.stderr
    assert (locked_content / "lock.json").read_bytes() == before
    assert "status: draft" in (locked_content / "versions/2027-03-01/version.yaml").read_text()


def test_a_released_version_cannot_disappear(locked_content):
    shutil.rmtree(locked_content / "versions/2026-04-01")
    code, errors = _build()
    assert code == 1
    assert "content/lock.json: released version 2026-04-01 is in the lock but its folder" in errors


def test_a_broken_lock_file_is_reported_located(locked_content):
    (locked_content / "lock.json").write_text('{"versions": {,}}')
    code, errors = _build()
    assert code == 1
    assert errors.startswith("content/lock.json:1:")


def test_passages_are_the_visible_text():
    fragment = ('<article class="pd-doc"><h2 id="x">Kop &amp; <em>meer</em></h2>'
                '<p>Een <a href="https://e.nl/">link</a>\n  tekst.</p><ul><li>a</li></ul>'
                '</article>')
    assert lock.passages(fragment) == ["Kop & meer", "Een link tekst.", "a"]


def test_a_new_optional_schema_field_does_not_unlock_released_versions():
    """Fingerprints cover what the editor wrote, not defaults the validator fills in."""
    from generator.content.model import build_site
    from generator.pipeline import load_and_validate

    site = build_site(load_and_validate(Project.at(ROOT)), date.fromisoformat(TODAY), False)
    version = site.versions[0]
    before = lock.model_fingerprints(version)
    version.files["organisation.yaml"]["a_future_field"] = "its default"
    assert lock.model_fingerprints(version) == before
    version.files["organisation.yaml"]["trade_name"] = "Another name"
    assert lock.model_fingerprints(version) != before


def test_a_version_released_by_hand_is_refused_until_release_records_it(locked_content,
                                                                        tmp_path):
    """The lock cannot be bypassed: a future version written as released, never recorded
    by 'release', is not published as announced; 'release VERSION' adopts it, explicitly."""
    folder = _add_draft(locked_content, "2027-06-01")
    _edit(folder / "version.yaml", "status: draft", "status: released")
    code, errors = _build()
    assert code == 1
    assert not (tmp_path / "site").exists()
    status = next(number for number, line in enumerate(
        (folder / "version.yaml").read_text().splitlines(), 1) if line.startswith("status:"))
    assert errors.startswith(f"content/versions/2027-06-01/version.yaml:{status}:9: version "
                             "2027-06-01 says 'status: released' but was never released")
    assert "'python build.py release 2027-06-01'" in errors
    result = run_build("release", "--content", "content", "2027-06-01", "--today", TODAY)
    assert result.returncode == 0, result.stderr
    code, errors = _build()
    assert code == 0, errors
    assert "2027-06-01" in (tmp_path / "site/nl/cookies/index.html").read_text()


def test_a_missing_lock_file_leaves_no_released_version_unlocked(locked_content):
    (locked_content / "lock.json").unlink()
    code, errors = _build()
    assert code == 1
    assert "version 2020-10-01 says 'status: released' but was never released" in errors
    assert "version 2026-04-01 says 'status: released' but was never released" in errors


def test_passages_in_one_pass_are_the_passages_block_by_block(built_site):
    """passages() reads a whole fragment at once; block by block is the definition."""
    fragments = sorted((built_site / "embed").rglob("*.html"))
    assert fragments
    for path in fragments:
        text = path.read_text(encoding="utf-8")
        assert lock.passages(text) == lock._passages_by_block(text), path


_PIECES = ["<p>", "</p>", "<li class='x'>", "</LI>", "<br/>", "<em>", "</em>", "<a href='#'>",
           "&amp;", "&lt;b&gt;", "&nbsp;", "&#x202F;", " ", "\n  ", "\t", "\u00a0", "\u2003",
           "word", "w&ouml;rd", "<h2 id=x>", "</h2>", "<td>", "<", ">", "&", "<p", "x\u3000y",
           "&amp", "&#65", "&#x41", "&ouml", "#", ";"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_passages_in_one_pass_hold_for_any_markup(pieces):
    fragment = "".join(pieces)
    assert lock.passages(fragment) == lock._passages_by_block(fragment)
