"""
Rich text after sanitizing: heading anchors and the table of contents at save
time, and the images and links of a body at render time.
"""

from __future__ import annotations

import html as html_lib
import math
import re
from collections.abc import Callable

from django.urls import reverse_lazy
from django.utils.html import strip_tags
from django.utils.text import slugify

from articles import callouts, video_embeds

IMAGE_PICKER_URL = reverse_lazy("admin:articles_image_picker")

# An adult reads about 200 to 250 words of web text a minute.
WORDS_PER_MINUTE = 225

_PARAGRAPH = re.compile(r"<p\b[^>]*>(.*?)</p>", re.DOTALL)
_LIBRARY_IMAGE = re.compile(r"<img\b[^>]*\bdata-file=\"(\d+)\"[^>]*>")
# Bodies saved before prepare_body used regular expressions may quote a
# value that contains " with ', as BeautifulSoup did.
_ALT = re.compile(r"""\balt=(?:"([^"]*)"|'([^']*)')""")
_EXTERNAL_LINK = re.compile(r"<a href=\"(https?://[^\"]+)\"")
_VIDEO_EMBED = re.compile(f'<figure data-embed="{video_embeds.EMBED_VALUE}">')
# Where the player comes from once the reader clicks: the privacy-enhanced hosts.
# Sanitized HTML only (see prepare_body): values are always in double quotes.
_TAG = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
_TAG_WITH_ATTRIBUTES = re.compile(r'<[a-zA-Z][^\s>/]*\s[^>"]*(?:"[^"]*"[^>"]*)*>')
_EMPTY_ATTRIBUTE = re.compile(r'\s+[^\s"<>/=]+=""')
_ID_ATTRIBUTE = re.compile(r'\s+id="[^"]*"')
_HEADING = re.compile(
    r'<(h[23])((?:\s+[^\s"<>/=]+(?:="[^"]*")?)*)\s*>(.*?)</\1>', re.DOTALL
)
PLAYER_URLS = {
    "youtube": "https://www.youtube-nocookie.com/embed/{id}?autoplay=1",
    "vimeo": "https://player.vimeo.com/video/{id}?dnt=1&autoplay=1",
}


def prepare_body(html: str) -> tuple[str, list[dict[str, str | int]]]:
    """
    Give every h2 and h3 a stable anchor, drop empty attributes, and return
    the body with its table of contents. Anchors come from the heading text, so links to a section
    survive edits elsewhere in the article.

    html is the sanitizer's output, which is why regular expressions can do
    what a parser would (a second parse cost the importer a third of its
    time): html5ever serializes every attribute value in double quotes with
    " escaped, and every < of text as &lt;, so a tag is what _TAG matches.
    """
    if not html:
        return "", []
    # Editors leave empty attributes behind, such as a link's title="".
    html = _TAG_WITH_ATTRIBUTES.sub(
        lambda match: _EMPTY_ATTRIBUTE.sub("", match.group(0)), html
    )
    toc: list[dict[str, str | int]] = []
    used: set[str] = set()

    def anchor_heading(match: re.Match[str]) -> str:
        name, attributes, inner = match.group(1), match.group(2), match.group(3)
        pieces = (html_lib.unescape(piece).strip() for piece in _TAG.split(inner))
        text = " ".join(piece for piece in pieces if piece)
        base = slugify(text)[:80].strip("-") or "section"
        anchor, counter = base, 2
        while anchor in used:
            anchor, counter = f"{base}-{counter}", counter + 1
        used.add(anchor)
        toc.append({"level": int(name[1]), "id": anchor, "text": text})
        if _ID_ATTRIBUTE.search(attributes):
            attributes = _ID_ATTRIBUTE.sub(f' id="{anchor}"', attributes, count=1)
        else:
            attributes += f' id="{anchor}"'
        return f"<{name}{attributes}>{inner}</{name}>"

    return _HEADING.sub(anchor_heading, html), toc


def nest_toc(entries: list[dict[str, str | int]]) -> list[dict]:
    """Hang each h3 under the h2 before it; an h3 with no h2 before it stays at the top."""
    tree: list[dict] = []
    for entry in entries:
        node = {"id": entry["id"], "text": entry["text"], "children": []}
        if entry["level"] == 3 and tree:
            tree[-1]["children"].append(node)
        else:
            tree.append(node)
    return tree


def image_ids(html: str) -> list[int]:
    """Return the library images a body shows, in order of appearance."""
    return list(dict.fromkeys(int(pk) for pk in _LIBRARY_IMAGE.findall(html or "")))


def image_uses(html: str) -> list[tuple[int, str]]:
    """Return each library image a body shows with the alt text it gives it."""
    uses = []
    for match in _LIBRARY_IMAGE.finditer(html or ""):
        alt_match = _ALT.search(match.group(0))
        alt = (
            html_lib.unescape(alt_match.group(1) or alt_match.group(2) or "")
            if alt_match
            else ""
        )
        uses.append((int(match.group(1)), alt))
    return uses


def plain_text(html: str) -> str:
    return html_lib.unescape(strip_tags(html or "")).strip()


def paragraphs_text(html: str, *, at_least: int | None = None) -> str:
    """
    The text of the paragraphs of rich text, in order: headings, captions
    and list items are left out, though a paragraph inside one counts.
    Reading stops once the text has at_least characters.
    """
    texts, length = [], 0
    for match in _PARAGRAPH.finditer(html or ""):
        texts.append(plain_text(match.group(1)))
        length += len(texts[-1]) + 1
        if at_least is not None and length > at_least:
            break
    return " ".join(texts)


def reading_minutes(*html: str) -> int:
    """Minutes to read rich text: a body, with the parts shown beside it (takeaways, FAQ)."""
    words = sum(len(plain_text(part).split()) for part in html)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def render_body(
    html: str, *, render_image: Callable[[int, str], str], site_url: str
) -> str:
    """
    Replace each library image with the markup render_image(id, alt) gives,
    turn each stored video (<figure data-embed="youtube:ID">) into a
    click-to-load player that names its privacy-enhanced player URL for
    static/js/video-embed.js (without JavaScript it stays a link to the
    video), label each callout, and mark links that leave the site with
    rel="noopener".
    """

    def library_image(match: re.Match[str]) -> str:
        alt_match = _ALT.search(match.group(0))
        alt = (
            html_lib.unescape(alt_match.group(1) or alt_match.group(2) or "")
            if alt_match
            else ""
        )
        return render_image(int(match.group(1)), alt)

    def external_link(match: re.Match[str]) -> str:
        url = match.group(1)
        if url.startswith(site_url):
            return match.group(0)
        return f'<a href="{url}" rel="noopener"'

    html = _LIBRARY_IMAGE.sub(library_image, html)
    html = callouts.render_callouts(render_videos(html))
    return _EXTERNAL_LINK.sub(external_link, html)


def render_videos(html: str) -> str:
    """
    Give each stored video (<figure data-embed="youtube:ID">, the id checked
    here) the class and privacy-enhanced player URL that
    static/js/video-embed.js swaps in when the reader clicks its link.
    """

    def video_embed(match: re.Match[str]) -> str:
        provider = match.group(1) or match.group(3)
        video_id = match.group(2) or match.group(4)
        player = html_lib.escape(PLAYER_URLS[provider].format(id=video_id))
        return (
            f'<figure class="video-embed" data-embed="{provider}:{video_id}" '
            f'data-player="{player}">'
        )

    return _VIDEO_EMBED.sub(video_embed, html or "")
