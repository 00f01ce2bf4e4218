"""
The one allowlist for all rich text: article bodies, FAQ answers, excerpts,
takeaways and author bios. Everything a person or an importer writes passes
through here before it is stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3

from articles import callouts, control_characters, video_embeds

URL_SCHEMES = {"http", "https", "mailto", "tel"}

# cite: the source a quote names (WordPress's quote and pullquote blocks end with one).
_INLINE_TAGS = {"a", "strong", "em", "b", "i", "br", "sub", "sup", "s", "code", "cite"}
_BLOCK_TAGS = {
    "p",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "img",
    "aside",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "data-file"},
    # A video as "youtube:ID" or "vimeo:ID": rendered as a click-to-load
    # player (richtext.render_body), so no iframe is ever stored.
    "figure": {"data-embed"},
    # A callout and its kind: articles/callouts.py.
    "aside": {"class"},
    "ol": {"start"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}


def _known_values_only(tag: str, attribute: str, value: str) -> str | None:
    """Keep a video's data-embed and a callout's class only when they name one."""
    if attribute == "data-embed":
        return value if video_embeds.is_embed_value(value) else None
    if tag == "aside" and attribute == "class":
        return value if value in callouts.CLASS_VALUES else None
    return value


_rich_cleaner = nh3.Cleaner(
    tags=_INLINE_TAGS | _BLOCK_TAGS,
    attributes=_ATTRIBUTES,
    attribute_filter=_known_values_only,
    url_schemes=URL_SCHEMES,
    # rel is decided when rendering (external links get noopener), not stored.
    link_rel=None,
    strip_comments=True,
    clean_content_tags={"script", "style", "template", "iframe", "object", "noscript"},
)
_inline_cleaner = nh3.Cleaner(
    tags=_INLINE_TAGS | {"p"},
    attributes={"a": {"href", "title"}},
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
    clean_content_tags={"script", "style", "template", "iframe", "object", "noscript"},
)

_EMPTY_PARAGRAPH = "<p></p>"


# nh3 serializes the tree it cleaned, and that markup does not always parse
# back into the same tree: with a <select> around it removed, a <p> is left
# inside a <p>, which the next parse splits in two. So cleaning is repeated
# until nothing changes (twice is the most seen), and saving what was saved
# changes nothing.
_MAX_PASSES = 5


def _clean(cleaner: nh3.Cleaner, html: str, *, then: Callable[[str], str] = str) -> str:
    """Clean with cleaner, and then with then, until nothing changes."""
    # After nh3, which decodes a reference such as &#11; into the character.
    cleaned = then(control_characters.remove(cleaner.clean(html or "")))
    for _ in range(_MAX_PASSES):
        again = then(cleaner.clean(cleaned))
        if again == cleaned:
            break
        cleaned = again
    cleaned = cleaned.strip()
    return "" if cleaned == _EMPTY_PARAGRAPH else cleaned


def sanitize_rich_text(html: str) -> str:
    """Return block-level rich text with everything outside the allowlist removed."""
    return _clean(_rich_cleaner, html, then=_unwrap_plain_asides)


# A whole tag of sanitized HTML, whose attribute values are in double quotes
# and may hold < and > (text never does: it has &lt; and &gt;).
_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
_PLAIN_ASIDE = "<aside>"


def _unwrap_plain_asides(html: str) -> str:
    """
    Drop the tags of each aside that is no callout (its class was unknown,
    or it had none), keeping what it holds: an aside in the text is a
    callout or nothing.
    """
    if _PLAIN_ASIDE not in html:
        return html
    kept: list[bool] = []

    def tag(match: re.Match[str]) -> str:
        markup = match.group(0)
        if markup.startswith("<aside"):
            kept.append(markup != _PLAIN_ASIDE)
            return markup if kept[-1] else ""
        if markup == "</aside>":
            return markup if kept.pop() else ""
        return markup

    return _TAG.sub(tag, html)


def sanitize_inline(html: str) -> str:
    """Return short rich text (a sentence or two, links and emphasis) with everything else removed."""
    return _clean(_inline_cleaner, html)


_LINK_SCHEMES = ("http://", "https://")
# Control characters and white space, which browsers drop from a URL.
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]")


def safe_url(url: str) -> str:
    """
    Return an absolute http(s) URL unchanged and anything else as "".

    URL fields filled by the importer or a script skip form validation, and a
    javascript: or data: URL printed into href would run when clicked.
    A URL with control characters or white space inside is refused: browsers
    drop them, and could then read a scheme this check never saw.
    """
    url = (url or "").strip()
    if _INVISIBLE.search(url):
        return ""
    return url if url.lower().startswith(_LINK_SCHEMES) else ""
