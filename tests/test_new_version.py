"""``new-version`` (a draft copied from the newest version) and ``init`` (a skeleton)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from generator.pipeline import Project

from .conftest import ROOT, TODAY, run_build

NEWEST = "2027-01-01"
DAY_AFTER = "2027-01-02"  # the default date while today is before the newest


def version_files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def test_new_version_copies_the_newest_into_a_draft(content):
    result = run_build("new-version", "--content", str(content), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    draft = content / "versions" / DAY_AFTER
    assert f"Created the draft {draft}" in result.stdout
    copied, source = version_files(draft), version_files(content / "versions" / NEWEST)
    assert copied.keys() == source.keys()
    assert {name for name in copied if copied[name] != source[name]} == {"version.yaml"}
    meta = copied["version.yaml"].decode("utf-8")
    assert meta.startswith("# yaml-language-server: $schema=../../schema/version.schema.json\n")
    assert "\nstatus: draft\n" in meta and f"\nlast_changed: {DAY_AFTER}\n" in meta
    # a draft is left out of a real build, and shown with --drafts once it changes something
    out = content.parent / "site"
    assert run_build("--content", str(content), "--out", str(out), "--today", TODAY
                     ).returncode == 0
    assert not (out / "en" / "privacy" / DAY_AFTER).exists()
    (draft / "privacy.yaml").write_text((draft / "privacy.yaml").read_text(encoding="utf-8")
                                        .replace("en: Privacy Statement MKB serviceshop",
                                                 "en: Privacy Statement (new)", 1),
                                        encoding="utf-8")
    result = run_build("--content", str(content), "--out", str(out), "--today", TODAY,
                       "--drafts")
    assert result.returncode == 0, result.stderr
    page = (out / "en" / "privacy" / DAY_AFTER / "index.html").read_text(encoding="utf-8")
    assert "Privacy Statement (new)" in page and "<strong>Draft:</strong>" in page


def test_new_version_then_release(content):
    assert run_build("new-version", "--content", str(content), "--date", "2027-06-01"
                     ).returncode == 0
    result = run_build("release", "--content", str(content), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    assert "\nstatus: released\n" in (content / "versions/2027-06-01/version.yaml").read_text(
        encoding="utf-8")


def test_default_date_is_the_day_after_the_newest_when_today_is_not_later(content):
    result = run_build("new-version", "--content", str(content), "--today", NEWEST)
    assert result.returncode == 0, result.stderr
    assert (content / "versions" / DAY_AFTER / "version.yaml").is_file()


@pytest.mark.parametrize("date", [NEWEST, "2026-12-31"])
def test_new_version_refuses_a_date_not_after_the_newest(content, date):
    before = sorted(p.name for p in (content / "versions").iterdir())
    result = run_build("new-version", "--content", str(content), "--date", date)
    assert result.returncode == 2
    assert result.stderr == (f"build.py: the new version's date {date} must be after the "
                             f"newest version ({NEWEST}); use --date {DAY_AFTER} or later\n")
    assert sorted(p.name for p in (content / "versions").iterdir()) == before


def test_new_version_refuses_while_the_newest_is_a_draft(content):
    assert run_build("new-version", "--content", str(content), "--date", "2027-06-01"
                     ).returncode == 0
    result = run_build("new-version", "--content", str(content), "--date", "2027-02-01")
    assert result.returncode == 2
    assert "the newest version 2027-06-01 is still a draft" in result.stderr
    assert not (content / "versions" / "2027-02-01").exists()


def test_new_version_refuses_broken_content(content):
    meta = content / "versions" / NEWEST / "version.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("status: released",
                                                             "status: releasd"),
                    encoding="utf-8")
    result = run_build("new-version", "--content", str(content), "--date", "2027-06-01")
    assert result.returncode == 1
    assert f"content/versions/{NEWEST}/version.yaml:5:9:" in result.stderr  # after its comment
    assert "Traceback" not in result.stderr
    assert not (content / "versions" / "2027-06-01").exists()


@pytest.fixture
def skeleton(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    result = run_build("init", "org", "--date", TODAY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "org"


def test_init_writes_a_skeleton_that_builds_at_once(skeleton):
    files = sorted(p.relative_to(skeleton).as_posix() for p in skeleton.rglob("*.yaml"))
    assert files == ["site.yaml"] + [f"versions/{TODAY}/{name}.yaml" for name in (
        "cookies", "data_categories", "organisation", "privacy", "purposes", "recipients",
        "version")]
    assert (skeleton / "schema" / "privacy.schema.json").is_file()  # for the modelines
    assert "\nstatus: draft\n" in (skeleton / f"versions/{TODAY}/version.yaml").read_text(
        encoding="utf-8")
    out = skeleton.parent / "site"
    for drafts in ((), ("--drafts",)):
        result = run_build("--content", str(skeleton), "--out", str(out), "--today", TODAY,
                           *drafts)
        assert result.returncode == 0, result.stderr
    page = (out / "en" / "privacy" / TODAY / "index.html").read_text(encoding="utf-8")
    assert "[What this statement is about and for whom.]" in page
    assert "<strong>Draft:</strong>" in page


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / "site.yaml").write_text("keep me\n", encoding="utf-8")
    result = run_build("init", str(tmp_path / "org"))
    assert result.returncode == 2
    assert "exists and is not an empty folder" in result.stderr
    assert (tmp_path / "org" / "site.yaml").read_text(encoding="utf-8") == "keep me\n"


@pytest.mark.skipif(importlib.util.find_spec("generator.check.run") is None,
                    reason="generator/check/run.py (the GDPR check) is not there yet")
def test_check_lists_what_the_skeleton_lacks(skeleton):
    from generator.check.run import run_check

    result = run_check(Project.at(ROOT, content=skeleton))
    found = sorted((f.rule, f.severity, f.location.path.rsplit("/", 1)[-1])
                   for f in result.findings)
    assert found == sorted([
        ("P03", "warning", "organisation.yaml"),  # no DPO, nor 'dpo: none' (where applicable)
        ("P10", "error", "data_categories.yaml"),  # no retention
        ("P15", "error", "data_categories.yaml"),  # no provision / consequence
        ("P16", "warning", "privacy.yaml"),  # automated decision-making not stated
        *[("P11", "error", "privacy.yaml")] * 6,  # none of the six rights explained
        *[("C04", "warning", "cookies.yaml")] * 2,  # controller not named, nl and en
        # placeholders in [square brackets] still to fill in, per file
        *[("P22", "error", "cookies.yaml")] * 16,  # with the consent cookie's provider
        *[("P22", "error", "data_categories.yaml")] * 6,
        *[("P22", "error", "organisation.yaml")] * 5,
        *[("P22", "error", "privacy.yaml")] * 30,  # with the security section
        *[("P22", "error", "purposes.yaml")] * 6,
        *[("P22", "error", "recipients.yaml")] * 4,
        *[("P22", "error", "site.yaml")] * 2,  # the site's title, nl and en
    ])
