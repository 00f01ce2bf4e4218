"""articles.purge tells the reverse proxy which pages to drop, as ngx_cache_purge expects."""

from http.server import BaseHTTPRequestHandler

import pytest

from articles import purge
from tests.loopback import free_port, serving

CACHED = {"/en/", "/en/beauty/back-spasm-remedy/"}


class FakeProxy(BaseHTTPRequestHandler):
    """Answers PURGE as ngx_cache_purge does: 200 for a stored page, 404 otherwise."""

    protocol_version = "HTTP/1.1"
    refuse = False

    def do_PURGE(self):
        self.server.requests.append((self.command, self.path, self.headers["Host"]))
        status = 403 if self.refuse else 200 if self.path in CACHED else 404
        body = b"<html>Successful purge</html>"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class RefusingProxy(FakeProxy):
    refuse = True


@pytest.fixture
def proxy(settings):
    settings.SITE_URL = "https://www.example.org"
    with serving(FakeProxy) as server:
        settings.PURGE_URL = f"http://127.0.0.1:{server.server_port}"
        yield server


def test_each_page_gets_one_purge_with_the_public_host(proxy):
    purge.purge(["/en/", "/en/?page=2", "/en/"])

    assert proxy.requests == [
        ("PURGE", "/en/", "www.example.org"),
        ("PURGE", "/en/?page=2", "www.example.org"),
    ]


def test_result_tells_purged_pages_from_pages_that_were_not_cached(proxy):
    result = purge.purge(["/en/beauty/back-spasm-remedy/", "/en/tag/new/"])

    assert result == purge.PurgeResult(
        purged=["/en/beauty/back-spasm-remedy/"], not_cached=["/en/tag/new/"]
    )


def test_refused_purge_is_reported_and_logged(settings, caplog):
    with serving(RefusingProxy) as server:
        settings.PURGE_URL = f"http://127.0.0.1:{server.server_port}"

        result = purge.purge(["/en/"])

    assert result.failed == ["/en/"]
    assert "answered 403 to PURGE /en/" in caplog.text


def test_unreachable_proxy_fails_every_page_without_raising(settings, caplog):
    settings.PURGE_URL = f"http://127.0.0.1:{free_port()}"

    result = purge.purge(["/en/", "/en/feed/"])

    assert result.failed == ["/en/", "/en/feed/"]
    assert "Could not purge /en/" in caplog.text


def test_without_purge_url_nothing_is_sent(proxy, settings):
    settings.PURGE_URL = ""

    assert purge.purge(["/en/"]) == purge.PurgeResult()
    assert proxy.requests == []
