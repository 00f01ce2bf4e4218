"""HTML, JSON and XML go out compressed, Brotli first, except responses that carry a secret (BREACH)."""

import gzip

import brotli
import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from articles.compression import CompressionMiddleware, preferred_encoding
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

BROWSER = "gzip, deflate, br, zstd"


@pytest.mark.parametrize(
    "url", ["{article}", "/en/", "/en/feed/", "/wp-json/wp/v2/posts", "/sitemap.xml"]
)
def test_reader_responses_go_out_in_brotli(client, url):
    article = make_article()
    url = url.format(article=article.get_absolute_url())
    plain = client.get(url).content

    response = client.get(url, headers={"Accept-Encoding": BROWSER})

    assert response["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response["Vary"]
    assert brotli.decompress(response.content) == plain


def test_gzip_for_clients_that_take_only_gzip(client):
    article = make_article()
    plain = client.get(article.get_absolute_url()).content

    response = client.get(
        article.get_absolute_url(), headers={"Accept-Encoding": "gzip"}
    )

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == plain


def test_streamed_sitemap_is_compressed_as_it_streams(client):
    make_article()
    plain = client.get("/sitemap-articles.xml").getvalue()

    response = client.get("/sitemap-articles.xml", headers={"Accept-Encoding": BROWSER})

    assert response.streaming and response["Content-Encoding"] == "br"
    assert brotli.decompress(response.getvalue()) == plain


@pytest.mark.parametrize("accept", ["", "identity", "br;q=0, gzip;q=0", "deflate"])
def test_nothing_is_compressed_for_clients_that_take_neither(client, accept):
    response = client.get(
        make_article().get_absolute_url(), headers={"Accept-Encoding": accept}
    )

    assert not response.has_header("Content-Encoding")


def test_page_with_a_csrf_token_is_never_compressed(client):
    response = client.get("/admin/login/", headers={"Accept-Encoding": BROWSER})

    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")


def test_reader_page_of_a_signed_in_person_is_never_compressed(client):
    article = make_article()
    client.force_login(make_user("Editor"))

    response = client.get(
        article.get_absolute_url(), headers={"Accept-Encoding": BROWSER}
    )

    assert "Cookie" in response["Vary"]
    assert not response.has_header("Content-Encoding")


def test_anonymous_page_that_varies_on_cookie_is_compressed(client):
    response = client.get(
        make_article().get_absolute_url(), headers={"Accept-Encoding": BROWSER}
    )

    assert "Cookie" in response["Vary"]
    assert response["Content-Encoding"] == "br"


@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken"])
def test_response_that_sets_a_session_or_csrf_cookie_is_never_compressed(cookie):
    def view(request):
        response = HttpResponse("<p>Welcome back.</p>" * 50)
        response.set_cookie(cookie, "secret")
        return response

    request = RequestFactory().get("/", headers={"Accept-Encoding": BROWSER})
    response = CompressionMiddleware(view)(request)

    assert not response.has_header("Content-Encoding")


def test_strong_etag_becomes_weak_once_compressed(client):
    article = make_article()

    response = client.get(
        f"/wp-json/wp/v2/posts/{article.pk}", headers={"Accept-Encoding": BROWSER}
    )

    assert response["ETag"].startswith('W/"')


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse("short", content_type="text/html"),
        HttpResponse(b"\x89PNG" * 100, content_type="image/png"),
        HttpResponse("body { color: teal }" * 20, content_type="text/css"),
        StreamingHttpResponse([b"x" * 500], content_type="application/octet-stream"),
    ],
)
def test_short_responses_and_other_types_are_left_alone(response):
    request = RequestFactory().get("/", headers={"Accept-Encoding": BROWSER})

    assert not CompressionMiddleware(lambda request: response)(request).has_header(
        "Content-Encoding"
    )


@pytest.mark.parametrize(
    "accept, chosen",
    [
        ("gzip, deflate, br", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("GZIP;q=0.5", "gzip"),
        ("*", "br"),
        ("*;q=0", None),
        ("identity", None),
        ("br;q=nonsense, gzip", "gzip"),
    ],
)
def test_accept_encoding_is_read_with_its_weights(accept, chosen):
    assert preferred_encoding(accept) == chosen
