"""
Download imported images that still live on the old site into the library
(`import_wordpress --fetch-media`). Without a network the images simply stay
remote: they keep rendering from their URL with their known dimensions.
"""

from __future__ import annotations

import posixpath
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from articles import imaging, renditions
from articles.models import Image
from articles.sanitize import safe_url

TIMEOUT_SECONDS = 15
USER_AGENT = "Healthpress media import"


class FetchError(Exception):
    pass


@dataclass
class FetchReport:
    downloaded: list[Image] = field(default_factory=list)
    failed: list[tuple[Image, str]] = field(default_factory=list)

    @property
    def offline(self) -> bool:
        """No download worked and every failure was a network failure."""
        return (
            not self.downloaded
            and bool(self.failed)
            and all(reason.startswith("network") for _, reason in self.failed)
        )


def download(url: str, *, timeout: float, max_bytes: int) -> bytes:
    if not safe_url(url):
        # urlopen() would also read file: and data: URLs.
        raise FetchError("not an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"HTTP {error.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"network unreachable ({reason})") from None
    if len(data) > max_bytes:
        raise FetchError(f"larger than {max_bytes // 1024 // 1024} MB")
    return data


def fetch_image(image: Image, *, timeout: float = TIMEOUT_SECONDS) -> None:
    """
    Download one remote image into the library and make its renditions.
    Raise FetchError; on any failure nothing is stored.
    """
    data = download(
        image.source_url, timeout=timeout, max_bytes=settings.IMAGE_UPLOAD_MAX_BYTES
    )
    name = posixpath.basename(urllib.parse.urlsplit(image.source_url).path) or "image"
    try:
        info = imaging.inspect(data, filename=name)
        original = renditions.stripped_original(data, name=name)
    except imaging.InvalidImage as error:
        raise FetchError(str(error)) from None
    try:
        with transaction.atomic():
            image.file.save(name, original, save=False)
            renditions.describe(image, info)
            image.bytes = original.size
            image.save()
            renditions.make_renditions(image)
    except BaseException:
        if image.file:
            default_storage.delete(image.file.name)
            image.file = ""
        raise


def fetch_remote_images(*, timeout: float = TIMEOUT_SECONDS) -> FetchReport:
    """Download every library image that has a source URL and no file yet."""
    report = FetchReport()
    for image in Image.objects.filter(file="").exclude(source_url=""):
        try:
            fetch_image(image, timeout=timeout)
        except FetchError as error:
            report.failed.append((image, str(error)))
        else:
            report.downloaded.append(image)
    return report
