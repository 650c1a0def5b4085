"""The registries of page kinds (``render/kinds.py``) and export formats
(``export/api.py``): adding either is one entry (and, for a page, a template), and an
incremental build's key for it follows from what it declares.

The first two tests do what docs/design.md says, step by step ("Adding a page kind",
"Adding an export format"). The others hold every kind to its declaration: each input
a kind does not declare is changed in the model, and its pages (entries, exports) must
read the same; else an incremental build would keep them when that input changes.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from generator import CACHE_FOLDER
from generator.content.model import build_site
from generator.content.schema import DOCUMENTS, LANGUAGES
from generator.errors import Problems
from generator.export import api
from generator.incremental.build_cache import PageReuse
from generator.pipeline import Project, build, load_and_validate
from generator.render import kinds
from generator.render.environment import Renderer
from generator.render.kinds import INPUTS, PageKind
from generator.render.pages import render_site

from .conftest import ROOT, TODAY, relock

DAY = date.fromisoformat(TODAY)
NEWEST, OLDEST = "2027-01-01", "2020-10-01"


@pytest.fixture
def registries():
    """The registries as shipped, given back after the test: what a test registers
    stays in it."""
    saved = list(kinds.VERSION_PAGES), list(kinds.SITE_PAGES), list(api.FORMATS)
    yield
    kinds.VERSION_PAGES[:], kinds.SITE_PAGES[:], api.FORMATS[:] = saved


@pytest.fixture
def project(content: Path, tmp_path: Path) -> Project:
    """The shipped content and a copy of the templates, to add one to."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    return Project(content=content, templates=tmp_path / "templates",
                   locales=tmp_path / "locales")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def rebuilt(project: Project, out: Path, tmp_path: Path, made: list) -> list:
    """Record the edited versions in the lock and build with the cache; what was ``made``
    meanwhile (the list filled as things are made). The site is then held to a clean
    build's."""
    relock(project)
    made.clear()
    build(project, out, DAY, cache=tmp_path / CACHE_FOLDER)
    incremental = list(made)
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    build(project, clean, DAY)
    assert tree(out) == tree(clean)
    return incremental


# --- docs/design.md, "Adding a page kind" ----------------------------------------------

def example(section: str, language: str) -> str:
    """The code block in ``language`` under the heading ``section`` of docs/design.md."""
    text = (ROOT / "docs" / "design.md").read_text("utf-8")
    part = text.split(f"### {section}\n", 1)[1].split("\n#", 1)[0]
    found = re.search(rf"\n( *)```{language}\n(.*?)\n\1```", part, re.S)
    return textwrap.dedent(found.group(2)) + "\n"


# what docs/design.md says, run as it says it
SUMMARY_TEMPLATE = example("Adding a page kind", "jinja")
SUMMARY_ENTRY = example("Adding a page kind", "python")
SUMMARY_FORMAT = example("Adding an export format", "python")


def _summary_kind() -> PageKind:
    """The entry of the example, in ``kinds.py``'s namespace: ``SUMMARY`` and the list."""
    namespace = dict(vars(kinds))
    exec(SUMMARY_ENTRY, namespace)  # noqa: S102 -- our own documentation
    kinds.VERSION_PAGES[:] = namespace["VERSION_PAGES"]
    return namespace["SUMMARY"]


def test_adding_a_page_kind(project, tmp_path, registries, monkeypatch):
    (project.templates / "summary.txt").write_text(SUMMARY_TEMPLATE, "utf-8")
    summary = _summary_kind()
    assert kinds.VERSION_PAGES[-1] is summary and summary.depends == ("version", "previous")

    out = tmp_path / "site"
    build(project, out, DAY, cache=tmp_path / CACHE_FOLDER)
    for lang in LANGUAGES:
        for document in DOCUMENTS:
            for version in (OLDEST, NEWEST):
                if document == "cookies" and version == OLDEST:  # it has no cookie statement
                    continue
                assert (out / lang / document / version / "summary.txt").is_file()
    first = (out / "en/privacy/2020-10-01/summary.txt").read_text("utf-8")
    assert first.startswith("Privacy statement: Version of 1 October 2020\n\n")
    assert "\n- " not in first  # the first version has no changes
    cookies = (out / "nl/cookies/2026-04-01/summary.txt").read_text("utf-8")
    assert cookies == "Cookieverklaring: Versie van 1 april 2026\n\n" \
        "Eerste versie van de cookieverklaring.\n"  # its own summary, no changes
    newest = (out / "nl/privacy/2026-04-01/summary.txt").read_text("utf-8")
    assert newest.startswith("Privacyverklaring: Versie van 1 april 2026\n\nPer categorie")
    assert "\n- " in newest  # its changes, one a line, not escaped as HTML
    assert "&#" not in newest and "&amp;" not in newest

    made = []
    render = Renderer.render

    def counting(self, lang, template, **context):
        if template == "summary.txt":
            made.append((lang, context["document"], context["entry"].name))
        return render(self, lang, template, **context)
    monkeypatch.setattr(Renderer, "render", counting)
    pages = {path: (out / path).stat().st_ino for path in tree(out)
             if path.endswith("summary.txt") and "/privacy/" in path}

    # an edit of the other document: the privacy summaries are kept, as they were
    newest_folder = project.content / "versions" / NEWEST
    edit(newest_folder / "cookies.yaml", "expiry: P6M", "expiry: P3M")
    assert rebuilt(project, out, tmp_path, made) == [("nl", "cookies", NEWEST),
                                                     ("en", "cookies", NEWEST)]
    assert {path: (out / path).stat().st_ino for path in pages} == pages

    # an edit of their own document: the edited version's summary is rendered again
    edit(newest_folder / "purposes.yaml", "Wanneer u een bestelling plaatst",
         "Wanneer u een bestelling (gewijzigd) plaatst")
    assert rebuilt(project, out, tmp_path, made) == [("nl", "privacy", NEWEST),
                                                     ("en", "privacy", NEWEST)]
    assert (out / "nl/privacy/2020-10-01/summary.txt").stat().st_ino == \
        pages["nl/privacy/2020-10-01/summary.txt"]


# --- docs/design.md, "Adding an export format" -------------------------------------------

def test_adding_an_export_format(project, tmp_path, registries):
    namespace = dict(vars(api))
    # the example's list goes on from the formats before it ("...")
    exec(SUMMARY_FORMAT.replace("[\n    ...,", "[\n    *FORMATS,"), namespace)  # noqa: S102
    made = []
    summary = namespace["FORMATS"][-1]
    assert namespace["FORMATS"][:-1] == api.FORMATS and summary.name == "summary"

    def counted(out, exporting, entry):
        made.append((entry.document, entry.name))
        return summary.add(out, exporting, entry)
    api.FORMATS.append(dataclasses.replace(summary, add=counted))

    out = tmp_path / "site"
    build(project, out, DAY, cache=tmp_path / CACHE_FOLDER)
    exported = json.loads((out / "api/privacy/2020-10-01.summary.json").read_text("utf-8"))
    assert exported["version"] == OLDEST
    assert exported["summary"]["nl"] == "Eerste gepubliceerde versie van de privacyverklaring."
    index = json.loads((out / "api/index.json").read_text("utf-8"))
    for document in DOCUMENTS:
        for version in index["documents"][document]["versions"]:
            assert version["exports"]["summary"] == (
                f"{index['base_url']}api/{document}/{version['version']}.summary.json")
    assert list(version["exports"]) == ["json", "cookieconsent", "klaro", "summary"]

    # an edit of one document: only its edited version is exported again
    newest_folder = project.content / "versions" / NEWEST
    edit(newest_folder / "cookies.yaml", "expiry: P6M", "expiry: P3M")
    assert rebuilt(project, out, tmp_path, made) == [("cookies", NEWEST)]
    edit(newest_folder / "purposes.yaml", "Wanneer u een bestelling plaatst",
         "Wanneer u een bestelling (gewijzigd) plaatst")
    assert rebuilt(project, out, tmp_path, made) == [("privacy", NEWEST)]


# --- every kind shows only what it declares ---------------------------------------------

def _unlike_period(site) -> None:
    """Every version's status and last day in effect changed (a draft stays a draft)."""
    other = {"current": "superseded", "superseded": "announced", "announced": "superseded"}
    for document in DOCUMENTS:
        for entry in site.history(document):
            entry.status = other.get(entry.status, entry.status)
            entry.until = date(2099, 12, 31)


def _unlike_previous(site) -> None:
    """Each version but the first compared with another one than before."""
    for document in DOCUMENTS:
        history = site.history(document)
        assert len(history) >= 3
        for number, entry in enumerate(history[1:], start=1):
            entry.previous = history[number - 2] if number >= 2 else history[number + 1]


def _unlike_statuses(site) -> None:
    """No version current, every one announced."""
    for document in DOCUMENTS:
        site._current[document] = None
        site._announced[document] = list(site.history(document))


def _unlike_build_date(site) -> None:
    site.today += timedelta(days=1000)


def _unlike_notice(site) -> None:
    """Every current version with a predecessor says what changed (or none does)."""
    site.change_notice_days = 0 if site.change_notice_days > 10**5 else 10**6


# each input a model can be changed in; "version" (the version's files) is changed by
# editing them, as tests/test_incremental.py does, and every kind declares it
UNLIKE = {"period": _unlike_period, "previous": _unlike_previous,
          "statuses": _unlike_statuses, "build date": _unlike_build_date,
          "notice": _unlike_notice}


def test_each_input_but_the_files_can_be_changed_here():
    assert set(UNLIKE) == set(INPUTS) - {"version"}


def _made(project: Project, today: str, unlike, monkeypatch) -> dict:
    """Every version's pages, entries and exports, by (kind, language, document, version),
    of the content seen on ``today``, changed by ``unlike``."""
    site = build_site(load_and_validate(project), date.fromisoformat(today), drafts=True)
    if unlike is not None:
        unlike(site)
    renderer = Renderer(project.templates, project.locales, Problems())
    made: dict[tuple, object] = {}
    entry_part = kinds.entry_part

    def recorded(rendering, part, of, lang, **context):
        made[(part.name, lang, of.document, of.name)] = text = entry_part(
            rendering, part, of, lang, **context)
        return text
    with monkeypatch.context() as recording:
        recording.setattr(kinds, "entry_part", recorded)
        out = render_site(renderer, site)
    exporting = api.Exporting(site, renderer, api.gettexts(project.locales))
    for document in DOCUMENTS:
        for entry in site.history(document):
            for kind in [*kinds.VERSION_PAGES, kinds.COMPARE]:
                for lang in LANGUAGES:
                    if kind.when(site, entry):
                        made[(kind.name, lang, document, entry.name)] = out[kind.path(lang,
                                                                                      entry)]
            for form in api.FORMATS:
                if document in form.documents:
                    files: dict[str, bytes] = {}
                    form.add(files, exporting, entry)
                    made[(form.name, "-", document, entry.name)] = files
    return made


@pytest.fixture
def drafted(project: Project) -> Project:
    """The shipped content and a draft, changed in both documents; the 2020 version, which
    has no cookie statement as shipped, given one, so that each history has three
    versions."""
    from generator.commands.new_version import new_version
    versions = project.content / "versions"
    cookies = (versions / "2026-04-01" / "cookies.yaml").read_text("utf-8")
    (versions / OLDEST / "cookies.yaml").write_text(cookies.replace("expiry: P12M",
                                                                    "expiry: P13M"), "utf-8")
    draft = new_version(project, date(2027, 3, 1), DAY)
    edit(draft / "privacy.yaml", "Als u klant", "Als u (concept) klant")
    edit(draft / "cookies.yaml", "expiry: P6M", "expiry: P3M")
    return project


@pytest.mark.parametrize("today", ["2026-03-15", TODAY])
@pytest.mark.parametrize("changed", sorted(UNLIKE))
def test_every_kind_shows_only_what_it_declares(drafted, today, changed, monkeypatch,
                                                pdf_stand_in):
    """On the shipped content and a draft, with a version announced (March) and without:
    what a kind made of each version is the same when an input it does not declare
    differs. A PDF is compared by the HTML it is made from (``conftest.pdf_stand_in``;
    the same HTML gives the same bytes, ``test_pdf.py``)."""
    project = drafted
    declared = {kind.name: kind.depends for kind in [
        *kinds.VERSION_PAGES, kinds.COMPARE, kinds.HISTORY_ENTRY, kinds.FEED_ENTRY,
        *api.FORMATS]}
    before = _made(project, today, None, monkeypatch)
    after = _made(project, today, UNLIKE[changed], monkeypatch)
    compared = [key for key in before if key in after and changed not in declared[key[0]]]
    assert {key[0] for key in compared} == {name for name, depends in declared.items()
                                            if changed not in depends}
    wrong = [key for key in compared if before[key] != after[key]]
    assert not wrong, f"these show {changed!r} without declaring it: {wrong}"


def test_a_key_follows_from_the_declaration(project):
    """The key holds what the kind declares and not what it does not."""
    site = build_site(load_and_validate(project), DAY, drafts=False)
    entry = site.history("privacy")[-1]
    cache = PageReuse("render")
    by_version = PageKind("a", "a.html", kinds.FRAGMENT.path, depends=("version",))
    by_period = PageKind("b", "b.html", kinds.FRAGMENT.path, depends=("version", "period"))
    keys = [cache.entry_key(site, entry, "nl", kind) for kind in (by_version, by_period)]
    entry.status, entry.until = "superseded", date(2099, 1, 1)
    assert cache.entry_key(site, entry, "nl", by_version) == keys[0]
    assert cache.entry_key(site, entry, "nl", by_period) != keys[1]
    assert cache.entry_key(site, entry, "en", by_version) != keys[0]


def test_declarations_name_known_inputs_and_kinds_have_their_own_names():
    with pytest.raises(ValueError, match="text"):
        PageKind("x", "x.html", kinds.FRAGMENT.path, depends=("version", "text"))
    with pytest.raises(ValueError):
        api.ExportFormat("x", DOCUMENTS, api.FORMATS[0].add, depends=("version", "version"))
    names = [kind.name for kind in [*kinds.VERSION_PAGES, kinds.COMPARE, kinds.HISTORY_ENTRY,
                                    kinds.FEED_ENTRY, *api.FORMATS]]
    assert len(names) == len(set(names))


def test_the_registries_are_as_shipped():
    """What the tests above registered was taken out again (the ``registries`` fixture)."""
    assert "summary" not in [kind.name for kind in kinds.VERSION_PAGES]
    assert "summary" not in [form.name for form in api.FORMATS]
