"""Markdown texts: a plain sentence is made into its paragraph without Markdown, and
must come out exactly as Markdown and the sanitiser make it."""

from __future__ import annotations

from pathlib import Path

from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from generator.content.located import LocalText
from generator.pipeline import Project, load_and_validate
from generator.render.text import _PLAIN_PARAGRAPH, MarkdownConverter, sanitise

ROOT = Path(__file__).resolve().parent.parent


def converted(text: str) -> Markup:
    """What Markdown and the sanitiser make of ``text``, without the shortcut."""
    converter = MarkdownConverter()
    return Markup(sanitise(converter._md.reset().convert(text)))


# Mostly what the shortcut takes, with everything near it: Markdown's syntax, other
# spaces and punctuation, what the serialiser or the sanitiser escapes.
_near_plain = st.text(
    st.sampled_from("aZéß中12 ,.;:?'’‘()/@–-")
    | st.sampled_from("*_`[]<>&\\!#|~=+\"\t\n\r\u00a0\u2028\u00b2 ")
    | st.characters(codec="utf-8", exclude_categories=("Cs",)),
    max_size=30)


@settings(max_examples=600)
@given(_near_plain)
@example("Wij bewaren uw gegevens 7 jaar (zie: www.example.nl/privacy).")
@example("Foo ")
@example("Foo  bar")
@example("1. Foo")
@example("A - b")
@example("a_b_c")
@example("Tel: 010-1234567, e-mail: info@example.nl")
def test_a_plain_sentence_reads_as_markdown_makes_it(text):
    event("shortcut" if _PLAIN_PARAGRAPH.fullmatch(text) else "Markdown")
    assert MarkdownConverter()(text) == converted(text)


_sentences = st.builds(str.__add__, st.sampled_from("aZéß中"),
                       st.text(st.sampled_from("aZéß中12 ,.;:?'’‘()/@–-"), max_size=40))


@settings(max_examples=300)
@given(_sentences)
def test_sentences_of_the_shortcut_s_characters_read_as_markdown_makes_them(text):
    event("shortcut" if _PLAIN_PARAGRAPH.fullmatch(text) else "Markdown")
    assert MarkdownConverter()(text) == converted(text)


def test_every_text_of_the_shipped_content_reads_as_markdown_makes_it():
    valid = load_and_validate(Project.at(ROOT))
    texts: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, LocalText):
            if value.markdown:
                texts.update(value.values.values())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for version in valid.versions:
        walk(dict(version.files))
    plain = {text for text in texts if _PLAIN_PARAGRAPH.fullmatch(text)}
    assert len(plain) > 20  # the shortcut is taken at all
    converter = MarkdownConverter()
    for text in texts:
        assert converter(text) == converted(text), text
