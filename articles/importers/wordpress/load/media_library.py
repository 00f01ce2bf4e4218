"""
WordPress's media library and the images posts show, as library images.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import Q

from articles.importers.wordpress.blocks import Figure
from articles.importers.wordpress.load.outcomes import Outcome
from articles.importers.wordpress.text import plain_text
from articles.models import (
    Image,
)
from articles.wordpress_uploads import upload_key

logger = logging.getLogger(__name__)


IMAGE_FIELDS = [
    "source_url",
    "source_renditions",
    "wordpress_upload",
    "alt_text",
    "caption",
    "width",
    "height",
]


def import_library_images(
    figures: dict[int, Figure], *, dry_run: bool
) -> dict[int, Outcome]:
    """
    Bring the images of WordPress's media library into ours, remote until
    --fetch-media downloads them, in one savepoint: a failure fails them all
    and nothing else.
    """
    if not figures:
        return {}
    titles = {
        index: f"image {urlsplit(figure.url).path.rsplit('/', 1)[-1] or figure.url}"
        for index, figure in figures.items()
    }
    try:
        with transaction.atomic():
            changes = library_images([], library_figures=figures.values())
            if dry_run:
                transaction.set_rollback(True)
    except Exception as exc:
        logger.exception("WordPress media failed to import")
        return {
            index: Outcome(
                action="failed", title=title, reason=f"{type(exc).__name__}: {exc}"
            )
            for index, title in titles.items()
        }
    outcomes = {}
    for index, figure in figures.items():
        key = image_key(figure)
        if key in changes.created or key in changes.updated:
            outcomes[index] = Outcome(
                action="created" if key in changes.created else "updated",
                title=titles[index],
                reason="dry run, nothing saved" if dry_run else "",
            )
        else:
            outcomes[index] = Outcome(action="unchanged", title=titles[index])
    return outcomes


def image_key(figure: Figure) -> int | str:
    return figure.wordpress_id or figure.url


@dataclass
class _LibraryChanges:
    """The library images of an import step, by image key, and which of them it created or updated."""

    images: dict[int | str, Image]
    created: set[int | str]
    updated: set[int | str]


def library_images(
    figures: Iterable[Figure],
    *,
    library_figures: Iterable[Figure] = (),
    featured_ids: Iterable[int | None] = (),
) -> _LibraryChanges:
    """
    Return the library images of figures, of library_figures and of the
    featured images (when the library has them), keyed by WordPress id or,
    lacking one, by URL. Images never imported before are created.

    library_figures describe the images themselves (a media library item, a
    post's featured media): a remote image follows them. figures are uses
    of an image in a post, whose alt text and caption belong to that use:
    they only fill in what the image lacks. An image whose file is in the
    library is the library's, and left alone.
    """
    unique: dict[int | str, tuple[Figure, bool]] = {}
    for figure in library_figures:
        unique.setdefault(image_key(figure), (figure, True))
    for figure in figures:
        unique.setdefault(image_key(figure), (figure, False))
    ids = {key for key in unique if isinstance(key, int)} | {
        pk for pk in featured_ids if pk
    }
    urls = [key for key in unique if isinstance(key, str)]
    changes = _LibraryChanges(images={}, created=set(), updated=set())
    if not ids and not urls:
        return changes
    images = changes.images
    images.update(
        (image.wordpress_id or image.source_url, image)
        for image in Image.objects.filter(
            Q(wordpress_id__in=ids) | Q(wordpress_id__isnull=True, source_url__in=urls)
        )
    )
    new, changed = [], []
    for key, (figure, describes_image) in unique.items():
        fields = {
            "source_url": figure.url,
            "source_renditions": [
                {"url": url, "width": width} for url, width in figure.renditions
            ],
            "wordpress_upload": upload_key(figure.url),
            "alt_text": figure.alt[:500],
            "caption": plain_text(figure.caption)[:500],
            "width": figure.width,
            "height": figure.height,
        }
        image = images.get(key)
        if image is None:
            images[key] = Image(wordpress_id=figure.wordpress_id, **fields)
            new.append(images[key])
            changes.created.add(key)
            continue
        if image.file:
            continue
        if not describes_image:
            fields = {
                name: value
                for name, value in fields.items()
                if value and not getattr(image, name)
            }
        if any(getattr(image, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(image, name, value)
            changed.append(image)
            changes.updated.add(key)
    Image.objects.bulk_create(new)
    if changed:
        Image.objects.bulk_update(changed, IMAGE_FIELDS)
    return changes
