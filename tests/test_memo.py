"""Parts rendered once per distinct input (``generator/speed/template_memo.py``) read
exactly as rendered anew."""

from __future__ import annotations

from datetime import date

import jinja2
import pytest

from benchmarks.synthetic import generate
from generator.content.located import LocalText
from generator.content.model import build_site
from generator.errors import Location, Problems
from generator.pipeline import Project, load_and_validate
from generator.render.environment import Renderer
from generator.render.kinds import article
from generator.render.urls import Page, page_path
from generator.speed.template_memo import Memo, freeze

from .conftest import ROOT, TODAY


def test_freeze_tells_apart_what_reads_differently():
    here, there = Location("a.yaml", 1, 1), Location("b.yaml", 9, 9)
    assert freeze(LocalText({"nl": "a"}, here)) == freeze(LocalText({"nl": "a"}, there))
    assert freeze(LocalText({"nl": "a"}, here)) != freeze(LocalText({"nl": "b"}, here))
    assert freeze(LocalText({"nl": "a"}, here)) != freeze({"nl": "a"})
    assert freeze(True) != freeze(1) and freeze(1) != freeze(1.0)
    assert freeze({"a": 1}) != freeze([("a", 1)])
    assert freeze({"a": [1, "x"]}) == freeze({"a": (1, "x")})
    assert freeze(date(2020, 1, 1)) != freeze("2020-01-01")
    with pytest.raises(TypeError):
        freeze(object())


def test_a_macro_is_rendered_once_per_distinct_arguments():
    env = jinja2.Environment(autoescape=True, loader=jinja2.DictLoader({
        "m.html": "{% macro item(x) %}<b>{{ x.name }}</b>{% endmacro %}",
        "page.html": '{% from "m.html" import item %}'
                     "{% for x in xs %}{{ memo(item, x) }}{% endfor %}",
    }))
    env.globals["memo"] = memo = Memo()
    page = env.get_template("page.html")
    assert page.render(xs=[{"name": "<a>"}, {"name": "<a>"}, {"name": "b"}]) == \
        "<b>&lt;a&gt;</b><b>&lt;a&gt;</b><b>b</b>"
    assert memo.rendered == 2
    page.render(xs=[{"name": "b"}])
    assert memo.rendered == 2


def test_statements_read_the_same_with_and_without_the_memo(tmp_path):
    content = generate(tmp_path / "content", versions=6, purposes=12)
    site = build_site(load_and_validate(Project.at(ROOT, content)), date.fromisoformat(TODAY),
                      False)

    def articles(memo) -> tuple[list[str], Renderer]:
        renderer = Renderer(ROOT / "templates", ROOT / "locales", Problems(), memo=memo)
        made = []
        for lang in ("nl", "en"):
            for entry in site.history("privacy"):
                for level in (1, 2):
                    page = Page.at(page_path(lang, "privacy", entry.name) + "index.html", lang)
                    made.append(article(renderer, site, page, entry, level))
        return made, renderer

    known: dict = {}
    remembered, renderer = articles(lambda: Memo(known))
    assert remembered == articles(None)[0]  # None: the plain build's memo() calls the macro
    rendered = sum(env.globals["memo"].rendered for env in renderer.envs.values())
    purposes = 2 * 2 * sum(len(e.version.purposes) for e in site.history("privacy"))
    assert 0 < rendered < purposes / 2, (rendered, purposes)
