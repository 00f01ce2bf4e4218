"""
Renditions on storage: check an upload, make the renditions of an image
once, and record them as Rendition rows.

Every file goes through Django's storage API (`default_storage`, the
STORAGES["default"] back end), so the same code writes to the file system,
to memory in tests, or to S3. When renditions are made:

- in the background after an image is saved (the make_renditions task of
  articles/tasks.py, enqueued by articles/publishing once the save commits):
  an upload answers as soon as its original is stored;
- by `manage.py renditions [--missing-only]`, for images loaded otherwise;
- never while a page renders: {% picture %} only reads the recorded rows and
  serves the original file (stored without its metadata) until they exist.
"""

from __future__ import annotations

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from articles import imaging
from articles.models import Image, Rendition

logger = logging.getLogger(__name__)


# What a storage raises when it cannot write: the file system's errors
# (permission denied, no space left, read-only) and S3's (unreachable,
# access denied, no such bucket).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


class StorageFailed(Exception):
    """The media storage refused a write; the message says why, for the editor."""

    def __init__(self, error: BaseException):
        reason = (
            error.strerror
            if isinstance(error, OSError) and error.strerror
            else str(error) or type(error).__name__
        )
        super().__init__(
            _(
                "The media storage could not store the file (%(reason)s). Nothing "
                "was saved: try again later, or ask an administrator to check the "
                "storage."
            )
            % {"reason": reason}
        )


def inspect_upload(uploaded) -> imaging.SourceInfo:
    """
    Check an uploaded file before anything is stored, and describe it.
    Raise ValidationError with a message for the editor when it is refused.
    """
    limit = settings.IMAGE_UPLOAD_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise ValidationError(
            _(
                "This file is %(size)s MB; the limit is %(limit)s MB. "
                "Resize or compress it first."
            ),
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


def stripped_original(data: bytes, *, name: str) -> ContentFile:
    """
    What the library stores of an uploaded or downloaded picture: the same
    picture without GPS position and other metadata (imaging.strip_metadata),
    since the original is reachable at its URL. The image's sha256 stays
    that of the file as it came, so the same file is still recognised.
    """
    return ContentFile(imaging.strip_metadata(data), name=name)


def strip_stored_original(image: Image) -> bool:
    """
    Replace an image's stored original by one without metadata, for images
    stored before uploads were stripped. Return whether it had any. The old
    file is deleted once the new name is committed.
    """
    if not image.file:
        return False
    data = _read(image)
    stripped = imaging.strip_metadata(data)
    if stripped == data:
        return False
    old_name = image.file.name
    # Beside the old file: the storage picks a free name in the same folder.
    new_name = default_storage.save(old_name, ContentFile(stripped))
    try:
        with transaction.atomic():
            Image.objects.filter(pk=image.pk).update(file=new_name, bytes=len(stripped))
            transaction.on_commit(lambda: delete_files([old_name]))
    except BaseException:
        delete_files([new_name])
        raise
    image.file.name, image.bytes = new_name, len(stripped)
    return True


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
    files written so far are deleted and no row is left behind. Replaced
    files are deleted once the transaction commits, so that a rollback
    never leaves a row without its file.
    """
    return _make(image, keep=lambda rendition: missing_only)


def remake_crops(image: Image) -> int:
    """After the focal point moves, make the cropped renditions again."""
    return _make(image, keep=lambda rendition: not rendition.crop)


class _Superseded(Exception):
    """The image got another file or focal point, or was deleted, while its renditions were made."""


def _make(image: Image, *, keep) -> int:
    if not image.file:
        return 0
    source = (image.file.name, image.focal_x, image.focal_y)
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
    replaced = [rendition for rendition in old if not keep(rendition)]
    existing = {(r.width, r.format, r.crop) for r in old if keep(r)}
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
            rows = _still_wanted(image, source=source, rows=rows, replaced=replaced)
            Rendition.objects.filter(pk__in=[r.pk for r in replaced]).delete()
            Rendition.objects.bulk_create(rows)
            stale = [rendition.file.name for rendition in replaced]
            transaction.on_commit(lambda: delete_files(stale))
    except _Superseded:
        delete_files(written)
        return 0
    except BaseException:
        delete_files(written)
        raise
    unused = set(written) - {row.file.name for row in rows}
    delete_files(sorted(unused))
    return len(rows)


def _still_wanted(image: Image, *, source, rows, replaced) -> list[Rendition]:
    """
    Under a lock of the image's row, the new rows that are still wanted:
    none when the image changed its file or focal point (or was deleted)
    since `source` was read, since its next run makes what that needs;
    and none that a run alongside this one recorded meanwhile.
    """
    current = (
        Image.objects.select_for_update()
        .filter(pk=image.pk)
        .values_list("file", "focal_x", "focal_y")
        .first()
    )
    if current != source:
        raise _Superseded
    recorded = set(
        Rendition.objects.filter(image=image)
        .exclude(pk__in=[r.pk for r in replaced])
        .values_list("width", "format", "crop")
    )
    return [r for r in rows if (r.width, r.format, r.crop) not in recorded]


def store(image: Image, *, new_file: bool) -> None:
    """
    Save an image, storing a newly uploaded original; its renditions are
    made afterwards, in the background. The renditions of the file a new
    one replaces are dropped now (their files once the change commits), so
    that no page draws the old picture meanwhile.

    When the storage fails, the file this wrote is deleted and
    StorageFailed says why; the caller's transaction undoes the rows.
    """
    try:
        image.save()
    except STORAGE_ERRORS as error:
        if new_file and image.file._committed:  # The original was written.
            delete_files([image.file.name])
        raise StorageFailed(error) from error
    if new_file:
        old = list(Rendition.objects.filter(image=image))
        Rendition.objects.filter(pk__in=[r.pk for r in old]).delete()
        stale = [rendition.file.name for rendition in old]
        transaction.on_commit(lambda: delete_files(stale))


def file_names(image: Image) -> list[str]:
    """The storage names of an image's original and renditions."""
    names = [rendition.file.name for rendition in image.renditions.all()]
    return [*names, image.file.name] if image.file else names


def delete_files(names: list[str]) -> None:
    """
    Remove files from storage, after their rows are gone. A file the
    storage cannot delete now is left behind rather than failing the caller.
    """
    for name in names:
        try:
            default_storage.delete(name)
        except STORAGE_ERRORS:
            logger.warning("Could not delete %s from the media storage", name)
