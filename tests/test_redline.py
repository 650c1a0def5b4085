"""The comparison of two articles, block by block and word by word."""

from __future__ import annotations

from generator.redline import compare


def redline(old: str, new: str) -> str:
    return str(compare(old, new)[0])


def test_a_changed_word_is_deleted_and_inserted():
    assert redline("<p>Wij bewaren het 13 maanden.</p>", "<p>Wij bewaren het 12 maanden.</p>") \
        == '<p class="pd-redline-p">Wij bewaren het <del>13</del> <ins>12</ins> maanden.</p>'


def test_text_added_to_a_block_is_only_inserted():
    """The block's last word has no space after it; it still matches (was: deleted and
    inserted again)."""
    assert redline("<li>Ordergegevens (Datum, Aantal en transactiegegevens)</li>",
                   "<li>Ordergegevens (Datum, Aantal en transactiegegevens) Bewaartermijn: "
                   "7 jaar.</li>") == (
        '<p class="pd-redline-li">Ordergegevens (Datum, Aantal en transactiegegevens) '
        "<ins>Bewaartermijn: 7 jaar.</ins></p>")


def test_a_block_rewritten_entirely_is_replaced_whole():
    assert redline("<p>Wij verkopen uw gegevens niet aan derden.</p>",
                   "<p>Contact opnemen kan via het formulier op de website.</p>") == (
        '<p class="pd-redline-p"><del>Wij verkopen uw gegevens niet aan derden.</del> '
        "<ins>Contact opnemen kan via het formulier op de website.</ins></p>")


def test_blocks_added_and_removed_are_counted():
    marked, inserted, deleted = compare("<h2>Een</h2><p>Twee.</p>",
                                        "<h2>Een</h2><p>Drie is nieuw hier.</p><p>Vier.</p>")
    assert '<h3 class="pd-redline-h2">Een</h3>' in marked
    assert (inserted, deleted) == (2, 1)
    assert "<ins>Vier.</ins>" in marked
