"""
Render the raw post_content of a WXR export the way WordPress's the_content
filter does before it serves a post, so that the REST API's rendered HTML and
a WXR file reach blocks.convert() in the same shape:

- autoembed and [embed]: a video URL on a line of its own becomes an embed;
- [caption] and [gallery]: figures with captions, and galleries of the
  attachments they name (or of those uploaded to the post);
- wpautop: paragraphs for classic-editor text;
- wp_filter_content_tags: the width, height and srcset of each library image
  (class wp-image-ID), from the attachment's metadata.

Shortcodes of plugins are left as they are: only their plugin could render
them, and an editor will see them in the text.

Pure: no Django, no database.
"""

from __future__ import annotations

import bisect
import html
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from articles.importers.wordpress.blocks import (
    IMAGE_EXTENSIONS,
    Figure,
    image_side,
    image_url,
    wordpress_image_id,
)


@dataclass(frozen=True)
class Attachment:
    """An attachment of the export: its image, and the post it was uploaded to."""

    figure: Figure
    parent_id: int | None = None
    menu_order: int = 0


# The opening of a shortcode rendered here, as WordPress's
# get_shortcode_regex() reads it: group 1 is the extra bracket of an escaped
# [[caption]], 2 the name, 3 the attributes, 4 a self-closing slash. The
# closing tag is looked up apart (_ShortcodeCloses): one expression for both
# takes quadratic time on text full of unclosed openings.
_SHORTCODE_OPENING = re.compile(
    r"\[(\[?)(caption|wp_caption|gallery|embed)(?![\w-])"
    r"([^\[\]/]*(?:/(?!\])[^\[\]/]*)*)"
    r"(/)?\]"
)
_SHORTCODE_NAMES = ("caption", "wp_caption", "gallery", "embed")
_ID = re.compile(r"(?<![0-9])[1-9][0-9]{0,17}(?![0-9])")
# WordPress's shortcode_parse_atts(): name="value", name='value', name=value,
# "value", 'value' and value.
_ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)"""
    r"""|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
# WP_Embed::autoembed(): a URL alone on its line, or alone in a paragraph.
_LINE_URL = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
_PARAGRAPH_URL = re.compile(r"<p(?: [^<>]*)?>[ \t\n]*(https?://[^\s<>\"]+)[ \t\n]*</p>")
# img_caption_shortcode(): the image (maybe in a link), then the caption.
_CAPTIONED_IMAGE = re.compile(
    r"^\s*((?:<a [^>]+>\s*)?<img [^>]+>(?:\s*</a>)?)(.*)$", re.DOTALL
)
# An <img> tag whose quoted attribute values may hold ">".
_IMG_TAG = re.compile(r"""<img\s(?:[^<>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_IMG_ATTRIBUTE = re.compile(
    r"""\s([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE
)

# wpautop()'s block-level elements: paragraphs never wrap them.
_BLOCK = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li"
    "|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset"
    "|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption"
    "|details|menu|summary|iframe|video|audio|source"
)
_BLOCK_START = re.compile(rf"(<(?:{_BLOCK})(?=[\s/>]))", re.IGNORECASE)
_BLOCK_END = re.compile(rf"(</(?:{_BLOCK})>)", re.IGNORECASE)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCK})(?=[\s/>])", re.IGNORECASE)
_PRE_OPENING = re.compile(r"<pre[\s>]", re.IGNORECASE)
_PRE_CLOSING = re.compile(r"</pre>", re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_BLOCK_EDITOR = "<!-- wp:"


def render_content(
    raw: str,
    *,
    attachments: Mapping[int, Attachment],
    post_id: int | None = None,
) -> str:
    """Return raw post_content as WordPress would serve it (see the module's docstring)."""
    if not raw.strip():
        return raw
    classic = _BLOCK_EDITOR not in raw
    text = raw
    if classic:
        text = _autoembed(text)
    text = _expand_shortcodes(text, attachments=attachments, post_id=post_id)
    if classic:
        text = autop(text)
    return _IMG_TAG.sub(
        lambda match: _add_image_sizes(match.group(0), attachments=attachments), text
    )


def autop(text: str) -> str:
    """
    Wrap the paragraphs of classic-editor text in <p> and its single line
    breaks in <br>, leaving block-level elements and <pre> as they are:
    what WordPress's wpautop() does when it renders a post.
    """
    text, preformatted = _set_aside_preformatted(text.replace("\r\n", "\n"))
    # A line break inside a tag is not a line break of the text.
    text = _TAG.sub(lambda match: match.group(0).replace("\n", " "), text)
    text = _BLOCK_END.sub(r"\1\n\n", _BLOCK_START.sub(r"\n\n\1", text))
    parts = []
    for part in _PARAGRAPH_BREAK.split(text):
        part = part.strip()
        if not part:
            continue
        if part in preformatted:
            parts.append(preformatted[part])
        elif _STARTS_WITH_BLOCK.match(part):
            parts.append(part)
        else:
            parts.append("<p>" + part.replace("\n", "<br>\n") + "</p>")
    return "\n".join(parts)


def parse_attributes(text: str) -> dict[str | int, str]:
    """Return the attributes of a shortcode as shortcode_parse_atts() does: names lowercased, bare values by position."""
    attributes: dict[str | int, str] = {}
    position = 0
    text = re.sub(r"[\u00a0\u200b]+", " ", text)
    for match in _ATTRIBUTE.finditer(text):
        groups = match.groups()
        for name_group in (0, 2, 4):
            if groups[name_group] is not None:
                attributes[groups[name_group].lower()] = groups[name_group + 1]
                break
        else:
            value = next(value for value in groups[6:] if value is not None)
            attributes[position] = value
            position += 1
    return attributes


def _set_aside_preformatted(text: str) -> tuple[str, dict[str, str]]:
    """
    Replace each <pre>…</pre> with a marker of its own paragraph, and return
    the text and the blocks by marker. The markers' prefix is one the text
    does not contain, so no text is ever taken for a marker.
    """
    prefix = next(
        candidate
        for candidate in (f"<pre-{n}:" for n in itertools.count())
        if candidate not in text
    )
    closings = [match.end() for match in _PRE_CLOSING.finditer(text)]
    preformatted: dict[str, str] = {}
    parts, position = [], 0
    for opening in _PRE_OPENING.finditer(text):
        if opening.start() < position:
            continue
        found = bisect.bisect_left(closings, opening.end())
        if found == len(closings):
            break
        marker = f"{prefix}{len(preformatted)}>"
        parts += [text[position : opening.start()], f"\n\n{marker}\n\n"]
        preformatted[marker] = text[opening.start() : closings[found]]
        position = closings[found]
    parts.append(text[position:])
    return "".join(parts), preformatted


def _autoembed(text: str) -> str:
    text = _LINE_URL.sub(lambda match: _embed(match.group(1)), text)
    return _PARAGRAPH_URL.sub(lambda match: _embed(match.group(1)), text)


def _embed(url: str) -> str:
    # The shape of an embed block: blocks.convert() turns a YouTube or Vimeo
    # URL into a click-to-load player and any other URL into a link.
    return (
        '\n\n<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
        f"{html.escape(html.unescape(url.strip()))}</div></figure>\n\n"
    )


def _expand_shortcodes(
    text: str, *, attachments: Mapping[int, Attachment], post_id: int | None
) -> str:
    """
    Replace [caption], [gallery] and [embed] as do_shortcode() does: an
    enclosing shortcode ends at the first closing tag of its name, and
    [[caption]] is the text [caption].
    """
    closings = {
        name: [match.start() for match in re.finditer(re.escape(f"[/{name}]"), text)]
        for name in _SHORTCODE_NAMES
    }
    parts, position = [], 0
    for opening in _SHORTCODE_OPENING.finditer(text):
        if opening.start() < position:
            continue  # Inside a shortcode already replaced.
        escaped, name, attribute_text, self_closing = opening.groups()
        end, content = opening.end(), ""
        if not self_closing:
            found = bisect.bisect_left(closings[name], end)
            if found < len(closings[name]):
                content = text[end : closings[name][found]]
                end = closings[name][found] + len(f"[/{name}]")
        parts.append(text[position : opening.start()])
        if escaped and text[end : end + 1] == "]":
            parts.append(text[opening.start() + 1 : end])
            end += 1
        else:
            if escaped:
                parts.append("[")
            parts.append(
                _shortcode(
                    name,
                    parse_attributes(attribute_text),
                    content,
                    attachments=attachments,
                    post_id=post_id,
                )
            )
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _shortcode(
    name: str,
    attributes: Mapping[str | int, str],
    content: str,
    *,
    attachments: Mapping[int, Attachment],
    post_id: int | None,
) -> str:
    if name in ("caption", "wp_caption"):
        return _caption(attributes, content)
    if name == "gallery":
        return _gallery(attributes, attachments=attachments, post_id=post_id)
    return _embed(content) if content.strip() else ""


def _caption(attributes: Mapping[str | int, str], content: str) -> str:
    found = _CAPTIONED_IMAGE.match(content)
    if found is None:
        return content
    image, caption = found.group(1), found.group(2).strip()
    caption = caption or attributes.get("caption", "")
    figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'\n\n<figure class="wp-caption">{image}{figcaption}</figure>\n\n'


def _gallery(
    attributes: Mapping[str | int, str],
    *,
    attachments: Mapping[int, Attachment],
    post_id: int | None,
) -> str:
    listed = attributes.get("ids") or attributes.get("include") or ""
    if listed:
        ids = _ids(listed)
    else:
        parent = next(iter(_ids(attributes.get("id", ""))), None) or post_id
        ids = [
            pk
            for pk, attachment in sorted(
                attachments.items(), key=lambda item: (item[1].menu_order, item[0])
            )
            if parent is not None and attachment.parent_id == parent
        ]
    excluded = set(_ids(attributes.get("exclude", "")))
    figures = [
        _gallery_figure(attachments[pk].figure)
        for pk in dict.fromkeys(ids)
        if pk in attachments and pk not in excluded
    ]
    if not figures:
        return ""
    return f'\n\n<figure class="wp-block-gallery">{"".join(figures)}</figure>\n\n'


def _gallery_figure(figure: Figure) -> str:
    attributes = {
        "src": figure.url,
        "alt": figure.alt,
        "class": f"wp-image-{figure.wordpress_id}",
        "width": figure.width,
        "height": figure.height,
    }
    img = " ".join(
        f'{name}="{html.escape(str(value))}"'
        for name, value in attributes.items()
        if value is not None
    )
    caption = f"<figcaption>{figure.caption}</figcaption>" if figure.caption else ""
    return f'<figure class="wp-block-image"><img {img}>{caption}</figure>'


def _add_image_sizes(tag: str, *, attachments: Mapping[int, Attachment]) -> str:
    """
    Give a library image its width, height and srcset, as
    wp_img_tag_add_width_and_height_attr() and
    wp_img_tag_add_srcset_and_sizes_attr() do: the export holds the tag as
    the editor wrote it.
    """
    attributes = {
        match.group(1).lower(): next(
            (value for value in match.groups()[1:] if value is not None), ""
        )
        for match in _IMG_ATTRIBUTE.finditer(tag)
    }
    attachment_id = wordpress_image_id(attributes.get("class", "").split())
    attachment = attachments.get(attachment_id) if attachment_id else None
    if attachment is None or not attachment.figure.width:
        return tag
    figure = attachment.figure
    added = []
    if "width" not in attributes and "height" not in attributes:
        width, height = _shown_size(attributes.get("src", ""), figure)
        if width and height:
            added.append(f'width="{width}" height="{height}"')
    if "srcset" not in attributes:
        candidates = sorted(
            {*figure.renditions, (figure.url, figure.width)},
            key=lambda candidate: candidate[1],
        )
        srcset = ", ".join(f"{html.escape(url)} {width}w" for url, width in candidates)
        added.append(f'srcset="{srcset}"')
    if not added:
        return tag
    end = -2 if tag.endswith("/>") else -1
    return f"{tag[:end].rstrip()} {' '.join(added)}{tag[end:]}"


def _shown_size(src: str, figure: Figure) -> tuple[int | None, int | None]:
    """The size of the file src names: one of the attachment's renditions, or the original."""
    if not figure.height:
        return None, None
    name = src.rsplit("/", 1)[-1]
    for url, width in figure.renditions:
        if url.rsplit("/", 1)[-1] == name:
            return width, round(figure.height * width / figure.width)
    return figure.width, figure.height


def attachment_figure(
    *,
    attachment_id: int,
    url: str,
    alt: str,
    caption: str,
    metadata: object,
) -> Figure:
    """
    The Figure of an attachment, with its size and renditions from
    _wp_attachment_metadata (already unserialized): width, height and, per
    size, the file name next to the original. The original is a rendition
    too, as in the REST API's media_details.
    """
    details = metadata if isinstance(metadata, dict) else {}
    sizes = details.get("sizes") if isinstance(details.get("sizes"), dict) else {}
    width, height = image_side(details.get("width")), image_side(details.get("height"))
    url = image_url(url)
    renditions = {
        (rendition_url, rendition_width)
        for size in sizes.values()
        if isinstance(size, dict)
        and isinstance(size.get("file"), str)
        and "/" not in size["file"]
        and (rendition_width := image_side(size.get("width")))
        and (rendition_url := image_url(urljoin(url, size["file"])))
    }
    if url and width and renditions:
        renditions.add((url, width))
    return Figure(
        wordpress_id=attachment_id,
        url=url,
        alt=alt,
        width=width,
        height=height,
        renditions=tuple(sorted(renditions, key=lambda rendition: rendition[1])),
        caption=caption,
    )


def is_image_url(url: str) -> bool:
    """WXR gives no MIME type: an attachment is an image when its file name says so."""
    return url.lower().split("?", 1)[0].endswith(IMAGE_EXTENSIONS)


def _ids(text: str) -> list[int]:
    """The ids a shortcode lists ("1,2, 3"); numbers too long to be one are passed over."""
    return [int(value) for value in _ID.findall(text)]
