from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from articles.importers.wordpress import media
from articles.importers.wordpress.load import ACTIONS, import_items
from articles.importers.wordpress.sources import read_posts


class Command(BaseCommand):
    help = (
        "Import posts from WordPress REST API JSON: files with one post or a list of posts, "
        "or directories of them. Importing again updates changed posts and skips the rest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="A .json file or a directory of them.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, and save nothing.",
        )
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help=(
                "Download images that still live on the old site into the library "
                "and make their renditions. Offline, they stay remote and keep working."
            ),
        )

    def handle(self, *args, paths, dry_run, verbosity, fetch_media=False, **options):
        counts = Counter()
        for outcome in import_items(read_posts(paths), dry_run=dry_run):
            counts[outcome.action] += 1
            if verbosity >= 1:
                self.stdout.write(self.format_outcome(outcome))
        summary = ", ".join(f"{action} {counts[action]}" for action in ACTIONS)
        self.stdout.write(
            f"{summary} (dry run: nothing was saved)" if dry_run else summary
        )
        if fetch_media and not dry_run:
            self.fetch_media()
        if counts["failed"]:
            raise CommandError(
                f"{counts['failed']} of {counts.total()} items failed to import."
            )

    def format_outcome(self, outcome):
        style = {
            "created": self.style.SUCCESS,
            "updated": self.style.SUCCESS,
            "skipped": self.style.WARNING,
            "failed": self.style.ERROR,
        }.get(outcome.action, str)
        line = f"{style(f'{outcome.action:<9}')} {outcome.title}"
        return f"{line}: {outcome.reason}" if outcome.reason else line

    def fetch_media(self):
        report = media.fetch_remote_images()
        for image, reason in report.failed:
            self.stderr.write(f"Not downloaded: {image.source_url}: {reason}")
        if report.offline:
            self.stdout.write(
                self.style.WARNING(
                    f"Offline: {len(report.failed)} images were not downloaded. They keep "
                    "rendering from their remote URLs; run again with --fetch-media later."
                )
            )
        else:
            self.stdout.write(
                f"Media: downloaded {len(report.downloaded)}, failed {len(report.failed)}."
            )
