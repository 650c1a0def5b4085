"""The template engine of the render stage: one Jinja environment per language.

Each environment autoescapes, fails on undefined names (StrictUndefined), and has
the i18n extension with that language's catalog and the filters the templates use
(texts, Markdown, dates, durations, labels). A template error is reported with the
template's file and line (:class:`TemplateProblem`).
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import jinja2
from jinja2.compiler import CodeGenerator
from markupsafe import Markup, escape

try:
    from markupsafe import _escape_inner  # markupsafe 3: the C escaping of a str
except ImportError:  # pragma: no cover -- another markupsafe: its public escape
    _escape_inner = escape

from generator.content import vocabulary
from generator.content.files import display_path
from generator.content.located import LocalText, YMap
from generator.content.schema import DOCUMENTS, LANGUAGES
from generator.errors import Location, Problems
from generator.incremental.build_cache import BuildCache
from generator.incremental.version_cache import TemplateStore
from generator.render import changes, i18n, urls
from generator.render.text import MarkdownConverter
from generator.speed.shared_articles import SharedArticles
from generator.speed.template_memo import Memo

# Compiled templates, shared by every environment (the two languages of one build, and
# every rebuild of 'serve'). Jinja stores each with its source's checksum and compiles an
# edited template again, so this only saves work.
COMPILED_TEMPLATES = jinja2.MemcachedBytecodeCache(TemplateStore())


def _new_environment(loader, compiled: jinja2.BytecodeCache) -> jinja2.Environment:
    """An environment as every language's is, before its catalog and filters: what
    decides how a template compiles."""
    return _Environment(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
        auto_reload=False, bytecode_cache=compiled,
    )


@jinja2.pass_context
def url_for(context, kind: str, document: str | None = None, version: str | None = None,
            lang: str | None = None, absolute: bool = False) -> str:
    """The templates' links: ``url_for("version", document, entry.name)`` is the URL of
    that page (``urls.path_for`` names the kinds) as the page being rendered links to it,
    through ``page.url()``: relative, or absolute where the page is shown elsewhere (a
    fragment, the 404 page), or a mark for the shared rendering of an article
    (``speed/shared_articles.py``). ``lang``: the language rendered unless given.
    ``"alternate"``: this page in ``lang``. ``absolute``: from the site's base URL, for
    a file rendered without a page (the feed)."""
    lang = lang or context["lang"]
    if absolute:
        return context["site"].base_url + urls.path_for(kind, lang, document, version)
    page = context["page"]
    if kind == "alternate":
        return page.url(urls.address(page.alternates[lang]))
    return page.url(urls.path_for(kind, lang, document, version))


# The filters each language's environment adds (``Renderer._environment``): a template
# compiles only where the filters it names exist.
FILTERS = ("text", "markdown", "inline", "label", "upper_first", "describe", "names_in",
           "day", "and_list", "duration")


def compile_templates(templates: Path) -> dict[str, bytes]:
    """Every page template under ``templates`` compiled, by Jinja's bytecode cache key: for
    a side process to compile while the build starts (``Renderer.take_compiled``). A
    template that does not compile is left out: the build reports it."""
    store = TemplateStore()
    env = _new_environment(jinja2.FileSystemLoader(str(templates)),
                           jinja2.MemcachedBytecodeCache(store))
    env.filters.update(dict.fromkeys(FILTERS, str))  # only their names are read here
    _load_pages(env)
    return dict(store)


def _load_pages(env: jinja2.Environment) -> None:
    """Load (compile, or take from the bytecode cache) every page template of ``env``;
    one that does not compile is left to be reported where it is rendered."""
    for name in env.list_templates(extensions=("html", "xml")):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            pass


class TemplateProblem(Exception):
    def __init__(self, location: Location, message: str):
        super().__init__(message)
        self.location = location


@dataclass
class Renderer:
    templates: Path
    locales: Path
    problems: Problems
    fragment_heading_level: int = 2
    markdown: MarkdownConverter = field(default_factory=MarkdownConverter)
    envs: dict[str, jinja2.Environment] = field(default_factory=dict)
    # (lang, document, version) -> its article as on the version's page; comparison
    # pages reuse it (they compare text only, so where its links point does not matter)
    articles: dict[tuple[str, str, str], str] = field(default_factory=dict)
    memo: BuildCache | None = None  # pages of unchanged versions from the previous build
    memo_known: dict = field(default_factory=dict)  # the records memo() numbered (memo.Memo)
    shared_articles: SharedArticles = field(default_factory=SharedArticles)
    compiled: jinja2.BytecodeCache = COMPILED_TEMPLATES

    def __post_init__(self) -> None:
        loader = jinja2.FileSystemLoader(str(self.templates))
        if self.memo is not None:  # conversions and compiled templates of earlier builds
            self.markdown = MarkdownConverter(self.memo.versions.markdown)
            self.compiled = self.memo.compiled_templates()
        for lang in LANGUAGES:
            translations = i18n.load_translations(self.locales, lang, self.problems)
            self.envs[lang] = self._environment(loader, lang, translations)

    def _environment(self, loader, lang: str, translations) -> jinja2.Environment:
        env = _new_environment(loader, self.compiled)
        env.install_gettext_translations(translations, newstyle=True)
        gettext = translations.gettext

        plain: dict[str, Markup] = {}  # the texts without variables, formatted once

        def translated(string: str, **variables) -> Markup:
            """``_()`` as Jinja's new-style gettext does it with autoescape: the
            translation as markup, always formatted (so its variables are escaped),
            without Jinja's two extra calls through the context on every ``_()``."""
            if variables:
                return Markup(gettext(string)) % variables
            found = plain.get(string)
            if found is None:
                found = plain[string] = Markup(gettext(string)) % variables
            return found

        env.globals.update(_=translated, gettext=translated)

        def text(value: LocalText) -> str:
            return value[lang]

        def markdown(value: LocalText) -> Markup:
            return self.markdown(value[lang])

        def inline(value: LocalText) -> Markup:
            return self.markdown.inline(value[lang])

        def label(value: str, vocabulary_name: str) -> str:
            return gettext(vocabulary.VOCABULARIES[vocabulary_name][value])

        def describe(change) -> str:
            return changes.describe(change, lang, gettext)

        def upper_first(value: str) -> str:
            return value[:1].upper() + value[1:]

        env.filters.update(
            text=text, markdown=markdown, inline=inline, label=label, upper_first=upper_first,
            describe=describe,
            # the names of the records ``keys`` refer to (in one call: map and list
            # cost eight filter calls for a purpose's two lists)
            names_in=lambda keys, items: [items[key]["name"] for key in keys],
            day=functools.lru_cache(maxsize=4096)(lambda d: i18n.format_day(d, lang)),
            and_list=lambda items: i18n.join_list(items, lang),
            duration=lambda iso: i18n.format_duration(iso, lang),
        )
        env.globals.update(lang=lang, languages=LANGUAGES, documents=DOCUMENTS, url_for=url_for,
                           memo=Memo(self.memo_known))
        return env

    def take_compiled(self, compiled: dict[str, bytes]) -> None:
        """Templates compiled elsewhere (``compile_templates``), for this renderer's
        environments to load: Jinja checks each against its template's source."""
        if compiled and isinstance(self.compiled, jinja2.MemcachedBytecodeCache):
            for key, code in compiled.items():
                self.compiled.client.setdefault(key, code)

    def warm_up(self) -> None:
        """Compile every template and load the locale data formatting needs, here: before a
        render helper is forked (``render_helper.py``), so that both share them."""
        for lang, env in self.envs.items():
            _load_pages(env)
            i18n.format_day(date(2000, 1, 1), lang)
            i18n.format_duration("P1Y2M", lang)
            i18n.join_list(("a", "b", "c"), lang)
        self.markdown.warm_up()

    def render(self, lang: str, template: str, **context) -> str:
        try:
            return self.envs[lang].get_template(template).render(**context)
        except jinja2.TemplateSyntaxError as error:
            where = Location(display_path(Path(error.filename or template)), error.lineno or 0,
                             1 if error.lineno else 0)
            raise TemplateProblem(where, f"template error: {error.message}") from None
        except Exception as error:  # any failure inside a template is reported, located
            raise TemplateProblem(self._where(template), f"template error while rendering: "
                                  f"{type(error).__name__}: {error}") from None

    def _where(self, template: str) -> Location:
        """The innermost template line of the exception being handled."""
        trace = sys.exc_info()[2]
        found = Location(display_path(self.templates / template))
        while trace is not None:
            name = trace.tb_frame.f_code.co_filename
            if name.endswith(".html") or name.endswith(".xml"):
                found = Location(display_path(Path(name)), trace.tb_lineno, 1)
            trace = trace.tb_next
        return found


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


class _Environment(jinja2.Environment):
    """Reads ``record.field`` of a content record (a loaded mapping) as its key first.

    Jinja tries an attribute first and a key second, so every field read from a record
    raised and caught an AttributeError, a cost on every field read. A key of the
    record now wins over a method of the same name, as a content field should; none of
    the schema's fields but ``items`` is also a dict method, and templates write
    ``category["items"]`` anyway."""

    code_generator_class = _CodeGenerator
    escape_output = staticmethod(escape_output)

    def getattr(self, obj, attribute):
        if type(obj) is YMap:
            found = obj.get(attribute, _MISSING)
            if found is not _MISSING:
                return found
        return super().getattr(obj, attribute)


_MISSING = object()
