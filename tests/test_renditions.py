"""Renditions on storage, the library's upload checks, and the renditions command."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PillowImage

from articles import imaging, renditions
from articles.models import Image, Rendition
from tests.images import (
    GPS_IFD,
    bomb_bytes,
    photo_bytes,
    photo_with_gps_and_orientation,
)

pytestmark = pytest.mark.django_db

ADD_IMAGE = reverse("admin:articles_image_add")


@pytest.fixture(params=["filesystem", "memory"])
def storage(request, settings):
    """Run a test on the file system and on Django's in-memory storage."""
    backend = {
        "filesystem": "django.core.files.storage.FileSystemStorage",
        "memory": "django.core.files.storage.InMemoryStorage",
    }[request.param]
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}
    return default_storage


def stored_files(storage, folder=""):
    """Every file name under a folder of the storage, recursively."""
    if not storage.exists(folder or "."):
        return []
    directories, files = storage.listdir(folder or ".")
    names = [f"{folder}/{name}".lstrip("/") for name in files]
    for directory in directories:
        names += stored_files(storage, f"{folder}/{directory}".lstrip("/"))
    return names


def library_image(data=None, name="photo.jpg", **fields):
    image = Image(title="Photo", alt_text="A photo", **fields)
    image.file.save(name, ContentFile(data or photo_bytes(1600, 1200)), save=False)
    image.save()
    return image


def test_renditions_are_stored_and_recorded_once(storage, monkeypatch):
    image = library_image()

    made = renditions.make_renditions(image)

    rows = list(image.renditions.all())
    assert (
        made
        == len(rows)
        == len(imaging.specs_for(imaging.inspect(photo_bytes(1600, 1200))))
    )
    assert {(r.width, r.format) for r in rows if r.crop == ""} >= {
        (300, "avif"),
        (768, "webp"),
        (1200, "jpeg"),
        (imaging.PLACEHOLDER_WIDTH, "webp"),
    }
    for row in rows:
        assert storage.exists(row.file.name)
        with storage.open(row.file.name) as handle:
            assert PillowImage.open(handle).size == (row.width, row.height)
    image.refresh_from_db()
    assert (image.width, image.height, image.format) == (1600, 1200, "jpeg")
    assert len(image.sha256) == 64

    def fail(*args, **kwargs):
        raise AssertionError("a rendition was made twice")

    monkeypatch.setattr(imaging, "render", fail)
    assert renditions.make_renditions(image) == 0
    assert image.renditions.count() == len(rows)


def test_a_failed_generation_leaves_no_rows_and_no_files(storage, monkeypatch):
    image = library_image()

    class FullDisk:
        """The real storage, until it fails on the fourth file."""

        saved = 0

        def __getattr__(self, name):
            return getattr(storage, name)

        def save(self, name, content, **kwargs):
            if self.saved == 3:
                raise OSError("disk full")
            self.saved += 1
            return storage.save(name, content, **kwargs)

    monkeypatch.setattr(renditions, "default_storage", FullDisk())

    with pytest.raises(OSError):
        renditions.make_renditions(image)

    assert not Rendition.objects.exists()
    assert stored_files(storage, "renditions") == []


def test_remaking_all_renditions_replaces_the_files(
    storage, django_capture_on_commit_callbacks
):
    image = library_image()
    renditions.make_renditions(image)
    old = set(image.renditions.values_list("file", flat=True))

    # The replaced files go once the new rows are committed.
    with django_capture_on_commit_callbacks(execute=True):
        renditions.make_renditions(image, missing_only=False)

    new = set(image.renditions.values_list("file", flat=True))
    assert len(new) == len(old)
    assert set(stored_files(storage, "renditions")) == new


def test_renditions_command_fills_in_what_is_missing(storage):
    image = library_image()
    out = io.StringIO()

    call_command("renditions", "--missing-only", stdout=out)
    count = image.renditions.count()
    call_command("renditions", "--missing-only", stdout=out)

    assert count > 0 and image.renditions.count() == count
    assert "[##############################] 1/1" in out.getvalue()
    assert f"{count} renditions made for 1 images." in out.getvalue()
    assert "0 renditions made for 1 images." in out.getvalue()


def upload(client, data, name, **fields):
    return client.post(
        ADD_IMAGE,
        {"file": SimpleUploadedFile(name, data), "title": "Upload", **fields},
    )


def test_an_upload_is_described_and_gets_its_renditions(storage, editor_client):
    data = photo_with_gps_and_orientation(3000, 2000, orientation=6)

    response = upload(editor_client, data, "IMG_0001.jpg", alt_text="A knee brace")

    assert response.status_code == 302, response.context["adminform"].form.errors
    image = Image.objects.get()
    assert (image.width, image.height) == (2000, 3000)
    # The original is stored without its GPS position (see test_originals.py).
    assert image.bytes == image.file.size < len(data)
    assert image.format == "jpeg" and len(image.sha256) == 64
    rows = list(image.renditions.all())
    assert {r.format for r in rows} == {"avif", "webp", "jpeg"}
    for row in rows:
        with storage.open(row.file.name) as handle:
            picture = PillowImage.open(handle)
            assert picture.height > picture.width or row.crop
            assert not picture.getexif().get_ifd(GPS_IFD)
            assert not picture.getexif()


def test_uploading_the_same_file_twice_offers_the_existing_image(
    storage, editor_client
):
    data = photo_bytes(800, 600)
    upload(editor_client, data, "first.jpg")
    existing = Image.objects.get()

    response = upload(editor_client, data, "again.jpg")

    errors = response.context["adminform"].form.errors["file"]
    assert "already in the library" in errors[0]
    assert reverse("admin:articles_image_change", args=[existing.pk]) in errors[0]
    assert Image.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.jpg", "The submitted file is empty."),
        (b"%PDF-1.4 not a picture", "document.jpg", "not an image"),
        (photo_bytes(800, 600)[:-3000], "truncated.jpg", "damaged or incomplete"),
        (photo_bytes(800, 600), "photo.png", "named .png but contains a JPEG"),
        (bomb_bytes(), "bomb.png", "too many pixels"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "a.svg",
            "SVG",
        ),
        (photo_bytes(800, 600), "big.jpg", "the limit is"),
    ],
    ids=[
        "zero-bytes",
        "not-an-image",
        "truncated",
        "lying-extension",
        "bomb",
        "svg",
        "too-large",
    ],
)
def test_a_bad_upload_gets_a_field_error_and_nothing_is_stored(
    storage, editor_client, settings, data, name, message
):
    if name == "big.jpg":
        settings.IMAGE_UPLOAD_MAX_BYTES = len(data) - 1

    response = upload(editor_client, data, name)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert message in " ".join(errors)
    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert stored_files(storage) == []


def test_moving_the_focal_point_remakes_only_the_crops(storage, editor_client):
    upload(editor_client, photo_bytes(1600, 900), "wide.jpg", alt_text="Wide")
    image = Image.objects.get()
    whole = set(image.renditions.filter(crop="").values_list("pk", flat=True))
    crops = set(image.renditions.exclude(crop="").values_list("pk", flat=True))
    url = reverse("admin:articles_image_change", args=[image.pk])

    response = editor_client.post(
        url, {"title": "Wide", "alt_text": "Wide", "focal_x": "0.9", "focal_y": "0.5"}
    )

    assert response.status_code == 302
    assert set(image.renditions.filter(crop="").values_list("pk", flat=True)) == whole
    new_crops = set(image.renditions.exclude(crop="").values_list("pk", flat=True))
    assert new_crops and not new_crops & crops


def test_the_image_page_shows_where_the_image_is_used(editor_client):
    from tests.factories import make_article, make_image

    image = make_image(title="Stretching")
    article = make_article(title="Back pain at work", featured_image=image)

    html = editor_client.get(
        reverse("admin:articles_image_change", args=[image.pk])
    ).content.decode()

    assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert "Back pain at work" in html


def test_deleting_an_image_removes_its_files(storage, editor_client):
    upload(editor_client, photo_bytes(800, 600), "gone.jpg")
    image = Image.objects.get()
    assert stored_files(storage)

    editor_client.post(
        reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
    )

    assert not Image.objects.exists() and not Rendition.objects.exists()
    assert stored_files(storage) == []
