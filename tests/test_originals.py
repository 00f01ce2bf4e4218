"""Stored originals carry no GPS position or other metadata, and stay upright."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PillowImage
from PIL import ImageOps

from articles import imaging, renditions
from articles.models import Image
from tests.images import (
    GPS_IFD,
    ORIENTATION,
    photo_bytes,
    photo_with_gps_and_orientation,
)

XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF>Jane at home</rdf:RDF></x:xmpmeta>'


def pixels(data):
    with PillowImage.open(io.BytesIO(data)) as picture:
        return picture.convert("RGBA").tobytes()


def upright_size(data):
    with PillowImage.open(io.BytesIO(data)) as picture:
        return ImageOps.exif_transpose(picture).size


def exif_of(data):
    with PillowImage.open(io.BytesIO(data)) as picture:
        return picture.getexif()


def gps_exif(orientation=1):
    exif = PillowImage.Exif()
    if orientation != 1:
        exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (52.0, 22.0, 1.5)
    return exif


def picture(fmt, **save):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 48), (90, 140, 200)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def test_jpeg_loses_gps_camera_xmp_and_comments_but_keeps_pixels_and_orientation():
    data = photo_with_gps_and_orientation(1600, 1200, orientation=6)
    with PillowImage.open(io.BytesIO(data)) as source:
        buffer = io.BytesIO()
        source.save(
            buffer,
            format="JPEG",
            exif=source.getexif(),
            xmp=XMP,
            comment=b"Serial 1234",
            quality="keep",
        )
    data = buffer.getvalue()

    stripped = imaging.strip_metadata(data)

    assert dict(exif_of(stripped)) == {ORIENTATION: 6}
    assert not exif_of(stripped).get_ifd(GPS_IFD)
    for secret in (b"PhoneMaker", b"Jane at home", b"Serial 1234"):
        assert secret in data and secret not in stripped
    assert pixels(stripped) == pixels(data)
    assert upright_size(stripped) == upright_size(data) == (1200, 1600)


def test_upright_jpeg_keeps_no_exif_at_all():
    data = picture("JPEG", exif=gps_exif(), progressive=True)

    stripped = imaging.strip_metadata(data)

    assert not exif_of(stripped)
    assert pixels(stripped) == pixels(data)


def test_jpeg_without_metadata_is_left_byte_for_byte():
    data = photo_bytes(800, 600)

    assert imaging.strip_metadata(data) == data


def test_png_loses_text_and_exif_chunks_and_keeps_its_pixels():
    from PIL.PngImagePlugin import PngInfo

    text = PngInfo()
    text.add_text("Author", "Jane Doe")
    text.add_itxt("XML:com.adobe.xmp", "Jane at home")
    data = picture("PNG", pnginfo=text, exif=gps_exif())

    stripped = imaging.strip_metadata(data)

    assert b"Jane" in data and b"Jane" not in stripped and b"PhoneMaker" not in stripped
    assert pixels(stripped) == pixels(data)


def test_rotated_png_keeps_only_its_orientation():
    data = picture("PNG", exif=gps_exif(orientation=8))

    stripped = imaging.strip_metadata(data)

    assert dict(exif_of(stripped)) == {ORIENTATION: 8}
    assert upright_size(stripped) == (48, 64)


def test_webp_loses_exif_and_xmp_chunks_and_keeps_its_pixels():
    data = picture("WEBP", lossless=True, exif=gps_exif(orientation=3), xmp=XMP)

    stripped = imaging.strip_metadata(data)

    assert dict(exif_of(stripped)) == {ORIENTATION: 3}
    assert b"Jane" not in stripped and b"PhoneMaker" not in stripped
    assert pixels(stripped) == pixels(data)
    imaging.inspect(stripped, filename="x.webp")


def test_animated_gif_loses_comments_and_keeps_every_frame():
    frames = [PillowImage.new("RGB", (20, 20), c) for c in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=frames[1:],
        comment=b"Jane at home",
        loop=0,
        duration=100,
    )
    data = buffer.getvalue()

    stripped = imaging.strip_metadata(data)

    assert b"Jane" in data and b"Jane" not in stripped
    with PillowImage.open(io.BytesIO(data)) as gif:
        assert gif.n_frames == 3
    with PillowImage.open(io.BytesIO(stripped)) as gif:
        assert gif.n_frames == 3 and gif.info["loop"] == 0


def test_avif_with_gps_is_encoded_again_without_it_and_upright():
    data = picture("AVIF", exif=gps_exif(orientation=6))

    stripped = imaging.strip_metadata(data)

    assert not exif_of(stripped).get_ifd(GPS_IFD)
    assert b"PhoneMaker" not in stripped
    assert upright_size(stripped) == upright_size(data) == (48, 64)


def test_mpo_keeps_only_its_first_picture():
    left, right = (PillowImage.new("RGB", (32, 32), c) for c in ("red", "blue"))
    buffer = io.BytesIO()
    left.save(
        buffer, format="MPO", save_all=True, append_images=[right], exif=gps_exif()
    )

    stripped = imaging.strip_metadata(buffer.getvalue())

    with PillowImage.open(io.BytesIO(stripped)) as single:
        assert single.format == "JPEG" and getattr(single, "n_frames", 1) == 1
    assert b"PhoneMaker" not in stripped


@pytest.mark.django_db
def test_uploaded_original_is_stored_without_gps_and_upright(editor_client):
    data = photo_with_gps_and_orientation(3000, 2000, orientation=6)

    editor_client.post(
        reverse("admin:articles_image_add"),
        {"file": SimpleUploadedFile("IMG_0001.jpg", data), "alt_text": "A knee"},
    )

    image = Image.objects.get()
    with default_storage.open(image.file.name) as handle:
        stored = handle.read()
    assert not exif_of(stored).get_ifd(GPS_IFD) and b"PhoneMaker" not in stored
    assert upright_size(stored) == (image.width, image.height) == (2000, 3000)
    assert pixels(stored) == pixels(data)
    assert image.bytes == len(stored)
    # The same file uploaded again is still recognised.
    assert image.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.django_db
def test_command_strips_originals_stored_before(django_capture_on_commit_callbacks):
    data = photo_with_gps_and_orientation(1600, 1200, orientation=6)
    image = Image(alt_text="Old upload")
    image.file.save("old.jpg", ContentFile(data), save=False)
    image.save()
    renditions.make_renditions(image)
    old_name, out = image.file.name, io.StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("strip_metadata", stdout=out)
    call_command("strip_metadata", stdout=out)

    image.refresh_from_db()
    with default_storage.open(image.file.name) as handle:
        stored = handle.read()
    assert not exif_of(stored).get_ifd(GPS_IFD)
    assert dict(exif_of(stored)) == {ORIENTATION: 6}
    assert image.bytes == len(stored)
    assert not default_storage.exists(old_name)
    assert image.file.name.startswith("images/")
    assert image.renditions.count() > 0
    assert "Metadata removed from 1 of 1 originals." in out.getvalue()
    assert "Metadata removed from 0 of 1 originals." in out.getvalue()
