"""Starting points for editors: ``new-version`` and ``init``.

``new-version`` copies the newest version into a new draft folder, every file
byte for byte (comments included) except ``version.yaml``, which starts over
as a draft with a placeholder summary. ``init`` writes a content skeleton
for another organisation (``skeleton/`` beside this file): the minimum the
validator accepts, every text a placeholder in [square brackets], so that it
builds at once and ``check`` lists what the statement still lacks.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from generator.content.files import display_path
from generator.errors import UsageError
from generator.output.folder import changes_content
from generator.pipeline import Project, load_and_validate

SKELETON = Path(__file__).parent / "skeleton"
MODELINE = "# yaml-language-server: $schema=../../schema/version.schema.json\n"
DRAFT_META = """\
# A draft, made by 'python build.py new-version' from version {source}. It is
# shown only in the preview ('python build.py serve') and with --drafts.
# Edit the files in this folder; publish them with 'python build.py release'.
status: draft
last_changed: {name}
summary:
  nl: "[Vat samen wat er in deze versie verandert.]"
  en: "[Summarise what changes in this version.]"
"""


@changes_content
def new_version(project: Project, on: date | None, today: date) -> Path:
    """Copy the newest version into ``versions/<date>/`` as a draft; returns the folder."""
    valid = load_and_validate(project)
    versions = project.content / "versions"
    if not valid.versions:
        raise UsageError(f"{display_path(versions)} holds no version to copy; start with "
                         "'python build.py init DIR'")
    newest = valid.versions[-1]
    if newest.files["version.yaml"].get("status") == "draft":
        raise UsageError(f"the newest version {newest.name} is still a draft: edit it, or "
                         "release it first with 'python build.py release'")
    after = newest.effective + timedelta(days=1)
    if on is None:
        on = max(today, after)
    elif on < after:
        raise UsageError(f"the new version's date {on} must be after the newest version "
                         f"({newest.name}); use --date {after} or later")
    target = versions / on.isoformat()
    if target.exists():
        raise UsageError(f"{display_path(target)} exists already; choose another --date")
    source = versions / newest.name
    staging = versions / f".new-{on.isoformat()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        for path in sorted(source.glob("*.yaml")):
            if path.name != "version.yaml" and path.is_file() and not path.is_symlink():
                shutil.copyfile(path, staging / path.name)
        old_meta = newest.raw["version.yaml"].decode("utf-8")  # as read and validated
        modeline = old_meta.splitlines(keepends=True)[0] if old_meta.startswith(
            "# yaml-language-server:") else MODELINE
        (staging / "version.yaml").write_text(
            modeline + DRAFT_META.format(source=newest.name, name=on.isoformat()),
            encoding="utf-8")
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def init(folder: Path, on: date) -> list[Path]:
    """Write the content skeleton into ``folder`` (new or empty); returns the files."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{display_path(folder)} exists and is not an empty folder; "
                         "choose a new one")
    written = []
    for source in sorted(SKELETON.rglob("*.yaml")):
        relative = source.relative_to(SKELETON).as_posix().replace("DATE", on.isoformat())
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8").replace("last_changed: DATE",
                                                          f"last_changed: {on.isoformat()}")
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
