"""Memory of a ``serve`` session over many saves: ``.venv/bin/python benchmarks/serve_memory.py``.

The preview's rebuild (``commands.serve.Preview.build``, the very build a save
starts, with the session's speedups and cache) is run after each of ``--saves``
edits of one text of a draft, in this process, and the process's resident memory
and the number of objects the collector tracks are printed every ``--every``
saves. A session whose state is bounded shows both flat after the first saves.
No server or browser: only what a rebuild keeps is measured.
"""

from __future__ import annotations

import argparse
import gc
import io
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve_latency import TODAY, edit_text  # noqa: E402
from benchmarks.synthetic import generate  # noqa: E402


def resident_mib() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def session(content: Path, saves: int, every: int) -> list[tuple[int, float, int]]:
    """(save, resident MiB, tracked objects) every ``every`` saves of a draft."""
    from generator.commands.cli import GC_THRESHOLD
    from generator.commands.new_version import new_version
    from generator.commands.serve import Preview
    from generator.pipeline import Project

    gc.set_threshold(*GC_THRESHOLD)  # as build.py serve does
    rows = []
    with tempfile.TemporaryDirectory(prefix="privacy-docs-memory-") as work:
        copy = Path(work) / "content"
        shutil.copytree(content, copy)
        project = Project.at(ROOT, content=copy)
        draft = new_version(project, None, TODAY)
        preview = Preview(project, Path(work) / "preview" / "site", TODAY, io.StringIO())
        for number in range(saves + 1):
            edit_text(draft, 1000 + number)
            if not preview.build():
                raise RuntimeError(f"the preview shows problems: {preview.problems[0]}")
            if number % every == 0:
                gc.collect()
                rows.append((number, resident_mib(), len(gc.get_objects())))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--every", type=int, default=50)
    parser.add_argument("--versions", type=int, default=0,
                        help="a synthetic history of this many versions (default: the shipped "
                             "content)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        content = (generate(Path(scratch) / "content", versions=args.versions)
                   if args.versions else ROOT / "content")
        rows = session(content, args.saves, args.every)
    print("| save | resident MiB | tracked objects |\n|---|---|---|")
    for number, mib, objects in rows:
        print(f"| {number} | {mib:.1f} | {objects:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
