"""The template engine of the render stage: one Jinja environment per language.

Each environment autoescapes, fails on undefined names (StrictUndefined), and has
the i18n extension with that language's catalog and the filters the templates use
(texts, Markdown, dates, durations, labels). A template error is reported with the
template's file and line (:class:`TemplateProblem`).
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator.content import derived, vocabulary
from generator.content.files import display_path
from generator.content.located import LocalText, YMap
from generator.content.schema import DOCUMENTS, LANGUAGES
from generator.errors import Location, Problems
from generator.render import change_marks, changes, i18n, urls
from generator.render.text import MarkdownConverter


class ContentEnvironment(jinja2.Environment):
    """Reads ``record.field`` of a content record (a loaded mapping) as its key first.

    Jinja tries an attribute first and a key second, so ``record.items`` would be the
    mapping's method; a key of the record wins over a method of the same name, as a
    content field should (and no AttributeError is raised and caught for every field
    read)."""

    def getattr(self, obj, attribute):
        if type(obj) is YMap:
            found = obj.get(attribute, _MISSING)
            if found is not _MISSING:
                return found
        return super().getattr(obj, attribute)


_MISSING = object()


def new_environment(loader, compiled: jinja2.BytecodeCache | None = None,
                    kind: type[jinja2.Environment] = ContentEnvironment) -> jinja2.Environment:
    """An environment as every language's is, before its catalog and filters: what
    decides how a template compiles. ``kind``: the content environment, or a subclass
    that compiles to faster code (handed in by the pipeline, ``speed/jinja_tweaks.py``)."""
    return kind(
        loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True,
        auto_reload=False, bytecode_cache=compiled,
    )


def call_macro(macro, *args) -> Markup:
    """The ``memo()`` global of a plain build: the macro called. A template hands the
    markup of an item to ``memo(macro, args...)`` so that the speed wing may render it
    once per distinct set of arguments (``speed/template_memo.py``)."""
    return macro(*args)


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


def mailto(address: str, subject: str, body: str) -> str:
    """A mailto: URL with its subject and body (RFC 6068: every reserved character
    percent-encoded, lines ended by CRLF). Translated texts come as markup: their own
    text, not its HTML escaping, goes into the e-mail."""
    def plain(text) -> str:
        return text.unescape() if isinstance(text, Markup) else str(text)
    body_text = "\r\n".join(plain(body).splitlines())
    return (f"mailto:{quote(address, safe='@')}?subject={quote(plain(subject), safe='')}"
            f"&body={quote(body_text, safe='')}")


def load_pages(env: jinja2.Environment) -> None:
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
    # What the pipeline hands in to make a build faster or incremental; each default is
    # the plain way, which gives the same bytes (``python build.py build --plain``):
    # - ``cache``: pages of unchanged versions kept from the previous build
    #   (``incremental/build_cache.py``), None for a build from scratch;
    # - ``shared_articles``: renders a version's article once for all the pages that
    #   show it (``speed/shared_articles.py``), None to render it on each;
    # - ``memo``: makes each language's ``memo()`` global (``speed/template_memo.py``);
    # - ``environment``: the Jinja environment class, ``compiled``: a bytecode cache.
    cache: object | None = None
    shared_articles: object | None = None
    memo: Callable[[], Callable] | None = None
    environment: type[jinja2.Environment] = ContentEnvironment
    compiled: jinja2.BytecodeCache | None = None

    def __post_init__(self) -> None:
        loader = jinja2.FileSystemLoader(str(self.templates))
        for lang in LANGUAGES:
            translations = i18n.load_translations(self.locales, lang, self.problems)
            self.envs[lang] = self._environment(loader, lang, translations)

    def _environment(self, loader, lang: str, translations) -> jinja2.Environment:
        env = new_environment(loader, self.compiled, self.environment)
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

        def subject_names(idents, own) -> list[str]:
            """The names of categories of data subjects: an organisation's own (``own``,
            purposes.yaml's ``data_subjects:``) or the fixed vocabulary's."""
            named = {subject["id"]: subject["name"][lang] for subject in own}
            return [named.get(ident) or gettext(vocabulary.DATA_SUBJECT[ident])
                    for ident in idents]

        env.filters.update(
            text=text, markdown=markdown, inline=inline, label=label, upper_first=upper_first,
            describe=describe,
            # the names of the records ``keys`` refer to (in one call: map and list
            # cost eight filter calls for a purpose's two lists)
            names_in=lambda keys, items: [items[key]["name"] for key in keys],
            subject_names=subject_names,
            day=functools.lru_cache(maxsize=4096)(lambda d: i18n.format_day(d, lang)),
            and_list=lambda items: i18n.join_list(items, lang),
            duration=lambda iso: i18n.format_duration(iso, lang),
            country=lambda code: i18n.country_name(code, lang, gettext),
            mechanisms=derived.mechanisms, dpo_kind=derived.dpo_kind,
            supervisory_authority=derived.supervisory_authority,
            legal_bases_used=derived.legal_bases_used, retention_range=derived.retention_range,
            transfer_countries=derived.transfer_countries, all_in_eea=derived.all_in_eea,
            mailto=mailto,
            mark_changes=lambda redline, target="": change_marks.mark_changes(
                redline, gettext("Next change (%(number)s of %(count)s)"),
                gettext("Back to the number of changes"), target),
        )
        env.globals.update(lang=lang, languages=LANGUAGES, documents=DOCUMENTS, url_for=url_for,
                           memo=self.memo() if self.memo else call_macro)
        return env

    def warm_up(self) -> None:
        """Compile every template and load the locale data formatting needs, here: before a
        render helper is forked (``speed/render_helper.py``), so that both share them."""
        for lang, env in self.envs.items():
            load_pages(env)
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
