"""Releasing a version, and recording an erratum in the lock.

``release`` turns the draft (or a released version not yet in the lock) into
a released, locked version: optionally moved to the date given, its status set
to ``released``, its fingerprints recorded in ``content/lock.json``. ``lock``
records new fingerprints for a released version after an erratum. Both check
and render everything first and change nothing when any problem is found.
"""

from __future__ import annotations

import re
from datetime import date

from generator.content import lock
from generator.content.files import display_path
from generator.content.model import Site, Version, build_site
from generator.content.schema import DOCUMENTS
from generator.errors import ContentError, Location, Problems
from generator.output.folder import changes_content
from generator.pipeline import Project, load_and_validate, render
from generator.render.environment import Renderer

STATUS_LINE = re.compile(r"^status:[ \t]*draft[ \t]*(#.*)?$", re.M)


def _prepare(project: Project, today: date) -> tuple[Site, dict[str, bytes], dict, Renderer]:
    from generator.speed import pdf_store
    from generator.speed.session import Speedups
    valid = load_and_validate(project)
    site = build_site(valid, today, drafts=True)
    files, renderer = render(project, site, speed=Speedups(pdfs=pdf_store.folder(),
                                                           defer_pdfs=True))
    problems = Problems()
    recorded = lock.read_lock(project.content, problems)
    if problems:
        raise ContentError(problems)
    return site, files, recorded, renderer


def _make_pdfs(project: Project, site: Site, renderer: Renderer, recorded: dict,
               names: set[str]) -> None:
    """The PDFs of the versions ``names`` as the lock ``recorded`` has them, laid out into
    the user's store (``speed/pdf_store.py``); a ``ContentError`` when one cannot be."""
    from generator.export.api import Exporting, gettexts
    from generator.export.pdf import make_pdfs
    from generator.speed import pdf_store
    convert = pdf_store.PdfStore(pdf_store.folder()).convert
    entries = [entry for document in DOCUMENTS for entry in site.history(document)
               if entry.name in names]
    for _ in make_pdfs(Exporting(site, renderer, gettexts(project.locales), recorded, convert),
                       entries):
        pass


def _fail(where: str, message: str) -> ContentError:
    problems = Problems()
    problems.add(Location(where), message)
    return ContentError(problems)


@changes_content
def release(project: Project, name: str | None, new_date: date | None,
            today: date) -> str:
    """Release the draft (or the version ``name``); returns the released version's name."""
    site, files, recorded, _ = _prepare(project, today)
    version = _version_to_release(project, site, recorded, name)
    target = version.name
    if new_date is not None and new_date.isoformat() != version.name:
        target = new_date.isoformat()
        _check_new_date(project, site, version, target)
    # Every other locked version must still match before the lock changes.
    problems = Problems()
    lock.verify(project.content, site, files, problems)
    if problems:
        raise ContentError(problems)
    folder = project.content / "versions" / version.name
    meta = folder / "version.yaml"
    original = version.raw["version.yaml"].decode("utf-8")  # as read and validated
    if version.is_draft and not STATUS_LINE.search(original):
        raise _fail(version.paths["version.yaml"], "cannot find the line 'status: draft' to "
                    "change; write it on a line of its own, unquoted")
    if version.is_draft:
        meta.write_text(STATUS_LINE.sub(lambda m: "status: released" + (
            f" {m.group(1)}" if m.group(1) else ""), original, count=1), encoding="utf-8")
    if target != version.name:
        folder.rename(folder.with_name(target))
    try:  # the text as released: its date may have moved, so render it again
        site, files, _, renderer = _prepare(project, today)
        recorded["versions"][target] = lock.entry_for(
            site, files, next(v for v in site.versions if v.name == target))
        _make_pdfs(project, site, renderer, recorded, {target})
    except BaseException:
        folder.with_name(target).rename(folder)
        meta.write_text(original, encoding="utf-8")
        raise
    lock.write_lock(project.content, recorded)
    return target


def _version_to_release(project: Project, site: Site, recorded: dict,
                        name: str | None) -> Version:
    versions = {v.name: v for v in site.versions}
    where = display_path(project.content / "versions")
    if name is None:
        drafts = [v for v in site.versions if v.is_draft]
        if not drafts:
            raise _fail(where, "there is no draft to release; create one with "
                        "'python build.py new-version', or name a released version that is "
                        "not yet locked")
        return drafts[-1]
    if name not in versions:
        raise _fail(where, f"there is no version {name}; the versions are "
                    f"{', '.join(versions) or 'none'}")
    if name in recorded["versions"]:
        raise _fail(display_path(lock.lock_path(project.content)),
                    f"version {name} is already released and locked; to correct it, add an "
                    f"erratum and run 'python build.py lock {name}'")
    return versions[name]


def _check_new_date(project: Project, site: Site, version: Version, target: str) -> None:
    if (project.content / "versions" / target).exists():
        raise _fail(display_path(project.content / "versions" / target),
                    f"a version dated {target} already exists; choose another date")
    earlier = [v for v in site.versions if v is not version and v.name > target]
    if earlier:
        raise _fail(version.paths["version.yaml"],
                    f"the release date {target} must be after the newest other version "
                    f"({earlier[-1].name})")


@changes_content
def update_lock(project: Project, names: list[str], today: date) -> list[str]:
    """Record new fingerprints for released versions that carry a new erratum."""
    site, files, recorded, renderer = _prepare(project, today)
    versions = {v.name: v for v in site.versions}
    problems = Problems()
    lock_file = display_path(lock.lock_path(project.content))
    for name in names:
        entry = recorded["versions"].get(name)
        version = versions.get(name)
        if entry is None or version is None:
            problems.add(Location(lock_file), f"version {name} is not a released, locked "
                         "version; release a draft with 'python build.py release'")
            continue
        errata = version.meta.get("errata") or ()
        if len(errata) <= entry.get("errata", 0):
            problems.add(Location(version.paths["version.yaml"]),
                         f"version {name} has no new erratum; add one under 'errata:' (date, "
                         "and the reason in nl and en) before updating the lock")
            continue
        newest = errata[-1]["date"]
        if newest < version.effective:
            problems.add(Location(version.paths["version.yaml"]),
                         f"the newest erratum of version {name} is dated {newest}, before the "
                         f"version itself ({version.effective}); date it on or after")
    if problems:
        raise ContentError(problems)
    for name in names:
        recorded["versions"][name] = lock.entry_for(site, files, versions[name])
    _make_pdfs(project, site, renderer, recorded, set(names))
    lock.write_lock(project.content, recorded)
    return names

