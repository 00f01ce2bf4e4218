"""
Plain text from stored rich text, for the index. Pure: no Django.

The rich text is sanitized (articles/sanitize.py), so every attribute
value is in double quotes and a regular expression finds every tag. Block
boundaries become spaces, so that the words of two paragraphs never run
together, while inline tags vanish ("B<sub>12</sub>" stays "B12").
"""

from __future__ import annotations

import html
import re

_BLOCK_TAG = re.compile(
    r"<(?:/?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|div|blockquote|figure|figcaption|pre|table"
    r"|thead|tbody|tfoot|tr|td|th|caption|section|article|details|summary|hr|br|img))\b"
    r'[^>"]*(?:"[^"]*"[^>"]*)*>',
    re.IGNORECASE,
)
_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
# Control characters: the snippets use two of them as highlight markers,
# and PostgreSQL refuses NUL in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain_text(rich_text: str) -> str:
    text = _TAG.sub("", _BLOCK_TAG.sub(" ", rich_text or ""))
    return clean(html.unescape(text))


def clean(text: str) -> str:
    """Text as it is indexed: no control characters, white space collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())
