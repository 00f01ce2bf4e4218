from django.core.management.base import BaseCommand, CommandError

from articles.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = "Replace the database content and the media files with those of a backup archive."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="An archive written by `manage.py backup`.")
        parser.add_argument(
            "--yes", action="store_true", help="Do not ask for confirmation."
        )

    def handle(self, *args, archive, yes, **options):
        if (
            not yes
            and input(
                f"This replaces ALL content and media with {archive}. Type 'yes': "
            )
            != "yes"
        ):
            raise CommandError("Restore cancelled; nothing was changed.")
        try:
            with open(archive, "rb") as fileobj:
                manifest = restore_backup(fileobj)
        except (OSError, BackupError) as error:
            raise CommandError(f"{error} Nothing was changed.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} with {len(manifest['media'])} media files."
            )
        )
