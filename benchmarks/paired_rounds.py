"""Two checkouts of the generator, timed in alternation on the same content.

``.venv/bin/python benchmarks/paired_rounds.py --base ../wt-base --after . --content DIR``

Each of ``--runs`` rounds builds, for each side (the order alternating from round to
round), as ``run.py`` does: cold (no output folder, no cache), no-op, and one edit
(one Dutch text of the newest version changed and relocked, each side in its own copy
of the content, locked by that side's code: the two sides' texts may differ). Every
build is a fresh ``build.py`` process with the side's own code;
the user's folder of compiled templates and PDFs (``XDG_CACHE_HOME``) is
``--xdg``, kept between the rounds as a user's is, so a cold build takes the PDFs an
earlier build made (``speed/pdf_store.py``). Prints the medians and the median of the
pair ratios (after / base) per case, and each PDF's size under the last site.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import TODAY, edit_newest  # noqa: E402

CASES = ("cold", "no-op", "one edit")


def build(side: Path, content: Path, out: Path, xdg: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one build by ``side``'s code."""
    env = {**os.environ, "XDG_CACHE_HOME": str(xdg)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    os.sync()
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:  # (a pipe that fills up would stop the build)
        process = subprocess.Popen([sys.executable, str(side / "build.py"), "build",
                                    "--content", str(content), "--out", str(out), "--today",
                                    TODAY], env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status):
            errors.seek(0)
            sys.exit(f"{side}: build failed:\n{errors.read().decode()[:4000]}")
    return seconds, usage.ru_utime + usage.ru_stime


def relock(side: Path, content: Path) -> None:
    """Record ``content``'s versions in its lock as ``side``'s code renders them (each
    side's text may differ: each side builds its own copy)."""
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    "from benchmarks.synthetic import lock_released; "
                    "lock_released(Path(sys.argv[1]))", str(content)],
                   cwd=side, check=True, env={**os.environ, "PYTHONPATH": str(side)})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--after", type=Path, default=ROOT)
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/paired"))
    parser.add_argument("--xdg", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    sides = {"base": args.base.resolve(), "after": args.after.resolve()}
    args.work.mkdir(parents=True, exist_ok=True)
    xdg = args.xdg or args.work / "xdg"
    results = {(name, case): [] for name in sides for case in CASES}
    for name in sides:
        copy = args.work / f"content-{name}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(args.content, copy)
        relock(sides[name], copy)
    for number in range(args.runs):
        order = list(sides) if number % 2 == 0 else list(reversed(sides))
        for name in order:
            side, content = sides[name], args.work / f"content-{name}"
            out, cache = args.work / f"site-{name}", args.work / ".privacy-docs-cache"
            for folder in (out, cache):
                shutil.rmtree(folder, ignore_errors=True)
            results[(name, "cold")].append(build(side, content, out, xdg))
            results[(name, "no-op")].append(build(side, content, out, xdg))
            edit_newest(content, number)
            relock(side, content)
            results[(name, "one edit")].append(build(side, content, out, xdg))
        print(f"round {number + 1}: " + ", ".join(
            f"{name} {case} {results[(name, case)][-1][0]:.2f}" for name in sides
            for case in CASES), file=sys.stderr)
    for case in CASES:
        base, after = results[("base", case)], results[("after", case)]
        ratios = [a[0] / b[0] for a, b in zip(after, base, strict=True)]
        print(f"{case}: base {statistics.median(w for w, _ in base):.3f} s "
              f"(CPU {statistics.median(c for _, c in base):.2f}), after "
              f"{statistics.median(w for w, _ in after):.3f} s "
              f"(CPU {statistics.median(c for _, c in after):.2f}), "
              f"pair ratio {statistics.median(ratios):.2f}")
    sizes = sorted(path.stat().st_size for path in (args.work / "site-after").rglob("*.pdf"))
    if sizes:
        print(f"PDFs: {len(sizes)}, {min(sizes)}-{max(sizes)} bytes, median "
              f"{statistics.median(sizes):.0f}, {sum(sizes) / 2**20:.1f} MiB in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
