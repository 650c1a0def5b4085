"""Incremental rebuilds: after any change, the output equals a clean build's, byte for byte.

Each test builds once with the cache, changes one kind of input, rebuilds
incrementally into the same folder and compares every file with a clean
build (no cache) of the changed input. Released versions edited here are
recorded in the lock again before each build (``relock``: editing a released
text is the lock's business, test_lock), except in the tests showing that the
cache never lets an edit past the lock.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import CACHE_FOLDER
from generator.commands.serve import Preview
from generator.errors import ContentError
from generator.incremental import version_cache
from generator.output.folder import MARKER
from generator.pipeline import Project, build

from .conftest import ROOT, TODAY, relock

DAY = date.fromisoformat(TODAY)


@pytest.fixture
def project(content: Path, tmp_path: Path) -> Project:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return Project(content=content, templates=tmp_path / "templates",
                   locales=tmp_path / "locales")


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def assert_same_as_clean(project: Project, out: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    relock(project)
    build(project, clean, DAY)
    incremental_files, clean_files = tree(out), tree(clean)
    assert sorted(incremental_files) == sorted(clean_files)
    different = [p for p in clean_files if incremental_files[p] != clean_files[p]]
    assert not different, f"differ from a clean build: {different[:5]}"


def newest(project: Project) -> Path:
    return sorted((project.content / "versions").iterdir())[-1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def add_version(project: Project, name: str = "2027-10-01") -> Path:
    """A version after the newest: the newest one copied, with a cookie's expiry changed."""
    folder = project.content / "versions" / name
    shutil.copytree(newest(project), folder)
    edit(folder / "cookies.yaml", "expiry: P6M", "expiry: P3M")
    return folder


@pytest.fixture
def site(project: Project, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build(project, out, DAY, cache=tmp_path / CACHE_FOLDER)
    return out


def rebuild(project: Project, out: Path, tmp_path: Path, relocked: bool = True):
    """Build again with the cache; ``relocked``: after recording the released versions as
    they now read (see the module's docstring)."""
    if relocked:
        relock(project)
    return build(project, out, DAY, cache=tmp_path / CACHE_FOLDER)


def inode(out: Path, path: str) -> int:
    return (out / path).stat().st_ino


def test_no_change_writes_nothing(project, site, tmp_path):
    before = {p: inode(site, p) for p in tree(site)}
    files = rebuild(project, site, tmp_path)
    assert sorted([*files, MARKER]) == sorted(before)
    assert {p: inode(site, p) for p in tree(site)} == before, "the site was rewritten"
    assert_same_as_clean(project, site, tmp_path)


def test_text_edit_in_newest_version_renders_only_that_version(project, site, tmp_path):
    old_page, new_page = "nl/privacy/2020-10-01/index.html", "nl/privacy/2027-01-01/index.html"
    before = inode(site, old_page), inode(site, new_page)
    edit(newest(project) / "purposes.yaml", "Wanneer u een bestelling plaatst",
         "Wanneer u een bestelling (gewijzigd) plaatst")
    rebuild(project, site, tmp_path)
    assert "(gewijzigd)" in (site / new_page).read_text("utf-8")
    assert inode(site, old_page) == before[0], "an unchanged version was rendered again"
    assert inode(site, new_page) != before[1]
    assert_same_as_clean(project, site, tmp_path)
    for number in range(2):  # and again: what the last build kept, the next one keeps too
        edit(newest(project) / "purposes.yaml", "(gewijzigd", f"(gewijzigd {number}")
        rebuild(project, site, tmp_path)
        assert inode(site, old_page) == before[0], "an unchanged version was rendered again"
    assert_same_as_clean(project, site, tmp_path)


def test_history_and_feed_entries_of_unchanged_versions_are_kept(project, site, tmp_path,
                                                                   monkeypatch):
    from generator.render.environment import Renderer
    edit(newest(project) / "purposes.yaml", "Wanneer u een bestelling plaatst",
         "Wanneer u een bestelling (gewijzigd) plaatst")
    relock(project)
    made = []
    render = Renderer.render

    def counting(self, lang, template, **context):
        if template in ("_history_entry.html", "_feed_entry.xml"):
            entry = context.get("entry") or context["item"]["entry"]
            made.append((template, lang, entry.document, entry.name))
        return render(self, lang, template, **context)
    monkeypatch.setattr(Renderer, "render", counting)
    rebuild(project, site, tmp_path, relocked=False)
    assert made and {name for *_, name in made} == {newest(project).name}
    assert len(made) == len(set(made)) <= 8  # 2 languages x 2 documents x (history, feed)
    assert "(gewijzigd)" not in (site / "nl/privacy/history/index.html").read_text("utf-8")
    assert_same_as_clean(project, site, tmp_path)


def test_a_cookie_edit_leaves_the_privacy_pages_as_they_were(project, site, tmp_path):
    privacy, cookies = "nl/privacy/2027-01-01/index.html", "nl/cookies/2027-01-01/index.html"
    before = inode(site, privacy), inode(site, cookies)
    edit(newest(project) / "cookies.yaml", "expiry: P6M", "expiry: P3M")
    rebuild(project, site, tmp_path)
    assert inode(site, privacy) == before[0], "the privacy statement was rendered again"
    assert inode(site, cookies) != before[1]
    assert_same_as_clean(project, site, tmp_path)


def test_new_version(project, site, tmp_path):
    folder = project.content / "versions" / "2027-10-01"
    shutil.copytree(newest(project), folder)
    edit(folder / "cookies.yaml", "expiry: P6M", "expiry: P3M")
    rebuild(project, site, tmp_path)
    assert (site / "nl/cookies/2027-10-01/index.html").is_file()
    assert_same_as_clean(project, site, tmp_path)


def test_versions_removed_and_added_again(project, site, tmp_path):
    """The site replaced by each build is the next one's staging folder: files and folders
    it held that the new site does not must go, and none of its files is written into."""
    add_version(project)
    rebuild(project, site, tmp_path)
    kept = tree(site)
    shutil.rmtree(newest(project))
    rebuild(project, site, tmp_path)
    assert not (site / "nl/cookies/2027-10-01").exists()
    assert_same_as_clean(project, site, tmp_path)
    add_version(project)
    rebuild(project, site, tmp_path)
    assert tree(site) == kept
    assert_same_as_clean(project, site, tmp_path)


def test_template_change(project, site, tmp_path):
    edit(project.templates / "_macros.html", 'class="pd-meta"', 'class="pd-meta pd-changed"')
    rebuild(project, site, tmp_path)
    assert "pd-changed" in (site / "en/privacy/2020-10-01/index.html").read_text("utf-8")
    assert_same_as_clean(project, site, tmp_path)


def test_catalog_change(project, site, tmp_path):
    catalog = project.locales / "nl" / "LC_MESSAGES" / "messages.po"
    text = catalog.read_text("utf-8")
    changed = re.sub(r'(msgid "Versions and changes"\nmsgstr ")[^"]*"', r'\1Alle versies"', text)
    assert changed != text
    catalog.write_text(changed, "utf-8")
    rebuild(project, site, tmp_path)
    assert "Alle versies" in (site / "nl/privacy/2020-10-01/index.html").read_text("utf-8")
    assert_same_as_clean(project, site, tmp_path)


def test_an_output_folder_removed_by_hand_is_built_again(project, site, tmp_path):
    shutil.rmtree(site)
    rebuild(project, site, tmp_path)  # nothing changed in the inputs: not a no-op
    assert_same_as_clean(project, site, tmp_path)


def test_a_page_edited_by_hand_is_rendered_again(project, site, tmp_path):
    page = site / "en/privacy/2020-10-01/index.html"
    page.write_text("defaced", "utf-8")
    (site / "stray.html").write_text("not ours", "utf-8")
    rebuild(project, site, tmp_path)
    assert_same_as_clean(project, site, tmp_path)
    # the defaced site is now the spare the next builds write into (its pages share
    # their files with the live site's): nothing of it comes back
    for number in range(2):
        edit(newest(project) / "purposes.yaml", "Wanneer u een bestelling",
             f"Wanneer u een bestelling ({number})")
        rebuild(project, site, tmp_path)
        assert_same_as_clean(project, site, tmp_path)
    page.write_text("defaced again", "utf-8")  # in place: the spare's file is the same file
    edit(newest(project) / "purposes.yaml", "bestelling (1)", "bestelling (2)")
    rebuild(project, site, tmp_path)
    assert_same_as_clean(project, site, tmp_path)
    rebuild(project, site, tmp_path)
    assert_same_as_clean(project, site, tmp_path)


def test_the_cache_is_safe_to_delete(project, site, tmp_path):
    shutil.rmtree(tmp_path / CACHE_FOLDER)
    edit(newest(project) / "privacy.yaml", "MKB serviceshop", "MKB serviceshop B.V.")
    rebuild(project, site, tmp_path)
    assert_same_as_clean(project, site, tmp_path)
    assert os.listdir(tmp_path / CACHE_FOLDER)


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The content files an unchanged version had parsed again (lazily), by path."""
    seen: list[str] = []
    real = version_cache.parse_yaml

    def counting(data, path, problems):
        seen.append(Path(path).as_posix())
        return real(data, path, problems)
    monkeypatch.setattr(version_cache, "parse_yaml", counting)
    return seen


def test_an_unchanged_version_is_not_parsed_again(project, tmp_path, parsed):
    add_version(project)
    site = tmp_path / "site"
    rebuild(project, site, tmp_path)
    parsed.clear()
    edit(newest(project) / "cookies.yaml", "Wij delen cookies in",
         "Wij delen cookies (gewijzigd) in")
    rebuild(project, site, tmp_path)
    assert any("/2027-01-01/cookies.yaml" in path for path in parsed)  # compared with
    old = [path for path in parsed if "/2020-10-01/" in path]
    # the history, the feed and the API index read the summary and dates of every version
    assert all(path.endswith("/version.yaml") for path in old), old
    assert_same_as_clean(project, site, tmp_path)


def test_the_first_version_edited(project, site, tmp_path):
    edit(project.content / "versions" / "2020-10-01" / "purposes.yaml",
         "Wanneer u een bestelling doet", "Wanneer u een bestelling (gewijzigd) doet")
    rebuild(project, site, tmp_path)
    assert "(gewijzigd)" in (site / "nl/privacy/2020-10-01/index.html").read_text("utf-8")
    assert_same_as_clean(project, site, tmp_path)


def test_a_broken_edit_is_found_though_the_version_was_cached(project, site, tmp_path):
    edit(newest(project) / "purposes.yaml", "Wanneer u een bestelling plaatst",
         "Wanneer u een bestelling (gewijzigd) plaatst")
    rebuild(project, site, tmp_path)  # the replaced site is now kept as the spare
    before = tree(site)
    edit(project.content / "versions" / "2020-10-01" / "purposes.yaml",
         "data_categories: [contact, company, order]",
         "data_categories: [contact, company, orders]")
    with pytest.raises(ContentError) as error:
        rebuild(project, site, tmp_path)
    assert "2020-10-01/purposes.yaml" in str(error.value.problems.sorted()[0].location)
    assert tree(site) == before
    assert [p.name for p in site.parent.iterdir() if p.name.startswith(".staging")] == []
    cache = tmp_path / CACHE_FOLDER
    assert [p for p in cache.iterdir() if p.name.startswith("spare-")], "the spare was lost"
    edit(project.content / "versions" / "2020-10-01" / "purposes.yaml",
         "data_categories: [contact, company, orders]",
         "data_categories: [contact, company, order]")
    edit(project.templates / "_macros.html", 'class="pd-meta"', 'class="pd-meta pd-changed"')
    rebuild(project, site, tmp_path)  # renders everything into the spare given back
    assert_same_as_clean(project, site, tmp_path)


def test_draft_toggled(project, site, tmp_path):
    meta = newest(project) / "version.yaml"
    edit(meta, "status: released", "status: draft")
    relock(project)
    build(project, site, DAY, drafts=True, cache=tmp_path / CACHE_FOLDER)
    clean = tmp_path / "clean-drafts"
    build(project, clean, DAY, drafts=True)
    assert tree(site) == tree(clean)
    rebuild(project, site, tmp_path)  # without drafts: the draft is left out
    assert not (site / "nl/privacy/2027-01-01").exists()
    assert_same_as_clean(project, site, tmp_path)
    edit(meta, "status: draft", "status: released")
    rebuild(project, site, tmp_path)
    assert (site / "nl/privacy/2027-01-01/index.html").is_file()
    assert_same_as_clean(project, site, tmp_path)


def test_a_draft_that_is_not_the_newest_is_refused_though_cached(project, site, tmp_path):
    edit(project.content / "versions" / "2020-10-01" / "version.yaml", "status: released",
         "status: draft")
    with pytest.raises(ContentError) as error:
        rebuild(project, site, tmp_path)
    assert "only the newest version may be a draft" in str(error.value.problems.sorted()[0])


# The lock: the cache remembers checks that passed, never lets a change past one.

@pytest.fixture
def locked(locked_content: Path, tmp_path: Path) -> tuple[Project, Path]:
    """A project with its lock, built once with the cache."""
    content = locked_content
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    project = Project(content=content, templates=tmp_path / "templates",
                      locales=tmp_path / "locales")
    out = tmp_path / "site"
    rebuild(project, out, tmp_path, relocked=False)
    return project, out


@pytest.mark.parametrize("version", ["2020-10-01", "2026-04-01"])
def test_a_text_edit_in_a_released_version_still_fails_the_lock(locked, tmp_path, version):
    project, out = locked
    before = tree(out)
    edit(project.content / "versions" / version / "purposes.yaml",
         "Wanneer u een bestelling doet", "Wanneer u een bestelling (gewijzigd) doet")
    with pytest.raises(ContentError) as error:
        rebuild(project, out, tmp_path, relocked=False)
    assert f"released version {version}" in str(error.value.problems.sorted()[0])
    assert tree(out) == before


def test_a_template_change_to_released_text_still_fails_the_lock(locked, tmp_path):
    project, out = locked
    rebuild(project, out, tmp_path, relocked=False)  # the lock checks passed and are cached
    edit(project.templates / "_macros.html", 'class="pd-meta">', 'class="pd-meta">Bewerkt. ')
    with pytest.raises(ContentError) as error:
        rebuild(project, out, tmp_path, relocked=False)
    assert "differs from the released text" in str(error.value.problems.sorted()[0])


def test_the_lock_check_passes_from_the_cache(locked, tmp_path, monkeypatch):
    project, out = locked
    (out / "stray.html").write_text("not ours", "utf-8")  # not a no-op: the build runs
    checked = []
    from generator.content import lock
    real = lock._verify_version
    monkeypatch.setattr("generator.content.lock._verify_version",
                        lambda *args: checked.append(args[2].name) or real(*args))
    rebuild(project, out, tmp_path, relocked=False)
    assert checked == []
    assert not (out / "stray.html").exists()


# serve: the same incremental build, its pages finished for the preview

def test_serve_builds_incrementally_with_its_reload_script(project, tmp_path, parsed):
    add_version(project)
    preview = Preview(project, tmp_path / "preview" / "site", DAY, stream=open(os.devnull, "w"))
    preview.script_source = "'sha256-first'"
    relock(project)
    assert preview.build()
    page = preview.out / "nl/privacy/2020-10-01/index.html"
    assert "'sha256-first'" in page.read_text("utf-8")
    edit(newest(project) / "cookies.yaml", "Wij delen cookies in",
         "Wij delen cookies (gewijzigd) in")
    relock(project)
    inode_before = page.stat().st_ino
    parsed.clear()
    assert preview.build()
    assert page.stat().st_ino == inode_before, "an unchanged version was rendered again"
    assert all(path.endswith("/version.yaml") for path in parsed if "/2020-10-01/" in path)
    preview.script_source = "'sha256-second'"  # another server: every page finished anew
    assert preview.build()
    assert "'sha256-second'" in page.read_text("utf-8")
    assert "'sha256-first'" not in "".join(
        p.read_text("utf-8") for p in preview.out.rglob("*.html"))
    preview.stream.close()


def test_a_draft_edited_renders_again_only_its_own_pages(project, tmp_path):
    """Every page shows of a draft (or an announced version) only its date: an edit of
    the draft, as in the preview, renders the draft's pages and the lists of all
    versions again, and keeps the other versions' pages, the current one's included."""
    from generator.commands.new_version import new_version
    out, cache = tmp_path / "site", tmp_path / CACHE_FOLDER
    draft = new_version(project, date(2027, 3, 1), DAY)
    edit(draft / "privacy.yaml", "Als u klant", "Als u (concept) klant")
    build(project, out, DAY, drafts=True, cache=cache)
    kept = ["nl/privacy/index.html", "nl/privacy/2027-01-01/index.html",
            "nl/privacy/2020-10-01/index.html", "embed/nl/privacy.html"]
    assert "2027-03-01/" in (out / kept[0]).read_text("utf-8")  # it names the draft
    before = {path: inode(out, path) for path in kept}
    for number in range(2):
        edit(draft / "privacy.yaml", "(concept", f"(concept {number}")
        build(project, out, DAY, drafts=True, cache=cache)
        assert {path: inode(out, path) for path in kept} == before
        assert f"(concept {number}" in (out / "nl/privacy/2027-03-01/index.html").read_text(
            "utf-8")
    clean = tmp_path / "clean"
    build(project, clean, DAY, drafts=True)
    assert tree(out) == tree(clean)
