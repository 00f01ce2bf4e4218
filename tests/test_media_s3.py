"""
Media on S3, end to end: django-storages' S3 back end, configured as
config/settings.py configures MEDIA_STORAGE=s3, against moto's standalone
server, a stand-in for a real S3-compatible store (none installs on these
machines). The server runs on 127.0.0.1 on a free port in 18100-18199 for
the tests of this module, and is stopped after them.
"""

import io
import json
import re
import runpy
import socket
import subprocess
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PillowImage
from storages.backends.s3 import S3Storage

from articles.models import Image
from bench.server import free_port
from tests.factories import make_article
from tests.images import GPS_IFD, photo_with_gps_and_orientation

pytestmark = pytest.mark.django_db

MOTO_SERVER = Path(django_settings.BASE_DIR) / ".venv" / "bin" / "moto_server"
SETTINGS_FILE = Path(django_settings.BASE_DIR) / "config" / "settings.py"


def listening(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def moto_endpoint():
    port = free_port()
    server = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            if listening(port):
                break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


def public_read(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def configure_s3(settings, monkeypatch, *, endpoint, bucket):
    """STORAGES["default"] exactly as config/settings.py builds it for S3."""
    environment = {
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_BUCKET": bucket,
        "MEDIA_S3_ENDPOINT_URL": endpoint,
        "MEDIA_S3_REGION": "us-east-1",
        "MEDIA_S3_TIMEOUT_SECONDS": "1",
        "AWS_ACCESS_KEY_ID": "stand-in",
        "AWS_SECRET_ACCESS_KEY": "stand-in",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    storage = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = {**settings.STORAGES, "default": storage}


@dataclass
class Bucket:
    """A bucket on the stand-in server, read directly, not through the site."""

    name: str
    client: object

    def keys(self):
        listed = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {item["Key"] for item in listed}

    def read(self, key):
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def bucket(settings, monkeypatch, moto_endpoint):
    name = f"media-{uuid.uuid4().hex[:12]}"
    configure_s3(settings, monkeypatch, endpoint=moto_endpoint, bucket=name)
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    # Pages link the files unsigned (querystring_auth off): the bucket lets
    # anyone read them, as a deployment's bucket policy (or CDN) does.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read(name)))
    return Bucket(name, client)


def upload(client, data=None, **fields):
    return client.post(
        reverse("admin:articles_image_add"),
        {
            "file": SimpleUploadedFile(
                "knee.jpg", data or photo_with_gps_and_orientation(1600, 1200)
            ),
            "alt_text": "A knee brace",
            **fields,
        },
    )


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers["Content-Type"], response.read()


def test_an_upload_stores_the_original_and_every_rendition_in_the_bucket(
    editor_client, bucket
):
    response = upload(editor_client)

    assert response.status_code == 302
    image = Image.objects.get()
    expected = {image.file.name, *image.renditions.values_list("file", flat=True)}
    assert bucket.keys() == expected and len(expected) > 10
    original = PillowImage.open(io.BytesIO(bucket.read(image.file.name)))
    assert not original.getexif().get_ifd(GPS_IFD)


def test_pages_feeds_and_the_api_point_at_copies_the_store_serves(
    client, editor_client, bucket, moto_endpoint, settings
):
    settings.SITE_URL = "https://www.example.org"
    upload(editor_client)
    image = Image.objects.get()
    article = make_article(featured_image=image, featured_image_alt="A knee brace")
    prefix = f"{moto_endpoint}/{bucket.name}/"

    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get("/en/feed/").content.decode()
    media = client.get(f"/wp-json/wp/v2/media/{image.pk}").json()

    page_urls = set(re.findall(rf"{re.escape(prefix)}[^\s\"',]+", page))
    (feed_url,) = re.findall(r'<media:content [^>]*url="([^"]+)"', feed)
    assert len(page_urls) > 5
    assert feed_url.startswith(prefix) and media["source_url"].startswith(prefix)
    for url in [*page_urls, feed_url, media["source_url"]]:
        status, content_type, body = fetch(url)
        assert status == 200 and body, url
        assert content_type.startswith("image/"), url


def test_deleting_an_image_removes_its_objects(editor_client, bucket):
    upload(editor_client)
    image = Image.objects.get()

    editor_client.post(
        reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
    )

    assert not Image.objects.exists()
    assert bucket.keys() == set()


def test_an_unreachable_store_refuses_the_upload_clearly(
    editor_client, settings, monkeypatch
):
    closed = f"http://127.0.0.1:{free_port()}"
    configure_s3(settings, monkeypatch, endpoint=closed, bucket="media")

    response = upload(editor_client)

    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["__all__"])
    assert "The media storage could not store the file" in errors
    assert f'Could not connect to the endpoint URL: "{closed}' in errors
    assert not Image.objects.exists()


def test_a_store_lost_during_the_background_renditions_keeps_only_the_original(
    editor_client, bucket, monkeypatch, task_failures
):
    real_save, written = S3Storage._save, []

    def save_until_the_store_goes(self, name, content):
        if len(written) == 5:
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1")
        written.append(name)
        return real_save(self, name, content)

    monkeypatch.setattr(S3Storage, "_save", save_until_the_store_goes)

    response = upload(editor_client)

    # The upload answered once the original was stored; the renditions
    # task, run after the commit, lost the store on its fifth file.
    assert response.status_code == 302
    assert len(written) == 5
    image = Image.objects.get()
    assert bucket.keys() == {image.file.name}
    assert not image.renditions.exists()
    (failure,) = task_failures
    assert "Could not connect to the endpoint URL" in failure.errors[0].traceback


def test_healthz_reports_the_bucket(client, bucket):
    assert client.get("/healthz").json()["checks"]["media"] == "ok"
    assert bucket.keys() == set()
