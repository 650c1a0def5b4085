#!/usr/bin/env python3
"""Build the privacy and cookie statements: ``python build.py --help``."""

from generator.cli import end, main

if __name__ == "__main__":
    end(main())
