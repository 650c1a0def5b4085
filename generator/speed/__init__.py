"""The speed wing: what makes a build faster without changing a byte of its output.

Nothing in ``content``, ``render``, ``export`` or ``check`` imports this package;
the pipeline hands these in where the stages take a plain default.
"""
