"""Jinja compiled to faster code, for the same output.

:class:`Environment` prints each value through :func:`escape_output`. The plain build
uses the content environment (``render/environment.py``) as it is.
"""

from __future__ import annotations

from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

try:
    from markupsafe import _escape_inner  # markupsafe 3: the C escaping of a str
except ImportError:  # pragma: no cover -- another markupsafe: its public escape
    _escape_inner = escape

from generator.render.environment import (
    ContentEnvironment,
)


def escape_output(value) -> str:
    """What ``{{ value }}`` prints with autoescape, as markupsafe's ``escape`` makes it,
    without a new Markup around each printed value: Jinja joins them into one string."""
    kind = type(value)
    if kind is Markup:
        return value
    if kind is str:
        return _escape_inner(value)
    return escape(value)


class _CodeGenerator(CodeGenerator):
    """Prints values through ``escape_output``. (Jinja's ``escape``, a Python function
    in markupsafe 3, copies a Markup value into a new one before it is joined, for
    every value printed.)"""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None:
            self.write("environment.escape_output(")
        else:
            super()._output_child_pre(node, frame, finalize)


class Environment(ContentEnvironment):
    """The content environment, printing values through ``escape_output``."""

    code_generator_class = _CodeGenerator
    escape_output = staticmethod(escape_output)
