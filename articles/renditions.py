"""
Renditions on storage: check an upload, make the renditions of an image
once, and record them as Rendition rows.

Every file goes through Django's storage API (`default_storage`, the
STORAGES["default"] back end), so the same code writes to the file system,
to memory in tests, or to S3. When renditions are made:

- right after an upload or a change of the focal point (ImageAdmin.save_model);
- by `manage.py renditions [--missing-only]`, for images loaded otherwise;
- never while a page renders: {% picture %} only reads the recorded rows and
  serves the original file until they exist.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from articles import imaging
from articles.models import Image, Rendition


def inspect_upload(uploaded) -> imaging.SourceInfo:
    """
    Check an uploaded file before anything is stored, and describe it.
    Raise ValidationError with a message for the editor when it is refused.
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            "This file is %(size)s MB; the limit is %(limit)s MB. "
            "Resize or compress it first.",
            code="too_large",
            params={
                "size": f"{uploaded.size / 1024 / 1024:.1f}",
                "limit": f"{limit / 1024 / 1024:.0f}",
            },
        )
    uploaded.seek(0)
    data = uploaded.read()
    uploaded.seek(0)
    try:
        return imaging.inspect(data, filename=uploaded.name or "")
    except imaging.InvalidImage as error:
        raise ValidationError(str(error), code="invalid_image") from None


def describe(image: Image, info: imaging.SourceInfo) -> None:
    """Copy what inspecting the file found onto the image (not saved)."""
    image.width, image.height = info.width, info.height
    image.bytes, image.format, image.sha256 = info.bytes, info.format, info.sha256


def duplicate_of(info: imaging.SourceInfo, *, exclude_pk=None) -> Image | None:
    """The library image that already holds exactly these bytes, if any."""
    return (
        Image.objects.filter(sha256=info.sha256).exclude(pk=exclude_pk).first()
        if info.sha256
        else None
    )


def _read(image: Image) -> bytes:
    with default_storage.open(image.file.name, "rb") as handle:
        return handle.read()


def make_renditions(image: Image, *, missing_only: bool = True) -> int:
    """
    Make the renditions an image lacks (or, with missing_only=False, all of
    them again), store their files and record them. Return how many were made.

    Either every new rendition is recorded or none is: on any failure the
    files written so far are deleted and no row is left behind.
    """
    if not image.file:
        return 0
    data = _read(image)
    info = imaging.inspect(data, filename=image.file.name)
    if not image.sha256:
        describe(image, info)
        Image.objects.filter(pk=image.pk).update(
            width=image.width,
            height=image.height,
            bytes=image.bytes,
            format=image.format,
            sha256=image.sha256,
        )
    old = list(Rendition.objects.filter(image=image))
    existing = {(r.width, r.format, r.crop) for r in old} if missing_only else set()
    specs = [
        spec
        for spec in imaging.specs_for(info)
        if (spec.width, spec.format, spec.crop) not in existing
    ]
    if not specs:
        return 0
    outputs = imaging.make_renditions(data, specs=specs, focal_point=image.focal_point)
    stem = image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0][:60]
    written = []
    try:
        rows = []
        for output in outputs:
            crop = output.spec.crop.replace(":", "x")
            name = default_storage.save(
                f"renditions/{image.pk}/{stem}-{crop + '-' if crop else ''}"
                f"{output.width}w.{output.extension}",
                ContentFile(output.data),
            )
            written.append(name)
            rows.append(
                Rendition(
                    image=image,
                    width=output.width,
                    height=output.height,
                    format=output.spec.format,
                    crop=output.spec.crop,
                    file=name,
                    bytes=len(output.data),
                )
            )
        with transaction.atomic():
            if not missing_only:
                image.renditions.all().delete()
            Rendition.objects.bulk_create(rows)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    if not missing_only:
        for rendition in old:
            default_storage.delete(rendition.file.name)
    return len(outputs)


def remake_crops(image: Image) -> int:
    """After the focal point moves, make the cropped renditions again."""
    stale = list(image.renditions.exclude(crop=""))
    with transaction.atomic():
        Rendition.objects.filter(pk__in=[r.pk for r in stale]).delete()
    for rendition in stale:
        default_storage.delete(rendition.file.name)
    return make_renditions(image)


def file_names(image: Image) -> list[str]:
    """The storage names of an image's original and renditions."""
    names = [rendition.file.name for rendition in image.renditions.all()]
    return [*names, image.file.name] if image.file else names


def delete_files(names: list[str]) -> None:
    """Remove files from storage, after their rows are gone."""
    for name in names:
        default_storage.delete(name)
