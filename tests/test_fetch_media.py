"""import_wordpress --fetch-media: remote images into the library, or a clear offline message."""

import http.server
import io
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command

from articles.models import Article, Image
from tests.images import photo_bytes

pytestmark = pytest.mark.django_db


SEED = Path(settings.BASE_DIR) / "demo" / "back-spasm-remedy.json"
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


class PictureHandler(http.server.BaseHTTPRequestHandler):
    """Answers every image path with a picture in the format its name says."""

    broken = False

    def do_GET(self):
        fmt = FORMATS.get(Path(self.path).suffix.lower())
        if fmt is None:
            self.send_error(404)
            return
        body = (
            b"<html>not a picture</html>"
            if self.broken
            else photo_bytes(1000, 750, fmt=fmt)
        )
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def seed_on(tmp_path, settings):
    """Write the seed post with its images moved to another host."""
    settings.WORDPRESS_SITE_URL = "https://goldcitymedicalcenter.nl"

    def write(host):
        text = SEED.read_text().replace(
            "https:\\/\\/goldcitymedicalcenter.nl\\/wp-content",
            f"http:\\/\\/{host}\\/wp-content",
        )
        path = tmp_path / "post.json"
        path.write_text(text)
        return path

    return write


def run_fetch(post):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wordpress", str(post), "--fetch-media", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_remote_images_are_downloaded_with_their_renditions(seed_on):
    server = serve(PictureHandler)
    try:
        out, _ = run_fetch(seed_on(f"127.0.0.1:{server.server_port}"))
    finally:
        server.shutdown()

    images = list(Image.objects.all())
    assert images and all(image.file for image in images)
    assert f"Media: downloaded {len(images)}, failed 0." in out
    for image in images:
        assert (image.width, image.height) == (1000, 750)
        assert image.renditions.filter(format="avif").exists()


def test_a_download_that_is_not_an_image_is_refused_and_nothing_stored(seed_on):
    server = serve(type("Broken", (PictureHandler,), {"broken": True}))
    try:
        _, err = run_fetch(seed_on(f"127.0.0.1:{server.server_port}"))
    finally:
        server.shutdown()

    assert "not an image" in err
    assert not Image.objects.exclude(file="").exists()
    assert not default_storage.exists("images")


def test_offline_the_images_stay_remote_and_the_command_says_so(seed_on, client):
    # Port 9 on localhost refuses connections: as good as no network.
    out, err = run_fetch(seed_on("127.0.0.1:9"))

    count = Image.objects.count()
    assert f"Offline: {count} images were not downloaded" in out
    assert "network unreachable" in err
    assert not Image.objects.exclude(file="").exists()
    article = Article.objects.get()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'src="http://127.0.0.1:9/wp-content/' in html
