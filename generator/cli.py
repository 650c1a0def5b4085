"""The command line: ``python build.py [build|check|serve|release] ...``.

Exit codes: 0 success, 1 content errors, 2 wrong usage. Content problems are
printed one per line as ``file:line:column: message``; never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .errors import ContentError, Problems, UsageError
from .pipeline import Project, build, load_and_validate

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = ("build", "check", "serve", "release")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build versioned privacy and cookie statements.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=ROOT / "content",
                         help="content folder (default: content/)")
        sub.add_argument("--today", type=_date, default=None,
                         help="build date YYYY-MM-DD deciding the current version "
                              "(default: today)")
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")

    b = commands.add_parser("build", help="check and build the site (default)")
    common(b)
    b.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (site/)")
    b.add_argument("--drafts", action="store_true", help="also build a draft version")
    b.add_argument("--fragment-heading-level", type=int, choices=(1, 2, 3, 4), default=2,
                   help="heading level of an embedded fragment's title (default 2, to sit "
                        "under the host page's own h1)")

    c = commands.add_parser("check", help="validate the content")
    common(c)
    return parser


def report(problems: Problems, stream=sys.stderr) -> None:
    for problem in problems:
        print(problem, file=stream)
    count = len(problems.sorted())
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.",
          file=stream)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    if argv[0] in ("serve", "release"):
        print(f"build.py: '{argv[0]}' is not available yet", file=sys.stderr)
        return 2
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    today = args.today or date.today()
    project = Project.at(ROOT, content=args.content)
    try:
        if args.command == "check":
            load_and_validate(project)
            print("No problems found.")
            return 0
        files = build(project, args.out, today, drafts=args.drafts,
                      fragment_heading_level=args.fragment_heading_level)
    except ContentError as error:
        report(error.problems)
        return 1
    except UsageError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"build.py: cannot write the site: {error}", file=sys.stderr)
        return 1
    print(f"Built {len(files)} files into {args.out}")
    return 0
