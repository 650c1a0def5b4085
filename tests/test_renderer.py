"""The template environments (``generator/render/environment.py``)."""

from __future__ import annotations

from generator.content.located import YMap
from generator.errors import Problems
from generator.render.environment import Renderer

from .conftest import ROOT


def test_a_field_of_a_record_is_read_as_its_key_first():
    """``record.field`` reads the content key (Jinja tries the attribute first, which
    raised and caught an error for every field read); a method is still found when
    the record has no key of that name."""
    renderer = Renderer(ROOT / "templates", ROOT / "locales", Problems())
    env = renderer.envs["en"]
    record = YMap(0, "x.yaml")
    record.update({"title": "T", "items": "the items field"})
    template = env.from_string("{{ r.title }}|{{ r.items }}|{{ r.get('title') }}|{{ d.items() "
                               "|list|length }}|{{ r.missing is undefined }}")
    assert template.render(r=record, d={"a": 1}) == "T|the items field|T|1|True"


def test_gettext_formats_and_escapes_as_jinjas_new_style_gettext():
    """``_()`` is the renderer's own (one call fewer through the context): it must read
    exactly as Jinja's new-style gettext with autoescape."""
    import jinja2

    renderer = Renderer(ROOT / "templates", ROOT / "locales", Problems())
    ours = renderer.envs["nl"]
    jinjas = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    from generator.render import i18n
    jinjas.install_gettext_translations(i18n.load_translations(ROOT / "locales", "nl",
                                                               Problems()), newstyle=True)
    source = ('{{ _("Contents") }}|{{ _("It was last changed on %(date)s.", date=d) }}|'
              '{{ _("100%% <b>%(x)s</b>", x=x) }}|{{ gettext("Contents") }}')
    values = {"d": "<i>1 april</i>", "x": "a & b"}
    assert ours.from_string(source).render(**values) == \
        jinjas.from_string(source).render(**values)
    assert "Inhoud" in ours.from_string(source).render(**values)


def test_links_between_pages_are_those_of_posixpath_relpath(built_site):
    """The site's own relative links: every page to every page of the shipped site, and
    edge cases, as ``posixpath.relpath`` would make them."""
    import posixpath

    from generator.render.urls import _relative, relative_url
    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    folders = sorted({posixpath.dirname(p) + "/" for p in pages})
    edge = ["index.html", "nl/", "nl", "", ".", "./", "nl/privacy/./x/", "a//b/", "../x",
            "nl/../en/"]
    for source in pages[::7] + edge:
        for target in pages[::5] + folders + edge:
            start = posixpath.dirname(source) or "."
            assert _relative(target or ".", start) == posixpath.relpath(target or ".", start), \
                (source, target)
    assert relative_url("nl/privacy/2020-10-01/index.html", "nl/cookies/") == "../../cookies/"
    assert relative_url("nl/privacy/index.html", "nl/privacy/") == "./"


def test_templates_are_compiled_once_per_session(monkeypatch):
    """A later Renderer of one session (the next build of 'serve', the other language)
    takes each template from the session's bytecode cache instead of compiling its
    source again."""
    import jinja2

    from generator.speed.session import Speedups
    speed = Speedups()
    compiled: list[str] = []
    real_compile = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return real_compile(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    for _ in range(2):
        renderer = Renderer(ROOT / "templates", ROOT / "locales", Problems(),
                            **speed.renderer_parts())
        for lang in ("nl", "en"):
            renderer.envs[lang].get_template("document_page.html")
    assert "document_page.html" in compiled
    assert len(compiled) == len(set(compiled)), compiled  # each template compiled once


def test_printed_values_are_escaped_as_markupsafe_escapes_them():
    """``{{ value }}`` goes through ``escape_output`` (the renderer's code generator),
    which must print what markupsafe's ``escape`` prints, for every kind of value."""
    from markupsafe import Markup, escape

    from generator.speed.jinja_tweaks import Environment, escape_output

    class Html:
        def __html__(self):
            return "<b>kept</b>"

    class MarkupKind(Markup):
        pass
    values = ["plain", "<a href='x'>&\"</a>", Markup("<em>safe</em>"), MarkupKind("<i>x</i>"),
              3, 2.5, None, True, Html(), ["<list>"], ""]
    for value in values:
        assert escape_output(value) == str(escape(value)), value

    renderer = Renderer(ROOT / "templates", ROOT / "locales", Problems(), environment=Environment)
    env = renderer.envs["nl"]
    source = ("{{ a }}|{{ b }}|{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m(a) }}|"
              "{% set c %}{{ a }}{% endset %}{{ c }}|"
              "{% autoescape false %}{{ a }}{% endautoescape %}")
    assert "environment.escape_output(" in env.compile(source, raw=True)
    assert env.from_string(source).render(a="<&>", b=Markup("<br>")) == \
        "&lt;&amp;&gt;|<br>|<&lt;&amp;&gt;>|&lt;&amp;&gt;|<&>"
