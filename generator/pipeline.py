"""The build, as a short script in two phases.

Phase one loads, validates and models everything in memory, and stops on any
problem before anything is written. Phase two renders: each page is written into
a staging folder beside the output folder as it is rendered (``write.Staging``),
and that folder is swapped in atomically only once everything rendered and the
lock check passed; otherwise it is removed and the previous site stays.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from generator.content import lock
from generator.content.documents import check_documents
from generator.content.files import display_path, remembering
from generator.content.loader import LoadedContent, load_content
from generator.content.model import Site, build_site
from generator.content.validate import ValidContent, validate_content
from generator.errors import ContentError, Location, Problems
from generator.output.folder import check_output, content_lock, output_lock
from generator.timing import phase

# The render, export, cache and speed stages are imported where a build reaches them:
# 'check', 'release' and the others that only load and validate start without them.
if TYPE_CHECKING:
    from generator.incremental.build_cache import BuildCache
    from generator.incremental.version_cache import VersionCache
    from generator.output.write import Staging
    from generator.render.environment import Renderer
    from generator.speed.session import Speedups


@dataclass
class Project:
    """Where the inputs live; defaults are the folders beside build.py."""
    content: Path
    templates: Path
    locales: Path

    @classmethod
    def at(cls, root: Path, content: Path | None = None) -> Project:
        return cls(content=content or root / "content", templates=root / "templates",
                   locales=root / "locales")


def check_versions(valid: ValidContent, problems: Problems) -> None:
    """Rules across versions: only the newest version may be a draft; a document, once it
    appeared, is in every later version, and each has a summary (``documents.py``)."""
    check_documents(valid.versions, problems)
    for version in valid.versions[:-1]:
        meta = version.files.get("version.yaml")
        if meta and meta.get("status") == "draft":
            problems.add(Location(version.paths["version.yaml"], *_line(meta, "status")),
                         "only the newest version may be a draft; release this one or "
                         "remove the later versions")


def _line(record, key: str) -> tuple[int, int]:
    loc = record.value_loc(key) if hasattr(record, "value_loc") else None
    return (loc.line, loc.column) if loc else (0, 0)


def load_and_validate(project: Project, versions: VersionCache | None = None,
                      speed: Speedups | None = None) -> ValidContent:
    """Load and validate all content; raises ContentError listing every problem.

    With ``versions`` (incremental builds), a version whose exact bytes an earlier
    build validated is read but not parsed again (see ``version_cache.py``). With
    ``speed``, files are parsed by ``speed.parse_files`` (in pieces, validated ahead:
    ``speed/parsing.py``); without, each whole.
    """
    problems = Problems()
    known = versions.is_known if versions else None
    with phase("load"):
        loaded = (load_content(project.content, problems, known) if speed is None else
                  load_content(project.content, problems, known, speed.parse_files))
    with phase("validate"):
        cached = {id(v) for v in loaded.versions if not v.files and versions
                  and versions.is_known(v)}
        fresh = [v for v in loaded.versions if id(v) not in cached]
        valid = validate_content(LoadedContent(loaded.root, loaded.site, loaded.site_path,
                                               fresh), problems)
        checked = iter(valid.versions)
        valid.versions = [versions.wrap(v) if id(v) in cached else next(checked)
                          for v in loaded.versions]
    if not problems:
        check_versions(valid, problems)
    if problems:
        raise ContentError(problems)
    return valid


def render(project: Project, site: Site, fragment_heading_level: int = 2,
           build_cache: BuildCache | None = None, staging: Staging | None = None,
           speed: Speedups | None = None) -> tuple[dict[str, bytes], Renderer]:
    """Every file of the site (``render_site``) and the exports. ``speed``: the speedups
    to hand the renderer, None for the plain way."""
    from generator.export import api as export_api
    from generator.render.environment import Renderer, TemplateProblem
    from generator.render.pages import render_site
    from generator.render.text import MarkdownConverter
    problems = Problems()
    parts: dict = {}
    if build_cache is not None:  # the Markdown conversions of earlier builds
        parts["markdown"] = MarkdownConverter(build_cache.versions.markdown)
    if speed is not None:
        parts.update(speed.renderer_parts(build_cache))
        speed.catalogs.fill(project.locales)  # compiled by an earlier build, if kept
    renderer = Renderer(project.templates, project.locales, problems,
                        fragment_heading_level=fragment_heading_level, cache=build_cache,
                        **parts)
    if speed is not None and not problems:
        speed.catalogs.keep()
    if problems:
        raise ContentError(problems)
    # nothing to reuse: a render helper makes the older versions' pages of a long
    # history on the second core (``render_helper.py``)
    older = speed.older_pages() if speed is not None and staging is not None and (
        build_cache is None or build_cache.cold) else None
    exports: dict = {}
    recorded = lock.read_lock(project.content)
    # a PDF the speed wing made before from the same HTML is taken as it was, the others
    # laid out on every core
    convert = speed.pdf_store.convert if speed is not None else None

    def version_exports(out: dict[str, bytes]) -> None:  # meanwhile, with a helper
        with phase("export"):
            exports.update(export_api.add_version_exports(out, site, renderer, recorded,
                                                          convert))
    try:
        files = render_site(renderer, site, staging, older, version_exports)
        with phase("export"):
            export_api.add_index(files, site, recorded, exports)
    except TemplateProblem as error:
        problems.add(error.location, str(error))
        raise ContentError(problems) from None
    return files, renderer


@dataclass(frozen=True)
class FileRewrite:
    """A rewrite of every file as it is written (the preview's reload script); ``key``
    says which, so an incremental build reuses only files rewritten the same way."""
    key: str
    apply: Callable[[str, bytes], bytes]


def protected_folders(project: Project, cache: Path | None = None) -> list[tuple[str, Path]]:
    """The folders an output folder may never be or hold (see ``output/folder.refusal``)."""
    folders = [("the project", project.templates.parent), ("the content folder", project.content),
               ("the templates", project.templates), ("the catalog", project.locales)]
    return folders + ([("the cache", cache)] if cache is not None else [])


def build(project: Project, out: Path, today: date, drafts: bool = False,
          fragment_heading_level: int = 2, cache: Path | None = None,
          finish: FileRewrite | None = None, wait: bool = True,
          speed: Speedups | None = None,
          plain: bool = False) -> Mapping[str, bytes]:
    """Check everything, then write the site into ``out``; returns the files written.

    ``out`` must be a folder a build may replace (``output/folder.py``); one build at a
    time writes it: a second one waits for the first, or with ``wait=False`` stops
    (``output.folder.Busy``). With a ``cache`` folder the build is incremental (see
    ``incremental/build_cache.py``): nothing is done when no input changed, and only the pages of
    changed versions are rendered again. ``finish``: see ``write.Staging``.
    ``speed``: the speedups and what they keep between the builds of a session (a new
    one by default); ``plain``: none at all, nor a cache, for the same bytes
    (``--plain``).
    """
    if plain:
        cache, speed = None, None
    elif speed is None:
        from generator.speed.session import Speedups
        speed = Speedups()
    check_output(out, protected_folders(project, cache))
    with output_lock(out, wait), content_lock(project.content, exclusive=False, wait=wait):
        check_output(out, protected_folders(project, cache))  # as it is now ours
        with remembering(speed.files if speed is not None else None):
            return _build(project, out, today, drafts, fragment_heading_level, cache, finish,
                          speed)


def _build(project: Project, out: Path, today: date, drafts: bool,
           fragment_heading_level: int, cache: Path | None, finish: FileRewrite | None,
           speed: Speedups | None) -> Mapping[str, bytes]:
    from generator.incremental.build_cache import BuildCache, SiteFiles
    from generator.output.write import Staging
    kept = None
    if cache is not None:
        with phase("cache"):
            kept = BuildCache(cache, project, out, today, drafts, fragment_heading_level,
                              finish.key if finish else "")
            warn(kept.files.warning())  # what it found unreadable, and did about it
            unchanged = kept.unchanged()
        if unchanged is not None:
            return unchanged
    # the clean path (kept.cold) parses every version; else only those not known by
    # their bytes, the others when a page reads them
    valid = load_and_validate(project, kept.versions if kept and not kept.cold else None,
                              speed)
    with phase("model"):
        site = build_site(valid, today, drafts)
    if kept and not kept.cold and kept.every_page_changes(site):
        kept.cold = True  # no page can be reused after all: the clean path, from the start
        valid = load_and_validate(project, None, speed)
        with phase("model"):
            site = build_site(valid, today, drafts)
    unrecorded = Problems()
    lock.check_recorded(project.content, site, unrecorded)
    if unrecorded:
        raise ContentError(unrecorded)
    # Pages go into a staging folder as they are rendered; it becomes the site only
    # once everything rendered and the lock check passed, else it is removed.
    staging = Staging(out, kept.spare if kept else None, finish.apply if finish else None)
    try:
        with phase("render"):
            files, renderer = render(project, site, fragment_heading_level, kept, staging,
                                     speed)
        with phase("lock"):
            check_lock(project, site, files, kept)
    except BaseException:
        staging.discard()
        raise
    with phase("write"):
        staging.commit()
        if kept:
            _save_cache(kept, files, valid, site, renderer)
    return SiteFiles(out, list(files))


def warn(message: str | None) -> None:
    """Say something the person running the build should know, that fails nothing."""
    if message:
        print(f"build.py: warning: {message}", file=sys.stderr, flush=True)


def _save_cache(kept: BuildCache, files, valid: ValidContent, site: Site,
                renderer: Renderer) -> None:
    """Record the build in its cache, once the site is published. Failing to (a full
    disk, a cache folder that cannot be written) fails nothing that was asked for: it
    is a warning, and the next build, finding no state, is a clean one."""
    try:
        kept.save(files)
        kept.versions.remember(valid.versions, site.versions, renderer.markdown.used)
    except OSError as error:
        then = ("the next build will be a clean one" if kept.forget() else
                f"delete {display_path(kept.folder)} before the next build")
        warn(f"the site was published; the cache could not be saved: {error}; {then}")


def check_lock(project: Project, site: Site, files: Mapping[str, bytes],
               kept: BuildCache | None = None) -> None:
    """Released versions must still read as released (see ``lock.py``)."""
    problems = Problems()
    lock.verify(project.content, site, files, problems, kept)
    if problems:
        raise ContentError(problems)
