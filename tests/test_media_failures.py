"""A media storage that refuses writes: a form error with the reason, and nothing half-written."""

import errno

import pytest
from botocore.exceptions import ClientError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Image, Rendition
from articles.storage import FileSystemStorage as MediaStorage
from tests.images import photo_bytes
from tests.test_renditions import stored_files

pytestmark = pytest.mark.django_db

ADD_IMAGE = reverse("admin:articles_image_add")


class RefusingStorage(FileSystemStorage):
    """The file system, until `writes_allowed` files are written; then `error`."""

    writes_allowed = 0
    error = PermissionError(errno.EACCES, "Permission denied")
    writes = 0

    def _save(self, name, content):
        if RefusingStorage.writes >= self.writes_allowed:
            raise self.error
        RefusingStorage.writes += 1
        return super()._save(name, content)


@pytest.fixture
def refusing(settings, monkeypatch):
    monkeypatch.setattr(RefusingStorage, "writes", 0)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.RefusingStorage"},
    }
    return RefusingStorage


def upload(client, **fields):
    return client.post(
        ADD_IMAGE,
        {
            "file": SimpleUploadedFile("knee.jpg", photo_bytes(1600, 1200)),
            "title": "Knee",
            "alt_text": "A knee brace",
            **fields,
        },
    )


def storage_error(response):
    """The form's one error: the storage's reason, and no other complaint."""
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["__all__"], errors
    (error,) = errors["__all__"]
    return error


def test_unwritable_media_gives_a_form_error_with_the_reason(editor_client, refusing):
    response = upload(editor_client)

    assert response.status_code == 200
    assert storage_error(response) == (
        "The media storage could not store the file (Permission denied). Nothing "
        "was saved: try again later, or ask an administrator to check the storage."
    )
    assert not Image.objects.exists()
    assert stored_files(default_storage) == []


def test_typed_fields_are_kept_in_the_form_after_a_storage_failure(
    editor_client, refusing
):
    response = upload(editor_client, caption="Brace worn after surgery")

    html = response.content.decode()
    assert 'value="A knee brace"' in html
    assert 'value="Brace worn after surgery"' in html


def test_disk_full_during_the_background_renditions_keeps_the_upload_and_no_rendition(
    editor_client, refusing, monkeypatch, task_failures
):
    monkeypatch.setattr(refusing, "writes_allowed", 4)
    monkeypatch.setattr(
        refusing, "error", OSError(errno.ENOSPC, "No space left on device")
    )

    response = upload(editor_client)

    # The upload answered once its original was stored; the renditions task,
    # run after the commit, failed on its fourth file...
    assert response.status_code == 302
    assert refusing.writes == 4  # The original and three renditions were written...
    image = Image.objects.get()
    assert stored_files(default_storage) == [image.file.name]  # ...those three deleted.
    assert not Rendition.objects.exists()
    (failure,) = task_failures
    assert "No space left on device" in failure.errors[0].traceback


def test_s3_refusal_is_explained_in_the_form(editor_client, refusing, monkeypatch):
    denied = ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "PutObject"
    )
    monkeypatch.setattr(refusing, "error", denied)

    response = upload(editor_client)

    assert "AccessDenied" in storage_error(response)
    assert not Image.objects.exists()


def test_a_failed_crop_remake_keeps_the_old_crops_and_their_files(
    editor_client, refusing, monkeypatch, task_failures
):
    monkeypatch.setattr(refusing, "writes_allowed", 1000)
    upload(editor_client)
    image = Image.objects.get()
    before = set(image.renditions.values_list("file", flat=True))
    monkeypatch.setattr(refusing, "writes_allowed", refusing.writes)

    response = editor_client.post(
        reverse("admin:articles_image_change", args=[image.pk]),
        {"title": "Knee", "alt_text": "A knee brace", "focal_x": 0.1, "focal_y": 0.9},
    )

    # The focal point is saved; remaking the crops in the background failed.
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.focal_point == (0.1, 0.9)
    assert len(task_failures) == 1
    assert set(image.renditions.values_list("file", flat=True)) == before
    assert all(default_storage.exists(name) for name in before)


def test_healthz_reports_media_that_cannot_be_written(client, refusing):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["media"] == "unavailable"


def test_healthz_writes_and_deletes_a_probe(client):
    response = client.get("/healthz")

    assert response.json()["checks"]["media"] == "ok"
    assert stored_files(default_storage) == []


class DiskFillsUp(ContentFile):
    """A file whose writing fails part way, as on a disk that fills up."""

    def chunks(self, chunk_size=None):
        yield b"x" * 4096
        raise OSError(errno.ENOSPC, "No space left on device")


def test_the_file_system_storage_leaves_no_half_written_file(tmp_path):
    storage = MediaStorage(location=tmp_path)
    storage.save("kept.txt", ContentFile(b"already here"))

    with pytest.raises(OSError, match="No space left"):
        storage.save("renditions/1/photo-1200w.jpg", DiskFillsUp(b""))

    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["kept.txt"]


def test_production_media_on_disk_uses_that_storage():
    from tests.test_settings import PRODUCTION, settings_json

    values = settings_json("STORAGES", **PRODUCTION)

    assert (
        values["STORAGES"]["default"]["BACKEND"] == "articles.storage.FileSystemStorage"
    )
