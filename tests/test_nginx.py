"""deploy/nginx.conf, run for real on loopback in front of a stand-in for Django."""

import gzip
import http.client
import shutil
import subprocess
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from articles import purge
from deploy import nginx_conf
from tests.loopback import free_port, serving

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PURGE_MODULE = Path("/usr/lib/nginx/modules/ngx_http_cache_purge_module.so")
HOST = "www.example.org"

pytestmark = pytest.mark.skipif(
    not (Path(NGINX).exists() and PURGE_MODULE.exists()),
    reason="nginx with the cache purge module is not installed "
    "(apt-get install nginx libnginx-mod-http-cache-purge)",
)


class StandInDjango(BaseHTTPRequestHandler):
    """Answers like the site: HTML varying on Cookie, gzipped when asked."""

    def do_GET(self):
        self.server.requests.append(self.path)
        self.server.accept_encodings.append(self.headers.get("Accept-Encoding", ""))
        body = f"<p>{self.path} answer {len(self.server.requests)}</p>".encode()
        gzipped = "gzip" in self.headers.get("Accept-Encoding", "")
        if gzipped:
            body = gzip.compress(body)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Vary", "Cookie, Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        if self.path.startswith("/sets-cookie/"):
            self.send_header("Set-Cookie", "csrftoken=abc; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("nginx")
    static, media, state = root / "static", root / "media", root / "state"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.0123456789ab.css").write_text("body { color: teal }")
    (static / "css" / "site.0123456789ab.css.gz").write_bytes(
        gzip.compress(b"body { color: teal }")
    )
    (media / "images").mkdir(parents=True)
    (media / "images" / "photo.txt").write_text("a photo")
    with serving(StandInDjango) as django:
        django.accept_encodings = []
        port = free_port()
        purge_port = free_port(taken=(port,))
        nginx_conf.prepare_state_dir(state)
        config = state / "nginx.conf"
        config.write_text(
            nginx_conf.render(
                upstream=f"127.0.0.1:{django.server_port}",
                static_root=static,
                media_root=media,
                state_dir=state,
                listen=f"127.0.0.1:{port}",
                purge_listen=f"127.0.0.1:{purge_port}",
            )
        )
        nginx = subprocess.Popen(
            [NGINX, "-p", state, "-c", config, "-g", "daemon off;"],
            stderr=subprocess.PIPE,
        )
        try:
            _wait_for(port, nginx)
            yield django, port, purge_port
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


def _wait_for(port, process):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(process.stderr.read().decode())
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail("nginx did not start")


def get(port, path, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path, headers={"Host": HOST, **headers})
    response = connection.getresponse()
    return response.headers, response.read()


def test_anonymous_page_is_stored_and_served_again_without_django(site):
    django, port, _ = site

    first, first_body = get(port, "/anonymous/")
    second, second_body = get(port, "/anonymous/")

    assert (first["X-Cache-Status"], second["X-Cache-Status"]) == ("MISS", "HIT")
    assert second_body == first_body
    assert django.requests.count("/anonymous/") == 1


@pytest.mark.parametrize("cookie", ["sessionid=staff", "csrftoken=form"])
def test_requests_with_a_session_or_csrf_cookie_bypass_the_cache(site, cookie):
    django, port, _ = site
    path = f"/signed-in-{cookie.split('=')[0]}/"

    get(port, path, Cookie=cookie)
    again, _ = get(port, path, Cookie=cookie)
    anonymous, _ = get(port, path)

    assert again["X-Cache-Status"] == "BYPASS"
    assert anonymous["X-Cache-Status"] == "MISS"
    assert django.requests.count(path) == 3


def test_other_cookies_share_the_anonymous_copy(site):
    django, port, _ = site

    get(port, "/with-analytics/")
    response, _ = get(port, "/with-analytics/", Cookie="consent=yes")

    assert response["X-Cache-Status"] == "HIT"


def test_admin_is_never_cached(site):
    django, port, _ = site

    get(port, "/admin/login/")
    response, _ = get(port, "/admin/login/")

    assert response["X-Cache-Status"] is None
    assert django.requests.count("/admin/login/") == 2


def test_response_that_sets_a_cookie_is_never_stored(site):
    django, port, _ = site

    get(port, "/sets-cookie/")
    get(port, "/sets-cookie/")

    assert django.requests.count("/sets-cookie/") == 2


def test_purge_makes_the_next_request_fetch_the_page_again(site, settings):
    django, port, purge_port = site
    settings.PURGE_URL = f"http://127.0.0.1:{purge_port}"
    settings.SITE_URL = f"https://{HOST}"
    get(port, "/edited/")
    _, stale = get(port, "/edited/")

    result = purge.purge(["/edited/", "/never-cached/"])
    response, fresh = get(port, "/edited/")

    assert result == purge.PurgeResult(
        purged=["/edited/"], not_cached=["/never-cached/"]
    )
    assert response["X-Cache-Status"] == "MISS"
    assert fresh != stale
    assert django.requests.count("/edited/") == 2


def test_django_is_asked_for_gzip_and_clients_without_it_get_plain_html(site):
    django, port, _ = site

    plain, body = get(port, "/plain-client/")
    packed, packed_body = get(port, "/plain-client/", **{"Accept-Encoding": "gzip"})

    assert django.accept_encodings[-1] == "gzip"
    assert plain["Content-Encoding"] is None
    assert body.startswith(b"<p>/plain-client/")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed_body) == body


def test_hashed_static_files_come_precompressed_from_disk_and_never_expire(site):
    django, port, _ = site

    response, body = get(
        port, "/static/css/site.0123456789ab.css", **{"Accept-Encoding": "gzip"}
    )

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == b"body { color: teal }"
    assert "immutable" in response["Cache-Control"]
    assert not any(path.startswith("/static/") for path in django.requests)


def test_purge_listener_serves_no_pages(site):
    _, _, purge_port = site
    connection = http.client.HTTPConnection("127.0.0.1", purge_port, timeout=5)

    connection.request("GET", "/anonymous/", headers={"Host": HOST})

    assert connection.getresponse().status == 405


def test_purges_take_the_path_with_its_query_string_and_encoded_letters(site, settings):
    _, port, purge_port = site
    settings.PURGE_URL = f"http://127.0.0.1:{purge_port}"
    settings.SITE_URL = f"https://{HOST}"
    for path in ("/en/?page=2", "/en/%C3%A9t%C3%A9/"):
        get(port, path)

    result = purge.purge(["/en/?page=2", "/en/?page=3", "/en/%C3%A9t%C3%A9/"])

    assert result.purged == ["/en/?page=2", "/en/%C3%A9t%C3%A9/"]
    assert result.not_cached == ["/en/?page=3"]


def test_media_files_come_from_disk(site):
    django, port, _ = site

    response, body = get(port, "/media/images/photo.txt")

    assert body == b"a photo"
    assert not any(path.startswith("/media/") for path in django.requests)
