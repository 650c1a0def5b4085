"""A version's article rendered once for its pages and fragment
(``generator/speed/shared_articles.py``).

The shared rendering must give every page exactly what rendering the article for that
page gives, whatever the template does with the heading level and the page: what
placeholders cannot stand for makes that document's articles be rendered one by one.
The PDFs are compared by the HTML they are made from: each layout is stood in for by
that HTML's digest (``conftest.pdf_stand_in``; a plain rendering lays out every PDF).
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest

from generator import pipeline
from generator.speed import shared_articles as article
from generator.speed.session import Speedups
from generator.speed.shared_articles import Level, NeutralPage, NotShareable, SharedArticles
from generator.speed.template_memo import freeze

from .conftest import ROOT, TODAY


@pytest.fixture(scope="module")
def shipped_site():
    project = pipeline.Project(content=ROOT / "content", templates=ROOT / "templates",
                               locales=ROOT / "locales")
    valid = pipeline.load_and_validate(project)
    return pipeline.build_site(valid, date.fromisoformat(TODAY), drafts=True)


@pytest.fixture(autouse=True)
def _pdfs_stood_in(pdf_stand_in) -> None:
    """Every rendering of this module with PDF stand-ins."""


@pytest.fixture
def made() -> list[SharedArticles]:
    """The SharedArticles of each fast render, to see what they did."""
    return []


def render_both(templates, site, level, made) -> tuple[dict, dict]:
    """Every output file, rendered with the shared articles and with one per page."""
    project = pipeline.Project(content=ROOT / "content", templates=templates,
                               locales=ROOT / "locales")
    shared, renderer = pipeline.render(project, site, level, speed=Speedups())
    made.append(renderer.shared_articles)
    separate, _ = pipeline.render(project, site, level)  # plain: an article for each page
    return dict(shared), dict(separate)


def assert_same(shared: dict, separate: dict) -> None:
    assert sorted(shared) == sorted(separate)
    different = [path for path in separate if shared[path] != separate[path]]
    assert not different, different[:5]


@pytest.mark.parametrize("level", [1, 2, 3])
def test_shipped_templates_share_each_article_and_give_the_same_pages(
        shipped_site, level, made):
    shared, separate = render_both(ROOT / "templates", shipped_site, level, made)
    assert_same(shared, separate)
    articles = sum(len(shipped_site.history(document)) for document in ("privacy", "cookies"))
    assert made[0].rendered == 2 * articles  # once per version and language
    assert not made[0].refused


def test_a_link_that_needs_escaping_is_rendered_for_its_page(shipped_site, made):
    site = dataclasses.replace(shipped_site, base_url="https://example.org/a&b/")
    shared, separate = render_both(ROOT / "templates", site, 2, made)
    assert_same(shared, separate)
    assert b"a&amp;b/nl/privacy/" in shared["embed/nl/cookies.html"]


# what a web team's template may do with ``hl`` and ``page``; True: placeholders can
# stand for it, False: that document's articles are rendered for each page
USES = {
    "{{ hl is integer }} {{ hl is number }} {{ hl is defined }}": True,
    "{{ hl + 1 }}-{{ 1 + hl }}-{{ hl - 1 }} <h{{ hl + 4 }}>x</h{{ hl + 4 }}>": True,
    "<a href=\"{{ page.url(lang ~ '/cookies/') }}#x\">{{ page.lang }}</a>": True,
    "{{ hl ~ '-' }}": False,
    "{{ page.url('x') ~ '#x' }}": False,
    "{% if hl == 1 %}on a page{% else %}in a fragment{% endif %}": False,
    "{% if hl > 1 %}in a fragment{% endif %}": False,
    "{% if hl %}always{% endif %}": False,
    "{{ '%d'|format(hl) }}": False,
    "{{ hl * 2 }}": False,
    "{{ hl|string }}": False,
    "{{ hl|int }}": False,
    "{{ hl.real }}": False,
    "{{ hl|pprint }}": False,
    "{{ range(hl)|list|length }}": False,
    "{{ page.path }}": False,
    "{{ page.base_url }}": False,
    "{{ page.url('x')|replace('x', 'y') }}": False,
    "{{ page.url('x')|length }}": False,
}


@pytest.mark.parametrize("use", USES)
def test_a_template_using_the_level_or_page_gets_what_it_would_alone(
        use, shipped_site, made, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    privacy = templates / "privacy.html"
    privacy.write_text(privacy.read_text("utf-8").replace(
        "{% call", f"<p class=\"probe\">{use}</p>\n" + "{% call"), "utf-8")
    shared, separate = render_both(templates, shipped_site, 2, made)
    assert_same(shared, separate)
    assert b'class="probe"' in shared["en/privacy/index.html"]
    assert ("privacy.html" not in made[0].refused) is USES[use]
    assert "cookies.html" not in made[0].refused


def test_a_template_error_is_reported_by_the_pages_own_rendering(tmp_path, shipped_site):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    privacy = templates / "privacy.html"
    privacy.write_text(privacy.read_text("utf-8").replace(
        "{% call", "{{ version.no_such_field.x }}{% call"), "utf-8")
    project = pipeline.Project(content=ROOT / "content", templates=templates,
                               locales=ROOT / "locales")
    with pytest.raises(pipeline.ContentError) as raised:
        pipeline.render(project, shipped_site, 2)
    [problem] = raised.value.problems
    assert "privacy.html" in str(problem.location) and problem.location.line > 0


def test_the_placeholders_refuse_what_they_cannot_stand_for():
    level = Level(1)
    assert (level + 2).__html__() == "\x023\x03" and (2 + level).offset == 3
    assert (level - 1).offset == 0 and isinstance(level, int)
    assert freeze(level) == freeze(Level(1)) != freeze(Level(2))
    for use in (lambda: level == 1, lambda: bool(level), lambda: str(level), lambda: int(level),
                lambda: level + 0.5, lambda: 5 - level, lambda: level * 2, lambda: hash(level),
                lambda: level.bit_length(), lambda: f"{level}"):
        with pytest.raises(NotShareable):
            use()
    page = NeutralPage("nl")
    link = page.url("nl/cookies/")
    assert page.lang == "nl" and page.links == ["nl/cookies/"] and link.__html__() == "\x02@0\x03"
    for use in (lambda: page.path, lambda: page.alternates, lambda: str(link),
                lambda: link.endswith("/"), lambda: link + "#x"):
        with pytest.raises(NotShareable):
            use()
    assert not hasattr(level, "__html_format__") and not hasattr(page, "__html__")


def test_the_marks_cannot_come_from_content():
    """The marks' characters are refused in every content text (plain_words.UNSHOWABLE)."""
    from generator.content.plain_words import UNSHOWABLE
    marks = set(article._LEVEL.format(0) + article._LINK.format(0)) - {"0", "@"}
    assert len(marks) == 2 and all(UNSHOWABLE.fullmatch(character) for character in marks)


def test_a_mark_character_written_by_a_template_is_left_to_the_pages_own_rendering(
        shipped_site, made, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    privacy = templates / "privacy.html"
    privacy.write_text(privacy.read_text("utf-8").replace(
        "{% call", "<p>\x02x\x03 \x02</p>{% call"), "utf-8")
    shared, separate = render_both(templates, shipped_site, 2, made)
    assert_same(shared, separate)
    assert b"\x02x\x03 \x02" in shared["embed/nl/privacy.html"]
