"""The build benchmark: ``.venv/bin/python benchmarks/run.py``.

Generates synthetic content (``synthetic.py``; reused when already there),
then times whole ``build.py`` processes, each a fresh process, and prints the
median of ``--runs`` runs of these cases, every one making the PDFs (``--first-ever``
runs of the first):

- first ever: as on a machine that never built: no output folder, no cache, and the
  user's folder of compiled templates and PDFs (``XDG_CACHE_HOME``, here ``WORK/xdg``)
  empty, so that every PDF is laid out;
- cold: no output folder and no cache, the user's folder as earlier builds left it
  (the PDFs taken from there);
- no-op: a rebuild with nothing changed;
- first edit: a rebuild after one text in the newest version changed, the first
  after a clean build (its staging folder's 2,000 folders are made anew);
- one edit: the same again, as in an editing session (the site the last build
  replaced is reused as the staging folder).

Each edit is recorded in the lock as an erratum would be (not timed), so the build
lays out the edited version's Dutch PDF again. The PDFs' number and sizes are printed
under the table.

Per phase (from ``generator/timing.py``) it shows wall time and the peak
resident memory of the process at the end of that phase, and the CPU time and own
memory of the render helper (``generator/speed/render_helper.py``); the totals are
measured around the whole process, peak memory from the kernel's account of
the child (plus the helper's own), with its CPU time (user + system, the helper's
included), which other processes on the machine disturb less than wall time. Builds
run with Python's bytecode cache on, as by default, even where the environment sets
PYTHONDONTWRITEBYTECODE.

Then ``serve`` itself, in this process (``serve_latency.py``), in an editing
session (a draft of the newest version, one text of it saved again and again),
on the shipped and the synthetic content: from the save to the browsers being
told to reload, as the server measures it, and, where Chromium is installed,
from writing the file to the open page's navigation, measured in the browser.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.serve_latency import CHROMIUM, measure_in_browser, measure_serve  # noqa: E402
from benchmarks.synthetic import generate, lock_released  # noqa: E402

TODAY = "2026-11-25"
PHASES = ("cache", "load", "validate", "model", "render", "compare", "export", "lock",
          "write", "render helper")
LABELS = {"render helper": "helper"}
CASES = ("first ever", "cold", "no-op", "first edit", "one edit")
# Targets from issue 8 (whole process, 2 cores): Hugo's cold build of 1000 pages.
TARGETS = {"cold": "<= 1.3 s, < 150 MiB", "no-op": "< 0.3 s", "one edit": "< 0.4 s"}
SERVE_TARGETS = {"shipped": 0.1, "synthetic": 0.4}  # save -> reload (navigation), s
EDIT_FILE, EDIT = "privacy.yaml", re.compile(r"Als u klant(?: \(bewerkt \d+\))? bent")


def run_build(content: Path, out: Path, timings: Path, xdg: Path | None = None,
              tree: Path = ROOT, options: tuple[str, ...] = ("--today", TODAY)) -> dict:
    """One build by ``tree``'s build.py in a fresh process, with the user's folder
    ``xdg`` (default: the caller's): wall time, CPU time, peak memory, phases."""
    command = [sys.executable, str(tree / "build.py"), "build", "--content", str(content),
               "--out", str(out), *options]
    env = {**os.environ, "PRIVACY_DOCS_TIMINGS": str(timings)}
    if xdg is not None:
        env["XDG_CACHE_HOME"] = str(xdg)
    # Python's default: the generator's modules are compiled once and kept in
    # __pycache__. An environment that switches this off (this VM's does) makes every
    # process compile them again, about 30 ms a build that no user's machine pays.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    timings.unlink(missing_ok=True)
    os.sync()  # the disk settled: an earlier run's writes and removals are not charged here
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"build failed:\n{process.stderr.read().decode()}")
    process.stderr.close()
    phases = json.loads(timings.read_text()) if timings.exists() else {}
    # render includes the comparisons and the exports; show them apart
    for part in ("compare", "export"):
        if "render" in phases and part in phases:
            for measure_ in ("seconds", "cpu"):
                phases["render"][measure_] -= phases[part][measure_]
    # The kernel gives the largest process's peak (the build's). The memory the render
    # helper holds alone (what it does not share with the build) comes on top.
    alone = phases.get("render helper", {}).get("peak_mib", 0.0)
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "user": usage.ru_utime, "sys": usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024 + alone, "phases": phases}


def edit_newest(content: Path, number: int, relocked: bool = False) -> None:
    """Change one Dutch text of the newest version (a different change each run);
    ``relocked``: and record it in the lock, as an erratum would be (not timed)."""
    path = sorted((content / "versions").iterdir())[-1] / EDIT_FILE
    text, count = EDIT.subn(f"Als u klant (bewerkt {number}) bent", path.read_text("utf-8"), 1)
    if not count:
        sys.exit(f"{path}: the text to edit is missing; delete {content} to generate it anew")
    path.write_text(text, "utf-8")
    if relocked:
        lock_released(content)


def measure(content: Path, work: Path, runs: int, first_ever: int = 1
            ) -> dict[str, list[dict]]:
    out, cache, timings = work / "site", work / ".privacy-docs-cache", work / "timings.json"
    xdg = work / "xdg"
    results: dict[str, list[dict]] = {case: [] for case in CASES}
    # Earlier runs' output is moved aside and removed only at the end: removing 4,000
    # files makes the disk (mounted with 'discard' here) slow for seconds afterwards,
    # which would be charged to the next timed build.
    trash = work / "removed"
    shutil.rmtree(trash, ignore_errors=True)
    trash.mkdir()
    for number in range(runs):
        if number < first_ever:
            for folder in (out, cache, xdg):
                if folder.exists():
                    folder.rename(trash / f"{folder.name}-first-{number}")
            results["first ever"].append(run_build(content, out, timings, xdg))
        for folder in (out, cache):
            if folder.exists():
                folder.rename(trash / f"{folder.name}-{number}")
        results["cold"].append(run_build(content, out, timings, xdg))
        results["no-op"].append(run_build(content, out, timings, xdg))
        edit_newest(content, 2 * number, relocked=True)
        results["first edit"].append(run_build(content, out, timings, xdg))
        edit_newest(content, 2 * number + 1, relocked=True)
        results["one edit"].append(run_build(content, out, timings, xdg))
        print(f"run {number + 1}/{runs}: " + ", ".join(
            f"{case} {results[case][-1]['seconds']:.2f} s" for case in CASES
            if results[case]), file=sys.stderr)
    shutil.rmtree(trash, ignore_errors=True)
    return results


def median(values) -> float:
    values = list(values)
    return statistics.median(values) if values else 0.0


def _cell(runs: list[dict], wall: bool = True) -> str:
    if not runs:
        return f"{'-':>8}{'-':>8}{'-':>6}"
    seconds = f"{median(r['seconds'] for r in runs):>8.2f}" if wall else f"{'-':>8}"
    return (f"{seconds}{median(r['cpu'] for r in runs):>8.2f}"
            f"{median(r['peak_mib'] for r in runs):>6.0f}")


def table(results: dict[str, list[dict]], pages: int, files: int) -> str:
    lines = [f"{'':<9}" + "".join(f"{case:>22}" for case in CASES),
             f"{'phase':<9}" + f"{'wall s':>8}{'cpu s':>8}{'MiB':>6}" * len(CASES)]
    for name in PHASES:
        lines.append(f"{LABELS.get(name, name):<9}" + "".join(
            _cell([r["phases"][name] for r in results[case] if name in r["phases"]],
                  wall=name not in LABELS)
            for case in CASES))
    lines.append(f"{'total':<9}" + "".join(_cell(results[case]) for case in CASES))
    lines.append(f"{'user/sys':<9}" + "".join(
        f"{median(r['user'] for r in results[case]):>11.2f}"
        f"{median(r['sys'] for r in results[case]):>8.2f}   " for case in CASES))
    cold = median(r["seconds"] for r in results["cold"])
    lines.append(f"\n{pages} HTML pages ({files} files); cold build: {pages / cold:.0f} pages/s")
    lines.append("targets: " + "; ".join(f"{case} {target}" for case, target in TARGETS.items()))
    lines.append("render is without compare (change lists and text comparisons) and export "
                 "(JSON, JSON-LD, PDFs), shown apart; MiB: peak resident memory")
    lines.append("helper: the render helper that makes the older versions' pages of a cold "
                 "build on the other core (its CPU time; MiB: the memory only it holds, "
                 "added to the total's)")
    lines.append("user/sys: the whole process's CPU time in Python and in the kernel; sys is "
                 "mostly making, linking and removing files, and varies several-fold with "
                 "the state of the disk (on this machine's VM)")
    return "\n".join(lines)


def pdf_sizes(site: Path) -> str:
    """The PDFs' number and sizes, in bytes."""
    sizes = sorted(path.stat().st_size for path in site.rglob("*.pdf"))
    if not sizes:
        return "PDFs: none"
    return (f"PDFs: {len(sizes)}, {sum(sizes) / 2**20:.1f} MiB; {sizes[0]:,}-{sizes[-1]:,} "
            f"bytes, median {int(median(sizes)):,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the build on synthetic content.")
    parser.add_argument("--versions", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--first-ever", type=int, default=1,
                        help="runs of the first-ever case (every PDF laid out; 0: skip)")
    parser.add_argument("--saves", type=int, default=9,
                        help="saves timed in serve, per content (0: skip serve)")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out",
                        help="folder for the content, site and cache (default: benchmarks/out/)")
    args = parser.parse_args(argv)
    content = args.work / f"content-{args.versions}"
    if not (content / "site.yaml").exists():
        print(f"Generating {args.versions} versions into {content} ...", file=sys.stderr)
        generate(content, versions=args.versions)
    results = measure(content, args.work, args.runs, args.first_ever)
    site = args.work / "site"
    files = [p for p in site.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".html")
    print(f"\nMedians of {args.runs} runs, each a fresh process ({min(args.first_ever, args.runs)}"
          f" of the first ever); {args.versions} versions; {os.cpu_count()} cores; load "
          f"average {os.getloadavg()[0]:.1f} at the end")
    print(table(results, pages, len(files)))
    print(pdf_sizes(site))
    if args.saves:
        browser = CHROMIUM.exists()
        print(f"\nserve, editing a draft: from a save to the browsers told to reload, median "
              f"of {args.saves} saves (the rebuild alone in brackets)"
              + ("; then, measured in Chromium, from writing the file to the page's "
                 "navigation" if browser else ""))
        today = date.fromisoformat(TODAY)
        for name, folder in (("shipped", ROOT / "content"), ("synthetic", content)):
            found = measure_serve(folder, args.saves, today)
            line = (f"{name:<10}{found['reload'] * 1000:>6.0f} ms  "
                    f"({found['build'] * 1000:.0f} ms)")
            if browser:
                seen = measure_in_browser(folder, args.saves, today)
                line += (f"  in Chromium {seen['navigation'] * 1000:.0f} ms "
                         f"({seen['fastest'] * 1000:.0f}-{seen['slowest'] * 1000:.0f})")
            print(f"{line}  target < {SERVE_TARGETS[name] * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
