"""What the Content-Security-Policy lets a page load and run."""

import re
from urllib.parse import urlsplit

import pytest

from tests.factories import make_article

pytestmark = pytest.mark.django_db

VIDEOS = (
    '<figure data-embed="youtube:dQw4w9WgXcQ"><a href="https://youtu.be/dQw4w9WgXcQ">'
    "Watch</a></figure>"
    '<figure data-embed="vimeo:76979871"><a href="https://vimeo.com/76979871">'
    "Watch</a></figure>"
)


def policy(response):
    return dict(
        (directive.strip().split(" ", 1) + [""])[:2]
        for directive in response["Content-Security-Policy"].split(";")
    )


def test_video_players_the_page_offers_may_be_framed(client):
    article = make_article(body=f"<p>Two videos.</p>{VIDEOS}")

    response = client.get(article.get_absolute_url())

    players = re.findall(r'data-player="([^"]+)"', response.content.decode())
    allowed = policy(response)["frame-src"].split()
    assert len(players) == 2
    for player in players:
        parts = urlsplit(player.replace("&amp;", "&"))
        assert f"{parts.scheme}://{parts.netloc}" in allowed
    assert allowed == ["https://player.vimeo.com", "https://www.youtube-nocookie.com"]


def test_reader_pages_may_frame_nothing_else(client):
    response = client.get(make_article().get_absolute_url())

    assert "'self'" not in policy(response)["frame-src"]
    assert "*" not in policy(response)["frame-src"]
