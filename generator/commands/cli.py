"""The command line: ``python build.py [COMMAND] [options]``; ``--help`` after a command
lists its options.

Commands (``build`` when none is given, or when the first argument is an option):

- ``build``: check the content and build the site into ``site/``
- ``check``: validate the content, then list what a version lacks under the GDPR and the
  Telecommunicatiewet
- ``serve``: preview with drafts on 127.0.0.1, rebuilt and reloaded on every save
- ``release``: release the draft and record it in the lock
- ``lock``: record an erratum of released versions in the lock
- ``register``: write the record of processing activities (GDPR Art. 30(1))
- ``schema``: write the JSON Schema of the content files into ``CONTENT/schema/``
- ``new-version``: copy the newest version into a new draft
- ``init``: write a content skeleton for another organisation

Each command is one handler in :data:`COMMANDS` that returns the exit code and imports
what it needs when it runs, so that a build does not load the checks, the register or the
preview server. :func:`main` turns the errors of every command into messages in one place.
Exit codes: 0 success, 1 content errors or a file that cannot be written, 2 wrong usage.
Content problems are printed one per line as ``file:line:column: message``; never a
traceback.
"""

from __future__ import annotations

import argparse
import difflib
import gc
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NoReturn

from generator import CACHE_FOLDER, __version__
from generator.errors import ContentError, Problems, UsageError

# A build makes millions of small objects and hardly any reference cycles: look for
# cycles less often (the default, every 700 allocations, costs a long build much time).
GC_THRESHOLD = (100_000, 50, 100)

ROOT = Path(__file__).resolve().parents[2]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def _port(text: str) -> int:
    """A TCP port, 1 to 65535: the system would take a larger number modulo 65536 and
    listen on another port than the one announced."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 65535):
        raise argparse.ArgumentTypeError(f"'{text}' is not a port; use a number from 1 to "
                                         "65535")
    return int(text)


class _CommandParser(argparse.ArgumentParser):
    """A command's parser reports the arguments it does not know itself, with its own
    usage (argparse hands them to the top-level parser, whose usage lists no options)."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, unknown = super().parse_known_args(args, namespace)
        if unknown:
            self.error(f"unrecognized arguments: {' '.join(unknown)}")
        return namespace, unknown


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build versioned privacy and cookie statements.")
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s (privacy-docs) {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND",
                                     parser_class=_CommandParser)

    # One spelling of each value in every command's usage: DIR, DATE, VERSION, PORT, HOST.
    def content(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR",
                         help="content folder (default: content/)")

    def dated(sub: argparse.ArgumentParser) -> None:
        content(sub)
        sub.add_argument("--today", type=_date, default=None, metavar="DATE",
                         help="the build date (YYYY-MM-DD) that decides the current version "
                              "(default: today)")

    def common(sub: argparse.ArgumentParser) -> None:
        dated(sub)
        sub.add_argument("--strict", action="store_true", help="treat warnings as errors")

    b = commands.add_parser("build", help="check and build the site (default)")
    common(b)
    b.add_argument("--out", type=Path, default=ROOT / "site", metavar="DIR",
                   help="output folder (default: site/)")
    b.add_argument("--drafts", action="store_true", help="also build a draft version")
    b.add_argument("--fragment-heading-level", type=int, choices=(1, 2, 3, 4), default=2,
                   help="heading level of an embedded fragment's title (default 2, to sit "
                        "under the host page's own h1)")
    cache = b.add_mutually_exclusive_group()  # a clean build has no cache to be told of
    cache.add_argument("--cache", type=Path, default=None, metavar="DIR",
                       help=f"cache for incremental rebuilds (default: {CACHE_FOLDER}/ beside "
                            "the output folder; safe to delete)")
    cache.add_argument("--no-cache", action="store_true",
                       help="a clean build: neither read nor write the cache")
    b.add_argument("--plain", action="store_true",
                   help="build without any speedup or cache: the same files, "
                        "more slowly (to rule the speedups out)")
    b.add_argument("--no-wait", action="store_true",
                   help="when another build is writing the same output folder, stop with a "
                        "message instead of waiting for it to finish")

    c = commands.add_parser("check", help="validate the content, then list what a version "
                            "lacks under the GDPR and the Telecommunicatiewet")
    common(c)
    c.add_argument("--lang", choices=("en", "nl"), default="en",
                   help="language of the findings (default: en)")
    c.add_argument("version", nargs="?", metavar="VERSION",
                   help="the version to check (YYYY-MM-DD; default: the newest)")

    r = commands.add_parser("release", help="release the draft and record it in the lock")
    common(r)
    r.add_argument("version", nargs="?", metavar="VERSION",
                   help="a released version not yet locked (YYYY-MM-DD; default: the "
                        "draft)")
    r.add_argument("--date", type=_date, default=None, metavar="DATE",
                   help="the date (YYYY-MM-DD) it takes effect, if not its folder's date")

    lk = commands.add_parser("lock", help="record an erratum: update the lock of versions "
                             "corrected through an erratum")
    common(lk)
    lk.add_argument("versions", nargs="+", metavar="VERSION",
                    help="a version corrected through an erratum (YYYY-MM-DD)")

    rg = commands.add_parser("register", help="write the record of processing activities "
                             "(GDPR Art. 30(1)) as CSV and printable HTML")
    common(rg)
    rg.add_argument("--out", type=Path, default=ROOT / "register", metavar="DIR",
                    help="output folder (default: register/, never site/ unless asked)")
    rg.add_argument("version", nargs="?", metavar="VERSION",
                    help="the version (YYYY-MM-DD; default: the one in effect)")

    s = commands.add_parser("schema", help="write the JSON Schema of the content files "
                                           "into the content folder's schema/ (for editors)")
    content(s)

    sv = commands.add_parser("serve", help="preview with drafts on 127.0.0.1; rebuild and "
                             "reload the browser on every save")
    dated(sv)
    sv.add_argument("--port", type=_port, default=8000, metavar="PORT",
                    help="port (default: 8000)")
    sv.add_argument("--host", default="127.0.0.1", metavar="HOST",
                    help="address to listen on (default: 127.0.0.1, this computer only)")

    nv = commands.add_parser("new-version", help="copy the newest version into a new draft")
    dated(nv)
    nv.add_argument("--date", type=_date, default=None, metavar="DATE",
                    help="the date (YYYY-MM-DD) it takes effect (default: today, or the day "
                         "after the newest version)")

    it = commands.add_parser("init", help="write a content skeleton for another organisation")
    it.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    it.add_argument("--date", type=_date, default=None, metavar="DATE",
                    help="the date (YYYY-MM-DD) of the first version (default: today)")
    return parser


def report(problems: Problems, stream=None) -> None:
    stream = stream or sys.stderr  # looked up now, so that redirecting sys.stderr works
    for problem in problems:
        print(problem, file=stream)
    count = len(problems.sorted())
    print(f"{count} problem{'s' if count != 1 else ''} found; nothing was written.",
          file=stream)


def _project(content: Path):
    from generator.pipeline import Project
    return Project.at(ROOT, content=content)


def _today(args: argparse.Namespace) -> date:
    return args.today or date.today()


def _build(args: argparse.Namespace) -> int:
    from generator.output.folder import parent_refusal  # (imports nothing of the build)
    problem = parent_refusal(args.out)
    if problem:
        raise UsageError(f"{problem}. Nothing was written.")
    if args.plain and args.cache:
        raise UsageError("--plain builds without a cache; leave out --cache")
    from generator.output.folder import check_output
    from generator.pipeline import build, protected_folders
    project = _project(args.content)
    cache = None if args.no_cache or args.plain else \
        args.cache or args.out.absolute().parent / CACHE_FOLDER
    check_output(args.out, protected_folders(project, cache))  # before anything is read
    if args.strict:
        from generator.check.run import report_check, run_check, translations_for
        result = run_check(project)
        if result.findings:
            report_check(result, "en", translations_for(project, "en"), sys.stderr)
            print("build --strict: the check has findings; nothing was written.",
                  file=sys.stderr)
            return 1
    speed = None
    if not args.plain:  # with the templates this user's builds compiled before
        from generator.speed import pdf_store
        from generator.speed.compiled_store import user_folder
        from generator.speed.session import Speedups
        speed = Speedups(templates=user_folder(), pdfs=pdf_store.folder)  # found if needed
    files = build(project, args.out, _today(args), drafts=args.drafts,
                  fragment_heading_level=args.fragment_heading_level, cache=cache,
                  wait=not args.no_wait, speed=speed, plain=args.plain)
    print(f"Built {len(files)} files into {args.out}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from generator.check.run import report_check, run_check, translations_for
    project = _project(args.content)
    result = run_check(project, args.version)
    report_check(result, args.lang, translations_for(project, args.lang))
    return 1 if result.failed(args.strict) else 0


def _serve(args: argparse.Namespace) -> int:
    from generator.commands.serve import serve  # the web server; it reports its own address errors
    return serve(_project(args.content), args.host, args.port, args.today)


def _release(args: argparse.Namespace) -> int:
    from generator.commands.release import release
    from generator.content.lock import LOCK_NAME
    name = release(_project(args.content), args.version, args.date, _today(args))
    print(f"Released version {name} and recorded it in {args.content / LOCK_NAME}")
    return 0


def _lock(args: argparse.Namespace) -> int:
    from generator.commands.release import update_lock
    from generator.content.lock import LOCK_NAME
    update_lock(_project(args.content), args.versions, _today(args))
    print(f"Recorded the erratum of {', '.join(args.versions)} in {args.content / LOCK_NAME}")
    return 0


def _register(args: argparse.Namespace) -> int:
    from generator.export.register import write_register
    folder = write_register(_project(args.content), args.out, _today(args), args.version)
    print(f"Wrote the record of processing activities into {folder}")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from generator.export.json_schema import SCHEMA_FOLDER, write_schemas
    written = write_schemas(args.content)
    print(f"Wrote {len(written)} JSON Schema files into {args.content / SCHEMA_FOLDER}")
    return 0


def _new_version(args: argparse.Namespace) -> int:
    from generator.commands.new_version import new_version
    folder = new_version(_project(args.content), args.date, _today(args))
    print(f"Created the draft {folder}: edit it, preview it with "
          "'python build.py serve', publish it with 'python build.py release'")
    return 0


def _init(args: argparse.Namespace) -> int:
    from generator.commands.new_version import init
    from generator.export.json_schema import write_schemas
    from generator.pipeline import load_and_validate
    folder = args.folder
    init(folder, args.date or date.today())
    write_schemas(folder)
    load_and_validate(_project(folder))
    print(f"Wrote a content skeleton into {folder}. Replace every [placeholder], list what "
          f"the statement still lacks with 'python build.py check --content {folder}', and "
          f"preview it with 'python build.py serve --content {folder}'.")
    return 0


@dataclass(frozen=True)
class Command:
    run: Callable[[argparse.Namespace], int]
    """The handler: does the command, returns the exit code."""
    writes: Callable[[argparse.Namespace], object] = lambda args: "the site"
    """What the command writes, named when writing fails: ``cannot write <this>: ...``."""
    loads_content: bool = True
    """Whether it loads the whole content (millions of small objects)."""


COMMANDS: dict[str, Command] = {
    "build": Command(_build),
    "check": Command(_check),
    "serve": Command(_serve),
    "release": Command(_release),
    "lock": Command(_lock),
    "register": Command(_register),
    "schema": Command(_schema, writes=lambda args: args.content, loads_content=False),
    "new-version": Command(_new_version),
    "init": Command(_init, writes=lambda args: args.folder, loads_content=False),
}


def end(code: int) -> NoReturn:
    """End the process with ``code`` without freeing its objects one by one, as mypy
    does: freeing them is a noticeable share of a rebuild. What must happen at the end
    happens first: the timings file is written and the output flushed."""
    from generator import timing
    timing.finish()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said there
            pass
    os._exit(code)


def _parse(argv: list[str]) -> argparse.Namespace:
    """The arguments; SystemExit once argparse has printed the usage and the error."""
    parser = _parser()
    if not argv[0].startswith("-") and argv[0] not in COMMANDS:
        close = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        parser.error(f"unknown command '{argv[0]}'; " + (
            f"did you mean '{close[0]}'?" if close else f"the commands are {', '.join(COMMANDS)}"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version"):
        argv.insert(0, "build")
    try:
        args = _parse(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    command = COMMANDS[args.command]
    if command.loads_content:
        gc.set_threshold(*GC_THRESHOLD)
    try:
        return command.run(args)
    except ContentError as error:
        report(error.problems)
        return 1
    except UsageError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of the output went away (| head): the work is done
        return 1
    except KeyboardInterrupt:  # Ctrl-C: a build leaves the site as it was (write.py)
        print(f"build.py {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"build.py: cannot write {command.writes(args)}: {error}", file=sys.stderr)
        return 1
