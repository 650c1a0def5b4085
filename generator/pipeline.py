"""The build, as a short script in two phases.

Phase one gathers and checks everything: load, validate, model, render, all
in memory. Phase two writes, and only when phase one found no problem.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import export_api, lock
from .errors import ContentError, Location, Problems
from .incremental import BuildCache
from .loader import load_content
from .model import Site, build_site
from .render import Renderer, TemplateProblem, render_site
from .timing import phase
from .validate import ValidContent, validate_content
from .write import write_site


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
    """Rules across versions: only the newest version may be a draft."""
    for version in valid.versions[:-1]:
        meta = version.files.get("version.yaml")
        if meta and meta.get("status") == "draft":
            problems.add(Location(version.paths["version.yaml"], *_line(meta, "status")),
                         "only the newest version may be a draft; release this one or "
                         "remove the later versions")


def _line(record, key: str) -> tuple[int, int]:
    loc = record.value_loc(key) if hasattr(record, "value_loc") else None
    return (loc.line, loc.column) if loc else (0, 0)


def load_and_validate(project: Project) -> ValidContent:
    """Load and validate all content; raises ContentError listing every problem."""
    problems = Problems()
    with phase("load"):
        loaded = load_content(project.content, problems)
    with phase("validate"):
        valid = validate_content(loaded, problems)
    if not problems:
        check_versions(valid, problems)
    if problems:
        raise ContentError(problems)
    return valid


def render(project: Project, site: Site, fragment_heading_level: int = 2,
           memo: BuildCache | None = None) -> tuple[dict[str, bytes], Renderer]:
    problems = Problems()
    renderer = Renderer(project.templates, project.locales, problems,
                        fragment_heading_level=fragment_heading_level, memo=memo)
    if problems:
        raise ContentError(problems)
    try:
        files = render_site(renderer, site)
        with phase("export"):
            export_api.add_exports(files, site, renderer, lock.read_lock(project.content))
    except TemplateProblem as error:
        problems.add(error.location, str(error))
        raise ContentError(problems) from None
    return files, renderer


def build(project: Project, out: Path, today: date, drafts: bool = False,
          fragment_heading_level: int = 2, cache: Path | None = None) -> Mapping[str, bytes]:
    """Check everything, then write the site into ``out``; returns the files written.

    With a ``cache`` folder the build is incremental (see ``incremental.py``):
    nothing is done when no input changed, and only the pages of changed
    versions are rendered again.
    """
    memo = None
    if cache is not None:
        with phase("cache"):
            memo = BuildCache(cache, project, out, today, drafts, fragment_heading_level)
            unchanged = memo.unchanged()
        if unchanged is not None:
            return unchanged
    valid = load_and_validate(project)
    with phase("model"):
        site = build_site(valid, today, drafts)
    with phase("render"):
        files, _ = render(project, site, fragment_heading_level, memo)
    with phase("lock"):
        check_lock(project, site, files)
    with phase("write"):
        write_site(files, out, memo.linked if memo else None)
        if memo:
            memo.save(files)
    return files


def check_lock(project: Project, site: Site, files: dict[str, bytes]) -> None:
    """Released versions must still read as released (see ``lock.py``)."""
    problems = Problems()
    lock.verify(project.content, site, files, problems)
    if problems:
        raise ContentError(problems)
