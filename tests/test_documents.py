"""Issue 19, item 12: a summary per document, a document absent from a version, and a
version that reconstructs an earlier publication (``version.yaml``, ``content/documents.py``).

- ``summaries: {privacy, cookies}``: each document's history, comparison, feed and JSON
  show its own summary; ``summary`` may then be left out, unless a document the version
  holds has none (a located error).
- A version folder without ``cookies.yaml`` has no cookie statement: the document's
  history starts where it first appears; a later version without it is a located error;
  a site where no version holds it has no cookie page, and nothing links to one.
- ``reconstructed: {note}``: the version's pages, history entry, feed entry and JSON say
  so, in both languages.
"""

from __future__ import annotations

import json
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check.run import run_check
from generator.content.documents import check_documents
from generator.content.model import Site, Version, build_site
from generator.errors import ContentError, Problems
from generator.pipeline import Project, build, load_and_validate

from .conftest import ROOT, TODAY, relock, run_build

DAY = date.fromisoformat(TODAY)
OLDEST, NEWEST = "2020-10-01", "2026-04-01"
SHIPPED_NEWEST = "2027-01-01"  # the newest in content/ (the fixture below leaves it out)


@pytest.fixture
def content(content):
    """The shipped content without its newest version, 2027-01-01: the cases here are a
    document absent from the first or both of two versions."""
    shutil.rmtree(content / "versions/2027-01-01")
    lock = json.loads((content / "lock.json").read_text("utf-8"))
    del lock["versions"]["2027-01-01"]
    (content / "lock.json").write_text(json.dumps(lock, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return content

SUMMARIES = """\
summaries:
  privacy:
    nl: Samenvatting van de privacyverklaring.
    en: Summary of the privacy statement.
  cookies:
    nl: Eerste cookieverklaring.
    en: First cookie statement.
"""
ONE_SUMMARY = """\
summary:
  nl: Wat er in deze versie veranderde.
  en: What changed in this version.
"""
RECONSTRUCTED = """\
reconstructed:
  note:
    nl: Deze tekst is de verklaring van 1 oktober 2020; de regels per doel zijn later toegevoegd.
    en: This text is the statement of 1 October 2020; the lines under each purpose were added later.
"""


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def meta_path(content: Path, version: str) -> Path:
    return content / "versions" / version / "version.yaml"


def set_meta(content: Path, version: str, *, drop_summary: bool = False, add: str = "") -> None:
    """Rewrite ``version.yaml``: without its ``summary`` (and any earlier ``summaries`` or
    ``reconstructed``), with ``add`` appended."""
    path = meta_path(content, version)
    kept, skipping = [], False
    for line in path.read_text("utf-8").splitlines(keepends=True):
        top = line[:1] not in (" ", "")
        if top:
            key = line.split(":", 1)[0]
            skipping = key in ("summaries", "reconstructed") or (
                drop_summary and key == "summary")
        if not skipping:
            kept.append(line)
    path.write_text("".join(kept) + add, "utf-8")


def without_cookies(content: Path, *versions: str) -> None:
    for version in versions:
        (content / "versions" / version / "cookies.yaml").unlink(missing_ok=True)


def with_cookies(content: Path, version: str) -> None:
    """Give ``version`` the newest version's cookie statement."""
    target = content / "versions" / version / "cookies.yaml"
    if not target.exists():
        shutil.copyfile(ROOT / "content" / "versions" / NEWEST / "cookies.yaml", target)


def site_of(content: Path, today: date = DAY):
    return build_site(load_and_validate(Project.at(ROOT, content=content)), today, drafts=True)


def problems_of(content: Path) -> str:
    with pytest.raises(ContentError) as raised:
        load_and_validate(Project.at(ROOT, content=content))
    return "\n".join(str(problem) for problem in raised.value.problems)


def built(content: Path, out: Path, **options) -> dict[str, bytes]:
    build(Project.at(ROOT, content=content), out, DAY, **options)
    return tree(out)


def page(out: dict[str, bytes], path: str) -> str:
    return out[path].decode("utf-8")


# --- (a) a summary per document ------------------------------------------------------

def test_each_document_shows_its_own_summary(content, tmp_path):
    with_cookies(content, OLDEST)
    set_meta(content, NEWEST, drop_summary=True, add=SUMMARIES)
    relock(content)
    out = built(content, tmp_path / "site")
    for lang, privacy, cookies in (
            ("en", "Summary of the privacy statement.", "First cookie statement."),
            ("nl", "Samenvatting van de privacyverklaring.", "Eerste cookieverklaring.")):
        for document, own, other in (("privacy", privacy, cookies),
                                     ("cookies", cookies, privacy)):
            history = page(out, f"{lang}/{document}/history/index.html")
            assert own in history and other not in history
            compare = page(out, f"{lang}/{document}/{NEWEST}/compare/index.html")
            assert own in compare and other not in compare
        feed = page(out, f"{lang}/feed.xml")
        assert feed.count(privacy) == 2 and feed.count(cookies) == 2  # summary, content
    index = json.loads(out["api/index.json"])
    for document, expected in (("privacy", "Summary of the privacy statement."),
                               ("cookies", "First cookie statement.")):
        newest = [v for v in index["documents"][document]["versions"]
                  if v["version"] == NEWEST]
        assert newest[0]["summary"]["en"] == expected
    model = json.loads(out[f"api/cookies/{NEWEST}.json"])
    assert model["model"]["version"]["summaries"]["cookies"]["en"] == "First cookie statement."


def test_summaries_fall_back_to_summary(content):
    """A document without its own summary shows the version's ``summary``."""
    set_meta(content, NEWEST, drop_summary=True, add=ONE_SUMMARY + "summaries:\n  cookies:\n"
             "    nl: Alleen cookies.\n    en: Cookies only.\n")
    site = site_of(content)
    newest = {d: site.entry(d, NEWEST) for d in ("privacy", "cookies")}
    assert newest["cookies"].summary["en"] == "Cookies only."
    assert newest["privacy"].summary["en"] == "What changed in this version."


def test_a_document_without_a_summary_is_a_located_error(content):
    set_meta(content, NEWEST, drop_summary=True,
             add="summaries:\n  privacy:\n    nl: Alleen privacy.\n    en: Privacy only.\n")
    lines = meta_path(content, NEWEST).read_text("utf-8").splitlines()
    line = lines.index("summaries:") + 1
    found = problems_of(content)
    assert f"versions/{NEWEST}/version.yaml:{line}:1: this version holds the cookie " \
           "statement but has no summary of it: add 'cookies:' under 'summaries:'" in found
    set_meta(content, NEWEST, drop_summary=True)
    found = problems_of(content)
    assert f"versions/{NEWEST}/version.yaml:2:1: this version holds the privacy statement " \
           "and the cookie statement but has no summary of them: add 'privacy:' and " \
           "'cookies:' under 'summaries:'" in found


def test_a_version_without_cookies_needs_no_cookie_summary(content):
    without_cookies(content, OLDEST)
    set_meta(content, OLDEST, drop_summary=True,
             add="summaries:\n  privacy:\n    nl: Eerste versie.\n    en: First version.\n")
    site = site_of(content)
    assert site.entry("privacy", OLDEST).summary["en"] == "First version."


# --- (b) a document absent from a version ----------------------------------------------

def test_a_history_starts_where_the_document_first_appears(content, tmp_path):
    without_cookies(content, OLDEST)
    relock(content)
    site = site_of(content)
    assert [e.name for e in site.history("cookies")] == [NEWEST]
    assert site.history("cookies")[0].previous is None
    assert [e.name for e in site.history("privacy")] == [OLDEST, NEWEST]
    assert site.versions[0].documents == ("privacy",)
    out = built(content, tmp_path / "site")
    for lang in ("nl", "en"):
        assert not [p for p in out if p.startswith((f"{lang}/cookies/{OLDEST}/",
                                                    f"embed/{lang}/cookies/{OLDEST}"))]
        assert f"{lang}/cookies/{NEWEST}/index.html" in out
        assert f"{lang}/cookies/{NEWEST}/compare/index.html" not in out  # nothing before it
        assert f"{lang}/privacy/{NEWEST}/compare/index.html" in out
        history = page(out, f"{lang}/cookies/history/index.html")
        assert f'id="version-{NEWEST}"' in history and OLDEST not in history
        feed = page(out, f"{lang}/feed.xml")
        assert f"cookies/{OLDEST}" not in feed and f"cookies/{NEWEST}" in feed
    assert f"cookies/{OLDEST}" not in page(out, "sitemap.xml")
    assert not [p for p in out if p.startswith(f"api/cookies/{OLDEST}")]
    assert not [p for p in out if OLDEST in p and "consent" in p]
    index = json.loads(out["api/index.json"])
    assert [v["version"] for v in index["documents"]["cookies"]["versions"]] == [NEWEST]
    lock = json.loads((content / "lock.json").read_text("utf-8"))
    assert "cookies.yaml" not in lock["versions"][OLDEST]["files"]
    assert "cookies" not in lock["versions"][OLDEST]["documents"]


def test_a_document_once_there_is_in_every_later_version(content):
    with_cookies(content, OLDEST)
    without_cookies(content, NEWEST)
    found = problems_of(content)
    assert (f"versions/{NEWEST}/cookies.yaml: file is missing: the cookie statement "
            f"appeared in version {OLDEST}, and every later version holds it") in found
    assert f"copy cookies.yaml from versions/{OLDEST}/" in found


def test_the_privacy_statement_cannot_be_left_out(content):
    (content / "versions" / NEWEST / "purposes.yaml").unlink()
    assert f"versions/{NEWEST}/purposes.yaml: file is missing" in problems_of(content)


def test_no_version_with_a_cookie_statement(content, tmp_path):
    """No cookie page, and no page links to one: the index, the navigation, the 404."""
    without_cookies(content, OLDEST, NEWEST)
    set_meta(content, NEWEST, drop_summary=True, add=ONE_SUMMARY)
    relock(content)
    out = built(content, tmp_path / "site")
    assert not [p for p in out if "/cookies/" in p or p.startswith("cookies")]
    for path, text in out.items():
        if path.endswith((".html", ".xml")):
            assert "/cookies/" not in text.decode("utf-8").replace(
                "privacy-docs", ""), path
    assert "cookieverklaring" not in page(out, "index.html")
    index = json.loads(out["api/index.json"])
    assert index["documents"]["cookies"]["versions"] == []
    assert index["documents"]["cookies"]["current"] is None
    assert index["consent"] == {}
    assert not [f for f in run_check(Project.at(ROOT, content=content)).findings
                if f.rule.startswith("C")]


def test_a_version_without_cookies_is_not_checked_for_cookies(content):
    without_cookies(content, OLDEST)
    project = Project.at(ROOT, content=content)
    assert not [f for f in run_check(project, OLDEST).findings if f.rule.startswith("C")]


def test_new_version_copies_a_version_without_cookies(content):
    without_cookies(content, OLDEST, NEWEST)
    set_meta(content, NEWEST, drop_summary=True, add=ONE_SUMMARY)
    relock(content)
    result = run_build("new-version", "--content", str(content), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    draft = content / "versions" / TODAY
    assert not (draft / "cookies.yaml").exists() and (draft / "privacy.yaml").is_file()
    site = site_of(content)
    assert [e.name for e in site.history("cookies")] == []
    result = run_build("release", "--content", str(content), "--today", TODAY)
    assert result.returncode == 0, result.stderr
    lock = json.loads((content / "lock.json").read_text("utf-8"))
    assert "cookies.yaml" not in lock["versions"][TODAY]["files"]


def test_a_released_version_that_loses_its_cookie_statement(content):
    """The lock names the file: a released text may not disappear, nor one appear."""
    with_cookies(content, OLDEST)
    relock(content)
    without_cookies(content, OLDEST)
    result = run_build("--content", str(content), "--out", str(content.parent / "site"),
                       "--today", TODAY)
    assert result.returncode == 1
    assert (f"versions/{OLDEST}/cookies.yaml: released version {OLDEST}: cookies.yaml was "
            "removed since the release") in result.stderr
    # and the other way: a released version without one may not gain one
    relock(content)
    with_cookies(content, OLDEST)
    result = run_build("--content", str(content), "--out", str(content.parent / "site"),
                       "--today", TODAY)
    assert result.returncode == 1
    assert (f"versions/{OLDEST}/cookies.yaml: released version {OLDEST}: cookies.yaml was "
            "added since the release (the version did not hold it)") in result.stderr
    assert "the cookie statement in Dutch (nl) now changes in this version" in result.stderr


def test_plain_and_cached_builds_agree_on_a_history_with_an_absent_document(
        tmp_path, pdf_stand_in):
    """30 versions, the first 12 without a cookie statement: ``--plain`` and a cached
    build (cold, then unchanged, then after edits on both sides of the start, then with
    the start moved later and earlier) write the same bytes. Built in this process as
    ``build`` builds them, each PDF's layout stood in for by its HTML's digest (the
    plain build would lay out 96 PDFs one after another at every step)."""
    from generator.speed import pdf_store
    from generator.speed.session import Speedups
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import generate, lock_released
    content = generate(tmp_path / "content", versions=30)
    folders = sorted((content / "versions").iterdir())
    for folder in folders[:12]:
        (folder / "cookies.yaml").unlink()
    lock_released(content, DAY)
    site = site_of(content)
    assert site.history("cookies")[0].name == folders[12].name

    project = Project.at(ROOT, content=content)

    def both(step: str) -> None:
        build(project, tmp_path / step / "plain", DAY, plain=True)
        build(project, tmp_path / "cached", DAY, cache=tmp_path / "cache",
              speed=Speedups(pdfs=pdf_store.folder()))  # as ``build`` makes it
        assert tree(tmp_path / "cached") == tree(tmp_path / step / "plain"), step

    both("cold")
    both("unchanged")
    for folder in (folders[5], folders[13]):  # before the cookie statement, and after
        path = folder / "privacy.yaml"
        text = path.read_text("utf-8")
        path.write_text(text.replace("nl: ", "nl: (bewerkt) ", 1), "utf-8")
        path = folders[13] / "cookies.yaml"
        path.write_text(path.read_text("utf-8").replace("nl: ", "nl: (bewerkt) ", 1), "utf-8")
        lock_released(content, DAY)
        both(folder.name)
    # the history's start moves: later, then earlier than at first
    (folders[12] / "cookies.yaml").unlink()
    lock_released(content, DAY)
    assert site_of(content).history("cookies")[0].name == folders[13].name
    both("later start")
    for folder in folders[10:13]:
        shutil.copyfile(folders[13] / "cookies.yaml", folder / "cookies.yaml")
    lock_released(content, DAY)
    assert site_of(content).history("cookies")[0].name == folders[10].name
    both("earlier start")


# --- (c) a reconstructed version ----------------------------------------------------------

def test_a_reconstructed_version_says_so(content, tmp_path):
    with_cookies(content, OLDEST)
    set_meta(content, OLDEST, add=RECONSTRUCTED)
    relock(content)
    out = built(content, tmp_path / "site")
    notes = {"nl": ("Gereconstrueerde tekst", "Deze tekst is de verklaring van 1 oktober 2020"),
             "en": ("Reconstructed text", "This text is the statement of 1 October 2020")}
    for lang, (label, note) in notes.items():
        for document in ("privacy", "cookies"):
            text = page(out, f"{lang}/{document}/{OLDEST}/index.html")
            assert 'class="notice notice-reconstructed"' in text
            assert label in text and note in text
            newest = page(out, f"{lang}/{document}/{NEWEST}/index.html")
            assert "notice-reconstructed" not in newest
            # its fragment, embedded elsewhere, says so under its header
            fragment = page(out, f"embed/{lang}/{document}/{OLDEST}.html")
            header, _, rest = fragment.partition("</header>\n")
            assert rest.startswith('<div class="pd-reconstructed" role="note">')
            assert label in rest and note in rest and label not in header
            assert "reconstructed" not in page(out, f"embed/{lang}/{document}/{NEWEST}.html")
            # the comparison with it says that the earlier version is a reconstruction
            compare = page(out, f"{lang}/{document}/{NEWEST}/compare/index.html")
            assert 'class="notice notice-reconstructed"' in compare
        history = page(out, f"{lang}/privacy/history/index.html")
        assert label in history and note in history
        assert note in page(out, f"{lang}/feed.xml")
    index = json.loads(out["api/index.json"])
    for document in ("privacy", "cookies"):
        oldest, newest = index["documents"][document]["versions"]
        assert oldest["reconstructed"]["en"].startswith("This text is the statement")
        assert newest["reconstructed"] is None
    model = json.loads(out[f"api/privacy/{OLDEST}.json"])
    assert model["model"]["version"]["reconstructed"]["note"]["nl"].startswith("Deze tekst")


def test_the_shipped_2020_version_is_a_reconstruction_without_cookies():
    folder = ROOT / "content" / "versions" / OLDEST
    assert not (folder / "cookies.yaml").exists()
    site = site_of(ROOT / "content")
    assert site.entry("privacy", OLDEST).reconstructed is not None
    assert site.history("cookies")[0].name == NEWEST
    newest = site.entry("cookies", NEWEST).summary["en"]
    assert "first" in newest.lower()
    assert "cookie" not in site.entry("privacy", NEWEST).summary["en"].lower()


def test_the_version_schema_knows_the_fields():
    schema = json.loads((ROOT / "content/schema/version.schema.json").read_text("utf-8"))
    assert {"summaries", "reconstructed"} <= schema["properties"].keys()
    assert "summary" not in schema.get("required", [])



def test_a_skeleton_without_cookies_builds_and_checks(tmp_path):
    """``init``'s skeleton with its cookie statement deleted, as its version.yaml says a
    site that sets no cookies may: it builds, with no cookie page, and is not checked
    for cookies."""
    result = run_build("init", "org", "--date", TODAY, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folder = tmp_path / "org" / "versions" / TODAY
    assert "delete cookies.yaml" in (folder / "version.yaml").read_text("utf-8")
    (folder / "cookies.yaml").unlink()
    out = tmp_path / "site"
    result = run_build("--content", str(tmp_path / "org"), "--out", str(out), "--today",
                       TODAY, "--drafts")
    assert result.returncode == 0, result.stderr
    assert (out / "en" / "privacy" / TODAY / "index.html").is_file()
    assert not (out / "en" / "cookies").exists()
    found = run_check(Project.at(ROOT, content=tmp_path / "org")).findings
    assert found and not [f for f in found if f.rule.startswith("C")]


# --- for every pattern of versions holding the cookie statement ---------------------------

@pytest.fixture(scope="module")
def newest_files():
    """The shipped newest version, validated: its files and bytes, for made-up versions."""
    valid = load_and_validate(Project.at(ROOT))
    newest = valid.versions[-1]
    return dict(newest.files), dict(newest.raw), dict(newest.paths)


def _made_up(files, raw, paths, holds: list[bool]) -> list[Version]:
    versions = []
    for number, holding in enumerate(holds):
        name = f"{2030 + number}-01-01"
        keep = [n for n in files if holding or n != "cookies.yaml"]
        versions.append(Version(name, date.fromisoformat(name), {n: files[n] for n in keep},
                                {n: p.replace(SHIPPED_NEWEST, name) for n, p in paths.items()},
                                {n: raw[n] for n in keep}))
    return versions


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.booleans(), min_size=1, max_size=7))
def test_a_history_starts_where_a_document_appears_and_has_no_gap(newest_files, holds):
    """For any pattern of versions with and without a cookie statement: its history starts
    at the first version that holds it, and every later version without it is refused,
    naming the file and the version to copy it from."""
    versions = _made_up(*newest_files, holds)
    problems = Problems()
    check_documents(versions, problems)
    first = holds.index(True) if True in holds else None
    gaps = [n for n, holding in enumerate(holds) if first is not None and n > first
            and not holding]
    found = sorted(problem.location.path for problem in problems.items)
    assert found == [f"content/versions/{versions[n].name}/cookies.yaml" for n in gaps]
    for problem in problems.items:
        assert "copy cookies.yaml from versions/" in problem.message
    site = Site(base_url="https://example.nl/", title="", versions=versions,
                today=date(2040, 1, 1))
    history = [entry.name for entry in site.history("cookies")]
    assert history == ([] if first is None else [versions[first].name])
    assert [entry.name for entry in site.history("privacy")] == [versions[0].name]
    assert site.documents == (("privacy", "cookies") if first is not None else ("privacy",))
