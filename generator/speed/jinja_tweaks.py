"""Jinja compiled to faster code, and templates compiled ahead, for the same output.

:class:`Environment` prints each value through :func:`escape_output`;
``compile_templates`` compiles every page template in a side process while the build
starts, for ``take_compiled`` to hand to the renderer's bytecode cache. The plain
build uses the content environment (``render/environment.py``) as it is.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

try:
    from markupsafe import _escape_inner  # markupsafe 3: the C escaping of a str
except ImportError:  # pragma: no cover -- another markupsafe: its public escape
    _escape_inner = escape

from generator.incremental.version_cache import TemplateStore
from generator.render.environment import (
    FILTERS,
    ContentEnvironment,
    load_pages,
    new_environment,
)


def compile_templates(templates: Path) -> dict[str, bytes]:
    """Every page template under ``templates`` compiled, by Jinja's bytecode cache key: for
    a side process to compile while the build starts (``take_compiled``). A template
    that does not compile is left out: the build reports it."""
    store = TemplateStore()
    env = new_environment(jinja2.FileSystemLoader(str(templates)),
                          jinja2.MemcachedBytecodeCache(store), Environment)
    env.filters.update(dict.fromkeys(FILTERS, str))  # only their names are read here
    load_pages(env)
    return dict(store)


def take_compiled(renderer, compiled: dict[str, bytes]) -> None:
    """Templates compiled elsewhere (``compile_templates``), for ``renderer``'s
    environments to load: Jinja checks each against its template's source."""
    if compiled and isinstance(renderer.compiled, jinja2.MemcachedBytecodeCache):
        for key, code in compiled.items():
            renderer.compiled.client.setdefault(key, code)


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
