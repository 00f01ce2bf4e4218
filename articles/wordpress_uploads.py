"""
The old site's media URLs: /wp-content/uploads/2024/01/photo.jpg, and every
copy WordPress made of it (photo-300x200.jpg, photo-scaled.jpg,
photo-rotated.jpg, photo-e1700000000123-300x200.jpg), answer with a 301 to
the library image imported from it: a rendition of ours once fetched, else
its remote source. Unknown uploads stay 404.

Each imported image keeps the key of its upload (Image.wordpress_upload,
indexed): the path under uploads/ with WordPress's suffixes taken off, which
every copy shares. A request finds its image in one indexed query, whatever
size it names, and the target is chosen from the row as it is now, so a
later --fetch-media or new renditions need no redirect rewritten.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect

from articles import imaging
from articles.models import Image

UPLOADS = "/wp-content/uploads/"
# A size WordPress made: "-300x200" before the extension.
_SIZE = re.compile(r"-([1-9][0-9]{0,4})x([1-9][0-9]{0,4})$")
# The scaled-down original of a big upload, the upright copy of a rotated
# one, an edit in WordPress's image editor ("-e" and a 13-digit stamp).
_VARIANT = re.compile(r"-(?:scaled|rotated|e[0-9]{10,14})$")
# Aspect ratios further apart than this are another crop (a 150x150 thumbnail).
_RATIO_TOLERANCE = 0.02


def upload_key(url: str) -> str:
    """
    The key that an upload and all WordPress's copies of it share: the path
    under wp-content/uploads/ without size, -scaled, -rotated and edit
    suffixes ("2024/01/photo.jpg"); "" when url is no upload.
    """
    path = unquote(urlsplit(url).path)
    start = path.find(UPLOADS)
    if start < 0:
        return ""
    directory, _, name = path[start + len(UPLOADS) :].rpartition("/")
    stem, dot, extension = name.rpartition(".")
    if not stem or not dot:
        return ""
    while True:
        shorter = _VARIANT.sub("", _SIZE.sub("", stem))
        if shorter == stem or not shorter:
            break
        stem = shorter
    return f"{directory}/{stem}.{extension}" if directory else f"{stem}.{extension}"


def redirect_upload(request, path):
    """A 301 from an old upload URL to the library image imported from it, or a 404."""
    requested = f"{UPLOADS}{path}"
    key = upload_key(requested)
    image = _image_for(requested, key=key) if key else None
    target = _target(image, requested=requested) if image is not None else ""
    if not target or _same_address(target, request):
        raise Http404("No library image was imported from this upload.")
    return HttpResponsePermanentRedirect(target)


def _image_for(requested: str, *, key: str) -> Image | None:
    """The image whose upload the path names: the one that had this very file, else the first."""
    candidates = [
        image
        for image in Image.objects.filter(wordpress_upload=key).prefetch_related(
            "renditions"
        )
        # The key follows the source URL; a hotlinked image of another site is not ours to answer for.
        if upload_key(image.source_url) == key and _from_the_old_site(image.source_url)
    ]
    for image in candidates:
        if requested in _paths_of(image):
            return image
    return min(candidates, key=lambda image: image.pk, default=None)


def _paths_of(image: Image) -> set[str]:
    urls = [image.source_url, *(copy["url"] for copy in image.source_renditions or [])]
    return {unquote(urlsplit(url).path) for url in urls}


def _target(image: Image, *, requested: str) -> str:
    width, height = _requested_size(requested)
    if image.file:
        return _rendition_url(image, width=width, height=height)
    for copy in image.source_renditions or []:
        if unquote(urlsplit(copy["url"]).path) == requested:
            return copy["url"]
    return image.source_url


def _rendition_url(image: Image, *, width: int | None, height: int | None) -> str:
    """
    Our rendition nearest the size asked for (the smallest as wide, else the
    largest; the largest for the original), in a format every reader has.
    """
    crop = _crop_for(image, width=width, height=height)
    copies = image.renditions_for(crop=crop, formats=imaging.FALLBACK_FORMATS)
    if not copies:
        return image.shared_copy()[0]
    wide_enough = [copy for copy in copies if width and copy.width >= width]
    return (wide_enough[0] if wide_enough else copies[-1]).file.url


def _crop_for(image: Image, *, width: int | None, height: int | None) -> str:
    """The crop whose shape the requested size has, when it is not the picture's own."""
    if not (width and height and image.width and image.height):
        return ""
    ratio = width / height
    if abs(ratio - image.width / image.height) <= _RATIO_TOLERANCE * ratio:
        return ""
    crops = [crop for crop in imaging.CROPS if crop]
    return min(crops, key=lambda crop: abs(_ratio(crop) - ratio))


def _ratio(crop: str) -> float:
    across, down = crop.split(":")
    return int(across) / int(down)


def _requested_size(path: str) -> tuple[int | None, int | None]:
    stem = path.rpartition("/")[2].rpartition(".")[0]
    match = _SIZE.search(stem)
    return (int(match.group(1)), int(match.group(2))) if match else (None, None)


def _from_the_old_site(url: str) -> bool:
    host = _host(url)
    return host in (_host(settings.WORDPRESS_SITE_URL), _host(settings.SITE_URL))


def _same_address(target: str, request) -> bool:
    """A remote source at this very address (the old site's domain now points here) would loop."""
    parts = urlsplit(target)
    return (not parts.netloc or _host(target) == _host(f"//{request.get_host()}")) and (
        unquote(parts.path) == request.path
    )


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")
