#!/usr/bin/env python3
"""Build the privacy and cookie statements: ``python build.py --help``."""

import sys

if __name__ == "__main__":
    # Ctrl-C while the generator loads, the arguments are read or the process ends (where
    # main() does not handle it) ends as quietly as Ctrl-C during a command: exit code 130.
    try:
        from generator.commands.cli import end, main
        end(main())
    except KeyboardInterrupt:
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C: no traceback either
        print("build.py: interrupted", file=sys.stderr)
        sys.exit(130)
