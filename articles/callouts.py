"""
Callouts in rich text: a few paragraphs set apart, of one kind, stored as
<aside class="callout callout-warning">. The body editor's callout button
makes them (static/articles/editor/callout.js), the sanitizer keeps only
the kinds named here, and reader pages give each its label
(render_callouts), in the reader's language.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

KINDS = {
    "note": pgettext_lazy("callout", "Note"),
    "warning": pgettext_lazy("callout", "Warning"),
    "doctor": _("When to see a doctor"),
}
CLASS_VALUES = frozenset(f"callout callout-{kind}" for kind in KINDS)

# Sanitized HTML only: the class is one of CLASS_VALUES, and nothing else.
_CALLOUT = re.compile(r'<aside class="callout callout-(' + "|".join(KINDS) + r')">')


def render_callouts(html: str) -> str:
    """
    Give each callout the role of a note and its label as the first thing
    read out: a note is no landmark, so a callout inside the text never
    counts as one of the page's regions.
    """

    def callout(match: re.Match[str]) -> str:
        kind = match.group(1)
        return (
            f'<aside class="callout callout-{kind}" role="note">'
            f'<p class="callout__label">{escape(KINDS[kind])}</p>'
        )

    return _CALLOUT.sub(callout, html or "")
