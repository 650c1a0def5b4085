"""What any Python build of this output costs at least, on this machine.

``.venv/bin/python benchmarks/floor.py`` (after ``benchmarks/run.py``, whose site
and content it reads) times, best of three each, the work no build of the same
output can skip, done the cheapest way the standard tools allow:

- yaml: parsing each distinct piece of the distinct content files (a build need not
  parse a file repeated unchanged twice, nor a piece of one, ``generator/speed/yaml_pieces.py``:
  a file that is not read in pieces counts whole) with libyaml into PyYAML's nodes, no
  further;
- jinja: every HTML page made by one Jinja template, autoescaped, from the list of
  its lines (a loop and an escape per line, no logic, no translation);
- json: every JSON and JSON-LD file written by orjson from its data (as the build
  writes them, see ``generator/json_text.py``);
- write: every file written into a new folder, with its folders, in memory
  (``/dev/shm`` where there is one): on this VM's disk the same writes take 0.8 to
  3 s depending on what the disk did in the seconds before, which is no floor.

Their sum is the floor the cold build is measured against: the issue's own
floor (1.0 s for 1000 pages through one template) scaled to this output.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jinja2
import orjson
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.commands.cli import GC_THRESHOLD  # noqa: E402
from generator.speed import yaml_pieces  # noqa: E402

PAGE = jinja2.Environment(autoescape=True).from_string(
    "{% for line in lines %}{{ line }}\n{% endfor %}")


def _pieces(source: bytes) -> list[str]:
    """The pieces a build parses of a file (``yaml_pieces.split``), or the whole file."""
    text = source.decode("utf-8")
    split = yaml_pieces.split(text)
    return [text] if split is None or len(split) < 2 else [piece for piece, _, _ in split]


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        os.sync()  # as before each timed build: earlier writes are not charged here
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(content: Path, site: Path, scratch: Path, runs: int = 3) -> dict[str, float]:
    sources = sorted({path.read_bytes() for path in content.rglob("*.yaml")})
    pieces = sorted({piece for source in sources for piece in _pieces(source)})
    outputs = {path.relative_to(site).as_posix(): path.read_bytes()
               for path in sorted(site.rglob("*")) if path.is_file()}
    pages = [data.decode("utf-8").splitlines() for name, data in outputs.items()
             if name.endswith(".html")]
    data = [json.loads(raw) for name, raw in outputs.items()
            if name.endswith((".json", ".jsonld"))]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    written = iter(range(runs))

    def write() -> None:
        folder = f"{scratch}/{next(written)}/"
        for name, raw in outputs.items():
            os.makedirs(folder + name.rpartition("/")[0], exist_ok=True)
            with open(folder + name, "wb") as stream:
                stream.write(raw)

    figures = {
        "yaml": best_of(runs, lambda: [yaml.compose(piece, Loader=loader)
                                       for piece in pieces]),
        "jinja": best_of(runs, lambda: [PAGE.render(lines=lines) for lines in pages]),
        "json": best_of(runs, lambda: [orjson.dumps(item) for item in data]),
        "write": best_of(runs, write),
    }
    shutil.rmtree(scratch, ignore_errors=True)
    figures["pages"], figures["json files"], figures["files"] = len(pages), len(data), len(outputs)
    figures["content files"], figures["pieces"] = len(sources), len(pieces)  # distinct
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The floor of a build of this output.")
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / "out",
                        help="the benchmark's folder (default: benchmarks/out/)")
    parser.add_argument("--versions", type=int, default=250)
    parser.add_argument("--scratch", type=Path,
                        default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
                        help="where to time the writes (default: /dev/shm, else --work)")
    args = parser.parse_args(argv)
    gc.set_threshold(*GC_THRESHOLD)  # as the build sets it
    content, site = args.work / f"content-{args.versions}", args.work / "site"
    if not (site / "index.html").exists():
        sys.exit(f"{site} is missing: run benchmarks/run.py first")
    scratch = (args.scratch or args.work) / f"privacy-docs-floor-{os.getpid()}"
    found = measure(content, site, scratch)
    total = sum(found[part] for part in ("yaml", "jinja", "json", "write"))
    print(f"floor for {found['pages']} pages, {found['json files']} JSON files "
          f"({found['files']} files) from {found['content files']} distinct content files "
          f"({found['pieces']} distinct pieces), "
          f"best of 3, {os.cpu_count()} cores; writes timed in {scratch.parent}:")
    for part in ("yaml", "jinja", "json", "write"):
        print(f"  {part:<6}{found[part]:>6.2f} s")
    print(f"  {'total':<6}{total:>6.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
