"""Make the renditions of library images, with a progress bar."""

from django.core.management.base import BaseCommand, CommandError

from articles import imaging, renditions
from articles.models import Image

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Make the renditions (AVIF, WebP and the fallback, at each width) of every "
        "uploaded library image. Uploads through the admin get theirs at once; run "
        "this after loading images another way, or after changing the widths."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only make the renditions that do not exist yet (fast; safe to repeat).",
        )

    def handle(self, *args, missing_only, verbosity, **options):
        images = list(Image.objects.exclude(file="").order_by("pk"))
        made, failed = 0, []
        for done, image in enumerate(images, start=1):
            try:
                made += renditions.make_renditions(image, missing_only=missing_only)
            except (imaging.InvalidImage, OSError) as error:
                failed.append(f"{image} (#{image.pk}): {error}")
            if verbosity >= 1:
                self.progress(done, len(images))
        if verbosity >= 1 and images:
            self.stdout.write("")
        for failure in failed:
            self.stderr.write(self.style.ERROR(failure))
        self.stdout.write(f"{made} renditions made for {len(images)} images.")
        if failed:
            raise CommandError(f"{len(failed)} images failed.")

    def progress(self, done, total):
        filled = round(BAR_WIDTH * done / total)
        self.stdout.write(
            f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}", ending=""
        )
        self.stdout.flush()
