"""Remove GPS positions and other metadata from the stored originals of library images."""

from django.core.management.base import BaseCommand, CommandError

from articles import imaging, renditions
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Store every library original again without its metadata (GPS position, "
        "camera, owner, XMP, IPTC, comments), keeping its pixels and orientation. "
        "Uploads are stored that way already; run this once for images stored "
        "before. Safe to repeat: an original without metadata is left alone."
    )

    def handle(self, *args, **options):
        images = list(Image.objects.exclude(file="").order_by("pk"))
        stripped, failed = 0, []
        for image in images:
            try:
                stripped += renditions.strip_stored_original(image)
            except (imaging.InvalidImage, *renditions.STORAGE_ERRORS) as error:
                failed.append(f"{image} (#{image.pk}): {error}")
        for failure in failed:
            self.stderr.write(self.style.ERROR(failure))
        self.stdout.write(
            f"Metadata removed from {stripped} of {len(images)} originals."
        )
        if failed:
            raise CommandError(f"{len(failed)} images failed.")
