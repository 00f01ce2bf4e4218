from django.core.management.base import BaseCommand

from articles.backups import create_backup


class Command(BaseCommand):
    help = "Write the database content and all media files into one .tar.gz archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", help="Where to write, e.g. backups/site-2026-11-24.tar.gz"
        )

    def handle(self, *args, archive, **options):
        with open(archive, "wb") as fileobj:
            manifest = create_backup(fileobj)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the database and {len(manifest['media'])} media files to {archive}."
            )
        )
