"""
Videos in rich text. A YouTube or Vimeo URL is stored as
<figure data-embed="youtube:ID"> holding a link to the video, which reader
pages turn into a click-to-load player (richtext.render_videos and
static/js/video-embed.js). The WordPress importer and the body editor's
video button both make that markup here, and the sanitizer keeps a
data-embed only when is_embed_value() accepts it. Pure: no Django.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import NamedTuple

# The value of data-embed: the provider and an id the player URL can hold.
EMBED_VALUE = r"(?:(youtube):([A-Za-z0-9_-]{11})|(vimeo):(\d{1,12}))"

_EMBED_VALUE = re.compile(EMBED_VALUE)
_YOUTUBE_URL = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube(?:-nocookie)?\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/|live/)"
    r"|youtu\.be/)([A-Za-z0-9_-]{11})"
)
_VIMEO_URL = re.compile(
    r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(\d{1,12})\b"
)
_WATCH_URLS = {
    "youtube": "https://www.youtube.com/watch?v={id}",
    "vimeo": "https://vimeo.com/{id}",
}


class Video(NamedTuple):
    provider: str
    id: str


def video_from_url(url: str) -> Video | None:
    """Return the YouTube or Vimeo video a URL shows, or None for any other URL."""
    url = url.strip()
    if match := _YOUTUBE_URL.match(url):
        return Video("youtube", match.group(1))
    if match := _VIMEO_URL.match(url):
        return Video("vimeo", match.group(1))
    return None


def is_embed_value(value: str) -> bool:
    """Whether value names a video as data-embed does, e.g. "youtube:dQw4w9WgXcQ"."""
    return _EMBED_VALUE.fullmatch(value) is not None


def embed_html(video: Video, *, title: str = "", caption_html: str = "") -> str:
    """
    The stored markup of a video: a figure naming it, with a link to watch
    it (its text the title, also the player's title once loaded) and the
    caption (sanitized inline HTML) when there is one.
    """
    watch_url = _WATCH_URLS[video.provider].format(id=video.id)
    text = html_lib.escape(title or f"Watch the video on {video.provider.title()}")
    caption = f"<figcaption>{caption_html}</figcaption>" if caption_html else ""
    return (
        f'<figure data-embed="{video.provider}:{video.id}">'
        f'<a href="{watch_url}">{text}</a>{caption}</figure>'
    )
