"""What the Content-Security-Policy lets a page load and run."""

import re
from html.parser import HTMLParser
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


class InlineScripts(HTMLParser):
    """The nonce attribute of every <script> without a src, in order."""

    def __init__(self):
        super().__init__()
        self.nonces = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            self.nonces.append(attributes.get("nonce"))


def inline_script_nonces(response):
    parser = InlineScripts()
    parser.feed(response.content.decode())
    return parser.nonces


def header_nonce(response):
    (source,) = re.findall(r"'nonce-([^']+)'", policy(response)["script-src"])
    return source


@pytest.fixture
def admin_pages(editor, administrator):
    article = make_article()
    author = article.author
    return {
        "editor": [
            "/admin/",
            "/admin/articles/article/",
            "/admin/articles/article/add/",
            f"/admin/articles/article/{article.pk}/change/",
            f"/admin/articles/author/{author.pk}/change/",
            "/admin/articles/image/add/",
            "/admin/articles/category/add/",
        ],
        "administrator": [
            f"/admin/auth/user/{editor.pk}/change/",
            "/admin/auth/user/add/",
            "/admin/axes/accessattempt/",
        ],
    }


def test_admin_forbids_inline_scripts_without_the_nonce(
    client, editor, administrator, admin_pages
):
    for user, paths in (
        (editor, admin_pages["editor"]),
        (administrator, admin_pages["administrator"]),
    ):
        client.force_login(user)
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, path
            script_src = policy(response)["script-src"]
            assert "unsafe-inline" not in script_src, path
            assert "unsafe-eval" not in script_src, path
            nonce = header_nonce(response)
            assert all(found == nonce for found in inline_script_nonces(response)), path


def test_the_editors_import_map_carries_the_nonce(editor_client):
    response = editor_client.get("/admin/articles/article/add/")

    html = response.content.decode()
    (import_map,) = re.findall(r"<script[^>]*type=\"importmap\"[^>]*>", html)
    assert f'nonce="{header_nonce(response)}"' in import_map
    assert html.count('type="importmap"') == 1


def test_every_admin_response_gets_a_fresh_nonce(editor_client):
    first = header_nonce(editor_client.get("/admin/articles/article/add/"))
    second = header_nonce(editor_client.get("/admin/articles/article/add/"))

    assert first != second and len(first) >= 22


def test_login_page_needs_no_inline_script(client):
    response = client.get("/admin/login/")

    assert inline_script_nonces(response) == []
    assert "unsafe-inline" not in policy(response)["script-src"]
