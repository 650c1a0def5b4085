"""Stage 1, load: read content files into located Python values.

Each version folder's files are read as bytes; a file repeated unchanged in later
versions is parsed once (``_parse_versions``), by ``yaml_values.parse_yaml``, which
says what the values are and how YAML problems are reported.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from generator.content.files import display_path, read_content_file
from generator.content.schema import DATE_PATTERN, OPTIONAL_FILES, SITE_FILE, VERSION_FILES
from generator.content.yaml_values import parse_yaml
from generator.errors import Location, Problems


def parse_files(jobs: list[tuple]) -> list[tuple[object, list]]:
    """Each file's bytes parsed whole (``parse_yaml``) as if at its path: the values,
    and the problems found (a list of ``Problem``). A job is (bytes, path) or (bytes,
    path, name), ``name`` the file name of every file holding these bytes, or None."""
    results = []
    for data, path, *_ in jobs:
        problems = Problems()
        results.append((parse_yaml(data, path, problems), problems.items))
    return results


def _parse_versions(versions: list[LoadedVersion], problems: Problems,
                    parse: Callable[[list[tuple]], list]) -> None:
    """Parse the files of ``versions`` by their bytes: versions repeat most files
    unchanged (about half the files of a long history are repeats), and such
    a file is parsed once and its values shared. Its marks are positions, not paths:
    whoever reports a problem names the file it was reading (``validate``). A file whose
    parse found a problem is parsed again at each further path, so each copy's problem
    is reported where it is. ``parse``: ``parse_files``, or one that may give a file's
    values validated ahead (``validate.Checked``, as the speed wing's does): each job
    names its file name, unless files of two names hold these bytes."""
    first: dict[bytes, list] = {}
    for version in versions:
        for name, raw in version.raw.items():
            job = first.setdefault(raw, [raw, version.paths[name], name])
            if job[2] != name:
                job[2] = None
    parsed = dict(zip(first, parse([tuple(job) for job in first.values()]), strict=True))
    for version in versions:
        for name, raw in version.raw.items():
            value, found = parsed[raw]
            path = version.paths[name]
            if found and path != first[raw][1]:
                value = parse_yaml(raw, path, problems)
            elif found:
                problems.items.extend(found)
            version.files[name] = value


@dataclass
class LoadedVersion:
    name: str  # YYYY-MM-DD, the folder's name
    effective: date
    folder: Path
    files: dict[str, object] = field(default_factory=dict)  # file name -> YMap
    paths: dict[str, str] = field(default_factory=dict)  # file name -> display path
    raw: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes (fingerprints)


@dataclass
class LoadedContent:
    root: Path
    site: object = None
    site_path: str = ""
    versions: list[LoadedVersion] = field(default_factory=list)


_read = read_content_file


_LINKED_FOLDER = ("this folder is a symbolic link; content folders must be real folders inside "
                  "the content folder, so copy the files here instead")


def load_content(root: Path, problems: Problems,
                 known: Callable[[LoadedVersion], bool] | None = None,
                 parse: Callable[[list[tuple]], list] = parse_files
                 ) -> LoadedContent:
    """Read site.yaml and every version folder under ``root/versions``.

    ``known`` (incremental builds) says whether a version's bytes were validated by an
    earlier build of the same generator; such a version is read but not parsed.
    ``parse``: see ``_parse_versions``.
    """
    content = LoadedContent(root=root)
    to_parse: list[LoadedVersion] = []
    site_file = root / SITE_FILE
    content.site_path = display_path(site_file)
    data = _read(site_file, root, problems)
    if data is not None:
        content.site = parse_yaml(data, content.site_path, problems)

    versions_dir = root / "versions"
    if versions_dir.is_symlink():
        problems.add(Location(display_path(versions_dir)), _LINKED_FOLDER)
        return content
    if not versions_dir.is_dir():
        problems.add(Location(display_path(versions_dir)),
                     "folder is missing; each version lives in versions/<YYYY-MM-DD>/")
        return content
    for folder in sorted(versions_dir.iterdir(), key=lambda p: p.name):
        shown = display_path(folder)
        if folder.name.startswith("."):
            continue
        if folder.is_symlink():
            problems.add(Location(shown), _LINKED_FOLDER)
            continue
        if not folder.is_dir():
            problems.add(Location(shown), "only version folders belong in versions/ "
                                          "(named by their date, e.g. 2021-04-01)")
            continue
        effective = _version_date(folder.name)
        if effective is None:
            problems.add(Location(shown), f"version folder name '{folder.name}' is not a date; "
                                          "name it by the date it takes effect, YYYY-MM-DD")
            continue
        version = LoadedVersion(name=folder.name, effective=effective, folder=folder)
        for entry in sorted(folder.iterdir(), key=lambda p: p.name):
            if entry.name not in VERSION_FILES and not entry.name.startswith("."):
                problems.add(Location(display_path(entry)),
                             "unknown file in a version folder; expected only: "
                             + ", ".join(VERSION_FILES))
        for name in VERSION_FILES:
            path = folder / name
            version.paths[name] = os.path.join(shown, name)  # display_path(path), faster
            if name in OPTIONAL_FILES and not os.path.lexists(path):
                continue  # the version does not hold that document (``documents.py``)
            raw = _read(path, root, problems)
            if raw is not None:
                version.raw[name] = raw
        if known is None or not known(version):  # else validated before, by these bytes
            to_parse.append(version)
        content.versions.append(version)
    _parse_versions(to_parse, problems, parse)
    if not content.versions and not problems:
        problems.add(Location(display_path(versions_dir)),
                     "there is no version yet; add a folder such as versions/2021-04-01/")
    return content


def _version_date(name: str) -> date | None:
    if not re.fullmatch(DATE_PATTERN, name, flags=re.ASCII):
        return None
    try:
        return date.fromisoformat(name)
    except ValueError:
        return None
