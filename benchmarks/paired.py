"""Two commits compared in paired, alternated cold builds on this machine:

    .venv/bin/python benchmarks/paired.py OLD_TREE NEW_TREE [--versions 250] [--pairs 8]

Each tree is a checkout (a ``git worktree`` of the commit to compare). The synthetic
content (``synthetic.py``, from this checkout) is generated once, locked by each tree as
its own templates word it (a change of wording changes released text), and built by
both trees' ``build.py`` with no cache, one after the other, ``--pairs`` times, the order
swapped every pair so that neither gains from a warm machine. Prints each tree's median
wall and CPU time (user + system of the build process and its children) and the median
of the per-pair ratios new/old, which is what the project's budgets are checked by
(docs/performance.md).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import run, synthetic  # noqa: E402


def cold_build(tree: Path, content: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one cold build of ``content`` by ``tree``'s build.py. The
    last output is moved aside, not removed: removing thousands of files slows the disk
    for seconds afterwards, which would be charged to this build (as ``run.py`` does)."""
    if out.exists():
        trash = out.with_name("removed")
        trash.mkdir(exist_ok=True)
        out.rename(trash / f"{out.name}-{len(list(trash.iterdir()))}")
    found = run.run_build(content, out, out.with_name(out.name + ".timings.json"), tree=tree,
                          options=("--no-cache", "--today", "2030-01-01"))
    return found["seconds"], found["cpu"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--versions", type=int, default=250)
    parser.add_argument("--pairs", type=int, default=8)
    parser.add_argument("--content-from", type=Path, help="the checkout whose synthetic.py "
                        "and shipped content make the content (default: this one); the "
                        "older one, when the newer one's content has fields it lacks")
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        content = Path(work) / "content"
        if options.versions and options.content_from:
            subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from benchmarks import synthetic; synthetic.generate("
                            f"Path(sys.argv[1]), {options.versions}, locked=True)",
                            str(content)], cwd=options.content_from, check=True)
        elif options.versions:
            synthetic.generate(content, options.versions, locked=True)
        else:
            shutil.copytree(Path(__file__).resolve().parent.parent / "content", content)
        runs: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
        copies = {}
        for name in runs:  # each checkout's own lock: its templates may word a text anew
            tree = getattr(options, name).resolve()
            copies[name] = Path(work) / f"content-{name}"
            shutil.copytree(content, copies[name])
            subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                            "from benchmarks.synthetic import lock_released; "
                            "lock_released(Path(sys.argv[1]))", str(copies[name])],
                           cwd=tree, check=True)
        for pair in range(options.pairs):
            order = ("old", "new") if pair % 2 == 0 else ("new", "old")
            for name in order:
                tree = getattr(options, name).resolve()
                runs[name].append(cold_build(tree, copies[name], Path(work) / f"out-{name}"))
    for name, found in runs.items():
        print(f"{name}: wall {statistics.median(w for w, _ in found):.3f} s, "
              f"CPU {statistics.median(c for _, c in found):.3f} s")
    for i, label in ((0, "wall"), (1, "CPU")):
        ratios = [n[i] / o[i] for o, n in zip(runs["old"], runs["new"], strict=True)]
        print(f"median pair ratio new/old, {label}: {statistics.median(ratios):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
