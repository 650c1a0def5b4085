"""The words of two matched blocks compared (``redline.py``): inserted words in
``<ins>``, deleted ones in ``<del>``, the later text's line breaks kept, and a label both
start with ("<strong>Legal basis:</strong>") kept as it is.
"""

from __future__ import annotations

import re
from html import unescape

from cydifflib import SequenceMatcher
from markupsafe import escape

# A block's label ("<strong>Legal basis:</strong> "), kept where both versions have it.
_LABEL = re.compile(r'<(strong|b|span class="pd-label")>([^<]*)</(?:strong|b|span)> ?')


def labelled(old_markup: str, new_markup: str, old: str, new: str
             ) -> tuple[str, str, str, int]:
    """The label both blocks start with (as markup, or ""), their texts after it, and how
    many characters of the texts that took."""
    label, was = _LABEL.match(new_markup), _LABEL.match(old_markup)
    if label and was and label[0] == was[0]:
        name = unescape(label[2])
        if new.startswith(name) and old.startswith(name):
            rest = old[len(name):].lstrip()
            return label[0], rest, new[len(name):].lstrip(), len(old) - len(rest)
    return "", old, new, 0


def word_diff(old: str, new: str, cut: int = 0) -> str:
    """The two texts compared word by word, or replaced whole when they share less than
    half of the shorter one's characters (they then read better so); ``cut``: the
    characters of a label cut from both, counted as shared."""
    words = _matched(old, new, cut)
    return words if words is not None else f"<del>{_lines(old)}</del> <ins>{_lines(new)}</ins>"


def _words(text: str) -> list[str]:
    return re.findall(r"\S+\s*", text)


def _lines(text: str) -> str:
    return str(escape(text)).replace("\n", "<br>")


def _matched(old: str, new: str, cut: int = 0) -> str | None:
    """The two texts compared word by word; None when they share less than half of the
    shorter one's characters (then the block reads better replaced whole). Words both
    have are written as the later text has them, with its line breaks."""
    a, b = _words(old), _words(new)
    # words are matched without the space after them: a text's last word has none
    bare = [w.rstrip() for w in a]
    matcher = SequenceMatcher(None, bare, [w.rstrip() for w in b], autojunk=False)
    shared = sum(len(word) for i, _, n in matcher.get_matching_blocks()
                 for word in a[i:i + n])  # with their spaces, as a text counts them
    if 2 * (shared + cut) < min(len(old), len(new)) + cut:
        return None
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "delete" or op == "replace":
            out.append(f"<del>{escape(''.join(a[i1:i2]).rstrip())}</del> ")
        if op != "delete":  # with what follows the words: a space or a line break
            text = "".join(b[j1:j2])
            body = text.rstrip()
            out.append(f"<ins>{escape(body)}</ins>{text[len(body):] or ' '}" if op != "equal"
                       else f"{escape(body)}{text[len(body):] or ' '}")
    marked = "".join(out).rstrip()
    return marked.replace("\n", "<br>") if "\n" in marked else marked
