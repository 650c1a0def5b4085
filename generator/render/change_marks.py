"""Way-marks on a comparison page: each changed place of the redline (the blocks
``redline.compare`` numbers ``id="change-N"``, in order: an insertion, a deletion, a
moved part's note) ends in a link to the next one, so that a reader can go from change
to change; the page says how many there are.

Works on what ``redline.compare`` writes, one block a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_LAST_TAG = re.compile(r"</[a-z0-9]+>$")
# A link relative to its page: neither with a scheme (https:, mailto:) nor from the root.
_RELATIVE_HREF = re.compile(r' href="(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)')


@dataclass(frozen=True)
class Marked:
    text: Markup
    count: int


def mark_changes(redline: str, next_label: str, last_label: str, target: str = "") -> Marked:
    """``redline`` with each changed block numbered and linked to the next.
    ``next_label``: the link's text, with ``%(number)s`` and ``%(count)s``; the last
    block links back to the count at the top (``#changes``) with ``last_label``.
    ``target``: the later version's page, as the comparison page links to it. The
    articles compared link as their version pages do (``pages._submit_comparison``), so
    each relative link is made relative to ``target``: a place in the article
    (``#purposes``) then leads to that place on the later version's page (the comparison
    has no such place), a link to another page to that page."""
    text = str(redline)
    if target:
        text = _RELATIVE_HREF.sub(f' href="{escape(target)}', text)
    lines = text.split("\n")
    changed = [i for i, line in enumerate(lines) if ' id="change-' in line]
    count = len(changed)
    for number, at in enumerate(changed, start=1):
        line = lines[at]
        if number < count:
            label = next_label % {"number": number + 1, "count": count}
            link = f' <a class="pd-next" href="#change-{number + 1}">{escape(label)}</a>'
        else:
            link = f' <a class="pd-next" href="#changes">{escape(last_label)}</a>'
        end = _LAST_TAG.search(line)
        lines[at] = line[:end.start()] + link + line[end.start():] if end else line + link
    return Marked(Markup("\n".join(lines)), count)
